/**
 * The webhook endpoint's behaviour, once, for every transport: `POST /api/v1/webhooks/:token`
 * → 503 while the platform stops → scenario (latency, flaky failures) → 404 unknown token / 409 paused or not deployed → 429
 * past the instance's rate limit → body
 * (413 over 1 MiB, 400 not UTF-8 or not JSON; empty = null payload) → run the flow, synchronously
 * or, with `Prefer: respond-async`, as 202 with the execution id → the answer checked against
 * the contract. The MSW handler calls it with a fetch Request's body; the HTTP server calls it
 * straight from node:http (no Request/Response objects, which cost more than the flow itself).
 */
import { API_PREFIX, webhookResponse, type Execution, type WebhookResponse } from "../../contract/api.ts";
import { SCENARIO_HEADER } from "../../contract/scenario.ts";
import { parseJsonText } from "./request-body.ts";
import { contractAnswer, errorAnswer, scenarioGate, unsavedAnswer, type Answer, type ContractViolationListener } from "./answer.ts";
import { executionChange, failsRequest } from "../domain/changes.ts";
import { logId, logReason } from "../domain/log-text.ts";
import type { Platform } from "../domain/platform.ts";

export interface WebhookCall {
  /** The `:token` path segment, already URL-decoded. */
  token: string;
  /** The body as text; throws a PlatformError (413 too large, 400 not UTF-8) when it cannot be read. */
  readBody(): Promise<string>;
  /** The `Prefer` request header, if any. */
  prefer: string | null;
}

export interface WebhookAnswerOptions {
  sleep: (ms: number) => Promise<void>;
  onViolation?: ContractViolationListener;
}

/** Where violations and errors are reported: the route, never the token (a secret). */
const ROUTE = `${API_PREFIX}/webhooks/:token`;
const RESPOND_ASYNC = /(^|[\s,;])respond-async($|[\s,;])/i;

/**
 * Answers one webhook call; never throws (errors become typed API errors). One async function
 * from the body to the commit: on the one route called at volume, each nested async function
 * was a promise and a reaction more per call.
 */
export async function answerWebhook(platform: Platform, call: WebhookCall, options: WebhookAnswerOptions): Promise<Answer> {
  let answer: Answer | undefined;
  /** Whether the stop counts this call as work to wait for (`admitRequest`), once its body is here. */
  let admitted = false;
  /** The run this call started: its one change of its own (a refusal of any other change is not this call's). */
  let run: string | undefined;
  /** What building the answer of the run that ended threw (its output's JSON, past V8's string limit): see below. */
  let unanswered: unknown;
  try {
    // A stopping platform refuses the call before anything else (503, Retry-After): no lookup, no
    // token of the instance's rate limiter for a call that never runs (a sender's retries after the
    // restart would be 429'd for it), and the same answer for an unknown token as for a known one.
    platform.refuseWhileStopping();
    // Without a scenario the gate has nothing to do: skip its promise on the hot path.
    if (platform.scenario.name !== "none") answer = await scenarioGate(platform, options.sleep, options.onViolation, ROUTE);
    if (answer === undefined) {
      // Token first: an unknown or paused webhook is refused before its body is read, and so is
      // a call past the instance's rate limit (429, Retry-After).
      platform.webhooks.admit(platform.webhooks.target(call.token).instance.id);
      const text = await call.readBody();
      // A platform whose stop began while the body arrived refuses the call here, before anything
      // of it ran (503, Retry-After); an admitted one is work the stop waits for, until its answer
      // is built (the finally below). Not before its body is here: a sender that stops sending it would hold the stop
      // for as long as the connection lives (the HTTP server cuts it once the platform stopped).
      platform.admitRequest();
      admitted = true;
      const payload = text.trim() === "" ? null : parseJsonText(text, "webhook body");
      const result = await platform.webhooks.invoke(call.token, payload, { async: call.prefer !== null && RESPOND_ASYNC.test(call.prefer) });
      run = result.mode === "async" ? result.executionId : result.response.executionId;
      answer =
        result.mode === "async"
          ? contractAnswer(webhookResponse, { executionId: result.executionId, status: "running" }, { status: 202, headers: { "Preference-Applied": "respond-async" } }, options.onViolation, ROUTE)
          : contractAnswer(webhookResponse, result.response, {}, options.onViolation, ROUTE);
    }
  } catch (error) {
    if (run === undefined) answer = errorAnswer(error, options.onViolation, ROUTE);
    else unanswered = error;
  }
  // A sender such as Stripe never retries after a 2xx: the execution is on disk before it leaves.
  // And it retries after a 503: a call whose run is on disk is answered as it ran even when
  // another change of the write was refused (a 503 would run it again), and a call whose run was
  // refused gets the 503, unless its run's end alone was refused and the run is now on disk cut
  // (`cutRunAnswer`). (`unsaved`'s wait, written out: one async function fewer per call on
  // the one route called at volume.)
  try {
    try {
      await platform.commit();
    } catch (error) {
      if (failsRequest(error, run === undefined ? [] : [executionChange(run)])) answer = cutRunAnswer(platform, run === undefined ? undefined : await platform.executions.durableCut(run), answer, unanswered, options) ?? unsavedAnswer(error, options.onViolation, ROUTE);
    }
    // The run ended but its answer could not be built: its output is what cannot be stored either,
    // so its end was refused, said in the log in the refusal's one line, and answered from the cut:
    // above, or here when the write that refused it was another request's, ended before this
    // commit (which then stored the cut alone: read as it is, no write again, whose failure on
    // another change would not unstore it). Only when the end was stored whole is it a 500 and an
    // unexpected error, with its frames.
    answer ??= cutRunAnswer(platform, run === undefined ? undefined : platform.executions.storedCut(run), undefined, unanswered, options) ?? errorAnswer(unanswered, options.onViolation, ROUTE);
    if (platform.scenario.name !== "none") answer.headers[SCENARIO_HEADER] = platform.scenario.name;
    return answer;
  } finally {
    if (admitted) platform.requestDone();
  }
}

/**
 * The answer to a call whose own run's end was refused as unstorable, from the run as stored cut
 * (`cut`: Executions.durableCut after a commit that failed on it, Executions.storedCut after one
 * that did not): as the run ended, since a 503 would have the sender run it again, with every retry
 * cut the same way. A synchronous call's 200 is built from the cut (its status, error and notice;
 * no output: the answer built from the run as it ended may be what could not be stored, or none
 * when its JSON threw); a respond-async call keeps its 202. Undefined (a 503 then) with no cut on disk.
 * When building the answer from the run as it ended threw (`unanswered`) for another reason than
 * the one its end was refused for (logged by the refusal: step results past V8's string limit, and
 * a cyclic output, say), that reason gets its own line, no stack: nothing crashed, the run is answered.
 */
function cutRunAnswer(platform: Platform, cut: Execution | undefined, answered: Answer | undefined, unanswered: unknown, options: WebhookAnswerOptions): Answer | undefined {
  if (!cut) return undefined;
  if (answered?.status === 202) return answered;
  if (unanswered !== undefined) {
    const why = logReason(unanswered);
    if (why !== platform.executions.cutReason(cut.id)) console.error(`[emporium platform] could not build the answer of execution ${logId(cut.id)} either (answered from its stored cut): ${why}`);
  }
  const response: WebhookResponse = { executionId: cut.id, status: cut.status };
  if (cut.error !== undefined) response.error = cut.error;
  if (cut.notice !== undefined) response.notice = cut.notice;
  return contractAnswer(webhookResponse, response, {}, options.onViolation, ROUTE);
}
