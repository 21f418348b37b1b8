/**
 * Alert monitors: per instance, raise an alert when an execution fails (deploy and removal
 * flows included) or takes longer than a threshold. An alert is recorded with its execution id;
 * the frame shows it on the instance page and tells the host page (`execution-failed`).
 */
import { iso } from "./clock.ts";
import { newId } from "./ids.ts";
import type { AlertMonitors, Execution } from "../../contract/api.ts";
import type { AlertRecord, InstanceRecord, Snapshot } from "./store.ts";

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
  return raised;
}
