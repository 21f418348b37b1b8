/**
 * Outgoing notifications in the organization API (`/api/v1/org/notification-…`): endpoints, their
 * secrets and rotation, the delivery log and redelivery. Organization API key only, server to
 * server, like the rest of the organization API (organization.ts).
 */
import { deliveryQuery, notificationPaths } from "../../../contract/org-notifications.ts";
import { ApiErrorCode as C } from "../../../contract/errors.ts";
import type { Route } from "../route.ts";
import { orgApi } from "../route-builder.ts";

const ENDPOINT = ["endpointId"] as const;

export const notificationRoutes: Route[] = [
  orgApi.get(notificationPaths.eventTypes, {
    id: "orgListNotificationEventTypes", query: "none", ok: [200, "Event types", "NotificationEventTypeList"],
    summary: "The event types a notification endpoint can subscribe to, with what each is for",
  }, ({ platform }) => platform.notifications.eventTypes()),

  orgApi.get(notificationPaths.endpoints, {
    id: "orgListNotificationEndpoints", query: "none", ok: [200, "Endpoints", "NotificationEndpointList"],
    summary: "The organization's notification endpoints, oldest first, with their health (failing since, last attempt, pending deliveries) and whether the platform disabled them",
  }, ({ platform, organization }) => ({ endpoints: platform.notifications.list(organization) })),

  orgApi.post(notificationPaths.endpoints, {
    id: "orgCreateNotificationEndpoint", body: "NotificationEndpointInput", ok: [201, "Registered", "CreatedNotificationEndpoint"], errors: [C.ValidationFailed, C.Conflict],
    summary: "Register an endpoint and the event types it receives. Its signing secret (`whsec_…`) is in the answer. The URL must be https on a public address: a loopback, private or reserved address, or a local host name, is 422 with `fields.url` (allowed only in the platform's local development mode)",
  }, ({ platform, organization, body }) => platform.notifications.create(organization, body)),

  orgApi.get(notificationPaths.endpoint, { id: "orgGetNotificationEndpoint", params: ENDPOINT, summary: "One notification endpoint", ok: [200, "Endpoint", "NotificationEndpoint"], errors: [C.NotFound] },
    ({ platform, params, organization }) => platform.notifications.get(organization, params.endpointId)),

  orgApi.patch(notificationPaths.endpoint, {
    id: "orgUpdateNotificationEndpoint", params: ENDPOINT, body: "NotificationEndpointUpdate", ok: [200, "Endpoint", "NotificationEndpoint"], errors: [C.NotFound, C.ValidationFailed],
    summary: "Change an endpoint's URL, description or event types, or disable / enable it. Enabling one the platform disabled starts its failure count afresh and sends what waited",
  }, ({ platform, params, organization, body }) => platform.notifications.update(organization, params.endpointId, body)),

  orgApi.delete(notificationPaths.endpoint, {
    id: "orgDeleteNotificationEndpoint", params: ENDPOINT, ok: [200, "Deleted", "DeletedNotificationEndpoint"], errors: [C.NotFound],
    summary: "Delete an endpoint and its delivery log; what was still pending is not sent",
  }, ({ platform, params, organization }) => (platform.notifications.delete(organization, params.endpointId), { id: params.endpointId, deleted: true as const })),

  orgApi.get(notificationPaths.endpointSecret, {
    id: "orgGetNotificationEndpointSecret", params: ENDPOINT, ok: [200, "Secrets", "EndpointSecrets"], errors: [C.NotFound],
    summary: "The secrets that sign the endpoint's deliveries now, newest first: during a rollover, the previous one too, with when it stops",
  }, ({ platform, params, organization }) => platform.notifications.secrets(organization, params.endpointId)),

  orgApi.post(notificationPaths.endpointSecretRotation, {
    id: "orgRotateNotificationEndpointSecret", params: ENDPOINT, body: { optional: "RotateSecretRequest" }, ok: [200, "The secrets that sign now", "EndpointSecrets"], errors: [C.NotFound],
    summary: "Rotate the signing secret: a new one signs from now on, and the previous one keeps signing beside it for `rolloverHours` (default 24, at most 168; 0 ends it now), so a receiver can switch without missing a delivery",
  }, ({ platform, params, organization, body }) => platform.notifications.rotate(organization, params.endpointId, body.rolloverHours)),

  orgApi.get(notificationPaths.endpointDeliveries, {
    id: "orgListNotificationDeliveries", params: ENDPOINT, query: deliveryQuery, ok: [200, "One page of deliveries", "NotificationDeliveryPage"], errors: [C.InvalidCursor, C.NotFound],
    summary: "The endpoint's delivery log, newest first: each event with its state, its next attempt and every attempt (response code, time, the start of the answer). `status` and `eventType` filter; `limit` (default 25, at most 100) and `cursor` page",
  }, ({ platform, params, organization, query }) => platform.notifications.deliveries(organization, params.endpointId, query)),

  orgApi.post(notificationPaths.redelivery, {
    id: "orgRedeliverNotification", params: ["endpointId", "deliveryId"], ok: [200, "The delivery with the new attempt", "NotificationDelivery"], errors: [C.NotFound, C.Conflict, C.ServiceUnavailable],
    summary: "Send one delivery again now, with the same `webhook-id` and a fresh timestamp and signature; answers once the attempt is over (at most 15 s) with the delivery as it is then. 409 while the endpoint is disabled or the delivery is being sent",
  }, ({ platform, params, organization }) => platform.notifications.redeliver(organization, params.endpointId, params.deliveryId)),
];
