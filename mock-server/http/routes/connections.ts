/**
 * Connections as first-class objects: the customer's reusable connections (list, add, rename or
 * reconnect, test, remove), the OAuth flow that makes or reconnects one and its status for the
 * user who started it, and the organization providing connections to its customers (org API).
 */
import * as z from "zod/mini";
import { connectionPaths } from "../../../contract/api.ts";
import { orgPaths } from "../../../contract/org-api.ts";
import { ApiErrorCode as C } from "../../../contract/errors.ts";
import { readJsonBody } from "../request-body.ts";
import { readQuery } from "../request-input.ts";
import { apiRoute, type Route } from "../route.ts";

const customer = { tag: "customer", auth: "customer" } as const;
const org = { tag: "organization", auth: "org" } as const;

export const connectionRoutes: Route[] = [
  apiRoute({
    ...customer, method: "get", path: connectionPaths.connections, operationId: "listConnections",
    summary: "The customer's connections (of one app, with `app`), oldest first: health, the instances using each, secrets never",
    query: z.object({ app: z.optional(z.string()) }),
    responses: [{ status: 200, description: "Connections", schema: "ConnectionList" }], errors: [C.BadRequest],
    handle: ({ platform, request, caller, reply }) => reply({ connections: platform.connections.list(caller, readQuery(request, ["app"]).app || undefined) }),
  }),

  apiRoute({
    ...customer, method: "post", path: connectionPaths.connections, operationId: "createConnection",
    summary: "Add an API-key or basic connection, once the app accepts the credentials (a field error in the app's words otherwise); OAuth connections are made with POST /connections/oauth",
    body: { schema: "CreateConnectionRequest" },
    responses: [{ status: 201, description: "Added", schema: "Connection" }],
    errors: [C.BadRequest, C.InvalidJson, C.ValidationFailed, C.Forbidden],
    async handle({ platform, request, caller, reply, parseBody }) {
      const body = parseBody((await readJsonBody(request)).value, "request body");
      return reply(platform.connections.create(caller, body), { status: 201 });
    },
  }),

  apiRoute({
    ...customer, method: "get", path: connectionPaths.connection, params: ["connectionId"], operationId: "getConnection",
    summary: "One of the customer's connections", responses: [{ status: 200, description: "Connection", schema: "Connection" }], errors: [C.NotFound],
    handle: ({ platform, params, caller, reply }) => reply(platform.connections.get(caller, params.connectionId)),
  }),

  apiRoute({
    ...customer, method: "patch", path: connectionPaths.connection, params: ["connectionId"], operationId: "updateConnection",
    summary: "Rename a connection and/or reconnect it with new credentials (checked with the app first): every instance using it keeps its config. 403 CONNECTION_PROVIDED for one the host organization provides",
    body: { schema: "UpdateConnectionRequest" },
    responses: [{ status: 200, description: "The connection as it now is", schema: "Connection" }],
    errors: [C.BadRequest, C.InvalidJson, C.ValidationFailed, C.Forbidden, C.ConnectionProvided, C.NotFound],
    async handle({ platform, request, params, caller, reply, parseBody }) {
      const body = parseBody((await readJsonBody(request)).value, "request body");
      return reply(platform.connections.update(caller, params.connectionId, body));
    },
  }),

  apiRoute({
    ...customer, method: "delete", path: connectionPaths.connection, params: ["connectionId"], operationId: "deleteConnection",
    summary: "Remove a connection no instance uses: 409 CONNECTION_IN_USE naming the instances otherwise, 403 CONNECTION_PROVIDED for one the host organization provides",
    responses: [{ status: 200, description: "Removed", schema: "DeleteConnectionResponse" }],
    errors: [C.Forbidden, C.ConnectionProvided, C.NotFound, C.ConnectionInUse],
    handle: ({ platform, params, caller, reply }) => reply(platform.connections.delete(caller, params.connectionId)),
  }),

  apiRoute({
    ...customer, method: "post", path: connectionPaths.connectionCheck, params: ["connectionId"], operationId: "checkConnection",
    summary: "Ask the app whether it accepts a stored connection now (`ok`, its words, and the connection with its health)",
    responses: [{ status: 200, description: "The check", schema: "ConnectionCheck" }], errors: [C.Forbidden, C.NotFound],
    handle: ({ platform, params, caller, reply }) => reply(platform.connections.check(caller, params.connectionId)),
  }),

  apiRoute({
    ...customer, method: "post", path: connectionPaths.connectionOAuth, operationId: "startConnectionOAuth",
    summary: "Start an OAuth 2.0 authorization that makes a connection to an app, or reconnects `connectionId`; open authorizeUrl (a popup, or the host's openExternalUrl) and poll GET /connections/oauth/{state}",
    body: { schema: "OAuthConnectRequest" },
    responses: [{ status: 200, description: "Where to send the user", schema: "OAuthStartResponse" }],
    errors: [C.BadRequest, C.InvalidJson, C.Forbidden, C.ConnectionProvided, C.NotFound],
    async handle({ platform, request, caller, origin, reply, parseBody }) {
      const body = parseBody((await readJsonBody(request)).value, "request body");
      return reply(platform.connections.startConnectionOAuth(caller, body, origin));
    },
  }),

  apiRoute({
    ...customer, method: "get", path: connectionPaths.connectionOAuthStatus, params: ["state"], operationId: "getOAuthStatus",
    summary: "How an OAuth authorization the caller started ended: pending, connected (with the connection) or failed; 404 for anyone else's, or once it expired (10 minutes)",
    responses: [{ status: 200, description: "Status", schema: "OAuthStatus" }], errors: [C.NotFound],
    handle: ({ platform, params, caller, reply }) => reply(platform.connections.oauthStatus(caller, params.state)),
  }),

  apiRoute({
    ...org, method: "get", path: orgPaths.customerConnections, params: ["customerId"], operationId: "orgListConnections",
    summary: "A customer's connections: their own and the ones the organization provides (never a secret)",
    responses: [{ status: 200, description: "Connections", schema: "ConnectionList" }], errors: [C.NotFound],
    handle: ({ platform, params, organization, reply }) => reply({ connections: platform.connections.orgList(organization, params.customerId) }),
  }),

  apiRoute({
    ...org, method: "post", path: orgPaths.customerConnections, params: ["customerId"], operationId: "orgProvideConnection",
    summary: "Provide a connection to a customer (checked with the app first): the customer can choose it in a connection field and sees \"Provided by\" the organization, never its secret",
    body: { schema: "CreateConnectionRequest" },
    responses: [{ status: 201, description: "Provided", schema: "Connection" }],
    errors: [C.BadRequest, C.InvalidJson, C.ValidationFailed, C.NotFound],
    async handle({ platform, request, params, organization, reply, parseBody }) {
      const body = parseBody((await readJsonBody(request)).value, "request body");
      return reply(platform.connections.orgCreate(organization, params.customerId, body), { status: 201 });
    },
  }),

  apiRoute({
    ...org, method: "patch", path: orgPaths.customerConnection, params: ["customerId", "connectionId"], operationId: "orgUpdateConnection",
    summary: "Rename or reconnect a provided connection (new credentials, checked with the app first); the customer's instances keep their config",
    body: { schema: "UpdateConnectionRequest" },
    responses: [{ status: 200, description: "The connection as it now is", schema: "Connection" }],
    errors: [C.BadRequest, C.InvalidJson, C.ValidationFailed, C.NotFound],
    async handle({ platform, request, params, organization, reply, parseBody }) {
      const body = parseBody((await readJsonBody(request)).value, "request body");
      return reply(platform.connections.orgUpdate(organization, params.customerId, params.connectionId, body));
    },
  }),

  apiRoute({
    ...org, method: "delete", path: orgPaths.customerConnection, params: ["customerId", "connectionId"], operationId: "orgDeleteConnection",
    summary: "Withdraw a provided connection no instance uses (409 CONNECTION_IN_USE naming the instances otherwise)",
    responses: [{ status: 200, description: "Removed", schema: "DeleteConnectionResponse" }], errors: [C.NotFound, C.ConnectionInUse],
    handle: ({ platform, params, organization, reply }) => reply(platform.connections.orgDelete(organization, params.customerId, params.connectionId)),
  }),
];
