/**
 * Times and durations in the active locale, for the instance screens (kept out of the first
 * route, which formats only a count).
 */
import type { LocaleState } from "../state/locale.ts";

/** "in 5 minutes", "2 hours ago", "yesterday"…: the largest unit that fits. */
export function relativeTime(locale: LocaleState, iso: string, now = Date.now()): string {
  const diff = (Date.parse(iso) - now) / 1000;
  const abs = Math.abs(diff);
  const f = locale.formatters.value.relative;
  if (abs < 60) return f.format(Math.round(diff), "second");
  if (abs < 3600) return f.format(Math.round(diff / 60), "minute");
  if (abs < 86400) return f.format(Math.round(diff / 3600), "hour");
  return f.format(Math.round(diff / 86400), "day");
}

/** "850 ms", "1.2 s". */
export function duration(locale: LocaleState, ms: number): string {
  const n = locale.formatters.value.number;
  if (ms < 1000) return `${n.format(Math.round(ms))} ms`;
  return `${n.format(Math.round(ms / 100) / 10)} s`;
}
