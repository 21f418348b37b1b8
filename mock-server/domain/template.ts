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
export function templatePaths(template: string): { paths: string[] } | { error: string } {
  const paths: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const path = match[1];
    if (!PATH.test(path)) return { error: `"{{${path}}}" is not a dotted path` };
    const root = path.split(".")[0];
    if (!(TEMPLATE_ROOTS as readonly string[]).includes(root)) {
      return { error: `"{{${path}}}" must start with one of ${TEMPLATE_ROOTS.join(", ")}` };
    }
    paths.push(path);
  }
  const stripped = template.replace(PLACEHOLDER, "");
  if (stripped.includes("{{") || stripped.includes("}}")) return { error: "has an unbalanced {{ or }}" };
  return { paths };
}

export function lookup(context: unknown, path: string): unknown {
  let current: unknown = context;
  for (const segment of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** Resolves a template against the context. */
export function render(template: string, context: TemplateContext): unknown {
  const whole = WHOLE.exec(template);
  if (whole) return lookup(context, whole[1]);
  return template.replace(PLACEHOLDER, (_, path: string) => asText(lookup(context, path)));
}

/** Resolves a template to text (for paths and messages). */
export function renderText(template: string, context: TemplateContext): string {
  return asText(render(template, context));
}
