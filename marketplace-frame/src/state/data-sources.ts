/**
 * The wizard's data-source picklists in the frame: one state per field, held by the wizard (not
 * by the component), so going back and forth, restyling or a failed request never loses what was
 * loaded or chosen. The client core (client/data-source.ts, client/wizard.ts) knows what a field
 * depends on and asks the platform; this file adds the frame's lifecycle:
 *
 * - Loading starts when the field shows, and again when a value it depends on changes (the
 *   latest answer wins: an older one arriving late is dropped).
 * - A value chosen under other dependencies (the project changed, so the issue types did) that
 *   the new answer does not offer is cleared, and the user is told which. A saved value the app
 *   no longer offers under the same dependencies is kept and shown as such: the customer decides.
 * - A list longer than one answer (truncated) searches on the platform as the user types.
 * - A failure keeps the value and offers a retry; nothing typed is lost.
 */
import { signal, type Signal } from "@preact/signals";
import type { DataSourceOption, Instance } from "../../../contract/api-types.ts";
import type { ConfigPage } from "../../../contract/config-vars.ts";
import type { FormState } from "../../../contract/conditions.ts";
import { dependencies, dependencyKey, isDataSourceField, unavailableValues, type DataSourceField } from "../../../client/data-source.ts";
import type { WizardCore } from "../../../client/wizard.ts";

export type SourceStatus = "waiting" | "loading" | "ready" | "error";

export interface SourceState {
  /** waiting: a field it depends on has no value yet (`missing` names them). */
  status: SourceStatus;
  options: DataSourceOption[];
  /** More options than one answer holds: searching asks the platform. */
  truncated: boolean;
  missing: string[];
  error?: unknown;
  /** The options of the last platform search (truncated lists only), and for what text. */
  searched?: { query: string; options: DataSourceOption[]; loading: boolean };
  /** Values cleared because the new answer does not offer them (shown until the user chooses). */
  cleared: string[];
}

const initial = (): SourceState => ({ status: "loading", options: [], truncated: false, missing: [], cleared: [] });

export interface DataSourcesOptions {
  pages: readonly ConfigPage[];
  core: Pick<WizardCore, "options" | "rules">;
  instance: Signal<Instance>;
  valueOf: (key: string) => unknown;
  /** Replaces a value (undefined clears it), without counting it as the user's edit. */
  reset: (key: string, value: unknown) => void;
  /** Something to say to screen readers (a value was cleared). */
  announce: (text: string) => void;
  clearedText: (field: DataSourceField, values: string[]) => string;
}

export function createDataSources({ pages, core, instance, valueOf, reset, announce, clearedText }: DataSourcesOptions) {
  const fields = pages.flatMap((p) => p.fields).filter(isDataSourceField);
  const states = new Map<string, Signal<SourceState>>();
  const stateOf = (key: string) => {
    let s = states.get(key);
    if (!s) states.set(key, (s = signal(initial())));
    return s;
  };
  /** What each field's options were last asked for: a later answer for other values is dropped. */
  const asked = new Map<string, string>();
  const saved = (key: string) => instance.peek().configValues[key];

  /** The key a field's options depend on now (its dependencies and its connection's saved value). */
  const currentKey = (def: DataSourceField, state: FormState) => {
    const { values, missing } = dependencies(def, valueOf, state);
    return { key: dependencyKey(values), missing, connection: JSON.stringify(saved(def.dataSource.connection) ?? null) };
  };

  /** The dependencies each value was chosen under: the starting ones (saved, else defaults), then the user's choice's. */
  const start = core.rules();
  const chosenUnder = new Map(fields.map((def) => [def.key, currentKey(def, start).key]));

  /**
   * Loads a field's options when what they depend on changed since the last load (or `force`:
   * a retry). Called when the field shows and on every change of the wizard's values.
   */
  async function load(def: DataSourceField, force = false): Promise<void> {
    const state = stateOf(def.key);
    const { key, missing, connection } = currentKey(def, core.rules());
    const request = `${key}|${connection}`;
    if (missing.length) {
      asked.set(def.key, request);
      state.value = { ...initial(), status: "waiting", missing, cleared: state.peek().cleared };
      return;
    }
    if (!force && asked.get(def.key) == request && state.peek().status != "waiting") return;
    asked.set(def.key, request);
    state.value = { ...state.peek(), status: "loading", error: undefined, searched: undefined };
    try {
      const result = await core.options(def.key);
      if (asked.get(def.key) != request) return;
      const value = valueOf(def.key);
      const gone = unavailableValues(value, result);
      let cleared: string[] = [];
      // Chosen under other dependencies and not offered under these: clear it, and say so.
      if (gone.length && chosenUnder.get(def.key) != key) {
        cleared = gone;
        // A multiple choice keeps what is still offered.
        const kept = Array.isArray(value) ? value.filter((v) => !gone.includes(v as string)) : [];
        reset(def.key, kept.length ? kept : undefined);
        announce(clearedText(def, gone));
      }
      chosenUnder.set(def.key, key);
      state.value = { status: "ready", options: result.options, truncated: result.truncated, missing: [], cleared };
    } catch (error) {
      if (asked.get(def.key) != request) return;
      state.value = { ...state.peek(), status: "error", error };
    }
  }

  /** The user chose a value: it was chosen under the dependencies of now. */
  function chosen(key: string) {
    const def = fields.find((f) => f.key == key);
    if (!def) return;
    chosenUnder.set(key, currentKey(def, core.rules()).key);
    const state = stateOf(key);
    if (state.peek().cleared.length) state.value = { ...state.peek(), cleared: [] };
  }

  const searches = new Map<string, ReturnType<typeof setTimeout>>();
  /** Names of options the platform's searches returned (field and value → label). */
  const found = new Map<string, string>();
  /** A truncated list is searched on the platform, 250 ms after the last keystroke. */
  function search(key: string, query: string) {
    const def = fields.find((f) => f.key == key);
    const state = stateOf(key);
    if (!def || !state.peek().truncated) return;
    clearTimeout(searches.get(key));
    if (query.trim() == "") {
      state.value = { ...state.peek(), searched: undefined };
      return;
    }
    state.value = { ...state.peek(), searched: { query, options: state.peek().searched?.options ?? [], loading: true } };
    searches.set(
      key,
      setTimeout(async () => {
        try {
          const result = await core.options(key, query);
          // A value chosen from a search keeps its name once the search ends.
          for (const o of result.options) found.set(`${key}\n${o.value}`, o.label);
          if (state.peek().searched?.query == query) state.value = { ...state.peek(), searched: { query, options: result.options, loading: false } };
        } catch (error) {
          if (state.peek().searched?.query == query) state.value = { ...state.peek(), status: "error", error, searched: undefined };
        }
      }, 250),
    );
  }

  return {
    fields,
    stateOf,
    load,
    chosen,
    search,
    /** The name a search gave a value of field `key` (a truncated list's option outside the first answer). */
    searchedLabel: (key: string, value: string) => found.get(`${key}\n${value}`),
    /** The fields that depend on `key` (their options change with it). */
    dependents: (key: string) => fields.filter((f) => f.dataSource.dependsOn?.includes(key)),
    dispose() {
      for (const timer of searches.values()) clearTimeout(timer);
    },
  };
}
export type DataSources = ReturnType<typeof createDataSources>;
