import { describe, expect, it } from "vitest";
import { conditionHolds, formState, isCondition, type Condition } from "./conditions.ts";
import { pageReferenceProblem } from "./page-references.ts";
import type { ConfigPage } from "./config-vars.ts";

const of = (values: Record<string, unknown>) => (key: string) => values[key];

describe("conditionHolds", () => {
  const cases: Array<[string, Condition, Record<string, unknown>, boolean]> = [
    ["equals a string", { field: "a", equals: "x" }, { a: "x" }, true],
    ["equals: another string", { field: "a", equals: "x" }, { a: "y" }, false],
    ["equals: unset", { field: "a", equals: "x" }, {}, false],
    ["equals a boolean", { field: "a", equals: true }, { a: true }, true],
    ["equals true is not 'true'", { field: "a", equals: true }, { a: "true" }, false],
    ["equals a number", { field: "a", equals: 3 }, { a: 3 }, true],
    ["equals on a list: contains", { field: "a", equals: "x" }, { a: ["w", "x"] }, true],
    ["equals on a list: lacks", { field: "a", equals: "x" }, { a: ["w"] }, false],
    ["oneOf", { field: "a", oneOf: ["x", "y"] }, { a: "y" }, true],
    ["oneOf: none", { field: "a", oneOf: ["x", "y"] }, { a: "z" }, false],
    ["oneOf on a list", { field: "a", oneOf: ["x", "y"] }, { a: ["z", "y"] }, true],
    ["oneOf an object value", { field: "a", oneOf: ["x"] }, { a: { kind: "x" } }, false],
    ["isSet: text", { field: "a", isSet: true }, { a: "t" }, true],
    ["isSet: empty text", { field: "a", isSet: true }, { a: "" }, false],
    ["isSet: empty list", { field: "a", isSet: true }, { a: [] }, false],
    ["isSet: null", { field: "a", isSet: true }, { a: null }, false],
    ["isSet: false is set", { field: "a", isSet: true }, { a: false }, true],
    ["isSet: 0 is set", { field: "a", isSet: true }, { a: 0 }, true],
    ["isSet false: unset", { field: "a", isSet: false }, {}, true],
    ["all", { all: [{ field: "a", equals: "x" }, { field: "b", equals: 1 }] }, { a: "x", b: 1 }, true],
    ["all: one fails", { all: [{ field: "a", equals: "x" }, { field: "b", equals: 1 }] }, { a: "x", b: 2 }, false],
    ["any", { any: [{ field: "a", equals: "x" }, { field: "b", equals: 1 }] }, { a: "n", b: 1 }, true],
    ["any: none", { any: [{ field: "a", equals: "x" }, { field: "b", equals: 1 }] }, { a: "n", b: 2 }, false],
    ["not", { not: { field: "a", equals: "x" } }, { a: "y" }, true],
    ["not not", { not: { not: { field: "a", equals: "x" } } }, { a: "x" }, true],
    ["nested", { all: [{ any: [{ field: "a", isSet: true }, { field: "b", equals: true }] }, { not: { field: "c", oneOf: ["q"] } }] }, { b: true, c: "r" }, true],
  ];
  it.each(cases)("%s", (_, condition, values, expected) => {
    expect(conditionHolds(condition, of(values))).toBe(expected);
  });
});

describe("isCondition (the grammar the contract's schema checks)", () => {
  const deep = (n: number): Condition => (n <= 1 ? { field: "a", isSet: true } : { not: deep(n - 1) });
  it.each<[string, unknown, boolean]>([
    ["equals", { field: "a", equals: "x" }, true],
    ["oneOf", { field: "a", oneOf: [1, true, "x"] }, true],
    ["isSet", { field: "a", isSet: false }, true],
    ["all of any of not", { all: [{ any: [{ not: { field: "a", equals: 1 } }] }] }, true],
    ["8 levels", deep(8), true],
    ["9 levels", deep(9), false],
    ["two operators", { field: "a", equals: "x", oneOf: ["y"] }, false],
    ["an unknown operator", { field: "a", contains: "x" }, false],
    ["a field that is no key", { field: "a b", equals: "x" }, false],
    ["an object to compare with", { field: "a", equals: { x: 1 } }, false],
    ["an empty oneOf", { field: "a", oneOf: [] }, false],
    ["an empty all", { all: [] }, false],
    ["all with a bad member", { all: [{ field: "a", isSet: "yes" }] }, false],
    ["all beside another key", { all: [{ field: "a", isSet: true }], not: { field: "a", isSet: true } }, false],
    ["null", null, false],
    ["a list", [{ field: "a", isSet: true }], false],
  ])("%s", (_, value, expected) => {
    expect(isCondition(value)).toBe(expected);
  });
});

const pages: ConfigPage[] = [
  {
    name: "one",
    title: "One",
    fields: [
      { key: "kind", type: "picklist", label: "Kind", options: [{ value: "std", label: "Standard" }, { value: "custom", label: "Custom" }] },
      { key: "custom", type: "string", label: "Custom name", visibleWhen: { field: "kind", equals: "custom" }, requiredWhen: { field: "kind", equals: "custom" } },
      { key: "note", type: "string", label: "Note", visibleWhen: { field: "custom", isSet: true } },
      { key: "locked", type: "boolean", label: "Lock" },
      { key: "limit", type: "number", label: "Limit", required: true, disabledWhen: { field: "locked", equals: true } },
    ],
    content: [
      { kind: "markdown", text: "Custom objects need the API name." , visibleWhen: { field: "kind", equals: "custom" } },
      { kind: "markdown", text: "Always" },
    ],
  },
  {
    name: "advanced",
    title: "Advanced",
    visibleWhen: { field: "kind", equals: "custom" },
    fields: [{ key: "depth", type: "number", label: "Depth", required: true }],
  },
  {
    name: "frozen",
    title: "Frozen",
    disabledWhen: { field: "locked", equals: true },
    fields: [{ key: "x", type: "string", label: "X", required: true }],
  },
];

describe("formState", () => {
  it("hides, shows, requires and disables fields and pages by their rules", () => {
    const std = formState(pages, of({ kind: "std", custom: "Thing__c", limit: 3 }));
    expect(std.fields.custom).toEqual({ visible: false, required: false, disabled: false });
    // A hidden field counts as unset for the rules after it, even though the form still holds a value.
    expect(std.fields.note.visible).toBe(false);
    expect(std.pages.advanced).toEqual({ visible: false, disabled: false });
    expect(std.fields.depth).toEqual({ visible: false, required: false, disabled: false });
    expect(std.content.one).toEqual([false, true]);

    const custom = formState(pages, of({ kind: "custom", custom: "Thing__c", locked: true }));
    expect(custom.fields.custom).toEqual({ visible: true, required: true, disabled: false });
    expect(custom.fields.note.visible).toBe(true);
    expect(custom.pages.advanced.visible).toBe(true);
    expect(custom.fields.depth.required).toBe(true);
    expect(custom.content.one).toEqual([true, true]);
    // Disabled: shown, never required (the user could not fill it in).
    expect(custom.fields.limit).toEqual({ visible: true, required: false, disabled: true });
    expect(custom.pages.frozen.disabled).toBe(true);
    expect(custom.fields.x).toEqual({ visible: true, required: false, disabled: true });
  });

  it("hiddenWhen and visibleWhen together must both agree", () => {
    const page: ConfigPage = {
      name: "p",
      title: "P",
      fields: [
        { key: "a", type: "boolean", label: "A" },
        { key: "b", type: "boolean", label: "B" },
        { key: "c", type: "string", label: "C", visibleWhen: { field: "a", equals: true }, hiddenWhen: { field: "b", equals: true } },
      ],
    };
    expect(formState([page], of({ a: true })).fields.c.visible).toBe(true);
    expect(formState([page], of({ a: true, b: true })).fields.c.visible).toBe(false);
    expect(formState([page], of({ b: false })).fields.c.visible).toBe(false);
  });

  it("a field named like an Object.prototype member is just a field", () => {
    const page: ConfigPage = { name: "p", title: "P", fields: [{ key: "constructor", type: "string", label: "C", visibleWhen: { field: "toString", isSet: true } }] };
    expect(formState([page], of({ toString: "x" })).fields.constructor).toEqual({ visible: false, required: false, disabled: false });
  });
});

describe("pageReferenceProblem", () => {
  const page = (fields: ConfigPage["fields"], extra: Partial<ConfigPage> = {}): ConfigPage => ({ name: "p", title: "P", fields, ...extra });
  const str = (key: string, extra: object = {}) => ({ key, type: "string" as const, label: key, ...extra });

  it("accepts the rules, data sources and elements that name fields before them", () => {
    expect(pageReferenceProblem(pages, [])).toBeUndefined();
  });

  it.each<[string, ConfigPage[], RegExp]>([
    ["an unknown field", [page([str("a", { visibleWhen: { field: "ghost", equals: "x" } })])], /configPages\.p\.a\.visibleWhen.*unknown field "ghost"/],
    ["a field after it", [page([str("a", { requiredWhen: { field: "b", isSet: true } }), str("b")])], /configPages\.p\.a\.requiredWhen.*"b", which comes after it/],
    ["itself", [page([str("a", { hiddenWhen: { field: "a", isSet: true } })])], /comes after it/],
    ["a page rule on its own field", [page([str("a")], { visibleWhen: { field: "a", isSet: true } })], /configPages\.p\.visibleWhen.*"a", which comes after/],
    ["deep inside all/any/not", [page([str("a"), str("b", { disabledWhen: { all: [{ any: [{ not: { field: "nope", equals: 1 } }] }] } })])], /disabledWhen.*unknown field "nope"/],
    ["an element rule on an unknown field", [page([str("a")], { content: [{ kind: "markdown", text: "x", visibleWhen: { field: "zz", isSet: true } }] })], /content\.0\.visibleWhen.*unknown field "zz"/],
    [
      "a data source on an unknown connection",
      [page([{ key: "c", type: "picklist", label: "C", dataSource: { connection: "conn", path: "/x", value: "{{record.id}}", label: "{{record.name}}" } }])],
      /dataSource\.connection.*unknown field "conn"/,
    ],
    [
      "a data source whose connection is on the same page",
      [page([{ key: "conn", type: "connection", label: "Conn", connection: { kind: "api-key", app: "X" } }, { key: "c", type: "picklist", label: "C", dataSource: { connection: "conn", path: "/x", value: "{{record.id}}", label: "{{record.name}}" } }])],
      /"conn" must be a connection field on an earlier page/,
    ],
    ["a picklist with neither options nor a data source", [page([{ key: "c", type: "picklist", label: "C" }])], /either options or a dataSource/],
    ["a webhook URL of no webhook flow", [page([str("a")], { content: [{ kind: "webhook-url", flow: "sync", label: "URL" }] })], /"sync" is not a webhook flow/],
    ["a generated key named like a field", [page([str("a")], { content: [{ kind: "generated-key", key: "a", label: "Key" }] })], /already the name of a field/],
    ["rules nested too deep", [page([str("a"), str("b", { visibleWhen: { not: { not: { not: { not: { not: { not: { not: { not: { field: "a", isSet: true } } } } } } } } } })])], /deeper than 8/],
  ])("refuses %s", (_, defs, message) => {
    const problem = pageReferenceProblem(defs, [{ id: "sync", trigger: { kind: "schedule" } }]);
    expect(problem && `${problem.where}: ${problem.message}`).toMatch(message);
  });

  it("a data source may depend on earlier fields, not on connections", () => {
    const conn = { key: "conn", type: "connection" as const, label: "Conn", connection: { kind: "api-key" as const, app: "Jira" } };
    const source = (dependsOn: string[]) => ({ connection: "conn", path: "/p", dependsOn, value: "{{record.id}}", label: "{{record.name}}" });
    const ok = [page([conn]), { ...page([str("project"), { key: "type", type: "picklist" as const, label: "T", dataSource: source(["project"]) }]), name: "q" }];
    expect(pageReferenceProblem(ok, [])).toBeUndefined();
    const onConnection = [page([conn]), { ...page([{ key: "type", type: "picklist" as const, label: "T", dataSource: source(["conn"]) }]), name: "q" }];
    expect(pageReferenceProblem(onConnection, [])?.message).toMatch(/"conn" is a connection/);
    const later = [page([conn]), { ...page([{ key: "type", type: "picklist" as const, label: "T", dataSource: source(["project"]) }, str("project")]), name: "q" }];
    expect(pageReferenceProblem(later, [])?.message).toMatch(/"project", which comes after it/);
  });
});
