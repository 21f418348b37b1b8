/**
 * `execution-failed` to the host for failures the frame learns about from the platform's alerts
 * (issue 4, Alerts): once per alert, ids only.
 *
 * Who tells the host about which failure: the wizard reports the deploy flows of the deploy it
 * just made (from the deploy answer, D8), the instance page the removal flows of a delete (from
 * the delete answer), and this module every other failure — webhook and schedule runs — found in
 * an instance's alert list. The sets never overlap, so nothing is told twice and the screens
 * share no state (nor a lazy chunk whose name would cost the first route bytes).
 *
 * The first alert list the frame sees for an instance is history: shown on the page, not
 * replayed to the host (which would otherwise hear every old failure each time the frame
 * opens). Alerts that appear after it are new, and so is a failed run counted into an alert
 * already listed (a monitor folds a burst of failures into one alert: its `lastExecutionId`
 * moves on). The record hangs off the frame, so leaving the instance page and coming back does
 * not replay anything either.
 */
import type { Instance } from "../../contract/api.ts";
import type { Alert } from "../../contract/api-observe.ts";
import type { Frame } from "./frame.ts";

function createAlertEvents(emit: Frame["emit"]) {
  /** Per instance, each alert seen and the newest run counted into it; no entry yet = this instance's first list. */
  const seen = new Map<string, Map<string, string | undefined>>();
  return {
    /**
     * An instance's current alert list: tells the host about new failed runs, and returns the
     * ids of every new alert (none on the first list).
     */
    alertsSeen(instance: Pick<Instance, "id" | "integrationId" | "flows">, alerts: readonly Alert[]): string[] {
      let known = seen.get(instance.id);
      const first = !known;
      if (!known) seen.set(instance.id, (known = new Map()));
      const fresh: string[] = [];
      for (const a of alerts) {
        if (a.instanceId !== instance.id) continue;
        const isNew = !known.has(a.id);
        const moved = !isNew && known.get(a.id) !== a.lastExecutionId;
        known.set(a.id, a.lastExecutionId);
        if (first || (!isNew && !moved)) continue;
        if (isNew) fresh.push(a.id);
        const executionId = a.lastExecutionId ?? a.executionId;
        const trigger = instance.flows.find((f) => f.id === a.flowId)?.trigger.kind;
        // Built field by field: nothing but these four ids can reach the host.
        if (a.kind === "execution-failed" && executionId && a.flowId && trigger !== "deploy" && trigger !== "removal")
          emit("execution-failed", { integrationId: instance.integrationId, instanceId: instance.id, executionId, flowId: a.flowId });
      }
      return fresh;
    },
  };
}
export type AlertEvents = ReturnType<typeof createAlertEvents>;

const perFrame = new WeakMap<Frame, AlertEvents>();

/** The frame's one record of the alerts it has seen. */
export function alertEvents(frame: Frame): AlertEvents {
  let events = perFrame.get(frame);
  if (!events) perFrame.set(frame, (events = createAlertEvents(frame.emit)));
  return events;
}
