/**
 * The popover: a native modal `<dialog>` (`showModal()`) around the iframe, with a close button.
 *
 * A modal dialog is the platform's focus trap: the browser makes the rest of the page inert,
 * so neither Tab, a click, nor a screen reader reaches the host page behind it, and it sits in
 * the top layer above any host z-index. It is labelled, `role="dialog"` and `aria-modal` are
 * stated for assistive tech that predates native dialogs, Esc (the dialog's `cancel`) closes it,
 * the body stops scrolling, and focus goes into the frame and back to the opener on close.
 * Backdrop: the browser's default `::backdrop` (styling it would need a `<style>` tag).
 *
 * Styles go through CSSOM only (see dom.ts), so host CSPs need no `style-src 'unsafe-inline'`.
 * Esc pressed inside the iframe reaches the frame, not the host: the frame, told
 * `closable: true`, handles it by emitting `close`.
 */
import { element } from "./dom.ts";

/** Opens `iframe` in a modal dialog labelled `label`; `requestClose` runs on Esc or the close button. Returns the teardown. */
export const openPopover = (iframe: HTMLIFrameElement, label: string, requestClose: () => void): (() => void) => {
  const { body, activeElement } = document;
  const overflow = body.style.overflow;
  const dialog = element("dialog", "width:min(1040px,96vw);height:min(760px,96vh);padding:0;border:0;border-radius:12px", {
    role: "dialog",
    "aria-modal": "true",
    "aria-label": label,
  });
  const button = element("button", "position:absolute;right:8px;top:8px;border:0;background:0;font:24px system-ui", {
    type: "button",
    "aria-label": "Close",
  });
  button.textContent = "×";
  button.onclick = requestClose;
  dialog.oncancel = (event) => {
    event.preventDefault();
    requestClose();
  };
  dialog.append(button, iframe);
  body.append(dialog);
  dialog.showModal();
  body.style.overflow = "hidden";
  iframe.focus();

  return () => {
    dialog.remove();
    body.style.overflow = overflow;
    (activeElement as HTMLElement | null)?.focus?.();
  };
};
