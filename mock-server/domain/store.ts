/**
 * The platform's whole state as one JSON-serialisable snapshot. Each transport persists it its
 * own way (a file written atomically, IndexedDB, memory). Times are epoch milliseconds except
 * inside stored executions and alerts, which are kept in their API shape (ISO strings).
 */
import * as z from "zod/mini";
import { alertMonitors, execution, alert, role } from "../../contract/api.ts";
import { keyValuePair, scheduleValue } from "../../contract/config-vars.ts";
import type { AlertMonitors, Alert, Execution, Role } from "../../contract/api.ts";
import type { KeyValuePair, ScheduleValue } from "../../contract/config-vars.ts";

export const SNAPSHOT_VERSION = 1;

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
  | { kind: "api-key"; apiKey: string }
  | { kind: "basic"; username: string; password: string }
  | { kind: "oauth2"; grantId: string };

export type StoredValue = string | number | boolean | string[] | KeyValuePair[] | ScheduleValue | StoredConnection | null;

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
  alertMonitors: AlertMonitors;
  createdAt: number;
  updatedAt: number;
  deployedAt?: number;
}

/** What the wizard has saved so far; deploy copies it into the instance's config. */
export interface ConfigDraft {
  instanceId: string;
  values: Record<string, StoredValue>;
  completedPages: string[];
  updatedAt: number;
}

export type StoredExecution = Execution & { organizationId: string; customerId: string };
export type AlertRecord = Alert & { organizationId: string; customerId: string };

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

/** One span of time an instance was enabled (deployed and not paused); `end` null = still. */
export interface EnabledInterval {
  instanceId: string;
  integrationId: string;
  organizationId: string;
  customerId: string;
  start: number;
  end: number | null;
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
  instanceId: string;
  connectionKey: string;
  app: string;
  scopes: string[];
  redirectUri: string;
  createdAt: number;
  /** Set when the user allowed access; exchanged once at the token endpoint. */
  code?: string;
  codeIssuedAt?: number;
}

/** Records a mocked third-party app keeps per customer: collection path → id → record. */
export type AppData = Record<string, Record<string, Record<string, unknown>>>;

export interface Snapshot {
  version: typeof SNAPSHOT_VERSION;
  organizations: Record<string, OrganizationRecord>;
  customers: Record<string, CustomerRecord>;
  users: Record<string, UserRecord>;
  instances: Record<string, InstanceRecord>;
  drafts: Record<string, ConfigDraft>;
  executions: Record<string, StoredExecution>;
  alerts: Record<string, AlertRecord>;
  idempotency: Record<string, IdempotencyRecord>;
  enabledIntervals: EnabledInterval[];
  oauthGrants: Record<string, OAuthGrant>;
  oauthAuthorizations: Record<string, OAuthAuthorization>;
  /** Keyed by `${app}/${customerId}`. */
  apps: Record<string, AppData>;
}

export function createEmptySnapshot(): Snapshot {
  return {
    version: SNAPSHOT_VERSION,
    organizations: {},
    customers: {},
    users: {},
    instances: {},
    drafts: {},
    executions: {},
    alerts: {},
    idempotency: {},
    enabledIntervals: [],
    oauthGrants: {},
    oauthAuthorizations: {},
    apps: {},
  };
}

// ---------------------------------------------------------------------------------------------
// Loading a snapshot someone else wrote (a file, IndexedDB): validate before trusting it.

const time = z.number().check(z.gte(0));
const str = z.string();

const storedConnection = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("api-key"), apiKey: str }),
  z.object({ kind: z.literal("basic"), username: str, password: str }),
  z.object({ kind: z.literal("oauth2"), grantId: str }),
]);
const storedValue = z.union([
  str,
  z.number(),
  z.boolean(),
  z.array(str),
  z.array(keyValuePair),
  scheduleValue,
  storedConnection,
  z.null(),
]);

const snapshotSchema = z.object({
  version: z.literal(SNAPSHOT_VERSION),
  organizations: z.record(
    str,
    z.object({
      id: str,
      name: str,
      keys: z.array(z.looseObject({ kid: str, kty: z.enum(["EC", "RSA"]), alg: z.enum(["ES256", "RS256"]) })),
      allowedOrigins: z.array(str),
      apiKeys: z.optional(z.array(z.object({ id: str, sha256: str, expiresAt: z.optional(time) }))),
    }),
  ),
  customers: z.record(str, z.object({ id: str, organizationId: str, externalId: str, name: str, createdAt: time })),
  users: z.record(
    str,
    z.object({
      id: str,
      organizationId: str,
      customerId: str,
      subject: str,
      externalId: str,
      name: str,
      role,
      createdAt: time,
      lastSeenAt: time,
    }),
  ),
  instances: z.record(
    str,
    z.object({
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
      alertMonitors,
      createdAt: time,
      updatedAt: time,
      deployedAt: z.optional(time),
    }),
  ),
  drafts: z.record(
    str,
    z.object({ instanceId: str, values: z.record(str, storedValue), completedPages: z.array(str), updatedAt: time }),
  ),
  executions: z.record(str, z.extend(execution, { organizationId: str, customerId: str })),
  alerts: z.record(str, z.extend(alert, { organizationId: str, customerId: str })),
  idempotency: z.record(
    str,
    z.object({
      customerId: str,
      key: str,
      fingerprint: str,
      state: z.enum(["in-progress", "done"]),
      status: z.optional(z.number()),
      body: z.optional(z.unknown()),
      createdAt: time,
    }),
  ),
  enabledIntervals: z.array(
    z.object({
      instanceId: str,
      integrationId: str,
      organizationId: str,
      customerId: str,
      start: time,
      end: z.nullable(time),
    }),
  ),
  oauthGrants: z.record(
    str,
    z.object({
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
    }),
  ),
  oauthAuthorizations: z.record(
    str,
    z.object({
      state: str,
      organizationId: str,
      customerId: str,
      instanceId: str,
      connectionKey: str,
      app: str,
      scopes: z.array(str),
      redirectUri: str,
      createdAt: time,
      code: z.optional(str),
      codeIssuedAt: z.optional(time),
    }),
  ),
  apps: z.record(str, z.record(str, z.record(str, z.record(str, z.unknown())))),
});

export class SnapshotInvalidError extends Error {
  override readonly name = "SnapshotInvalidError";
}

/** Validates a parsed snapshot; throws SnapshotInvalidError naming the first bad path. */
export function parseSnapshot(data: unknown): Snapshot {
  const result = z.safeParse(snapshotSchema, data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new SnapshotInvalidError(`the platform state is not a valid snapshot at ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return result.data as Snapshot;
}
