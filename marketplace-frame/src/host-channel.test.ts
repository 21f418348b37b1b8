// @vitest-environment happy-dom
/**
 * The method map boot exposes at the handshake, when the chunk with the implementation cannot
 * load (kept apart from frame-methods.test.tsx: this file replaces that module).
 */
import { describe, expect, it, vi } from "vitest";
import { lazyFrameMethods } from "./host-channel.ts";

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
