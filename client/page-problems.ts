/**
 * A config page's validation for the headless client: the contract's shared checks
 * (contract/validate-config.ts, the same plain-word messages the platform gives) on the fields
 * the integration's rules show and enable. A module of its own, apart from config-form.ts: the
 * headless client loads it (with the schedule and XML checks behind it) as a chunk, alongside
 * the first integration it fetches, so an entry that only lists integrations never bundles it.
 */
import type { ConfigPage, ConfigVarDefinition } from "../contract/api-types.ts";
import type { FormState } from "../contract/conditions.ts";
import { configValueProblem } from "../contract/validate-config.ts";

/** The field as its rules make it now: required while `requiredWhen` holds, never when hidden or disabled. */
const ruled = (def: ConfigVarDefinition, state: FormState): ConfigVarDefinition => ({ ...def, required: state.fields[def.key]?.required ?? !!def.required });

/**
 * Field messages for a page's values (keys of other pages are ignored); `{}` when all are valid.
 * A field the rules hide or disable is not checked.
 */
export function pageProblems(page: ConfigPage, values: Readonly<Record<string, unknown>>, storedSecrets: ReadonlySet<string>, state: FormState): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const def of page.fields) {
    const rule = state.fields[def.key];
    if (rule && (!rule.visible || rule.disabled)) continue;
    const problem = configValueProblem(ruled(def, state), values[def.key], { storedSecrets });
    if (problem !== undefined) problems[def.key] = problem;
  }
  return problems;
}
