/**
 * The active locale: its phrase table, the host's overrides, and the `Intl` formatters.
 * `t()` is the only way UI text is produced.
 */
import { computed, signal } from "@preact/signals";
import { ChannelErrorCode } from "../../../contract/errors.ts";
import type { ChannelWarning } from "../../../contract/protocol.ts";
import type { PhraseKey, Phrases } from "../i18n/en.ts";
import { english, loadPhrases, matchLocale, unknownPhraseKeys } from "../i18n/locales.ts";

export type Vars = Record<string, string | number>;

export function createLocaleState() {
  /** A German or French table; undefined while English is active. */
  const table = signal<Phrases | undefined>(undefined);
  const overrides = signal<Record<string, string>>(Object.create(null));
  const intlTag = signal("en");

  const fill = (text: string, vars?: Vars) =>
    vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;

  /** A UI phrase, after host overrides. */
  const t = (key: PhraseKey, vars?: Vars): string => {
    const o = overrides.value;
    if (Object.prototype.hasOwnProperty.call(o, key)) return fill(o[key], vars);
    // The screens' English phrases arrive with the screens; a key shown before then reads as itself.
    return fill(table.value?.[key] ?? english.value[key] ?? key, vars);
  };

  /** Catalog text (an integration name, a field label…) the host may rename by key. */
  const content = (key: string, fallback: string): string => {
    const o = overrides.value;
    return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : fallback;
  };

  /**
   * The active locale's number format, made on first use: building one costs milliseconds (ICU
   * data), and the list needs it only for counts of 1,000 or more. Dates and relative times are
   * formatted by the screens that show them (i18n/format.ts, loaded with them).
   */
  const numberFormat = computed(() => {
    const tag = intlTag.value;
    let made: Intl.NumberFormat | undefined;
    return { format: (n: number) => (made ??= new Intl.NumberFormat(tag)).format(n) };
  });

  let generation = 0;
  /**
   * Switches locale and phrase overrides. Unknown locales keep English, unknown phrase keys
   * are dropped; each comes back as a warning naming it. The phrase table (and, for an override
   * of a screen phrase, the index it is checked against) may load on demand: both promises
   * settle once the switch is applied.
   */
  function setLocale(
    locale: string | undefined,
    phrases: Record<string, string> | undefined,
  ): { warnings: Promise<ChannelWarning[]>; loaded: Promise<void> } {
    const warnings: ChannelWarning[] = [];
    const match = locale === undefined ? undefined : matchLocale(locale);
    if (locale !== undefined && !match)
      warnings.push({ code: ChannelErrorCode.UnknownLocale, message: "Unknown locale; English is used", subject: locale });
    const entries = Object.entries(phrases ?? {});
    const mine = ++generation;
    const applied = Promise.all([loadPhrases(match?.locale ?? "en"), unknownPhraseKeys(entries.map(([key]) => key))]).then(([nextTable, unknown]) => {
      const nextOverrides: Record<string, string> = Object.create(null);
      for (const [key, value] of entries) {
        if (!unknown.has(key) && typeof value === "string") nextOverrides[key] = value;
        else warnings.push({ code: ChannelErrorCode.UnknownPhrase, message: "Unknown phrase key ignored", subject: key });
      }
      if (mine !== generation) return warnings; // a newer setLocale won
      table.value = nextTable;
      intlTag.value = match?.intlTag ?? "en";
      overrides.value = nextOverrides;
      return warnings;
    });
    return { warnings: applied, loaded: applied.then(() => undefined) };
  }

  return { table, overrides, intlTag, numberFormat, t, content, setLocale };
}
export type LocaleState = ReturnType<typeof createLocaleState>;
