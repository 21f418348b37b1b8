import type { FieldProps } from "./types.ts";

export function DateField({ value, onChange, aria, readOnly }: FieldProps<"date">) {
  return (
    <input
      {...aria}
      type="date"
      class="em-input"
      value={typeof value === "string" ? value : ""}
      readOnly={readOnly}
      onInput={(e) => onChange(e.currentTarget.value || undefined)}
    />
  );
}
