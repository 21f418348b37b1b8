/**
 * The paths of the customer's connections (no zod), apart from api-paths.ts: only the code that
 * manages connections needs them, so the headless entry does not carry them. api.ts re-exports them.
 */
import { API_PREFIX } from "./list-paths.ts";

export const connectionPaths = {
  /** GET ?app: the customer's connections; POST (`createConnectionRequest`): add one (checked with the app first). */
  connections: () => `${API_PREFIX}/connections`,
  /** GET: one connection; PATCH (`updateConnectionRequest`): rename or reconnect it; DELETE: remove it (409 CONNECTION_IN_USE while instances use it). */
  connection: (id: string) => `${API_PREFIX}/connections/${encodeURIComponent(id)}`,
  /** GET: the apps a connection can be added for (`connectionAppList`); beside `/connections/{id}`, so no app name is read as an id. */
  connectionApps: () => `${API_PREFIX}/connection-apps`,
  /** POST: ask the app whether it accepts a stored connection. */
  connectionCheck: (id: string) => `${API_PREFIX}/connections/${encodeURIComponent(id)}/test`,
  /** POST (`oauthConnectRequest`): start an OAuth flow that makes or reconnects a connection; answers `oauthStartResponse`. */
  connectionOAuth: () => `${API_PREFIX}/connections/oauth`,
  /** GET: where the OAuth flow with this `state` stands (`oauthStatus`); only for the user who started it. */
  connectionOAuthStatus: (state: string) => `${API_PREFIX}/connections/oauth/${encodeURIComponent(state)}`,
} as const;
