/**
 * An idempotent write over HTTP, for every route that takes an Idempotency-Key: what the write is
 * bound to (the key, when sent, and the fingerprint of the request it came with), and how its
 * answer says that it is the stored one (Idempotent-Replayed: true).
 */
import { requestFingerprint } from "./request-input.ts";
import type { Idempotency, StoredAnswer } from "../domain/idempotency.ts";

/** The key and fingerprint the domain's runIdempotent takes (the fingerprint counts only with a key). */
export async function idempotency(request: Request, body: { text: string; value: unknown }): Promise<Idempotency> {
  const key = request.headers.get("idempotency-key");
  return { fingerprint: await requestFingerprint(request, body), ...(key !== null ? { idempotencyKey: key } : {}) };
}

/** The status and headers of an idempotent write's answer. */
export const replayInit = (result: Omit<StoredAnswer<unknown>, "body">) => ({
  status: result.status,
  headers: result.replayed ? { "Idempotent-Replayed": "true" } : ({} as Record<string, string>),
});
