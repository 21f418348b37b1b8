/** A vertical span in the frame's viewport (CSS px, as getBoundingClientRect gives). */
export interface Span {
  top: number;
  bottom: number;
}

/**
 * The part of the frame the user sees, in the frame's viewport: what autoHeight
 * (ui/auto-height.ts) writes on the root as --em-visible-top and --em-visible-bottom, kept inside
 * the iframe's height as it is now; the whole viewport when that is not known (no autoHeight).
 * Kept inside, because those come from IntersectionObservers, whose answers land after the frame
 * is drawn: an iframe the host has just made shorter still has its old, taller bottom there for a
 * frame, and a toast or a list placed on it would be drawn below the iframe's end.
 */
export function visiblePart(): Span {
  const root = document.documentElement.style;
  const top = parseFloat(root.getPropertyValue("--em-visible-top"));
  const bottom = parseFloat(root.getPropertyValue("--em-visible-bottom"));
  return Number.isFinite(top) && Number.isFinite(bottom) && bottom > top
    ? { top: Math.max(0, top), bottom: Math.min(innerHeight, bottom) }
    : { top: 0, bottom: innerHeight };
}
