/**
 * A titled section of a screen. Its heading names the region for screen readers
 * (aria-labelledby); `tools` (filters, Refresh) sit at the heading's end and wrap under it on a
 * narrow frame.
 */
import type { ComponentChildren } from "preact";

export function Panel({ id, title, tools, children }: { id: string; title: ComponentChildren; tools?: ComponentChildren; children?: ComponentChildren }) {
  const heading = (
    <h2 class="em-panel-title" id={id}>
      {title}
    </h2>
  );
  return (
    <section class="em-panel" aria-labelledby={id}>
      {tools ? (
        <div class="em-row em-wrap em-panel-head">
          {heading}
          <span class="em-spacer" />
          {tools}
        </div>
      ) : (
        heading
      )}
      {children}
    </section>
  );
}
