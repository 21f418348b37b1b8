import { describe, expect, it } from "vitest";
import { createLocaleState } from "../state/locale.ts";
import { duration, relativeTime } from "./format.ts";

describe("time and duration formatting", () => {
  const now = Date.parse("2026-11-29T12:00:00Z");
  const at = (secondsFromNow: number) => new Date(now + secondsFromNow * 1000).toISOString();

  it("uses the largest unit that fits, in the past and the future", () => {
    const l = createLocaleState();
    expect(relativeTime(l, at(-30), now)).toBe("30 seconds ago");
    expect(relativeTime(l, at(300), now)).toBe("in 5 minutes");
    expect(relativeTime(l, at(-7200), now)).toBe("2 hours ago");
    expect(relativeTime(l, at(-86400), now)).toBe("yesterday");
  });

  it("follows the active locale", async () => {
    const l = createLocaleState();
    await l.setLocale("de", undefined).loaded;
    expect(relativeTime(l, at(300), now)).toBe("in 5 Minuten");
    expect(duration(l, 1234)).toBe("1,2 s");
    expect(duration(l, 850)).toBe("850 ms");
  });
});
