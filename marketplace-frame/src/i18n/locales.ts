/**
 * Which locales the frame ships, how a host's locale tag maps onto one, and which phrase keys
 * a host may override. The list's English phrases are bundled; the screens' English phrases
 * and the other locales load on demand so the first route stays small.
 */
import { signal } from "@preact/signals";
import type { Phrases } from "./en.ts";
import { enList } from "./en-list.ts";

export const supportedLocales = ["en", "de", "fr"] as const;
export type SupportedLocale = (typeof supportedLocales)[number];

/**
 * Maps a BCP 47 tag onto a shipped locale by its language subtag (`de-AT` → `de`).
 * Returns undefined for anything we don't ship, or for a tag `Intl` can't parse.
 */
export function matchLocale(tag: string): { locale: SupportedLocale; intlTag: string } | undefined {
  let canonical: string;
  try {
    canonical = Intl.getCanonicalLocales(tag)[0] ?? "";
  } catch {
    return undefined;
  }
  const language = canonical.split("-")[0]?.toLowerCase();
  const locale = supportedLocales.find((l) => l === language);
  return locale ? { locale, intlTag: canonical } : undefined;
}

/**
 * The English table as loaded so far: the list's phrases, plus the screens' once
 * `loadScreenPhrases()` has run. Static data, so one per document.
 */
export const english = signal<Partial<Phrases>>(enList);

let screenPhrases: Promise<void> | undefined;
/** Loads the screens' English phrases; each lazy screen waits for it along with its chunk. */
export function loadScreenPhrases(): Promise<void> {
  return (screenPhrases ??= import("./en-screens.ts").then(
    (m) => void (english.value = { ...enList, ...m.enScreens }),
    (e: unknown) => {
      screenPhrases = undefined; // a failed chunk load may be retried
      throw e;
    },
  ));
}

/** A full table for German and French; undefined for English (read `english`). */
export async function loadPhrases(locale: SupportedLocale): Promise<Phrases | undefined> {
  if (locale === "de") return (await import("./de.ts")).de;
  if (locale === "fr") return (await import("./fr.ts")).fr;
  return undefined;
}

/**
 * Keys of catalog text a host may rename: integrations, their pages, fields and flows, and the
 * categories and labels (by their name in the catalog). Everything else must be a key of the
 * English table.
 */
const contentKey =
  /^((category|label)\.[^\n]{1,64}|integration\.[a-z0-9-]{1,64}\.(name|summary|description)|configPage\.[a-z0-9-]{1,64}\.[A-Za-z0-9_]{1,64}\.(title|description)|configVar\.[a-z0-9-]{1,64}\.[A-Za-z0-9_]{1,64}\.(label|description)|flow\.[a-z0-9-]{1,64}\.[a-z0-9-]{1,64}\.(name|description))$/;

/**
 * The keys among `keys` that no table has and no content pattern allows. The list's keys and
 * catalog keys are known at once; any other key is looked up in the screens' English phrases,
 * which load on demand (a host overriding a screen phrase pulls them a little early). If they
 * cannot load, nothing is reported: an unused override is harmless, a false warning is not.
 */
export async function unknownPhraseKeys(keys: string[]): Promise<Set<string>> {
  const unsure = keys.filter((key) => !Object.prototype.hasOwnProperty.call(enList, key) && !contentKey.test(key));
  if (unsure.length === 0) return new Set();
  try {
    const { enScreens } = await import("./en-screens.ts");
    return new Set(unsure.filter((key) => !Object.prototype.hasOwnProperty.call(enScreens, key)));
  } catch {
    return new Set();
  }
}
