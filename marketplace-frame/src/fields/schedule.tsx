/**
 * none / every N minutes|hours / daily / weekly at a time / cron, with a time zone and the next
 * 3 runs: in the user's language, in the schedule's zone, and in the user's own zone when that
 * differs (a customer in New York setting 09:00 Berlin sees it is 03:00 for them).
 */
import { useMemo } from "preact/hooks";
import type { ScheduleValue } from "../../../contract/config-vars.ts";
import { MAX_INTERVAL, nextRuns, scheduleProblem } from "../../../contract/schedule.ts";
import { useFrame } from "../context.ts";
import { localTimeZone, offsetMinutes } from "./time-zone.ts";
import { TimeZonePicker } from "./time-zone-picker.tsx";
import type { FieldProps } from "./types.ts";

type Kind = ScheduleValue["kind"];
const kinds: Kind[] = ["none", "interval", "daily", "weekly", "cron"];

function switchKind(kind: Kind, prev: ScheduleValue | undefined): ScheduleValue {
  const timeZone = (prev && "timeZone" in prev && prev.timeZone) || localTimeZone();
  const time = (prev && "time" in prev && prev.time) || "09:00";
  switch (kind) {
    case "none":
      return { kind };
    case "interval":
      return { kind, every: 15, unit: "minutes", timeZone };
    case "daily":
      return { kind, time, timeZone };
    case "weekly":
      return { kind, day: 1, time, timeZone };
    case "cron":
      return { kind, expression: "0 9 * * 1-5", timeZone };
  }
}

export function ScheduleField({ value, onChange, aria, readOnly }: FieldProps<"schedule">) {
  const { t, locale } = useFrame();
  const v = (value && typeof value === "object" ? value : { kind: "none" }) as ScheduleValue;
  const set = (patch: Partial<ScheduleValue>) => onChange({ ...v, ...patch } as ScheduleValue);
  const zone = "timeZone" in v ? (v.timeZone ?? "UTC") : undefined;
  const runs = scheduleProblem(v) === undefined ? nextRuns(v, Date.now(), 3) : [];
  const tag = locale.intlTag.value;
  const weekday = useMemo(() => new Intl.DateTimeFormat(tag, { weekday: "long", timeZone: "UTC" }), [tag]);
  const sub = `${aria.id}-`;
  return (
    <div class="em-schedule">
      <label class="em-inline-field">
        <span class="em-sublabel">{t("schedule.kind")}</span>
        <select {...aria} class="em-input em-select" value={v.kind} disabled={readOnly} onChange={(e) => onChange(switchKind(e.currentTarget.value as Kind, v))}>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {t(`schedule.${k}`)}
            </option>
          ))}
        </select>
      </label>
      {v.kind === "interval" && (
        <div class="em-row">
          <label class="em-inline-field">
            <span class="em-sublabel">{t("schedule.every")}</span>
            <input
              id={`${sub}every`}
              class="em-input em-input-number"
              type="number"
              min={1}
              max={MAX_INTERVAL}
              aria-invalid={aria["aria-invalid"]}
              aria-describedby={aria["aria-describedby"]}
              value={v.every}
              readOnly={readOnly}
              onInput={(e) => set({ every: Math.trunc(Number(e.currentTarget.value)) })}
            />
          </label>
          <label class="em-inline-field">
            <span class="em-sublabel">{t("schedule.unit")}</span>
            <select class="em-input em-select" value={v.unit} disabled={readOnly} onChange={(e) => set({ unit: e.currentTarget.value as "minutes" })}>
              <option value="minutes">{t("schedule.minutes")}</option>
              <option value="hours">{t("schedule.hours")}</option>
            </select>
          </label>
        </div>
      )}
      {v.kind === "weekly" && (
        <label class="em-inline-field">
          <span class="em-sublabel">{t("schedule.day")}</span>
          <select class="em-input em-select" value={String(v.day)} disabled={readOnly} onChange={(e) => set({ day: Number(e.currentTarget.value) })}>
            {[1, 2, 3, 4, 5, 6, 0].map((d) => (
              <option key={d} value={String(d)}>
                {weekday.format(Date.UTC(2023, 0, 1 + d))}
              </option>
            ))}
          </select>
        </label>
      )}
      {(v.kind === "daily" || v.kind === "weekly") && (
        <label class="em-inline-field">
          <span class="em-sublabel">{t("schedule.time")}</span>
          <input class="em-input" type="time" value={v.time} readOnly={readOnly} onInput={(e) => set({ time: e.currentTarget.value })} />
        </label>
      )}
      {v.kind === "cron" && (
        <label class="em-inline-field em-grow">
          <span class="em-sublabel">{t("schedule.expression")}</span>
          <input
            class="em-input em-mono"
            type="text"
            spellcheck={false}
            value={v.expression}
            readOnly={readOnly}
            aria-invalid={aria["aria-invalid"]}
            aria-describedby={aria["aria-describedby"]}
            onInput={(e) => set({ expression: e.currentTarget.value })}
          />
        </label>
      )}
      {zone !== undefined && (
        <div class="em-inline-field em-schedule-zone">
          <span class="em-sublabel" id={`${sub}zone-label`}>
            {t("field.timeZone")}
          </span>
          <TimeZonePicker id={`${sub}zone`} value={zone} readOnly={readOnly} aria-labelledby={`${sub}zone-label`} onChange={(timeZone) => set({ timeZone })} />
        </div>
      )}
      {v.kind !== "none" && (
        <div class="em-next-runs">
          <span class="em-sublabel" id={`${sub}runs`}>
            {t("schedule.nextRuns")}
          </span>
          {runs.length ? <NextRuns runs={runs} zone={zone ?? "UTC"} labelledBy={`${sub}runs`} /> : <p class="em-muted">{t("schedule.noRuns")}</p>}
        </div>
      )}
    </div>
  );
}

/** The runs as dates in the user's language: in the schedule's zone, plus the user's own time where it differs. */
function NextRuns({ runs, zone, labelledBy }: { runs: number[]; zone: string; labelledBy: string }) {
  const { t, locale } = useFrame();
  const tag = locale.intlTag.value;
  const userZone = localTimeZone();
  const [inZone, inUserZone] = useMemo(
    () => [
      new Intl.DateTimeFormat(tag, { weekday: "short", year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: zone, timeZoneName: "short" }),
      new Intl.DateTimeFormat(tag, { weekday: "short", hour: "2-digit", minute: "2-digit", timeZone: userZone, timeZoneName: "short" }),
    ],
    [tag, zone, userZone],
  );
  return (
    <ol aria-labelledby={labelledBy}>
      {runs.map((r) => (
        <li key={r}>
          <time dateTime={new Date(r).toISOString()}>{inZone.format(r)}</time>
          {zone !== userZone && offsetMinutes(zone, r) !== offsetMinutes(userZone, r) && (
            <span class="em-muted"> · {t("schedule.yourTime", { time: inUserZone.format(r) })}</span>
          )}
        </li>
      ))}
    </ol>
  );
}
