import { describe, expect, it } from "vitest";
import { createLocaleState } from "../state/locale.ts";
import { de } from "./de.ts";
import { en } from "./en.ts";
import { fr } from "./fr.ts";

describe("locales", () => {
  it.each([
    ["de", de],
    ["fr", fr],
  ] as const)("%s has every English phrase, no extra ones, and the same placeholders", (_name, table) => {
    expect(Object.keys(table).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(placeholders((table as Record<string, string>)[key]), key).toEqual(placeholders(text));
      expect((table as Record<string, string>)[key].trim(), key).not.toBe("");
    }
  });

  it("switches locale by language subtag, with host phrase overrides (including catalog text)", async () => {
    const l = createLocaleState();
    const { warnings, loaded } = l.setLocale("de-AT", { "wizard.next": "Los", "integration.slack.name": "Slack (Team)" });
    await loaded;
    expect(warnings).toEqual([]);
    expect(l.t("wizard.back")).toBe("Zurück");
    expect(l.t("wizard.next")).toBe("Los");
    expect(l.content("integration.slack.name", "Slack")).toBe("Slack (Team)");
    expect(l.t("wizard.step", { current: 2, total: 3 })).toBe("Schritt 2 von 3");
    expect(l.formatters.value.number.format(1234.5)).toMatch(/^1.234,5$/);
  });

  it("unknown locales and unknown phrase keys are warnings naming them; English is kept", async () => {
    const l = createLocaleState();
    const { warnings, loaded } = l.setLocale("xx-YY", { "no.such.key": "x", "app.back": "Go back" });
    await loaded;
    expect(warnings).toEqual([
      expect.objectContaining({ code: "UNKNOWN_LOCALE", subject: "xx-YY" }),
      expect.objectContaining({ code: "UNKNOWN_PHRASE", subject: "no.such.key" }),
    ]);
    expect(l.t("wizard.next")).toBe("Next");
    expect(l.t("app.back")).toBe("Go back");
  });
});
