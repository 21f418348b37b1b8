/**
 * Field validation: the shared contract rules decide (the platform runs the same ones); this
 * file only puts the verdict into the user's language. English shows the contract's own
 * plain-words message; other locales get the matching phrase.
 */
import type { ConfigVarDefinition } from "../../../contract/config-vars.ts";
import { configValueProblem, jsonSyntaxReason, type ConfigValidationOptions } from "../../../contract/validate-config.ts";
import { parseCron } from "../../../contract/schedule.ts";
import type { LocaleState } from "../state/locale.ts";

const isEmpty = (v: unknown) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

export function fieldProblem(
  def: ConfigVarDefinition,
  value: unknown,
  options: ConfigValidationOptions,
  locale: LocaleState,
): string | undefined {
  const problem = configValueProblem(def, value, options);
  if (problem === undefined) return undefined;
  const { t } = locale;
  if (isEmpty(value) && def.required) return t("field.required");
  if (locale.intlTag.value.startsWith("en")) return problem;
  switch (def.type) {
    case "string":
      if (typeof value === "string" && def.minLength !== undefined && value.length < def.minLength) return t("field.tooShort", { min: def.minLength });
      if (typeof value === "string" && def.maxLength !== undefined && value.length > def.maxLength) return t("field.tooLong", { max: def.maxLength });
      return t("field.pattern");
    case "number":
      if (typeof value !== "number") return t("field.notNumber");
      if (def.min !== undefined && value < def.min) return t("field.min", { min: def.min });
      if (def.max !== undefined && value > def.max) return t("field.max", { max: def.max });
      return t("field.invalid");
    case "code":
      if (def.language === "json") {
        try {
          JSON.parse(String(value));
        } catch (e) {
          return t("field.invalidJson", { reason: jsonSyntaxReason(e) });
        }
      }
      return def.language === "xml" ? t("field.invalidXml") : t("field.invalid");
    case "date":
      return t("field.invalidDate");
    case "timestamp":
      return t("field.invalidTimestamp");
    case "picklist":
      return t("field.invalidOption");
    case "key-value-list": {
      const seen = new Set<string>();
      for (const p of Array.isArray(value) ? (value as { key: string }[]) : []) {
        const k = String(p?.key ?? "").trim();
        if (k === "") return t("field.emptyKey");
        if (seen.has(k)) return t("field.duplicateKey", { key: k });
        seen.add(k);
      }
      return t("field.invalid");
    }
    case "schedule": {
      const v = value as { kind?: string; expression?: string };
      if (v?.kind === "cron") {
        const parsed = parseCron(v.expression ?? "");
        if (!parsed.ok) return t("field.invalidCron", { reason: parsed.error });
      }
      return t("field.invalid");
    }
    default:
      return problem;
  }
}
