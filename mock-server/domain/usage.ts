/**
 * Billing usage: an instance is billed for the time it is enabled (deployed and not paused).
 * Deploy and resume open an interval; pause and delete close it. Usage over a period is the
 * overlap of the intervals with it, per instance and summed per customer.
 */
import { iso } from "./clock.ts";
import { ApiErrorCode, PlatformError } from "./errors.ts";
import type { PlatformContext } from "./context.ts";
import type { Caller } from "./sessions.ts";
import { newId } from "./ids.ts";
import { touch, type EnabledInterval, type InstanceRecord, type Snapshot } from "./store.ts";
import type { UsageReport } from "../../contract/api.ts";

/** Each instance's open interval, if any: kept alongside the table so deploys stay O(1) at 50,000 instances. */
const openIntervals = new WeakMap<Snapshot, Map<string, EnabledInterval>>();

function openOf(snapshot: Snapshot): Map<string, EnabledInterval> {
  let open = openIntervals.get(snapshot);
  if (!open) {
    open = new Map();
    for (const interval of Object.values(snapshot.enabledIntervals)) if (interval.end === null) open.set(interval.instanceId, interval);
    openIntervals.set(snapshot, open);
  }
  return open;
}

export function openInterval(snapshot: Snapshot, instance: InstanceRecord, at: number): void {
  const open = openOf(snapshot);
  if (open.has(instance.id)) return;
  const interval: EnabledInterval = {
    id: newId("int"),
    instanceId: instance.id,
    integrationId: instance.integrationId,
    organizationId: instance.organizationId,
    customerId: instance.customerId,
    start: at,
    end: null,
  };
  snapshot.enabledIntervals[interval.id] = interval;
  open.set(instance.id, interval);
  touch(snapshot, "enabledIntervals", interval.id);
}

export function closeInterval(snapshot: Snapshot, instanceId: string, at: number): void {
  const open = openOf(snapshot);
  const interval = open.get(instanceId);
  if (!interval) return;
  interval.end = Math.max(at, interval.start);
  open.delete(instanceId);
  touch(snapshot, "enabledIntervals", interval.id);
}

function overlapMs(interval: EnabledInterval, from: number, to: number, now: number): number {
  const end = interval.end ?? now;
  return Math.max(0, Math.min(end, to) - Math.max(interval.start, from));
}

/** Enabled seconds of one customer's instances over [from, to) (to is capped at now). */
export function usageReport(snapshot: Snapshot, customerId: string, from: number, to: number, now: number): UsageReport {
  const perInstance = new Map<string, { integrationId: string; ms: number }>();
  for (const interval of Object.values(snapshot.enabledIntervals)) {
    if (interval.customerId !== customerId) continue;
    const entry = perInstance.get(interval.instanceId) ?? { integrationId: interval.integrationId, ms: 0 };
    entry.ms += overlapMs(interval, from, to, now);
    perInstance.set(interval.instanceId, entry);
  }
  const instances = [...perInstance.entries()].map(([instanceId, { integrationId, ms }]) => ({
    instanceId,
    integrationId,
    exists: Object.hasOwn(snapshot.instances, instanceId),
    enabledSeconds: Math.floor(ms / 1000),
  }));
  const totalMs = [...perInstance.values()].reduce((sum, e) => sum + e.ms, 0);
  return {
    from: iso(from),
    to: iso(to),
    customer: { id: customerId, enabledSeconds: Math.floor(totalMs / 1000) },
    instances,
  };
}

export class Usage {
  readonly #ctx: PlatformContext;

  constructor(ctx: PlatformContext) {
    this.#ctx = ctx;
  }

  /** The caller's customer's usage over [from, to), `to` capped at now. */
  report(caller: Caller, from: number, to: number): UsageReport {
    if (!(from < to)) throw new PlatformError(ApiErrorCode.BadRequest, "The usage period must have from < to.");
    const now = this.#ctx.clock.now();
    return usageReport(this.#ctx.snapshot, caller.customer.id, from, Math.min(to, now), now);
  }
}
