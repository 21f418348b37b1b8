import { useState } from "preact/hooks";
import type { FieldProps } from "./types.ts";

/** Keeps the raw text while typing ("1.", "-") and hands the wizard a number, or the text when it is not one. */
export function NumberField({ def, value, onChange, aria, readOnly }: FieldProps<"number">) {
  const [text, setText] = useState(typeof value === "number" ? String(value) : typeof value === "string" ? value : "");
  return (
    <input
      {...aria}
      type="text"
      inputMode="decimal"
      class="em-input em-input-number"
      value={text}
      readOnly={readOnly}
      onInput={(e) => {
        const raw = e.currentTarget.value;
        setText(raw);
        const trimmed = raw.trim();
        onChange(trimmed === "" ? undefined : /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed) ? Number(trimmed) : trimmed);
      }}
    />
  );
}
