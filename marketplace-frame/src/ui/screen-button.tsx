/**
 * A button that opens another screen of the frame (an instance's logs, its alerts): the frame's
 * screens have no URLs a link could point to, so it is a button that navigates, styled as a
 * secondary action wherever it stands.
 */
import type { ComponentChildren } from "preact";
import type { Screen } from "../../../contract/protocol.ts";
import { useFrame } from "../context.ts";

export function ScreenButton({ to, children }: { to: Screen; children: ComponentChildren }) {
  const frame = useFrame();
  return (
    <button type="button" class="em-button em-button-secondary" onClick={() => frame.navigate(to)}>
      {children}
    </button>
  );
}
