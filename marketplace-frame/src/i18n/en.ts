/**
 * The English phrase table: the one list of every string the frame shows. Other locales must
 * have every key (their type is `Phrases`, and a test checks it at run time too).
 * It is written in two files so the first route bundles only the list's phrases (en-list.ts)
 * and the screens' phrases load with the screens (en-screens.ts); runtime code of the first
 * route imports those, never this file.
 * `{name}` placeholders are filled by `t()`.
 */
import { enList } from "./en-list.ts";
import { enScreens } from "./en-screens.ts";

export const en = { ...enList, ...enScreens } as const;

export type PhraseKey = keyof typeof en;
/**
 * Phrases about a count come in CLDR plural forms, `<key>.one` and `<key>.other` in English (a
 * locale adds the forms its rules have, e.g. `.few`); `locale.tn(key, count)` picks one.
 */
export type PluralKey = { [K in PhraseKey]: K extends `${infer Base}.other` ? Base : never }[PhraseKey];
/** A complete locale: every English key, translated. */
export type Phrases = Record<PhraseKey, string>;
