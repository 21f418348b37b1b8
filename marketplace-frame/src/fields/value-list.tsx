import { useFrame } from "../context.ts";
import type { FieldProps } from "./types.ts";

export function ValueListField({ value, onChange, aria, readOnly, label }: FieldProps<"value-list">) {
  const { t } = useFrame();
  const items = Array.isArray(value) ? (value as string[]) : [];
  const setAt = (i: number, v: string) => onChange(items.map((x, j) => (j === i ? v : x)));
  return (
    <div class="em-list" id={aria.id} role="group" aria-label={label} aria-invalid={aria["aria-invalid"]} aria-describedby={aria["aria-describedby"]}>
      {items.map((item, i) => (
        <div key={i} class="em-row">
          <input
            type="text"
            class="em-input em-grow"
            aria-label={t("field.item", { n: i + 1 })}
            aria-invalid={aria["aria-invalid"]}
            value={item}
            readOnly={readOnly}
            onInput={(e) => setAt(i, e.currentTarget.value)}
          />
          {!readOnly && (
            <button type="button" class="em-button em-button-ghost" aria-label={t("field.removeItem", { item: item || t("field.item", { n: i + 1 }) })} onClick={() => onChange(items.filter((_, j) => j !== i))}>
              {t("field.remove")}
            </button>
          )}
        </div>
      ))}
      {!readOnly && (
        <button type="button" class="em-button em-button-secondary em-add" onClick={() => onChange([...items, ""])}>
          + {t("field.add")}
        </button>
      )}
    </div>
  );
}
