// @vitest-environment happy-dom
import { fireEvent, screen, waitFor } from "@testing-library/preact";
import { options, type VNode } from "preact";
import { describe, expect, it } from "vitest";
import { fakePlatform, integration } from "../test/fake-platform.ts";
import { renderFrame, setupFrameServer } from "../test/harness.tsx";

const server = setupFrameServer();

const FIELDS = 50;

/** Counts component renders by name through Preact's `diffed` option hook. */
function countRenders() {
  const counts = new Map<string, number>();
  const previous = options.diffed;
  options.diffed = (vnode: VNode) => {
    if (typeof vnode.type === "function") {
      const name = (vnode.type as { name?: string }).name || "anonymous";
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    previous?.(vnode);
  };
  return { counts, stop: () => void (options.diffed = previous) };
}

describe("wizard rendering", () => {
  it("a keystroke in one field of a large page re-renders that field only", async () => {
    const fields = Array.from({ length: FIELDS }, (_, i) => ({ key: `f${i}`, label: `Field ${i}`, type: "string" as const }));
    server.use(...fakePlatform([integration({ id: "big", name: "Big", configPages: [{ name: "p", title: "P", fields }] })]).handlers);
    const { frame, host } = await renderFrame({ init: { screen: { name: "configure", integrationId: "big" } } });
    const box = (await screen.findByLabelText("Field 7")) as HTMLInputElement;
    // Settled: the catalog and the session are in and `ready` has gone out, so nothing but the
    // keystroke renders while renders are counted (a fixed pause would race a loaded machine).
    await waitFor(() => {
      expect(frame.catalog.status.value).toBe("ready");
      expect(frame.session.session.value).toBeDefined();
      expect(host.of("ready")).toHaveLength(1);
    });

    const { counts, stop } = countRenders();
    try {
      // fireEvent runs in act(): the renders it causes are flushed when it returns.
      fireEvent.input(box, { target: { value: "x" } });
    } finally {
      stop();
    }
    expect(box.value).toBe("x");
    expect(counts.get("WizardPage") ?? 0).toBe(0);
    expect(counts.get("FieldSlot")).toBe(1);
    expect(counts.get("Field")).toBe(1);
    expect(counts.get("StringField")).toBe(1);
  });

  it("a long page shows every field once and in order, in groups of at most 20 the browser may skip off-screen", async () => {
    const fields = Array.from({ length: FIELDS }, (_, i) => ({ key: `f${i}`, label: `Field ${i}`, type: "string" as const }));
    server.use(...fakePlatform([integration({ id: "big", name: "Big", configPages: [{ name: "p", title: "P", fields }] })]).handlers);
    await renderFrame({ init: { screen: { name: "configure", integrationId: "big" } } });
    await screen.findByLabelText("Field 49");
    const ids = [...document.querySelectorAll<HTMLInputElement>("input.em-input")].map((i) => i.id);
    expect(ids).toEqual(fields.map((f) => `em-field-${f.key}`));
    const groups = [...document.querySelectorAll<HTMLElement>(".em-field-group")];
    expect(groups.map((g) => g.querySelectorAll("input.em-input").length)).toEqual([20, 20, 10]);
    // The placeholder height of a skipped group follows its field count.
    expect(groups.map((g) => g.style.getPropertyValue("--em-group-fields"))).toEqual(["20", "20", "10"]);
  });
});
