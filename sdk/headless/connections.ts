/**
 * The headless client's connection functions (issue 14): the customer's connections — list, read,
 * add (API key or basic, checked before anything is sent), rename, reconnect, test, remove — and
 * OAuth (a new connection or a reconnect) through a popup, a link when the popup is blocked, or the
 * host's own `openExternalUrl`. All on the shared client core (client/connections-api.ts and
 * client/oauth-flow.ts, what the frame's connection field and Connections screen use). A chunk
 * of its own (dist/sdk/headless-connections.js), loaded on the first call of one of them; the
 * entry only opens the popup, inside the caller's click, before the chunk loads.
 */
import { checkConnectionRequest, connectionsApi } from "../../client/connections-api.ts";
import { runOAuthFlow } from "../../client/oauth-flow.ts";
import { invalid } from "./invalid-option.ts";
import { createConnectionRequest, updateConnectionRequest } from "../../contract/api-connections.ts";
import { isPopupSize, POPUP_SIZE_EXPECTED } from "../../contract/oauth-popup.ts";
import type { Call } from "../../client/call.ts";
import type { Connection } from "../../contract/api-types.ts";
import type { ConnectionCredentials, ConnectionsClient, OAuthOptions } from "./types.ts";

/** What the chunk gives the entry: the public functions, OAuth ones with the popup the entry opened. */
export type ConnectionsChunk = Omit<ConnectionsClient, "connectOAuth" | "reconnectConnection"> & {
  connectOAuth(app: string, options: OAuthOptions | undefined, popup: Window | null): Promise<Connection>;
  reconnectConnection(connectionId: string, input: ConnectionCredentials | OAuthOptions | undefined, popup: Window | null): Promise<Connection>;
};

const OAUTH_KEYS = ["openExternalUrl", "popup", "popupSize", "onBlocked", "signal"];

/** An id or a name the caller passes: a non-empty string. */
const text = (what: string, value: unknown): string => {
  if (typeof value != "string" || value == "") throw invalid(`${what} as a non-empty string`, value);
  return value;
};

/** The one check of `OAuthOptions`; what it returns is the flow's opener options. */
function readOAuthOptions(options: OAuthOptions | undefined = {}, popup: Window | null) {
  if (typeof options != "object" || options === null) throw invalid("an OAuth options object", options);
  for (const key of Object.keys(options)) if (!OAUTH_KEYS.includes(key)) throw invalid(`an OAuth option (${OAUTH_KEYS.join(", ")})`, key);
  const { openExternalUrl, onBlocked, signal, popupSize } = options;
  for (const key of ["openExternalUrl", "onBlocked"] as const) {
    if (options[key] !== undefined && typeof options[key] != "function") throw invalid(`${key} to be a function (url) => void`, options[key]);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw invalid("signal to be an AbortSignal", signal);
  if (options.popup != null && typeof options.popup.close != "function") throw invalid("popup to be a window you opened (window.open)", options.popup);
  if (popupSize !== undefined && !isPopupSize(popupSize)) throw invalid(`popupSize to be ${POPUP_SIZE_EXPECTED}`, popupSize);
  return {
    opener: openExternalUrl ? ({ kind: "external", open: openExternalUrl } as const) : ({ kind: "popup", popup } as const),
    ...(onBlocked && { onBlocked }),
    ...(signal && { signal }),
  };
}

export function connectionsClient(call: Call, origin: string): ConnectionsChunk {
  const api = connectionsApi(call);
  /** Runs `work`; a popup the entry opened for it is closed when it fails before the flow owns it. */
  const withPopup = async <T,>(popup: Window | null, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (e) {
      popup?.close(); // closing a closed window does nothing
      throw e;
    }
  };
  const oauth = (app: string, options: OAuthOptions | undefined, popup: Window | null, connectionId?: string) =>
    runOAuthFlow({ ...readOAuthOptions(options, popup), start: () => api.startOAuth(app, connectionId), status: api.oauthStatus, origin });

  return {
    async listConnections(query = {}) {
      if (typeof query != "object" || query === null) throw invalid("a query object", query);
      for (const key of Object.keys(query)) if (key != "app") throw invalid("a filter (app)", key);
      if (query.app !== undefined && typeof query.app != "string") throw invalid("a string for app", query.app);
      return api.listConnections(query.app || undefined);
    },
    getConnection: async (connectionId) => api.getConnection(text("the connection id", connectionId)),
    createConnection: async (request) => api.createConnection(checkConnectionRequest(createConnectionRequest, request)),
    renameConnection: async (connectionId, name) =>
      api.updateConnection(text("the connection id", connectionId), checkConnectionRequest(updateConnectionRequest, { name })),
    reconnectConnection: (connectionId, input, popup) =>
      withPopup(popup, async () => {
        const id = text("the connection id", connectionId);
        if ((input as { kind?: unknown } | undefined)?.kind !== undefined) return api.updateConnection(id, checkConnectionRequest(updateConnectionRequest, { credentials: input as ConnectionCredentials }));
        const current = await api.getConnection(id);
        if (current.kind != "oauth2") throw invalid(`new credentials ({ kind: "${current.kind}", … }) for this ${current.kind} connection`, input);
        return oauth(current.app, input as OAuthOptions | undefined, popup, id);
      }),
    testConnection: async (connectionId) => api.testConnection(text("the connection id", connectionId)),
    deleteConnection: async (connectionId) => api.deleteConnection(text("the connection id", connectionId)),
    testConnectionField: async (instanceId, key, value) => api.testConnectionField(text("the instance id", instanceId), text("the field key", key), value),
    connectOAuth: (app, options, popup) =>
      withPopup(popup, async () => oauth(text("the app", app), options, popup)),
  };
}
