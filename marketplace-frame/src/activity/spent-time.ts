/** How long, in the user's language: "3 hr 12 min", "45 min", "20 sec" (Intl unit formatting, short). */
import type { LocaleState } from "../state/locale.ts";

const formats = new Map<string, Intl.NumberFormat>();
function unit(tag: string, name: "hour" | "minute" | "second", value: number): string {
  const key = `${tag}|${name}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.NumberFormat(tag, { style: "unit", unit: name, unitDisplay: "short", maximumFractionDigits: 0 })));
  return format.format(value);
}

export function spentTime(locale: LocaleState, seconds: number): string {
  const tag = locale.intlTag.value;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (hours === 0) return minutes === 0 ? unit(tag, "second", seconds) : unit(tag, "minute", minutes);
  return minutes === 0 ? unit(tag, "hour", hours) : `${unit(tag, "hour", hours)} ${unit(tag, "minute", minutes)}`;
}
