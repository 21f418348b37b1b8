/**
 * "This connection needs a reconnect", told to the organization (`connection.reconnect_needed`)
 * once per instance and connection field, not once per run: a webhook burst against a revoked
 * key fails every run, and the organization's backend wants one event, not hundreds.
 *
 * Two places find out: the `connections-revoked` rehearsal, when the apps revoke what they
 * issued, and a run, when an app answers 401 to a step's call (flow-runner.ts `refused`). Both
 * come here. When the organization was told is kept on the instance (`reconnectToldAt`, on disk,
 * so a restart does not tell it again); a reconnect since then (the connection record updated, or
 * the instance deployed again with new values) makes the next refusal news again.
 */
import type { PlatformContext } from "./context.ts";
import { isConnectionRef } from "./connection-records.ts";
import type { InstanceRecord } from "./store.ts";

export class ReconnectNotices {
  readonly #ctx: PlatformContext;

  constructor(ctx: PlatformContext) {
    this.#ctx = ctx;
  }

  /** Emits `connection.reconnect_needed` for the field unless the organization already knows of this refusal. */
  tell(instance: InstanceRecord, connectionKey: string, reason: string): void {
    const { snapshot, clock } = this.#ctx;
    // A run can end after its instance was deleted; a deleted instance needs no reconnect.
    if (!Object.hasOwn(snapshot.instances, instance.id)) return;
    const toldAt = instance.reconnectToldAt?.[connectionKey];
    if (toldAt !== undefined && toldAt >= this.#changedAt(instance, connectionKey)) return;
    instance.reconnectToldAt = { ...instance.reconnectToldAt, [connectionKey]: clock.now() };
    this.#ctx.changed("instances", instance.id);
    this.#ctx.events.emit({ type: "connection.reconnect_needed", instance, connectionKey, reason });
  }

  /** When the field's credentials last changed: its connection record's update, or the instance's deploy. */
  #changedAt(instance: InstanceRecord, connectionKey: string): number {
    const value = instance.config[connectionKey];
    const { connections } = this.#ctx.snapshot;
    const record = isConnectionRef(value) && Object.hasOwn(connections, value.connectionId) ? connections[value.connectionId] : undefined;
    return Math.max(instance.deployedAt ?? 0, record?.updatedAt ?? 0);
  }
}
