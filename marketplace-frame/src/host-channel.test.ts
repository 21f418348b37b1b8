// @vitest-environment happy-dom
/**
 * The method map boot exposes at the handshake, when the chunk with the implementation cannot
 * load (kept apart from frame-methods.test.tsx: this file replaces that module).
 */
import { describe, expect, it, vi } from "vitest";
import { EmporiumError } from "../../contract/emporium-error.ts";
import { lazyFrameMethods, openHostChannel } from "./host-channel.ts";

vi.mock("./frame-methods.ts", () => ({
  createFrameMethods: () => {
    throw new Error("Failed to fetch dynamically imported module: https://platform.example/frame/assets/frame-methods-abc.js");
  },
}));

describe("lazy frame methods", () => {
  it("C9 when the methods' chunk cannot load, every method answers INTERNAL with a fixed message: no stack, no URL", async () => {
    const methods = lazyFrameMethods(() => undefined);
    const answers = await Promise.all([methods.setTheme({ mode: "dark" }), methods.setLocale("fr"), methods.setConfigVars({}), methods.setFilters({}), methods.navigate({ name: "marketplace" })]);
    for (const answer of answers) expect(answer).toEqual({ ok: false, error: { code: "INTERNAL", message: "The marketplace could not apply this change" } });
  });
});

describe("the host channel", () => {
  it("C2 the frame's channel pins the parent it was given: * and RegExp origins are refused before anything is posted", () => {
    // The SDK's origin is `new URL(frameUrl).origin`, exact by construction; the frame checks the
    // `parent` URL parameter here (host-channel.ts), as the messenger is built.
    const post = vi.spyOn(window, "postMessage");
    for (const bad of ["*", /.*/, "https://host.example/"]) {
      expect(() => openHostChannel(window, { org: "demo", parent: bad as string, channel: "c1", v: "1" })).toThrow(EmporiumError);
    }
    expect(post).not.toHaveBeenCalled();
  });

  it("C2 the frame posts its SYN to the parent pinned to its exact origin, without reading the parent's location (a cross-origin read throws: ~1 ms of a fresh frame's boot)", () => {
    const posted: [unknown, string][] = [];
    const locationRead = vi.fn();
    const parent = {
      postMessage: (message: unknown, origin: string) => void posted.push([message, origin]),
      get location() {
        locationRead();
        throw new DOMException("Blocked a frame from accessing a cross-origin frame", "SecurityError");
      },
    };
    const frameWindow = Object.create(window, { parent: { value: parent } }) as Window;
    const channel = openHostChannel(frameWindow, { org: "demo", parent: "https://host.example", channel: "c1", v: "1" });
    try {
      expect(posted).toHaveLength(1);
      expect(posted[0]![0]).toMatchObject({ type: "SYN", channel: "c1" });
      expect(posted[0]![1]).toBe("https://host.example");
      expect(locationRead).not.toHaveBeenCalled();
    } finally {
      channel.destroy();
    }
  });
});
