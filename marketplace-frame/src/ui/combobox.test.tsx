// @vitest-environment happy-dom
/**
 * The searchable combobox (ARIA 1.2 pattern) on its own, with the time zones it was built for:
 * wiring, typing to search, every key, mouse, and a search that finds nothing.
 */
import { cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { useState } from "preact/hooks";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { FrameContext } from "../context.ts";
import { createFrame } from "../frame.ts";
import { loadScreenPhrases } from "../i18n/locales.ts";
import { fakeHost, fakeJwt } from "../../test/harness.tsx";
import { ORIGIN } from "../../test/fake-platform.ts";
import { Combobox, searchOptions, type ComboboxOption } from "./combobox.tsx";

const zones: ComboboxOption[] = ["UTC", "Africa/Abidjan", "America/Argentina/Buenos_Aires", "America/New_York", "Asia/Kolkata", "Atlantic/Bermuda", "Europe/Berlin", "Europe/Paris"].map(
  (z) => ({ value: z, label: z.replace(/_/g, " "), keywords: `${z} ${z === "Asia/Kolkata" ? "UTC+05:30" : ""}` }),
);

beforeAll(() => loadScreenPhrases());
afterEach(cleanup);

function Harness(props: { initial?: string; options?: ComboboxOption[] | (() => ComboboxOption[]); readOnly?: boolean; onChange?: (v: string) => void }) {
  const [value, setValue] = useState(props.initial);
  return (
    <>
      <label id="tz-label">Time zone</label>
      <Combobox
        id="tz"
        options={props.options ?? zones}
        value={value}
        label="Time zone"
        aria-labelledby="tz-label"
        emptyText="No time zone matches."
        readOnly={props.readOnly}
        onChange={(v) => {
          props.onChange?.(v);
          setValue(v);
        }}
      />
      <button type="button">after</button>
    </>
  );
}

function mount(props: Parameters<typeof Harness>[0] = {}) {
  const frame = createFrame({ host: fakeHost(), init: { screen: { name: "marketplace" }, closable: false, autoHeight: false }, origin: ORIGIN, token: fakeJwt() });
  render(
    <FrameContext.Provider value={frame}>
      <Harness {...props} />
    </FrameContext.Provider>,
  );
  const input = screen.getByRole("combobox", { name: "Time zone" }) as HTMLInputElement;
  const list = document.getElementById(input.getAttribute("aria-controls")!)!;
  const active = () => {
    const id = input.getAttribute("aria-activedescendant");
    return id ? document.getElementById(id)!.textContent : undefined;
  };
  const options = () => [...list.querySelectorAll("[role=option]")].map((o) => o.textContent);
  const key = (k: string, init: KeyboardEventInit = {}) => fireEvent.keyDown(input, { key: k, ...init });
  const status = () => document.querySelector(".em-combobox [role=status]")!.textContent;
  return { input, list, active, options, key, status };
}

describe("searchOptions", () => {
  it('offers Europe/Berlin first for "Ber" (a word start ranks before a match inside a word), by label, aliases and offset', () => {
    expect(searchOptions(zones, "Ber").map((o) => o.value)).toEqual(["Europe/Berlin", "Atlantic/Bermuda"]);
    expect(searchOptions(zones, "new york").map((o) => o.value)).toEqual(["America/New_York"]);
    expect(searchOptions(zones, "new_york").map((o) => o.value)).toEqual(["America/New_York"]);
    expect(searchOptions(zones, "+05:30").map((o) => o.value)).toEqual(["Asia/Kolkata"]);
    expect(searchOptions(zones, "  ")).toHaveLength(zones.length);
    expect(searchOptions(zones, "zzz")).toEqual([]);
  });
});

describe("combobox", () => {
  it("is an ARIA 1.2 combobox: an input with a listbox popup it controls, named by the field's label", () => {
    const { input, list } = mount({ initial: "Europe/Paris" });
    expect(input.getAttribute("aria-expanded")).toBe("false");
    expect(input.getAttribute("aria-autocomplete")).toBe("list");
    expect(list.getAttribute("role")).toBe("listbox");
    expect(list.getAttribute("aria-labelledby")).toBe("tz-label");
    expect(list.hidden).toBe(true);
    expect(input.value).toBe("Europe/Paris");
  });

  it('typing "Ber" opens the list on Europe/Berlin, says how many match, and Enter chooses it', () => {
    const onChange = vi.fn();
    const { input, list, active, options, key, status } = mount({ initial: "UTC", onChange });
    fireEvent.input(input, { target: { value: "Ber" } });
    expect(input.getAttribute("aria-expanded")).toBe("true");
    expect(list.hidden).toBe(false);
    expect(options()).toEqual(["Europe/Berlin", "Atlantic/Bermuda"]);
    expect(active()).toBe("Europe/Berlin");
    expect(status()).toBe("2 results");
    key("Enter");
    expect(onChange).toHaveBeenCalledWith("Europe/Berlin");
    expect(input.value).toBe("Europe/Berlin");
    expect(input.getAttribute("aria-expanded")).toBe("false");
    expect(input.hasAttribute("aria-activedescendant")).toBe(false);
  });

  it("↓ opens on the chosen option, ↓/↑/Home/End move, Esc closes and a second Esc puts the chosen text back", () => {
    const onChange = vi.fn();
    const { input, active, key } = mount({ initial: "Asia/Kolkata", onChange });
    key("ArrowDown");
    expect(input.getAttribute("aria-expanded")).toBe("true");
    expect(active()).toBe("Asia/Kolkata");
    key("ArrowDown");
    expect(active()).toBe("Atlantic/Bermuda");
    key("ArrowUp");
    key("ArrowUp");
    expect(active()).toBe("America/New York");
    key("End");
    expect(active()).toBe("Europe/Paris");
    key("ArrowDown"); // stays on the last
    expect(active()).toBe("Europe/Paris");
    key("Home");
    expect(active()).toBe("UTC");
    // Esc is the combobox's: it is handled (the popover around the frame stays open).
    // (fireEvent answers false when a handler prevented the default.)
    expect(fireEvent.keyDown(input, { key: "Escape" })).toBe(false);
    expect(input.getAttribute("aria-expanded")).toBe("false");
    fireEvent.input(input, { target: { value: "par" } });
    key("Escape");
    expect(input.value).toBe("par");
    key("Escape");
    expect(input.value).toBe("Asia/Kolkata");
    expect(onChange).not.toHaveBeenCalled();
  });

  it("Alt+↓ opens without choosing an option; ↑ on a closed list opens on the last", () => {
    const { input, active, key } = mount();
    key("ArrowDown", { altKey: true });
    expect(input.getAttribute("aria-expanded")).toBe("true");
    expect(active()).toBeUndefined();
    key("Escape");
    key("ArrowUp");
    expect(active()).toBe("Europe/Paris");
  });

  it("a search that matches nothing says so and chooses nothing; leaving puts the chosen value's text back", () => {
    const onChange = vi.fn();
    const { input, options, key, status } = mount({ initial: "UTC", onChange });
    fireEvent.input(input, { target: { value: "Atlantis" } });
    expect(options()).toEqual([]);
    expect(status()).toBe("No time zone matches.");
    key("Enter");
    fireEvent.blur(input);
    expect(input.value).toBe("UTC");
    expect(input.getAttribute("aria-expanded")).toBe("false");
    expect(onChange).not.toHaveBeenCalled();
  });

  it("a click opens the list and a click on an option chooses it, keeping focus in the input", () => {
    const onChange = vi.fn();
    const { input, list, key } = mount({ onChange });
    fireEvent.click(input);
    expect(input.getAttribute("aria-expanded")).toBe("true");
    const paris = [...list.querySelectorAll("[role=option]")].find((o) => o.textContent === "Europe/Paris")!;
    expect(fireEvent.mouseDown(paris)).toBe(false);
    fireEvent.click(paris);
    expect(onChange).toHaveBeenCalledWith("Europe/Paris");
    expect(input.value).toBe("Europe/Paris");
    // The chosen option is marked as selected when the list opens again.
    key("ArrowDown");
    expect(list.querySelector("[aria-selected=true]")!.textContent).toBe("Europe/Paris");
  });

  it("options given as a function are made only when the list first opens", () => {
    const make = vi.fn(() => zones);
    const { input, key, active } = mount({ initial: "Europe/Berlin", options: make });
    expect(make).not.toHaveBeenCalled();
    expect(input.value).toBe("Europe/Berlin");
    key("ArrowDown");
    expect(make).toHaveBeenCalledTimes(1);
    expect(active()).toBe("Europe/Berlin");
    key("ArrowDown");
    key("Escape");
    key("ArrowDown");
    expect(make).toHaveBeenCalledTimes(1);
  });

  it("read-only: shows the value and never opens", () => {
    const onChange = vi.fn();
    const { input, key } = mount({ initial: "UTC", readOnly: true, onChange });
    expect(input.readOnly).toBe(true);
    key("ArrowDown");
    fireEvent.click(input);
    expect(input.getAttribute("aria-expanded")).toBe("false");
    expect(onChange).not.toHaveBeenCalled();
  });
});
