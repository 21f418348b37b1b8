import type { KeyValuePair } from "../../../contract/config-vars.ts";
import { useFrame } from "../context.ts";
import type { FieldProps } from "./types.ts";

export function KeyValueListField({ value, onChange, aria, readOnly, label }: FieldProps<"key-value-list">) {
  const { t } = useFrame();
  const pairs = Array.isArray(value) ? (value as KeyValuePair[]) : [];
  const counts = new Map<string, number>();
  for (const p of pairs) counts.set(p.key.trim(), (counts.get(p.key.trim()) ?? 0) + 1);
  const setAt = (i: number, patch: Partial<KeyValuePair>) => onChange(pairs.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  return (
    <div class="em-list" id={aria.id} role="group" aria-label={label} aria-invalid={aria["aria-invalid"]} aria-describedby={aria["aria-describedby"]}>
      {pairs.map((p, i) => {
        const duplicate = p.key.trim() !== "" && (counts.get(p.key.trim()) ?? 0) > 1;
        return (
          <div key={i} class="em-row">
            <input
              type="text"
              class="em-input em-grow"
              aria-label={`${t("field.key")} ${i + 1}`}
              aria-invalid={duplicate || (aria["aria-invalid"] && p.key.trim() === "")}
              value={p.key}
              readOnly={readOnly}
              onInput={(e) => setAt(i, { key: e.currentTarget.value })}
            />
            <input
              type="text"
              class="em-input em-grow"
              aria-label={`${t("field.value")} ${i + 1}`}
              value={p.value}
              readOnly={readOnly}
              onInput={(e) => setAt(i, { value: e.currentTarget.value })}
            />
            {!readOnly && (
              <button type="button" class="em-button em-button-ghost" aria-label={t("field.removeItem", { item: p.key || String(i + 1) })} onClick={() => onChange(pairs.filter((_, j) => j !== i))}>
                {t("field.remove")}
              </button>
            )}
          </div>
        );
      })}
      {!readOnly && (
        <button type="button" class="em-button em-button-secondary em-add" onClick={() => onChange([...pairs, { key: "", value: "" }])}>
          + {t("field.add")}
        </button>
      )}
    </div>
  );
}
