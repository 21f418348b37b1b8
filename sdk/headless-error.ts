/**
 * The headless client's one error class. Platform answers keep the platform's code
 * (`ApiErrorCode`, contract/errors.ts); the client adds the few codes that happen before a
 * usable answer exists. Validation done by the client itself uses the platform's
 * `VALIDATION_FAILED` with `fields` and `page`, so a custom UI has one error path for both.
 */
import type { ApiErrorCode } from "../contract/errors.ts";

/**
 * Codes the client raises itself (the platform's codes are `ApiErrorCode`).
 *
 * @example
 * if (error.code === HeadlessErrorCode.TokenUnavailable) redirectToLogin();
 */
export const HeadlessErrorCode = {
  /** `createClient` options are wrong (what was expected and received is in the message). */
  InvalidOption: "INVALID_OPTION",
  /** `getToken` threw, rejected, did not settle within 30 s, or resolved to something that is not a compact JWT. */
  TokenUnavailable: "TOKEN_UNAVAILABLE",
  /** fetch failed: offline, DNS, connection reset, or CORS refused (after the allowed retries). */
  Network: "NETWORK_ERROR",
  /** The platform did not answer within 30 s (its headers, or then its body). */
  Timeout: "TIMEOUT",
  /** The platform answered in a shape the contract does not allow. */
  InvalidResponse: "INVALID_RESPONSE",
  /** The wizard was closed or canceled; it cannot be used any more. */
  WizardClosed: "WIZARD_CLOSED",
} as const;
/**
 * One of `HeadlessErrorCode`'s values.
 *
 * @example
 * const code: HeadlessErrorCodeValue = "NETWORK_ERROR";
 */
export type HeadlessErrorCodeValue = (typeof HeadlessErrorCode)[keyof typeof HeadlessErrorCode];

/**
 * Every code an `EmporiumApiError` can carry: the platform's and the client's. A backend newer
 * than this client may send a code not listed yet, so any string is possible.
 *
 * @example
 * const code: EmporiumApiErrorCode = "VALIDATION_FAILED";
 */
export type EmporiumApiErrorCode = ApiErrorCode | HeadlessErrorCodeValue | (string & {});

/**
 * Every failure of the headless client: a platform error answer, a network failure, a
 * response that breaks the contract, or invalid values caught before saving.
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
    message: string,
    /** The HTTP status, or 0 when there was no usable answer (network, client-side validation). */
    readonly status = 0,
    /** Field messages in plain words, keyed by config variable key (`VALIDATION_FAILED`). */
    readonly fields?: Record<string, string>,
    /** The config page the failing fields are on, when known. */
    readonly page?: string,
  ) {
    super(message);
  }
}
