/**
 * Where a popup list opens (ui/popup-placement.ts), case by case; the real-Chromium proof that the
 * last option can be seen and clicked is tests/popup-lists.test.ts.
 */
import { describe, expect, it } from "vitest";
import { placePopup, type PlacementInputs } from "./popup-placement.ts";

/** A 600 px frame, all of it in view, an input 40 px tall at `top`, a 250 px list 4 px from it (its shadow needs 8 more). */
const at = (top: number, more: Partial<PlacementInputs> = {}): PlacementInputs => ({
  anchor: { top, bottom: top + 40 },
  natural: 250,
  gap: 4,
  frame: { top: 0, bottom: 600 },
  view: { top: 0, bottom: 600 },
  grows: false,
  ...more,
});

describe("a popup list opens where the user sees all of it", () => {
  it("below the input when it fits there, above when it fits only there", () => {
    expect(placePopup(at(100))).toEqual({ side: "down" });
    expect(placePopup(at(500))).toEqual({ side: "up" });
    // Exactly the room it needs, its shadow included, is enough.
    expect(placePopup(at(600 - 40 - 4 - 250 - 8))).toEqual({ side: "down" });
    expect(placePopup(at(600 - 40 - 4 - 250 - 7))).toEqual({ side: "up" });
  });

  it("a fixed frame or the popover, where it fits on neither side: the side with more room, its height limited to that room", () => {
    const short = { frame: { top: 0, bottom: 300 }, view: { top: 0, bottom: 300 } };
    expect(placePopup(at(100, short))).toEqual({ side: "down", maxHeight: 300 - 140 - 4 - 8 });
    expect(placePopup(at(180, short))).toEqual({ side: "up", maxHeight: 180 - 4 - 8 });
    // Never so short that it shows less than about three options.
    expect(placePopup(at(20, { frame: { top: 0, bottom: 100 }, view: { top: 0, bottom: 100 } })).maxHeight).toBe(96);
  });

  it("an autoHeight frame: where the user sees it first, then anywhere in the frame, else below with the frame grown to hold it", () => {
    // The host shows only the frame's upper 400 px: above the input at 350 rather than below it.
    expect(placePopup(at(350, { grows: true, view: { top: 0, bottom: 400 } }))).toEqual({ side: "up" });
    // Seen from 200 px on, the input at 290: nothing fits in view, below fits in the frame.
    expect(placePopup(at(290, { grows: true, view: { top: 200, bottom: 400 } }))).toEqual({ side: "down" });
    // Never "in view" above an input that is itself below the part in view.
    expect(placePopup(at(290, { grows: true, view: { top: 0, bottom: 150 } }))).toEqual({ side: "down" });
    // A short frame: no room on either side; below, never limited (the frame grows).
    expect(placePopup(at(100, { grows: true, frame: { top: 0, bottom: 200 }, view: { top: 0, bottom: 200 } }))).toEqual({ side: "down" });
  });

  it("keeps the side it opened on while it still fits, so the option aimed at does not jump", () => {
    // Opened above; a search shortened it so that it would now fit below as well.
    expect(placePopup(at(300, { natural: 100, current: "up" }))).toEqual({ side: "up" });
    // The frame grew to hold it below, and the host shows only part of it: it stays below.
    const grown = { grows: true, frame: { top: 0, bottom: 420 }, view: { top: 0, bottom: 300 } };
    expect(placePopup(at(100, { ...grown, current: "down" }))).toEqual({ side: "down" });
    // No longer fitting on its side (a fixed frame made shorter), it is placed again.
    expect(placePopup(at(100, { current: "down", frame: { top: 0, bottom: 300 }, view: { top: 0, bottom: 300 } }))).toEqual({ side: "down", maxHeight: 148 });
  });
});
