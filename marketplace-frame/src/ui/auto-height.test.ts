/**
 * Which height an autoHeight frame asks for: it grows at once and shrinks to its content, except
 * while its top is scrolled out of view, when it gives back only what lies below the part the
 * user sees (so no scroll position of the host can clamp and move the frame under the pointer).
 */
import { describe, expect, it } from "vitest";
import { heightToReport } from "./auto-height.ts";

describe("heightToReport", () => {
  it("grows to the content wherever the user has scrolled", () => {
    expect(heightToReport({ content: 900, viewport: 600, visible: { top: 300, bottom: 600 } })).toBe(900);
    expect(heightToReport({ content: 900, viewport: 600, visible: undefined })).toBe(900);
  });

  it("shrinks to the content while its top is in view, or while none of it is", () => {
    expect(heightToReport({ content: 400, viewport: 1400, visible: { top: 0, bottom: 700 } })).toBe(400);
    expect(heightToReport({ content: 400, viewport: 1400, visible: { top: 0, bottom: 1400 } })).toBe(400);
    expect(heightToReport({ content: 400, viewport: 1400, visible: undefined })).toBe(400);
  });

  it("while its top is scrolled out of view, gives back only the part below the visible bottom (plus the ruler's step)", () => {
    // The user sees 600.5 to 1100.5 of 1400 px: 1100.5 + 0.7 (0.05 %), rounded up, + 1 stays.
    expect(heightToReport({ content: 400, viewport: 1400, visible: { top: 600.5, bottom: 1100.5 } })).toBe(1103);
    // The content reaches further than that: the content's height.
    expect(heightToReport({ content: 1200, viewport: 1400, visible: { top: 600, bottom: 1100 } })).toBe(1200);
    // Its bottom is in view: it keeps its height (a box scrolled to its end would clamp).
    expect(heightToReport({ content: 400, viewport: 1400, visible: { top: 900, bottom: 1400 } })).toBe(1400);
  });
});
