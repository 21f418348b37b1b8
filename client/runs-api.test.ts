import { describe, expect, it } from "vitest";
import { readTestPayload } from "./runs-api.ts";
import { TEST_PAYLOAD_MAX_CHARS } from "../contract/api.ts";

describe("readTestPayload: the one check of a payload typed as text", () => {
  it("reads any JSON value", () => {
    expect(readTestPayload('{ "message": "Hi" }')).toEqual({ ok: true, value: { message: "Hi" } });
    expect(readTestPayload("[1, 2]")).toEqual({ ok: true, value: [1, 2] });
    expect(readTestPayload("null")).toEqual({ ok: true, value: null });
  });

  it("says when the text is not JSON, or its JSON is longer than the platform takes", () => {
    expect(readTestPayload('{ "message": ')).toEqual({ ok: false, problem: "not-json" });
    expect(readTestPayload("")).toEqual({ ok: false, problem: "not-json" });
    const big = JSON.stringify({ note: "x".repeat(TEST_PAYLOAD_MAX_CHARS) });
    expect(readTestPayload(big)).toEqual({ ok: false, problem: "too-large", size: big.length });
    // Whitespace does not count: what is sent is the value's JSON.
    expect(readTestPayload(`{ "note": "x" }${" ".repeat(TEST_PAYLOAD_MAX_CHARS)}`)).toMatchObject({ ok: true });
  });
});
