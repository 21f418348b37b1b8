/**
 * The two states every screen and tab has besides its content: it could not load, or there is
 * nothing to show yet. One component each, so every "failed to load" is announced the same way
 * (role="alert"), reads the same and recovers the same way (Back, Retry), wherever it appears.
 */
import type { ComponentChildren } from "preact";
import { useFrame } from "../context.ts";

/**
 * Could not load. `title` defaults to the generic "could not load" line; `retry` is left out
 * where trying again cannot help (not found, a definition the frame refuses); `back` on screens
 * that are not reached through a visible back link.
 */
export function Failed({ title, retry, back, children }: { title?: string; retry?: () => void; back?: () => void; children?: ComponentChildren }) {
  const { t } = useFrame();
  return (
    <div class="em-state" role="alert">
      <p class="em-state-title">{title ?? t("app.error.title")}</p>
      {children}
      {(back || retry) && (
        <div class="em-row">
          {back && (
            <button type="button" class="em-button em-button-secondary" onClick={back}>
              {t("app.back")}
            </button>
          )}
          {retry && (
            <button type="button" class="em-button" onClick={retry}>
              {t("app.retry")}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/** Nothing to show: what is empty, what the user can do about it, and the action that does it. */
export function Empty({ title, hint, children }: { title: string; hint?: string; children?: ComponentChildren }) {
  return (
    <div class="em-state">
      <p class="em-state-title">{title}</p>
      {hint && <p class="em-muted">{hint}</p>}
      {children}
    </div>
  );
}
