/**
 * log-text.ts against what a client controls: a request path in any form it can send one, and
 * errors whose message or stack do not read as V8 writes them. Every platform secret (a webhook
 * token, an OAuth state or code) is newSecretToken's 43 characters.
 */
import { describe, expect, it } from "vitest";
import { newSecretToken } from "./ids.ts";
import { logFailure, logId, logPath, logReason } from "./log-text.ts";

/** A secret of newSecretToken's shape (43 base64url characters), fixed so that every run sees the same. */
const token = "P9tokenCanary_0123456789-abcdefghijKLMNOPQR";

describe("P9 a log line says nothing a client sent that could be a secret, in any form it can send it, and its helpers never throw", () => {
  it("the canary has the shape of every secret the platform makes", () => {
    expect(token.length).toBe(newSecretToken().length);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  describe("logPath", () => {
    it.each([
      ["a webhook's path", `/api/v1/webhooks/${token}`],
      ["an absolute-form request target", `http://platform.test:4100/api/v1/webhooks/${token}`],
      ["a doubled slash before the token", `/api/v1/webhooks//${token}`],
      ["a capitalised route word", `/api/v1/WEBHOOKS/${token}`],
      ["a percent-encoded token", `/api/v1/webhooks/${encodeURIComponent(token).replace(/[A-Za-z]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)}`],
      ["a token behind a trailing segment", `/api/v1/webhooks/${token}/again`],
      ["a token after a semicolon", `/api/v1/webhooks/x;${token}`],
      ["an OAuth status path", `/api/v1/connections/oauth/${token}`],
      ["a token in the query or fragment", `/api/v1/oauth/callback?code=${token}#${token}`],
      ["a token in an authority-form target (CONNECT)", `${token}:443`],
    ])("never shows a secret in %s", (_, path) => {
      const shown = logPath(path);
      expect(shown).not.toContain(token);
      expect(shown).not.toContain(token.slice(0, 16));
    });

    it("keeps route words and ids, and names what it hides by a stable hash", () => {
      expect(logPath("/api/v1/instances/ins_0123456789abcdefghij/flows")).toBe("/api/v1/instances/ins_0123456789abcdefghij/flows");
      expect(logPath(`/api/v1/webhooks/${token}`)).toBe(logPath(`http://elsewhere.test/api/v1/webhooks/${token}?a=1`));
      expect(logPath(`/api/v1/webhooks/${token}`)).toMatch(/^\/api\/v1\/webhooks\/#[0-9a-f]{8}$/);
    });

    it("takes any string without throwing: lone surrogates, NUL, control characters, and a path of 16 KiB (Node's header limit) in 8,192 segments", () => {
      for (const odd of ["/\uD800/\uDFFF", "/a\u0000b/\u001b[31m", "/%", "/%E0%A4%A", "", "?", "#", "://", "http://"]) expect(() => logPath(odd)).not.toThrow();
      const long = "/a".repeat(8192);
      expect(logPath(long)).toBe(long);
      // Control characters never reach the line as they are (a forged log line, terminal escapes).
      expect(logPath("/a\nb/\u001b[31m")).not.toMatch(/[\n\u001b]/);
    });
  });

  describe("logId", () => {
    it("shows a platform id, and hides a secret whatever its characters", () => {
      expect(logId("exe_0p9cut000000000000")).toBe("exe_0p9cut000000000000");
      for (const secret of [token, `at_${token}`, "a b", "sk_live_0123456789012345678901234567"]) expect(logId(secret)).toMatch(/^#[0-9a-f]{8}$/);
    });
  });

  describe("logFailure and logReason", () => {
    it("an error whose message was changed after its stack was written gives no frames, not the old message's lines", () => {
      const error = new TypeError(`"ok\n    at ${token}" is an invalid header value.`);
      void error.stack; // written now, with this message
      error.message = "";
      expect(logFailure(error)).not.toContain(token);
      expect(logFailure(error)).toBe("TypeError (its message is not logged: it may quote a value)");
    });

    it("a value that is not an Error is named by its type alone", () => {
      expect([logReason(token), logReason(null), logReason({ secret: token }), logReason(undefined)]).toEqual(["a thrown string", "a thrown null", "a thrown object", "a thrown undefined"]);
    });
  });
});
