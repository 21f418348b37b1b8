/**
 * Where the toast region sits: at the bottom of the part of the frame the user sees, unless the
 * toast would cover a control there (on a phone the bottom often holds the next thing to press: a
 * Copy button as wide as the screen, the "Refresh" of the executions below) and the top does not;
 * failing both, where it does not cover the control that has focus (the one just used). Placed
 * when a toast shows, and again whenever focus moves, the frame scrolls or resizes, or the screen
 * under the toast changes (a list lands, a button shows up under it).
 *
 * A chunk of its own (~0.2 kB brotli): only screens past the list show toasts, and the first
 * route's budget is spent on the list (in the first route it took 0.22 kB). ui/toasts.tsx imports
 * it when a toast shows; app.tsx prefetches it with the screens, so that import needs no request.
 */

/** What a user presses or types in (a focus target with tabindex=-1, a screen's <main>, is not one). */
const CONTROLS = 'button,input,select,textarea,a[href],summary,[tabindex]:not([tabindex="-1"])';

let following = false;

export function placeToasts(): void {
  if (!following) {
    following = true;
    // One placement per drawn frame, however many mutations, scrolls or focus moves came in it.
    let pending = false;
    const again = () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => ((pending = false), placeToasts()));
    };
    for (const event of ["focusin", "scroll", "resize"]) addEventListener(event, again);
    new MutationObserver(again).observe(document.body, { childList: true, subtree: true });
  }
  const box = document.querySelector(".em-toasts");
  const toast = box?.firstElementChild;
  if (!box || !toast) return;
  /** The controls the toast covers at the bottom (`top`: at the top). */
  const covered = (top: boolean) => {
    box.classList.toggle("em-toasts-top", top);
    const a = toast.getBoundingClientRect();
    return [...document.querySelectorAll(CONTROLS)].filter((c) => {
      const b = c.getBoundingClientRect();
      return !box.contains(c) && b.width > 0 && a.top < b.bottom && b.top < a.bottom && a.left < b.right && b.left < a.right;
    });
  };
  const bottom = covered(false);
  const top = covered(true);
  const focused = document.activeElement!;
  box.classList.toggle("em-toasts-top", bottom.length > 0 && (top.length == 0 || (bottom.includes(focused) && !top.includes(focused))));
}
