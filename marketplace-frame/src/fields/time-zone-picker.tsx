/**
 * The time-zone control of the schedule and timestamp fields: the shared searchable combobox
 * over the runtime's IANA zones (`Intl.supportedValuesOf('timeZone')`, ~420) with each zone's
 * current UTC offset, instead of a native list of 420 entries nobody can search.
 */
import { useCallback } from "preact/hooks";
import { useFrame } from "../context.ts";
import { Combobox, type ComboboxOption } from "../ui/combobox.tsx";
import { formatOffset, timeZoneList, zoneOffsetsNow } from "./time-zone.ts";

export interface TimeZonePickerProps {
  id: string;
  value: string;
  onChange: (zone: string) => void;
  readOnly: boolean;
  "aria-labelledby"?: string;
  "aria-describedby"?: string;
}

/** `America/Argentina/Buenos_Aires` reads as "America/Argentina/Buenos Aires"; the stored value keeps the IANA id. */
const readable = (zone: string) => zone.replace(/_/g, " ");

export function TimeZonePicker(props: TimeZonePickerProps) {
  const { t } = useFrame();
  const { value } = props;
  // Made when the list first opens: ~420 offsets cost tens of milliseconds, which a page that
  // never opens the list should not pay.
  const options = useCallback((): ComboboxOption[] => {
    const zones = timeZoneList(value);
    const offsets = zoneOffsetsNow(zones);
    return zones.map((zone) => {
      const minutes = offsets.get(zone);
      const offset = minutes === undefined ? undefined : `UTC${minutes === 0 ? "" : formatOffset(minutes)}`;
      // The id with underscores is searchable too ("new_york"), and so is the offset ("+05:30").
      return { value: zone, label: readable(zone), detail: offset, keywords: `${zone} ${offset ?? ""}` };
    });
  }, [value]);
  return (
    <Combobox
      id={props.id}
      options={options}
      value={value}
      valueLabel={readable(value)}
      onChange={props.onChange}
      label={t("field.timeZone")}
      aria-labelledby={props["aria-labelledby"]}
      aria-describedby={props["aria-describedby"]}
      readOnly={props.readOnly}
      placeholder={t("field.timeZoneSearch")}
      emptyText={t("field.timeZoneNone")}
    />
  );
}
