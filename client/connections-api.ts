/**
 * The customer's connections, on the one validated `call`: list, read, add, rename or reconnect,
 * test and remove, and the OAuth flow that makes or reconnects one (start, then its status for
 * the user who started it). Shared by the frame's Connections screen and `emporium/headless`.
 */
// The connection schemas come from their own module, not api.ts: only this lazy part of the
// headless client needs them, so they stay out of its entry.
import {
  connection,
  connectionCheck,
  connectionList,
  connectionTestResult,
  deleteConnectionResponse,
  oauthStartResponse,
  oauthStatus,
} from "../contract/api-connections.ts";
import { paths } from "../contract/api-paths.ts";
import { connectionPaths } from "../contract/connection-paths.ts";
import type { ConnectionInput, CreateConnectionRequest, UpdateConnectionRequest } from "../contract/api-types.ts";
import type { Call } from "./call.ts";

export const connectionsApi = (call: Call) => ({
  /** The customer's connections (of one app, when given), oldest first. */
  listConnections: async (app?: string) => (await call(connectionList, connectionPaths.connections() + (app ? `?app=${encodeURIComponent(app)}` : ""))).connections,
  getConnection: (id: string) => call(connection, connectionPaths.connection(id)),
  /** Checked with the app first: a refused secret is VALIDATION_FAILED on its field. Not retried (no key: a repeat would add a second one). */
  createConnection: (request: CreateConnectionRequest) => call(connection, connectionPaths.connections(), { method: "post", json: request }),
  /** Rename and/or reconnect with new credentials; every instance using it keeps its config. */
  updateConnection: (id: string, request: UpdateConnectionRequest) => call(connection, connectionPaths.connection(id), { method: "patch", json: request }),
  /** CONNECTION_IN_USE (409, naming the instances) while any instance uses it. */
  deleteConnection: (id: string) => call(deleteConnectionResponse, connectionPaths.connection(id), { method: "delete" }),
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
