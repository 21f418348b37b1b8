/**
 * "View run" from the overview or an alert: the logs tab opens (narrowed to the run's
 * instance) with that run expanded. The request waits here, per frame, for the logs tab to take it.
 */
import type { Frame } from "../frame.ts";

const wanted = new WeakMap<Frame, string>();

export function openRun(frame: Frame, instanceId: string, executionId: string): void {
  wanted.set(frame, executionId);
  frame.navigate({ name: "logs", instanceId });
}

/** The run the logs tab should open expanded, once. */
export function takeWantedRun(frame: Frame): string | undefined {
  const id = wanted.get(frame);
  wanted.delete(frame);
  return id;
}
