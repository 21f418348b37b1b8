/**
 * The headless client's one `INVALID_OPTION` error, for the entry (client.ts, wizard.ts) and its
 * lazy connection functions (connections.ts) alike.
 */
import { EmporiumApiError } from "../../client/error.ts";
import { ClientErrorCode } from "../../contract/errors.ts";

/** An argument the caller passed is wrong: `message` says how. */
export const invalidOption = (message: string): EmporiumApiError => new EmporiumApiError(ClientErrorCode.InvalidOption, message);

/**
 * `expected <what>, received <value>`. A string is quoted and `null` named; of anything else
 * only its type is shown (a function's source or an object could hold a secret).
 */
export const invalid = (expected: string, received: unknown): EmporiumApiError =>
  invalidOption(`expected ${expected}, received ${typeof received == "string" ? JSON.stringify(received) : received === null ? "null" : typeof received}`);
