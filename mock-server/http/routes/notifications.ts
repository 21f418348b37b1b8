/**
 * Outgoing notifications in the organization API (`/api/v1/org/notification-…`): endpoints, their
 * secrets and rotation, the delivery log and redelivery. Organization API key only, server to
 * server, like the rest of the organization API (organization.ts).
 */
import { deliveryQuery, notificationPaths } from "../../../contract/org-notifications.ts";
import { ApiErrorCode as C } from "../../../contract/errors.ts";
import { readJsonBody } from "../request-body.ts";
import { parseQuery, refuseQuery } from "../request-input.ts";
import { apiRoute, type Route } from "../route.ts";

const ENDPOINT = ["endpointId"] as const;

export const notificationRoutes: Route[] = [
  apiRoute({
    method: "get", path: notificationPaths.eventTypes, operationId: "orgListNotificationEventTypes", tag: "organization", auth: "org",
    summary: "The event types a notification endpoint can subscribe to, with what each is for",
    responses: [{ status: 200, description: "Event types", schema: "NotificationEventTypeList" }], errors: [C.BadRequest],
    handle: ({ platform, request, reply }) => reply((refuseQuery(request), platform.notifications.eventTypes())),
  }),

  apiRoute({
    method: "get", path: notificationPaths.endpoints, operationId: "orgListNotificationEndpoints", tag: "organization", auth: "org",
    summary: "The organization's notification endpoints, oldest first, with their health (failing since, last attempt, pending deliveries) and whether the platform disabled them",
    responses: [{ status: 200, description: "Endpoints", schema: "NotificationEndpointList" }], errors: [C.BadRequest],
    handle: ({ platform, request, organization, reply }) => reply({ endpoints: (refuseQuery(request), platform.notifications.list(organization)) }),
  }),

  apiRoute({
    method: "post", path: notificationPaths.endpoints, operationId: "orgCreateNotificationEndpoint", tag: "organization", auth: "org",
    summary: "Register an endpoint and the event types it receives. Its signing secret (`whsec_…`) is in the answer. The URL must be https on a public address: a loopback, private or reserved address, or a local host name, is 422 with `fields.url` (allowed only in the platform's local development mode)",
    body: { schema: "NotificationEndpointInput" },
    responses: [{ status: 201, description: "Registered", schema: "CreatedNotificationEndpoint" }],
    errors: [C.BadRequest, C.InvalidJson, C.ValidationFailed, C.Conflict],
    async handle({ platform, request, organization, reply, parseBody }) {
      const body = parseBody((await readJsonBody(request)).value, "notification endpoint");
      return reply(platform.notifications.create(organization, body), { status: 201 });
    },
  }),

  apiRoute({
    method: "get", path: notificationPaths.endpoint, params: ENDPOINT, operationId: "orgGetNotificationEndpoint", tag: "organization", auth: "org",
    summary: "One notification endpoint",
    responses: [{ status: 200, description: "Endpoint", schema: "NotificationEndpoint" }], errors: [C.NotFound],
    handle: ({ platform, params, organization, reply }) => reply(platform.notifications.get(organization, params.endpointId)),
  }),

  apiRoute({
    method: "patch", path: notificationPaths.endpoint, params: ENDPOINT, operationId: "orgUpdateNotificationEndpoint", tag: "organization", auth: "org",
    summary: "Change an endpoint's URL, description or event types, or disable / enable it. Enabling one the platform disabled starts its failure count afresh and sends what waited",
    body: { schema: "NotificationEndpointUpdate" }, responses: [{ status: 200, description: "Endpoint", schema: "NotificationEndpoint" }], errors: [C.BadRequest, C.InvalidJson, C.NotFound, C.ValidationFailed],
    handle: async ({ platform, request, params, organization, reply, parseBody }) =>
      reply(platform.notifications.update(organization, params.endpointId, parseBody((await readJsonBody(request)).value, "notification endpoint change"))),
  }),

  apiRoute({
    method: "delete", path: notificationPaths.endpoint, params: ENDPOINT, operationId: "orgDeleteNotificationEndpoint", tag: "organization", auth: "org",
    summary: "Delete an endpoint and its delivery log; what was still pending is not sent",
    responses: [{ status: 200, description: "Deleted", schema: "DeletedNotificationEndpoint" }],
    errors: [C.NotFound],
    handle({ platform, params, organization, reply }) {
      platform.notifications.delete(organization, params.endpointId);
      return reply({ id: params.endpointId, deleted: true });
    },
  }),

  apiRoute({
    method: "get", path: notificationPaths.endpointSecret, params: ENDPOINT, operationId: "orgGetNotificationEndpointSecret", tag: "organization", auth: "org",
    summary: "The secrets that sign the endpoint's deliveries now, newest first: during a rollover, the previous one too, with when it stops",
    responses: [{ status: 200, description: "Secrets", schema: "EndpointSecrets" }], errors: [C.NotFound],
    handle: ({ platform, params, organization, reply }) => reply(platform.notifications.secrets(organization, params.endpointId)),
  }),

  apiRoute({
    method: "post", path: notificationPaths.endpointSecretRotation, params: ENDPOINT, operationId: "orgRotateNotificationEndpointSecret", tag: "organization", auth: "org",
    summary: "Rotate the signing secret: a new one signs from now on, and the previous one keeps signing beside it for `rolloverHours` (default 24, at most 168; 0 ends it now), so a receiver can switch without missing a delivery",
    body: { schema: "RotateSecretRequest", required: false },
    responses: [{ status: 200, description: "The secrets that sign now", schema: "EndpointSecrets" }],
    errors: [C.BadRequest, C.InvalidJson, C.NotFound],
    async handle({ platform, request, params, organization, reply, parseBody }) {
      const raw = await readJsonBody(request);
      const body = parseBody(raw.value ?? {}, "secret rotation");
      return reply(platform.notifications.rotate(organization, params.endpointId, body.rolloverHours));
    },
  }),

  apiRoute({
    method: "get", path: notificationPaths.endpointDeliveries, params: ENDPOINT, operationId: "orgListNotificationDeliveries", tag: "organization", auth: "org",
    summary: "The endpoint's delivery log, newest first: each event with its state, its next attempt and every attempt (response code, time, the start of the answer). `status` and `eventType` filter; `limit` (default 25, at most 100) and `cursor` page",
    query: deliveryQuery,
    responses: [{ status: 200, description: "One page of deliveries", schema: "NotificationDeliveryPage" }],
    errors: [C.BadRequest, C.InvalidCursor, C.NotFound],
    handle: ({ platform, params, organization, request, reply }) =>
      reply(platform.notifications.deliveries(organization, params.endpointId, parseQuery(request, deliveryQuery, ["limit"]))),
  }),

  apiRoute({
    method: "post", path: notificationPaths.redelivery, params: ["endpointId", "deliveryId"], operationId: "orgRedeliverNotification", tag: "organization", auth: "org",
    summary: "Send one delivery again now, with the same `webhook-id` and a fresh timestamp and signature; answers once the attempt is over (at most 15 s) with the delivery as it is then. 409 while the endpoint is disabled or the delivery is being sent",
    responses: [{ status: 200, description: "The delivery with the new attempt", schema: "NotificationDelivery" }],
    errors: [C.NotFound, C.Conflict, C.ServiceUnavailable],
    handle: async ({ platform, params, organization, reply }) => reply(await platform.notifications.redeliver(organization, params.endpointId, params.deliveryId)),
  }),
];
