/**
 * Idempotency keys for unsafe requests (deploy): the first request with a key is recorded with a
 * fingerprint of what it asked; a retry with the same key and the same request gets the stored
 * answer; the same key for a different request is refused (422), and a retry while the first is
 * still running is refused (409). Keys are per customer and kept for 24 hours.
 */
import { ApiErrorCode, PlatformError } from "./errors.ts";
import type { PlatformContext } from "./context.ts";
import { touch, type IdempotencyRecord, type Snapshot } from "./store.ts";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const KEY = /^[\x21-\x7e]{1,255}$/;

export type IdempotencyStart = { kind: "new"; recordKey: string } | { kind: "replay"; status: number; body: unknown };

function recordKeyOf(customerId: string, key: string) {
  return `${customerId} ${key}`;
}

export function beginIdempotent(snapshot: Snapshot, customerId: string, key: string, fingerprint: string, now: number): IdempotencyStart {
  if (!KEY.test(key)) throw new PlatformError(ApiErrorCode.BadRequest, "The Idempotency-Key header must be 1–255 visible ASCII characters.");
  const recordKey = recordKeyOf(customerId, key);
  const existing = Object.hasOwn(snapshot.idempotency, recordKey) ? snapshot.idempotency[recordKey] : undefined;
  if (existing && now - existing.createdAt < IDEMPOTENCY_TTL_MS) {
    if (existing.fingerprint !== fingerprint) {
      throw new PlatformError(ApiErrorCode.IdempotencyKeyReused, "This Idempotency-Key was already used for a different request.");
    }
    if (existing.state === "in-progress") {
      throw new PlatformError(ApiErrorCode.IdempotencyInProgress, "A request with this Idempotency-Key is still in progress; retry shortly.");
    }
    return { kind: "replay", status: existing.status ?? 200, body: existing.body };
  }
  const record: IdempotencyRecord = { customerId, key, fingerprint, state: "in-progress", createdAt: now };
  snapshot.idempotency[recordKey] = record;
  touch(snapshot, "idempotency", recordKey);
  return { kind: "new", recordKey };
}

export function completeIdempotent(snapshot: Snapshot, recordKey: string, status: number, body: unknown): void {
  const record = snapshot.idempotency[recordKey];
  if (!record) return;
  record.state = "done";
  record.status = status;
  record.body = body;
  touch(snapshot, "idempotency", recordKey);
}

/** Forgets a key whose request failed before doing anything, so a retry can run it. */
export function abandonIdempotent(snapshot: Snapshot, recordKey: string): void {
  delete snapshot.idempotency[recordKey];
  touch(snapshot, "idempotency", recordKey);
}

/** Drops expired keys, and in-progress ones from before a restart (their request died with it). */
export function pruneIdempotency(snapshot: Snapshot, now: number, afterRestart: boolean): void {
  for (const [key, record] of Object.entries(snapshot.idempotency)) {
    if (now - record.createdAt >= IDEMPOTENCY_TTL_MS || (afterRestart && record.state === "in-progress")) {
      delete snapshot.idempotency[key];
      touch(snapshot, "idempotency", key);
    }
  }
}

/** What an idempotent write is bound to: the key, when the caller sent one, and the request's fingerprint. */
export type Idempotency = { idempotencyKey?: string; fingerprint: string };

/** An idempotent write's answer: the first one, or the stored one again (`replayed`). */
export type StoredAnswer<T> = { status: number; body: T; replayed: boolean };

/**
 * Runs `work` at most once per idempotency key (when one is given) in `scope`: a retry with the
 * same key and fingerprint gets the stored answer; a failure forgets the key.
 */
export async function runIdempotent<T>(
  ctx: PlatformContext,
  scope: string,
  options: Idempotency,
  status: number,
  work: () => Promise<T>,
): Promise<StoredAnswer<T>> {
  let recordKey: string | undefined;
  if (options.idempotencyKey !== undefined) {
    const start = beginIdempotent(ctx.snapshot, scope, options.idempotencyKey, options.fingerprint, ctx.clock.now());
    if (start.kind === "replay") return { status: start.status, body: start.body as T, replayed: true };
    recordKey = start.recordKey;
  }
  try {
    const body = await work();
    if (recordKey) completeIdempotent(ctx.snapshot, recordKey, status, body);
    return { status, body, replayed: false };
  } catch (error) {
    if (recordKey) abandonIdempotent(ctx.snapshot, recordKey);
    throw error;
  }
}
