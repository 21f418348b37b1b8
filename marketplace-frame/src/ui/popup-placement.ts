/**
 * Where a popup list (the combobox's listbox, ui/combobox.tsx) opens so that the user sees all of
 * it: an absolutely positioned list near the bottom of a frame is otherwise cut off by the iframe,
 * and its last options can be neither seen nor reached (the frame's document may scroll a little,
 * but nothing tells the user so). What the best embeds and the browser's own `<select>` do:
 * - below the input when it fits in the part of the frame the user sees, else above it when it
 *   fits there;
 * - in an autoHeight frame, which can grow, below or above where it fits in the frame (the host
 *   page then scrolls it into view), else below, with the frame growing to hold it while it is
 *   open (the list reserves room at the bottom of the frame's content; autoHeight reports the
 *   taller content at once, and gives the room back through its shrink rules once it closes);
 * - in a fixed-height frame or the popover, which cannot grow, on the side with more room, its
 *   height limited to that room, scrolling inside itself.
 * A list keeps its side while it still fits (a search that shortens it, the frame growing for it):
 * a list that jumped from one side to the other under the pointer would move the option aimed at.
 */
import type { RefObject } from "preact";
import { useLayoutEffect, useRef } from "preact/hooks";
import { visiblePart, type Span } from "./visible-part.ts";


export type Side = "down" | "up";

export interface PlacementInputs {
  /** The input the list belongs to. */
  anchor: Span;
  /** The list's height with nothing but its own CSS limits (`max-height` in styles.css). */
  natural: number;
  /** The space between the input and the list. */
  gap: number;
  /** The frame's viewport: the iframe as the host sized it. */
  frame: Span;
  /** The part of the frame the user sees (autoHeight knows it); the frame's viewport otherwise. */
  view: Span;
  /** The frame follows its content (autoHeight, inline): it can grow to hold the list. */
  grows: boolean;
  /** The side the list is open on now, kept while it still fits. */
  current?: Side;
}

export interface Placement {
  side: Side;
  /** A limit on the list's height (it scrolls inside); undefined: its natural height. */
  maxHeight?: number;
}

/** A limited list still shows about three options, even in a frame too short for that. */
const MIN_HEIGHT = 96;

/** Room kept between the list's far end and the edge of what holds it: its shadow. */
const SHADOW = 8;

export function placePopup(p: PlacementInputs): Placement {
  // The edge the list starts from (the gap past the input), and the room from there to the span's end.
  const start = (side: Side) => (side === "down" ? p.anchor.bottom + p.gap : p.anchor.top - p.gap);
  const room = (span: Span, side: Side) => (side === "down" ? span.bottom - start(side) : start(side) - span.top);
  // Wholly inside the span: it starts inside it, and it ends before the span's end, its shadow too.
  const fits = (span: Span, side: Side) => start(side) >= span.top - 0.5 && start(side) <= span.bottom + 0.5 && p.natural + SHADOW <= room(span, side) + 0.5;
  if (p.current && (fits(p.view, p.current) || (p.grows && fits(p.frame, p.current)))) return { side: p.current };
  for (const span of p.grows ? [p.view, p.frame] : [p.view]) {
    if (fits(span, "down")) return { side: "down" };
    if (fits(span, "up")) return { side: "up" };
  }
  if (p.grows) return { side: "down" };
  const side: Side = room(p.view, "down") >= room(p.view, "up") ? "down" : "up";
  return { side, maxHeight: Math.max(MIN_HEIGHT, Math.floor(room(p.view, side) - SHADOW)) };
}

/**
 * Keeps an open popup (`popup()`, absolutely positioned under `box`, its `top` in styles.css)
 * wholly visible: places it with `placePopup` when it opens, when `key` changes (its content) and
 * when the frame is resized or scrolled, by setting `data-side="up"` (styles.css puts it above)
 * and a `max-height`. In a frame that grows, it reserves room below the content for a list that
 * hangs below it and brings a list the host shows only in part into the host's view.
 */
export function usePopupPlacement(open: boolean, grows: boolean, box: RefObject<HTMLElement | null>, popup: () => HTMLElement | null | undefined, key: unknown): void {
  const side = useRef<Side | undefined>(undefined);
  if (!open) side.current = undefined;
  useLayoutEffect(() => {
    if (!open) return;
    const root = document.documentElement;
    let reserved = 0;
    const place = () => {
      const el = popup();
      const anchor = box.current;
      if (!el || !anchor) return;
      // Measured below the input with nothing of ours limiting it: its natural height and gap.
      delete el.dataset.side;
      el.style.maxHeight = "";
      const natural = el.getBoundingClientRect();
      const at = anchor.getBoundingClientRect();
      const frame = { top: 0, bottom: innerHeight };
      const view = grows ? visiblePart() : frame;
      const placement = placePopup({ anchor: at, natural: natural.height, gap: natural.top - at.bottom, frame, view, grows, current: side.current });
      side.current = placement.side;
      if (placement.side === "up") el.dataset.side = "up";
      if (placement.maxHeight !== undefined) el.style.maxHeight = `${placement.maxHeight}px`;
      if (!grows) return;
      // The room it needs below the content (without what it reserved already); the frame grows at once.
      const content = root.getBoundingClientRect().bottom - reserved;
      reserved = placement.side === "down" ? Math.max(0, Math.ceil(natural.bottom + SHADOW - content)) : 0;
      root.style.paddingBottom = reserved ? `${reserved}px` : "";
      // Once the frame holds it, a list below the host's fold (or above its top) is scrolled into
      // the host's view ("nearest" scrolls nothing when it is in view). Not before: that would
      // scroll the frame's own document by the part that does not fit yet.
      const shown = el.getBoundingClientRect();
      if (shown.top >= 0 && shown.bottom <= innerHeight) el.scrollIntoView({ block: "nearest" });
    };
    place();
    addEventListener("resize", place);
    addEventListener("scroll", place);
    return () => {
      removeEventListener("resize", place);
      removeEventListener("scroll", place);
      if (reserved) root.style.paddingBottom = "";
    };
  }, [open, key]);
}
