/**
 * What every translated phrase table must be, wherever its phrases live (the frame's, the org
 * console's): exactly the English keys, no empty phrase, and each phrase with the same
 * placeholders as its English one, so a `{name}` is never lost or misspelled in translation.
 */
import { expect } from "vitest";

const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();

export function expectTranslationOf(english: Record<string, string>, table: Record<string, string>): void {
  expect(Object.keys(table).sort()).toEqual(Object.keys(english).sort());
  for (const [key, text] of Object.entries(table)) {
    expect(text.trim(), key).not.toBe("");
    expect(placeholders(text), key).toEqual(placeholders(english[key]));
  }
}
