// @vitest-environment happy-dom
/**
 * The code field: the textarea it starts as (and stays, when the editor's chunk cannot load) and
 * the editor's wiring once it has. Typing, markers, Tab and the CSP are checked in real Chromium
 * (tests/code-editor.test.ts).
 */
import { fireEvent, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ConfigVarDefinition } from "../../../contract/config-vars.ts";
import { fakePlatform, integration } from "../../test/fake-platform.ts";
import { renderFrame, setupFrameServer } from "../../test/harness.tsx";
import { editorChunk } from "./code.tsx";

const server = setupFrameServer();
const load = editorChunk.load;
afterEach(() => {
  editorChunk.load = load;
});

async function wizardWith(fields: ConfigVarDefinition[]) {
  const p = fakePlatform([integration({ id: "app", name: "App", configPages: [{ name: "one", title: "One", fields }, { name: "two", title: "Two", fields: [] }] })]);
  server.use(...p.handlers);
  const r = await renderFrame({ init: { screen: { name: "configure", integrationId: "app" } } });
  await screen.findByText("Step 1 of 2");
  return { ...r, p };
}
const json: ConfigVarDefinition = { key: "meta", label: "Metadata", type: "code", language: "json", description: "Sent with each payment.", default: '{"a": 1}' };

describe("code field", () => {
  it("when the editor's chunk fails to load, stays a labelled textarea that keeps what is typed, errors included", async () => {
    const failed = vi.fn(() => Promise.reject(new TypeError("Failed to fetch dynamically imported module")));
    editorChunk.load = failed as unknown as typeof load;
    const { p } = await wizardWith([json]);
    await waitFor(() => expect(document.querySelector("textarea[data-fallback]")).toBeTruthy());
    expect(failed).toHaveBeenCalledTimes(1);
    const area = screen.getByLabelText("Metadata") as HTMLTextAreaElement;
    expect(area.tagName).toBe("TEXTAREA");
    expect(area.getAttribute("aria-describedby")).toBe("em-field-meta-desc");
    fireEvent.input(area, { target: { value: '{"a": }' } });
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    await waitFor(() => expect(area.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById("em-field-meta-error")!.textContent).toBe("This is not valid JSON: unexpected character at line 1, column 7.");
    fireEvent.input(area, { target: { value: '{"a": 2}' } });
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    await screen.findByText("Step 2 of 2");
    expect(p.state.savedPages[0].values).toEqual({ meta: '{"a": 2}' });
  });

  it("once the editor has loaded, its editable element is the field: id, label, description, state", async () => {
    await wizardWith([{ ...json, required: true }]);
    const content = await waitFor(() => {
      const el = document.querySelector(".cm-content");
      expect(el).toBeTruthy();
      return el as HTMLElement;
    });
    await waitFor(() => expect(document.querySelector(".em-code textarea")).toBeNull());
    expect(content.id).toBe("em-field-meta");
    expect(content.getAttribute("role")).toBe("textbox");
    expect(content.getAttribute("aria-multiline")).toBe("true");
    expect(document.getElementById(content.getAttribute("aria-labelledby")!)!.textContent).toMatch(/^Metadata/);
    expect(content.getAttribute("aria-describedby")).toBe("em-field-meta-desc");
    expect(content.getAttribute("aria-required")).toBe("true");
    expect(content.getAttribute("aria-invalid")).toBe("false");
    expect(content.textContent).toBe('{"a": 1}');
  });
});
