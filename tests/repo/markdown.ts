/**
 * Just enough Markdown reading for docs.test.ts: fenced code blocks, relative links and the
 * anchors GitHub gives headings. Not a Markdown parser: the docs are ours, and this reads the
 * constructs they use (inline links and images, reference definitions, `<a href>`/`<img src>`,
 * ATX headings, ``` and ~~~ fences).
 */
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";

export interface CodeBlock {
  /** The info string's first word: `ts`, `tsx`, `sh`, … (empty when none). */
  lang: string;
  code: string;
  /** 1-based line of the first line of code (the line after the opening fence). */
  line: number;
}

export interface Link {
  target: string;
  line: number;
}

const FENCE = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)[^`]*$/;

/** The fenced code blocks of a page, and its text with every fenced line blanked (so line numbers hold). */
export function splitFences(text: string): { blocks: CodeBlock[]; prose: string } {
  const lines = text.split("\n");
  const blocks: CodeBlock[] = [];
  const prose: string[] = [];
  let open: { fence: string; lang: string; start: number; body: string[] } | undefined;
  lines.forEach((line, index) => {
    if (!open) {
      const match = FENCE.exec(line);
      if (match) {
        open = { fence: match[2]!, lang: match[3]!.toLowerCase(), start: index + 2, body: [] };
        prose.push("");
      } else prose.push(line);
      return;
    }
    const trimmed = line.trim();
    if (trimmed.startsWith(open.fence[0]!.repeat(open.fence.length)) && /^(`+|~+)$/.test(trimmed)) {
      blocks.push({ lang: open.lang, code: open.body.join("\n"), line: open.start });
      open = undefined;
    } else open.body.push(line);
    prose.push("");
  });
  if (open) throw new Error(`a code fence opened on line ${open.start - 1} is never closed`);
  return { blocks, prose: prose.join("\n") };
}

/** Blanks inline code spans (`` `like this` ``), keeping the line's length. */
const withoutCodeSpans = (line: string) => line.replace(/(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g, (span) => " ".repeat(span.length));

/** Every link target in a page's prose: inline links and images, reference definitions, HTML href/src. */
export function readLinks(text: string): Link[] {
  const links: Link[] = [];
  splitFences(text)
    .prose.split("\n")
    .forEach((raw, index) => {
      const line = withoutCodeSpans(raw);
      const add = (target: string) => links.push({ target: target.replace(/^<|>$/g, ""), line: index + 1 });
      for (const m of line.matchAll(/\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+["'(][^)]*)?\)/g)) add(m[1]!);
      for (const m of line.matchAll(/^\s{0,3}\[[^\]]+\]:\s*(\S+)/g)) add(m[1]!);
      for (const m of line.matchAll(/<(?:a|img)\b[^>]*\s(?:href|src)="([^"]+)"/gi)) add(m[1]!);
    });
  return links;
}

/** A link that leaves the repository: a scheme (`https:`, `mailto:`) or a protocol-relative URL. */
export const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//");

/**
 * The anchors of a page as GitHub renders them: each ATX heading's slug (lower case, markup and
 * punctuation other than `-` and `_` dropped, spaces as `-`, a repeat suffixed `-1`, `-2`, …),
 * plus any `id="…"` / `name="…"` of inline HTML.
 */
export function anchors(text: string): Set<string> {
  const found = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of splitFences(text).prose.split("\n")) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (heading) {
      const base = slug(heading[1]!);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      found.add(count ? `${base}-${count}` : base);
    }
    for (const m of line.matchAll(/<[a-z]+\b[^>]*\s(?:id|name)="([^"]+)"/gi)) found.add(m[1]!);
  }
  return found;
}

/** GitHub's heading slug (github-slugger): on the heading's text, not its Markdown. */
export function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // links and images: their text
    .replace(/<[^>]+>/g, "") // inline HTML
    .replace(/`/g, "");
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** README.md and every Markdown file under docs/, repo-relative with `/`. */
export function docPages(root: string): string[] {
  const pages = ["README.md"];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".md")) pages.push(relative(root, path).split(sep).join("/"));
    }
  };
  walk(join(root, "docs"));
  return pages.sort();
}
