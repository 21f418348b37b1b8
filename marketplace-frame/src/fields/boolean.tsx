import { useFrame } from "../context.ts";
import type { FieldProps } from "./types.ts";

export function BooleanField({ value, onChange, aria, readOnly }: FieldProps<"boolean">) {
  const { t } = useFrame();
  const on = value === true;
  return (
    <button
      {...aria}
      type="button"
      role="switch"
      aria-checked={on}
      class="em-switch"
      disabled={readOnly}
      onClick={() => onChange(!on)}
    >
      <span class="em-switch-track" aria-hidden="true">
        <span class="em-switch-thumb" />
      </span>
      <span class="em-switch-text">{on ? t("field.on") : t("field.off")}</span>
    </button>
  );
}
