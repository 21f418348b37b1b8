/**
 * The customer's connections, on the one validated `call`: list, read, add, rename or reconnect,
 * test and remove, and the OAuth flow that makes or reconnects one (start, then its status for
 * the user who started it). Shared by the frame's Connections screen and `emporium/headless`.
 */
// The connection schemas come from their own module, not api.ts: only this lazy part of the
// headless client needs them, so they stay out of its entry.
import * as z from "zod/mini";
import {
  connection,
  connectionAppList,
  connectionCheck,
  connectionList,
  connectionTestResult,
  createConnectionRequest,
  deleteConnectionResponse,
  oauthStartResponse,
  oauthStatus,
  updateConnectionRequest,
} from "../contract/api-connections.ts";
import { paths } from "../contract/api-paths.ts";
import { connectionPaths } from "../contract/connection-paths.ts";
import type { ConnectionInput, CreateConnectionRequest, UpdateConnectionRequest } from "../contract/api-types.ts";
import type { Call } from "./call.ts";
import { EmporiumApiError } from "./error.ts";

/** What each field of a connection request is, for "Enter …" (keys as the platform's field errors name them). */
const FIELD_NAMES: Record<string, string> = { app: "the app", name: "a name", credentials: "the credentials", apiKey: "the API key", username: "the username", password: "the password" };

/**
 * A create or update request checked as the platform will check it, before anything is sent:
 * `VALIDATION_FAILED` with a plain-word message per field (`app`, `name`, `kind`, `apiKey`,
 * `username`, `password`: the keys the platform's own field errors use, so one UI shows both).
 * Nothing typed is changed or lost: the caller still holds it.
 */
export function checkConnectionRequest<T extends CreateConnectionRequest | UpdateConnectionRequest>(
  schema: typeof createConnectionRequest | typeof updateConnectionRequest,
  request: T,
): T {
  const parsed = z.safeParse(schema, request, { reportInput: true });
  if (parsed.success) return request;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    if (issue.code == "unrecognized_keys") {
      for (const key of issue.keys) fields[key] ??= `"${key}" is not part of a connection request.`;
      continue;
    }
    const key = String(issue.path.at(-1) ?? "request");
    const value = issue.input;
    fields[key] ??=
      key == "kind" || (issue.code == "invalid_union" && key == "credentials")
        ? 'Expected credentials of kind "api-key" or "basic" (an OAuth connection is made with connectOAuth).'
        : issue.code == "too_big"
          ? `At most ${String(issue.maximum)} characters.`
          : (value === undefined || value === "") && FIELD_NAMES[key]
            ? `Enter ${FIELD_NAMES[key]}.`
            : `Expected ${issue.code == "invalid_type" ? issue.expected : "a valid value"}, received ${value === null ? "null" : typeof value}.`;
  }
  throw new EmporiumApiError("VALIDATION_FAILED", Object.values(fields)[0], 0, fields);
}

export const connectionsApi = (call: Call) => ({
  /** The customer's connections (of one app, when given), oldest first. */
  listConnections: async (app?: string) => (await call(connectionList, connectionPaths.connections() + (app ? `?app=${encodeURIComponent(app)}` : ""))).connections,
  /** The apps a connection can be added for: kind, icon, the integrations using each. */
  listConnectionApps: async () => (await call(connectionAppList, connectionPaths.connectionApps())).apps,
  getConnection: (id: string) => call(connection, connectionPaths.connection(id)),
  /** Checked with the app first: a refused secret is VALIDATION_FAILED on its field. Not retried (no key: a repeat would add a second one). */
  createConnection: (request: CreateConnectionRequest) => call(connection, connectionPaths.connections(), { method: "post", json: request }),
  /** Rename and/or reconnect with new credentials; every instance using it keeps its config. */
  updateConnection: (id: string, request: UpdateConnectionRequest) => call(connection, connectionPaths.connection(id), { method: "patch", json: request }),
  /**
   * CONNECTION_IN_USE (409, naming the instances in its message) while any instance uses it: the
   * error's `usedBy` then lists them (read from the connection right after the refusal).
   */
  async deleteConnection(id: string) {
    try {
      return await call(deleteConnectionResponse, connectionPaths.connection(id), { method: "delete" });
    } catch (e) {
      if (e instanceof EmporiumApiError && e.code == "CONNECTION_IN_USE") {
        const usedBy = await call(connection, connectionPaths.connection(id)).then((c) => c.usedBy, () => []);
        Object.defineProperty(e, "usedBy", { value: usedBy, enumerable: true });
      }
      throw e;
    }
  },
  testConnection: (id: string) => call(connectionCheck, connectionPaths.connectionCheck(id), { method: "post", json: {} }),
  /** A new OAuth connection to `app`, or a reconnect of `connectionId`: where to send the user. */
  startOAuth: (app: string, connectionId?: string) =>
    call(oauthStartResponse, connectionPaths.connectionOAuth(), { method: "post", json: connectionId ? { app, connectionId } : { app } }),
  oauthStatus: (state: string) => call(oauthStatus, connectionPaths.connectionOAuthStatus(state)),
  /** A connection field's value tested: typed credentials (secrets left out = the stored ones), a chosen connection, or what is saved. */
  testConnectionField: (instanceId: string, key: string, value?: ConnectionInput) =>
    call(connectionTestResult, paths.connectionTest(instanceId, key), { method: "post", json: value ? { value } : {} }),
  /** An OAuth flow started from a connection field (the wizard): it ends in a new connection. */
  startFieldOAuth: (instanceId: string, key: string) => call(oauthStartResponse, paths.oauthStart(instanceId, key), { method: "post", json: {} }),
});
export type ConnectionsApi = ReturnType<typeof connectionsApi>;
