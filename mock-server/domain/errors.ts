/**
 * The platform's one error class: every failure the API reports carries a code from the
 * contract (ApiErrorCode), which decides the HTTP status. Handlers turn it into
 * `{ error: { code, message, fields?, page? } }`; anything else thrown is a bug (500).
 */
import { ApiErrorCode, apiErrorStatus } from "../../contract/errors.ts";

export { ApiErrorCode };

/** What a 503 SERVICE_UNAVAILABLE says when a request's change could not be saved (it must not be believed: retry). */
export const UNSAVED_MESSAGE = "The platform could not save this change; it was not applied. Retry shortly.";

/**
 * A client error (4xx) is an answer, not a fault: nobody reads its stack, and capturing one is
 * ~14 % of the event loop's work on a refused webhook (404 unknown token, 429 rate limited: the
 * answers a flood gets). So a 4xx PlatformError is made with no stack frames (its `stack` is the
 * name and message alone); a 5xx keeps V8's full capture, for the fault it reports.
 */
export class PlatformError extends Error {
  override readonly name = "PlatformError";
  readonly code: ApiErrorCode;
  /** Field-level messages, keyed by config variable key. */
  readonly fields?: Record<string, string>;
  /** The config page the failing fields are on. */
  readonly page?: string;
  /** When to try again (seconds), for an answer with `Retry-After` (429 RATE_LIMITED). */
  readonly retryAfterSeconds?: number;

  constructor(code: ApiErrorCode, message: string, details: { fields?: Record<string, string>; page?: string; retryAfterSeconds?: number } = {}) {
    const stackTraceLimit = Error.stackTraceLimit; // V8's; other engines have none and keep theirs
    const noStack = apiErrorStatus[code] < 500 && typeof stackTraceLimit === "number";
    if (noStack) Error.stackTraceLimit = 0;
    try {
      super(message);
    } finally {
      if (noStack) Error.stackTraceLimit = stackTraceLimit;
    }
    this.code = code;
    if (details.fields) this.fields = details.fields;
    if (details.page) this.page = details.page;
    if (details.retryAfterSeconds !== undefined) this.retryAfterSeconds = details.retryAfterSeconds;
  }

  get status(): number {
    return apiErrorStatus[this.code];
  }
}

/**
 * A catalog definition the platform cannot run (bad cron, a step naming an unknown connection…),
 * found when the catalog is loaded. It is a start-up failure, not an API answer, so it names the
 * integration and the field instead of carrying an API code.
 */
export class CatalogError extends Error {
  override readonly name = "CatalogError";
  constructor(
    readonly integrationId: string,
    readonly field: string,
    reason: string,
  ) {
    super(`Integration "${integrationId}", ${field}: ${reason}`);
  }
}
