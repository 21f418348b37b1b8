/**
 * The org console's phrase tables: every locale has exactly the English keys, no empty value,
 * the same placeholders, and no phrase left in English (a short list of words that are the same
 * in the language is allowed, by name); every key the console's code asks for exists. The
 * German render in real Chromium (tests/org-console-views.test.ts) checks what a viewer sees.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { en } from "./messages-en.js";
import { de } from "./messages-de.js";
import { fr } from "./messages-fr.js";
import { expectTranslationOf } from "../../tests/phrase-tables.ts";

/** Phrases a language writes as English does (names, loan words, and placeholder-only patterns). */
const SAME_AS_ENGLISH: Record<string, string[]> = {
  de: ["common.integration", "common.status", "common.version", "common.name", "common.label", "common.labels", "common.optional", "edit.labels", "run.trigger.webhook", "replay.countsDry", "replay.counts"],
  fr: [
    "nav.instances",
    "nav.notifications",
    "nav.versions",
    "common.instance",
    "common.version",
    "common.description",
    "common.actions",
    "edit.description",
    "instances.title",
    "instances.count.one",
    "instances.count.other",
    "customers.instances",
    "deploy.instance",
    "run.trigger.webhook",
    "alerts.occurrences",
    "usage.hours",
    "notifications.title",
    "received.signature",
    "replay.countsDry",
    "replay.counts",
  ],
};

describe("org console phrases", () => {
  it.each([
    ["de", de],
    ["fr", fr],
  ] as const)("%s has every English key, no other, no empty value, the same placeholders, and nothing left in English", (name, table) => {
    const english = en as Record<string, string>;
    expectTranslationOf(english, table);
    const untranslated = Object.keys(english).filter((key) => (table as Record<string, string>)[key] === english[key]);
    expect(untranslated.sort()).toEqual([...SAME_AS_ENGLISH[name]].sort());
  });

  it("every key the console asks for exists, and every count has its forms", () => {
    const folder = new URL("./", import.meta.url);
    const code = readdirSync(folder)
      .filter((file) => file.endsWith(".js") && !file.startsWith("messages-"))
      .map((file) => readFileSync(new URL(file, folder), "utf8"))
      .join("\n");
    const html = readFileSync(new URL("index.html", folder), "utf8");
    const keys = new Set([...code.matchAll(/\bt\("([\w.-]+)"/g), ...html.matchAll(/data-i18n(?:-label)?="([\w.-]+)"/g)].map((m) => m[1]));
    const counted = new Set([...code.matchAll(/\btn\("([\w.-]+)"/g)].map((m) => m[1]));
    expect(keys.size).toBeGreaterThan(100);
    expect([...keys].filter((key) => !Object.hasOwn(en, key))).toEqual([]);
    for (const key of counted) for (const table of [en, de, fr]) expect(Object.hasOwn(table, `${key}.other`), key).toBe(true);
    // Each event type the platform sends has its description in every language.
    for (const table of [en, de, fr]) {
      expect(Object.keys(table).filter((key) => key.startsWith("event.")).length).toBe(10);
    }
  });
});
