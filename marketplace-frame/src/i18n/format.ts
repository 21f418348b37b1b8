/**
 * Times and durations in the active locale, for the instance screens (kept out of the first
 * route, which formats only a count).
 */
import type { LocaleState } from "../state/locale.ts";

/** Formatters per Intl tag, each made on first use (building one costs milliseconds). */
const made = new Map<string, { dateTime?: Intl.DateTimeFormat; relative?: Intl.RelativeTimeFormat }>();
const formattersOf = (tag: string) => made.get(tag) ?? made.set(tag, {}).get(tag)!;

/** A date and time, "Nov 29, 2026, 5:32 AM", in the active locale. */
export function dateTime(locale: LocaleState, iso: string): string {
  const tag = locale.intlTag.value;
  const f = (formattersOf(tag).dateTime ??= new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "short" }));
  return f.format(Date.parse(iso));
}

/** "in 5 minutes", "2 hours ago", "yesterday"…: the largest unit that fits. */
export function relativeTime(locale: LocaleState, iso: string, now = Date.now()): string {
  const diff = (Date.parse(iso) - now) / 1000;
  const abs = Math.abs(diff);
  const tag = locale.intlTag.value;
  const f = (formattersOf(tag).relative ??= new Intl.RelativeTimeFormat(tag, { numeric: "auto" }));
  if (abs < 60) return f.format(Math.round(diff), "second");
  if (abs < 3600) return f.format(Math.round(diff / 60), "minute");
  if (abs < 86400) return f.format(Math.round(diff / 3600), "hour");
  return f.format(Math.round(diff / 86400), "day");
}

/** "850 ms", "1.2 s". */
export function duration(locale: LocaleState, ms: number): string {
  const n = locale.numberFormat.value;
  if (ms < 1000) return `${n.format(Math.round(ms))} ms`;
  return `${n.format(Math.round(ms / 100) / 10)} s`;
}
