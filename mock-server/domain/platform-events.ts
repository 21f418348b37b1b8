/**
 * What happened on the platform that someone outside may want to be told: an instance deployed,
 * upgraded, paused, resumed or deleted, a run failed, an alert raised or resolved, a connection
 * that needs the customer to reconnect. The part that makes it happen emits it here, in the same
 * turn as the write it reports (`ctx.events.emit`); the outgoing notifications (notifications.ts)
 * listen and queue their deliveries as records in that same write, so an answered request and the
 * deliveries it causes reach disk together.
 *
 * Emitters pass records, not payloads: what a receiver sees is built in one place (notifications.ts).
 */
import type { Execution } from "../../contract/api.ts";
import type { AlertRecord, InstanceRecord } from "./store.ts";

export type PlatformEvent =
  | { type: "instance.deployed" | "instance.paused" | "instance.resumed" | "instance.deleted"; instance: InstanceRecord }
  | { type: "instance.upgraded"; instance: InstanceRecord; fromVersion: number; toVersion: number }
  | { type: "execution.failed"; instance: InstanceRecord; execution: Execution }
  | { type: "alert.raised" | "alert.resolved"; instance: InstanceRecord | undefined; alert: AlertRecord }
  /**
   * Emitted by connections health when a saved connection stops working (a revoked grant, a
   * refused key): `connectionKey` is the config variable, `reason` plain words for the customer.
   */
  | { type: "connection.reconnect_needed"; instance: InstanceRecord; connectionKey: string; reason: string };

export class PlatformEvents {
  readonly #listeners = new Set<(event: PlatformEvent) => void>();

  /** Tells every listener now; a listener that throws is a bug and is not hidden. */
  emit(event: PlatformEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  /** Returns an unsubscribe function. */
  on(listener: (event: PlatformEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
