/**
 * Connections as first-class objects: the customer's reusable connections (list, add, rename or
 * reconnect, test, remove), the OAuth flow that makes or reconnects one and its status for the
 * user who started it, and the organization providing connections to its customers (org API).
 */
import * as z from "zod/mini";
import { connectionPaths } from "../../../contract/api.ts";
import { orgPaths } from "../../../contract/org-api.ts";
import { ApiErrorCode as C } from "../../../contract/errors.ts";
import { readQuery } from "../request-input.ts";
import type { Route } from "../route.ts";
import { customerApi, orgApi } from "../route-builder.ts";

export const connectionRoutes: Route[] = [
  customerApi.get(connectionPaths.connections, {
    id: "listConnections", query: z.object({ app: z.optional(z.string()) }), ok: [200, "Connections", "ConnectionList"],
    summary: "The customer's connections (of one app, with `app`), oldest first: health, the instances using each, secrets never",
  }, ({ platform, request, caller }) => ({ connections: platform.connections.list(caller, readQuery(request, ["app"]).app || undefined) })),

  customerApi.post(connectionPaths.connections, {
    id: "createConnection", body: "CreateConnectionRequest", ok: [201, "Added", "Connection"], errors: [C.ValidationFailed, C.Forbidden],
    summary: "Add an API-key or basic connection, once the app accepts the credentials (a field error in the app's words otherwise); OAuth connections are made with POST /connections/oauth",
  }, ({ platform, caller, body }) => platform.connections.create(caller, body)),

  customerApi.get(connectionPaths.connectionApps, {
    id: "listConnectionApps", ok: [200, "Apps", "ConnectionAppList"],
    summary: "The apps a connection can be added for: those the organization's integrations connect to, each with its kind of credentials, an icon and the integrations using it, by name",
  }, ({ platform, caller }) => ({ apps: platform.connections.apps(caller) })),

  customerApi.get(connectionPaths.connection, { id: "getConnection", params: ["connectionId"], summary: "One of the customer's connections", ok: [200, "Connection", "Connection"], errors: [C.NotFound] },
    ({ platform, params, caller }) => platform.connections.get(caller, params.connectionId)),

  customerApi.patch(connectionPaths.connection, {
    id: "updateConnection", params: ["connectionId"], body: "UpdateConnectionRequest", ok: [200, "The connection as it now is", "Connection"],
    errors: [C.ValidationFailed, C.Forbidden, C.ConnectionProvided, C.NotFound],
    summary: "Rename a connection and/or reconnect it with new credentials (checked with the app first): every instance using it keeps its config. 403 CONNECTION_PROVIDED for one the host organization provides",
  }, ({ platform, params, caller, body }) => platform.connections.update(caller, params.connectionId, body)),

  customerApi.delete(connectionPaths.connection, {
    id: "deleteConnection", params: ["connectionId"], ok: [200, "Removed", "DeleteConnectionResponse"], errors: [C.Forbidden, C.ConnectionProvided, C.NotFound, C.ConnectionInUse],
    summary: "Remove a connection no instance uses: 409 CONNECTION_IN_USE naming the instances otherwise, 403 CONNECTION_PROVIDED for one the host organization provides",
  }, ({ platform, params, caller }) => platform.connections.delete(caller, params.connectionId)),

  customerApi.post(connectionPaths.connectionCheck, {
    id: "checkConnection", params: ["connectionId"], ok: [200, "The check", "ConnectionCheck"], errors: [C.Forbidden, C.NotFound],
    summary: "Ask the app whether it accepts a stored connection now (`ok`, its words, and the connection with its health)",
  }, ({ platform, params, caller }) => platform.connections.check(caller, params.connectionId)),

  customerApi.post(connectionPaths.connectionOAuth, {
    id: "startConnectionOAuth", body: "OAuthConnectRequest", ok: [200, "Where to send the user", "OAuthStartResponse"], errors: [C.Forbidden, C.ConnectionProvided, C.NotFound],
    summary: "Start an OAuth 2.0 authorization that makes a connection to an app, or reconnects `connectionId`; open authorizeUrl (a popup, or the host's openExternalUrl) and poll GET /connections/oauth/{state}",
  }, ({ platform, caller, origin, body }) => platform.connections.startConnectionOAuth(caller, body, origin)),

  customerApi.get(connectionPaths.connectionOAuthStatus, {
    id: "getOAuthStatus", params: ["state"], ok: [200, "Status", "OAuthStatus"], errors: [C.NotFound],
    summary: "How an OAuth authorization the caller started ended: pending, connected (with the connection) or failed; 404 for anyone else's, or once it expired (10 minutes)",
  }, ({ platform, params, caller }) => platform.connections.oauthStatus(caller, params.state)),

  orgApi.get(orgPaths.customerConnections, {
    id: "orgListConnections", params: ["customerId"], ok: [200, "Connections", "ConnectionList"], errors: [C.NotFound],
    summary: "A customer's connections: their own and the ones the organization provides (never a secret)",
  }, ({ platform, params, organization }) => ({ connections: platform.connections.orgList(organization, params.customerId) })),

  orgApi.post(orgPaths.customerConnections, {
    id: "orgProvideConnection", params: ["customerId"], body: "CreateConnectionRequest", ok: [201, "Provided", "Connection"], errors: [C.ValidationFailed, C.NotFound],
    summary: "Provide a connection to a customer (checked with the app first): the customer can choose it in a connection field and sees \"Provided by\" the organization, never its secret",
  }, ({ platform, params, organization, body }) => platform.connections.orgCreate(organization, params.customerId, body)),

  orgApi.patch(orgPaths.customerConnection, {
    id: "orgUpdateConnection", params: ["customerId", "connectionId"], body: "UpdateConnectionRequest", ok: [200, "The connection as it now is", "Connection"], errors: [C.ValidationFailed, C.NotFound],
    summary: "Rename or reconnect a provided connection (new credentials, checked with the app first); the customer's instances keep their config",
  }, ({ platform, params, organization, body }) => platform.connections.orgUpdate(organization, params.customerId, params.connectionId, body)),

  orgApi.delete(orgPaths.customerConnection, {
    id: "orgDeleteConnection", params: ["customerId", "connectionId"], ok: [200, "Removed", "DeleteConnectionResponse"], errors: [C.NotFound, C.ConnectionInUse],
    summary: "Withdraw a provided connection no instance uses (409 CONNECTION_IN_USE naming the instances otherwise)",
  }, ({ platform, params, organization }) => platform.connections.orgDelete(organization, params.customerId, params.connectionId)),
];
