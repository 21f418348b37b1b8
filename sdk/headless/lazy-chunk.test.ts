import { describe, expect, it, vi } from "vitest";
import { chunk, lazy } from "./lazy-chunk.ts";
import { invalid } from "./invalid-option.ts";

describe("a feature group in a chunk of its own", () => {
  it("loads once on the first call, and again after a failed load", async () => {
    const load = vi.fn().mockRejectedValueOnce(new Error("offline")).mockResolvedValue({ add: (a: number, b: number) => a + b });
    const group = lazy<{ add(a: number, b: number): Promise<number> }>(chunk(load), "add");
    expect(load).not.toHaveBeenCalled();
    // A chunk that cannot be fetched fails the call as a request that cannot leave does.
    await expect(group.add(1, 2)).rejects.toEqual(expect.objectContaining({ name: "EmporiumApiError", code: "NETWORK_ERROR", status: 0 }));
    await expect(group.add(1, 2)).resolves.toBe(3);
    await expect(group.add(2, 3)).resolves.toBe(5);
    expect(load).toHaveBeenCalledTimes(2);
  });
});

describe("INVALID_OPTION", () => {
  it.each([
    ["x", '"x"'],
    [null, "null"],
    [{ secret: "s" }, "object"],
    [() => "source", "function"],
  ])("received %s is told as %s", (received, told) => {
    expect(invalid("a thing", received)).toMatchObject({ code: "INVALID_OPTION", message: `expected a thing, received ${told}` });
  });
});
