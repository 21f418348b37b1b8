/**
 * Data-source picklists, for the frame's wizard and the headless client alike: what a field's
 * options depend on right now, the request that fetches them (the current values of its
 * dependencies, never a secret: the platform asks the app with the connection it saved), and
 * which chosen values the answer no longer offers.
 */
import type { ConfigValueInput, ConfigVarDefinition, DataSourceResult } from "../contract/api-types.ts";
import { isUnset, type FormState } from "../contract/conditions.ts";
import type { InstancesApi } from "./instances-api.ts";

/** A picklist whose options come from the customer's account. */
export type DataSourceField = Extract<ConfigVarDefinition, { type: "picklist" }> & { dataSource: NonNullable<Extract<ConfigVarDefinition, { type: "picklist" }>["dataSource"]> };

export const isDataSourceField = (def: ConfigVarDefinition): def is DataSourceField => def.type == "picklist" && !!def.dataSource;


/**
 * The values of the fields a data source depends on, as the form holds them (a hidden one counts
 * as unset), and those that still need one: the options cannot be fetched before they have it.
 */
export function dependencies(def: DataSourceField, valueOf: (key: string) => unknown, state: FormState): { values: Record<string, ConfigValueInput>; missing: string[] } {
  const values: Record<string, ConfigValueInput> = {};
  const missing: string[] = [];
  for (const key of def.dataSource.dependsOn ?? []) {
    const value = state.fields[key]?.visible === false ? undefined : valueOf(key);
    if (isUnset(value)) missing.push(key);
    else values[key] = value as ConfigValueInput;
  }
  return { values, missing };
}

/** A key that changes exactly when the options may change: the dependencies' values. */
export const dependencyKey = (values: Readonly<Record<string, unknown>>): string => JSON.stringify(values);

/** Fetches a field's options for the current values (`search` narrows a long list on the platform). */
export function fetchOptions(api: Pick<InstancesApi, "dataSourceOptions">, instanceId: string, def: DataSourceField, values: Record<string, ConfigValueInput>, search?: string): Promise<DataSourceResult> {
  return api.dataSourceOptions(instanceId, def.key, { values, ...(search ? { search } : {}) });
}

/**
 * The chosen values an answer does not offer. Only a complete answer (not truncated, not a
 * search) can tell; otherwise nothing is reported.
 */
export function unavailableValues(value: unknown, result: DataSourceResult, searched = false): string[] {
  if (result.truncated || searched) return [];
  const offered = new Set(result.options.map((o) => o.value));
  const chosen = Array.isArray(value) ? value : isUnset(value) ? [] : [value];
  return chosen.filter((v): v is string => typeof v == "string" && !offered.has(v));
}
