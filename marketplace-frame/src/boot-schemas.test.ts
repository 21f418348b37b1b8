// @vitest-environment happy-dom
/**
 * The frame's first route builds no zod schema while its modules are evaluated: that evaluation
 * is on the path to the catalog request, and building the contract's schemas was ~40 % of it
 * (docs/performance.md, "Schemas built on first use"). Each is built on its first use
 * (contract/on-first-use.ts). Every schema factory of zod/mini is counted here, so a schema
 * written at a module's top level again anywhere in the first route fails this test.
 */
import { describe, expect, it, vi } from "vitest";

const built = vi.hoisted(() => ({ count: 0 }));

vi.mock("zod/mini", async (importOriginal) => (await import("../../tests/count-zod-schemas.ts")).countingZod(await importOriginal(), built));

describe("the first route's schemas", () => {
  it("are built on first use, not when the frame's modules are evaluated", async () => {
    // main.tsx imports exactly these two (and the channel, zod's config and the stylesheet),
    // and through them every module of the first route.
    await import("./boot.ts");
    await import("./app.tsx");
    expect(built.count).toBe(0);

    const { frameInit } = await import("../../contract/protocol.ts");
    const { integrationList, session, apiError } = await import("../../contract/api-marketplace.ts");
    expect(built.count).toBe(0);
    const schema = frameInit();
    expect(built.count).toBeGreaterThan(0); // the counter sees zod's factories
    const afterFirst = built.count;
    expect(frameInit()).toBe(schema); // one instance, built once
    expect(built.count).toBe(afterFirst);
    for (const accessor of [integrationList, session, apiError]) expect(accessor()).toBe(accessor());
  });

  it("check what they checked when they were built at import", async () => {
    const { frameInit } = await import("../../contract/protocol.ts");
    const { integrationList } = await import("../../contract/api-marketplace.ts");
    expect(frameInit().safeParse({ screen: { name: "marketplace" }, closable: false }).success).toBe(true);
    const bad = frameInit().safeParse({ screen: { name: "marketplace" }, closable: false, filters: { label: "x".repeat(51) } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["filters", "label"]);
    expect(integrationList().safeParse({ integrations: [{ id: "x" }], categories: [], labels: [] }).success).toBe(false);
  });
});
