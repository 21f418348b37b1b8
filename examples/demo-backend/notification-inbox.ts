/**
 * The demo backend's receiving end of the platform's outgoing notifications: POST
 * /api/notifications. What a host's own handler does, in order — read the raw body (the signature
 * covers its exact bytes), verify it (verify-notification.ts: the signature with one of the
 * endpoint's secrets, the timestamp within 5 minutes), refuse it with 401 if it does not verify
 * (the platform logs that and retries), deduplicate on `webhook-id`, answer 2xx at once.
 *
 * Demo scaffolding around it: at start the backend registers this URL as a notification endpoint
 * of the demo organization for every event type (through the organization API, with the key the
 * org proxy uses; `ensureEndpoint`), and keeps the endpoint's secrets. A real backend keeps its
 * secret in its configuration; the demo reads the live secrets again when the org console rotates
 * one through this backend's proxy, and when a delivery carries a signature it cannot verify (a
 * rotation made elsewhere), at most once per 10 seconds.
 * The last 100 verified deliveries and, apart, the last 20 refused ones are kept in memory for the
 * org console's "Received by your backend" panel (`GET /api/notifications/received`, staff only):
 * anyone can POST to this URL, so forged deliveries must not push the platform's out of the panel.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { verifyNotification } from "./verify-notification.ts";
import { refuse } from "./org-api-proxy.ts";
import { NOTIFICATION_EVENT_TYPES, notificationPaths, type CreatedNotificationEndpoint, type EndpointSecrets, type NotificationEndpointList } from "../../contract/org-notifications.ts";

export const INBOX_PATH = "/api/notifications";
const KEEP = 100;
const KEEP_REFUSED = 20;
const MAX_BODY = 256 * 1024;
const REFRESH_EVERY_MS = 10_000;

/** One delivery as the backend saw it. */
export interface ReceivedNotification {
  receivedAt: string;
  messageId: string;
  type: string;
  verified: boolean;
  /** A second delivery of a message already received (a retry or a redelivery). */
  duplicate: boolean;
  /** The event, when it verified; never shown unverified. */
  event?: unknown;
  /** Why it was refused. */
  refused?: string;
}

export interface InboxOptions {
  /** This backend's origin: the endpoint URL is `${ownOrigin}/api/notifications`. */
  ownOrigin: string;
  platformOrigin: string;
  apiKey: string;
}

export class NotificationInbox {
  readonly #options: InboxOptions;
  #secrets: string[] = [];
  #endpointId: string | undefined;
  #refreshedAt = 0;
  #refreshing: Promise<void> | undefined;
  /** Verified deliveries, newest first, each with the order it arrived in. */
  readonly #received: Array<[number, ReceivedNotification]> = [];
  /** Refused ones, kept apart (see the file's comment). */
  readonly #refused: Array<[number, ReceivedNotification]> = [];
  #arrivals = 0;
  readonly #seen = new Set<string>();

  constructor(options: InboxOptions) {
    this.#options = options;
  }

  get url(): string {
    return `${this.#options.ownOrigin}${INBOX_PATH}`;
  }

  /** Verified and refused deliveries together, newest first. */
  received(): ReceivedNotification[] {
    return [...this.#received, ...this.#refused].sort(([a], [b]) => b - a).map(([, entry]) => entry);
  }

  async #org<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await fetch(new URL(path, this.#options.platformOrigin), {
      ...init,
      headers: { Authorization: `Bearer ${this.#options.apiKey}`, "Content-Type": "application/json" },
      redirect: "error",
    });
    if (!response.ok) throw new Error(`The organization API answered ${response.status} to ${path}: ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** Registers this inbox as an endpoint for every event type, unless it is already; loads its secrets. */
  async ensureEndpoint(): Promise<string> {
    const { endpoints } = await this.#org<NotificationEndpointList>(notificationPaths.endpoints());
    const existing = endpoints.find((e) => e.url === this.url);
    if (existing) {
      this.#endpointId = existing.id;
      await this.#refresh();
    } else {
      const created = await this.#org<CreatedNotificationEndpoint>(notificationPaths.endpoints(), {
        method: "POST",
        body: JSON.stringify({ url: this.url, description: "The demo backend's inbox (examples/demo-backend/notification-inbox.ts)", eventTypes: NOTIFICATION_EVENT_TYPES }),
      });
      this.#endpointId = created.endpoint.id;
      this.#secrets = [created.secret];
    }
    return this.#endpointId;
  }

  /** Reads the live secrets again (after a rotation made through the org console). */
  refresh(): Promise<void> {
    return this.#refresh();
  }

  /** One read at a time; a delivery that arrives meanwhile waits for it. */
  #refresh(): Promise<void> {
    if (!this.#endpointId) return Promise.resolve();
    this.#refreshedAt = Date.now();
    const endpointId = this.#endpointId;
    this.#refreshing ??= this.#org<EndpointSecrets>(notificationPaths.endpointSecret(endpointId))
      .then(({ secrets }) => void (this.#secrets = secrets.map((s) => s.secret)))
      .finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  /** POST /api/notifications: verify, record, answer (204 verified, 401 not). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) return refuse(res, 413, "PAYLOAD_TOO_LARGE", "The notification is too large.");
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks).toString("utf8");
    const headers = new Headers();
    for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
      const value = req.headers[name];
      if (typeof value === "string") headers.set(name, value);
    }
    let verified = await verifyNotification(this.#secrets, headers, body);
    if (!verified && (this.#refreshing || Date.now() - this.#refreshedAt > REFRESH_EVERY_MS)) {
      // A rotation being read, or one we have not heard of: verify again with the live secrets.
      await this.#refresh().catch(() => undefined);
      verified = await verifyNotification(this.#secrets, headers, body);
    }
    const messageId = headers.get("webhook-id") ?? "";
    const entry: ReceivedNotification = { receivedAt: new Date().toISOString(), messageId, type: "", verified, duplicate: verified && this.#seen.has(messageId) };
    if (verified) {
      const event = JSON.parse(body) as { type?: unknown };
      entry.type = typeof event.type === "string" ? event.type : "";
      entry.event = event;
      this.#seen.add(messageId);
    } else {
      entry.refused = "The signature did not verify (or the timestamp is more than 5 minutes away).";
    }
    const list = verified ? this.#received : this.#refused;
    list.unshift([this.#arrivals++, entry]);
    list.splice(verified ? KEEP : KEEP_REFUSED);
    if (this.#seen.size > 10 * KEEP) this.#seen.clear();
    if (!verified) return refuse(res, 401, "SIGNATURE_INVALID", "The notification's signature did not verify.");
    res.writeHead(204, { "Cache-Control": "no-store" });
    res.end();
  }
}
