/**
 * Short-lived notices for finished actions, read out by a `role="status"` region. One at a time:
 * a newer notice replaces the one on screen (it was read out already), so two never pile up over
 * the page on a phone (ui12 found two stacked over the instance page's buttons at 360 px).
 */
import { signal } from "@preact/signals";

export interface Toast {
  id: number;
  kind: "success" | "error";
  text: string;
}

const LIFETIME_MS = 5000;

export function createToastState() {
  const toasts = signal<Toast[]>([]);
  let next = 1;
  const dismiss = (id: number) => (toasts.value = toasts.value.filter((t) => t.id !== id));
  const push = (kind: Toast["kind"], text: string) => {
    const id = next++;
    toasts.value = [{ id, kind, text }];
    setTimeout(() => dismiss(id), kind === "error" ? LIFETIME_MS * 2 : LIFETIME_MS);
  };
  return { toasts, push, dismiss };
}
export type ToastState = ReturnType<typeof createToastState>;
