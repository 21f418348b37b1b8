/**
 * autoHeight (opt-in, `createMarketplace({ autoHeight: true })`): the frame tells the host its
 * content height whenever it changes, so the host sizes the iframe to fit. A chunk of its own,
 * loaded only when the host asks for it: most hosts give the frame a fixed height, and the first
 * route's budget is better spent on the list (moved here from app.tsx, ~0.15 kB brotli).
 *
 * The content height is the root element's own box, not `scrollHeight`: the document's
 * scrollHeight never drops below the viewport, which is the iframe itself, so a frame once sized
 * tall (a wizard, a narrow layout) would never shrink back. <html> is as tall as its content (no
 * height is set on it) and, as the root, keeps its children's margins inside.
 *
 * Growing is reported at once: it only pushes what is below the frame further down. Shrinking can
 * move what the user is aiming at: when the host page (or a box of the host that scrolls the
 * frame) is scrolled near its end, a shorter frame makes it shorter than its scroll position, the
 * browser clamps the scroll, and the frame slides down under the pointer (a click computed before
 * the shrink then lands on the host page: tests/data-sources.test.ts failed half its runs that
 * way). Two guards, one on each side, keep what the user sees in place:
 * - the SDK never shrinks the iframe by more than the host's page can still scroll down
 *   (sdk/marketplace.ts), so the page's scroll position never clamps: on a page scrolled to its
 *   end the frame keeps its height until the user scrolls up, and this frame asks again whenever
 *   the part of it the user sees changes (`again` below);
 * - while the frame's top is scrolled out of view (the user reads its lower part, so whatever
 *   scrolls it, the page or a box of the host the SDK cannot see, is scrolled into it), the frame
 *   gives back only the part below the bottom of what the user sees: the iframe still reaches the
 *   fold, so no scroll position can clamp and nothing on screen moves. The rest follows once that
 *   part is out of view or the frame's top is back in view.
 * The frame cannot follow the pointer instead: Chromium tells a cross-origin frame when the mouse
 * enters it but not always when it leaves (a frame whose mouse moved to the host page still
 * matches `:hover`), so "the pointer is over the frame" would stay true for good.
 *
 * The visible part comes from IntersectionObservers: in a cross-origin frame they report the part
 * of a target inside the top-level viewport (and inside every clipping box of the host), with no
 * SDK help. Observing the frame's root is not enough: an observer calls back when the visible
 * *fraction* of its target crosses a threshold, and a frame taller than the viewport, scrolled
 * through its middle, shows the same fraction all the way (the visible part slides, the fraction
 * stays: a measured 125 px slide in a scrolling box went unreported). So an invisible ruler of 20
 * strips spans the frame, each observed with 101 thresholds: a visible edge that moves moves
 * through some strip, whose fraction changes every 1 % of its height, 0.05 % of the frame's (the
 * floor below adds that much). The visible part is the span of the strips' visible parts.
 * It also keeps toasts in view: a frame as tall as its content has its own viewport as tall as the
 * page, so a `position: fixed; bottom` toast would sit at the frame's bottom, maybe far below the
 * host's fold; styles.css reads --em-visible-bottom. Popup lists (ui/popup-placement.ts) read
 * --em-visible-top and --em-visible-bottom to open where the user sees them.
 *
 * A popover ignores autoHeight: it fills its dialog (its iframe sized to the content would leave
 * the dialog's lower part empty).
 */
import type { Frame } from "../frame.ts";

/** What the frame knows when it decides which height to report. */
export interface HeightInputs {
  /** The content's height (the root element's box), in CSS px. */
  content: number;
  /** The iframe's current height: the frame's own viewport. */
  viewport: number;
  /** The part of the frame the user sees (frame px, top and bottom); undefined: none, or not known yet. */
  visible: { top: number; bottom: number } | undefined;
}

/** How long the content must stay shorter before the frame asks to shrink (see `report`). */
const SHRINK_SETTLE_MS = 300;

/** The root's attribute naming the content height the frame's answer is settled for (see `report`). */
const SETTLED = "data-em-height-settled";

/** The ruler's strips, and the thresholds each is observed with (see the file comment). */
const STRIPS = 20;
const STEPS = 100;

/**
 * The height to ask the host for: the content's, except that while the frame's top is scrolled
 * out of view it never shrinks above the bottom of the visible part (plus the ruler's step).
 */
export function heightToReport({ content, viewport, visible }: HeightInputs): number {
  if (content >= viewport || !visible || visible.top < 1) return content;
  return Math.max(content, Math.min(viewport, Math.ceil(visible.bottom + viewport / (STRIPS * STEPS)) + 1));
}

/**
 * Calls `onChange` with the part of the frame the user sees whenever it changes (undefined: none),
 * measured by the ruler's strips; returns the stop function.
 */
function watchVisiblePart(onChange: (visible: HeightInputs["visible"]) => void): () => void {
  const ruler = document.createElement("div");
  ruler.setAttribute("aria-hidden", "true");
  // Spans the frame's viewport, which is the iframe (what the host shows of the frame), whatever
  // the content; fixed, so it adds nothing to the content's height.
  Object.assign(ruler.style, { position: "fixed", inset: "0", pointerEvents: "none", visibility: "hidden" });
  const seen = new Map<Element, DOMRectReadOnly | undefined>();
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) seen.set(entry.target, entry.isIntersecting ? entry.intersectionRect : undefined);
      let visible: HeightInputs["visible"];
      for (const rect of seen.values())
        if (rect) visible = { top: Math.min(rect.top, visible?.top ?? Infinity), bottom: Math.max(rect.bottom, visible?.bottom ?? -Infinity) };
      onChange(visible);
    },
    { threshold: Array.from({ length: STEPS + 1 }, (_, i) => i / STEPS) },
  );
  const strips = Array.from({ length: STRIPS }, (_, i) => {
    const strip = document.createElement("div");
    Object.assign(strip.style, { position: "absolute", left: "0", right: "0", top: `${(i * 100) / STRIPS}%`, height: `${100 / STRIPS}%` });
    ruler.append(strip);
    observer.observe(strip);
    return strip;
  });
  // A frame that grows or shrinks while wholly in view keeps every strip wholly in view: no
  // fraction changes, so no observer speaks, and the part in view would stay the old height (a
  // frame grown from 150 to 915 px in a tall window still had its visible bottom at 150 px).
  // Observing the strips again makes each report where it is now.
  const again = () => strips.forEach((strip) => (observer.unobserve(strip), observer.observe(strip)));
  addEventListener("resize", again);
  document.body.append(ruler);
  return () => {
    removeEventListener("resize", again);
    observer.disconnect();
    ruler.remove();
  };
}

/** Starts reporting the height and following the visible bottom; returns the stop function. */
export function startAutoHeight(frame: Frame): () => void {
  if (frame.init.closable) return () => {};
  const root = document.documentElement;
  const stops: (() => void)[] = [];
  const inputs: HeightInputs = { content: -1, viewport: innerHeight, visible: undefined };
  let sent = -1;
  let settle: ReturnType<typeof setTimeout> | undefined;
  const emit = (height: number) => {
    sent = height;
    frame.emit("resize", { height });
  };
  const measure = () => ((inputs.viewport = innerHeight), heightToReport(inputs));
  /**
   * Says on the root for which content height the frame's answer is settled (no shrink pending),
   * as `data-em-height-settled`: the one sign, from outside, that a shrink the frame held back
   * (its guard) was decided rather than still waiting out SHRINK_SETTLE_MS. Tests wait on it.
   */
  const settled = (pending: boolean) => (pending ? root.removeAttribute(SETTLED) : root.setAttribute(SETTLED, `${inputs.content}`));
  /** `again`: the part the user sees changed, so the same height is worth asking for again. */
  const report = (again = false) => {
    if (inputs.content < 0) return;
    const height = measure();
    clearTimeout(settle);
    settled(height < sent);
    if (height > sent) emit(height);
    // A shrink waits until the content has stayed short for SHRINK_SETTLE_MS: a re-render or a
    // loading state that dips for a moment would otherwise pull the frame's lower part (and the
    // button the user is about to press there) away and back.
    else if (height < sent)
      settle = setTimeout(() => {
        const now = measure();
        if (now < sent) emit(now);
        settled(false);
      }, SHRINK_SETTLE_MS);
    // Asked again while the iframe is still taller, the host may now let it shrink further: the
    // SDK's guard depends on how far its page can still scroll, which the user just changed.
    else if (again && height < inputs.viewport) emit(height);
  };
  stops.push(() => (clearTimeout(settle), root.removeAttribute(SETTLED)));

  if (typeof ResizeObserver !== "undefined") {
    const resize = new ResizeObserver(() => {
      inputs.content = Math.ceil(root.getBoundingClientRect().height);
      report();
    });
    // The border box, as measured: a popup list reserves its room as padding (ui/popup-placement.ts).
    resize.observe(root, { box: "border-box" });
    stops.push(() => resize.disconnect());
  }
  if (typeof IntersectionObserver !== "undefined")
    stops.push(
      watchVisiblePart((visible) => {
        inputs.visible = visible;
        for (const edge of ["top", "bottom"] as const)
          if (visible) root.style.setProperty(`--em-visible-${edge}`, `${Math.round(visible[edge])}px`);
          else root.style.removeProperty(`--em-visible-${edge}`);
        report(true);
      }),
    );
  return () => stops.forEach((stop) => stop());
}
