/**
 * Field validation: the shared contract rules decide (the platform runs the same ones); this
 * file only puts the verdict into the user's language. English shows the contract's own
 * plain-words message (JSON excepted, below); other locales get the matching phrase.
 */
import type { ConfigVarDefinition } from "../../../contract/config-vars.ts";
import { jsonSyntaxError } from "../../../contract/json-syntax.ts";
import { configValueProblem, type ConfigValidationOptions } from "../../../contract/validate-config.ts";
import { MAX_INTERVAL, intervalProblem, parseCron } from "../../../contract/schedule.ts";
import type { LocaleState } from "../state/locale.ts";
import { tn } from "../i18n/plural.ts";

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
  // JSON in every language, English too: the shared reason is V8's, which gives a position for
  // some errors only (see contract/json-syntax.ts); this one names the line and column always.
  const json = def.type === "code" && def.language === "json" && typeof value === "string" && value.length <= 100000 ? jsonSyntaxError(value) : undefined;
  if (json) return json.end ? t("field.invalidJsonEnd", { line: json.line }) : t("field.invalidJsonAt", { line: json.line, column: json.column });
  if (locale.intlTag.value.startsWith("en")) return problem;
  switch (def.type) {
    case "string":
      if (typeof value === "string" && def.minLength !== undefined && value.length < def.minLength) return tn(locale, "field.tooShort", def.minLength);
      if (typeof value === "string" && def.maxLength !== undefined && value.length > def.maxLength) return tn(locale, "field.tooLong", def.maxLength);
      return t("field.pattern");
    case "number":
      if (typeof value !== "number") return t("field.notNumber");
      if (def.min !== undefined && value < def.min) return t("field.min", { min: def.min });
      if (def.max !== undefined && value > def.max) return t("field.max", { max: def.max });
      return t("field.invalid");
    case "code":
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
      const v = value as { kind?: string; expression?: string; every?: unknown };
      if (v?.kind === "interval" && intervalProblem(v.every)) {
        const every = v.every;
        if (typeof every !== "number" || !Number.isInteger(every)) return t("field.intervalWhole");
        return every < 1 ? t("field.intervalMin") : t("field.intervalMax", { max: MAX_INTERVAL });
      }
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
