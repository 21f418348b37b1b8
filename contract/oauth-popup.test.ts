import { describe, expect, it } from "vitest";
import { isPopupSide, isPopupSize, POPUP_SIZE_EXPECTED } from "./oauth-popup.ts";

describe("the OAuth popup's size", () => {
  it.each([
    [{ width: 640, height: 900 }, true],
    [{ width: 200 }, true],
    [{ height: 4000 }, true],
    [{}, true],
    [{ width: undefined, height: 700 }, true],
    [{ width: 199 }, false],
    [{ height: 4001 }, false],
    [{ width: "600" }, false],
    [{ widht: 600 }, false],
    [{ width: 600, left: 10 }, false],
    ["600x700", false],
    [null, false],
    [[600, 700], false],
  ])("%j: %s", (size, ok) => expect(isPopupSize(size)).toBe(ok));

  it("one side, as the frame takes it", () => {
    expect([199, 200, 800.4, 4000, 4001, Number.NaN, "700", undefined].map(isPopupSide)).toEqual([false, true, true, true, false, false, false, false]);
  });

  it("says its numbers in the message", () => expect(POPUP_SIZE_EXPECTED).toBe("{ width, height } from 200 to 4000"));
});
