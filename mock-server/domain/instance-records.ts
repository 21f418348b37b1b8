/**
 * Instance records and their config drafts, as plain functions over the state: finding the
 * caller's instances, saving config page by page (validated with the contract's shared function,
 * secrets kept when omitted), checking a whole config before deploy, and presenting an instance
 * to the API with secrets masked and absolute webhook URLs. What happens to an instance over its
 * life (create, deploy, pause, delete) is instances.ts.
 */
import { configFieldProblems, configPageProblems } from "../../contract/validate-config.ts";
import { paths } from "../../contract/api.ts";
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { iso } from "./clock.ts";
import type { Catalog } from "./catalog.ts";
import type { Caller } from "./sessions.ts";
import { touch, type ConfigDraft, type InstanceRecord, type Snapshot, type StoredConnection, type StoredValue } from "./store.ts";
import type { ConfigPage, ConfigValue, ConfigVarDefinition, ConnectionState } from "../../contract/config-vars.ts";
import type { IntegrationDefinition } from "../../contract/catalog.ts";
import type { Instance, InstanceFlow } from "../../contract/api.ts";

export function isStoredConnection(value: unknown): value is StoredConnection {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === "api-key" || kind === "basic" || kind === "oauth2";
}

/** The caller's instances (their customer's, in their organization), in store order. */
export function customerInstances(snapshot: Snapshot, caller: Caller): InstanceRecord[] {
  return Object.values(snapshot.instances).filter((i) => i.customerId === caller.customer.id && i.organizationId === caller.organization.id);
}

/** The caller's instance, or 404 (also for another customer's: no existence leak). */
export function ownInstance(snapshot: Snapshot, caller: Caller, id: string): InstanceRecord {
  const instance = Object.hasOwn(snapshot.instances, id) ? snapshot.instances[id] : undefined;
  if (!instance || instance.customerId !== caller.customer.id || instance.organizationId !== caller.organization.id) {
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

function storedSecretKeys(values: Record<string, StoredValue>): Set<string> {
  const keys = new Set<string>();
  for (const [key, value] of Object.entries(values)) {
    if (isStoredConnection(value) && value.kind !== "oauth2") keys.add(key);
  }
  return keys;
}

/** Merges a connection input with the stored secret it omits (an unchanged secret is not re-sent). */
function mergeConnection(input: unknown, stored: StoredValue | undefined): unknown {
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

function grantProblem(snapshot: Snapshot, caller: Caller, field: ConfigVarDefinition, value: unknown): string | undefined {
  if (field.type !== "connection" || !isStoredConnection(value) || value.kind !== "oauth2") return undefined;
  const grant = Object.hasOwn(snapshot.oauthGrants, value.grantId) ? snapshot.oauthGrants[value.grantId] : undefined;
  if (!grant || grant.customerId !== caller.customer.id || grant.organizationId !== caller.organization.id || grant.app !== field.connection.app) {
    return `This ${field.connection.app} authorization is unknown; connect the account again.`;
  }
  if (grant.status !== "active") return `The ${field.connection.app} authorization was revoked; connect the account again.`;
  return undefined;
}

/** Resolves the value to store for one field from what the wizard sent. */
function toStored(field: ConfigVarDefinition, value: unknown): StoredValue | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (Array.isArray(value) && value.length === 0) return undefined;
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

/** Validates and saves one page of the draft; throws VALIDATION_FAILED with field messages. */
export function saveConfigPage(
  snapshot: Snapshot,
  caller: Caller,
  integration: IntegrationDefinition,
  instance: InstanceRecord,
  pageName: string,
  input: Record<string, unknown>,
  now: number,
): void {
  const page = findPage(integration, pageName);
  const draft = draftOf(snapshot, instance);
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    merged[key] = mergeConnection(value, Object.hasOwn(draft.values, key) ? draft.values[key] : undefined);
  }
  for (const field of page.fields) {
    if (Object.hasOwn(input, field.key)) continue;
    // A connection left out of the page keeps the stored one: the wizard never re-sends secrets.
    if (field.type === "connection" && Object.hasOwn(draft.values, field.key)) merged[field.key] = draft.values[field.key];
    // A field left out takes its default, as the wizard would have pre-filled it.
    else if ("default" in field && field.default !== undefined) merged[field.key] = structuredClone(field.default);
  }
  const problems = configPageProblems(page, merged, { storedSecrets: new Set() });
  for (const field of page.fields) {
    if (problems[field.key] !== undefined) continue;
    const problem = grantProblem(snapshot, caller, field, merged[field.key]);
    if (problem) problems[field.key] = problem;
  }
  if (Object.keys(problems).length > 0) {
    throw new PlatformError(ApiErrorCode.ValidationFailed, `Some values on page "${page.title}" need attention.`, {
      fields: problems,
      page: page.name,
    });
  }
  for (const field of page.fields) {
    const stored = toStored(field, merged[field.key]);
    if (stored === undefined) delete draft.values[field.key];
    else draft.values[field.key] = stored;
  }
  const saved = new Set([...draft.completedPages, page.name]);
  draft.completedPages = integration.configPages.map((p) => p.name).filter((name) => saved.has(name));
  draft.updatedAt = now;
  instance.updatedAt = now;
  touch(snapshot, "drafts", instance.id);
  touch(snapshot, "instances", instance.id);
}

/** Checks the whole draft before deploy; throws INSTANCE_NOT_CONFIGURED naming the first bad page. */
export function assertDeployable(snapshot: Snapshot, caller: Caller, integration: IntegrationDefinition, instance: InstanceRecord): ConfigDraft {
  const draft = draftOf(snapshot, instance);
  for (const page of integration.configPages) {
    const values = Object.fromEntries(page.fields.filter((f) => Object.hasOwn(draft.values, f.key)).map((f) => [f.key, draft.values[f.key]]));
    const problems = configFieldProblems(page.fields, values, { storedSecrets: storedSecretKeys(draft.values) });
    for (const field of page.fields) {
      const problem = problems[field.key] ?? grantProblem(snapshot, caller, field, values[field.key]);
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

/** Deployed config: the draft plus each field's default for what the customer left empty. */
export function effectiveConfig(integration: IntegrationDefinition, draft: ConfigDraft): Record<string, StoredValue> {
  const config: Record<string, StoredValue> = {};
  for (const page of integration.configPages) {
    for (const field of page.fields) {
      if (Object.hasOwn(draft.values, field.key)) config[field.key] = structuredClone(draft.values[field.key]);
      else if ("default" in field && field.default !== undefined) config[field.key] = structuredClone(field.default) as StoredValue;
    }
  }
  return config;
}

// ---------------------------------------------------------------------------------------------
// Presenting

function maskConnection(snapshot: Snapshot, value: StoredConnection): ConnectionState {
  switch (value.kind) {
    case "api-key":
      return { kind: "api-key", apiKey: { secret: "set" } };
    case "basic":
      return { kind: "basic", username: value.username, password: { secret: "set" } };
    case "oauth2": {
      const grant = Object.hasOwn(snapshot.oauthGrants, value.grantId) ? snapshot.oauthGrants[value.grantId] : undefined;
      if (!grant) return { kind: "oauth2", status: "error" };
      return { kind: "oauth2", status: grant.status === "active" ? "active" : "error", account: grant.account };
    }
  }
}

export function maskValues(snapshot: Snapshot, values: Record<string, StoredValue>): Record<string, ConfigValue> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [key, isStoredConnection(value) ? maskConnection(snapshot, value) : (value as ConfigValue)]),
  );
}

export function webhookUrl(origin: string, token: string): string {
  return origin + paths.webhook(token);
}

export function presentInstance(snapshot: Snapshot, catalog: Catalog, instance: InstanceRecord, origin: string): Instance {
  const integration = catalog.get(instance.integrationId);
  const draft = draftOf(snapshot, instance);
  const running = instance.status === "deployed";
  const flows: InstanceFlow[] = (integration?.flows ?? []).map((flow) => {
    const entry: InstanceFlow = { id: flow.id, name: flow.name, trigger: flow.trigger };
    const token = instance.webhookTokens[flow.id];
    if (flow.trigger.kind === "webhook" && token && instance.status !== "draft") entry.webhookUrl = webhookUrl(origin, token);
    const next = instance.nextRuns[flow.id];
    if (running && flow.trigger.kind === "schedule" && typeof next === "number") entry.nextRunAt = iso(next);
    return entry;
  });
  const result: Instance = {
    id: instance.id,
    integrationId: instance.integrationId,
    integrationName: integration?.name ?? instance.integrationId,
    customerId: instance.customerId,
    name: instance.name,
    description: instance.description,
    labels: [...instance.labels],
    status: instance.status,
    configValues: maskValues(snapshot, draft.values),
    completedPages: [...draft.completedPages],
    flows,
    createdAt: iso(instance.createdAt),
    updatedAt: iso(instance.updatedAt),
  };
  if (instance.deployedAt !== undefined) result.deployedAt = iso(instance.deployedAt);
  return result;
}
