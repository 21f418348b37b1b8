/**
 * package.json's `engines` is true: it names exactly the Node lines .ci/run tests (the main suite
 * on MAIN_NODE_LINE, the unit suite and `npm start` on NODE_LINES), and the Node running this
 * test satisfies it — the unit suite runs on every one of those lines, so each run checks its own.
 * Each line's floor is the toolchain's (vite 8 and rolldown need ^20.19 or >=22.12).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const engines: string = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).engines.node;
const ci = readFileSync(join(root, ".ci/run"), "utf8");

/** `^20.19 || ^22.12 || ^24` → [{ major: 20, minor: 19 }, …]; throws on any other grammar. */
function caretRanges(range: string): { major: number; minor: number }[] {
  return range.split("||").map((part) => {
    const match = /^\^(\d+)(?:\.(\d+))?$/.exec(part.trim());
    if (!match) throw new Error(`engines.node: "${part.trim()}" is not a ^major(.minor) range`);
    return { major: Number(match[1]), minor: Number(match[2] ?? 0) };
  });
}

function ciList(name: string): number[] {
  const match = new RegExp(`^${name}="([\\d ]+)"$`, "m").exec(ci);
  if (!match) throw new Error(`.ci/run has no ${name}="…" line`);
  return match[1]!.trim().split(/\s+/).map(Number);
}

describe("package.json engines", () => {
  it("names exactly the Node lines .ci/run tests", () => {
    const tested = [...ciList("MAIN_NODE_LINE"), ...ciList("NODE_LINES")].sort((a, b) => a - b);
    expect(caretRanges(engines).map((range) => range.major)).toEqual(tested);
  });

  it(`is satisfied by the Node running this test (${process.version})`, () => {
    const [major, minor] = process.versions.node.split(".").map(Number);
    expect(caretRanges(engines).some((range) => range.major === major && minor! >= range.minor)).toBe(true);
  });

  it("reads only ^major(.minor) ranges", () => {
    expect(caretRanges("^20.19 || ^24")).toEqual([{ major: 20, minor: 19 }, { major: 24, minor: 0 }]);
    expect(() => caretRanges(">=20")).toThrow('">=20" is not a ^major(.minor) range');
  });
});
