// @vitest-environment happy-dom
/**
 * Every field type: its control, and its error next to it after a blocked Next. Each case is
 * a one-page wizard on the fake platform, so the rules are the shared contract ones.
 */
import { fireEvent, screen, waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConfigVarDefinition } from "../../../contract/config-vars.ts";
import { fakePlatform, integration } from "../../test/fake-platform.ts";
import { renderFrame, setupFrameServer } from "../../test/harness.tsx";
import { editorChunk } from "./code.tsx";

const server = setupFrameServer();
// These tests are about values and their checks: code fields stay the textarea they start as
// (the editor, which replaces it once its chunk loads, has tests of its own in code.test.tsx).
const loadEditor = editorChunk.load;
beforeEach(() => void (editorChunk.load = () => new Promise(() => {})));
afterEach(() => void (editorChunk.load = loadEditor));

async function wizardWith(fields: ConfigVarDefinition[], locale?: string) {
  const p = fakePlatform([
    integration({ id: "app", name: "App", configPages: [{ name: "one", title: "One", fields }, { name: "two", title: "Two", fields: [] }] }),
  ]);
  server.use(...p.handlers);
  const r = await renderFrame({ init: { screen: { name: "configure", integrationId: "app" }, locale } });
  await screen.findByText({ de: "Schritt 1 von 2", fr: "Étape 1 sur 2" }[locale ?? ""] ?? "Step 1 of 2");
  return { ...r, p };
}
const next = (name = "Next") => fireEvent.click(screen.getByRole("button", { name }));
const control = (key: string) => document.getElementById(`em-field-${key}`) as HTMLInputElement;
const errorOf = async (key: string) => {
  await waitFor(() => expect(control(key).getAttribute("aria-invalid")).toBe("true"));
  return document.getElementById(`em-field-${key}-error`)!.textContent;
};
const advanced = () => screen.findByText("Step 2 of 2");
/**
 * Types each refused value into `key` and reads its error (Next first shows the errors; after
 * that they follow the typing), then types `accepted` and moves on to page 2 with Next.
 */
async function expectRefusedThenAccepted(key: string, refused: readonly (readonly [value: string, error: string])[], accepted: string) {
  for (const [i, [value, error]] of refused.entries()) {
    fireEvent.input(control(key), { target: { value } });
    if (i === 0) next();
    expect(await errorOf(key)).toBe(error);
  }
  fireEvent.input(control(key), { target: { value: accepted } });
  next();
  await advanced();
}
/** Chooses a time zone the way a keyboard user does: type part of it, Enter takes the best match. */
const chooseZone = (typed: string) => {
  const box = screen.getByRole("combobox", { name: "Time zone" });
  fireEvent.input(box, { target: { value: typed } });
  fireEvent.keyDown(box, { key: "Enter" });
};

describe("field types", () => {
  it("string: length and pattern", async () => {
    await wizardWith([{ key: "code", label: "Code", type: "string", minLength: 3, pattern: "[A-Z]+", patternHint: "Use capital letters only." }]);
    await expectRefusedThenAccepted("code", [["AB", "Enter at least 3 characters."], ["abc", "Use capital letters only."]], "ABC");
  });

  it("number: min, max and not-a-number; saved as a number", async () => {
    const { p } = await wizardWith([{ key: "n", label: "Batch", type: "number", min: 1, max: 100 }]);
    await expectRefusedThenAccepted("n", [["500", "Must be at most 100."], ["abc", "Enter a number."]], "42");
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
    chooseZone("Tokyo");
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
    chooseZone("Ber");
    expect((screen.getByRole("combobox", { name: "Time zone" }) as HTMLInputElement).value).toBe("Europe/Berlin");
    const runs = screen.getByRole("list", { name: "Next runs" }).querySelectorAll("li");
    expect(runs).toHaveLength(3);
    // In the user's language and the schedule's zone, not raw ISO strings: "Mon, Dec 7, 2026, 09:00 AM GMT+1".
    for (const run of runs) expect(run.querySelector("time")!.textContent).toMatch(/^Mon, [A-Z][a-z]{2} \d{1,2}, \d{4}, 09:00 AM GMT\+[12]$/);
    next();
    await advanced();
    expect(p.state.savedPages[0].values).toEqual({ s: { kind: "cron", expression: "0 9 * * 1", timeZone: "Europe/Berlin" } });
  });

  it("schedule: the next runs show the user's own time too when the schedule's zone is another one", async () => {
    const userZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    await wizardWith([{ key: "s", label: "When", type: "schedule", default: { kind: "daily", time: "09:00", timeZone: userZone } }], "de");
    const runs = () => [...screen.getByRole("list", { name: "Nächste Ausführungen" }).querySelectorAll("li")];
    // The user's zone: one time each, as the user reads it.
    expect(runs().map((r) => r.textContent)).toEqual(runs().map((r) => r.querySelector("time")!.textContent));
    expect(runs()[0].textContent).toMatch(/09:00/);
    // UTC+14, no one's local zone here: each run also says when that is for the user.
    fireEvent.input(screen.getByRole("combobox", { name: "Zeitzone" }), { target: { value: "Kiritimati" } });
    fireEvent.keyDown(screen.getByRole("combobox", { name: "Zeitzone" }), { key: "Enter" });
    const local = new Intl.DateTimeFormat("de", { weekday: "short", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
    expect(runs()).toHaveLength(3);
    for (const run of runs()) {
      const at = Date.parse(run.querySelector("time")!.getAttribute("datetime")!);
      expect(run.querySelector("time")!.textContent).toMatch(/09:00/);
      expect(run.textContent).toContain(`· ${local.format(at)} bei Ihnen`);
    }
  });

  it("schedule: every N minutes", async () => {
    const { p } = await wizardWith([{ key: "s", label: "When", type: "schedule" }]);
    fireEvent.change(control("s"), { target: { value: "interval" } });
    fireEvent.input(screen.getByLabelText("Every"), { target: { value: "30" } });
    next();
    await advanced();
    expect(p.state.savedPages[0].values.s).toMatchObject({ kind: "interval", every: 30, unit: "minutes" });
  });

  it("schedule: an interval of 0 or below is a field error (the shared rule), in the user's language", async () => {
    const { p } = await wizardWith([{ key: "s", label: "When", type: "schedule" }], "de");
    fireEvent.change(control("s"), { target: { value: "interval" } });
    fireEvent.input(screen.getByLabelText("Alle"), { target: { value: "0" } });
    next("Weiter");
    expect(await errorOf("s")).toBe("Geben Sie ein Intervall von mindestens 1 ein.");
    // No next runs for an interval that cannot run (and no crash dividing by zero).
    expect(screen.getByText("Keine anstehenden Ausführungen.")).toBeTruthy();
    fireEvent.input(screen.getByLabelText("Alle"), { target: { value: "-5" } });
    expect(await errorOf("s")).toBe("Geben Sie ein Intervall von mindestens 1 ein.");
    fireEvent.input(screen.getByLabelText("Alle"), { target: { value: "5" } });
    await waitFor(() => expect(control("s").getAttribute("aria-invalid")).toBe("false"));
    next("Weiter");
    await screen.findByText("Schritt 2 von 2");
    expect(p.state.savedPages[0].values.s).toMatchObject({ kind: "interval", every: 5 });
  });

  it("JSON code: the error names the line and column, never the typed text, in the user's language", async () => {
    await wizardWith([{ key: "j", label: "Meta", type: "code", language: "json" }], "fr");
    fireEvent.input(control("j"), { target: { value: '{\n  "key": hunter2\n}' } });
    next("Suivant");
    const message = await errorOf("j");
    expect(message).toBe("Ce n'est pas du JSON valide : caractère inattendu ligne 2, colonne 10.");
  });

  it("descriptions render their markdown; T1 a javascript: link in a field description stays inert text", async () => {
    await wizardWith([
      {
        key: "k",
        label: "Key",
        type: "string",
        description: "Use the `sk_live_` key from [the dashboard](https://example.com/keys), not [this](javascript:alert(1)) or [that](java&#115;cript:alert(1)).",
      },
    ]);
    const help = document.getElementById("em-field-k-desc")!;
    expect(help.querySelector("code")!.textContent).toBe("sk_live_");
    expect(help.textContent).not.toContain("`");
    const links = [...help.querySelectorAll("a")];
    expect(links.map((a) => a.getAttribute("href"))).toEqual(["https://example.com/keys"]);
    expect(links[0].getAttribute("rel")).toBe("noopener noreferrer");
    expect(help.innerHTML).not.toMatch(/javascript|java&amp;#115;cript/i);
    expect(help.textContent).toContain("this");
    // The control is still described by the whole help text.
    expect(control("k").getAttribute("aria-describedby")).toBe("em-field-k-desc");
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
