/**
 * The references between an integration's config pages, checked once and the same everywhere:
 * the platform refuses to load a definition that fails (naming the integration and the field),
 * and the frame and the headless client refuse to open a wizard on one that arrives anyway (an
 * older platform, a proxy's cache), with the same words, instead of hiding a field forever.
 *
 * - A rule (`visibleWhen`, `hiddenWhen`, `requiredWhen`, `disabledWhen`) names only fields that
 *   come before it: an earlier page, or earlier on the same page; a display element may also name
 *   any field of its own page. So one pass decides every rule, and none depends on itself.
 * - A data source's connection is a connection field on an earlier page (the platform asks the
 *   app with the saved connection; a secret never travels with a data-source request), and the
 *   fields it depends on come before it and are not connections.
 * - A generated key's name is not a field's; a webhook URL names a webhook flow.
 *
 * No zod: types only, so the headless entry pays for the checks, not for schemas.
 */
import { conditionFields, MAX_RULE_DEPTH, type Condition } from "./conditions.ts";
import type { ConfigPage } from "./config-vars.ts";

/** Where a definition is wrong (`configPages.<page>.<field>.<property>`) and why, in plain words. */
export interface ReferenceProblem {
  where: string;
  message: string;
}

function depth(c: Condition): number {
  if ("all" in c) return 1 + Math.max(...c.all.map(depth));
  if ("any" in c) return 1 + Math.max(...c.any.map(depth));
  if ("not" in c) return 1 + depth(c.not);
  return 1;
}

/**
 * The first wrong reference of a definition's config pages, or undefined. `flows` are the
 * integration's flows (ids and triggers) for the webhook-URL elements.
 */
export function pageReferenceProblem(
  pages: readonly ConfigPage[],
  flows: ReadonlyArray<{ id: string; trigger: { kind: string } }>,
): ReferenceProblem | undefined {
  const all = new Map(pages.flatMap((p, pageIndex) => p.fields.map((f) => [f.key, { field: f, pageIndex }] as const)));
  /** Fields that may be named from here on: those already passed. */
  const before = new Map<string, { type: string; pageIndex: number }>();
  const generated = new Set<string>();

  const checkRule = (where: string, c: Condition | undefined, known: ReadonlyMap<string, unknown>): ReferenceProblem | undefined => {
    if (!c) return undefined;
    if (depth(c) > MAX_RULE_DEPTH) return { where, message: `nests deeper than ${MAX_RULE_DEPTH} levels` };
    for (const key of conditionFields(c)) {
      if (!all.has(key)) return { where, message: `refers to the unknown field "${key}"` };
      if (!known.has(key)) return { where, message: `refers to the field "${key}", which comes after it (a rule may only depend on fields before it)` };
    }
    return undefined;
  };

  for (const [pageIndex, page] of pages.entries()) {
    const at = `configPages.${page.name}`;
    for (const rule of ["visibleWhen", "hiddenWhen", "disabledWhen"] as const) {
      const problem = checkRule(`${at}.${rule}`, page[rule], before);
      if (problem) return problem;
    }
    for (const field of page.fields) {
      const where = `${at}.${field.key}`;
      for (const rule of ["visibleWhen", "hiddenWhen", "requiredWhen", "disabledWhen"] as const) {
        const problem = checkRule(`${where}.${rule}`, field[rule], before);
        if (problem) return problem;
      }
      if (field.type === "picklist") {
        if (!field.options === !field.dataSource) return { where, message: "a picklist needs either options or a dataSource" };
        const source = field.dataSource;
        if (source) {
          const connection = before.get(source.connection);
          if (connection?.type !== "connection" || connection.pageIndex >= pageIndex) {
            return {
              where: `${where}.dataSource.connection`,
              message: all.has(source.connection)
                ? `"${source.connection}" must be a connection field on an earlier page`
                : `refers to the unknown field "${source.connection}"`,
            };
          }
          for (const dep of source.dependsOn ?? []) {
            const found = before.get(dep);
            if (!all.has(dep)) return { where: `${where}.dataSource.dependsOn`, message: `refers to the unknown field "${dep}"` };
            if (!found) return { where: `${where}.dataSource.dependsOn`, message: `refers to the field "${dep}", which comes after it` };
            if (found.type === "connection") return { where: `${where}.dataSource.dependsOn`, message: `"${dep}" is a connection; name it in dataSource.connection` };
          }
        }
      }
      before.set(field.key, { type: field.type, pageIndex });
    }
    // Display elements show above the fields but decide after them: any field of the page will do.
    for (const [i, element] of (page.content ?? []).entries()) {
      const where = `${at}.content.${i}`;
      for (const rule of ["visibleWhen", "hiddenWhen"] as const) {
        const problem = checkRule(`${where}.${rule}`, element[rule], before);
        if (problem) return problem;
      }
      if (element.kind === "generated-key") {
        if (all.has(element.key) || generated.has(element.key)) return { where: `${where}.key`, message: `"${element.key}" is already the name of a field or a generated key` };
        generated.add(element.key);
      }
      if (element.kind === "webhook-url" && flows.find((f) => f.id === element.flow)?.trigger.kind !== "webhook") {
        return { where: `${where}.flow`, message: `"${element.flow}" is not a webhook flow of this integration` };
      }
    }
  }
  return undefined;
}

/** Keys of the generated-key elements of a definition's pages (values the platform makes). */
export function generatedKeys(pages: readonly ConfigPage[]): string[] {
  return pages.flatMap((p) => (p.content ?? []).flatMap((e) => (e.kind === "generated-key" ? [e.key] : [])));
}
