/**
 * For domain tests that look at how a platform call fails (its code, field, message): the
 * `PlatformError` it rejects with. Anything else (another error, or no failure at all) fails the
 * test, so a test cannot pass on the wrong kind of error.
 */
import { PlatformError } from "../domain/errors.ts";

export async function failure(promise: Promise<unknown>): Promise<PlatformError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PlatformError) return error;
    throw error;
  }
  throw new Error("expected the promise to fail");
}
