/**
 * The live side of executions, for the logs' live tail. Every change to a run (it started,
 * wrote a log line, started or ended a step, ended) takes the next number of a sequence kept in
 * memory; a tail asks what changed after the number it last saw and gets the run ids, or waits
 * for the next change (a long poll: see docs/observability.md for why not server-sent events).
 *
 * A running run's log lines and step results so far are held here too, by reference to the
 * run's own arrays: they reach the store once, when the run ends, so a log line costs no write
 * to disk. After a restart the sequence starts again under a new epoch; a cursor of the old one
 * (or one older than the last CHANGES_KEPT changes) answers `reset`, and the client reloads its
 * first page instead of missing anything.
 */
import type { LogLine } from "../../contract/api.ts";

/** How many changes a tail can be behind before it must reload its first page. */
export const CHANGES_KEPT = 20_000;

/** What a running run has done so far (its own arrays, growing). */
export interface LiveRun {
  logs: LogLine[];
  stepResults: Record<string, unknown>;
}

export class ExecutionFeed {
  /** Tells this process's cursors from a previous one's. */
  readonly #epoch = Math.random().toString(36).slice(2, 10);
  #seq = 0;
  /** Run id of change n at n % CHANGES_KEPT, for the last CHANGES_KEPT changes. */
  readonly #ring: string[] = [];
  readonly #waiters = new Set<() => void>();
  readonly #live = new Map<string, LiveRun>();
  #stopped = false;

  /** Records that run `executionId` changed, and wakes every waiting tail. */
  note(executionId: string): void {
    this.#seq++;
    this.#ring[this.#seq % CHANGES_KEPT] = executionId;
    if (this.#waiters.size === 0) return;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  /** The cursor of "now": changes after it are new. */
  cursor(): string {
    return `${this.#epoch}.${this.#seq}`;
  }

  /**
   * Runs changed after `cursor`, newest change first, each once; undefined when the cursor is
   * not one this process can answer (another epoch, too old, malformed): reload instead.
   */
  changedSince(cursor: string): string[] | undefined {
    const match = /^([a-z0-9]{1,16})\.(\d{1,15})$/.exec(cursor);
    if (!match || match[1] !== this.#epoch) return undefined;
    const from = Number(match[2]);
    if (from > this.#seq || this.#seq - from > CHANGES_KEPT) return undefined;
    const seen = new Set<string>();
    for (let n = this.#seq; n > from; n--) seen.add(this.#ring[n % CHANGES_KEPT]);
    return [...seen];
  }

  /** The platform is stopping: every waiting tail is woken, and none waits again (`stopped`). */
  stop(): void {
    this.#stopped = true;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Whether the platform is stopping: a tail answers what it has instead of waiting. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Resolves at the next change, or after `ms` (a tail's long poll), or at once once stopped. */
  nextChange(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#waiters.add(wake);
    });
  }

  /** A run started: its progress is readable (`live`) until it ends. */
  started(executionId: string, run: LiveRun): void {
    this.#live.set(executionId, run);
    this.note(executionId);
  }

  /** A run ended (its result is in the store now). */
  ended(executionId: string): void {
    this.#live.delete(executionId);
    this.note(executionId);
  }

  /** What a running run has done so far; undefined once it ended (or if it never ran here). */
  live(executionId: string): LiveRun | undefined {
    return this.#live.get(executionId);
  }
}
