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

let lastInstant = Number.NaN;
let lastIso = "";
/** ISO 8601 of an epoch-ms instant; a run formats the same millisecond many times, so the last one is kept. */
export const iso = (instant: number): string => {
  if (instant !== lastInstant) {
    lastIso = new Date(instant).toISOString();
    lastInstant = instant;
  }
  return lastIso;
};
