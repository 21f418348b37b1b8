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

/**
 * The last text made for each millisecond of the second (slot: the instant mod 1000), and the
 * instant it is for. NaN matches no instant.
 */
const SLOTS = 1000;
const slotInstants = new Float64Array(SLOTS).fill(Number.NaN);
const slotTexts: string[] = new Array<string>(SLOTS).fill("");
/**
 * ISO 8601 of an epoch-ms instant. The runs in flight interleave (each awaits its steps), and each
 * formats its own start and the current instant, so one kept instant was a miss for ~3 of a
 * webhook's ~20 calls (`toISOString` ~0.9 µs each here). The last text of each millisecond of the
 * second is kept (1000 slots, made once, each text made by `toISOString` itself): the instants of
 * the runs in flight, all in the last second or so, each have a slot. A listing's instants of
 * many different seconds cost what one kept instant did (no window to start again, nothing
 * allocated). An instant before 1970, a fraction of a millisecond, or past safe integers is not kept.
 */
export const iso = (instant: number): string => {
  if (instant >= 0 && Number.isSafeInteger(instant)) {
    const slot = instant % SLOTS;
    if (slotInstants[slot] === instant) return slotTexts[slot]!;
    const text = new Date(instant).toISOString();
    slotInstants[slot] = instant;
    slotTexts[slot] = text;
    return text;
  }
  return new Date(instant).toISOString();
};
