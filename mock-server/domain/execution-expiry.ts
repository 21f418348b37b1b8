/**
 * Telling an execution that retention removed from one that never existed, without keeping a
 * tombstone per removed execution (a flood would make those grow as fast as executions did):
 * execution ids carry their start time (ids.ts `newTimeId`), and each instance's `executionExpiry`
 * record holds the start time of the newest execution retention removed. A missing id that
 * started at or before it was removed: 410 EXECUTION_EXPIRED, and an alert pointing at it says so.
 *
 * The mark is a small record of its own, keyed by the instance id (live or removed instance
 * alike): retention moves it on nearly every write of a busy instance, and while it was a field of
 * the instance record every move re-sealed and rewrote the whole instance. State written then
 * still has it there; `moveExpiryMarks` moves it out at load.
 */
import { timeOfId } from "./ids.ts";
import { touch, type Snapshot } from "./store.ts";

export const EXECUTION_ID_PREFIX = "exe";

/** The instance's mark, when retention removed any of its executions. */
const markOf = (snapshot: Snapshot, instanceId: string) => (Object.hasOwn(snapshot.executionExpiry, instanceId) ? snapshot.executionExpiry[instanceId] : undefined);

/** Whether retention removed the execution `executionId` of the instance `instanceId`. */
export function executionExpired(snapshot: Snapshot, instanceId: string, executionId: string): boolean {
  const mark = markOf(snapshot, instanceId);
  if (!mark) return false;
  const started = timeOfId(EXECUTION_ID_PREFIX, executionId);
  return started !== undefined && started <= mark.through;
}

/** Records that retention removed the instance's executions that started up to `through` (epoch ms). */
export function markExpired(snapshot: Snapshot, instanceId: string, through: number): void {
  const mark = markOf(snapshot, instanceId);
  if (mark && mark.through >= through) return;
  snapshot.executionExpiry[instanceId] = { id: instanceId, through };
  touch(snapshot, "executionExpiry", instanceId);
}

/** Forgets the instance's mark (its history is gone with it). */
export function forgetExpiry(snapshot: Snapshot, instanceId: string): void {
  if (!Object.hasOwn(snapshot.executionExpiry, instanceId)) return;
  delete snapshot.executionExpiry[instanceId];
  touch(snapshot, "executionExpiry", instanceId);
}

/** Moves the marks that state written by earlier versions keeps in instance records into their own records. */
export function moveExpiryMarks(snapshot: Snapshot): void {
  for (const kind of ["instances", "removedInstances"] as const) {
    for (const record of Object.values(snapshot[kind])) {
      if (record.executionsExpiredThrough === undefined) continue;
      markExpired(snapshot, record.id, record.executionsExpiredThrough);
      delete record.executionsExpiredThrough;
      touch(snapshot, kind, record.id);
    }
  }
}
