/**
 * Billing usage: an instance is billed for the time it is enabled (deployed and not paused).
 * Its life is a row of intervals: deploy and resume open an enabled one, pause closes it and
 * opens a paused one (shown to the customer, never billed), delete closes whatever is open.
 * Usage over a period is the overlap of the intervals with it, per instance and summed per
 * customer. Billing periods are calendar months in UTC: the current one runs from the 1st to
 * now, the previous one is the whole month before.
 */
import { iso } from "./clock.ts";
import { ApiErrorCode, PlatformError } from "./errors.ts";
import type { Catalog } from "./catalog.ts";
import type { PlatformContext } from "./context.ts";
import type { Caller } from "./sessions.ts";
import { newId } from "./ids.ts";
import { removedInstance } from "./removed-instances.ts";
import { touch, type EnabledInterval, type InstanceRecord, type Snapshot } from "./store.ts";
import { TableIndex } from "./table-index.ts";
import type { UsageReport } from "../../contract/api-observe.ts";

export type UsageState = "enabled" | "paused" | "off";

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

/** An instance's intervals, enabled and paused, open and closed. */
export function intervalsOf(snapshot: Snapshot, instanceId: string): EnabledInterval[] {
  return TableIndex.of(snapshot, "enabledIntervals", "instance", (i) => i.instanceId).records(instanceId);
}

/**
 * Moves an instance's usage to `state` at `at`: the open interval closes unless it is already
 * of that state, and an interval of the new state opens (none for `off`).
 */
export function markUsage(snapshot: Snapshot, instance: InstanceRecord, state: UsageState, at: number): void {
  const open = openOf(snapshot);
  const current = open.get(instance.id);
  if (current && state !== "off" && (current.paused === true) === (state === "paused")) return;
  if (current) {
    current.end = Math.max(at, current.start);
    open.delete(instance.id);
    touch(snapshot, "enabledIntervals", current.id);
  }
  if (state === "off") return;
  const interval: EnabledInterval = {
    id: newId("int"),
    instanceId: instance.id,
    integrationId: instance.integrationId,
    organizationId: instance.organizationId,
    customerId: instance.customerId,
    start: at,
    end: null,
    ...(state === "paused" ? { paused: true as const } : {}),
  };
  snapshot.enabledIntervals[interval.id] = interval;
  open.set(instance.id, interval);
  touch(snapshot, "enabledIntervals", interval.id);
}

function overlapMs(interval: EnabledInterval, from: number, to: number, now: number): number {
  const end = interval.end ?? now;
  return Math.max(0, Math.min(end, to) - Math.max(interval.start, from));
}

/** [from, to) of the current or the previous billing period (calendar months, UTC); `to` of the current one is now. */
export function billingPeriod(now: number, which: "current" | "previous"): { from: number; to: number } {
  const date = new Date(now);
  const monthStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  if (which === "current") return { from: monthStart, to: now };
  return { from: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - 1, 1), to: monthStart };
}

/** Enabled and paused seconds of one customer's instances over [from, to) (to is capped at now). */
export function usageReport(
  snapshot: Snapshot,
  catalog: Catalog,
  customerId: string,
  period: { from: number; to: number; kind: UsageReport["period"] },
  now: number,
): UsageReport {
  const { from, to } = period;
  const perInstance = new Map<string, { integrationId: string; enabled: number; paused: number }>();
  for (const interval of TableIndex.of(snapshot, "enabledIntervals", "customer", (i) => i.customerId).records(customerId)) {
    const entry = perInstance.get(interval.instanceId) ?? { integrationId: interval.integrationId, enabled: 0, paused: 0 };
    const ms = overlapMs(interval, from, to, now);
    if (interval.paused) entry.paused += ms;
    else entry.enabled += ms;
    perInstance.set(interval.instanceId, entry);
  }
  let enabledMs = 0;
  let pausedMs = 0;
  const instances: UsageReport["instances"] = [];
  for (const [instanceId, { integrationId, enabled, paused }] of perInstance) {
    // An instance whose life lies wholly outside the period is not part of it.
    if (enabled === 0 && paused === 0) continue;
    enabledMs += enabled;
    pausedMs += paused;
    const instance = Object.hasOwn(snapshot.instances, instanceId) ? snapshot.instances[instanceId] : undefined;
    // A deactivated instance's enabled time still counts; its kept record still names it.
    const named = instance ?? removedInstance(snapshot, instanceId);
    instances.push({
      instanceId,
      instanceName: named?.name ?? null,
      integrationId,
      integrationName: catalog.get(integrationId)?.name ?? integrationId,
      exists: instance !== undefined,
      enabledSeconds: Math.floor(enabled / 1000),
      pausedSeconds: Math.floor(paused / 1000),
    });
  }
  instances.sort((a, b) => b.enabledSeconds - a.enabledSeconds || b.pausedSeconds - a.pausedSeconds || a.instanceId.localeCompare(b.instanceId));
  return {
    from: iso(from),
    to: iso(to),
    period: period.kind,
    customer: { id: customerId, enabledSeconds: Math.floor(enabledMs / 1000), pausedSeconds: Math.floor(pausedMs / 1000) },
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
    return usageReport(this.#ctx.snapshot, this.#ctx.catalog, caller.customer.id, { from, to: Math.min(to, now), kind: "custom" }, now);
  }

  /** The caller's customer's usage over the current or the previous billing period. */
  period(caller: Caller, which: "current" | "previous"): UsageReport {
    const now = this.#ctx.clock.now();
    return usageReport(this.#ctx.snapshot, this.#ctx.catalog, caller.customer.id, { ...billingPeriod(now, which), kind: which }, now);
  }
}
