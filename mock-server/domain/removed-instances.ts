/**
 * History that survives removal. Deactivating an instance runs its removal flows, then moves its
 * record here (status `deleted`, when and by whom) for the retention period; its executions and
 * alerts stay where they are. So the organization can still look at it and at a removal run that
 * failed, usage still counts the time it was enabled, its own customer is told it is gone (410
 * INSTANCE_DELETED) instead of "never existed", and anyone else still gets 404. Secrets are not
 * kept: the record loses its config and webhook tokens on the way in.
 *
 * After `maxAgeDays` (the execution retention) the record goes, with its alerts and any
 * executions left.
 */
import { iso } from "./clock.ts";
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { parseRecord, touch, type InstanceRecord, type RemovedInstanceRecord, type Snapshot } from "./store.ts";
import type { Caller } from "./sessions.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

export type RemovedBy = RemovedInstanceRecord["deletedBy"];

/** Who a customer's caller is, as a removal names them: their user (the host app's id for them). */
export const removedByUser = (caller: Caller): RemovedBy => ({ kind: "user", id: caller.user.externalId, name: caller.user.name });

export function removedInstance(snapshot: Snapshot, id: string): RemovedInstanceRecord | undefined {
  return Object.hasOwn(snapshot.removedInstances, id) ? snapshot.removedInstances[id] : undefined;
}

/** Keeps the record of an instance being removed (its secrets emptied); the caller deletes the live one. */
export function keepRemoved(snapshot: Snapshot, instance: InstanceRecord, by: RemovedBy, at: number): RemovedInstanceRecord {
  const { monitorsInitialized: _m, ...rest } = instance;
  // Through its schema, so it has the shape (and key order) it will have when loaded again.
  const record = parseRecord("removedInstances", instance.id, { ...rest, config: {}, webhookTokens: {}, nextRuns: {}, updatedAt: at, deletedAt: at, deletedBy: by });
  snapshot.removedInstances[instance.id] = record;
  touch(snapshot, "removedInstances", instance.id);
  return record;
}

/** 410 INSTANCE_DELETED for the instance's own customer (or organization), saying when and by whom. */
export function instanceDeleted(record: RemovedInstanceRecord): PlatformError {
  return new PlatformError(
    ApiErrorCode.InstanceDeleted,
    `Instance "${record.name}" (${record.id}) was deactivated at ${iso(record.deletedAt)} by ${record.deletedBy.name}; its history is kept for the retention period.`,
  );
}

/** Removed records whose retention ran out (deleted before `now − maxAgeDays`), to purge. */
export function expiredRemovals(snapshot: Snapshot, now: number, maxAgeDays: number): RemovedInstanceRecord[] {
  const cutoff = now - maxAgeDays * DAY_MS;
  return Object.values(snapshot.removedInstances).filter((r) => r.deletedAt < cutoff);
}
