import { useFrame } from "../context.ts";
import type { FieldProps } from "./types.ts";

export function PicklistField({ def, value, onChange, aria, readOnly, label }: FieldProps<"picklist">) {
  const { t } = useFrame();
  const options = def.options ?? [];
  if (def.multiple) {
    const chosen = new Set(Array.isArray(value) ? (value as string[]) : []);
    return (
      <fieldset
        class="em-checkbox-group"
        id={aria.id}
        aria-invalid={aria["aria-invalid"]}
        aria-describedby={aria["aria-describedby"]}
        aria-required={aria["aria-required"]}
      >
        <legend class="em-sr-only">{label}</legend>
        {options.map((o) => (
          <label key={o.value} class="em-check">
            <input
              type="checkbox"
              checked={chosen.has(o.value)}
              disabled={readOnly}
              onChange={(e) => {
                const next = options.map((x) => x.value).filter((v) => (v === o.value ? e.currentTarget.checked : chosen.has(v)));
                onChange(next);
              }}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </fieldset>
    );
  }
  return (
    <select {...aria} class="em-input em-select" value={typeof value === "string" ? value : ""} disabled={readOnly} onChange={(e) => onChange(e.currentTarget.value || undefined)}>
      <option value="">{t("field.choose")}</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
