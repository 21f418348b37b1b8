// @vitest-environment happy-dom
/**
 * Every field type: its control, and its error next to it after a blocked Next. Each case is
 * a one-page wizard on the fake platform, so the rules are the shared contract ones.
 */
import { fireEvent, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import type { ConfigVarDefinition } from "../../../contract/config-vars.ts";
import { fakePlatform, integration } from "../../test/fake-platform.ts";
import { renderFrame, setupFrameServer } from "../../test/harness.tsx";

const server = setupFrameServer();

async function wizardWith(fields: ConfigVarDefinition[], locale?: string) {
  const p = fakePlatform([
    integration({ id: "app", name: "App", configPages: [{ name: "one", title: "One", fields }, { name: "two", title: "Two", fields: [] }] }),
  ]);
  server.use(...p.handlers);
  const r = await renderFrame({ init: { screen: { name: "configure", integrationId: "app" }, locale } });
  await screen.findByText(locale === "de" ? "Schritt 1 von 2" : "Step 1 of 2");
  return { ...r, p };
}
const next = (name = "Next") => fireEvent.click(screen.getByRole("button", { name }));
const control = (key: string) => document.getElementById(`em-field-${key}`) as HTMLInputElement;
const errorOf = async (key: string) => {
  await waitFor(() => expect(control(key).getAttribute("aria-invalid")).toBe("true"));
  return document.getElementById(`em-field-${key}-error`)!.textContent;
};
const advanced = () => screen.findByText("Step 2 of 2");

describe("field types", () => {
  it("string: length and pattern", async () => {
    await wizardWith([{ key: "code", label: "Code", type: "string", minLength: 3, pattern: "[A-Z]+", patternHint: "Use capital letters only." }]);
    fireEvent.input(control("code"), { target: { value: "AB" } });
    next();
    expect(await errorOf("code")).toBe("Enter at least 3 characters.");
    fireEvent.input(control("code"), { target: { value: "abc" } });
    expect(await errorOf("code")).toBe("Use capital letters only.");
    fireEvent.input(control("code"), { target: { value: "ABC" } });
    next();
    await advanced();
  });

  it("number: min, max and not-a-number; saved as a number", async () => {
    const { p } = await wizardWith([{ key: "n", label: "Batch", type: "number", min: 1, max: 100 }]);
    fireEvent.input(control("n"), { target: { value: "500" } });
    next();
    expect(await errorOf("n")).toBe("Must be at most 100.");
    fireEvent.input(control("n"), { target: { value: "abc" } });
    expect(await errorOf("n")).toBe("Enter a number.");
    fireEvent.input(control("n"), { target: { value: "42" } });
    next();
    await advanced();
    expect(p.state.savedPages[0].values).toEqual({ n: 42 });
  });

  it("boolean: a switch with role=switch", async () => {
    const { p } = await wizardWith([{ key: "b", label: "Enabled", type: "boolean", default: false }]);
    const sw = screen.getByRole("switch");
    expect(sw.getAttribute("aria-checked")).toBe("false");
    fireEvent.click(sw);
    expect(sw.getAttribute("aria-checked")).toBe("true");
    next();
    await advanced();
    expect(p.state.savedPages[0].values).toEqual({ b: true });
  });

  it("picklist single (select) and multi (checkbox group)", async () => {
    const options = [
      { value: "a", label: "Alpha" },
      { value: "b", label: "Beta" },
    ];
    const { p } = await wizardWith([
      { key: "one", label: "One", type: "picklist", required: true, options },
      { key: "many", label: "Many", type: "picklist", multiple: true, required: true, options },
    ]);
    next();
    expect(await errorOf("one")).toBe("This field is required.");
    expect(await errorOf("many")).toBe("This field is required.");
    fireEvent.change(control("one"), { target: { value: "b" } });
    fireEvent.click(screen.getByRole("checkbox", { name: "Beta" }));
    fireEvent.click(screen.getByRole("checkbox", { name: "Alpha" }));
    next();
    await advanced();
    expect(p.state.savedPages[0].values).toEqual({ one: "b", many: ["a", "b"] });
  });

  it("code: XML must be well-formed; shown in a monospace textarea", async () => {
    await wizardWith([{ key: "x", label: "Template", type: "code", language: "xml", required: true }]);
    expect(control("x").tagName).toBe("TEXTAREA");
    expect(control("x").className).toContain("em-mono");
    fireEvent.input(control("x"), { target: { value: "<a><b></a>" } });
    next();
    expect(await errorOf("x")).toMatch(/not well-formed XML/);
    fireEvent.input(control("x"), { target: { value: "<a><b/></a>" } });
    next();
    await advanced();
  });

  it("date: a real date", async () => {
    const { p } = await wizardWith([{ key: "d", label: "Start", type: "date", required: true }]);
    next();
    expect(await errorOf("d")).toBe("This field is required.");
    fireEvent.input(control("d"), { target: { value: "2026-12-01" } });
    next();
    await advanced();
    expect(p.state.savedPages[0].values).toEqual({ d: "2026-12-01" });
  });

  it("timestamp: saved with the chosen zone's offset, zone shown", async () => {
    const { p } = await wizardWith([{ key: "ts", label: "Go live", type: "timestamp", required: true }]);
    fireEvent.change(screen.getByLabelText("Time zone"), { target: { value: "Asia/Tokyo" } });
    fireEvent.input(control("ts"), { target: { value: "2026-12-01T09:30" } });
    expect(screen.getByText(/Time zone: Asia\/Tokyo \(UTC\+09:00\)/)).toBeTruthy();
    next();
    await advanced();
    expect(p.state.savedPages[0].values).toEqual({ ts: "2026-12-01T09:30:00+09:00" });
  });

  it("schedule: cron that cannot run is an error; a valid one shows the next 3 runs in its zone", async () => {
    const { p } = await wizardWith([{ key: "s", label: "When", type: "schedule", required: true }]);
    fireEvent.change(control("s"), { target: { value: "cron" } });
    const expr = screen.getByLabelText("Expression") as HTMLInputElement;
    fireEvent.input(expr, { target: { value: "61 * * * *" } });
    next();
    expect(await errorOf("s")).toMatch(/minute 61/);
    fireEvent.input(expr, { target: { value: "0 9 * * 1" } });
    fireEvent.change(screen.getByLabelText("Time zone"), { target: { value: "Europe/Berlin" } });
    expect(screen.getByText("Next runs").parentElement!.querySelectorAll("li")).toHaveLength(3);
    next();
    await advanced();
    expect(p.state.savedPages[0].values).toEqual({ s: { kind: "cron", expression: "0 9 * * 1", timeZone: "Europe/Berlin" } });
  });

  it("schedule: every N minutes", async () => {
    const { p } = await wizardWith([{ key: "s", label: "When", type: "schedule" }]);
    fireEvent.change(control("s"), { target: { value: "interval" } });
    fireEvent.input(screen.getByLabelText("Every"), { target: { value: "30" } });
    next();
    await advanced();
    expect(p.state.savedPages[0].values.s).toMatchObject({ kind: "interval", every: 30, unit: "minutes" });
  });

  it("value list: add, edit, remove; empty entries are errors", async () => {
    const { p } = await wizardWith([{ key: "tags", label: "Tags", type: "value-list", default: ["one"] }]);
    fireEvent.click(screen.getByRole("button", { name: "+ Add" }));
    next();
    expect(await errorOf("tags")).toBe("Entry 2 is empty.");
    fireEvent.input(screen.getByLabelText("Item 2"), { target: { value: "two" } });
    fireEvent.click(screen.getByRole("button", { name: "Remove one" }));
    next();
    await advanced();
    expect(p.state.savedPages[0].values).toEqual({ tags: ["two"] });
  });

  it("key-value list: a duplicate key is an error next to the field", async () => {
    await wizardWith([{ key: "headers", label: "Headers", type: "key-value-list" }]);
    fireEvent.click(screen.getByRole("button", { name: "+ Add" }));
    fireEvent.click(screen.getByRole("button", { name: "+ Add" }));
    fireEvent.input(screen.getByLabelText("Key 1"), { target: { value: "X-Team" } });
    fireEvent.input(screen.getByLabelText("Key 2"), { target: { value: "X-Team" } });
    next();
    expect(await errorOf("headers")).toBe('The key "X-Team" appears more than once.');
    expect(screen.getByLabelText("Key 2").getAttribute("aria-invalid")).toBe("true");
  });

  it("connection basic: masked password, autocomplete off, required secret", async () => {
    const { p } = await wizardWith([{ key: "c", label: "Login", type: "connection", required: true, connection: { kind: "basic", app: "Acme" } }]);
    const password = screen.getByLabelText("Password") as HTMLInputElement;
    expect(password.type).toBe("password");
    expect(password.getAttribute("autocomplete")).toBe("off");
    fireEvent.input(control("c"), { target: { value: "ann" } });
    next();
    expect(await errorOf("c")).toBe("Enter the Acme password.");
    fireEvent.input(password, { target: { value: "pw-1" } });
    next();
    await advanced();
    expect(p.state.savedPages[0].values).toEqual({ c: { kind: "basic", username: "ann", password: "pw-1" } });
  });

  it("errors are in the user's language", async () => {
    await wizardWith([{ key: "n", label: "Batch", type: "number", max: 10, required: true }], "de");
    fireEvent.input(control("n"), { target: { value: "11" } });
    next("Weiter");
    expect(await errorOf("n")).toBe("Geben Sie eine Zahl von höchstens 10 ein.");
  });
});
