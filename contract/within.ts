/**
 * `promise`, or a rejection with `error()` once `ms` have passed without it settling; the timer
 * is cleared either way. Used where a wait has no deadline of its own: a response body after
 * its headers (ky's timeout ends with the headers), a host's `getToken`.
 */
export function within<T>(promise: Promise<T>, ms: number, error: () => unknown): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([promise, new Promise<never>((_, fail) => (timer = setTimeout(() => fail(error()), ms)))]).finally(() => clearTimeout(timer));
}
