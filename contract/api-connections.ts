/**
 * The customer's connections as the REST API serves them: reusable credentials for a third-party
 * app that several instances can use, with their health and the instances using them, and the
 * OAuth flow that makes or reconnects one. Types are written once in api-types.ts; these schemas
 * check them at run time (the frame's Connections screen and connection field, the headless
 * client, the platform's answers). api.ts re-exports all of it.
 */
import * as z from "zod/mini";
import type {
  Connection,
  ConnectionApp,
  ConnectionAppList,
  ConnectionCheck,
  ConnectionList,
  ConnectionStatus,
  ConnectionTestResult,
  ConnectionUse,
  CreateConnectionRequest,
  OAuthStatus,
  UpdateConnectionRequest,
} from "./api-types.ts";
import { connectionInput, connectionKind, connectionState } from "./config-vars.ts";

const nonEmpty = /* @__NO_SIDE_EFFECTS__ */ (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const secret = nonEmpty(4000);

export const connectionStatus = z.enum(["active", "needs-reconnect"]) satisfies z.ZodMiniType<ConnectionStatus>;

export const connectionUse = z.object({
  instanceId: z.string(),
  instanceName: z.string(),
  integrationId: z.string(),
  fieldKey: z.string(),
}) satisfies z.ZodMiniType<ConnectionUse>;

export const connection = z.object({
  id: z.string(),
  app: z.string(),
  kind: connectionKind,
  name: z.string(),
  account: z.optional(z.string()),
  providedBy: z.optional(z.string()),
  status: connectionStatus,
  statusMessage: z.optional(z.string()),
  credentials: z.optional(connectionState),
  usedBy: z.array(connectionUse),
  createdAt: z.string(),
  updatedAt: z.string(),
}) satisfies z.ZodMiniType<Connection>;

export const connectionList = z.object({ connections: z.array(connection) }) satisfies z.ZodMiniType<ConnectionList>;

export const connectionApp = z.object({ app: z.string(), kind: connectionKind, icon: z.string(), integrations: z.array(z.string()) }) satisfies z.ZodMiniType<ConnectionApp>;
export const connectionAppList = z.object({ apps: z.array(connectionApp) }) satisfies z.ZodMiniType<ConnectionAppList>;

/** A connection's name: what the customer recognises it by (1–100 characters). */
export const CONNECTION_NAME_MAX = 100;
export const connectionName = nonEmpty(CONNECTION_NAME_MAX);

/** Typed credentials of a new connection (OAuth connections are made by the OAuth flow). */
export const connectionCredentials = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("api-key"), apiKey: secret }),
  z.strictObject({ kind: z.literal("basic"), username: nonEmpty(500), password: secret }),
]);

export const createConnectionRequest = z.strictObject({
  app: nonEmpty(100),
  name: z.optional(connectionName),
  credentials: connectionCredentials,
}) satisfies z.ZodMiniType<CreateConnectionRequest>;

export const updateConnectionRequest = z.strictObject({
  name: z.optional(connectionName),
  credentials: z.optional(
    z.discriminatedUnion("kind", [
      z.strictObject({ kind: z.literal("api-key"), apiKey: secret }),
      /** The password may be left out to keep the stored one (same username only). */
      z.strictObject({ kind: z.literal("basic"), username: nonEmpty(500), password: z.optional(secret) }),
    ]),
  ),
}) satisfies z.ZodMiniType<UpdateConnectionRequest>;

export const connectionCheck = z.object({ ok: z.boolean(), message: z.string(), connection }) satisfies z.ZodMiniType<ConnectionCheck>;

/** `DELETE /connections/{id}`: what was removed. */
export const deleteConnectionResponse = z.object({ connectionId: z.string() });
export type DeleteConnectionResponse = z.infer<typeof deleteConnectionResponse>;

/**
 * `POST /connections/oauth`: start an OAuth flow for an app, making a new connection, or
 * reconnecting `connectionId` (the same connection, so every instance using it keeps its config).
 */
export const oauthConnectRequest = z.strictObject({ app: nonEmpty(100), connectionId: z.optional(nonEmpty(100)) });
export type OAuthConnectRequest = z.infer<typeof oauthConnectRequest>;

export const oauthStatus = z.discriminatedUnion("status", [
  z.object({ status: z.literal("pending") }),
  z.object({ status: z.literal("connected"), connection }),
  z.object({ status: z.literal("failed"), error: z.object({ code: z.string(), message: z.string() }) }),
]) satisfies z.ZodMiniType<OAuthStatus>;

// A connection field's test and OAuth start (the wizard's), here rather than in api.ts: only code
// that works with connections needs them, so the headless entry does not carry them.
export const connectionTestResult = z.object({ ok: z.boolean(), message: z.string(), state: connectionState }) satisfies z.ZodMiniType<ConnectionTestResult>;

/** Test a connection: the value being typed (secrets omitted = the stored ones), or the stored one. */
export const connectionTestRequest = z.object({ value: z.optional(connectionInput) });
export type ConnectionTestRequest = z.infer<typeof connectionTestRequest>;

export const oauthStartResponse = z.object({
  /** Open this in a popup. */
  authorizeUrl: z.string(),
  /** Opaque; the callback page's message carries it back, and the frame checks it matches. */
  state: z.string(),
});
export type OAuthStartResponse = z.infer<typeof oauthStartResponse>;

export type { Connection, ConnectionApp, ConnectionAppList, ConnectionCheck, ConnectionList, ConnectionStatus, ConnectionUse, CreateConnectionRequest, OAuthStatus, UpdateConnectionRequest };
