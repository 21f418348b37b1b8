/**
 * Alert monitors: per instance, raise an alert when an execution fails (deploy and removal
 * flows included) or takes longer than a threshold. An alert is recorded with its execution id;
 * the frame shows it on the instance page and tells the host page (`execution-failed`).
 * Customers read their instances' alerts and set the monitors (admins only).
 */
import { iso } from "./clock.ts";
import { newId } from "./ids.ts";
import { ownInstance } from "./instance-records.ts";
import { requireAdmin, type Caller } from "./sessions.ts";
import type { PlatformContext } from "./context.ts";
import type { Alert, AlertMonitors, Execution } from "../../contract/api.ts";
import { touch, type AlertRecord, type InstanceRecord, type Snapshot } from "./store.ts";
import { executionExpired } from "./execution-expiry.ts";

export const DEFAULT_ALERT_MONITORS: AlertMonitors = { failedExecution: true, slowerThanMs: 30_000 };

/** Records the alerts an execution triggers; returns them. */
export function raiseAlerts(snapshot: Snapshot, instance: InstanceRecord, execution: Execution, now: number): AlertRecord[] {
  const monitors = instance.alertMonitors;
  const raised: AlertRecord[] = [];
  const duration = execution.durationMs ?? 0;
  const failed = monitors.failedExecution && execution.status === "failed";
  const slow = monitors.slowerThanMs !== null && duration > monitors.slowerThanMs;
  // Most executions raise nothing: return before formatting a timestamp for no alert.
  if (!failed && !slow) return raised;
  const base = {
    instanceId: instance.id,
    executionId: execution.id,
    flowId: execution.flowId,
    organizationId: instance.organizationId,
    customerId: instance.customerId,
    at: iso(now),
  };
  if (failed) {
    raised.push({
      ...base,
      id: newId("alr"),
      kind: "execution-failed",
      message: `"${execution.flowName}" (${execution.trigger}) failed: ${execution.error ?? "unknown error"}`,
    });
  }
  if (slow) {
    raised.push({
      ...base,
      id: newId("alr"),
      kind: "execution-slow",
      message: `"${execution.flowName}" took ${duration} ms, over the ${monitors.slowerThanMs} ms threshold.`,
    });
  }
  for (const alert of raised) snapshot.alerts[alert.id] = alert;
  touch(snapshot, "alerts", ...raised.map((a) => a.id));
  return raised;
}

export class Alerts {
  readonly #ctx: PlatformContext;

  constructor(ctx: PlatformContext) {
    this.#ctx = ctx;
  }

  /** The caller's instance's alerts, newest first; one whose execution retention removed says so. */
  list(caller: Caller, id: string): Alert[] {
    const { snapshot } = this.#ctx;
    const instance = ownInstance(snapshot, caller, id);
    return Object.values(snapshot.alerts)
      .filter((a) => a.instanceId === instance.id)
      .sort((a, b) => b.at.localeCompare(a.at))
      .map(({ organizationId: _o, customerId: _c, ...alert }) => (executionExpired(instance, alert.executionId) ? { ...alert, executionExpired: true } : alert));
  }

  monitors(caller: Caller, id: string): AlertMonitors {
    return { ...ownInstance(this.#ctx.snapshot, caller, id).alertMonitors };
  }

  setMonitors(caller: Caller, id: string, monitors: AlertMonitors): AlertMonitors {
    const instance = ownInstance(this.#ctx.snapshot, caller, id);
    requireAdmin(caller, "change alert monitors");
    instance.alertMonitors = { ...monitors };
    instance.updatedAt = this.#ctx.clock.now();
    this.#ctx.changed("instances", instance.id);
    return { ...instance.alertMonitors };
  }

  /** Removes every alert of a deleted instance. */
  forget(instanceId: string): void {
    const { snapshot } = this.#ctx;
    for (const [alertId, alert] of Object.entries(snapshot.alerts)) {
      if (alert.instanceId !== instanceId) continue;
      delete snapshot.alerts[alertId];
      this.#ctx.changed("alerts", alertId);
    }
  }
}
