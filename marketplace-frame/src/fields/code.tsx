import { useFrame } from "../context.ts";
import type { FieldProps } from "./types.ts";

export function CodeField({ def, value, onChange, aria, readOnly }: FieldProps<"code">) {
  const { t } = useFrame();
  return (
    <div class="em-code">
      <span class="em-code-lang">{t("field.language", { language: def.language.toUpperCase() })}</span>
      <textarea
        {...aria}
        class="em-input em-textarea em-mono"
        rows={8}
        spellcheck={false}
        autocapitalize="off"
        value={typeof value === "string" ? value : ""}
        readOnly={readOnly}
        onInput={(e) => onChange(e.currentTarget.value)}
      />
    </div>
  );
}
