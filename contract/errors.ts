/**
 * Error codes shared by every part of Emporium. Errors cross the REST API as
 * `{ error: { code, message, fields? } }` and the channel as `{ code, message }` only.
 */

/** Codes the platform REST API answers with (HTTP status in the comment). */
export const ApiErrorCode = {
  // 401: authentication
  TokenMissing: "TOKEN_MISSING",
  TokenMalformed: "TOKEN_MALFORMED",
  TokenAlgorithmNotAllowed: "TOKEN_ALG_NOT_ALLOWED",
  TokenTypeInvalid: "TOKEN_TYP_INVALID",
  TokenHeaderForbidden: "TOKEN_HEADER_FORBIDDEN",
  TokenKeyUnknown: "TOKEN_KID_UNKNOWN",
  TokenSignatureInvalid: "TOKEN_SIGNATURE_INVALID",
  TokenExpired: "TOKEN_EXPIRED",
  TokenNotYetValid: "TOKEN_NOT_YET_VALID",
  TokenClaimMissing: "TOKEN_CLAIM_MISSING",
  TokenClaimInvalid: "TOKEN_CLAIM_INVALID",
  /** The token's lifetime (exp − iat) is longer than the organization accepts (default 1 hour). */
  TokenLifetimeTooLong: "TOKEN_LIFETIME_TOO_LONG",
  OrgKeyInvalid: "ORG_KEY_INVALID",
  // 403
  Forbidden: "FORBIDDEN",
  // 404
  NotFound: "NOT_FOUND",
  /** 405: the path exists, not with this method (the `Allow` header lists the ones it has). */
  MethodNotAllowed: "METHOD_NOT_ALLOWED",
  /** 410: the execution existed and was removed by the retention policy. */
  ExecutionExpired: "EXECUTION_EXPIRED",
  /**
   * 410: the instance was deactivated (deleted); its record and history are kept for the
   * retention period, so its own customer hears it is gone. Anyone else gets 404.
   */
  InstanceDeleted: "INSTANCE_DELETED",
  /**
   * 410: the run's payload was not kept in full (over 32 KB, or it carried secrets, which are
   * never stored), so it cannot be replayed.
   */
  PayloadEvicted: "PAYLOAD_EVICTED",
  /** 429: too many calls to this instance's webhooks; retry after `Retry-After` seconds. */
  RateLimited: "RATE_LIMITED",
  // 400 / 413 / 415 / 422 / 409
  BadRequest: "BAD_REQUEST",
  /** A page cursor that is not one the platform issued, or belongs to other filters. */
  InvalidCursor: "INVALID_CURSOR",
  InvalidJson: "INVALID_JSON",
  PayloadTooLarge: "PAYLOAD_TOO_LARGE",
  ValidationFailed: "VALIDATION_FAILED",
  IdempotencyKeyReused: "IDEMPOTENCY_KEY_REUSED",
  IdempotencyInProgress: "IDEMPOTENCY_IN_PROGRESS",
  InstanceNotConfigured: "INSTANCE_NOT_CONFIGURED",
  InstancePaused: "INSTANCE_PAUSED",
  Conflict: "CONFLICT",
  /** A data source needs its connection saved first (on an earlier page). */
  ConnectionRequired: "CONNECTION_REQUIRED",
  /** The third-party app refuses the saved connection (revoked, wrong credentials): reconnect. */
  ConnectionRefused: "CONNECTION_REFUSED",
  /** 409: instances use the connection (the message names them); give them another one first. */
  ConnectionInUse: "CONNECTION_IN_USE",
  /** 403: the host organization provides this connection; the customer can use it, not change or remove it. */
  ConnectionProvided: "CONNECTION_PROVIDED",
  /**
   * The wizard's integration version is not the one the instance is set up with any more: an
   * upgrade was started, canceled or deployed meanwhile (another window, the organization).
   */
  VersionConflict: "VERSION_CONFLICT",
  // 5xx
  /** The third-party app behind a data source failed or answered in a shape the platform cannot read. */
  DataSourceFailed: "DATA_SOURCE_FAILED",
  /** The third-party app behind a data source did not answer in time. */
  DataSourceTimeout: "DATA_SOURCE_TIMEOUT",
  ServerError: "SERVER_ERROR",
  ServiceUnavailable: "SERVICE_UNAVAILABLE",
} as const;
export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];

/** Codes the SDK and the frame use for errors and warnings that cross the channel. */
export const ChannelErrorCode = {
  InvalidOption: "INVALID_OPTION",
  InvalidOrigin: "INVALID_ORIGIN",
  ConnectionTimeout: "CONNECTION_TIMEOUT",
  ConnectionClosed: "CONNECTION_CLOSED",
  FrameLoadFailed: "FRAME_LOAD_FAILED",
  OriginNotAllowed: "ORIGIN_NOT_ALLOWED",
  SandboxBlocked: "SANDBOX_BLOCKED",
  TokenUnavailable: "TOKEN_UNAVAILABLE",
  InvalidMessage: "INVALID_MESSAGE",
  UnknownConfigVar: "UNKNOWN_CONFIG_VAR",
  InvalidConfigValue: "INVALID_CONFIG_VALUE",
  InvalidThemeToken: "INVALID_THEME_TOKEN",
  UnknownLocale: "UNKNOWN_LOCALE",
  UnknownPhrase: "UNKNOWN_PHRASE",
  Disposed: "DISPOSED",
  Internal: "INTERNAL",
} as const;
export type ChannelErrorCode = (typeof ChannelErrorCode)[keyof typeof ChannelErrorCode];

/**
 * Codes the API client raises itself, before or without a usable platform answer: the same in
 * the embedded marketplace frame, in the headless client (`emporium/headless` exports this
 * object as `HeadlessErrorCode`) and in the frame's host events. `INVALID_OPTION` and
 * `TOKEN_UNAVAILABLE` are the channel's codes too, for the same failures.
 *
 * Renamed when the frame's and the headless client's two vocabularies became this one:
 * the frame's `OFFLINE` is `NETWORK_ERROR`, its `REAUTH_REQUIRED` is `TOKEN_UNAVAILABLE`, and an
 * error answer whose body is not the contract's error shape is `INVALID_RESPONSE` (with its HTTP
 * status) below 500 where the frame said `BAD_REQUEST` (500 and above stay `SERVER_ERROR`).
 *
 * @example
 * if (error.code === ClientErrorCode.TokenUnavailable) redirectToLogin();
 */
export const ClientErrorCode = {
  /** An option or argument is wrong (what was expected and received is in the message). */
  InvalidOption: ChannelErrorCode.InvalidOption,
  /** `getToken` threw, rejected, did not settle within 30 s, or gave no compact JWT; or a refreshed token could not be had. */
  TokenUnavailable: ChannelErrorCode.TokenUnavailable,
  /** fetch failed: offline, DNS, connection reset, or CORS refused (after the allowed retries). */
  Network: "NETWORK_ERROR",
  /** The platform did not answer within 30 s (its headers, or then its body). */
  Timeout: "TIMEOUT",
  /** The platform answered in a shape the contract does not allow (a proxy's HTML page, a cut body). */
  InvalidResponse: "INVALID_RESPONSE",
  /** The headless wizard was closed or canceled; it cannot be used any more. */
  WizardClosed: "WIZARD_CLOSED",
  /**
   * The integration's definition cannot be used: a rule or a data source names a field that does
   * not exist or comes after it. The platform refuses to load such a definition; this is what a
   * client says if one reaches it anyway (the message names the integration and the field).
   */
  InvalidDefinition: "INVALID_DEFINITION",
} as const;
/**
 * One of `ClientErrorCode`'s values.
 *
 * @example
 * const code: ClientErrorCode = "NETWORK_ERROR";
 */
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/** HTTP status for each API error code. */
export const apiErrorStatus: Record<ApiErrorCode, number> = {
  TOKEN_MISSING: 401,
  TOKEN_MALFORMED: 401,
  TOKEN_ALG_NOT_ALLOWED: 401,
  TOKEN_TYP_INVALID: 401,
  TOKEN_HEADER_FORBIDDEN: 401,
  TOKEN_KID_UNKNOWN: 401,
  TOKEN_SIGNATURE_INVALID: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_NOT_YET_VALID: 401,
  TOKEN_CLAIM_MISSING: 401,
  TOKEN_CLAIM_INVALID: 401,
  TOKEN_LIFETIME_TOO_LONG: 401,
  ORG_KEY_INVALID: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  EXECUTION_EXPIRED: 410,
  INSTANCE_DELETED: 410,
  PAYLOAD_EVICTED: 410,
  RATE_LIMITED: 429,
  BAD_REQUEST: 400,
  INVALID_CURSOR: 400,
  INVALID_JSON: 400,
  PAYLOAD_TOO_LARGE: 413,
  VALIDATION_FAILED: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_IN_PROGRESS: 409,
  INSTANCE_NOT_CONFIGURED: 409,
  INSTANCE_PAUSED: 409,
  CONFLICT: 409,
  CONNECTION_REQUIRED: 409,
  CONNECTION_REFUSED: 409,
  CONNECTION_IN_USE: 409,
  CONNECTION_PROVIDED: 403,
  DATA_SOURCE_FAILED: 502,
  DATA_SOURCE_TIMEOUT: 504,
  VERSION_CONFLICT: 409,
  SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

// OAuth codes live in oauth-errors.ts (only the OAuth flow needs them; the headless entry stays lean).
export { OAuthErrorCode } from "./oauth-errors.ts";
