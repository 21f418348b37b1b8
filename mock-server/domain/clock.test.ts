/**
 * `iso` keeps the last text of each millisecond of the second (the runs in flight interleave, each
 * formatting its own start and the current instant): whatever the order of the instants it is
 * given, each text must be `toISOString`'s own, and what `toISOString` refuses it refuses too.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { iso } from "./clock.ts";

const BASE = Date.UTC(2026, 11, 7, 4, 0, 59, 990);

describe("iso", () => {
  it("gives toISOString's text for every instant of any sequence: interleaved runs, second and day edges, a clock stepped back, fractions, before 1970, far years", () => {
    const near = fc.integer({ min: -3_000, max: 3_000 }).map((d) => BASE + d);
    const anywhere = fc.oneof(
      near,
      near.map((t) => t + 0.5),
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
      fc.double({ min: -8.64e15, max: 8.64e15, noNaN: true }),
      fc.constantFrom(0, -0, -1, 999, 1000, -999, -1000, -1001, 8.64e15, -8.64e15, Date.UTC(10000, 0, 1) - 1, Date.UTC(10000, 0, 1), Date.UTC(-1, 0, 1)),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof({ weight: 4, arbitrary: near }, { weight: 1, arbitrary: anywhere }), { minLength: 1, maxLength: 200 }), (instants) => {
        for (const instant of instants) expect(iso(instant)).toBe(new Date(instant).toISOString());
      }),
      { numRuns: 500 },
    );
  });

  it("two runs a millisecond apart, called in turn, each get their own text every time", () => {
    const texts = Array.from({ length: 6 }, (_, i) => iso(BASE + (i % 2)));
    expect(texts).toEqual(Array.from({ length: 6 }, (_, i) => new Date(BASE + (i % 2)).toISOString()));
  });

  it("refuses what toISOString refuses (NaN, beyond ±8.64e15 ms) with its RangeError, and the next instant is still right", () => {
    for (const bad of [Number.NaN, 8.64e15 + 1, -8.64e15 - 1, Number.POSITIVE_INFINITY]) {
      iso(BASE);
      expect(() => iso(bad)).toThrow(RangeError);
      expect(iso(BASE + 1)).toBe(new Date(BASE + 1).toISOString());
    }
  });
});
