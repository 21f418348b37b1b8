/**
 * Data sources: a picklist's options fetched from the customer's own account. The platform asks
 * the third-party app with the connection saved on the instance (never one named in the
 * request, and never another customer's: the instance must be the caller's, S3), GETs the
 * source's path with the values of the fields it depends on, and turns each record into an
 * option. The app's failures become typed answers the wizard can show with a retry: the app
 * refused the connection (409 CONNECTION_REFUSED), answered an error or garbage (502
 * DATA_SOURCE_FAILED), or took longer than the deadline (504 DATA_SOURCE_TIMEOUT).
 *
 * The same fetch checks a saved value when it can: a value the customer newly chose (or whose
 * dependencies changed) must be one the app offers. An unchanged saved value is kept even when
 * the app no longer offers it (the wizard shows it as such), and when the app cannot be asked,
 * the save goes through: a flaky app must not block a customer's save.
 */
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { sleepOn } from "./clock.ts";
import { ownInstance } from "./instance-records.ts";
import { draftOf, ruleState, workingDraft } from "./instance-records.ts";
import { credentialsOf } from "./connection-records.ts";
import { callMockApp } from "./third-party-apps.ts";
import { renderText } from "./template.ts";
import { hugeCollection } from "../fixtures/app-directories.ts";
import { configValueProblem } from "../../contract/validate-config.ts";
import { isUnset } from "../../contract/conditions.ts";
import { MAX_DATA_SOURCE_OPTIONS, type DataSourceOption, type DataSourceRequest, type DataSourceResult } from "../../contract/api.ts";
import type { PlatformContext } from "./context.ts";
import type { Caller } from "./sessions.ts";
import type { InstanceRecord, StoredConnection } from "./store.ts";
import type { ConfigPage, ConfigVarDefinition } from "../../contract/config-vars.ts";
import type { IntegrationDefinition } from "../../contract/catalog.ts";

type SourceField = Extract<ConfigVarDefinition, { type: "picklist" }> & { dataSource: NonNullable<Extract<ConfigVarDefinition, { type: "picklist" }>["dataSource"]> };

/** How long the platform waits for the app before answering 504 DATA_SOURCE_TIMEOUT. */
export const DEFAULT_DATA_SOURCE_TIMEOUT_MS = 10_000;
/** Records in the `data-source-huge` rehearsal. */
const HUGE_COUNT = 5000;

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function sourceField(integration: IntegrationDefinition, key: string): { field: SourceField; page: ConfigPage } | undefined {
  for (const page of integration.configPages) {
    for (const field of page.fields) if (field.key === key && field.type === "picklist" && field.dataSource) return { field: field as SourceField, page };
  }
  return undefined;
}

const appOf = (integration: IntegrationDefinition, field: SourceField): string => {
  const connection = integration.configPages.flatMap((p) => p.fields).find((f) => f.key === field.dataSource.connection);
  return connection?.type === "connection" ? connection.connection.app : field.dataSource.connection;
};

/** Every word of `search` in the label (or the value), case-insensitive. */
function matches(option: DataSourceOption, words: readonly string[]): boolean {
  const haystack = `${option.label}\n${option.value}`.toLowerCase();
  return words.every((w) => haystack.includes(w));
}

export class DataSources {
  readonly #ctx: PlatformContext;
  readonly #timeoutMs: number;

  constructor(ctx: PlatformContext, timeoutMs = DEFAULT_DATA_SOURCE_TIMEOUT_MS) {
    this.#ctx = ctx;
    this.#timeoutMs = timeoutMs;
  }

  /** The options of the caller's instance's data-source field `key` (any role may look). */
  async options(caller: Caller, instanceId: string, key: string, request: DataSourceRequest): Promise<DataSourceResult> {
    const instance = ownInstance(this.#ctx.snapshot, caller, instanceId);
    // The version the wizard shows: an upgrade's pages while one is in progress.
    const integration = this.#ctx.editing(instance);
    const found = sourceField(integration, key);
    if (!found) throw new PlatformError(ApiErrorCode.NotFound, `No data source "${key}" in ${integration.name}.`);
    const known = new Set(integration.configPages.flatMap((p) => p.fields.map((f) => f.key)));
    for (const name of Object.keys(request.values ?? {})) {
      if (!known.has(name)) throw new PlatformError(ApiErrorCode.BadRequest, `"${name}" is not a field of ${integration.name}.`);
    }
    const draft = workingDraft(draftOf(this.#ctx.snapshot, instance));
    const values = { ...draft.values, ...request.values };
    const all = await this.#fetch(caller, instance, integration, found.field, values);
    const words = (request.search ?? "").toLowerCase().split(/\s+/).filter(Boolean);
    const chosen = words.length ? all.filter((o) => matches(o, words)) : all;
    return { options: chosen.slice(0, MAX_DATA_SOURCE_OPTIONS), truncated: chosen.length > MAX_DATA_SOURCE_OPTIONS };
  }

  /**
   * A page about to be saved: each data-source value the customer newly chose, or whose
   * dependencies changed, must be one the app offers (`problems`), and its label as the app names
   * it is kept (`labels`: a field's new labels, or null when the app could not be asked). Fields
   * the app cannot be asked about (no connection, the app down) are not checked; unchanged
   * values keep the labels they were saved with.
   */
  async checkOnSave(
    caller: Caller,
    instance: InstanceRecord,
    integration: IntegrationDefinition,
    page: ConfigPage,
    pageValues: Readonly<Record<string, unknown>>,
  ): Promise<{ problems: Record<string, string>; labels: Map<string, Record<string, string> | null> }> {
    const stored = workingDraft(draftOf(this.#ctx.snapshot, instance)).values;
    const current = (key: string) => (Object.hasOwn(pageValues, key) ? pageValues[key] : Object.hasOwn(stored, key) ? stored[key] : undefined);
    const problems: Record<string, string> = {};
    const labels = new Map<string, Record<string, string> | null>();
    for (const field of page.fields) {
      if (field.type !== "picklist" || !field.dataSource || !Object.hasOwn(pageValues, field.key)) continue;
      const value = pageValues[field.key];
      if (isUnset(value)) continue;
      const deps = field.dataSource.dependsOn ?? [];
      const before = Object.hasOwn(stored, field.key) ? stored[field.key] : undefined;
      if (same(value, before) && deps.every((d) => same(current(d), Object.hasOwn(stored, d) ? stored[d] : undefined))) continue;
      let offered: Map<string, string>;
      try {
        const values: Record<string, unknown> = {};
        for (const key of new Set([...Object.keys(stored), ...Object.keys(pageValues)])) values[key] = current(key);
        offered = new Map((await this.#fetch(caller, instance, integration, field as SourceField, values)).map((o) => [o.value, o.label]));
      } catch {
        labels.set(field.key, null);
        continue;
      }
      const app = appOf(integration, field as SourceField);
      const chosen = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
      const missing = chosen.find((v) => !offered.has(v));
      if (missing !== undefined) problems[field.key] = `"${missing}" is not available in ${app}; choose one of the options.`;
      else labels.set(field.key, Object.fromEntries(chosen.map((v) => [v, offered.get(v)!])));
    }
    return { problems, labels };
  }

  /**
   * Asks the app for a field's records and maps them to options (deduplicated by value, in the
   * app's order). The data-source scenarios apply here, to listing and to a save's check alike.
   */
  async #fetch(
    caller: Caller,
    instance: InstanceRecord,
    integration: IntegrationDefinition,
    field: SourceField,
    values: Readonly<Record<string, unknown>>,
  ): Promise<DataSourceOption[]> {
    const { snapshot, clock } = this.#ctx;
    const source = field.dataSource;
    const app = appOf(integration, field);
    const fields = integration.configPages.flatMap((p) => p.fields);
    // A dependency the rules hide counts as unset, as it does in the wizard.
    const state = ruleState(integration, values);
    const config: Record<string, string> = {};
    const missing: Record<string, string> = {};
    for (const dep of source.dependsOn ?? []) {
      const def = fields.find((f) => f.key === dep)!;
      const value = state.fields[dep]?.visible ? values[dep] : undefined;
      const problem = isUnset(value) ? `Choose ${def.label} first.` : configValueProblem({ ...def, required: true } as ConfigVarDefinition, value);
      if (problem) missing[dep] = problem;
      // Each value is one path segment: a "/" or ".." in it cannot reach another of the app's paths.
      else config[dep] = encodeURIComponent(Array.isArray(value) ? value.join(",") : String(value));
    }
    if (Object.keys(missing).length) {
      throw new PlatformError(ApiErrorCode.ValidationFailed, `${field.label} depends on other fields; fill them in first.`, { fields: missing });
    }
    const saved = credentialsOf(snapshot, instance, workingDraft(draftOf(snapshot, instance)).values[source.connection]);
    if (!saved) {
      throw new PlatformError(ApiErrorCode.ConnectionRequired, `Connect ${app} first: ${field.label} lists what your ${app} account holds.`);
    }
    const path = renderText(source.path, { config });
    const mode = this.#ctx.rehearsal.dataSource;

    // The mocked apps take only their simulated latency, so whether the deadline passes is known
    // up front: wait the deadline and give up, without a timer left running for a late answer.
    const latency = (mode?.mode === "slow" ? mode.latencyMs : 0) + (this.#ctx.appLatency.get(app) ?? 0);
    if (latency > this.#timeoutMs) {
      await sleepOn(clock, this.#timeoutMs);
      throw new PlatformError(ApiErrorCode.DataSourceTimeout, `${app} did not answer within ${Math.round(this.#timeoutMs / 1000)} seconds.`);
    }
    if (mode?.mode === "slow" && mode.latencyMs > 0) await sleepOn(clock, mode.latencyMs);
    let response = await callMockApp(
      snapshot,
      { app, organizationId: caller.organization.id, customerId: caller.customer.id, connection: saved, method: "GET", path },
      clock,
      this.#ctx.appLatency,
    );
    if (response.status !== 401) {
      if (mode?.mode === "down") response = { status: 503, body: { error: "service_unavailable" } };
      if (mode?.mode === "garbage") response = { status: 200, body: "<!doctype html><title>502 Bad Gateway</title><h1>Bad Gateway</h1>" };
      if (mode?.mode === "huge" && response.status === 200) {
        // The account's own records first, then thousands more: what it holds stays choosable.
        const own = (response.body as { records?: unknown } | null)?.records;
        response = { status: 200, body: { records: [...(Array.isArray(own) ? own : []), ...hugeCollection(HUGE_COUNT)] } };
      }
    }
    if (response.status === 401) {
      throw new PlatformError(ApiErrorCode.ConnectionRefused, `${app} refused the saved connection; connect the account again.`);
    }
    if (response.status < 200 || response.status >= 300) {
      throw new PlatformError(ApiErrorCode.DataSourceFailed, `${app} answered with an error (${response.status}).`);
    }
    const records = (response.body as { records?: unknown } | null)?.records;
    if (!Array.isArray(records)) throw new PlatformError(ApiErrorCode.DataSourceFailed, `${app} answered in a shape Emporium cannot read.`);

    const options: DataSourceOption[] = [];
    const seen = new Set<string>();
    for (const record of records) {
      if (typeof record !== "object" || record === null) continue;
      const value = renderText(source.value, { record });
      // A record without a usable value cannot be chosen; one bad record does not sink the list.
      if (value === "" || value.length > 200 || seen.has(value)) continue;
      seen.add(value);
      const option: DataSourceOption = { value, label: clip(renderText(source.label, { record }) || value, 200) };
      const description = source.description === undefined ? "" : renderText(source.description, { record });
      if (description) option.description = clip(description, 300);
      options.push(option);
    }
    if (records.length > 0 && options.length === 0) throw new PlatformError(ApiErrorCode.DataSourceFailed, `${app} answered in a shape Emporium cannot read.`);
    return options;
  }
}
