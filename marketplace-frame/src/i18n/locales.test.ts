import { describe, expect, it, vi } from "vitest";
import { createLocaleState } from "../state/locale.ts";
import { de } from "./de.ts";
import { en } from "./en.ts";
import { enList } from "./en-list.ts";
import { enScreens } from "./en-screens.ts";
import { fr } from "./fr.ts";
import { loadScreenPhrases, unknownPhraseKeys } from "./locales.ts";
import { tn } from "./plural.ts";
import { expectTranslationOf } from "../../../tests/phrase-tables.ts";

/** Switches `l` to `locale` with the host's `phrases`; resolves, once the tables are in, to the warnings the switch gave. */
async function switchTo(l: ReturnType<typeof createLocaleState>, locale: string, phrases?: Record<string, string>) {
  const { warnings, loaded } = l.setLocale(locale, phrases);
  await loaded;
  return warnings;
}

describe("locales", () => {
  it.each([
    ["de", de],
    ["fr", fr],
  ] as const)("%s has every English phrase, no extra ones, and the same placeholders", (_name, table) => expectTranslationOf(en, table));

  it("switches locale by language subtag, with host phrase overrides (including catalog text)", async () => {
    const l = createLocaleState();
    expect(await switchTo(l, "de-AT", { "wizard.next": "Los", "integration.slack.name": "Slack (Team)" })).toEqual([]);
    expect(l.t("wizard.back")).toBe("Zurück");
    expect(l.t("wizard.next")).toBe("Los");
    expect(l.content("integration.slack.name", "Slack")).toBe("Slack (Team)");
    expect(l.t("wizard.step", { current: 2, total: 3 })).toBe("Schritt 2 von 3");
    expect(l.numberFormat.value.format(1234.5)).toMatch(/^1.234,5$/);
  });

  it("unknown locales and unknown phrase keys are warnings naming them; English is kept", async () => {
    const l = createLocaleState();
    const { warnings, loaded } = l.setLocale("xx-YY", { "no.such.key": "x", "app.back": "Go back" });
    await loaded;
    await loadScreenPhrases(); // what a lazy screen does before it renders
    expect(await warnings).toEqual([
      expect.objectContaining({ code: "UNKNOWN_LOCALE", subject: "xx-YY" }),
      expect.objectContaining({ code: "UNKNOWN_PHRASE", subject: "no.such.key" }),
    ]);
    expect(l.t("wizard.next")).toBe("Next");
    expect(l.t("app.back")).toBe("Go back");
  });

  it("the English table is the list's phrases plus the screens' phrases, each key in one of them", async () => {
    const list = Object.keys(enList);
    const screens = Object.keys(enScreens);
    expect(list.filter((k) => screens.includes(k))).toEqual([]);
    expect([...list, ...screens].sort()).toEqual(Object.keys(en).sort());
    // Host overrides are checked against both tables (and the catalog key patterns).
    expect(await unknownPhraseKeys([...Object.keys(en), "integration.slack.name", "wizard.nope", "market.nope"])).toEqual(new Set(["wizard.nope", "market.nope"]));
  });

  it("a host override of a screen phrase is accepted before the screens load and wins after they do", async () => {
    vi.resetModules(); // a fresh document: no screen has loaded its phrases yet
    const { createLocaleState } = await import("../state/locale.ts");
    const { english, loadScreenPhrases } = await import("./locales.ts");
    expect(english.value["wizard.back"]).toBeUndefined();
    const l = createLocaleState();
    expect(await switchTo(l, "en", { "wizard.next": "Onward", "instance.pause": "Hold" })).toEqual([]);
    expect(l.t("market.search")).toBe("Search integrations");
    expect(l.t("wizard.next")).toBe("Onward");
    await loadScreenPhrases();
    expect(english.value["wizard.back"]).toBe("Back");
    expect(l.t("wizard.back")).toBe("Back");
    expect(l.t("wizard.next")).toBe("Onward");
    expect(l.t("instance.pause")).toBe("Hold");
  });

  it("counts take the plural form the locale's Intl.PluralRules pick, in every locale", async () => {
    await loadScreenPhrases();
    const l = createLocaleState();
    expect([0, 1, 2].map((n) => tn(l, "market.count", n))).toEqual(["0 integrations", "1 integration", "2 integrations"]);
    expect(tn(l, "wizard.fixErrors", 1)).toBe("Please fix 1 field on this page.");
    expect(tn(l, "field.tooShort", 1)).toBe("Use at least 1 character.");
    await l.setLocale("de", undefined).loaded;
    expect([1, 2, 1234].map((n) => tn(l, "market.count", n))).toEqual(["1 Integration", "2 Integrationen", "1.234 Integrationen"]);
    await l.setLocale("fr", undefined).loaded;
    // French counts 0 and 1 in the singular.
    expect([0, 1, 2].map((n) => tn(l, "instance.newAlerts", n))).toEqual(["0 nouvelle alerte", "1 nouvelle alerte", "2 nouvelles alertes"]);
    // A form the table lacks (French "many" for a million) falls back to "other".
    expect(tn(l, "market.count", 1_000_000)).toMatch(/^1\s000\s000 intégrations$/);
    // A host gives each form; one it gives wins for its counts only.
    expect(await switchTo(l, "fr", { "market.count.one": "{count} connecteur" })).toEqual([]);
    expect([1, 2].map((n) => tn(l, "market.count", n))).toEqual(["1 connecteur", "2 intégrations"]);
  });

  it.each([
    ["en", en],
    ["de", de],
    ["fr", fr],
  ] as const)("%s words every count through plural forms: each .one has its .other, and no \"(s)\" is left", (_name, table) => {
    const keys = Object.keys(table);
    for (const key of keys.filter((k) => k.endsWith(".one"))) expect(keys, key).toContain(key.replace(/\.one$/, ".other"));
    expect(Object.entries(table).filter(([, text]) => /\((s|en|er|e)\)/.test(text))).toEqual([]);
  });
});
