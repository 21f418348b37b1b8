/**
 * The API client's one error class, thrown by the embedded frame's client and by
 * `emporium/headless` alike (the headless entry exports it under the same name). A platform
 * answer keeps the platform's code (`ApiErrorCode`) and its own words; a failure the client
 * detects itself has a `ClientErrorCode` (contract/errors.ts), one vocabulary for both.
 */
import type { ConnectionUse } from "../contract/api-types.ts";
import type { ApiErrorCode, ClientErrorCode } from "../contract/errors.ts";

/**
 * Every code an `EmporiumApiError` can carry: the platform's and the client's. A backend newer
 * than this client may send a code not listed yet, so any string is possible.
 *
 * @example
 * const code: EmporiumApiErrorCode = "VALIDATION_FAILED";
 */
export type EmporiumApiErrorCode = ApiErrorCode | ClientErrorCode | (string & {});

/**
 * Every failure of the API client: a platform error answer, a network failure, a response that
 * breaks the contract, or invalid values caught before saving.
 *
 * `message` is the platform's own words, or says what was expected and received; where the code
 * says it all (`NETWORK_ERROR`, `TIMEOUT`, ...) the message is the code, and a UI words it in
 * the user's language from the code (the frame's phrase tables do).
 *
 * @example
 * try {
 *   await client.saveConfigPage(instanceId, "connect", values);
 * } catch (error) {
 *   if (error instanceof EmporiumApiError && error.code === "VALIDATION_FAILED") showFieldErrors(error.page, error.fields);
 *   else throw error;
 * }
 */
export class EmporiumApiError extends Error {
  override readonly name = "EmporiumApiError";
  constructor(
    /** What went wrong, for code: `TOKEN_EXPIRED`, `NOT_FOUND`, `VALIDATION_FAILED`, `NETWORK_ERROR`, ... */
    readonly code: EmporiumApiErrorCode,
    message = "",
    /** The HTTP status, or 0 when there was no usable answer (network, client-side validation). */
    readonly status = 0,
    /** Field messages in plain words, keyed by config variable key (`VALIDATION_FAILED`). */
    readonly fields?: Record<string, string>,
    /** The config page the failing fields are on, when known. */
    readonly page?: string,
  ) {
    super(message || code);
  }
  /**
   * `CONNECTION_IN_USE`: the instances that use the connection (name, id, integration, field),
   * so a UI can say which to change first. Set by the connection functions (connections-api.ts);
   * declared only, so the class costs no byte more.
   */
  declare readonly usedBy?: readonly ConnectionUse[];
}

export const isApiError = (e: unknown): e is EmporiumApiError => e instanceof EmporiumApiError;
