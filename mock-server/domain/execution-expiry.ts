/**
 * Telling an execution that retention removed from one that never existed, without keeping a
 * tombstone per removed execution (a flood would make those grow as fast as executions did):
 * execution ids carry their start time (ids.ts `newTimeId`), and an instance remembers the start
 * time of the newest execution retention removed (`executionsExpiredThrough`). A missing id that
 * started at or before it was removed: 410 EXECUTION_EXPIRED, and an alert pointing at it says so.
 */
import { timeOfId } from "./ids.ts";
import type { InstanceRecord } from "./store.ts";

export const EXECUTION_ID_PREFIX = "exe";

/** Whether retention removed the execution `executionId` of `instance`. */
export function executionExpired(instance: InstanceRecord, executionId: string): boolean {
  const started = timeOfId(EXECUTION_ID_PREFIX, executionId);
  return started !== undefined && instance.executionsExpiredThrough !== undefined && started <= instance.executionsExpiredThrough;
}
