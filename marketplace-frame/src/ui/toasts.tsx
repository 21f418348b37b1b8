import { useFrame } from "../context.ts";

export function Toasts() {
  const { toasts, t } = useFrame();
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
