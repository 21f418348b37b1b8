/**
 * Which locales the frame ships, how a host's locale tag maps onto one, and which phrase keys
 * a host may override. English is bundled; the others load on demand so the first route
 * stays small.
 */
import { en, type Phrases } from "./en.ts";

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

export async function loadPhrases(locale: SupportedLocale): Promise<Phrases> {
  if (locale === "de") return (await import("./de.ts")).de;
  if (locale === "fr") return (await import("./fr.ts")).fr;
  return en;
}

/**
 * Keys of catalog text a host may rename: integrations, their pages, fields and flows.
 * Everything else must be a key of the English table.
 */
const contentKey =
  /^(integration\.[a-z0-9-]{1,64}\.(name|summary|description)|configPage\.[a-z0-9-]{1,64}\.[A-Za-z0-9_]{1,64}\.(title|description)|configVar\.[a-z0-9-]{1,64}\.[A-Za-z0-9_]{1,64}\.(label|description)|flow\.[a-z0-9-]{1,64}\.[a-z0-9-]{1,64}\.(name|description))$/;

export function isKnownPhraseKey(key: string): boolean {
  return Object.prototype.hasOwnProperty.call(en, key) || contentKey.test(key);
}
