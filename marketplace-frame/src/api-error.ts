/**
 * The frame's one error class for everything the platform API can answer. Platform codes
 * come from the contract; the frame adds the few that happen before a response exists.
 */
import type { ApiErrorCode } from "../../contract/errors.ts";

export const FrameApiErrorCode = {
  /** fetch failed: no network, DNS, connection reset. */
  Offline: "OFFLINE",
  /** The response did not match the contract. */
  InvalidResponse: "INVALID_RESPONSE",
  /** The host could not give us a token (its `getToken` failed or a refreshed token was refused too). */
  ReauthRequired: "REAUTH_REQUIRED",
  Timeout: "TIMEOUT",
} as const;
export type FrameApiErrorCode = (typeof FrameApiErrorCode)[keyof typeof FrameApiErrorCode];

/**
 * `message` is the platform's own words from its error body, shown to the user as they are; a
 * failure the frame detects itself (no answer, not the contract's shape, a bare status) has
 * none, and the UI words it from the phrase tables (`frame.errorText`). `code` says which.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly code: ApiErrorCode | FrameApiErrorCode | (string & {}),
    message = "",
    readonly status = 0,
    /** Field-level messages keyed by config variable key. */
    readonly fields?: Record<string, string>,
    /** The config page the failing fields are on, when the platform knows. */
    readonly page?: string,
  ) {
    super(message);
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;
