/**
 * The customer's activated instances (deployed at least once), for the activity screen's
 * filters and pickers: loaded once per frame and shared by the tabs, refreshed on demand.
 */
import { useEffect, useState } from "preact/hooks";
import type { Instance } from "../../../contract/api.ts";
import type { Frame } from "../frame.ts";
import { instancesApi } from "../instances-api.ts";

const loaded = new WeakMap<Frame, Promise<Instance[]>>();

export function loadInstances(frame: Frame, fresh = false): Promise<Instance[]> {
  let pending = fresh ? undefined : loaded.get(frame);
  if (!pending) {
    pending = instancesApi(frame.api)
      .listInstances()
      .then((list) => list.instances.filter((i) => i.deployedAt !== undefined));
    // A failed load is not kept: the next tab (or Retry) asks again.
    pending.catch(() => loaded.delete(frame));
    loaded.set(frame, pending);
  }
  return pending;
}

/** The activated instances once loaded (undefined until then, or when they could not be). */
export function useInstances(frame: Frame): Instance[] | undefined {
  const [instances, setInstances] = useState<Instance[] | undefined>(undefined);
  useEffect(() => {
    let live = true;
    loadInstances(frame).then((list) => live && setInstances(list), () => undefined);
    return () => void (live = false);
  }, []);
  return instances;
}

/** The instances as the options of a filter or picker: by id, named as the customer named them. */
export const instanceOptions = (instances: Instance[] | undefined) => (instances ?? []).map((i) => ({ value: i.id, label: i.name }));

/** A flow's name as the customer sees it (host overrides included). */
export function flowLabel(frame: Frame, integrationId: string, flowId: string, fallback: string): string {
  return frame.locale.content(`flow.${integrationId}.${flowId}.name`, fallback);
}
