/**
 * The one error class of the channel, thrown by the SDK and the pinned messenger (both sides of
 * the channel use the messenger, so the class lives in the contract). It has no zod import, so
 * the SDK bundles it at no cost. Errors cross the channel as `{ code, message }` only, never as
 * an instance (an instance would carry its stack).
 */
import type { ChannelErrorCode } from "./errors.ts";

/**
 * An error with a machine-readable `code` (see `ChannelErrorCode`) and a message that says
 * what was expected and what was received.
 *
 * @example
 * embed.ready.catch((error) => {
 *   if (error instanceof EmporiumError && error.code === "ORIGIN_NOT_ALLOWED") showHelp();
 * });
 */
export class EmporiumError extends Error {
  /** What went wrong, for code: `INVALID_OPTION`, `CONNECTION_TIMEOUT`, ... */
  // Declared, not a parameter property: a class field would cost the 4 kB entry its bytes.
  declare readonly code: ChannelErrorCode;
  constructor(code: ChannelErrorCode, message: string) {
    super(message);
    (this as { code: ChannelErrorCode }).code = code;
    this.name = "EmporiumError";
  }
}

/**
 * `expected <what>, received <value>`, as an `EmporiumError` with `code`. A string is quoted; of
 * anything else only its type is shown (a function's source or an object could hold a secret).
 */
export const unexpected = (code: ChannelErrorCode, expected: string, received: unknown): EmporiumError =>
  new EmporiumError(code, `expected ${expected}, received ${typeof received == "string" ? JSON.stringify(received) : typeof received}`);
