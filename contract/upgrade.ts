/**
 * What upgrading an instance from one version of its integration to a later one does to the
 * customer's values, decided once: the platform runs it when an upgrade starts, when it says
 * whether an update needs the customer ("Update available"), and for the organization's bulk
 * upgrade and its dry run; the wizard and the org console show its answer (`UpgradePlan`).
 *
 * - A value whose key the newer version still has is kept; a key a version renamed
 *   (`migration.renamed`, declared by that version) moves its value to the new key, through
 *   every version on the way.
 * - A key the target version no longer has is removed.
 * - A field the old version did not have is new: the wizard shows it (with its default).
 * - Every kept or renamed value is checked against its field in the target version with the
 *   shared validator (validate-config.ts): one it now refuses is asked again, with the reason, and
 *   the instance keeps running the old version until the customer fixes it. Never a broken instance.
 * - The customer is needed (`needsInput`) only when some field has no acceptable value: a new
 *   required field without a default, or a carried value the new field refuses.
 * - The target version's rules (contract/conditions.ts) apply to the carried values: a field they
 *   hide is not asked, and a field is required as they say (`requiredWhen`), as in the wizard.
 */
import type { ConfigPage, ConfigVarDefinition } from "./config-vars.ts";
import type { IntegrationMigration } from "./catalog.ts";
import { configValueProblem } from "./validate-config.ts";
import { formState } from "./conditions.ts";

/** One version of an integration, as far as its values are concerned. */
export interface VersionShape {
  version?: number | undefined;
  configPages: readonly ConfigPage[];
  migration?: IntegrationMigration | undefined;
}

/** A field the upgrade shows the customer: new in the target version, or its carried value refused. */
export interface UpgradeAsk {
  key: string;
  /** The config page of the target version the field is on. */
  page: string;
  reason: "new" | "invalid";
  /** Why the field has no acceptable value yet (plain words, the validator's); absent when it has one. */
  problem?: string;
}

export interface UpgradePlan<V = unknown> {
  fromVersion: number;
  toVersion: number;
  /** The values as the target version takes them: kept and renamed ones (refused ones included, for the customer to fix), and new fields' defaults. */
  values: Record<string, V>;
  /** Keys kept as they were. */
  kept: string[];
  /** Keys whose value moved to a new key. */
  renamed: Array<{ from: string; to: string }>;
  /** Keys (of the old version) whose value the target version drops. */
  removed: string[];
  /** Keys of fields the old version did not have. */
  added: string[];
  /** What the wizard shows, in page and field order. */
  asks: UpgradeAsk[];
  /** The target version's pages that show something (the wizard walks only these). */
  pages: string[];
  /** Some field has no acceptable value without the customer: the upgrade cannot be applied for them. */
  needsInput: boolean;
}

const defaultOf = (field: ConfigVarDefinition): unknown => ("default" in field ? field.default : undefined);

/**
 * Plans the move of `values` (keyed by the old version's keys) from `from` to the last version of
 * `steps` — every version after `from` up to the target, in order (a rename is declared by the
 * version that made it, so none may be skipped). `problem` checks a value against its new field;
 * the platform adds its own checks (a revoked OAuth grant) to the shared validator's.
 */
export function planUpgrade<V>(
  from: VersionShape,
  steps: readonly VersionShape[],
  values: Readonly<Record<string, V>>,
  problem: (field: ConfigVarDefinition, value: unknown) => string | undefined = (field, value) => configValueProblem(field, value),
): UpgradePlan<V> {
  const target = steps.at(-1) ?? from;
  // Where each value and each old field's key stands after every rename so far.
  const current = new Map<string, { value: V; origin: string }>();
  for (const [key, value] of Object.entries(values)) current.set(key, { value, origin: key });
  const known = new Set(from.configPages.flatMap((p) => p.fields.map((f) => f.key)));
  for (const step of steps) {
    for (const { from: old, to } of step.migration?.renamed ?? []) {
      const moved = current.get(old);
      if (moved) {
        current.delete(old);
        current.set(to, moved);
      }
      if (known.delete(old)) known.add(to);
    }
  }

  const plan: UpgradePlan<V> = {
    fromVersion: from.version ?? 1,
    toVersion: target.version ?? 1,
    values: {},
    kept: [],
    renamed: [],
    removed: [],
    added: [],
    asks: [],
    pages: [],
    needsInput: false,
  };
  const targetKeys = new Set<string>();
  for (const page of target.configPages) {
    for (const field of page.fields) {
      targetKeys.add(field.key);
      const carried = current.get(field.key);
      const isNew = !known.has(field.key);
      if (carried) {
        plan.values[field.key] = carried.value;
        if (carried.origin === field.key) plan.kept.push(field.key);
        else plan.renamed.push({ from: carried.origin, to: field.key });
      }
      if (isNew) plan.added.push(field.key);
      // A new field starts at its default, as a new setup would.
      if (!carried && isNew && defaultOf(field) !== undefined) plan.values[field.key] = structuredClone(defaultOf(field)) as V;
    }
  }
  // The target's rules on the values it will have: which fields show and which are required.
  const state = formState(target.configPages, (key) => (Object.hasOwn(plan.values, key) ? plan.values[key] : undefined));
  for (const page of target.configPages) {
    if (!state.pages[page.name]?.visible) continue;
    for (const field of page.fields) {
      const rule = state.fields[field.key];
      if (rule && !rule.visible) continue;
      const isNew = plan.added.includes(field.key);
      const has = Object.hasOwn(plan.values, field.key);
      const ruled = { ...field, required: rule ? rule.required : !!field.required } as ConfigVarDefinition;
      const why = problem(ruled, has ? plan.values[field.key] : undefined);
      if (isNew || why !== undefined) {
        const carried = current.has(field.key);
        plan.asks.push({ key: field.key, page: page.name, reason: isNew && !carried ? "new" : "invalid", ...(why !== undefined ? { problem: why } : {}) });
        if (!plan.pages.includes(page.name)) plan.pages.push(page.name);
        if (why !== undefined) plan.needsInput = true;
      }
    }
  }
  for (const [key, { origin }] of current) if (!targetKeys.has(key)) plan.removed.push(origin);
  return plan;
}
