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

describe("PlatformError and Error.stackTraceLimit", () => {
  it("a client error leaves the limit as it found it: a value someone else set, and after a message whose conversion throws", () => {
    const limit = Error.stackTraceLimit;
    try {
      Error.stackTraceLimit = 7;
      void new PlatformError(ApiErrorCode.NotFound, "No such webhook");
      expect(Error.stackTraceLimit).toBe(7);
      // A message whose conversion throws (a JavaScript caller's object): the limit is restored all the same.
      const throwing = { toString: () => { throw new TypeError("no text"); } } as unknown as string;
      expect(() => new PlatformError(ApiErrorCode.BadRequest, throwing)).toThrow("no text");
      expect(Error.stackTraceLimit).toBe(7);
      expect(new Error("a bug").stack?.split("\n").length).toBe(8);
    } finally {
      Error.stackTraceLimit = limit;
    }
  });

  it("where the engine has no limit to set (it is absent, as outside V8), a client error sets none (V8 would capture no stack at all past an undefined limit)", () => {
    const limit = Error.stackTraceLimit;
    try {
      delete (Error as { stackTraceLimit?: number }).stackTraceLimit;
      const refused = new PlatformError(ApiErrorCode.NotFound, "No such webhook");
      expect(Object.hasOwn(Error, "stackTraceLimit")).toBe(false);
      expect([refused.status, refused.message]).toEqual([404, "No such webhook"]);
    } finally {
      Error.stackTraceLimit = limit;
    }
  });
});
