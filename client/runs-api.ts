/**
 * Test runs and replays on the one validated `call`, for the frame's instance page and the
 * headless client alike: run a flow now with a payload, replay an execution with its original
 * payload, list an execution's replays. Each POST carries an Idempotency-Key, so the call loop
 * may retry it after a lost answer without running the flow twice (D2, D5).
 *
 * `readTestPayload` is the one check of a payload typed as text, before anything is sent: not
 * JSON, or more than the platform takes (TEST_PAYLOAD_MAX_CHARS). It says which, and the frame
 * words it in the user's language while the headless client throws it as a field error.
 */
import { TEST_PAYLOAD_MAX_CHARS, execution, executionReplays, paths } from "../contract/api.ts";
import type { Call } from "./call.ts";

export type TestPayload = { ok: true; value: unknown } | { ok: false; problem: "not-json" } | { ok: false; problem: "too-large"; size: number };

/** The JSON value of a payload typed as text, or why it cannot be sent. */
export function readTestPayload(text: string): TestPayload {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: "not-json" };
  }
  const size = JSON.stringify(value).length;
  return size > TEST_PAYLOAD_MAX_CHARS ? { ok: false, problem: "too-large", size } : { ok: true, value };
}

export const runsApi = (call: Call) => ({
  /** Runs a webhook or scheduled flow now with `payload`; the finished run, marked `test`. */
  testRun: (instanceId: string, flowId: string, payload: unknown, idempotencyKey = crypto.randomUUID()) =>
    call(execution, paths.flowTest(instanceId, flowId), { method: "post", json: { payload }, idempotencyKey }),
  /** Runs an ended execution again with its original payload; the finished replay (`replayOf` names the original). */
  replay: (instanceId: string, executionId: string, idempotencyKey = crypto.randomUUID()) =>
    call(execution, paths.executionReplays(instanceId, executionId), { method: "post", json: {}, idempotencyKey }),
  /** The execution's replays, oldest first. */
  listReplays: (instanceId: string, executionId: string) => call(executionReplays, paths.executionReplays(instanceId, executionId)),
});
export type RunsApi = ReturnType<typeof runsApi>;
