/**
 * `instance-update-available` to the host: once per instance and version per frame, the first
 * time a screen shows an instance that can move to a newer version of its integration (the
 * integration page's list, the instance page). Ids, versions and whether the customer must fill
 * something in — nothing else reaches the host. The record hangs off the frame, so coming back
 * to a screen does not tell it twice.
 */
import type { Instance } from "../../contract/api.ts";
import type { Frame } from "./frame.ts";
import { toldOnce } from "./told-once.ts";

export function updateEvents(frame: Pick<Frame, "emit">) {
  const known = toldOnce(frame, "update");
  return {
    seen(instances: readonly Pick<Instance, "id" | "integrationId" | "availableUpdate">[]): void {
      for (const { id, integrationId, availableUpdate: update } of instances) {
        if (!update || known.has(`${id}@${update.version}`)) continue;
        known.add(`${id}@${update.version}`);
        frame.emit("instance-update-available", { integrationId, instanceId: id, version: update.version, needsInput: update.needsInput });
      }
    },
  };
}
