/**
 * Config pages as a form, for the frame's wizard and the headless client alike: the values to
 * pre-fill (saved ones, else defaults; stored secrets left out), which stored secrets count as
 * given, where a wizard resumes, and the page payload as the platform takes it (an unchanged
 * secret is never re-sent, S2). A whole page's validation is page-problems.ts.
 */
import type {
  ConfigPage,
  ConfigValueInput,
  ConfigValuesInput,
  ConfigVarDefinition,
  ConnectionState,
  Instance,
  IntegrationDetail,
} from "../contract/api-types.ts";
import { formState, type FormState } from "../contract/conditions.ts";
import { connectionInputOf, formFromStored } from "../contract/connection-form.ts";

/**
 * A value as a form holds it: what can be sent, or, for a stored OAuth connection, its state
 * (`{ kind: "oauth2", status }`). A stored API key or password is held as `{ kind }` (plus the
 * username, and the id of the customer's connection that holds it): leaving it so keeps the
 * stored secret. `{ connectionId }` alone uses one of the customer's connections.
 *
 * @example
 * const value: FormValue = wizard.values.stripeKey; // { kind: "api-key" } once a key is stored
 */
export type FormValue = ConfigValueInput | ConnectionState;

/**
 * Form values keyed by config variable key.
 *
 * @example
 * const values: FormValues = integration.initialValues();
 */
export type FormValues = Record<string, FormValue>;

/** Keys of connection fields whose secret the platform already stores. */
export function storedSecretKeys(instance: Instance | undefined): Set<string> {
  const keys = new Set<string>();
  for (const [key, value] of Object.entries(instance?.configValues ?? {})) if (formFromStored(value).storedSecret) keys.add(key);
  return keys;
}

function defaultOf(def: ConfigVarDefinition): FormValue | undefined {
  if (def.type == "connection" || def.default === undefined) return undefined;
  if (def.type == "picklist" && def.multiple && typeof def.default == "string") return [def.default];
  return structuredClone(def.default);
}

/** Every field's starting value: what `instance` saved, else the field's default. */
export function initialValues(integration: IntegrationDetail, instance?: Instance): FormValues {
  const values: FormValues = {};
  for (const def of integration.configPages.flatMap((p) => p.fields)) {
    const saved = instance?.configValues[def.key];
    const value =
      saved === undefined || saved === null
        ? defaultOf(def)
        : def.type == "connection"
          ? (formFromStored(saved).form as FormValue | undefined)
          : (structuredClone(saved) as FormValue);
    if (value !== undefined) values[def.key] = value;
  }
  return values;
}

/** The integration's rules (contract/conditions.ts) for the values a form holds. */
export const rulesOf = (pages: readonly ConfigPage[], valueOf: (key: string) => unknown): FormState => formState(pages, valueOf);

/**
 * The page a wizard opens on: the first shown page the platform has not saved yet (the last shown
 * when all are), or the first shown when the instance is being reconfigured. A page the rules
 * hide is never opened.
 */
export function resumeIndex(pages: readonly ConfigPage[], instance: Instance, reconfigure: boolean, state: FormState): number {
  const shown = pages.flatMap((p, i) => (state.pages[p.name]?.visible ? [i] : []));
  const done = new Set(reconfigure ? [] : instance.completedPages);
  return shown.find((i) => !done.has(pages[i]!.name)) ?? shown.at(-1) ?? 0;
}

/**
 * The page's values as the platform takes them. An empty text or a number field without a
 * number is sent as `null` (cleared); a connection without a new secret is sent without one
 * (the stored one is kept); a stored OAuth grant is not sent at all. A field the rules hide is
 * not sent (the form keeps it, should it show again), nor is one they disable (the platform keeps
 * its stored value).
 */
export function pagePayload(page: ConfigPage, valueOf: (key: string) => unknown, state: FormState): ConfigValuesInput {
  const out: ConfigValuesInput = {};
  for (const def of page.fields) {
    const rule = state.fields[def.key];
    if (rule && (!rule.visible || rule.disabled)) continue;
    const v = valueOf(def.key);
    if (def.type == "connection") {
      const input = connectionInputOf(v);
      if (input) out[def.key] = input;
    } else if (v === undefined || v === "" || (def.type == "number" && typeof v != "number")) {
      out[def.key] = null;
    } else {
      out[def.key] = v as ConfigValueInput;
    }
  }
  return out;
}
