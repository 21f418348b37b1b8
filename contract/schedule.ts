/**
 * Schedules: a 5-field cron parser and a time-zone aware "next runs" calculator. The wizard
 * shows the next runs and rejects a schedule that cannot run; the platform's scheduler uses the
 * same functions, so what the customer sees is what runs.
 *
 * Cron fields: minute hour day-of-month month day-of-week. Each field takes `*`, numbers,
 * ranges `a-b`, steps `*\/n` and `a-b/n`, lists `a,b`, month names JAN–DEC and day names
 * SUN–SAT (0 and 7 are Sunday). Macros: @hourly @daily @midnight @weekly @monthly @yearly
 * @annually. As in Vixie cron, when both day fields are restricted a day matching either runs.
 * Wall-clock times that do not exist (DST gap) run at the first minute after the gap; times
 * that exist twice (DST overlap) run once, at the earlier instant.
 */
import type { ScheduleValue } from "./config-vars.ts";

export interface Cron {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  daysOfWeek: ReadonlySet<number>;
  /** Whether day-of-month / day-of-week were `*` (changes how the two combine). */
  anyDayOfMonth: boolean;
  anyDayOfWeek: boolean;
}

export type CronParseResult = { ok: true; cron: Cron } | { ok: false; error: string };

const MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

interface FieldSpec {
  label: string;
  min: number;
  max: number;
  names?: string[];
  /** Value the names start at (1 for months, 0 for days). */
  namesBase?: number;
}

const FIELDS: FieldSpec[] = [
  { label: "minute", min: 0, max: 59 },
  { label: "hour", min: 0, max: 23 },
  { label: "day of month", min: 1, max: 31 },
  { label: "month", min: 1, max: 12, names: MONTH_NAMES, namesBase: 1 },
  { label: "day of week", min: 0, max: 7, names: DAY_NAMES, namesBase: 0 },
];

function parseAtom(text: string, spec: FieldSpec): number | string {
  const upper = text.toUpperCase();
  if (spec.names) {
    const index = spec.names.indexOf(upper);
    if (index >= 0) return index + (spec.namesBase ?? 0);
  }
  if (!/^\d{1,2}$/.test(text)) return `"${text}" is not a valid ${spec.label}`;
  const value = Number(text);
  if (value < spec.min || value > spec.max) {
    return `${spec.label} ${value} is outside ${spec.min}–${spec.max}`;
  }
  return value;
}

function parseField(text: string, spec: FieldSpec): Set<number> | string {
  const values = new Set<number>();
  for (const part of text.split(",")) {
    if (part === "") return `the ${spec.label} field has an empty list item`;
    const [rangeText, stepText, extra] = part.split("/");
    if (extra !== undefined) return `"${part}" has more than one "/"`;
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d{1,3}$/.test(stepText) || Number(stepText) === 0) return `"/${stepText}" is not a valid step`;
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (rangeText === "*") {
      from = spec.min;
      to = spec.label === "day of week" ? 6 : spec.max;
    } else {
      const bounds = rangeText.split("-");
      if (bounds.length > 2) return `"${rangeText}" is not a valid range`;
      const start = parseAtom(bounds[0], spec);
      if (typeof start === "string") return start;
      from = start;
      if (bounds.length === 2) {
        const end = parseAtom(bounds[1], spec);
        if (typeof end === "string") return end;
        to = end;
        if (to < from) return `the range "${rangeText}" goes backwards`;
      } else {
        to = stepText !== undefined ? (spec.label === "day of week" ? 6 : spec.max) : from;
      }
    }
    for (let v = from; v <= to; v += step) values.add(spec.label === "day of week" && v === 7 ? 0 : v);
  }
  return values;
}

/** Parses a 5-field cron expression (or a macro); the error is in plain words. */
export function parseCron(expression: string): CronParseResult {
  const trimmed = expression.trim();
  if (trimmed === "") return { ok: false, error: "Enter a cron expression." };
  const expanded = MACROS[trimmed.toLowerCase()] ?? trimmed;
  if (expanded.startsWith("@")) return { ok: false, error: `Unknown cron macro "${trimmed}".` };
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5) {
    return {
      ok: false,
      error: `A cron expression has 5 fields (minute hour day month weekday); this one has ${parts.length}.`,
    };
  }
  const sets: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const result = parseField(parts[i], FIELDS[i]);
    if (typeof result === "string") return { ok: false, error: `Cron: ${result}.` };
    sets.push(result);
  }
  return {
    ok: true,
    cron: {
      minutes: sets[0],
      hours: sets[1],
      daysOfMonth: sets[2],
      months: sets[3],
      daysOfWeek: sets[4],
      // Vixie cron: a day field starting with "*" counts as unrestricted.
      anyDayOfMonth: parts[2].startsWith("*"),
      anyDayOfWeek: parts[4].startsWith("*"),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Time zones

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether the runtime knows this IANA time zone. */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone === "" || timeZone.length > 64) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time at `instant` in `timeZone`, encoded as a UTC millisecond count. */
function wallClock(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
}

function offsetAt(instant: number, timeZone: string): number {
  const whole = instant - (((instant % 1000) + 1000) % 1000);
  return wallClock(whole, timeZone) - whole;
}

/** The instant a wall-clock time happens in `timeZone` (see the DST notes at the top). */
function instantOf(wall: number, timeZone: string): number {
  const hour = 3_600_000;
  const candidates = [...new Set([offsetAt(wall - 3 * hour, timeZone), offsetAt(wall + 3 * hour, timeZone)])].map(
    (offset) => wall - offset,
  );
  const exact = candidates.filter((instant) => wallClock(instant, timeZone) === wall);
  if (exact.length > 0) return Math.min(...exact);
  // In a DST gap: the candidate whose wall clock lands after the missing time.
  return Math.max(...candidates);
}

// ---------------------------------------------------------------------------------------------
// Next runs

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** How far ahead a schedule is searched before it counts as one that never runs. */
const SEARCH_YEARS = 5;

function dayMatches(cron: Cron, date: Date): boolean {
  const dom = cron.daysOfMonth.has(date.getUTCDate());
  const dow = cron.daysOfWeek.has(date.getUTCDay());
  if (cron.anyDayOfMonth || cron.anyDayOfWeek) return dom && dow;
  return dom || dow;
}

/** The first wall-clock minute strictly after `wall` that matches, or undefined. */
function nextWallMatch(cron: Cron, wall: number, limit: number): number | undefined {
  let t = Math.floor(wall / MINUTE) * MINUTE + MINUTE;
  while (t <= limit) {
    const d = new Date(t);
    if (!cron.months.has(d.getUTCMonth() + 1)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      continue;
    }
    if (!dayMatches(cron, d)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
      continue;
    }
    if (!cron.hours.has(d.getUTCHours())) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
      continue;
    }
    if (!cron.minutes.has(d.getUTCMinutes())) {
      t += MINUTE;
      continue;
    }
    return t;
  }
  return undefined;
}

/** The next `count` runs of a cron expression strictly after `after`, in `timeZone`. */
export function nextCronRuns(cron: Cron, timeZone: string, after: number, count: number): number[] {
  const runs: number[] = [];
  let wall = wallClock(after, timeZone);
  const limit = wall + SEARCH_YEARS * 366 * DAY;
  while (runs.length < count) {
    const match = nextWallMatch(cron, wall, limit);
    if (match === undefined) break;
    const instant = instantOf(match, timeZone);
    if (instant > after && (runs.length === 0 || instant > runs[runs.length - 1])) runs.push(instant);
    wall = match;
  }
  return runs;
}

/** A schedule as a cron expression, for the kinds that have one. */
function cronExpressionOf(schedule: ScheduleValue): string | undefined {
  switch (schedule.kind) {
    case "daily": {
      const [h, m] = schedule.time.split(":");
      return `${Number(m)} ${Number(h)} * * *`;
    }
    case "weekly": {
      const [h, m] = schedule.time.split(":");
      return `${Number(m)} ${Number(h)} * * ${schedule.day}`;
    }
    case "cron":
      return schedule.expression;
    default:
      return undefined;
  }
}

/** The largest interval count, in minutes or hours (the contract's `scheduleValue` says the same). */
export const MAX_INTERVAL = 1440;

/**
 * What is wrong with an interval's count, or undefined: a whole number from 1 to MAX_INTERVAL. Zero
 * or less would mean "run without pause" (or never); it is the user's to fix, so it is a field
 * error that names the bound, from the frame, the headless client and the platform alike.
 */
export function intervalProblem(every: unknown): string | undefined {
  if (typeof every !== "number" || !Number.isInteger(every)) return "Enter the interval as a whole number.";
  if (every < 1) return "Enter an interval of 1 or more.";
  if (every > MAX_INTERVAL) return `Enter an interval of at most ${MAX_INTERVAL}.`;
  return undefined;
}

/**
 * What is wrong with a schedule, in plain words, or undefined when it can run.
 * A schedule of kind "none" is valid and never runs.
 */
export function scheduleProblem(schedule: ScheduleValue): string | undefined {
  if (schedule.kind === "none") return undefined;
  const timeZone = schedule.timeZone ?? "UTC";
  if (!isValidTimeZone(timeZone)) return `Unknown time zone "${timeZone}".`;
  if (schedule.kind === "interval") return intervalProblem(schedule.every);
  const expression = cronExpressionOf(schedule);
  if (expression === undefined) return undefined;
  const parsed = parseCron(expression);
  if (!parsed.ok) return parsed.error;
  if (nextCronRuns(parsed.cron, timeZone, Date.UTC(2000, 0, 1), 1).length === 0) {
    // Five years from any start covers every leap-year and weekday combination.
    return "This schedule never runs (no date matches it).";
  }
  return undefined;
}

/**
 * The next `count` run instants (ms since the epoch) strictly after `after`. Intervals are
 * aligned to whole multiples of their period since the epoch, so restarts do not shift them.
 * Returns [] for "none" and for a schedule with a problem (see `scheduleProblem`).
 */
export function nextRuns(schedule: ScheduleValue, after: number, count: number): number[] {
  if (schedule.kind === "none" || count <= 0) return [];
  if (scheduleProblem(schedule) !== undefined) return [];
  if (schedule.kind === "interval") {
    const period = schedule.every * (schedule.unit === "hours" ? HOUR : MINUTE);
    const first = (Math.floor(after / period) + 1) * period;
    return Array.from({ length: count }, (_, i) => first + i * period);
  }
  const parsed = parseCron(cronExpressionOf(schedule) ?? "");
  if (!parsed.ok) return [];
  return nextCronRuns(parsed.cron, schedule.timeZone, after, count);
}
