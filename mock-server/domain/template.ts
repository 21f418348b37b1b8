/**
 * `{{path}}` templates in flow steps, read from the run context: `payload.*`, `config.*`,
 * `steps.<name>.*`, `instance.*`, `customer.*`. A template that is exactly one placeholder keeps
 * the value's type (an object stays an object); otherwise values are spliced in as text.
 * Only own properties are read, so `__proto__` or `constructor` resolve to nothing.
 */

export const TEMPLATE_ROOTS = ["payload", "config", "steps", "instance", "customer"] as const;
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const WHOLE = /^\{\{\s*([^{}]*?)\s*\}\}$/;
const PATH = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;

export type TemplateContext = Record<(typeof TEMPLATE_ROOTS)[number], unknown>;

/** The placeholders of a template, or an error in plain words. */
export function templatePaths(template: string, roots: readonly string[] = TEMPLATE_ROOTS): { paths: string[] } | { error: string } {
  const paths: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const path = match[1];
    if (!PATH.test(path)) return { error: `"{{${path}}}" is not a dotted path` };
    const root = path.split(".")[0];
    if (!roots.includes(root)) {
      return { error: `"{{${path}}}" must start with one of ${roots.join(", ")}` };
    }
    paths.push(path);
  }
  const stripped = template.replace(PLACEHOLDER, "");
  if (stripped.includes("{{") || stripped.includes("}}")) return { error: "has an unbalanced {{ or }}" };
  return { paths };
}

function lookupSegments(context: unknown, segments: readonly string[]): unknown {
  let current: unknown = context;
  for (const segment of segments) {
    if (current === null || typeof current !== "object") return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

export function lookup(context: unknown, path: string): unknown {
  return lookupSegments(context, path.split("."));
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/**
 * A template parsed once: either exactly one placeholder (keeps the value's type) or literal
 * text and placeholders in turn. Flows run the same few catalog templates on every webhook call,
 * so parsing (two regular expressions and a split per placeholder) is done once per template.
 */
type Compiled = { whole: readonly string[] } | { parts: readonly (string | readonly string[])[] };

const compiled = new Map<string, Compiled>();
/** Templates come from loaded catalogs (a bounded set); the cap only guards against misuse. */
const MAX_COMPILED = 10_000;

function compile(template: string): Compiled {
  let found = compiled.get(template);
  if (found) return found;
  const whole = WHOLE.exec(template);
  if (whole) found = { whole: whole[1].split(".") };
  else {
    const parts: (string | readonly string[])[] = [];
    let last = 0;
    for (const match of template.matchAll(PLACEHOLDER)) {
      if (match.index > last) parts.push(template.slice(last, match.index));
      parts.push(match[1].split("."));
      last = match.index + match[0].length;
    }
    if (last < template.length) parts.push(template.slice(last));
    found = { parts };
  }
  if (compiled.size >= MAX_COMPILED) compiled.clear();
  compiled.set(template, found);
  return found;
}

/** Resolves a template against the context (a flow's run, or a data source's `{ config }` / `{ record }`). */
export function render(template: string, context: Partial<Record<string, unknown>>): unknown {
  const c = compile(template);
  if ("whole" in c) return lookupSegments(context, c.whole);
  let out = "";
  for (const part of c.parts) out += typeof part === "string" ? part : asText(lookupSegments(context, part));
  return out;
}

/** Resolves a template to text (for paths and messages). */
export function renderText(template: string, context: Partial<Record<string, unknown>>): string {
  return asText(render(template, context));
}
