/**
 * Review of `iso`'s cache (the ISO texts of the current second, by millisecond): every millisecond
 * of a second before 1970, of 1970's first second and of the last second `Date` can show, each
 * asked twice in a scrambled order, alternating with a second clock a second behind (each turn
 * moves the kept second back and forth), gives `toISOString`'s own text; so do -0 and a fraction
 * asked between two whole milliseconds of the kept second.
 */
import { expect, it } from "vitest";
import { iso } from "./clock.ts";

const SECONDS = [-1000, 0, 8.64e15 - 1000];

it("every millisecond of seconds before 1970, at 1970 and at the end of Date's range, asked twice in a scrambled order beside a clock a second behind, is toISOString's text", () => {
  const wrong: string[] = [];
  for (const second of SECONDS) {
    for (let turn = 0; turn < 2000; turn++) {
      const ms = (turn * 7919) % 1000;
      const own = second + ms;
      const behind = second - 1000 + ((ms * 13) % 1000);
      for (const instant of turn % 3 === 0 ? [own, behind] : [own]) {
        if (iso(instant) !== new Date(instant).toISOString()) wrong.push(`${instant}: ${iso(instant)}`);
      }
    }
  }
  expect(wrong).toEqual([]);
});

it("-0, and a fraction between two whole milliseconds of the kept second, give toISOString's text and leave the kept texts right", () => {
  const base = Date.UTC(2026, 11, 7, 4, 30, 0, 500);
  expect(iso(base)).toBe(new Date(base).toISOString());
  expect(iso(-0)).toBe("1970-01-01T00:00:00.000Z");
  expect(iso(base)).toBe(new Date(base).toISOString());
  expect(iso(base + 0.75)).toBe(new Date(base + 0.75).toISOString());
  expect(iso(base + 1)).toBe(new Date(base + 1).toISOString());
  expect(iso(base - 0.25)).toBe(new Date(base - 0.25).toISOString());
  expect(iso(base)).toBe(new Date(base).toISOString());
});
