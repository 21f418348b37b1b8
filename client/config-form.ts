/**
 * Config pages as a form, for the frame's wizard and the headless client alike: the values to
 * pre-fill (saved ones, else defaults; stored secrets left out), which stored secrets count as
 * given, where a wizard resumes, the contract's shared validation (the same plain-word messages
 * the platform gives), and the page payload as the platform takes it (an unchanged secret is
 * never re-sent, S2).
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
import { connectionInputOf, formFromStored } from "../contract/connection-form.ts";
import { configValueProblem } from "../contract/validate-config.ts";

/**
 * A value as a form holds it: what can be sent, or, for a stored OAuth connection, its state
 * (`{ kind: "oauth2", status }`). A stored API key or password is held as `{ kind }` (plus the
 * username): leaving it so keeps the stored secret.
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

/**
 * The page a wizard opens on: the first one the platform has not saved yet (the last when all
 * are), or the first when the instance is being reconfigured.
 */
export function resumeIndex(pages: readonly ConfigPage[], instance: Instance, reconfigure: boolean): number {
  if (reconfigure) return 0;
  const done = new Set(instance.completedPages);
  const index = pages.findIndex((p) => !done.has(p.name));
  return index == -1 ? Math.max(0, pages.length - 1) : index;
}

/** Field messages for a page's values (keys of other pages are ignored); `{}` when all are valid. */
export function pageProblems(page: ConfigPage, values: Readonly<Record<string, unknown>>, storedSecrets: ReadonlySet<string>): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const def of page.fields) {
    const problem = configValueProblem(def, values[def.key], { storedSecrets });
    if (problem !== undefined) problems[def.key] = problem;
  }
  return problems;
}

/**
 * The page's values as the platform takes them. An empty text or a number field without a
 * number is sent as `null` (cleared); a connection without a new secret is sent without one
 * (the stored one is kept); a stored OAuth grant is not sent at all.
 */
export function pagePayload(page: ConfigPage, valueOf: (key: string) => unknown): ConfigValuesInput {
  const out: ConfigValuesInput = {};
  for (const def of page.fields) {
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
