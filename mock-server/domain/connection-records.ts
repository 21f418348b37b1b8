/**
 * Connection records as plain functions over the state: what a connection field stores (a
 * reference to one of the customer's connections, or the inline credentials of earlier versions)
 * resolved to the credentials an app call uses, which instances use a connection, its health, and
 * presenting it to the API with every secret masked (a connection the host organization provides
 * shows none of its credentials at all, S4). What a customer or the organization does with
 * connections is connections.ts.
 *
 * Health is not stored: it is what the app says of the credentials now (the same check the app
 * makes on every call), so a revoked token shows as "needs reconnect" on the next read, and a
 * reconnect shows as active right away, without a write per app call in a webhook burst.
 */
import { iso } from "./clock.ts";
import { newId } from "./ids.ts";
import { authenticateConnection } from "./third-party-apps.ts";
import { InstanceSearch } from "./org-search.ts";
import { touch, type ConnectionRecord, type ConnectionRef, type InstanceRecord, type Snapshot, type StoredConnection, type StoredValue } from "./store.ts";
import type { Connection, ConnectionUse } from "../../contract/api.ts";
import type { ConnectionState, ConfigVarDefinition } from "../../contract/config-vars.ts";

/** Whose a connection is. */
export interface Owner {
  organizationId: string;
  customerId: string;
}

export function isConnectionRef(value: unknown): value is ConnectionRef {
  return typeof value === "object" && value !== null && !Array.isArray(value) && typeof (value as ConnectionRef).connectionId === "string" && !("kind" in value);
}

/** Inline credentials (what a record holds, and what config values held before records existed). */
export function isStoredConnection(value: unknown): value is StoredConnection {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === "api-key" || kind === "basic" || kind === "oauth2";
}

/** The owner's connection with this id, or undefined (another customer's is as good as missing). */
export function ownedConnection(snapshot: Snapshot, owner: Owner, id: string): ConnectionRecord | undefined {
  const record = Object.hasOwn(snapshot.connections, id) ? snapshot.connections[id] : undefined;
  return record && record.organizationId === owner.organizationId && record.customerId === owner.customerId ? record : undefined;
}

/**
 * The credentials a stored connection value stands for: a reference's record's (only the
 * owner's), or inline credentials as they are; undefined for anything else.
 */
export function credentialsOf(snapshot: Snapshot, owner: Owner, value: StoredValue | undefined): StoredConnection | undefined {
  if (isStoredConnection(value)) return value;
  if (!isConnectionRef(value)) return undefined;
  return ownedConnection(snapshot, owner, value.connectionId)?.credentials;
}

/** Whether a record can serve a connection field (same app and kind). */
export function serves(record: ConnectionRecord, field: ConfigVarDefinition): boolean {
  return field.type === "connection" && record.app === field.connection.app && record.credentials.kind === field.connection.kind;
}

/** What the app says of a record's credentials now. */
export function healthOf(snapshot: Snapshot, record: ConnectionRecord): ReturnType<typeof authenticateConnection> {
  return authenticateConnection(snapshot, record.app, record.organizationId, record.customerId, record.credentials);
}

/** Every instance (and field) of the owner whose deployed config, saved setup or upgrade refers to the record. */
export function connectionUses(snapshot: Snapshot, record: ConnectionRecord): ConnectionUse[] {
  const uses: ConnectionUse[] = [];
  for (const instance of InstanceSearch.of(snapshot).ofCustomer(record.organizationId, record.customerId)) {
    for (const fieldKey of fieldsUsing(snapshot, instance, record.id)) {
      uses.push({ instanceId: instance.id, instanceName: instance.name, integrationId: instance.integrationId, fieldKey });
    }
  }
  return uses;
}

function fieldsUsing(snapshot: Snapshot, instance: InstanceRecord, connectionId: string): Set<string> {
  const draft = Object.hasOwn(snapshot.drafts, instance.id) ? snapshot.drafts[instance.id] : undefined;
  const keys = new Set<string>();
  for (const values of [instance.config, draft?.values, draft?.upgrade?.values]) {
    for (const [key, value] of Object.entries(values ?? {})) if (isConnectionRef(value) && value.connectionId === connectionId) keys.add(key);
  }
  return keys;
}

/** Inline credentials with every secret masked. */
export function maskCredentials(snapshot: Snapshot, credentials: StoredConnection): ConnectionState {
  switch (credentials.kind) {
    case "api-key":
      return { kind: "api-key", apiKey: { secret: "set" } };
    case "basic":
      return { kind: "basic", username: credentials.username, password: { secret: "set" } };
    case "oauth2": {
      const grant = Object.hasOwn(snapshot.oauthGrants, credentials.grantId) ? snapshot.oauthGrants[credentials.grantId] : undefined;
      if (!grant) return { kind: "oauth2", status: "error" };
      return { kind: "oauth2", status: grant.status === "active" ? "active" : "error", account: grant.account };
    }
  }
}

function providerName(snapshot: Snapshot, record: ConnectionRecord): string {
  return snapshot.organizations[record.organizationId]?.name ?? record.organizationId;
}

/**
 * A connection field's value as the API shows it: the record's masked credentials (none for a
 * provided one, S4), its id, and whether it needs reconnecting.
 */
export function fieldState(snapshot: Snapshot, record: ConnectionRecord): ConnectionState {
  const healthy = healthOf(snapshot, record).ok;
  const binding = { connectionId: record.id, ...(!healthy && { needsReconnect: true as const }) };
  if (record.source === "organization") {
    const provided = { ...binding, providedBy: providerName(snapshot, record) };
    const kind = record.credentials.kind;
    return kind === "oauth2" ? { kind, status: healthy ? "active" : "error", ...provided } : { kind, ...provided };
  }
  return { ...maskCredentials(snapshot, record.credentials), ...binding };
}

/** A connection as the API shows it (the customer's and the organization's alike: never a secret). */
export function presentConnection(snapshot: Snapshot, record: ConnectionRecord): Connection {
  const health = healthOf(snapshot, record);
  const provided = record.source === "organization";
  const result: Connection = {
    id: record.id,
    app: record.app,
    kind: record.credentials.kind,
    name: record.name,
    status: health.ok ? "active" : "needs-reconnect",
    usedBy: connectionUses(snapshot, record),
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
  };
  // A provided connection's account may name its key (its last characters): not shown (S4).
  if (health.ok && !provided) result.account = health.account;
  if (!health.ok) result.statusMessage = health.message;
  if (provided) result.providedBy = providerName(snapshot, record);
  else result.credentials = maskCredentials(snapshot, record.credentials);
  return result;
}

/** The owner's connections, oldest first (of one app, when given). */
export function ownerConnections(snapshot: Snapshot, owner: Owner, app?: string): ConnectionRecord[] {
  return Object.values(snapshot.connections)
    .filter((c) => c.organizationId === owner.organizationId && c.customerId === owner.customerId && (app === undefined || c.app === app))
    .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/** A name the owner has not given another connection: `Slack`, then `Slack 2`, … */
export function freshName(snapshot: Snapshot, owner: Owner, app: string): string {
  const taken = new Set(ownerConnections(snapshot, owner).map((c) => c.name.toLocaleLowerCase("en")));
  for (let n = 1; ; n++) {
    const name = n === 1 ? app : `${app} ${n}`;
    if (!taken.has(name.toLocaleLowerCase("en"))) return name;
  }
}

/** Stores a new connection record (announced). */
export function addConnection(
  snapshot: Snapshot,
  input: Owner & { app: string; credentials: StoredConnection; source: ConnectionRecord["source"]; name?: string },
  now: number,
): ConnectionRecord {
  const record: ConnectionRecord = {
    id: newId("con"),
    organizationId: input.organizationId,
    customerId: input.customerId,
    app: input.app,
    name: input.name ?? freshName(snapshot, input, input.app),
    source: input.source,
    credentials: fresh(input.credentials),
    createdAt: now,
    updatedAt: now,
  };
  snapshot.connections[record.id] = record;
  touch(snapshot, "connections", record.id);
  return record;
}

/** New credentials for a record (a reconnect): every instance using it keeps its config. */
export function replaceCredentials(snapshot: Snapshot, record: ConnectionRecord, credentials: StoredConnection, now: number): void {
  record.credentials = fresh(credentials);
  record.updatedAt = now;
  touch(snapshot, "connections", record.id);
}

/** Credentials as typed: whatever the app had revoked before does not carry over. */
function fresh(credentials: StoredConnection): StoredConnection {
  switch (credentials.kind) {
    case "api-key":
      return { kind: "api-key", apiKey: credentials.apiKey };
    case "basic":
      return { kind: "basic", username: credentials.username, password: credentials.password };
    case "oauth2":
      return { kind: "oauth2", grantId: credentials.grantId };
  }
}

/** Whether two credentials are the same (so saving them again changes nothing). */
export function sameCredentials(a: StoredConnection, b: StoredConnection): boolean {
  return JSON.stringify(fresh(a)) === JSON.stringify(fresh(b));
}
