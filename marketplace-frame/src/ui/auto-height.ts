/**
 * autoHeight (opt-in, `createMarketplace({ autoHeight: true })`): the frame tells the host its
 * content height whenever it changes, so the host sizes the iframe to fit. A chunk of its own,
 * loaded only when the host asks for it: most hosts give the frame a fixed height, and the first
 * route's budget is better spent on the list (moved here from app.tsx, ~0.15 kB brotli).
 *
 * autoHeight also makes the frame as tall as its content, so its own viewport is the whole page
 * and a `position: fixed; bottom` toast sits at the frame's bottom, maybe far below the host's
 * fold. An IntersectionObserver in a cross-origin frame reports the part of the frame inside the
 * top-level viewport (no SDK help needed); toasts follow that part's bottom (styles.css reads
 * --em-visible-bottom). 101 thresholds: an update every 1 % of the frame's height scrolled.
 */
import type { Frame } from "../frame.ts";

/** Starts reporting the height and following the visible bottom; returns the stop function. */
export function startAutoHeight(frame: Frame): () => void {
  const root = document.documentElement;
  const stops: (() => void)[] = [];
  if (typeof ResizeObserver !== "undefined") {
    let last = -1;
    const resize = new ResizeObserver(() => {
      const height = Math.ceil(root.scrollHeight);
      if (height !== last) {
        last = height;
        frame.emit("resize", { height });
      }
    });
    resize.observe(document.body);
    stops.push(() => resize.disconnect());
  }
  if (typeof IntersectionObserver !== "undefined") {
    const visible = new IntersectionObserver(
      ([entry]) => {
        if (entry?.isIntersecting) root.style.setProperty("--em-visible-bottom", `${Math.round(entry.intersectionRect.bottom)}px`);
        else root.style.removeProperty("--em-visible-bottom");
      },
      { threshold: Array.from({ length: 101 }, (_, i) => i / 100) },
    );
    visible.observe(root);
    stops.push(() => visible.disconnect());
  }
  return () => stops.forEach((stop) => stop());
}
