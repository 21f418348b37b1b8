/**
 * Time for the whole platform comes from an injectable clock, so tests advance time instead of
 * sleeping: the scheduler, token expiry, execution durations and usage all read it.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Waits `ms` of this clock's time. Optional: the system clock waits for real; the manual
   * clock moves itself forward, so a "slow" mocked app takes no real time in tests.
   */
  sleep?(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface ManualClock extends Clock {
  /** Moves time forward by `ms` (never backwards). */
  advance(ms: number): void;
  /** Jumps to an instant at or after the current one. */
  set(instant: number): void;
  sleep(ms: number): Promise<void>;
}

/** A clock that only moves when told to; starts at `start` (default 2026-11-02T09:00:00Z). */
export function createManualClock(start = Date.UTC(2026, 10, 2, 9, 0, 0)): ManualClock {
  let now = start;
  const clock: ManualClock = {
    now: () => now,
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`a manual clock only moves forward; got ${ms} ms`);
      now += ms;
    },
    set(instant) {
      if (!(instant >= now)) throw new RangeError(`a manual clock only moves forward; ${new Date(instant).toISOString()} is in its past`);
      now = instant;
    },
    async sleep(ms) {
      clock.advance(Math.max(0, ms));
    },
  };
  return clock;
}

export function sleepOn(clock: Clock, ms: number): Promise<void> {
  return clock.sleep ? clock.sleep(ms) : systemClock.sleep!(ms);
}

/** The epoch ms that `texts` starts at: a whole second. */
let windowStart = Number.NaN;
/** The ISO text of each millisecond of that second formatted so far, by its offset in the second. */
let texts: Array<string | undefined> = [];
/**
 * ISO 8601 of an epoch-ms instant. The runs in flight interleave (each awaits its steps), and each
 * formats its own start and the current instant, so one kept instant was a miss for ~3 of a
 * webhook's ~20 calls (`toISOString` ~0.9 µs each here): the texts of the current second are kept
 * by millisecond, each made once by `toISOString` itself. An instant outside that second starts
 * the next one; a fraction of a millisecond, or an instant beyond safe integers, is not kept.
 */
export const iso = (instant: number): string => {
  const offset = instant - windowStart;
  if (offset >= 0 && offset < 1000 && Number.isInteger(offset)) return (texts[offset] ??= new Date(instant).toISOString());
  const text = new Date(instant).toISOString();
  if (Number.isSafeInteger(instant)) {
    windowStart = instant - (((instant % 1000) + 1000) % 1000);
    texts = new Array<string | undefined>(1000);
    texts[instant - windowStart] = text;
  }
  return text;
};
