/**
 * docs/checklist.md and the test titles agree (scripts/checklist.ts): every test whose title
 * names a checklist row (`C2 …`, `A1 A5 …`) is listed under that row, every listed test exists
 * and names its row, and every row has a test or a pending line naming the issue that owns it.
 * The failure message is the exact line to add or fix; `npm run checklist` writes them all.
 * The checker's own rules are run on small inputs below, so it cannot pass by checking nothing.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CHECKLIST_PAGE, checklistProblems, idsIn, readTestTitles, readTitles, regenerate, testLine, type TestTitle } from "../../scripts/checklist.ts";

const root = join(import.meta.dirname, "../..");

describe("docs/checklist.md", () => {
  it("lists every test under each checklist row its title names, and names only tests that exist", () => {
    const problems = checklistProblems(readFileSync(join(root, CHECKLIST_PAGE), "utf8"), readTestTitles(root));
    expect(problems, `fix these (or run \`npm run checklist\`):\n${problems.join("\n")}\n`).toEqual([]);
    // A hang guard, not a speed check: it parses every test file of the repository.
  }, 120_000);
});

describe("the checklist checker", () => {
  const page = [
    "# Checklist",
    "",
    "## Channel",
    "",
    "### C1",
    "",
    "**Attack or fault:** a message from another origin. **Pass:** ignored.",
    "",
    "- `a.test.ts` · `C1 ignores another origin`",
    "",
    "### C2",
    "",
    "**Attack or fault:** look-alike origins. **Pass:** rejected.",
    "",
    "- pending: issue 13",
    "",
    "## Platform",
    "",
    "### P1",
    "",
    "**Attack or fault:** SIGKILL. **Pass:** nothing lost.",
    "",
    "- pending: issue 18",
    "",
  ].join("\n");
  const title = (file: string, text: string): TestTitle => ({ file, title: text, line: 1 });
  const c1 = title("a.test.ts", "C1 ignores another origin");

  it("passes a checklist that matches the titles", () => {
    expect(checklistProblems(page, [c1])).toEqual([]);
  });

  it("asks for the exact line of a test that names a row it is not listed under", () => {
    const c1c2 = title("b.test.ts", "C1 C2 refuses a look-alike origin");
    const problems = checklistProblems(page, [c1, c1c2]);
    expect(problems).toContain(`add under "### C1" in ${CHECKLIST_PAGE}:\n    - \`b.test.ts\` · \`C1 C2 refuses a look-alike origin\``);
    expect(problems).toContain(`add under "### C2" in ${CHECKLIST_PAGE}:\n    - \`b.test.ts\` · \`C1 C2 refuses a look-alike origin\``);
    expect(problems.some((p) => p.includes('"### C2" has tests now: remove "- pending: issue 13"'))).toBe(true);
  });

  it("flags a listed test that does not exist, and a row with neither a test nor a pending line", () => {
    expect(checklistProblems(page, [])).toEqual([
      `${CHECKLIST_PAGE}:9: no test in a.test.ts is titled \`C1 ignores another origin\` (renamed or removed? fix or delete the line)`,
    ]);
    const bare = page.replace("- pending: issue 18", "");
    expect(checklistProblems(bare, [c1])).toEqual([`${CHECKLIST_PAGE}:19: "### P1" has no test: add its tests, or "- pending: issue N" naming the issue that owns it`]);
    expect(checklistProblems(page.replace("- pending: issue 18", "- pending"), [c1])[0]).toMatch(/names the issue that owns the row/);
  });

  it("flags a line under a row its title does not name, a row named by no heading, and a test line outside any row", () => {
    const moved = page.replace("- pending: issue 13", "- `a.test.ts` · `C1 ignores another origin`");
    expect(checklistProblems(moved, [c1])).toContain(`${CHECKLIST_PAGE}:15: the title does not name C2: name the row in the test's title, or move the line`);
    const p9 = title("c.test.ts", "P9 a row nobody wrote");
    expect(checklistProblems(page, [c1, p9])[0]).toMatch(/^P9 is named by c\.test\.ts:1 but docs\/checklist\.md has no "### P9" row/);
    const stray = page.replace("## Platform\n", "## Platform\n\n- `a.test.ts` · `C1 ignores another origin`\n");
    expect(checklistProblems(stray, [c1])).toContain(`${CHECKLIST_PAGE}:19: a test line outside any "### X1" row: move it under the row its title names`);
  });

  it("regenerates the test lines from the titles: sorted, pending lines dropped where tests exist, rules kept", () => {
    const c2 = title("b.test.ts", "C2 refuses `*`");
    const next = regenerate(page, [c2, c1]);
    expect(checklistProblems(next, [c1, c2])).toEqual([]);
    expect(next).toContain("**Attack or fault:** look-alike origins. **Pass:** rejected.\n\n- `b.test.ts` · `` C2 refuses `*` ``\n\n## Platform");
    expect(next).toContain("- pending: issue 18");
    expect(regenerate(next, [c1, c2])).toBe(next);
    expect(testLine({ file: "x.test.ts", title: "`quoted`" })).toBe("- `x.test.ts` · `` `quoted` ``");
  });

  it("reads ids only of the checklist's families, as whole words", () => {
    const families = new Set(["C", "D", "H"]);
    expect(idsIn("C1 C2 D9 ignore V8's stack, ES256 and H12", families)).toEqual(["C1", "C2", "D9", "H12"]);
    expect(idsIn("fires execution-failed (D8); C10x is not an id", families)).toEqual(["D8"]);
  });

  it("reads titles of it, test and describe calls, their modifiers and table forms", () => {
    const source = [
      'describe("D6 network state", () => {',
      '  it("C1 plain", () => {});',
      "  it.each([1, 2])(\"C2 refuses %s\", () => {});",
      "  test.concurrent(`C3 ${'template'} kept`, () => {});",
      '  it.skipIf(false)("C4 modifier with a call", () => {});',
      "  it(computedTitle, () => {});",
      '  expect("C5 not a test").toBe("C5 not a test");',
      "});",
    ].join("\n");
    expect(readTitles("x.test.ts", source).map((t) => `${t.line} ${t.title}`)).toEqual([
      "1 D6 network state",
      "2 C1 plain",
      "3 C2 refuses %s",
      "4 C3 ${'template'} kept",
      "5 C4 modifier with a call",
    ]);
  });
});
