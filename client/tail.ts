/**
 * The live tail of the logs, for the frame and the headless client: it asks the platform what
 * changed since its cursor, with a long poll (the platform holds the request until something
 * changes, up to `wait` seconds), and asks again as soon as the answer is in. So a new run or a
 * new log line shows within a round trip, over every transport the platform runs on (node:http,
 * a service worker, in-page), with the token in a header like every other call.
 *
 * - `ready` resolves once the tail holds its first cursor: load the first page after it, and no
 *   change can fall between the page and the tail.
 * - A failure waits 1, 2, 4 … 30 s before the next try, and says so (`onError`).
 * - `reset` from the platform (it restarted, or more than a page changed at once): the tail
 *   continues from the new cursor and `onReset` tells the caller to reload its first page.
 * - `pause()` keeps the cursor (a hidden tab asks nothing); `resume()` catches up from it.
 */
import type { ExecutionChanges, ExecutionSummary } from "../contract/api-observe.ts";

export interface TailOptions {
  /** One request: changes since `cursor` (none yet: the first cursor), waiting up to `wait` seconds. */
  changes(cursor: string | undefined, wait: number): Promise<ExecutionChanges>;
  /** Runs that started or changed, newest first (never empty). */
  onChanges(executions: ExecutionSummary[]): void;
  /** The platform lost the cursor: reload the first page. */
  onReset(): void;
  /** A request failed; the tail retries by itself. */
  onError?(error: unknown): void;
  /** Long-poll seconds (default 20). */
  wait?: number;
  /** Waits between failed tries (tests shorten it). */
  sleep?: (ms: number) => Promise<void>;
}

export interface Tail {
  /** Resolves once the tail holds its first cursor (rejects if stopped before). */
  ready: Promise<void>;
  pause(): void;
  resume(): void;
  stop(): void;
}

const MAX_BACKOFF_MS = 30_000;

export function startTail(options: TailOptions): Tail {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const wait = options.wait ?? 20;
  let cursor: string | undefined;
  let stopped = false;
  let paused = false;
  let looping = false;
  let resolveReady!: () => void;
  let rejectReady!: (error: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => ((resolveReady = resolve), (rejectReady = reject)));
  ready.catch(() => {});

  async function loop() {
    if (looping) return;
    looping = true;
    let failures = 0;
    while (!stopped && !paused) {
      try {
        const answer = await options.changes(cursor, cursor === undefined ? 0 : wait);
        if (stopped) break;
        failures = 0;
        const first = cursor === undefined;
        cursor = answer.cursor;
        if (first) resolveReady();
        else if (answer.reset) options.onReset();
        else if (answer.executions.length > 0) options.onChanges(answer.executions);
      } catch (error) {
        if (stopped) break;
        options.onError?.(error);
        await sleep(Math.min(MAX_BACKOFF_MS, 1000 * 2 ** failures++));
      }
    }
    looping = false;
  }

  void loop();
  return {
    ready,
    pause: () => void (paused = true),
    resume() {
      if (stopped || !paused) return;
      paused = false;
      void loop();
    },
    stop() {
      stopped = true;
      rejectReady(new Error("stopped"));
    },
  };
}
