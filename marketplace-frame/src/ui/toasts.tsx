/**
 * The toast region, in the page from the start (empty), so a screen reader hears each toast. Where
 * it sits (the bottom of what the user sees, unless it would cover what it must leave alone there)
 * is ui/toast-place.ts, loaded when a toast shows; it stops following the page when none shows.
 */
import { useLayoutEffect } from "preact/hooks";
import { useFrame } from "../context.ts";

export const loadToastPlace = () => import("./toast-place.ts");

export function Toasts() {
  const { toasts, t } = useFrame();
  useLayoutEffect(() => void (toasts.toasts.value.length && loadToastPlace().then((m) => m.placeToasts(), () => {})), [toasts.toasts.value]);
  return (
    <div class="em-toasts" role="status" aria-live="polite" aria-label={t("toast.region")}>
      {toasts.toasts.value.map((toast) => (
        <div key={toast.id} class={`em-toast em-toast-${toast.kind}`}>
          <span>{toast.text}</span>
          <button type="button" class="em-toast-close" aria-label={t("app.dismiss")} onClick={() => toasts.dismiss(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
