/** A date and time in a chosen time zone; stored as ISO 8601 with that zone's offset. */
import { useState } from "preact/hooks";
import { useFrame } from "../context.ts";
import { localTimeZone, wallPart, zonedIso } from "./time-zone.ts";
import { TimeZonePicker } from "./time-zone-picker.tsx";
import type { FieldProps } from "./types.ts";

export function TimestampField({ value, onChange, aria, readOnly }: FieldProps<"timestamp">) {
  const { t } = useFrame();
  const [zone, setZone] = useState(localTimeZone);
  const [wall, setWall] = useState(wallPart(value));
  const offset = typeof value === "string" ? /([+-]\d{2}:\d{2}|Z)$/.exec(value)?.[1] : undefined;
  const update = (w: string, z: string) => {
    setWall(w);
    setZone(z);
    onChange(w === "" ? undefined : (zonedIso(w, z) ?? w));
  };
  return (
    <div class="em-row em-wrap">
      <input {...aria} type="datetime-local" class="em-input" value={wall} readOnly={readOnly} onInput={(e) => update(e.currentTarget.value, zone)} />
      <div class="em-inline-field em-timestamp-zone">
        <span class="em-sr-only" id={`${aria.id}-zone-label`}>
          {t("field.timeZone")}
        </span>
        <TimeZonePicker id={`${aria.id}-zone`} value={zone} readOnly={readOnly} aria-labelledby={`${aria.id}-zone-label`} onChange={(z) => update(wall, z)} />
      </div>
      <span class="em-muted em-zone">{t("field.timeZoneShown", { zone: offset ? `${zone} (UTC${offset === "Z" ? "" : offset})` : zone })}</span>
    </div>
  );
}
