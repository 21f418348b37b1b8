import { describe, expect, it } from "vitest";
import { ApiErrorCode, PlatformError } from "./errors.ts";

function throwsFault(): never {
  throw new PlatformError(ApiErrorCode.ServerError, "the store is gone");
}

describe("PlatformError", () => {
  it("a client error (4xx) is an answer: its code, status and message, with no stack frames captured", () => {
    const refused = new PlatformError(ApiErrorCode.RateLimited, "Too many calls", { retryAfterSeconds: 3 });
    expect(refused).toBeInstanceOf(Error);
    expect([refused.code, refused.status, refused.message, refused.retryAfterSeconds]).toEqual(["RATE_LIMITED", 429, "Too many calls", 3]);
    expect(refused.stack).toBe("PlatformError: Too many calls");
  });

  it("a fault (5xx) keeps its stack, naming where it was thrown", () => {
    let fault: unknown;
    try {
      throwsFault();
    } catch (error) {
      fault = error;
    }
    expect(fault).toBeInstanceOf(PlatformError);
    expect((fault as PlatformError).status).toBe(500);
    expect((fault as PlatformError).stack).toContain("throwsFault");
  });

  it("errors made after a client error still get their full stack", () => {
    const limit = Error.stackTraceLimit;
    void new PlatformError(ApiErrorCode.NotFound, "No such webhook");
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error("a bug").stack?.split("\n").length).toBeGreaterThan(1);
  });
});
