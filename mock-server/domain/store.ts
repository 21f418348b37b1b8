/**
 * What the platform stores: one interface per kind of record, and the registry of record kinds
 * (`recordKinds`): each kind's schema (checked when a record is loaded from disk or IndexedDB)
 * and which of its strings are secrets (encrypted at rest). The domain reads and writes the
 * records in memory, in tables keyed by id (`Snapshot`); a persistence backend stores each
 * record on its own, so a write costs the size of the records it changed, not of the state
 * (changes.ts). Executions are not a table: there can be millions, so they live in an
 * ExecutionStore queried by page (execution-store.ts).
 *
 * Adding a kind of record is one line in `recordKinds` (plus its interface): tables, loading,
 * validation, persistence in every backend and secret sealing follow from it. Announce every
 * write with `ctx.changed(kind, id)` (or `touch(snapshot, kind, id)` where only the tables are at
 * hand); the memory backend's check (`verifyPersisted`, run by the test helpers) fails a test
 * that writes a record without announcing it.
 *
 * Times are epoch milliseconds except inside alerts and executions, which are kept in their API
 * shape (ISO strings).
 */
import * as z from "zod/mini";
import { execution, role } from "../../contract/api.ts";
import { alert, alertMonitor } from "../../contract/api-observe.ts";
import { keyValuePair, scheduleValue } from "../../contract/config-vars.ts";
import { upgradePlanSummary } from "../../contract/api.ts";
import type { Execution, Role, UpgradePlanSummary } from "../../contract/api.ts";
import type { Alert, AlertMonitor } from "../../contract/api-observe.ts";
import type { IntegrationDefinition } from "../../contract/catalog.ts";
import type { KeyValuePair, ScheduleValue } from "../../contract/config-vars.ts";
import { deliveryStatus, notificationEventType, type DeliveryStatus, type NotificationEventType } from "../../contract/org-notifications.ts";

/** A registered public signing key (never a private one). */
export interface PublicJwk {
  kid: string;
  kty: "EC" | "RSA";
  alg: "ES256" | "RS256";
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
  use?: string;
}

/** An organization API key, as stored: its SHA-256 only. */
export interface OrgApiKeyRecord {
  id: string;
  /** SHA-256 of the key, lowercase hex. */
  sha256: string;
  /** Epoch ms after which the key is refused. */
  expiresAt?: number;
}

export interface OrganizationRecord {
  id: string;
  name: string;
  keys: PublicJwk[];
  /** Exact host origins allowed to embed the marketplace and call the API from a browser. */
  allowedOrigins: string[];
  /** Keys for the organization API (absent in snapshots written before it existed). */
  apiKeys?: OrgApiKeyRecord[];
  /** Longest customer-token lifetime (exp − iat) accepted; absent = the platform's default (1 hour). */
  maxTokenLifetimeSeconds?: number;
}

export interface CustomerRecord {
  id: string;
  organizationId: string;
  externalId: string;
  name: string;
  createdAt: number;
}

export interface UserRecord {
  id: string;
  organizationId: string;
  customerId: string;
  /** The token's `sub`. */
  subject: string;
  externalId: string;
  name: string;
  /** Role of the last token seen; each request uses its own token's role. */
  role: Role;
  createdAt: number;
  lastSeenAt: number;
}

/** A connection as the platform stores it: with its secrets (never returned in clear). */
export type StoredConnection =
  /** `revoked`: the app no longer accepts this key or password (the mock apps' revoke switch). */
  | { kind: "api-key"; apiKey: string; revoked?: true }
  | { kind: "basic"; username: string; password: string; revoked?: true }
  | { kind: "oauth2"; grantId: string };

/**
 * A connection field's stored value: the connection record it uses (several instances may share
 * one). Values stored before connections were records hold the credentials inline
 * (`StoredConnection`); they keep working, and become a record the next time the page is saved.
 */
export interface ConnectionRef {
  connectionId: string;
}

export type StoredValue = string | number | boolean | string[] | KeyValuePair[] | ScheduleValue | StoredConnection | ConnectionRef | null;

/**
 * A customer's connection to a third-party app, reusable by every instance whose connection field
 * asks for the same app and kind. `source: "organization"`: the host organization provided it
 * (org API); the customer can use it, never see or change its credentials (S4). Its health is
 * not stored: it is what the app says of the credentials now (connection-records.ts).
 */
export interface ConnectionRecord {
  id: string;
  organizationId: string;
  customerId: string;
  app: string;
  name: string;
  source: "customer" | "organization";
  /** Sealed at rest (the secret strings). */
  credentials: StoredConnection;
  createdAt: number;
  updatedAt: number;
}

export type InstanceStatus = "draft" | "deploying" | "deployed" | "paused";

export interface InstanceRecord {
  id: string;
  organizationId: string;
  customerId: string;
  integrationId: string;
  name: string;
  description: string;
  labels: string[];
  status: InstanceStatus;
  /** Values the running instance uses: the draft as of the last deploy. */
  config: Record<string, StoredValue>;
  /** Webhook token per webhook-triggered flow; generated on the first deploy, then kept. */
  webhookTokens: Record<string, string>;
  /** Next run per schedule-triggered flow while the instance runs (null: never). */
  nextRuns: Record<string, number | null>;
  /** Set once the instance got its default alert monitors (monitors.ts), so deleting them sticks. */
  monitorsInitialized?: true;
  createdAt: number;
  updatedAt: number;
  deployedAt?: number;
  /**
   * Written by earlier versions: the retention mark, now an `executionExpiry` record of its own
   * (moved there at load, execution-expiry.ts).
   */
  executionsExpiredThrough?: number;
  /** The integration version it runs (for a draft: is set up with); absent in older state = 1. */
  integrationVersion?: number;
  /** Per connection field, when the organization was told it needs a reconnect (reconnect-notices.ts). */
  reconnectToldAt?: Record<string, number>;
}

/**
 * A deactivated instance, kept for the retention period so its history stays explainable: the
 * organization sees it (and its failed removal run), usage still counts its enabled time, and
 * its own customer hears it is gone (410 INSTANCE_DELETED) rather than "never was". Its secrets
 * are not kept: config and webhook tokens are emptied when it is removed.
 */
export type RemovedInstanceRecord = InstanceRecord & {
  deletedAt: number;
  deletedBy: { kind: "user" | "organization"; id: string; name: string };
};

/** An upgrade in progress: the values for `toVersion`, saved page by page beside the running ones. */
export interface UpgradeDraft {
  toVersion: number;
  startedAt: number;
  /** What the upgrade did to the values when it started (the asks the wizard shows). */
  plan: UpgradePlanSummary;
  values: Record<string, StoredValue>;
  /** Data-source labels of its values, as in ConfigDraft (carried over with the values they label). */
  optionLabels?: Record<string, Record<string, string>>;
  completedPages: string[];
}

/** A version of an integration that an organization published (the platform's own ones are its catalog). Keyed by `${organizationId}/${integrationId}/${version}`. */
export interface PublishedVersion {
  organizationId: string;
  integrationId: string;
  version: number;
  definition: IntegrationDefinition;
  publishedAt: number;
}

/** What the wizard has saved so far; deploy copies it into the instance's config. */
export interface ConfigDraft {
  instanceId: string;
  values: Record<string, StoredValue>;
  /** The app's label of each saved data-source value, as it was when chosen (field → value → label). */
  optionLabels?: Record<string, Record<string, string>>;
  completedPages: string[];
  updatedAt: number;
  /** An upgrade being configured: page saves go here until it is deployed (then it replaces the values) or canceled. */
  upgrade?: UpgradeDraft;
}

export type StoredExecution = Execution & { organizationId: string; customerId: string };
export type AlertRecord = Alert & { organizationId: string; customerId: string };

/**
 * An alert monitor with what it has counted so far: matching runs not yet alerted on
 * (`pending`, epoch ms, within its window) and its latest alert, which later occurrences are
 * counted into while it is unresolved or the monitor is quiet.
 */
export type MonitorRecord = AlertMonitor & {
  organizationId: string;
  customerId: string;
  pending: number[];
  lastAlertId?: string;
  lastAlertAt?: number;
  /** `no-success`: the end of the last period it alerted on (the next period starts there). */
  checkedThrough?: number;
};

export interface IdempotencyRecord {
  customerId: string;
  key: string;
  /** What the first request was (method, path, body hash): a different one reusing the key is refused. */
  fingerprint: string;
  state: "in-progress" | "done";
  status?: number;
  body?: unknown;
  createdAt: number;
}

/**
 * One span of time an instance was enabled (deployed and not paused), or paused (`paused`);
 * `end` null = still.
 */
export interface EnabledInterval {
  id: string;
  instanceId: string;
  integrationId: string;
  organizationId: string;
  customerId: string;
  start: number;
  end: number | null;
  /** A paused span: shown in usage, never billed. */
  paused?: true;
}

export interface OAuthGrant {
  id: string;
  organizationId: string;
  customerId: string;
  app: string;
  account: string;
  scopes: string[];
  accessToken: string;
  refreshToken: string;
  status: "active" | "revoked";
  createdAt: number;
}

export interface OAuthAuthorization {
  state: string;
  organizationId: string;
  customerId: string;
  /** The user who started it: only they may ask how it ended (S5). Absent in records of earlier versions. */
  userId?: string;
  /** Started from an instance's connection field (absent: from the Connections screen or the headless client). */
  instanceId?: string;
  connectionKey?: string;
  /** The connection it reconnects; absent: it makes a new one. */
  connectionId?: string;
  app: string;
  scopes: string[];
  redirectUri: string;
  createdAt: number;
  /** Set when the user allowed access; exchanged once at the token endpoint. */
  code?: string;
  codeIssuedAt?: number;
  /** How it ended, kept until it expires for the starter's status poll; a second callback is refused. */
  result?: { ok: true; connectionId: string; grantId: string; account: string } | { ok: false; code: string; message: string };
}

/**
 * An organization's notification endpoint (notifications.ts). `secrets`: newest first; an older
 * one signs too until its `expiresAt` (a rollover). Secrets are sealed at rest.
 */
export interface NotificationEndpointRecord {
  id: string;
  organizationId: string;
  url: string;
  description: string;
  eventTypes: NotificationEventType[];
  /** Off, and why: by someone (`manual`) or by the platform after sustained failure (`failing`). */
  disabled?: { at: number; reason: "manual" | "failing" };
  secrets: Array<{ secret: string; createdAt: number; expiresAt?: number }>;
  /** The first failed attempt since the last success. */
  failingSince?: number;
  consecutiveFailures: number;
  lastAttempt?: { at: number; ok: boolean; responseStatus?: number };
  createdAt: number;
  updatedAt: number;
}

/** One attempt to deliver a notification. */
export interface DeliveryAttemptRecord {
  at: number;
  durationMs: number;
  responseStatus?: number;
  error?: string;
  responseBody?: string;
  manual?: true;
}

/**
 * One event on its way to one endpoint: the exact body signed (the same on every attempt), its
 * state, when the next attempt is due, and the attempts so far. A record, so a restart during
 * the retries loses nothing: the next process picks up every pending delivery.
 */
export interface NotificationDeliveryRecord {
  id: string;
  /** `webhook-id`: the same on every attempt and redelivery. */
  messageId: string;
  organizationId: string;
  endpointId: string;
  customerId?: string;
  eventType: NotificationEventType;
  payload: string;
  createdAt: number;
  status: DeliveryStatus;
  nextAttemptAt?: number;
  attempts: DeliveryAttemptRecord[];
}

/** Records a mocked third-party app keeps per customer: collection path → id → record. */
export type AppData = Record<string, Record<string, Record<string, unknown>>>;

/**
 * One record a mocked app keeps (third-party-apps.ts), stored on its own so that a flow adding
 * one costs one small write, not its whole collection. `seq` keeps the order records were made
 * in (a capped collection drops its oldest). Keyed by appRecordKey.
 */
export interface AppRecord {
  app: string;
  customerId: string;
  collection: string;
  id: string;
  seq: number;
  record: Record<string, unknown>;
}

/**
 * Per instance (live or removed; keyed by its id), the start time (epoch ms) of the newest
 * execution the retention policy removed: a missing execution id that started at or before it
 * answers 410 EXECUTION_EXPIRED, not 404 (execution-expiry.ts). A record of its own rather than a
 * field of the instance: retention moves it on nearly every write of a busy instance, and the
 * instance record is large and holds secrets, so each move re-sealed and rewrote all of it.
 */
export interface ExecutionExpiryRecord {
  id: string;
  through: number;
}

/**
 * The kinds of record the platform keeps, each with the schema a stored record must pass when it
 * is loaded and, where it holds secrets, a function returning a copy with every secret string
 * replaced by `seal(secret)`: that is how secrets reach disk or IndexedDB only encrypted
 * (AES-256-GCM, see persistence/secret-box.ts), whatever the backend. One line per kind.
 */
export const recordKinds = {
  organizations: kind<OrganizationRecord>(() => organizationSchema),
  customers: kind<CustomerRecord>(() => customerSchema),
  users: kind<UserRecord>(() => userSchema),
  instances: kind<InstanceRecord>(() => instanceSchema, (r, seal) => ({ ...r, config: sealValues(r.config, seal), webhookTokens: mapValues(r.webhookTokens, seal) })),
  drafts: kind<ConfigDraft>(() => draftSchema, (r, seal) => ({
    ...r,
    values: sealValues(r.values, seal),
    ...(r.upgrade ? { upgrade: { ...r.upgrade, values: sealValues(r.upgrade.values, seal) } } : {}),
  })),
  alerts: kind<AlertRecord>(() => alertSchema),
  monitors: kind<MonitorRecord>(() => monitorSchema),
  idempotency: kind<IdempotencyRecord>(() => idempotencySchema),
  enabledIntervals: kind<EnabledInterval>(() => intervalSchema),
  oauthGrants: kind<OAuthGrant>(() => grantSchema, (r, seal) => ({ ...r, accessToken: seal(r.accessToken), refreshToken: seal(r.refreshToken) })),
  oauthAuthorizations: kind<OAuthAuthorization>(() => authorizationSchema, (r, seal) => (r.code === undefined ? r : { ...r, code: seal(r.code) })),
  connections: kind<ConnectionRecord>(() => connectionSchema, (r, seal) => ({ ...r, credentials: sealConnection(r.credentials, seal) as StoredConnection })),
  /**
   * Keyed by `${app}/${customerId}`: which collections the customer's account has (each `{}`;
   * their records are `appRecords`). Written before appRecords existed with the records inside,
   * which are moved out when the app is first used (third-party-apps.ts).
   */
  apps: kind<AppData>(() => appDataSchema),
  appRecords: kind<AppRecord>(() => appRecordSchema),
  integrationVersions: kind<PublishedVersion>(() => publishedVersionSchema),
  notificationEndpoints: kind<NotificationEndpointRecord>(() => notificationEndpointSchema, (r, seal) => ({ ...r, secrets: r.secrets.map((s) => ({ ...s, secret: seal(s.secret) })) })),
  notificationDeliveries: kind<NotificationDeliveryRecord>(() => notificationDeliverySchema),
  removedInstances: kind<RemovedInstanceRecord>(() => removedInstanceSchema),
  executionExpiry: kind<ExecutionExpiryRecord>(() => executionExpirySchema),
};

export type RecordKindName = keyof typeof recordKinds;
export type RecordOf<K extends RecordKindName> = (typeof recordKinds)[K] extends RecordKind<infer T> ? T : never;
export const RECORD_KIND_NAMES = Object.keys(recordKinds) as RecordKindName[];

/** The records in memory: one table per kind, keyed by id. JSON-serialisable. */
export type Snapshot = { [K in RecordKindName]: Record<string, RecordOf<K>> };

export interface RecordKind<T> {
  /** Checks a record read from storage (a file or IndexedDB someone else may have written). */
  readonly schema: () => z.ZodMiniType<T>;
  /** A copy of the record with each secret string replaced by `seal(secret)`; absent: no secrets. */
  readonly secrets?: (record: T, seal: (secret: string) => string) => T;
}

function kind<T>(schema: () => z.ZodMiniType<unknown>, secrets?: (record: T, seal: (secret: string) => string) => T): RecordKind<T> {
  return { schema: schema as () => z.ZodMiniType<T>, ...(secrets ? { secrets } : {}) };
}

function mapValues(values: Record<string, string>, seal: (secret: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, seal(value)]));
}

/** Config values with each stored connection's secret (API key, password) sealed. */
export function sealValues(values: Record<string, StoredValue>, seal: (secret: string) => string): Record<string, StoredValue> {
  const out: Record<string, StoredValue> = {};
  for (const [key, value] of Object.entries(values)) out[key] = sealConnection(value, seal);
  return out;
}

/** A stored connection with its secret sealed; any other value as it is. */
export function sealConnection(value: StoredValue, seal: (secret: string) => string): StoredValue {
  if (typeof value !== "object" || value === null || Array.isArray(value) || !("kind" in value)) return value;
  if (value.kind === "api-key") return { ...value, apiKey: seal(value.apiKey) };
  if (value.kind === "basic") return { ...value, password: seal(value.password) };
  return value;
}

export function createEmptySnapshot(): Snapshot {
  return Object.fromEntries(RECORD_KIND_NAMES.map((name) => [name, {}])) as Snapshot;
}

/**
 * Announces that records of `kind` were written or deleted in `snapshot` (the store reads their
 * current value when it writes, so one call after the last change of a request is enough). The
 * tables are tied to the store that persists them when the platform is built (changes.ts).
 */
export function touch(snapshot: Snapshot, kind: RecordKindName, ...ids: string[]): void {
  trackers.get(snapshot)?.(kind, ids);
}

const trackers = new WeakMap<Snapshot, (kind: RecordKindName, ids: string[]) => void>();

/** Ties `snapshot` to the function that records its changes (changes.ts; once per platform). */
export function trackChanges(snapshot: Snapshot, tracker: (kind: RecordKindName, ids: string[]) => void): void {
  trackers.set(snapshot, tracker);
}

// ---------------------------------------------------------------------------------------------
// Schemas: what a stored record must look like when it is loaded.

const time = z.number().check(z.gte(0));
const str = z.string();

const revoked = z.optional(z.literal(true));
const storedConnection = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("api-key"), apiKey: str, revoked }),
  z.object({ kind: z.literal("basic"), username: str, password: str, revoked }),
  z.object({ kind: z.literal("oauth2"), grantId: str }),
]);
const storedValue = z.union([str, z.number(), z.boolean(), z.array(str), z.array(keyValuePair), scheduleValue, storedConnection, z.strictObject({ connectionId: str }), z.null()]);

const organizationSchema = z.object({
  id: str,
  name: str,
  keys: z.array(z.looseObject({ kid: str, kty: z.enum(["EC", "RSA"]), alg: z.enum(["ES256", "RS256"]) })),
  allowedOrigins: z.array(str),
  apiKeys: z.optional(z.array(z.object({ id: str, sha256: str, expiresAt: z.optional(time) }))),
  maxTokenLifetimeSeconds: z.optional(z.number().check(z.gte(1))),
});
const customerSchema = z.object({ id: str, organizationId: str, externalId: str, name: str, createdAt: time });
const userSchema = z.object({
  id: str,
  organizationId: str,
  customerId: str,
  subject: str,
  externalId: str,
  name: str,
  role: role(),
  createdAt: time,
  lastSeenAt: time,
});
const instanceSchema = z.object({
  id: str,
  organizationId: str,
  customerId: str,
  integrationId: str,
  name: str,
  description: str,
  labels: z.array(str),
  status: z.enum(["draft", "deploying", "deployed", "paused"]),
  config: z.record(str, storedValue),
  webhookTokens: z.record(str, str),
  nextRuns: z.record(str, z.nullable(time)),
  monitorsInitialized: z.optional(z.literal(true)),
  /** Written before monitors could be edited: turned into monitor records at load (monitors.ts). */
  alertMonitors: z.optional(z.object({ failedExecution: z.boolean(), slowerThanMs: z.nullable(time) })),
  createdAt: time,
  updatedAt: time,
  deployedAt: z.optional(time),
  executionsExpiredThrough: z.optional(time),
  integrationVersion: z.optional(z.int().check(z.gte(1))),
  reconnectToldAt: z.optional(z.record(str, time)),
});
const removedInstanceSchema = z.extend(instanceSchema, {
  deletedAt: time,
  deletedBy: z.object({ kind: z.enum(["user", "organization"]), id: str, name: str }),
});
const draftSchema = z.object({
  instanceId: str,
  values: z.record(str, storedValue),
  optionLabels: z.optional(z.record(str, z.record(str, str))),
  completedPages: z.array(str),
  updatedAt: time,
  upgrade: z.optional(
    z.object({
      toVersion: z.int(),
      startedAt: time,
      plan: upgradePlanSummary,
      values: z.record(str, storedValue),
      optionLabels: z.optional(z.record(str, z.record(str, str))),
      completedPages: z.array(str),
    }),
  ),
});
// The definition is checked again, by the catalog's own rules, when the platform loads it (integration-versions.ts).
const publishedVersionSchema = z.object({ organizationId: str, integrationId: str, version: z.int(), definition: z.looseObject({ id: str }), publishedAt: time });
export const storedExecutionSchema = z.extend(execution, { organizationId: str, customerId: str });
// Alerts written before they had a status are loaded as open, counted once (alerts.ts).
const alertSchema = z.extend(alert, {
  organizationId: str,
  customerId: str,
  status: z.optional(alert.shape.status),
  occurrences: z.optional(z.number()),
  lastOccurredAt: z.optional(str),
});
const monitorSchema = z.extend(alertMonitor, {
  organizationId: str,
  customerId: str,
  pending: z.array(time),
  lastAlertId: z.optional(str),
  lastAlertAt: z.optional(time),
  checkedThrough: z.optional(time),
});
const idempotencySchema = z.object({
  customerId: str,
  key: str,
  fingerprint: str,
  state: z.enum(["in-progress", "done"]),
  status: z.optional(z.number()),
  body: z.optional(z.unknown()),
  createdAt: time,
});
const intervalSchema = z.object({
  id: str,
  instanceId: str,
  integrationId: str,
  organizationId: str,
  customerId: str,
  start: time,
  end: z.nullable(time),
  paused: z.optional(z.literal(true)),
});
const grantSchema = z.object({
  id: str,
  organizationId: str,
  customerId: str,
  app: str,
  account: str,
  scopes: z.array(str),
  accessToken: str,
  refreshToken: str,
  status: z.enum(["active", "revoked"]),
  createdAt: time,
});
const authorizationSchema = z.object({
  state: str,
  organizationId: str,
  customerId: str,
  userId: z.optional(str),
  instanceId: z.optional(str),
  connectionKey: z.optional(str),
  connectionId: z.optional(str),
  app: str,
  scopes: z.array(str),
  redirectUri: str,
  createdAt: time,
  code: z.optional(str),
  codeIssuedAt: z.optional(time),
  result: z.optional(
    z.discriminatedUnion("ok", [
      z.object({ ok: z.literal(true), connectionId: str, grantId: str, account: str }),
      z.object({ ok: z.literal(false), code: str, message: str }),
    ]),
  ),
});
const connectionSchema = z.object({
  id: str,
  organizationId: str,
  customerId: str,
  app: str,
  name: str,
  source: z.enum(["customer", "organization"]),
  credentials: storedConnection,
  createdAt: time,
  updatedAt: time,
});
const notificationEndpointSchema = z.object({
  id: str,
  organizationId: str,
  url: str,
  description: str,
  eventTypes: z.array(notificationEventType),
  disabled: z.optional(z.object({ at: time, reason: z.enum(["manual", "failing"]) })),
  secrets: z.array(z.object({ secret: str, createdAt: time, expiresAt: z.optional(time) })).check(z.minLength(1)),
  failingSince: z.optional(time),
  consecutiveFailures: z.number(),
  lastAttempt: z.optional(z.object({ at: time, ok: z.boolean(), responseStatus: z.optional(z.number()) })),
  createdAt: time,
  updatedAt: time,
});
const notificationDeliverySchema = z.object({
  id: str,
  messageId: str,
  organizationId: str,
  endpointId: str,
  customerId: z.optional(str),
  eventType: notificationEventType,
  payload: str,
  createdAt: time,
  status: deliveryStatus,
  nextAttemptAt: z.optional(time),
  attempts: z.array(
    z.object({
      at: time,
      durationMs: z.number(),
      responseStatus: z.optional(z.number()),
      error: z.optional(str),
      responseBody: z.optional(str),
      manual: z.optional(z.literal(true)),
    }),
  ),
});
const appDataSchema = z.record(str, z.record(str, z.record(str, z.unknown())));
const appRecordSchema = z.object({ app: str, customerId: str, collection: str, id: str, seq: z.number(), record: z.record(str, z.unknown()) });
const executionExpirySchema = z.object({ id: str, through: time });

export class SnapshotInvalidError extends Error {
  override readonly name = "SnapshotInvalidError";
}

/** Checks one stored record of `kind`; throws SnapshotInvalidError naming the kind, id and first bad path. */
export function parseRecord<K extends RecordKindName>(name: K, id: string, data: unknown): RecordOf<K> {
  const result = z.safeParse(recordKinds[name].schema(), data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new SnapshotInvalidError(`the stored ${name} record "${id}" is not valid at ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return result.data as RecordOf<K>;
}

// ---------------------------------------------------------------------------------------------
// The state file of earlier versions: the whole state as one JSON object (version 1), executions
// and billing intervals inside. Read once to import it into a record-level store.

export const SNAPSHOT_VERSION = 1;

export interface LegacySnapshot {
  tables: Snapshot;
  executions: StoredExecution[];
}

/** Validates a version-1 snapshot and splits it into tables and executions; throws SnapshotInvalidError naming the first bad path. */
export function parseSnapshot(data: unknown): LegacySnapshot {
  const result = z.safeParse(legacySchema, data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new SnapshotInvalidError(`the platform state is not a valid snapshot at ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  const { version: _v, executions, enabledIntervals, ...rest } = result.data;
  const tables = { ...createEmptySnapshot(), ...(rest as Partial<Snapshot>) };
  enabledIntervals.forEach((interval, i) => {
    const id = `int_legacy${i}`;
    tables.enabledIntervals[id] = { ...interval, id };
  });
  return { tables, executions: Object.values(executions) as StoredExecution[] };
}

const legacySchema = z.object({
  version: z.literal(SNAPSHOT_VERSION),
  organizations: z.record(str, organizationSchema),
  customers: z.record(str, customerSchema),
  users: z.record(str, userSchema),
  instances: z.record(str, instanceSchema),
  drafts: z.record(str, draftSchema),
  executions: z.record(str, storedExecutionSchema),
  alerts: z.record(str, alertSchema),
  idempotency: z.record(str, idempotencySchema),
  enabledIntervals: z.array(z.omit(intervalSchema, { id: true })),
  oauthGrants: z.record(str, grantSchema),
  oauthAuthorizations: z.record(str, authorizationSchema),
  apps: z.record(str, appDataSchema),
  connections: z.optional(z.record(str, connectionSchema)),
});
