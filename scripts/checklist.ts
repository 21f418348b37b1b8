/**
 * docs/checklist.md, generated and checked: every attack or fault row (`### C2`) with its rule,
 * and under it one line per test whose title names the row's id, so a grep from a test title
 * lands on its rule and a grep from a rule lands on its proof.
 *
 *   npx tsx scripts/checklist.ts           prints what is missing or stale (exit 1 if anything)
 *   npx tsx scripts/checklist.ts --write   rewrites the test lines from the test titles
 *
 * The rules (the text under each heading) are written by hand; the test lines are derived from
 * the titles of `it`/`test`/`describe` calls in every `*.test.ts(x)`, read with TypeScript's
 * parser. A row with no test yet carries one `- pending: issue N` line naming the issue that
 * owns it. tests/repo/checklist.test.ts runs the check in the unit suite.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const CHECKLIST_PAGE = "docs/checklist.md";

/** One test (or suite) title as written in its file. */
export interface TestTitle {
  /** Repo-relative, with `/`. */
  file: string;
  title: string;
  line: number;
}

const SKIPPED_DIRS = new Set(["node_modules", "dist", ".git", ".data", ".tmp", "test-results"]);
/** `it`, `test`, `describe`, `suite`, with modifiers: `it.each(rows)`, `describe.skipIf(x)`, `test.concurrent`, … */
const TEST_CALL = /^(it|test|describe|suite)(\.\w+)*$/;

/** Every test file of the repository, repo-relative. */
export function testFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (SKIPPED_DIRS.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.test\.tsx?$/.test(entry.name)) files.push(relative(root, path).split(sep).join("/"));
    }
  };
  walk(root);
  return files.sort();
}

/**
 * The titles of a file's tests and suites: a string literal's text, or a template literal as
 * written (`${…}` kept). A title computed some other way names no row anyone could grep for.
 */
export function readTitles(file: string, text: string): TestTitle[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const titles: TestTitle[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && node.arguments.length > 0) {
      // `it.each(rows)("title", …)`: the callee of the title call is itself a call.
      const callee = ts.isCallExpression(node.expression) ? node.expression.expression : node.expression;
      if (TEST_CALL.test(callee.getText(source))) {
        const first = node.arguments[0]!;
        const title = ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first) ? first.text : ts.isTemplateExpression(first) ? first.getText(source).slice(1, -1) : undefined;
        if (title !== undefined) titles.push({ file, title, line: source.getLineAndCharacterOfPosition(first.getStart(source)).line + 1 });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return titles;
}

export function readTestTitles(root: string): TestTitle[] {
  return testFiles(root).flatMap((file) => readTitles(file, readFileSync(join(root, file), "utf8")));
}

/** The ids a title names, among the families the checklist has (`C`, `E`, `A`, …): `C1 C2 …` → C1, C2. */
export function idsIn(title: string, families: ReadonlySet<string>): string[] {
  const ids = [...title.matchAll(/\b([A-Z])(\d{1,2})\b/g)].filter((m) => families.has(m[1]!)).map((m) => m[0]);
  return [...new Set(ids)];
}

/** A title as a Markdown code span that survives any backtick inside it. */
const codeSpan = (text: string) => {
  const ticks = "`".repeat(Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${ticks}${pad}${text}${pad}${ticks}`;
};

/** The line a test gets under each row it names. */
export const testLine = (test: Pick<TestTitle, "file" | "title">) => `- \`${test.file}\` · ${codeSpan(test.title)}`;

const HEADING = /^### ([A-Z]\d{1,2})\s*$/;
const TEST_LINE = /^- `([^`]+)` · (`+)(.*)\2\s*$/;
const PENDING_LINE = /^- pending\b/;

interface Row {
  id: string;
  /** 0-based index of the `### id` line. */
  heading: number;
  /** 0-based index of the line after the row (the next heading, or the end). */
  end: number;
  tests: { file: string; title: string; index: number }[];
  pending?: { index: number; text: string };
}

/** The rows of checklist.md, in order, and the indexes of test lines outside any row. */
export function parseChecklist(text: string): { rows: Row[]; stray: number[] } {
  const lines = text.split("\n");
  const rows: Row[] = [];
  const stray: number[] = [];
  lines.forEach((line, index) => {
    const heading = HEADING.exec(line);
    const open = rows.at(-1)?.end === lines.length ? rows.at(-1) : undefined;
    if (heading) {
      if (open) open.end = index;
      rows.push({ id: heading[1]!, heading: index, end: lines.length, tests: [] });
      return;
    }
    if (/^#{1,3} /.test(line) && open) open.end = index;
    const row = rows.at(-1);
    const test = TEST_LINE.exec(line);
    if (!row || index >= row.end) {
      if (test) stray.push(index);
      return;
    }
    if (test) {
      const raw = test[3]!;
      const title = raw.startsWith(" ") && raw.endsWith(" ") && raw.trim() !== "" && test[2]!.length > 1 ? raw.slice(1, -1) : raw;
      row.tests.push({ file: test[1]!, title, index });
    } else if (PENDING_LINE.test(line)) row.pending = { index, text: line };
  });
  return { rows, stray };
}

/** The checklist's id families: the letters of its `### X1` headings. */
export const familiesOf = (rows: readonly Row[]) => new Set(rows.map((row) => row.id[0]!));

/** Per row id, the lines its tests should have, sorted by file then title. */
function expectedLines(titles: readonly TestTitle[], families: ReadonlySet<string>): Map<string, string[]> {
  const byId = new Map<string, Set<string>>();
  for (const test of titles) for (const id of idsIn(test.title, families)) (byId.get(id) ?? byId.set(id, new Set()).get(id)!).add(testLine(test));
  return new Map([...byId].map(([id, lines]) => [id, [...lines].sort()]));
}

/**
 * What is wrong with checklist.md, each with the exact fix: a test whose title names a row it is
 * not listed under, a line naming a test that does not exist (or does not name that row), a row
 * with neither a test nor a pending line, a pending line on a row that now has tests.
 */
export function checklistProblems(text: string, titles: readonly TestTitle[]): string[] {
  const { rows, stray } = parseChecklist(text);
  const families = familiesOf(rows);
  const expected = expectedLines(titles, families);
  const lines = text.split("\n");
  const problems: string[] = [];
  const known = new Set(titles.map(testLine));
  const byId = new Map(rows.map((row) => [row.id, row]));

  for (const [id, wanted] of expected) {
    const row = byId.get(id);
    if (!row) {
      const users = titles.filter((t) => idsIn(t.title, families).includes(id)).map((t) => `${t.file}:${t.line}`);
      problems.push(`${id} is named by ${users.join(", ")} but ${CHECKLIST_PAGE} has no "### ${id}" row: add the row (its attack or fault and what passes), then its tests`);
      continue;
    }
    const listed = new Set(row.tests.map((t) => lines[t.index]!.trimEnd()));
    for (const line of wanted) if (!listed.has(line)) problems.push(`add under "### ${id}" in ${CHECKLIST_PAGE}:\n    ${line}`);
    if (row.pending) problems.push(`${CHECKLIST_PAGE}:${row.pending.index + 1}: "### ${id}" has tests now: remove "${row.pending.text}"`);
  }
  for (const row of rows) {
    for (const test of row.tests) {
      const line = lines[test.index]!.trimEnd();
      if (!known.has(line)) problems.push(`${CHECKLIST_PAGE}:${test.index + 1}: no test in ${test.file} is titled \`${test.title}\` (renamed or removed? fix or delete the line)`);
      else if (!idsIn(test.title, families).includes(row.id)) problems.push(`${CHECKLIST_PAGE}:${test.index + 1}: the title does not name ${row.id}: name the row in the test's title, or move the line`);
    }
    if (!row.tests.length && !row.pending) problems.push(`${CHECKLIST_PAGE}:${row.heading + 1}: "### ${row.id}" has no test: add its tests, or "- pending: issue N" naming the issue that owns it`);
    if (row.pending && !/\bissues? \d+/.test(row.pending.text)) problems.push(`${CHECKLIST_PAGE}:${row.pending.index + 1}: a pending line names the issue that owns the row ("- pending: issue N")`);
  }
  for (const index of stray) problems.push(`${CHECKLIST_PAGE}:${index + 1}: a test line outside any "### X1" row: move it under the row its title names`);
  const ids = rows.map((row) => row.id);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length) problems.push(`${CHECKLIST_PAGE} has these rows twice: ${[...new Set(twice)].join(", ")}`);
  return problems;
}

/** checklist.md with every row's test lines regenerated (rules and pending lines of rows without tests kept). */
export function regenerate(text: string, titles: readonly TestTitle[]): string {
  const { rows, stray } = parseChecklist(text);
  const expected = expectedLines(titles, familiesOf(rows));
  // A test line outside any row goes; the rows get theirs back from the titles.
  const lines = text.split("\n").map((line, index) => (stray.includes(index) ? undefined : line));
  // From the last row up, so earlier indexes stay valid.
  for (const row of [...rows].reverse()) {
    const wanted = expected.get(row.id) ?? [];
    const drop = new Set([...row.tests.map((t) => t.index), ...(row.pending && wanted.length ? [row.pending.index] : [])]);
    const body = lines.slice(row.heading + 1, row.end).filter((_, i) => !drop.has(row.heading + 1 + i));
    while (body.length && body.at(-1)?.trim() === "") body.pop();
    const next = [...body, ...(wanted.length ? ["", ...wanted] : []), ""];
    lines.splice(row.heading + 1, row.end - row.heading - 1, ...next);
  }
  return lines.filter((line) => line !== undefined).join("\n");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = join(import.meta.dirname, "..");
  const page = join(root, CHECKLIST_PAGE);
  const titles = readTestTitles(root);
  const text = readFileSync(page, "utf8");
  if (process.argv.includes("--write")) {
    const next = regenerate(text, titles);
    if (next !== text) writeFileSync(page, next);
  }
  const problems = checklistProblems(readFileSync(page, "utf8"), titles);
  for (const problem of problems) console.log(problem);
  if (problems.length) process.exit(1);
  console.log(`${CHECKLIST_PAGE}: every test title's checklist ids are listed, and every listed test exists`);
}
