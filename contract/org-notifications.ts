/**
 * Outgoing notifications, part of the organization API: the organization registers endpoints on
 * its own backend, picks the event types each receives, and the platform POSTs every such event
 * there, signed the Standard Webhooks way (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, secret `whsec_<base64>`),
 * retried with exponential backoff and jitter until it is answered 2xx. Every delivery and each of
 * its attempts is logged (response code, time, the start of the answer) and can be sent again.
 * The algorithm, the payloads and the retry schedule: docs/notifications.md.
 */
import * as z from "zod/mini";
import { ORG_API_PREFIX } from "./org-api.ts";

const text = (max: number) => z.string().check(z.maxLength(max));

/** Every event type an endpoint can subscribe to, in the order the console lists them. */
export const NOTIFICATION_EVENT_TYPES = [
  "instance.deployed",
  "instance.upgraded",
  "instance.paused",
  "instance.resumed",
  "instance.deleted",
  "execution.failed",
  "alert.raised",
  "alert.resolved",
  "connection.reconnect_needed",
  "endpoint.disabled",
] as const;
export const notificationEventType = z.enum(NOTIFICATION_EVENT_TYPES);
export type NotificationEventType = z.infer<typeof notificationEventType>;

/** Secret prefix (Standard Webhooks): the rest is the base64 of the key's bytes. */
export const WEBHOOK_SECRET_PREFIX = "whsec_";
/** Longest endpoint URL accepted. */
export const NOTIFICATION_URL_MAX_LENGTH = 2000;
/** Most endpoints one organization may register. */
export const NOTIFICATION_ENDPOINTS_MAX = 20;
/** How long the previous secret keeps verifying after a rotation: default and most (hours). */
export const SECRET_ROLLOVER_HOURS_DEFAULT = 24;
export const SECRET_ROLLOVER_HOURS_MAX = 7 * 24;
export const DELIVERY_PAGE_SIZE_DEFAULT = 25;
export const DELIVERY_PAGE_SIZE_MAX = 100;

const id = (value: string) => encodeURIComponent(value);
const endpoints = `${ORG_API_PREFIX}/notification-endpoints`;

/** Every path of the notifications part of the organization API. */
export const notificationPaths = {
  /** GET: the event types with what each is for. */
  eventTypes: () => `${ORG_API_PREFIX}/notification-event-types`,
  /** GET: the organization's endpoints; POST (`notificationEndpointInput`): register one (its secret is in the answer). */
  endpoints: () => endpoints,
  /** GET; PATCH (`notificationEndpointUpdate`): URL, description, event types, enabled; DELETE (its log goes too). */
  endpoint: (endpointId: string) => `${endpoints}/${id(endpointId)}`,
  /** GET: the secrets that sign deliveries now (the newest first; during a rollover, the previous one with its end). */
  endpointSecret: (endpointId: string) => `${endpoints}/${id(endpointId)}/secret`,
  /** POST (`rotateSecretRequest`): a new secret; the previous one keeps signing for `rolloverHours`. */
  endpointSecretRotation: (endpointId: string) => `${endpoints}/${id(endpointId)}/secret/rotate`,
  /** GET ?status&eventType&limit&cursor: the endpoint's delivery log, newest first. */
  endpointDeliveries: (endpointId: string) => `${endpoints}/${id(endpointId)}/deliveries`,
  /** POST: send one delivery again now, same `webhook-id` (the answer waits for the attempt). */
  redelivery: (endpointId: string, deliveryId: string) => `${endpoints}/${id(endpointId)}/deliveries/${id(deliveryId)}/redeliver`,
} as const;

// ---------------------------------------------------------------------------------------------
// Endpoints

export const notificationEventTypeInfo = z.object({ type: notificationEventType, description: z.string() });
export const notificationEventTypeList = z.object({ eventTypes: z.array(notificationEventTypeInfo) });
export type NotificationEventTypeList = z.infer<typeof notificationEventTypeList>;

/** Register an endpoint. The URL's rules (https, no private network outside development mode) answer 422 with `fields.url`. */
export const notificationEndpointInput = z.strictObject({
  url: text(NOTIFICATION_URL_MAX_LENGTH),
  description: z.optional(text(500)),
  /** At least one. */
  eventTypes: z.array(notificationEventType).check(z.minLength(1), z.maxLength(NOTIFICATION_EVENT_TYPES.length)),
  /** Default true. */
  enabled: z.optional(z.boolean()),
});
export type NotificationEndpointInput = z.infer<typeof notificationEndpointInput>;

/** Change an endpoint: any of its fields. Enabling one the platform disabled clears its failure count. */
export const notificationEndpointUpdate = z.strictObject({
  url: z.optional(text(NOTIFICATION_URL_MAX_LENGTH)),
  description: z.optional(text(500)),
  eventTypes: z.optional(z.array(notificationEventType).check(z.minLength(1), z.maxLength(NOTIFICATION_EVENT_TYPES.length))),
  enabled: z.optional(z.boolean()),
});
export type NotificationEndpointUpdate = z.infer<typeof notificationEndpointUpdate>;

export const deliveryStatus = z.enum(["pending", "succeeded", "failed"]);
export type DeliveryStatus = z.infer<typeof deliveryStatus>;

export const notificationEndpoint = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(notificationEventType),
  enabled: z.boolean(),
  /** Why it is off: `failing` = the platform turned it off after failing without a break (see `failingSince`). */
  disabled: z.optional(z.object({ at: z.string(), reason: z.enum(["manual", "failing"]) })),
  /** The first failed attempt since the last success; absent while it succeeds. */
  failingSince: z.optional(z.string()),
  /** Failed attempts in a row. */
  consecutiveFailures: z.number(),
  lastAttempt: z.optional(z.object({ at: z.string(), ok: z.boolean(), responseStatus: z.optional(z.number()) })),
  /** Deliveries still to be made (first tries and retries). */
  pendingDeliveries: z.number(),
  /** While a previous secret still verifies: when it stops. */
  rolloverEndsAt: z.optional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type NotificationEndpoint = z.infer<typeof notificationEndpoint>;

export const notificationEndpointList = z.object({ endpoints: z.array(notificationEndpoint) });
export type NotificationEndpointList = z.infer<typeof notificationEndpointList>;

/** The secrets that sign deliveries now, newest first (`webhook-signature` carries one `v1,` signature per secret). */
export const endpointSecrets = z.object({
  secrets: z.array(z.object({ secret: z.string(), createdAt: z.string(), expiresAt: z.optional(z.string()) })),
});
export type EndpointSecrets = z.infer<typeof endpointSecrets>;

/** A new endpoint, with its first secret (also readable later at `endpointSecret`). */
export const createdNotificationEndpoint = z.object({ endpoint: notificationEndpoint, secret: z.string() });
export type CreatedNotificationEndpoint = z.infer<typeof createdNotificationEndpoint>;

export const deletedNotificationEndpoint = z.object({ id: z.string(), deleted: z.literal(true) });
export type DeletedNotificationEndpoint = z.infer<typeof deletedNotificationEndpoint>;

export const rotateSecretRequest = z.strictObject({
  /** How long the previous secret keeps signing, 0–168 hours (default 24; 0 = it stops now). */
  rolloverHours: z.optional(z.number().check(z.gte(0), z.lte(SECRET_ROLLOVER_HOURS_MAX))),
});
export type RotateSecretRequest = z.infer<typeof rotateSecretRequest>;

// ---------------------------------------------------------------------------------------------
// Deliveries

export const deliveryAttempt = z.object({
  at: z.string(),
  durationMs: z.number(),
  /** The endpoint's HTTP status; absent when none came (refused, timed out, unreachable). */
  responseStatus: z.optional(z.number()),
  /** Why it failed, in plain words (a non-2xx status, a redirect, a timeout, a refused address). */
  error: z.optional(z.string()),
  /** The start of the endpoint's answer (at most 500 characters). */
  responseBody: z.optional(z.string()),
  /** Sent by a redelivery someone asked for. */
  manual: z.optional(z.boolean()),
});
export type DeliveryAttempt = z.infer<typeof deliveryAttempt>;

export const notificationDelivery = z.object({
  id: z.string(),
  /** The `webhook-id` header: the same for every attempt and redelivery (receivers deduplicate on it). */
  messageId: z.string(),
  endpointId: z.string(),
  eventType: notificationEventType,
  /** The body sent, exactly as signed. */
  payload: z.string(),
  /** Platform customer id the event is about, if any. */
  customerId: z.optional(z.string()),
  status: deliveryStatus,
  createdAt: z.string(),
  /** When the next attempt is due (pending only). */
  nextAttemptAt: z.optional(z.string()),
  attempts: z.array(deliveryAttempt),
});
export type NotificationDelivery = z.infer<typeof notificationDelivery>;

export const deliveryQuery = z.strictObject({
  status: z.optional(deliveryStatus),
  eventType: z.optional(notificationEventType),
  limit: z.optional(z.int().check(z.gte(1), z.lte(DELIVERY_PAGE_SIZE_MAX))),
  cursor: z.optional(text(500)),
});
export type DeliveryQuery = z.infer<typeof deliveryQuery>;

export const notificationDeliveryPage = z.object({ deliveries: z.array(notificationDelivery), nextCursor: z.nullable(z.string()) });
export type NotificationDeliveryPage = z.infer<typeof notificationDeliveryPage>;

// ---------------------------------------------------------------------------------------------
// What is delivered: `{ type, timestamp, data }` (Standard Webhooks' payload shape). Ids and names
// only: never a config value, a secret or a payload a flow received.

export const eventCustomer = z.object({ id: z.string(), externalId: z.string(), name: z.string() });
export const eventInstance = z.object({ id: z.string(), name: z.string(), integrationId: z.string(), integrationVersion: z.number() });

export const notificationEvent = z.object({
  type: notificationEventType,
  /** ISO time the event happened. */
  timestamp: z.string(),
  data: z.object({
    organizationId: z.string(),
    customer: z.optional(eventCustomer),
    instance: z.optional(eventInstance),
    /** instance.upgraded */
    fromVersion: z.optional(z.number()),
    toVersion: z.optional(z.number()),
    /** execution.failed */
    execution: z.optional(z.object({ id: z.string(), flowId: z.string(), flowName: z.string(), trigger: z.string(), startedAt: z.string(), endedAt: z.optional(z.string()), error: z.optional(z.string()) })),
    /** alert.raised, alert.resolved */
    alert: z.optional(z.object({ id: z.string(), kind: z.string(), message: z.string(), status: z.string(), occurrences: z.number(), monitorId: z.optional(z.string()), executionId: z.optional(z.string()) })),
    /** connection.reconnect_needed */
    connection: z.optional(z.object({ key: z.string(), reason: z.string() })),
    /** endpoint.disabled */
    endpoint: z.optional(z.object({ id: z.string(), url: z.string(), failingSince: z.optional(z.string()) })),
  }),
});
export type NotificationEvent = z.infer<typeof notificationEvent>;
