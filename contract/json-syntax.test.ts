import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonSyntaxError } from "./json-syntax.ts";

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe("JSON syntax locator", () => {
  it.each([
    ['{"a": [1, 2.5e-3, true, null, "x\\u00e9\\n"]}', undefined],
    ["  []  ", undefined],
    ['{"a": }', { offset: 6, line: 1, column: 7, end: false }],
    ['{"a": 1,}', { offset: 8, line: 1, column: 9, end: false }],
    ["[1 2]", { offset: 3, line: 1, column: 4, end: false }],
    ['{\n  "a": tru\n}', { offset: 9, line: 2, column: 8, end: false }],
    ['{"a": [1,\n', { offset: 10, line: 2, column: 1, end: true }],
    // A string that is not one (unterminated, a bad escape, a raw line break) is marked at its opening quote.
    ['"unterminated', { offset: 0, line: 1, column: 1, end: false }],
    ['["ok", "bad \\x escape"]', { offset: 7, line: 1, column: 8, end: false }],
    ['{"a":\n "line\nbreak"}', { offset: 7, line: 2, column: 2, end: false }],
    ["[]]", { offset: 2, line: 1, column: 3, end: false }],
    ['{"a" 1}', { offset: 5, line: 1, column: 6, end: false }],
    ["[1,]", { offset: 3, line: 1, column: 4, end: false }],
    ["[}", { offset: 1, line: 1, column: 2, end: false }],
    ['{"a":1]', { offset: 6, line: 1, column: 7, end: false }],
    ["01", { offset: 1, line: 1, column: 2, end: false }],
    ["", { offset: 0, line: 1, column: 1, end: true }],
    ["{} {}", { offset: 3, line: 1, column: 4, end: false }],
    ["{'a': 1}", { offset: 1, line: 1, column: 2, end: false }],
  ])("%j → %j", (text, expected) => {
    expect(jsonSyntaxError(text)).toEqual(expected);
  });

  it("agrees with JSON.parse on what is JSON, for JSON texts with one character changed and for random text", () => {
    const mutated = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom("", "{", "}", "[", "]", ",", ":", '"', "\\", "0", "-", "e", "t", " ", "\n", "\u0001"))
      .map(([json, at, c]) => {
        const i = json.length ? at % json.length : 0;
        return json.slice(0, i) + c + json.slice(i + 1);
      });
    fc.assert(
      fc.property(fc.oneof(fc.json(), mutated, fc.string()), (text) => {
        const found = jsonSyntaxError(text);
        expect(found === undefined).toBe(parses(text));
        if (found) expect(found.offset).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 3000 },
    );
  });

  it("finds the place in a deeply nested text without overflowing the stack", () => {
    const deep = "[".repeat(200_000) + "x";
    expect(jsonSyntaxError(deep)).toMatchObject({ offset: 200_000, end: false });
  });
});
