/**
 * The headless client's test runs and replays (issue 15), on the shared client core
 * (client/runs-api.ts, what the frame's instance page uses). A chunk of its own
 * (dist/sdk/headless-runs.js), loaded on the first call of one of them, like the activity
 * functions: the headless entry stays within its budget, and a host that never tests a flow
 * never downloads it.
 */
import { readTestPayload, runsApi } from "../../client/runs-api.ts";
import { EmporiumApiError } from "../../client/error.ts";
import { TEST_PAYLOAD_MAX_CHARS } from "../../contract/api.ts";
import type { Call } from "../../client/call.ts";
import type { Instance } from "../../contract/api-types.ts";
import type { RunsClient } from "./types.ts";

/** `getInstance`: the entry's own (its instance schema stays out of this chunk). */
export function runsClient(call: Call, getInstance: (id: string) => Promise<Instance>): RunsClient {
  const runs = runsApi(call);
  return {
    async testRun(instanceId, flowId, payload) {
      if (payload === undefined) payload = (await getInstance(instanceId)).flows.find((f) => f.id == flowId)?.example ?? {};
      let text: string | undefined;
      try {
        text = JSON.stringify(payload);
      } catch {
        // A cycle or a BigInt: not JSON (read as such below).
      }
      const read = readTestPayload(text ?? "?");
      if (!read.ok) {
        const message = read.problem == "not-json" ? "The payload is not JSON." : `The payload is ${read.size} characters of JSON; a test payload may have at most ${TEST_PAYLOAD_MAX_CHARS}.`;
        throw new EmporiumApiError("VALIDATION_FAILED", message, 0, { payload: message });
      }
      return runs.testRun(instanceId, flowId, read.value);
    },
    replay: (instanceId, executionId) => runs.replay(instanceId, executionId),
    listReplays: async (instanceId, executionId) => (await runs.listReplays(instanceId, executionId)).executions,
  };
}
