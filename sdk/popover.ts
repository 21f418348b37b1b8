/**
 * The popover: a native modal `<dialog>` (`showModal()`) around the iframe, with a close button,
 * in a shadow root.
 *
 * - A modal dialog is the platform's focus trap: the browser makes the rest of the page inert,
 *   so neither Tab, a click, nor a screen reader reaches the host page behind it, and it sits in
 *   the top layer above any host z-index. It is labelled (`aria-label`, the frame's words); a
 *   dialog opened with `showModal()` is exposed as a modal dialog without `role` or `aria-modal`.
 * - Host styles cannot reach it: no host selector matches inside a shadow root, and its host
 *   `div` carries `all: initial` in its own `style` (which beats any host rule but an
 *   `!important` one), so nothing the page sets on `body` (a white `color`, a font,
 *   `visibility`) is inherited. Before this the demo host's `button { color: #fff }` made the
 *   close button white on white.
 * - Its look is one constructed stylesheet adopted by the shadow root (CSSOM, like
 *   `element.style`: no `<style>` element and no `style` attribute, so a host CSP without
 *   `style-src 'unsafe-inline'` allows it; the H2 browser test listens for violations). It is
 *   the only way to dim `::backdrop`, and one sheet costs fewer bytes than the same rules as
 *   inline styles. The close button keeps the browser's own `:focus-visible` ring.
 * - Themed with the host's own tokens and mode: `colorBackground`, `colorText` and
 *   `borderRadius` become `--em-<token>` custom properties on the shadow host, read only by
 *   properties that take no `url()` (`background-color`, never `background`), so no token can
 *   load anything; `setTheme` repaints. Defaults are system colours under `color-scheme`, so
 *   light, dark and `auto` (`light dark`: follows `prefers-color-scheme` live) cost no table.
 * - Keyboard: `showModal()` focuses the close button (the first focusable element), so Esc (the
 *   dialog's `cancel`) closes it as soon as it opens. Once the frame has drawn its first screen
 *   (`ready`) the marketplace moves focus into the frame: focus given to a cross-origin iframe
 *   before it has loaded reaches no document, so Esc reached nobody. From then on the frame,
 *   told `closable`, turns Esc into a `close` event. Focus returns to the opener on close.
 */
import type { View } from "./options.ts";
import { element } from "./dom.ts";

/** Host theme tokens the popover chrome reads, each as the custom property `--em-<token>`. */
const tokens = ["colorBackground", "colorText", "borderRadius"] as const;

const css =
  "dialog{width:1040px;height:760px;padding:0;border:0;border-radius:var(--em-borderRadius,12px);background-color:var(--em-colorBackground,Canvas)}" +
  "::backdrop{background:#0009}" +
  "button{position:absolute;right:8px;top:8px;border:0;background:0;font:24px system-ui;color:var(--em-colorText,CanvasText)}";

/**
 * Opens `iframe` in a modal dialog labelled with its title; `requestClose` runs on Esc, a backdrop
 * click or the close button. Returns the remover and `paint(close?)`, which repaints the chrome
 * from `view` (the marketplace's live theme and mode, which `setTheme` has just changed) and
 * relabels it: the dialog with the iframe's title, the button with `close` (the frame's words).
 */
export const openPopover = (iframe: HTMLIFrameElement, view: View, requestClose: () => void): [() => void, (close?: string) => void] => {
  const { body, activeElement } = document;
  const overflow = body.style.overflow;
  const host = element("div", "");
  const root = host.attachShadow({ mode: "open" });
  const sheet = new CSSStyleSheet();
  const dialog = element("dialog", "");
  const button = element("button", "", { type: "button" });
  const paint = (close?: string) => {
    const { theme = {}, mode } = view;
    host.style.cssText = "all:initial;color-scheme:" + (mode == "auto" ? "light dark" : mode || "light");
    for (const token of tokens) host.style.setProperty("--em-" + token, theme[token] || "");
    dialog.setAttribute("aria-label", iframe.title);
    close && button.setAttribute("aria-label", close);
  };
  sheet.replaceSync(css);
  root.adoptedStyleSheets = [sheet];
  button.textContent = "×";
  button.onclick = requestClose;
  // The dialog box is the frame; a click that lands on the dialog itself hit the backdrop.
  dialog.onclick = (event) => event.target == dialog && requestClose();
  // Esc closes the dialog natively (its `cancel` then `close`); so does nothing else: the host's
  // close() removes it unclosed.
  dialog.onclose = requestClose;
  paint("Close");
  // The button first: showModal() focuses the first focusable element, and it must not be the
  // iframe (see above). Absolutely positioned, it is drawn over the frame's top corner, which
  // the frame keeps clear in a popover.
  dialog.append(button, iframe);
  root.append(dialog);
  body.append(host);
  dialog.showModal();
  body.style.overflow = "hidden";

  return [
    () => {
      host.remove();
      body.style.overflow = overflow;
      (activeElement as HTMLElement | null)?.focus();
    },
    paint,
  ];
};
