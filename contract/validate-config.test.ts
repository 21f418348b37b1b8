import { describe, expect, it } from "vitest";
import { configFieldProblems, configValueProblem } from "./validate-config.ts";
import { nextRuns, parseCron, scheduleProblem } from "./schedule.ts";
import { xmlProblem, xmlProblemAt } from "./xml-well-formed.ts";
import type { ConfigVarDefinition } from "./config-vars.ts";

const problem = (def: ConfigVarDefinition, value: unknown, storedSecrets?: string[]) =>
  configValueProblem(def, value, storedSecrets ? { storedSecrets: new Set(storedSecrets) } : {});

describe("config value validation, per type", () => {
  it("string: required, length limits and full-match pattern with its hint", () => {
    const def: ConfigVarDefinition = { key: "k", label: "K", type: "string", required: true, pattern: "[A-Z]{2,4}", patternHint: "2–4 capitals.", maxLength: 4, minLength: 2 };
    expect(problem(def, "")).toBe("This field is required.");
    expect(problem(def, "OPS")).toBeUndefined();
    expect(problem(def, "xOPS")).toBe("2–4 capitals.");
    expect(problem(def, "OPSX1")).toMatch(/at most 4/);
    expect(problem(def, "O")).toMatch(/at least 2/);
    expect(problem(def, 12)).toMatch(/Expected text/);
    expect(problem({ ...def, required: false }, undefined)).toBeUndefined();
  });

  it("number: type, min, max and step", () => {
    const def: ConfigVarDefinition = { key: "n", label: "N", type: "number", min: 1, max: 10, step: 0.5 };
    expect(problem(def, 2.5)).toBeUndefined();
    expect(problem(def, 0)).toBe("Must be at least 1.");
    expect(problem(def, 11)).toBe("Must be at most 10.");
    expect(problem(def, 1.2)).toMatch(/multiple of 0.5/);
    expect(problem(def, "3")).toBe("Enter a number.");
    expect(problem(def, Number.NaN)).toBe("Enter a number.");
  });

  it("boolean: only true or false", () => {
    const def: ConfigVarDefinition = { key: "b", label: "B", type: "boolean", required: true };
    expect(problem(def, false)).toBeUndefined();
    expect(problem(def, "true")).toBe("Choose yes or no.");
  });

  it("picklist: single and multiple, options only, no duplicates", () => {
    const options = [{ value: "a", label: "A" }, { value: "b", label: "B" }];
    const single: ConfigVarDefinition = { key: "p", label: "P", type: "picklist", options, required: true };
    const multi: ConfigVarDefinition = { ...single, multiple: true };
    expect(problem(single, "a")).toBeUndefined();
    expect(problem(single, "c")).toBe('"c" is not one of the options.');
    expect(problem(single, ["a"])).toBe("Choose one of the options.");
    expect(problem(multi, ["a", "b"])).toBeUndefined();
    expect(problem(multi, ["a", "a"])).toBe('"a" is chosen twice.');
    expect(problem(multi, [])).toBe("This field is required.");
    expect(problem(multi, "a")).toMatch(/one or more/);
  });

  it("code: JSON and XML must parse; HTML is free text", () => {
    const json: ConfigVarDefinition = { key: "c", label: "C", type: "code", language: "json" };
    expect(problem(json, '{"a": [1, 2]}')).toBeUndefined();
    expect(problem(json, '{"a": }')).toMatch(/^This is not valid JSON/);
    // What was typed may be a secret: the reason never quotes it.
    expect(problem(json, "hunter2-private-key")).toBe("This is not valid JSON: Unexpected character.");
    expect(problem(json, '{"private_key": "-----BEGIN hunter2" x}')).not.toContain("hunter2");
    expect(problem(json, '{"private_key": "-----BEGIN hunter2" x}')).toMatch(/position \d+/);
    const xml: ConfigVarDefinition = { ...json, language: "xml" };
    expect(problem(xml, "<a><b x='1'/></a>")).toBeUndefined();
    expect(problem(xml, "<a><b></a>")).toMatch(/^This is not well-formed XML: Expected <\/b> but found <\/a>/);
    const htmlDef: ConfigVarDefinition = { ...json, language: "html" };
    expect(problem(htmlDef, "<p>unclosed")).toBeUndefined();
  });

  it("date and timestamp: real calendar dates; timestamps need a time zone", () => {
    const date: ConfigVarDefinition = { key: "d", label: "D", type: "date" };
    expect(problem(date, "2028-02-29")).toBeUndefined();
    expect(problem(date, "2027-02-29")).toBe("2027-02-29 is not a real date.");
    expect(problem(date, "29/02/2028")).toMatch(/YYYY-MM-DD/);
    const ts: ConfigVarDefinition = { key: "t", label: "T", type: "timestamp" };
    expect(problem(ts, "2026-11-29T09:30:00Z")).toBeUndefined();
    expect(problem(ts, "2026-11-29T09:30+05:30")).toBeUndefined();
    expect(problem(ts, "2026-11-29T09:30:00")).toMatch(/time zone/);
    expect(problem(ts, "2026-13-01T09:30:00Z")).toMatch(/time zone|not a real date/);
  });

  it("schedule: shape, time zone, a cron that parses and can run", () => {
    const def: ConfigVarDefinition = { key: "s", label: "S", type: "schedule", required: true };
    expect(problem(def, { kind: "interval", every: 15, unit: "minutes" })).toBeUndefined();
    expect(problem(def, { kind: "daily", time: "09:00", timeZone: "Europe/Berlin" })).toBeUndefined();
    expect(problem(def, { kind: "daily", time: "09:00", timeZone: "Mars/Olympus" })).toBe('Unknown time zone "Mars/Olympus".');
    expect(problem(def, { kind: "cron", expression: "*/5 * * *", timeZone: "UTC" })).toMatch(/5 fields/);
    expect(problem(def, { kind: "cron", expression: "0 0 30 2 *", timeZone: "UTC" })).toMatch(/never runs/);
    expect(problem(def, { kind: "cron", expression: "61 * * * *", timeZone: "UTC" })).toMatch(/minute 61/);
    expect(problem(def, { kind: "none" })).toBe("Choose a schedule.");
    expect(problem({ ...def, required: false }, { kind: "none" })).toBeUndefined();
    expect(problem(def, { kind: "weekly", day: 9, time: "09:00", timeZone: "UTC" })).toBe("Choose a valid schedule.");
  });

  it("schedule: an interval of 0 or below is a field error naming the bound, not a malformed value", () => {
    const def: ConfigVarDefinition = { key: "s", label: "S", type: "schedule" };
    expect(problem(def, { kind: "interval", every: 0, unit: "minutes", timeZone: "UTC" })).toBe("Enter an interval of 1 or more.");
    expect(problem(def, { kind: "interval", every: -5, unit: "hours" })).toBe("Enter an interval of 1 or more.");
    expect(problem(def, { kind: "interval", every: 1.5, unit: "hours" })).toBe("Enter the interval as a whole number.");
    expect(problem(def, { kind: "interval", every: 1441, unit: "minutes" })).toBe("Enter an interval of at most 1440.");
    expect(problem(def, { kind: "interval", every: 1, unit: "minutes" })).toBeUndefined();
    // The scheduler and the preview share the rule: such an interval has no runs (not a division by zero).
    expect(scheduleProblem({ kind: "interval", every: 0, unit: "minutes" })).toBe("Enter an interval of 1 or more.");
    expect(nextRuns({ kind: "interval", every: 0, unit: "minutes" }, Date.UTC(2026, 0, 1), 3)).toEqual([]);
  });

  it("string: one character is counted in the singular", () => {
    const def: ConfigVarDefinition = { key: "k", label: "K", type: "string", minLength: 1, maxLength: 1 };
    expect(problem({ ...def, minLength: 2, maxLength: 3 }, "a")).toBe("Enter at least 2 characters.");
    expect(problem(def, "ab")).toBe("Enter at most 1 character.");
  });

  it("value list: entries must be non-empty text", () => {
    const def: ConfigVarDefinition = { key: "v", label: "V", type: "value-list", required: true };
    expect(problem(def, ["a", "b"])).toBeUndefined();
    expect(problem(def, ["a", " "])).toBe("Entry 2 is empty.");
    expect(problem(def, [])).toBe("This field is required.");
  });

  it("key-value list: keys must be present and unique", () => {
    const def: ConfigVarDefinition = { key: "kv", label: "KV", type: "key-value-list" };
    expect(problem(def, [{ key: "a", value: "1" }, { key: "b", value: "" }])).toBeUndefined();
    expect(problem(def, [{ key: "a", value: "1" }, { key: "a", value: "2" }])).toBe('The key "a" appears more than once.');
    expect(problem(def, [{ key: "", value: "1" }])).toBe("Pair 1 has an empty key.");
    expect(problem(def, [{ key: "a" }])).toBe("Pair 1 must have a key and a value.");
  });

  it("connection: the right kind; an omitted secret is fine only when one is stored", () => {
    const apiKey: ConfigVarDefinition = { key: "conn", label: "C", type: "connection", required: true, connection: { kind: "api-key", app: "Stripe" } };
    expect(problem(apiKey, { kind: "api-key", apiKey: "sk_test_123" })).toBeUndefined();
    expect(problem(apiKey, { kind: "api-key" })).toBe("Enter the Stripe API key.");
    expect(problem(apiKey, { kind: "api-key" }, ["conn"])).toBeUndefined();
    expect(problem(apiKey, { kind: "api-key", apiKey: { secret: "set" } }, ["conn"])).toBeUndefined();
    expect(problem(apiKey, { kind: "basic", username: "u", password: "p" })).toMatch(/api-key connection/);
    expect(problem(apiKey, undefined)).toBe("Connect your Stripe account.");
    const basic: ConfigVarDefinition = { ...apiKey, connection: { kind: "basic", app: "Jira" } };
    expect(problem(basic, { kind: "basic", username: "", password: "p" })).toBe("Enter the Jira username.");
    expect(problem(basic, { kind: "basic", username: "ada" })).toBe("Enter the Jira password.");
    const oauth: ConfigVarDefinition = { ...apiKey, connection: { kind: "oauth2", app: "Slack" } };
    expect(problem(oauth, { kind: "oauth2", grantId: "grt_1" })).toBeUndefined();
    expect(problem(oauth, { kind: "oauth2", status: "pending" })).toBe("Connect your Slack account.");
  });

  it("reports unknown keys and missing required fields of a page", () => {
    const fields: ConfigVarDefinition[] = [
      { key: "a", label: "A", type: "string", required: true },
      { key: "b", label: "B", type: "boolean" },
    ];
    expect(configFieldProblems(fields, { b: true, extra: 1 })).toEqual({
      a: "This field is required.",
      extra: "This field does not exist on this page.",
    });
  });
});

describe("cron and next runs", () => {
  it("parses lists, ranges, steps and names, and refuses what it cannot run", () => {
    const parsed = parseCron("*/15 9-17 * JAN,MAR mon-fri");
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect([...parsed.cron.minutes]).toEqual([0, 15, 30, 45]);
    expect([...parsed.cron.months]).toEqual([1, 3]);
    expect([...parsed.cron.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
    expect(parseCron("5-1 * * * *")).toMatchObject({ ok: false });
    expect(parseCron("* * * * * *")).toMatchObject({ ok: false });
    expect(parseCron("@hourly")).toMatchObject({ ok: true });
  });

  it("computes the next runs of a cron in a time zone, across a DST change", () => {
    // Europe/Berlin switches to summer time on 2026-03-29 (02:00 → 03:00).
    const after = Date.UTC(2026, 2, 27, 12, 0);
    const runs = nextRuns({ kind: "daily", time: "09:00", timeZone: "Europe/Berlin" }, after, 3).map((t) => new Date(t).toISOString());
    expect(runs).toEqual(["2026-03-28T08:00:00.000Z", "2026-03-29T07:00:00.000Z", "2026-03-30T07:00:00.000Z"]);
  });

  it("runs a wall-clock time that falls in a DST gap once, right after the gap", () => {
    const after = Date.UTC(2026, 2, 28, 12, 0);
    const [run] = nextRuns({ kind: "cron", expression: "30 2 * * *", timeZone: "Europe/Berlin" }, after, 1);
    expect(new Date(run).toISOString()).toBe("2026-03-29T01:30:00.000Z"); // 03:30 CEST
  });

  it("honours day-of-month OR day-of-week when both are restricted (Vixie cron)", () => {
    const after = Date.UTC(2026, 10, 1, 0, 0); // Sunday 1 Nov 2026
    const runs = nextRuns({ kind: "cron", expression: "0 0 13 * 5", timeZone: "UTC" }, after, 3).map((t) => new Date(t).toISOString().slice(0, 10));
    expect(runs).toEqual(["2026-11-06", "2026-11-13", "2026-11-20"]);
  });

  it("aligns intervals to whole periods and reports schedules that never run", () => {
    const after = Date.UTC(2026, 10, 2, 9, 7);
    expect(nextRuns({ kind: "interval", every: 15, unit: "minutes" }, after, 2).map((t) => new Date(t).toISOString())).toEqual([
      "2026-11-02T09:15:00.000Z",
      "2026-11-02T09:30:00.000Z",
    ]);
    expect(scheduleProblem({ kind: "cron", expression: "0 0 31 4 *", timeZone: "UTC" })).toMatch(/never runs/);
    expect(nextRuns({ kind: "none" }, after, 3)).toEqual([]);
  });
});

describe("XML well-formedness", () => {
  it.each([
    ["<a/>", undefined],
    ['<?xml version="1.0"?>\n<!-- c --><a x="1" y=\'2\'><![CDATA[<x>]]>&amp;&#169;&#xA9;</a>', undefined],
    ["", "The XML document is empty."],
    ["<a>", "The element <a> is not closed."],
    ["<a></b>", "Expected </a> but found </b> (line 1)."],
    ["<a/><b/>", "A second root element <b>; XML has exactly one root (line 1)."],
    ['<a x="1" x="2"/>', 'The attribute "x" appears twice in <a> (line 1).'],
    ["<a x=1/>", 'The value of "x" must be in quotes (line 1).'],
    ["<a>&nbsp;</a>", '"&nbsp;" is not a valid entity reference; write &amp; for a literal & (line 1).'],
    ["text<a/>", "Text outside the root element (line 1)."],
    ["<a>\n<!-- open </a>", "A comment is not closed (line 2)."],
  ])("%j → %s", (input, expected) => {
    expect(xmlProblem(input)).toBe(expected);
  });

  it.each([
    ["<a></b>", 3],
    ["<a>\n  <b x=1/>\n</a>", 11],
    ["<a>", 3],
    ["", 0],
  ])("%j: the problem is at offset %i (where the editor marks it)", (input, offset) => {
    expect(xmlProblemAt(input)?.offset).toBe(offset);
  });
});
