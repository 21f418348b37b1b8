/**
 * Outgoing notifications: the organization's endpoints, and the delivery of every platform event
 * (platform-events.ts) an endpoint subscribed to, signed (webhook-signature.ts), retried with
 * exponential backoff and jitter, logged attempt by attempt, and sent again on request.
 *
 * Every delivery is a record (store.ts `notificationDeliveries`) written in the same turn as the
 * change that caused it, so what a 2xx reported and the deliveries it owes reach disk together,
 * and a restart during the retries loses nothing: the new process finds every pending delivery
 * and keeps its schedule. A delivery cut off by a stop is sent again (receivers deduplicate on
 * `webhook-id`, which never changes).
 *
 * No I/O here: the transport gives a `NotificationSender` (transports/notification-sender.ts
 * in Node: no redirect followed, a deadline, every resolved address checked, N2). Without one,
 * deliveries wait as pending.
 *
 * An endpoint that fails without a single success for DISABLE_AFTER_MS (and at least
 * DISABLE_AFTER_FAILURES attempts) is disabled, which is itself an event (`endpoint.disabled`,
 * sent to the organization's other endpoints that want it) and shows on the endpoint.
 */
import { iso } from "./clock.ts";
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { newId } from "./ids.ts";
import { decodePosition, encodePosition } from "./page-cursor.ts";
import { endpointUrlProblem } from "./network-address.ts";
import { newWebhookSecret, signatureHeader } from "./webhook-signature.ts";
import type { PlatformContext } from "./context.ts";
import type { PlatformEvent } from "./platform-events.ts";
import type { InstanceRecord, NotificationDeliveryRecord, NotificationEndpointRecord, OrganizationRecord } from "./store.ts";
import {
  DELIVERY_PAGE_SIZE_DEFAULT,
  NOTIFICATION_ENDPOINTS_MAX,
  NOTIFICATION_EVENT_TYPES,
  SECRET_ROLLOVER_HOURS_DEFAULT,
  type CreatedNotificationEndpoint,
  type DeliveryQuery,
  type EndpointSecrets,
  type NotificationDelivery,
  type NotificationDeliveryPage,
  type NotificationEndpoint,
  type NotificationEndpointInput,
  type NotificationEndpointUpdate,
  type NotificationEvent,
  type NotificationEventType,
  type NotificationEventTypeList,
} from "../../contract/org-notifications.ts";

/** One HTTP POST to an endpoint, as the transport makes it. */
export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Give up after this long (the attempt fails as timed out). */
  timeoutMs: number;
  /** Aborted when the platform stops: the attempt is not recorded and is made again later. */
  signal: AbortSignal;
  /** The platform's local development mode: loopback and private addresses may be called. */
  allowPrivateNetwork: boolean;
}

/** What came back: a status and the start of the body, or why nothing did. */
export type OutgoingResult = { status: number; body: string; location?: string; retryAfterSeconds?: number } | { error: string };

export type NotificationSender = (request: OutgoingRequest) => Promise<OutgoingResult>;

export interface NotificationOptions {
  /** How deliveries leave (the transport's); absent = they wait as pending. */
  send?: NotificationSender;
  /** Local development mode: http and loopback/private endpoint addresses allowed (the demo). Default false. */
  development?: boolean;
  /** 0 ≤ x < 1; the jitter's randomness (tests pin it). Default Math.random. */
  random?: () => number;
}

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;

/** First retry after 5 s, each next one 4× later, capped at 10 h; ±20 % jitter; 9 attempts in all (≈ 18 h). */
export const RETRY_BASE_MS = 5 * SECOND;
export const RETRY_FACTOR = 4;
export const RETRY_MAX_DELAY_MS = 10 * HOUR;
export const RETRY_JITTER = 0.2;
export const MAX_ATTEMPTS = 9;
/** An attempt that has not been answered in this long fails as timed out. */
export const ATTEMPT_TIMEOUT_MS = 15 * SECOND;
/** Disabled after failing without a success for this long, with at least this many failed attempts. */
export const DISABLE_AFTER_MS = 5 * DAY;
export const DISABLE_AFTER_FAILURES = 10;
/** Finished deliveries are kept this long in the log. */
export const DELIVERY_RETENTION_MS = 30 * DAY;
/** Attempts in flight at once, over all endpoints (a slow endpoint holds one slot, not the queue). */
const CONCURRENCY = 16;
const RESPONSE_BODY_KEPT = 500;

const EVENT_DESCRIPTIONS: Record<NotificationEventType, string> = {
  "instance.deployed": "A customer (or the organization) deployed an instance, or deployed it again with new settings.",
  "instance.upgraded": "An instance was upgraded to a newer version of its integration.",
  "instance.paused": "An instance was paused: its flows stop running.",
  "instance.resumed": "A paused instance runs again.",
  "instance.deleted": "An instance was deleted (after its removal flows ran).",
  "execution.failed": "A flow run ended in failure.",
  "alert.raised": "An alert monitor raised an alert.",
  "alert.resolved": "An alert was resolved.",
  "connection.reconnect_needed": "A saved connection stopped working (revoked or refused): the customer must reconnect.",
  "endpoint.disabled": "One of the organization's notification endpoints was disabled after failing for days.",
};

/** The delay before retry number `failed` (1 = after the first failed attempt), with jitter from `random`. */
export function retryDelayMs(failed: number, random: () => number): number {
  const base = Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_MS * RETRY_FACTOR ** (failed - 1));
  return Math.round(base * (1 - RETRY_JITTER + 2 * RETRY_JITTER * random()));
}

/** Seconds of a `Retry-After` header (a number of seconds only; dates are ignored). */
function retryAfterMs(result: OutgoingResult): number | undefined {
  return "status" in result && result.retryAfterSeconds !== undefined ? result.retryAfterSeconds * SECOND : undefined;
}

export class Notifications {
  readonly #ctx: PlatformContext;
  readonly #send: NotificationSender | undefined;
  readonly #development: boolean;
  readonly #random: () => number;
  /** Pending deliveries: id → when the next attempt is due. */
  readonly #pending = new Map<string, number>();
  /** Deliveries per endpoint (the log is read per endpoint). */
  readonly #byEndpoint = new Map<string, Set<string>>();
  readonly #inFlight = new Map<string, AbortController>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #prunedAt = 0;
  #stopped = false;
  #sequence = 0;

  constructor(ctx: PlatformContext, options: NotificationOptions = {}) {
    this.#ctx = ctx;
    this.#send = options.send;
    this.#development = options.development ?? false;
    this.#random = options.random ?? Math.random;
    for (const delivery of Object.values(ctx.snapshot.notificationDeliveries)) this.#index(delivery);
    ctx.events.on((event) => this.#enqueue(event));
  }

  /** The development mode flag (the org console shows it next to the endpoint form). */
  get development(): boolean {
    return this.#development;
  }

  // -------------------------------------------------------------------------------------------
  // Endpoints

  eventTypes(): NotificationEventTypeList {
    return { eventTypes: NOTIFICATION_EVENT_TYPES.map((type) => ({ type, description: EVENT_DESCRIPTIONS[type] })) };
  }

  list(org: OrganizationRecord): NotificationEndpoint[] {
    return this.#endpointsOf(org.id)
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
      .map((e) => this.#present(e));
  }

  get(org: OrganizationRecord, endpointId: string): NotificationEndpoint {
    return this.#present(this.#own(org, endpointId));
  }

  create(org: OrganizationRecord, input: NotificationEndpointInput): CreatedNotificationEndpoint {
    this.#checkUrl(input.url);
    if (this.#endpointsOf(org.id).length >= NOTIFICATION_ENDPOINTS_MAX) {
      throw new PlatformError(ApiErrorCode.Conflict, `An organization has at most ${NOTIFICATION_ENDPOINTS_MAX} notification endpoints; delete one first.`);
    }
    const now = this.#ctx.clock.now();
    const secret = newWebhookSecret();
    const endpoint: NotificationEndpointRecord = {
      id: newId("nep"),
      organizationId: org.id,
      url: input.url,
      description: input.description ?? "",
      eventTypes: unique(input.eventTypes),
      ...(input.enabled === false ? { disabled: { at: now, reason: "manual" as const } } : {}),
      secrets: [{ secret, createdAt: now }],
      consecutiveFailures: 0,
      createdAt: now,
      updatedAt: now,
    };
    this.#ctx.snapshot.notificationEndpoints[endpoint.id] = endpoint;
    this.#ctx.changed("notificationEndpoints", endpoint.id);
    return { endpoint: this.#present(endpoint), secret };
  }

  update(org: OrganizationRecord, endpointId: string, change: NotificationEndpointUpdate): NotificationEndpoint {
    const endpoint = this.#own(org, endpointId);
    if (change.url !== undefined) this.#checkUrl(change.url);
    const now = this.#ctx.clock.now();
    if (change.url !== undefined) endpoint.url = change.url;
    if (change.description !== undefined) endpoint.description = change.description;
    if (change.eventTypes !== undefined) endpoint.eventTypes = unique(change.eventTypes);
    if (change.enabled === false && !endpoint.disabled) endpoint.disabled = { at: now, reason: "manual" };
    if (change.enabled === true && endpoint.disabled) {
      // A fresh start: what waited while it was off is due now.
      delete endpoint.disabled;
      delete endpoint.failingSince;
      endpoint.consecutiveFailures = 0;
      for (const id of this.#byEndpoint.get(endpoint.id) ?? []) {
        if (!this.#pending.has(id)) continue;
        const delivery = this.#ctx.snapshot.notificationDeliveries[id];
        delivery.nextAttemptAt = now;
        this.#pending.set(id, now);
        this.#ctx.changed("notificationDeliveries", id);
      }
      this.#kick();
    }
    endpoint.updatedAt = now;
    this.#ctx.changed("notificationEndpoints", endpoint.id);
    return this.#present(endpoint);
  }

  /** Deletes the endpoint and its delivery log; what was pending is not sent. */
  delete(org: OrganizationRecord, endpointId: string): void {
    const endpoint = this.#own(org, endpointId);
    const { snapshot } = this.#ctx;
    for (const id of this.#byEndpoint.get(endpoint.id) ?? []) {
      this.#inFlight.get(id)?.abort();
      this.#pending.delete(id);
      delete snapshot.notificationDeliveries[id];
      this.#ctx.changed("notificationDeliveries", id);
    }
    this.#byEndpoint.delete(endpoint.id);
    delete snapshot.notificationEndpoints[endpoint.id];
    this.#ctx.changed("notificationEndpoints", endpoint.id);
  }

  /** The secrets that sign now, newest first. */
  secrets(org: OrganizationRecord, endpointId: string): EndpointSecrets {
    return this.#secretsOf(this.#live(this.#own(org, endpointId)));
  }

  /** A new secret signs from now on; the previous one keeps signing for `rolloverHours` (0: stops now). */
  rotate(org: OrganizationRecord, endpointId: string, rolloverHours = SECRET_ROLLOVER_HOURS_DEFAULT): EndpointSecrets {
    const endpoint = this.#own(org, endpointId);
    const now = this.#ctx.clock.now();
    const [current] = this.#live(endpoint);
    // Only the newest of the old secrets rolls over: a second rotation ends the first rollover.
    endpoint.secrets = [{ secret: newWebhookSecret(), createdAt: now }, ...(rolloverHours > 0 ? [{ ...current, expiresAt: now + rolloverHours * HOUR }] : [])];
    endpoint.updatedAt = now;
    this.#ctx.changed("notificationEndpoints", endpoint.id);
    return this.#secretsOf(endpoint.secrets);
  }

  // -------------------------------------------------------------------------------------------
  // The delivery log

  deliveries(org: OrganizationRecord, endpointId: string, query: DeliveryQuery = {}): NotificationDeliveryPage {
    const endpoint = this.#own(org, endpointId);
    const { notificationDeliveries } = this.#ctx.snapshot;
    const after = query.cursor !== undefined ? decodePosition(query.cursor) : undefined;
    const limit = query.limit ?? DELIVERY_PAGE_SIZE_DEFAULT;
    const matching = [...(this.#byEndpoint.get(endpoint.id) ?? [])]
      .map((id) => notificationDeliveries[id])
      .filter(
        (d) =>
          (query.status === undefined || d.status === query.status) &&
          (query.eventType === undefined || d.eventType === query.eventType) &&
          (after === undefined || newerFirst(d, after) > 0),
      )
      .sort((a, b) => newerFirst(a, { time: iso(b.createdAt), id: b.id }));
    const page = matching.slice(0, limit);
    const last = page[page.length - 1];
    return { deliveries: page.map(presentDelivery), nextCursor: matching.length > limit ? encodePosition(iso(last.createdAt), last.id) : null };
  }

  /**
   * Sends one delivery again now, whatever its state, with the same `webhook-id`; resolves once
   * the attempt is over, with the delivery as it is then. Succeeded: no more retries. Failed: a
   * pending delivery keeps its schedule, a finished one stays failed.
   */
  async redeliver(org: OrganizationRecord, endpointId: string, deliveryId: string): Promise<NotificationDelivery> {
    const endpoint = this.#own(org, endpointId);
    const { notificationDeliveries } = this.#ctx.snapshot;
    const delivery = Object.hasOwn(notificationDeliveries, deliveryId) ? notificationDeliveries[deliveryId] : undefined;
    if (!delivery || delivery.endpointId !== endpoint.id) throw new PlatformError(ApiErrorCode.NotFound, `No delivery "${deliveryId}".`);
    if (endpoint.disabled) throw new PlatformError(ApiErrorCode.Conflict, "This endpoint is disabled; enable it to send deliveries again.");
    if (this.#inFlight.has(delivery.id)) throw new PlatformError(ApiErrorCode.Conflict, "This delivery is being sent right now; look again in a moment.");
    if (!this.#send) throw new PlatformError(ApiErrorCode.ServiceUnavailable, "This platform sends no notifications (its transport has no way out).");
    await this.#ctx.track(this.#attempt(delivery, endpoint, true));
    return presentDelivery(delivery);
  }

  // -------------------------------------------------------------------------------------------
  // Sending

  /** Starts sending due deliveries every second (and at once when one is queued). */
  start(): void {
    this.#stopped = false;
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.runDue(), SECOND);
    this.#timer.unref?.();
    this.#kick();
  }

  /** Stops the timer and cuts off attempts in flight (not recorded: they are made again later). */
  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    for (const controller of this.#inFlight.values()) controller.abort();
  }

  /**
   * Makes every attempt that is due (up to the concurrency), resolving when they are over. The
   * timer calls it; tests with a manual clock call it after moving the clock.
   */
  async runDue(): Promise<void> {
    // Stopped: a run queued before the stop (#kick) makes no attempt (the next start does).
    if (!this.#send || this.#stopped) return;
    const now = this.#ctx.clock.now();
    this.#prune(now);
    const { notificationDeliveries, notificationEndpoints } = this.#ctx.snapshot;
    const due: Array<[NotificationDeliveryRecord, NotificationEndpointRecord]> = [];
    for (const [id, at] of this.#pending) {
      if (at > now || this.#inFlight.has(id)) continue;
      if (this.#inFlight.size + due.length >= CONCURRENCY) break;
      const delivery = notificationDeliveries[id];
      const endpoint = Object.hasOwn(notificationEndpoints, delivery.endpointId) ? notificationEndpoints[delivery.endpointId] : undefined;
      if (!endpoint || endpoint.disabled) continue;
      due.push([delivery, endpoint]);
    }
    await Promise.all(due.map(([delivery, endpoint]) => this.#ctx.track(this.#attempt(delivery, endpoint, false))));
  }

  /** One attempt: signed now, sent, recorded (with the endpoint's health), and the next one scheduled. */
  async #attempt(delivery: NotificationDeliveryRecord, endpoint: NotificationEndpointRecord, manual: boolean): Promise<void> {
    const { clock } = this.#ctx;
    const controller = new AbortController();
    this.#inFlight.set(delivery.id, controller);
    let result: OutgoingResult;
    const started = clock.now();
    try {
      const timestamp = Math.floor(started / SECOND);
      const signature = await signatureHeader(this.#live(endpoint).map((s) => s.secret), delivery.messageId, timestamp, delivery.payload);
      if (controller.signal.aborted) return;
      result = await this.#send!({
        url: endpoint.url,
        headers: {
          "content-type": "application/json",
          "user-agent": "Emporium-Notifications/1",
          "webhook-id": delivery.messageId,
          "webhook-timestamp": String(timestamp),
          "webhook-signature": signature,
        },
        body: delivery.payload,
        timeoutMs: ATTEMPT_TIMEOUT_MS,
        signal: controller.signal,
        allowPrivateNetwork: this.#development,
      });
    } catch (error) {
      result = { error: `The attempt failed: ${(error as Error).message}` };
    } finally {
      this.#inFlight.delete(delivery.id);
    }
    const { snapshot } = this.#ctx;
    // Stopped, or the endpoint or the delivery went while it was out: nothing to record.
    if (controller.signal.aborted || !Object.hasOwn(snapshot.notificationDeliveries, delivery.id) || !Object.hasOwn(snapshot.notificationEndpoints, endpoint.id)) return;
    const ended = clock.now();
    const ok = "status" in result && result.status >= 200 && result.status < 300;
    const attempt: NotificationDeliveryRecord["attempts"][number] = { at: started, durationMs: Math.max(0, ended - started) };
    if ("status" in result) {
      attempt.responseStatus = result.status;
      if (result.body !== "") attempt.responseBody = result.body.slice(0, RESPONSE_BODY_KEPT);
      if (result.status >= 300 && result.status < 400) attempt.error = `Redirect (${result.status}${result.location ? ` to ${result.location.slice(0, 200)}` : ""}) not followed: register the final URL.`;
      else if (!ok) attempt.error = `The endpoint answered ${result.status}.`;
    } else {
      attempt.error = result.error;
    }
    if (manual) attempt.manual = true;
    delivery.attempts.push(attempt);

    if (ok) {
      delivery.status = "succeeded";
      delete delivery.nextAttemptAt;
      this.#pending.delete(delivery.id);
    } else if (delivery.status === "pending" && !manual) {
      const failed = delivery.attempts.filter((a) => !a.manual).length;
      if (failed >= MAX_ATTEMPTS) {
        delivery.status = "failed";
        delete delivery.nextAttemptAt;
        this.#pending.delete(delivery.id);
      } else {
        const next = ended + Math.max(retryDelayMs(failed, this.#random), Math.min(retryAfterMs(result) ?? 0, RETRY_MAX_DELAY_MS));
        delivery.nextAttemptAt = next;
        this.#pending.set(delivery.id, next);
      }
    } else if (delivery.status === "succeeded" && manual) {
      delivery.status = "failed";
    }
    this.#ctx.changed("notificationDeliveries", delivery.id);

    endpoint.lastAttempt = { at: started, ok, ...("status" in result ? { responseStatus: result.status } : {}) };
    if (ok) {
      delete endpoint.failingSince;
      endpoint.consecutiveFailures = 0;
    } else {
      endpoint.failingSince ??= started;
      endpoint.consecutiveFailures += 1;
      if (!endpoint.disabled && ended - endpoint.failingSince >= DISABLE_AFTER_MS && endpoint.consecutiveFailures >= DISABLE_AFTER_FAILURES) this.#disable(endpoint, ended);
    }
    this.#ctx.changed("notificationEndpoints", endpoint.id);
  }

  /** Sustained failure: the endpoint goes off, which is an event for the organization's other endpoints. */
  #disable(endpoint: NotificationEndpointRecord, now: number): void {
    endpoint.disabled = { at: now, reason: "failing" };
    endpoint.updatedAt = now;
    this.#queue(endpoint.organizationId, "endpoint.disabled", {
      organizationId: endpoint.organizationId,
      endpoint: { id: endpoint.id, url: endpoint.url, ...(endpoint.failingSince !== undefined ? { failingSince: iso(endpoint.failingSince) } : {}) },
    }, undefined, now);
  }

  /** Runs the due attempts soon (not inside the caller's turn: its write commits first). */
  #kick(): void {
    if (this.#timer && !this.#stopped) setTimeout(() => void this.runDue(), 0);
  }

  // -------------------------------------------------------------------------------------------
  // Queuing

  #enqueue(event: PlatformEvent): void {
    const now = this.#ctx.clock.now();
    const instance = event.instance;
    const alert = "alert" in event ? event.alert : undefined;
    const data: NotificationEvent["data"] = { organizationId: instance?.organizationId ?? alert?.organizationId ?? "" };
    if (instance) Object.assign(data, this.#instanceData(instance));
    switch (event.type) {
      case "instance.upgraded":
        data.fromVersion = event.fromVersion;
        data.toVersion = event.toVersion;
        break;
      case "execution.failed": {
        const e = event.execution;
        data.execution = { id: e.id, flowId: e.flowId, flowName: e.flowName, trigger: e.trigger, startedAt: e.startedAt, ...(e.endedAt ? { endedAt: e.endedAt } : {}), ...(e.error ? { error: e.error } : {}) };
        break;
      }
      case "alert.raised":
      case "alert.resolved": {
        const a = event.alert;
        data.alert = { id: a.id, kind: a.kind, message: a.message, status: a.status, occurrences: a.occurrences, ...(a.monitorId ? { monitorId: a.monitorId } : {}), ...(a.executionId ? { executionId: a.executionId } : {}) };
        break;
      }
      case "connection.reconnect_needed":
        data.connection = { key: event.connectionKey, reason: event.reason };
        break;
    }
    const customerId = instance?.customerId ?? alert?.customerId;
    this.#queue(data.organizationId, event.type, data, customerId, now);
  }

  #instanceData(instance: InstanceRecord): Pick<NotificationEvent["data"], "customer" | "instance"> {
    const { customers } = this.#ctx.snapshot;
    const customer = Object.hasOwn(customers, instance.customerId) ? customers[instance.customerId] : undefined;
    return {
      ...(customer ? { customer: { id: customer.id, externalId: customer.externalId, name: customer.name } } : {}),
      instance: { id: instance.id, name: instance.name, integrationId: instance.integrationId, integrationVersion: instance.integrationVersion ?? 1 },
    };
  }

  /** One delivery per enabled endpoint of the organization that subscribed to `type`. */
  #queue(organizationId: string, type: NotificationEventType, data: NotificationEvent["data"], customerId: string | undefined, now: number): void {
    const endpoints = this.#endpointsOf(organizationId).filter((e) => !e.disabled && e.eventTypes.includes(type));
    if (endpoints.length === 0) return;
    const messageId = newId("msg");
    const event: NotificationEvent = { type, timestamp: iso(now), data };
    const payload = JSON.stringify(event);
    for (const endpoint of endpoints) {
      const delivery: NotificationDeliveryRecord = {
        id: this.#deliveryId(now),
        messageId,
        organizationId,
        endpointId: endpoint.id,
        ...(customerId !== undefined ? { customerId } : {}),
        eventType: type,
        payload,
        createdAt: now,
        status: "pending",
        nextAttemptAt: now,
        attempts: [],
      };
      this.#ctx.snapshot.notificationDeliveries[delivery.id] = delivery;
      this.#index(delivery);
      this.#ctx.changed("notificationDeliveries", delivery.id);
    }
    this.#kick();
  }

  /**
   * `dlv_` + the instant + a sequence + randomness: ids that sort in the order deliveries were
   * queued, even within one millisecond (the log's order, and its cursor, rely on it).
   */
  #deliveryId(now: number): string {
    this.#sequence = (this.#sequence + 1) % 36 ** 4;
    return `dlv_${Math.floor(now).toString(36).padStart(9, "0")}${this.#sequence.toString(36).padStart(4, "0")}${newId("").slice(1, 11)}`;
  }

  #index(delivery: NotificationDeliveryRecord): void {
    let ids = this.#byEndpoint.get(delivery.endpointId);
    if (!ids) this.#byEndpoint.set(delivery.endpointId, (ids = new Set()));
    ids.add(delivery.id);
    if (delivery.status === "pending") this.#pending.set(delivery.id, delivery.nextAttemptAt ?? delivery.createdAt);
  }

  /** Removes finished deliveries past the retention (at most once an hour). */
  #prune(now: number): void {
    if (now - this.#prunedAt < HOUR) return;
    this.#prunedAt = now;
    const { notificationDeliveries } = this.#ctx.snapshot;
    for (const [id, delivery] of Object.entries(notificationDeliveries)) {
      if (delivery.status === "pending" || now - delivery.createdAt < DELIVERY_RETENTION_MS) continue;
      delete notificationDeliveries[id];
      this.#byEndpoint.get(delivery.endpointId)?.delete(id);
      this.#ctx.changed("notificationDeliveries", id);
    }
  }

  // -------------------------------------------------------------------------------------------

  #checkUrl(url: string): void {
    const problem = endpointUrlProblem(url, this.#development);
    if (problem) throw new PlatformError(ApiErrorCode.ValidationFailed, problem, { fields: { url: problem } });
  }

  #endpointsOf(organizationId: string): NotificationEndpointRecord[] {
    return Object.values(this.#ctx.snapshot.notificationEndpoints).filter((e) => e.organizationId === organizationId);
  }

  /** The organization's endpoint, or 404 (another organization's too: no existence leak). */
  #own(org: OrganizationRecord, endpointId: string): NotificationEndpointRecord {
    const { notificationEndpoints } = this.#ctx.snapshot;
    const endpoint = Object.hasOwn(notificationEndpoints, endpointId) ? notificationEndpoints[endpointId] : undefined;
    if (!endpoint || endpoint.organizationId !== org.id) throw new PlatformError(ApiErrorCode.NotFound, `No notification endpoint "${endpointId}".`);
    return endpoint;
  }

  /** The secrets that sign now: the newest, and a previous one until its rollover ends. */
  #live(endpoint: NotificationEndpointRecord): NotificationEndpointRecord["secrets"] {
    const now = this.#ctx.clock.now();
    return endpoint.secrets.filter((s, i) => i === 0 || (s.expiresAt !== undefined && s.expiresAt > now));
  }

  #secretsOf(secrets: NotificationEndpointRecord["secrets"]): EndpointSecrets {
    return { secrets: secrets.map((s) => ({ secret: s.secret, createdAt: iso(s.createdAt), ...(s.expiresAt !== undefined ? { expiresAt: iso(s.expiresAt) } : {}) })) };
  }

  #present(endpoint: NotificationEndpointRecord): NotificationEndpoint {
    let pending = 0;
    for (const id of this.#byEndpoint.get(endpoint.id) ?? []) if (this.#pending.has(id)) pending += 1;
    const rollover = this.#live(endpoint)[1]?.expiresAt;
    return {
      id: endpoint.id,
      url: endpoint.url,
      description: endpoint.description,
      eventTypes: endpoint.eventTypes,
      enabled: !endpoint.disabled,
      ...(endpoint.disabled ? { disabled: { at: iso(endpoint.disabled.at), reason: endpoint.disabled.reason } } : {}),
      ...(endpoint.failingSince !== undefined ? { failingSince: iso(endpoint.failingSince) } : {}),
      consecutiveFailures: endpoint.consecutiveFailures,
      ...(endpoint.lastAttempt ? { lastAttempt: { at: iso(endpoint.lastAttempt.at), ok: endpoint.lastAttempt.ok, ...(endpoint.lastAttempt.responseStatus !== undefined ? { responseStatus: endpoint.lastAttempt.responseStatus } : {}) } } : {}),
      pendingDeliveries: pending,
      ...(rollover !== undefined ? { rolloverEndsAt: iso(rollover) } : {}),
      createdAt: iso(endpoint.createdAt),
      updatedAt: iso(endpoint.updatedAt),
    };
  }
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** Newest first, ties by id (so a cursor position is exact). */
function newerFirst(d: NotificationDeliveryRecord, position: { time: string; id: string }): number {
  const time = iso(d.createdAt);
  if (time !== position.time) return time > position.time ? -1 : 1;
  return d.id > position.id ? -1 : d.id < position.id ? 1 : 0;
}

function presentDelivery(d: NotificationDeliveryRecord): NotificationDelivery {
  return {
    id: d.id,
    messageId: d.messageId,
    endpointId: d.endpointId,
    eventType: d.eventType,
    payload: d.payload,
    ...(d.customerId !== undefined ? { customerId: d.customerId } : {}),
    status: d.status,
    createdAt: iso(d.createdAt),
    ...(d.nextAttemptAt !== undefined && d.status === "pending" ? { nextAttemptAt: iso(d.nextAttemptAt) } : {}),
    attempts: d.attempts.map((a) => ({
      at: iso(a.at),
      durationMs: a.durationMs,
      ...(a.responseStatus !== undefined ? { responseStatus: a.responseStatus } : {}),
      ...(a.error !== undefined ? { error: a.error } : {}),
      ...(a.responseBody !== undefined ? { responseBody: a.responseBody } : {}),
      ...(a.manual ? { manual: true } : {}),
    })),
  };
}
