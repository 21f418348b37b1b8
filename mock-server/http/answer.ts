/**
 * A transport-independent API answer: status, headers and a body already serialised. The route
 * wrapper (msw-handlers.ts) turns it into a fetch Response (MSW, service worker); the HTTP server
 * writes it straight to a node:http response on its fast path. Building answers here, once,
 * keeps error shapes, contract checks and scenario effects identical on every transport.
 */
import { HttpResponse } from "msw";
import * as z from "zod/mini";
import { apiError } from "../../contract/api.ts";
import { apiErrorStatus } from "../../contract/errors.ts";
import { ApiErrorCode, PlatformError, UNSAVED_MESSAGE } from "../domain/errors.ts";
import type { Platform } from "../domain/platform.ts";
import { logFailure, logPath, logReason } from "../domain/log-text.ts";

export interface Answer {
  status: number;
  /** Header names as sent; `Content-Type` is always set for a body. */
  headers: Record<string, string>;
  /** Serialised body ("" for none). */
  body: string;
}

/** An Answer as a fetch Response (MSW, the service worker, the in-page transport). */
export function answerResponse(answer: Answer): Response {
  return new HttpResponse(answer.body === "" ? null : answer.body, { status: answer.status, headers: answer.headers });
}

export type ContractViolationListener = (detail: { path: string; issues: unknown }) => void;

export function errorBody(code: ApiErrorCode, message: string, extra: { fields?: Record<string, string>; page?: string } = {}) {
  return { error: { code, message, ...extra } };
}

const JSON_TYPE = "application/json";

/**
 * A JSON answer after checking `body` against its contract schema: a body that breaks the
 * contract is a platform bug and is answered as 500 SERVER_ERROR (and reported).
 */
export function contractAnswer<T>(
  schema: z.ZodMiniType<T>,
  body: T,
  init: { status?: number; headers?: Record<string, string> },
  onViolation: ContractViolationListener | undefined,
  path: string,
): Answer {
  const checked = z.safeParse(schema, body);
  if (!checked.success) return contractViolation(checked.error.issues, onViolation, path);
  // Object.assign, not `{ ...init.headers, "Content-Type": … }`: a spread followed by more keys
  // built a new hidden class on every call on Node 20 (every answer of every route comes here).
  const headers: Record<string, string> = init.headers ? Object.assign({}, init.headers) : {};
  headers["Content-Type"] = JSON_TYPE;
  return { status: init.status ?? 200, headers, body: JSON.stringify(body) };
}

/** A response that breaks the contract is a platform bug: reported, and answered as 500 SERVER_ERROR. */
export function contractViolation(issues: unknown, onViolation: ContractViolationListener | undefined, path: string): Answer {
  onViolation?.({ path, issues });
  console.error(`[emporium platform] response of ${logPath(path)} breaks the contract: ${JSON.stringify(issueShapes(issues)).slice(0, 2000)}`);
  return { status: 500, headers: { "Content-Type": JSON_TYPE }, body: JSON.stringify(errorBody(ApiErrorCode.ServerError, "The platform produced an invalid response.")) };
}

/**
 * What a log line says of contract issues: each one's code and where (keys shown only when they
 * are a schema's field names), never its message or input, which may quote the answer's values.
 * The platform's own issues (no code) keep their message.
 */
function issueShapes(issues: unknown): unknown {
  if (!Array.isArray(issues)) return [];
  return issues.map((issue: { code?: unknown; path?: unknown; message?: unknown }) =>
    typeof issue.code !== "string"
      ? { message: issue.message }
      : { code: issue.code, path: Array.isArray(issue.path) ? issue.path.map((key) => (typeof key === "number" || (typeof key === "string" && FIELD_NAME.test(key)) ? key : "?")) : [] },
  );
}
/** A schema's field name (`executionId`): letters only, so no id, token or secret a caller chose passes as one. */
const FIELD_NAME = /^[a-z][A-Za-z]{0,31}$/;

/** Any thrown value as an API error: a PlatformError keeps its code; anything else is a 500. */
export function errorAnswer(error: unknown, onViolation: ContractViolationListener | undefined, path: string): Answer {
  if (!(error instanceof PlatformError)) {
    console.error(`[emporium platform] unexpected error: ${logFailure(error)}`);
    return { status: 500, headers: { "Content-Type": JSON_TYPE }, body: JSON.stringify(errorBody(ApiErrorCode.ServerError, "Something went wrong on the platform.")) };
  }
  const extra: { fields?: Record<string, string>; page?: string } = {};
  if (error.fields) extra.fields = error.fields;
  if (error.page) extra.page = error.page;
  const answer = contractAnswer(apiError(), errorBody(error.code, error.message, extra), { status: error.status }, onViolation, path);
  if (error.retryAfterSeconds !== undefined) answer.headers["Retry-After"] = String(error.retryAfterSeconds);
  if (error.code.startsWith("TOKEN_") || error.code === ApiErrorCode.OrgKeyInvalid) {
    answer.headers["WWW-Authenticate"] = `Bearer error="invalid_token", error_description="${error.code}"`;
  }
  return answer;
}

/**
 * Waits until every change the request made is durable (a 2xx is on disk, see
 * domain/changes.ts): undefined then. When the write fails, the answer to send instead, a 503
 * SERVICE_UNAVAILABLE: the client must not believe a change the platform could not keep.
 */
export async function unsaved(platform: Platform, onViolation: ContractViolationListener | undefined, path: string): Promise<Answer | undefined> {
  try {
    await platform.commit();
    return undefined;
  } catch (error) {
    return unsavedAnswer(error, onViolation, path);
  }
}

/** The 503 SERVICE_UNAVAILABLE answered when the write of a request's changes failed with `error` (see `unsaved`). */
export function unsavedAnswer(error: unknown, onViolation: ContractViolationListener | undefined, path: string): Answer {
  console.error(`[emporium platform] could not save the changes of ${logPath(path)}: ${logReason(error)}`);
  return contractAnswer(
    apiError(),
    errorBody(ApiErrorCode.ServiceUnavailable, UNSAVED_MESSAGE),
    { status: 503, headers: { "Retry-After": "1" } },
    onViolation,
    path,
  );
}

/**
 * Applies the active scenario to one API request before the platform sees it: waits its
 * latency, and returns the failure answer of a flaky request (so a failed request never did
 * anything and a retry is safe), or undefined to go on.
 */
export async function scenarioGate(
  platform: Platform,
  sleep: (ms: number) => Promise<void>,
  onViolation: ContractViolationListener | undefined,
  path: string,
): Promise<Answer | undefined> {
  const effect = platform.scenario.beforeRequest();
  if (effect.delayMs > 0) await sleep(effect.delayMs);
  if (!effect.failure) return undefined;
  const { code, retryAfterSeconds } = effect.failure;
  return contractAnswer(
    apiError(),
    errorBody(code, `The platform is having a moment (scenario ${platform.scenario.name}); retry after ${retryAfterSeconds} s.`),
    { status: apiErrorStatus[code], headers: { "Retry-After": String(retryAfterSeconds) } },
    onViolation,
    path,
  );
}
