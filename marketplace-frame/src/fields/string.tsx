import type { FieldProps } from "./types.ts";

export function StringField({ def, value, onChange, aria, readOnly }: FieldProps<"string">) {
  return (
    <input
      {...aria}
      type="text"
      class="em-input"
      value={typeof value === "string" ? value : ""}
      placeholder={def.placeholder}
      maxLength={def.maxLength}
      readOnly={readOnly}
      onInput={(e) => onChange(e.currentTarget.value)}
    />
  );
}
