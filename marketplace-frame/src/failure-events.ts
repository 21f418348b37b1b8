/**
 * `execution-failed` to the host, once per failed execution, ids only (issue 4, Alerts). Two
 * places learn about failures: the wizard (a deploy flow failed, D8) and the instance page (the
 * platform's alerts, on load, on Refresh and on its poll). Both report here, so a deploy failure
 * the wizard already announced is not announced again when its alert shows up.
 *
 * The first alert list the frame sees for an instance is history: it is shown on the page, not
 * replayed to the host (a host would otherwise hear every old failure each time the frame
 * opens). Alerts that appear after that are new, and each is announced once.
 *
 * Lives in the lazy chunks (wizard and instance page share it); the state hangs off the frame.
 */
import type { Alert } from "../../contract/api.ts";
import type { EventPayloads } from "../../contract/protocol.ts";
import type { Frame } from "./frame.ts";

type FailedIds = EventPayloads["execution-failed"];

function createFailureEvents(emit: Frame["emit"]) {
  const announced = new Set<string>();
  /** Alert ids seen per instance; no entry yet = this instance's first list. */
  const seen = new Map<string, Set<string>>();
  const announce = (ids: FailedIds) => {
    if (announced.has(ids.executionId)) return;
    announced.add(ids.executionId);
    // Built field by field: nothing but these four ids can reach the host.
    emit("execution-failed", { integrationId: ids.integrationId, instanceId: ids.instanceId, executionId: ids.executionId, flowId: ids.flowId });
  };
  return {
    /** A failed execution the frame saw itself (the deploy answer). */
    executionFailed: announce,
    /**
     * An instance's current alert list: announces the failed executions among alerts that are
     * new since this instance's previous list, and returns the ids of every new alert (none on
     * the first list, which is history).
     */
    alertsSeen(instance: { id: string; integrationId: string }, alerts: readonly Alert[]): string[] {
      let known = seen.get(instance.id);
      const first = !known;
      if (!known) seen.set(instance.id, (known = new Set()));
      const fresh: string[] = [];
      for (const a of alerts) {
        if (a.instanceId !== instance.id || known.has(a.id)) continue;
        known.add(a.id);
        if (first) {
          if (a.kind === "execution-failed") announced.add(a.executionId);
          continue;
        }
        fresh.push(a.id);
        if (a.kind === "execution-failed") announce({ integrationId: instance.integrationId, instanceId: instance.id, executionId: a.executionId, flowId: a.flowId });
      }
      return fresh;
    },
  };
}
export type FailureEvents = ReturnType<typeof createFailureEvents>;

const perFrame = new WeakMap<Frame, FailureEvents>();

/** The frame's one failure reporter. */
export function failureEvents(frame: Frame): FailureEvents {
  let events = perFrame.get(frame);
  if (!events) perFrame.set(frame, (events = createFailureEvents(frame.emit)));
  return events;
}
