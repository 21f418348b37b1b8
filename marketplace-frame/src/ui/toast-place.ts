/**
 * Where the toast sits, in the part of the frame the user sees. On a phone every spot covers
 * something (ui12 found "Stripe is active" over the log toggle; ui13's top spot covered the Back
 * link and the title), so the rule says what it must leave alone:
 * - the bottom (where Stripe's, Linear's and Vercel's toasts sit), else the top, else the spot
 *   nearest the bottom between what is there, where it covers nothing the user presses (nor the
 *   screen's title);
 * - failing that (a short window full of buttons), the same spots where it covers none of the
 *   control that has focus (the one just used), a primary action, the Back link and the title;
 * - failing that too (a window hardly taller than the toast), the bottom.
 * A toast stays where it is while that spot is as good as the best, so it does not jump about as
 * the page scrolls or as a press moves focus (a toast that moved between press and release would
 * take the click). It does not slide the page: content that moves under the finger is what the
 * rule is there to avoid.
 *
 * Placed when a toast shows; again, while one shows, on focus moves, scrolls and resizes (once per
 * drawn frame), and at once when the page under it changes or autoHeight moves the part in view
 * (--em-visible-* on the root: that arrives after a frame is drawn, and waiting for the next one
 * would draw the toast a frame late). Nothing stays installed once the last toast has gone.
 *
 * A chunk of its own: only screens past the list show toasts, and the first route's budget is
 * spent on the list. ui/toasts.tsx imports it when a toast shows; app.tsx prefetches it with the
 * screens, so that import needs no request.
 */
import { visiblePart, type Span } from "./visible-part.ts";

/** What a user presses or types in (a focus target with tabindex=-1, a screen's <main>, is not one). */
const CONTROLS = 'button,input,select,textarea,a[href],summary,[tabindex]:not([tabindex="-1"])';

/** What a toast leaves alone before anything else (with the focused control): primary actions, the Back link, the title. */
const KEEP = ".em-button-primary,.em-back,.em-title";

/** Where a toast sits: following the bottom or the top of the part in view, or at this y (CSS px). */
export type Spot = "bottom" | "top" | number;

export interface SpotInputs {
  /** The part of the frame the user sees. */
  view: Span;
  /** The toast's height, and the room it keeps from the view's edges and from what it avoids. */
  height: number;
  gap: number;
  /** What is in view across the toast's width: `keep`, what it leaves alone before anything else. */
  things: (Span & { keep: boolean })[];
  /** Where the toast sits now (the same toast), kept while it is as good as the best. */
  current?: Spot;
}

/** Where the toast goes, by the rule in the file comment; returns the spot and its y. */
export function chooseSpot({ view, height, gap, things, current }: SpotInputs): { spot: Spot; y: number } {
  const lowest = view.bottom - gap - height;
  const highest = view.top + gap;
  const y = (spot: Spot) => (spot === "bottom" ? lowest : spot === "top" ? highest : spot);
  // Just above and just below each thing, nearest the bottom first.
  const between = things.flatMap((t) => [t.top - gap - height, t.bottom + gap]).sort((a, b) => b - a);
  const spots = [current, "bottom" as const, "top" as const, ...between].filter((s): s is Spot => s !== undefined && y(s) >= highest - 0.5 && y(s) <= lowest + 0.5);
  const under = (s: Spot) => things.filter((t) => y(s) < t.bottom && t.top < y(s) + height);
  const spot = spots.find((s) => under(s).length === 0) ?? spots.find((s) => !under(s).some((t) => t.keep)) ?? "bottom";
  return { spot, y: y(spot) };
}

let stop: (() => void) | undefined;
let placed: { toast: Element; spot: Spot } | undefined;

/** Places the toast shown, and follows the page while there is one (see the file comment). */
export function placeToasts(): void {
  const box = document.querySelector<HTMLElement>(".em-toasts");
  const toast = box?.firstElementChild as HTMLElement | null | undefined;
  if (!box || !toast) {
    stop?.();
    stop = placed = undefined;
    return;
  }
  stop ??= follow();
  // Its box without the entrance animation's offset: the region's left plus the toast's own place in it.
  const left = box.getBoundingClientRect().left + toast.offsetLeft;
  const right = left + toast.offsetWidth;
  const view = visiblePart();
  const focused = document.activeElement;
  const things = [...document.querySelectorAll(`${CONTROLS},${KEEP}`)].flatMap((el) => {
    const r = el.getBoundingClientRect();
    const across = r.width > 0 && r.left < right && left < r.right && r.top < view.bottom && view.top < r.bottom;
    return across && !box.contains(el) ? [{ top: r.top, bottom: r.bottom, keep: el === focused || el.matches(KEEP) }] : [];
  });
  const current = placed?.toast === toast ? placed.spot : undefined;
  const { spot, y } = chooseSpot({ view, height: toast.offsetHeight, gap: parseFloat(getComputedStyle(box).right), things, current });
  placed = { toast, spot };
  box.style.top = `${y}px`;
  box.style.bottom = "auto";
}

function follow(): () => void {
  let pending = false;
  const again = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => ((pending = false), placeToasts()));
  };
  const events = ["focusin", "scroll", "resize"];
  for (const event of events) addEventListener(event, again);
  // A batch of changes to the page, or to the part in view, at once: before it is drawn.
  const observer = new MutationObserver(() => placeToasts());
  observer.observe(document.body, { childList: true, subtree: true });
  observer.observe(document.documentElement, { attributeFilter: ["style"] });
  return () => {
    for (const event of events) removeEventListener(event, again);
    observer.disconnect();
  };
}
