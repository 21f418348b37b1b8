/**
 * Phrases about a count, in the form the locale's `Intl.PluralRules` pick: "1 integration",
 * "2 integrations"; French counts 0 in the singular, and a locale with more forms (`.few`,
 * `.many`) adds them to its table. Kept out of the first route: the list says its count only
 * when the frame is idle after showing it, and loads this then; the screens import it.
 */
import type { LocaleState } from "../state/locale.ts";
import type { PhraseKey, PluralKey } from "./en.ts";

/**
 * `key.one`, `key.few`, `key.other`… as the rules pick for `count` (CLDR categories), or
 * `key.other` when the table (or the host) has no such form. `{count}` is the count; below 1,000
 * an integer reads the same in every locale the frame ships, so only larger ones need Intl.
 */
export function tn(locale: LocaleState, key: PluralKey, count: number): string {
  const vars = { count: count < 1000 ? String(count) : locale.numberFormat.value.format(count) };
  const form = `${key}.${new Intl.PluralRules(locale.intlTag.value).select(count)}` as PhraseKey;
  const text = locale.t(form, vars);
  // `t` answers a key no table has with the key itself.
  return text === form ? locale.t(`${key}.other`, vars) : text;
}
