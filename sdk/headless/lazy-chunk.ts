/**
 * How the headless client loads a feature group a marketplace does not need (the activity
 * functions, their test runs and replays, the connection functions): from a chunk of its own, on
 * the first call of one of its functions, and again after a failed load. The entry's groups and
 * the activity chunk's own (runs.ts, one chunk further) use the same two pieces.
 */

/** `load` once, kept while it succeeds; a failed load is tried again on the next call. */
export const chunk = <T,>(load: () => Promise<T>) => {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load().catch((e: unknown) => ((loaded = undefined), Promise.reject(e))));
};

/** The functions `names` (space-separated: a list costs the entry more bytes), each calling its namesake in what `get` loads. */
export const lazy = <T,>(get: () => Promise<T>, names: string): T =>
  Object.fromEntries(names.split(" ").map((name) => [name, async (...args: unknown[]) => ((await get())[name as keyof T] as (...a: unknown[]) => unknown)(...args)])) as T;
