/**
 * Importing `emporium/headless` builds no zod schema: a custom UI's page evaluates the entry before
 * its first request, and building the contract's ~450 instance schemas there was most of the
 * import (docs/performance.md, "The headless entry builds no schema at import"). The instance
 * functions and their schemas are a chunk loaded on the first call of one of them (client.ts), the
 * marketplace list's schemas are built on first use (contract/on-first-use.ts). Every schema
 * factory of zod/mini is counted, so a schema module the entry imports statically again fails here.
 */
import { describe, expect, it, vi } from "vitest";

const built = vi.hoisted(() => ({ count: 0 }));

vi.mock("zod/mini", async (importOriginal) => (await import("../../tests/count-zod-schemas.ts")).countingZod(await importOriginal(), built));

/** A JWT-shaped token: nothing reaches a platform, so it is never verified. */
const unsigned = `${btoa(JSON.stringify({ alg: "ES256" }))}.${btoa(JSON.stringify({ exp: 9_999_999_999 }))}.c2ln`.replaceAll("=", "");

describe("the headless entry's schemas", () => {
  it("none is built when the entry is imported or a client created; the instance ones with the first instance call", async () => {
    const { createClient } = await import("./index.ts");
    const requests: string[] = [];
    const client = createClient({
      platformUrl: "https://platform.example",
      getToken: async () => unsigned,
      fetch: async (input) => {
        requests.push(new Request(input).url);
        return new Response(JSON.stringify({ error: { code: "NOT_FOUND", message: "no such instance" } }), { status: 404, headers: { "Content-Type": "application/json" } });
      },
    });
    expect(built.count).toBe(0);

    // The first instance call loads its chunk, which builds the instance schemas, then asks.
    await expect(client.getInstance("ins_1")).rejects.toMatchObject({ code: "NOT_FOUND", status: 404 });
    expect(requests).toEqual(["https://platform.example/api/v1/instances/ins_1"]);
    expect(built.count).toBeGreaterThan(100);
  });
});
