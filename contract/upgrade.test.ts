import { describe, expect, it } from "vitest";
import { planUpgrade, type VersionShape } from "./upgrade.ts";
import type { ConfigVarDefinition } from "./config-vars.ts";

const text = (key: string, extra: Partial<ConfigVarDefinition> = {}): ConfigVarDefinition => ({ key, type: "string", label: key, ...extra }) as ConfigVarDefinition;
const version = (v: number, fields: ConfigVarDefinition[], renamed: Array<{ from: string; to: string }> = []): VersionShape => ({
  version: v,
  configPages: [{ name: "main", title: "Main", fields }],
  migration: { renamed },
});

describe("planUpgrade", () => {
  it("keeps, renames, removes and adds; asks only for what is new or now refused", () => {
    const v1 = version(1, [text("a"), text("b"), text("gone"), text("optional")]);
    const v2 = version(2, [text("a"), text("bee", { maxLength: 3 }), text("optional", { required: true }), text("fresh", { required: true, default: "x" }), text("blank")], [{ from: "b", to: "bee" }]);
    const plan = planUpgrade(v1, [v2], { a: "1", b: "long value", gone: "g" });
    expect(plan).toMatchObject({
      fromVersion: 1,
      toVersion: 2,
      values: { a: "1", bee: "long value", fresh: "x" },
      kept: ["a"],
      renamed: [{ from: "b", to: "bee" }],
      removed: ["gone"],
      added: ["fresh", "blank"],
      pages: ["main"],
      needsInput: true,
    });
    expect(plan.asks).toEqual([
      { key: "bee", page: "main", reason: "invalid", problem: "Enter at most 3 characters." },
      { key: "optional", page: "main", reason: "invalid", problem: "This field is required." },
      { key: "fresh", page: "main", reason: "new" },
      { key: "blank", page: "main", reason: "new" },
    ]);
  });

  it("follows renames through every version on the way, and needs nothing when every value is still good", () => {
    const v1 = version(1, [text("one")]);
    const v2 = version(2, [text("two")], [{ from: "one", to: "two" }]);
    const v3 = version(3, [text("three"), text("extra", { default: "d" })], [{ from: "two", to: "three" }]);
    const plan = planUpgrade(v1, [v2, v3], { one: "kept" });
    expect(plan).toMatchObject({ toVersion: 3, values: { three: "kept", extra: "d" }, renamed: [{ from: "one", to: "three" }], removed: [], needsInput: false });
    expect(plan.asks).toEqual([{ key: "extra", page: "main", reason: "new" }]);
  });

  it("an old field left empty is not new, and asks nothing while it may stay empty", () => {
    const plan = planUpgrade(version(1, [text("note")]), [version(2, [text("note")])], {});
    expect(plan).toMatchObject({ asks: [], pages: [], needsInput: false, added: [] });
  });

  it("follows the target version's rules: a field they hide is not asked, and requiredWhen counts", () => {
    const v1 = version(1, [text("kind")]);
    const rules = { visibleWhen: { field: "kind", equals: "custom" }, requiredWhen: { field: "kind", equals: "custom" } };
    const v2 = version(2, [text("kind"), text("customName", { required: false, ...rules } as Partial<ConfigVarDefinition>)]);
    // Hidden for this customer's choice: new, yet not shown and not needed.
    const standard = planUpgrade(v1, [v2], { kind: "standard" });
    expect(standard).toMatchObject({ added: ["customName"], asks: [], pages: [], needsInput: false });
    // Shown and required for the other choice: the customer is asked.
    const custom = planUpgrade(v1, [v2], { kind: "custom" });
    expect(custom.asks).toEqual([{ key: "customName", page: "main", reason: "new", problem: "This field is required." }]);
    expect(custom.needsInput).toBe(true);
  });
});
