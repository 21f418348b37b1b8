/**
 * Instance records and their config drafts, as plain functions over the state: finding the
 * caller's instances, saving config page by page (validated with the contract's shared function,
 * secrets kept when omitted), checking a whole config before deploy, and presenting an instance
 * to the API with secrets masked and absolute webhook URLs. What happens to an instance over its
 * life (create, deploy, pause, delete) is instances.ts.
 */
import { configFieldProblems } from "../../contract/validate-config.ts";
import { formState, isUnset, type FormState } from "../../contract/conditions.ts";
import { generatedKeys } from "../../contract/page-references.ts";
import { newSecretToken } from "./ids.ts";
import { paths } from "../../contract/api.ts";
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { iso } from "./clock.ts";
import type { IntegrationVersions } from "./integration-versions.ts";
import type { UpgradePlan } from "../../contract/upgrade.ts";
import type { Caller } from "./sessions.ts";
import { touch, type ConfigDraft, type InstanceRecord, type RemovedInstanceRecord, type Snapshot, type StoredConnection, type StoredValue } from "./store.ts";
import type { ConfigPage, ConfigValue, ConfigVarDefinition, ConnectionState } from "../../contract/config-vars.ts";
import type { IntegrationDefinition } from "../../contract/catalog.ts";
import type { Instance, InstanceFlow } from "../../contract/api.ts";
import { InstanceSearch } from "./org-search.ts";
import { suggestedPayload } from "./flow-input.ts";
import { instanceDeleted, removedInstance } from "./removed-instances.ts";
import {
  addConnection,
  connectionUses,
  credentialsOf,
  fieldState,
  isConnectionRef,
  isStoredConnection,
  maskCredentials,
  ownedConnection,
  ownerConnections,
  replaceCredentials,
  sameCredentials,
  serves,
  type Owner,
} from "./connection-records.ts";

export { isStoredConnection };

/**
 * The caller's instances (their customer's, in their organization), oldest first: read from the
 * instance index (org-search.ts), so a customer's request costs their instances, not the table's.
 */
export function customerInstances(snapshot: Snapshot, caller: Caller): InstanceRecord[] {
  return InstanceSearch.of(snapshot).ofCustomer(caller.organization.id, caller.customer.id);
}

const owns = (caller: Caller, record: InstanceRecord) => record.customerId === caller.customer.id && record.organizationId === caller.organization.id;

/**
 * The caller's instance, or 404 (also for another customer's: no existence leak); 410
 * INSTANCE_DELETED for one of theirs that was deactivated (removed-instances.ts).
 */
export function ownInstance(snapshot: Snapshot, caller: Caller, id: string): InstanceRecord {
  const instance = Object.hasOwn(snapshot.instances, id) ? snapshot.instances[id] : undefined;
  if (instance && owns(caller, instance)) return instance;
  const removed = instance ? undefined : removedInstance(snapshot, id);
  if (removed && owns(caller, removed)) throw instanceDeleted(removed);
  throw new PlatformError(ApiErrorCode.NotFound, `No instance "${id}".`);
}

/** The caller's instance, or the kept record of one of theirs that was deactivated (its history stays readable); else 404. */
export function ownInstanceOrRemoved(snapshot: Snapshot, caller: Caller, id: string): InstanceRecord {
  const removed = removedInstance(snapshot, id);
  return removed && owns(caller, removed) ? removed : ownInstance(snapshot, caller, id);
}

/** Whose data a read covers: an organization's, and one customer's of it when `customerId` is set (A10). */
export interface DataScope {
  organizationId: string;
  customerId?: string;
}

/** An instance of the scope, or 404 (another customer's or organization's too: no existence leak). */
export function instanceInScope(snapshot: Snapshot, scope: DataScope, id: string): InstanceRecord {
  const instance = Object.hasOwn(snapshot.instances, id) ? snapshot.instances[id] : undefined;
  if (!instance || instance.organizationId !== scope.organizationId || (scope.customerId !== undefined && instance.customerId !== scope.customerId)) {
    throw new PlatformError(ApiErrorCode.NotFound, `No instance "${id}".`);
  }
  return instance;
}

export function draftOf(snapshot: Snapshot, instance: InstanceRecord): ConfigDraft {
  if (!Object.hasOwn(snapshot.drafts, instance.id)) {
    snapshot.drafts[instance.id] = { instanceId: instance.id, values: {}, completedPages: [], updatedAt: instance.createdAt };
    touch(snapshot, "drafts", instance.id);
  }
  return snapshot.drafts[instance.id];
}

/**
 * Where the wizard's page saves go: an upgrade in progress (the values for its version), else the
 * draft itself. Both have the same shape.
 */
export function workingDraft(draft: ConfigDraft): Pick<ConfigDraft, "values" | "completedPages" | "optionLabels"> {
  return draft.upgrade ?? draft;
}

function storedSecretKeys(values: Record<string, StoredValue>): Set<string> {
  const keys = new Set<string>();
  for (const [key, value] of Object.entries(values)) {
    if ((isStoredConnection(value) && value.kind !== "oauth2") || isConnectionRef(value)) keys.add(key);
  }
  return keys;
}

/**
 * Merges a connection input with the stored secret it omits (an unchanged secret is not re-sent).
 * The stored one may be the customer's connection the field uses; a connection the host
 * organization provides never lends its secret to typed credentials (S4).
 */
function mergeConnection(snapshot: Snapshot, owner: Owner, input: unknown, storedValue: StoredValue | undefined): unknown {
  const provided = isConnectionRef(storedValue) && ownedConnection(snapshot, owner, storedValue.connectionId)?.source === "organization";
  const stored = provided ? undefined : credentialsOf(snapshot, owner, storedValue);
  if (!isStoredConnection(input) || !isStoredConnection(stored) || stored.kind !== input.kind) return input;
  if (input.kind === "api-key" && stored.kind === "api-key") {
    const apiKey = (input as { apiKey?: string }).apiKey;
    return { kind: "api-key", apiKey: apiKey || stored.apiKey };
  }
  if (input.kind === "basic" && stored.kind === "basic") {
    const password = (input as { password?: string }).password;
    // A secret belongs to an account: a changed username needs its password again.
    if (!password && input.username !== stored.username) return input;
    return { kind: "basic", username: input.username, password: password || stored.password };
  }
  return input;
}

/**
 * What is wrong with the connection a field refers to, for the instance's owner: one of their
 * connections that is missing or of another app or kind, or an OAuth grant that is not theirs
 * or was revoked.
 */
export function connectionFieldProblem(snapshot: Snapshot, owner: Owner, field: ConfigVarDefinition, value: unknown): string | undefined {
  if (field.type !== "connection") return undefined;
  if (isConnectionRef(value)) {
    const record = ownedConnection(snapshot, owner, value.connectionId);
    if (!record) return `This ${field.connection.app} connection no longer exists; choose another one.`;
    if (!serves(record, field)) return `"${record.name}" is not a ${field.connection.kind} connection to ${field.connection.app}; choose another one.`;
    return undefined;
  }
  if (!isStoredConnection(value) || value.kind !== "oauth2") return undefined;
  const grant = Object.hasOwn(snapshot.oauthGrants, value.grantId) ? snapshot.oauthGrants[value.grantId] : undefined;
  if (!grant || grant.customerId !== owner.customerId || grant.organizationId !== owner.organizationId || grant.app !== field.connection.app) {
    return `This ${field.connection.app} authorization is unknown; connect the account again.`;
  }
  if (grant.status !== "active") return `The ${field.connection.app} authorization was revoked; connect the account again.`;
  return undefined;
}

/** Resolves the value to store for one field from what the wizard sent. */
function toStored(field: ConfigVarDefinition, value: unknown): StoredValue | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (Array.isArray(value) && value.length === 0) return undefined;
  if (field.type === "connection" && isConnectionRef(value)) return { connectionId: value.connectionId };
  if (field.type === "connection" && isStoredConnection(value)) {
    if (value.kind === "api-key") return { kind: "api-key", apiKey: (value as { apiKey: string }).apiKey };
    if (value.kind === "basic") return { kind: "basic", username: value.username, password: (value as { password: string }).password };
    return { kind: "oauth2", grantId: value.grantId };
  }
  return value as StoredValue;
}

export function findPage(integration: IntegrationDefinition, pageName: string): ConfigPage {
  const page = integration.configPages.find((p) => p.name === pageName);
  if (!page) throw new PlatformError(ApiErrorCode.NotFound, `Integration "${integration.id}" has no config page "${pageName}".`);
  return page;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The integration's rules (contract/conditions.ts) applied to a set of values. */
export function ruleState(integration: IntegrationDefinition, values: Readonly<Record<string, unknown>>): FormState {
  return formState(integration.configPages, (key) => (Object.hasOwn(values, key) ? values[key] : undefined));
}

/** A field as its rules make it now: required when `requiredWhen` holds, never when hidden or disabled. */
const asRuled = (field: ConfigVarDefinition, state: FormState): ConfigVarDefinition => ({ ...field, required: state.fields[field.key]?.required ?? false });

/**
 * Generated keys (display elements a customer pastes into the app) are made once per instance,
 * when its draft is first made or first saved, and then kept.
 */
export function ensureGeneratedKeys(integration: IntegrationDefinition, draft: Pick<ConfigDraft, "values">): void {
  for (const key of generatedKeys(integration.configPages)) {
    if (typeof draft.values[key] !== "string") draft.values[key] = `emk_${newSecretToken()}`;
  }
}

/** A page's values checked and ready to be stored (`commitConfigPage`), with their field problems. */
export interface PreparedPage {
  page: ConfigPage;
  /** The values to store for the page's shown fields (secrets merged, defaults filled in). */
  values: Record<string, unknown>;
  problems: Record<string, string>;
}

/**
 * Checks one page's values against the contract's shared validation and the integration's rules,
 * as the wizard applies them: a hidden field may not be set (and is not stored), a field is
 * required while its `requiredWhen` holds, and a disabled field keeps its stored value (or its
 * default). Nothing is stored yet; the caller may add problems (a data source's check) first.
 */
export function prepareConfigPage(
  snapshot: Snapshot,
  caller: Caller,
  integration: IntegrationDefinition,
  instance: InstanceRecord,
  pageName: string,
  input: Record<string, unknown>,
): PreparedPage {
  const page = findPage(integration, pageName);
  const draft = workingDraft(draftOf(snapshot, instance));
  const stored = (key: string) => (Object.hasOwn(draft.values, key) ? draft.values[key] : undefined);
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) merged[key] = mergeConnection(snapshot, instance, value, stored(key));
  for (const field of page.fields) {
    if (Object.hasOwn(input, field.key)) continue;
    // A connection left out of the page keeps the stored one: the wizard never re-sends secrets.
    if (field.type === "connection" && Object.hasOwn(draft.values, field.key)) merged[field.key] = draft.values[field.key];
    // A field left out takes its default, as the wizard would have pre-filled it.
    else if ("default" in field && field.default !== undefined) merged[field.key] = structuredClone(field.default);
  }
  const state = ruleState(integration, { ...draft.values, ...merged });
  const problems: Record<string, string> = {};
  const shown: ConfigVarDefinition[] = [];
  for (const field of page.fields) {
    const { visible, disabled } = state.fields[field.key];
    if (!visible) {
      if (Object.hasOwn(input, field.key) && !isUnset(input[field.key])) problems[field.key] = "This field is hidden by the other choices, so it cannot be set.";
      delete merged[field.key];
      continue;
    }
    if (disabled) {
      const kept = stored(field.key) ?? ("default" in field ? field.default : undefined);
      if (Object.hasOwn(input, field.key) && field.type !== "connection" && !same(input[field.key], kept)) problems[field.key] = "This field cannot be changed now.";
      merged[field.key] = kept;
    }
    shown.push(asRuled(field, state));
  }
  Object.assign(problems, configFieldProblems(shown, merged, { storedSecrets: new Set() }), problems);
  for (const field of shown) {
    if (problems[field.key] !== undefined) continue;
    const problem = connectionFieldProblem(snapshot, instance, field, merged[field.key]);
    if (problem) problems[field.key] = problem;
  }
  return { page, values: merged, problems };
}

/** Throws VALIDATION_FAILED with the page's field messages, if it has any. */
export function assertPageValid({ page, problems }: PreparedPage): void {
  if (Object.keys(problems).length > 0) {
    throw new PlatformError(ApiErrorCode.ValidationFailed, `Some values on page "${page.title}" need attention.`, {
      fields: problems,
      page: page.name,
    });
  }
}

/**
 * Stores a checked page. The new choices may hide fields of other pages: their values leave the
 * draft too, so no hidden value is ever stored (and no flow can read one).
 */
export function commitConfigPage(
  snapshot: Snapshot,
  integration: IntegrationDefinition,
  instance: InstanceRecord,
  { page, values }: PreparedPage,
  now: number,
  /** Data-source labels of the page's new values (null: unknown), from the source's check. */
  optionLabels: ReadonlyMap<string, Record<string, string> | null> = new Map(),
): void {
  const whole = draftOf(snapshot, instance);
  const draft = workingDraft(whole);
  ensureGeneratedKeys(integration, draft);
  const labels = (draft.optionLabels ??= {});
  for (const field of page.fields) {
    let value = toStored(field, values[field.key]);
    // Typed credentials become (or update) one of the customer's connections, which the field refers to.
    if (field.type === "connection" && isStoredConnection(value)) value = bindConnection(snapshot, instance, field, value, draft.values[field.key], now);
    if (value === undefined) delete draft.values[field.key];
    else draft.values[field.key] = value;
    const label = optionLabels.get(field.key);
    if (label) labels[field.key] = label;
    else if (label === null || value === undefined) delete labels[field.key];
  }
  const after = ruleState(integration, draft.values);
  for (const field of integration.configPages.flatMap((p) => p.fields)) {
    if (after.fields[field.key].visible) continue;
    delete draft.values[field.key];
    delete labels[field.key];
  }
  if (Object.keys(labels).length === 0) delete draft.optionLabels;
  const saved = new Set([...draft.completedPages, page.name]);
  draft.completedPages = integration.configPages.map((p) => p.name).filter((name) => saved.has(name));
  whole.updatedAt = now;
  instance.updatedAt = now;
  touch(snapshot, "drafts", instance.id);
  touch(snapshot, "instances", instance.id);
}

/**
 * The connection typed credentials are kept in: the record already holding that OAuth grant; the
 * field's current connection, updated in place when no other instance uses it (its id stays, so a
 * re-typed key is a reconnect); else a new connection of the customer's.
 */
function bindConnection(
  snapshot: Snapshot,
  instance: InstanceRecord,
  field: Extract<ConfigVarDefinition, { type: "connection" }>,
  credentials: StoredConnection,
  previous: StoredValue | undefined,
  now: number,
): StoredValue {
  const app = field.connection.app;
  if (credentials.kind === "oauth2") {
    const grantId = credentials.grantId;
    const holder = ownerConnections(snapshot, instance, app).find((c) => c.credentials.kind === "oauth2" && c.credentials.grantId === grantId);
    if (holder) return { connectionId: holder.id };
  }
  const current = isConnectionRef(previous) ? ownedConnection(snapshot, instance, previous.connectionId) : undefined;
  if (current && current.source === "customer" && serves(current, field)) {
    if (sameCredentials(current.credentials, credentials)) return { connectionId: current.id };
    if (connectionUses(snapshot, current).every((use) => use.instanceId === instance.id)) {
      replaceCredentials(snapshot, current, credentials, now);
      return { connectionId: current.id };
    }
  }
  const owner = { organizationId: instance.organizationId, customerId: instance.customerId };
  return { connectionId: addConnection(snapshot, { ...owner, app, credentials, source: "customer" }, now).id };
}

/**
 * Checks the whole draft (an upgrade's values, while one is in progress) before deploy; throws
 * INSTANCE_NOT_CONFIGURED naming the first bad page. Hidden pages and fields are skipped; a field
 * is required as its rules say now.
 */
export function assertDeployable(snapshot: Snapshot, caller: Caller, integration: IntegrationDefinition, instance: InstanceRecord): Pick<ConfigDraft, "values"> {
  const draft = workingDraft(draftOf(snapshot, instance));
  const state = ruleState(integration, draft.values);
  for (const page of integration.configPages) {
    if (!state.pages[page.name].visible) continue;
    const shown = page.fields.filter((f) => state.fields[f.key].visible).map((f) => asRuled(f, state));
    const values = Object.fromEntries(shown.filter((f) => Object.hasOwn(draft.values, f.key)).map((f) => [f.key, draft.values[f.key]]));
    const problems = configFieldProblems(shown, values, { storedSecrets: storedSecretKeys(draft.values) });
    for (const field of shown) {
      const problem = problems[field.key] ?? connectionFieldProblem(snapshot, instance, field, values[field.key]);
      if (problem) problems[field.key] = problem;
    }
    if (Object.keys(problems).length > 0) {
      throw new PlatformError(ApiErrorCode.InstanceNotConfigured, `Finish the "${page.title}" page before deploying.`, {
        fields: problems,
        page: page.name,
      });
    }
  }
  return draft;
}

/**
 * Deployed config: the draft plus each field's default for what the customer left empty, and the
 * generated keys. A field the rules hide is not part of it (not even its default).
 */
export function effectiveConfig(integration: IntegrationDefinition, draft: Pick<ConfigDraft, "values">): Record<string, StoredValue> {
  const config: Record<string, StoredValue> = {};
  const state = ruleState(integration, draft.values);
  for (const page of integration.configPages) {
    for (const field of page.fields) {
      if (!state.fields[field.key].visible) continue;
      if (Object.hasOwn(draft.values, field.key)) config[field.key] = structuredClone(draft.values[field.key]);
      else if ("default" in field && field.default !== undefined) config[field.key] = structuredClone(field.default) as StoredValue;
    }
  }
  for (const key of generatedKeys(integration.configPages)) if (Object.hasOwn(draft.values, key)) config[key] = draft.values[key];
  return config;
}

// ---------------------------------------------------------------------------------------------
// Presenting

/** Saved values as the API shows them: connections masked (one that no longer exists shows as unset). */
export function maskValues(snapshot: Snapshot, owner: Owner, values: Record<string, StoredValue>): Record<string, ConfigValue> {
  const shown: Record<string, ConfigValue> = {};
  for (const [key, value] of Object.entries(values)) {
    if (isConnectionRef(value)) {
      const record = ownedConnection(snapshot, owner, value.connectionId);
      if (record) shown[key] = fieldState(snapshot, record);
    } else shown[key] = isStoredConnection(value) ? maskCredentials(snapshot, value) : (value as ConfigValue);
  }
  return shown;
}

/** Flows whose webhook URL a config page displays (issued with the draft, see Instances.create). */
export function displayedWebhookFlows(integration: IntegrationDefinition): string[] {
  return integration.configPages.flatMap((p) => (p.content ?? []).flatMap((e) => (e.kind === "webhook-url" ? [e.flow] : [])));
}

export function webhookUrl(origin: string, token: string): string {
  return origin + paths.webhook(token);
}

/**
 * An instance as the API shows it. `versions` says which version it runs and which is the latest
 * (an update it can take, and whether that needs the customer: contract/upgrade.ts).
 */
export function presentInstance(
  snapshot: Snapshot,
  versions: IntegrationVersions,
  instance: InstanceRecord,
  origin: string,
  planUpdate: (instance: InstanceRecord) => UpgradePlan | undefined,
): Instance {
  const running = versions.get(instance.organizationId, instance.integrationId, instance.integrationVersion ?? 1);
  // A removed instance's kept record has no draft (nor secrets) any more.
  const removed = "deletedAt" in instance ? (instance as RemovedInstanceRecord) : undefined;
  const draft: ConfigDraft = removed ? { instanceId: instance.id, values: {}, completedPages: [], updatedAt: instance.updatedAt } : draftOf(snapshot, instance);
  const working = workingDraft(draft);
  const isRunning = instance.status === "deployed";
  const displayedWebhooks = new Set(running ? displayedWebhookFlows(running) : []);
  const flows: InstanceFlow[] = (running?.flows ?? []).map((flow) => {
    const entry: InstanceFlow = { id: flow.id, name: flow.name, trigger: flow.trigger };
    const token = instance.webhookTokens[flow.id];
    // A draft shows the URLs its config pages display, so the customer can paste one into the app first.
    if (flow.trigger.kind === "webhook" && token && (instance.status !== "draft" || displayedWebhooks.has(flow.id))) entry.webhookUrl = webhookUrl(origin, token);
    const next = instance.nextRuns[flow.id];
    if (isRunning && flow.trigger.kind === "schedule" && typeof next === "number") entry.nextRunAt = iso(next);
    if (flow.trigger.kind === "webhook") entry.example = suggestedPayload(flow);
    return entry;
  });
  const result: Instance = {
    id: instance.id,
    integrationId: instance.integrationId,
    integrationName: versions.latest(instance.organizationId, instance.integrationId)?.name ?? instance.integrationId,
    customerId: instance.customerId,
    name: instance.name,
    description: instance.description,
    labels: [...instance.labels],
    status: instance.status,
    configValues: maskValues(snapshot, instance, working.values),
    ...(working.optionLabels ? { optionLabels: structuredClone(working.optionLabels) } : {}),
    completedPages: [...working.completedPages],
    flows,
    createdAt: iso(instance.createdAt),
    updatedAt: iso(instance.updatedAt),
    integrationVersion: instance.integrationVersion ?? 1,
  };
  if (instance.deployedAt !== undefined) result.deployedAt = iso(instance.deployedAt);
  const update = removed ? undefined : planUpdate(instance);
  if (update) result.availableUpdate = { version: update.toVersion, needsInput: update.needsInput };
  if (draft.upgrade) result.upgrade = { toVersion: draft.upgrade.toVersion, startedAt: iso(draft.upgrade.startedAt), plan: draft.upgrade.plan };
  if (removed) {
    result.status = "deleted";
    result.deletedAt = iso(removed.deletedAt);
    result.deletedBy = { ...removed.deletedBy };
  }
  return result;
}
