/**
 * How the headless client loads a feature group a marketplace does not need at once (the instance
 * functions and their schemas, the activity functions, their test runs and replays, the connection
 * functions): from a chunk of its own, on the first call of one of its functions, and again after
 * a failed load. The entry's groups and the activity chunk's own (runs.ts, one chunk further) use
 * the same two pieces.
 */
import { EmporiumApiError } from "../../client/error.ts";
import { ClientErrorCode } from "../../contract/errors.ts";

/**
 * `load` once, kept while it succeeds; a failed load is tried again on the next call. A chunk that
 * cannot be fetched (offline, a deploy that removed the old files) fails the call as
 * `NETWORK_ERROR`, as a request that cannot leave does: one code for a UI's "offline, retry".
 */
export const chunk = <T,>(load: () => Promise<T>) => {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load().catch(() => ((loaded = undefined), Promise.reject(new EmporiumApiError(ClientErrorCode.Network)))));
};

/** The functions `names` (space-separated: a list costs the entry more bytes), each calling its namesake in what `get` loads. */
export const lazy = <T,>(get: () => Promise<T>, names: string): T =>
  Object.fromEntries(names.split(" ").map((name) => [name, async (...args: unknown[]) => ((await get())[name as keyof T] as (...a: unknown[]) => unknown)(...args)])) as T;
