/**
 * The rules that keep the tests deterministic (docs/testing.md), checked on every test file of
 * the repository, so a test added tomorrow follows them too. Each rule is also run on a line
 * that breaks it. What no regular expression can see — waiting for what the user sees rather
 * than for the clock — is the docs' and the reviewer's job; these are the mistakes that have
 * actually made tests flaky here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const SKIP_DIRS = new Set(["node_modules", "dist", ".git", "test-results", "coverage"]);

/** Test code: *.test.ts(x) anywhere, and the helpers under tests/ (the harness and friends). */
function testFiles(dir = root): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP_DIRS.has(entry.name) || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFiles(path));
    else if (/\.test\.tsx?$/.test(entry.name) || (/^tests\/[^/]+\.tsx?$/.test(relative(root, path)) && entry.name !== "wait-until.ts")) out.push(path);
  }
  return out;
}

interface Rule {
  id: string;
  why: string;
  /** The offending lines of a file (1-based line numbers). */
  find(lines: string[]): number[];
}

const matching = (pattern: RegExp, unless?: (lines: string[], i: number) => boolean) => (lines: string[]) =>
  lines.flatMap((line, i) => (pattern.test(line) && !unless?.(lines, i) ? [i + 1] : []));

/** A `// quiet period: …` comment on the line or the one before says what must NOT happen meanwhile. */
const explainedQuietPeriod = (lines: string[], i: number) => /\/\/ quiet period: \S/.test(lines[i]!) || /\/\/ quiet period: \S/.test(lines[i - 1] ?? "");

/** Whether the text before column `at` of line `i` is inside a template literal (an odd count of backticks since the file's start): a child process's script, whose prints the test reads. */
const inTemplate = (lines: string[], i: number, at: number) => (lines.slice(0, i).join("\n") + lines[i]!.slice(0, at)).split("`").length % 2 === 0;

export const RULES: Rule[] = [
  {
    id: "focused or skipped test",
    why: "`.only` silences every other test of the file and `.skip` silences this one: neither may land",
    find: matching(/\b(?:it|test|describe)\.(?:only|skip)\s*\(|\b(?:fit|fdescribe|xit|xdescribe)\s*\(/),
  },
  {
    id: "vi.waitFor with its own deadline",
    why: "vi.waitFor gives up after 1 s unless told otherwise, which a loaded machine exceeds: use waitUntil (tests/wait-until.ts) or testing-library's waitFor/findBy…, which have the one hang guard",
    find: matching(/\bvi\.waitFor\s*\(/),
  },
  {
    id: "a wait with a deadline of its own",
    why: "every wait shares one hang guard (tests/wait-guard.ts, Playwright's default): a shorter deadline on one wait is a speed check that the machine's load decides",
    find: matching(
      /\.waitFor\(\{[^}]*\btimeout:|\.(?:inputValue|textContent|click|fill|press)\(\{[^}]*\btimeout:|,\s*\{\}\s*,\s*\{[^}]*\btimeout:|expect\.poll\([^;]*,\s*\{[^}]*\btimeout:|\.poll\([^;]*,\s*\{[^}]*\btimeout:|waitForFunction\([^;]*\{[^}]*\btimeout:|waitForEvent\([^;]*\{[^}]*\btimeout:/,
    ),
  },
  {
    id: "a sleep that is not an explained quiet period",
    why: "a fixed pause before checking that something happened races the clock; wait for the condition instead. A pause is only for proving that something does NOT happen, and says so with `// quiet period: <what must not happen>`",
    find: matching(/\bwaitForTimeout\s*\(/, explainedQuietPeriod),
  },
  {
    id: "a debug print left in a test",
    why: "a test's console.log is a debugging line left behind (one landed in a P1 test): it asserts nothing and buries the suite's output. Assert what you wanted to see; a child process's script may print what its test reads",
    find: matching(/(?<!["'])\bconsole\.(?:log|debug|dir)\s*\(/, (lines, i) => inTemplate(lines, i, lines[i]!.search(/\bconsole\./))),
  },
];

describe("test files follow the determinism rules (docs/testing.md)", () => {
  const files = testFiles();

  it("finds the test files", () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.some((f) => f.endsWith("tests/a11y.test.ts"))).toBe(true);
    expect(files.some((f) => f.endsWith("tests/harness.ts"))).toBe(true);
  });

  for (const rule of RULES) {
    it(`no ${rule.id}`, () => {
      // This file spells the patterns out; its own lines are checked by the "breaks it" cases below.
      const offences = files
        .filter((f) => !f.endsWith("tests/repo/deterministic-tests.test.ts"))
        .flatMap((f) => rule.find(readFileSync(f, "utf8").split("\n")).map((n) => `${relative(root, f)}:${n}`));
      expect(offences, rule.why).toEqual([]);
    });
  }

  // The focused/skipped samples are spelled with a template so that a scan of the repository
  // for focused or skipped tests finds none in this file.
  it("each rule catches a line that breaks it, and lets the right way through", () => {
    const broken: Record<string, { bad: string[]; good: string[] }> = {
      "focused or skipped test": { bad: [`it.${"only"}("x", () => {});`, `describe.${"skip"}("x", () => {});`], good: ['it("x", () => {});', "const skip = 1;"] },
      "vi.waitFor with its own deadline": { bad: ["await vi.waitFor(() => expect(x).toBe(1));"], good: ["await waitUntil(() => expect(x).toBe(1));"] },
      "a wait with a deadline of its own": {
        bad: [
          'await frame.getByText("x").waitFor({ timeout: 20_000 });',
          "await expect.poll(events, { timeout: 15_000 }).toContain(\"ready\");",
          'expect(await screen.findByText("x", {}, { timeout: 3000 })).toBeTruthy();',
          "await frame.waitForFunction(() => ok, undefined, { timeout: 20_000 });",
        ],
        good: ['await frame.getByText("x").waitFor();', 'await expect.poll(events).toContain("ready");', "await expect.poll(count, { interval: 500 }).toBe(2);", "createMarketplace({ frameUrl, timeout: 3000 });"],
      },
      "a sleep that is not an explained quiet period": {
        bad: ["await page.waitForTimeout(300);"],
        good: ["await page.waitForTimeout(300); // quiet period: no forged event reaches the host", "// quiet period: nothing is deployed\nawait page.waitForTimeout(500);"],
      },
      "a debug print left in a test": {
        bad: ['    console.log("DEBUG", answer.status);', "const x = `a`;\nconsole.debug(x);"],
        good: ["killedWhile(path, `await batch(1); console.log(\"answered 1\");`);", 'const script = `\n  console.log("not killed");\n`;', 'vi.spyOn(console, "log");', 'writeFileSync(file, "console.log(1)");'],
      },
    };
    for (const rule of RULES) {
      const cases = broken[rule.id]!;
      for (const bad of cases.bad) expect(rule.find(bad.split("\n")), `${rule.id} misses: ${bad}`).not.toEqual([]);
      for (const good of cases.good) expect(rule.find(good.split("\n")), `${rule.id} flags: ${good}`).toEqual([]);
    }
  });

  it("the browser suite runs without retries, and so does the unit suite", () => {
    const config = readFileSync(join(root, "vite.config.ts"), "utf8");
    expect(config).toMatch(/name: "browser"[\s\S]*\bretry: 0\b/);
    expect(config.match(/\bretry:\s*(\d+)/g) ?? []).toEqual(["retry: 0"]);
  });
});
