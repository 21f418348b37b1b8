/**
 * The one token keeper on its own. Through the clients: the frame's API client in
 * call.test.ts (A7), the headless client in sdk/headless/client.test.ts (lazy
 * first getToken, 30 s deadline, no echo, against the real platform).
 */
import { describe, expect, it, vi } from "vitest";
import { createTokenKeeper, tokenTiming } from "./token.ts";

const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
/** A compact JWT (unsigned: the keeper only reads its timing) expiring `exp` seconds from now. */
const jwt = (exp: number, claims: Record<string, unknown> = {}) =>
  `${b64({ alg: "RS256", typ: "JWT" })}.${b64({ sub: "u1", exp: Math.floor(Date.now() / 1000) + exp, ...claims })}.sig`;

describe("token keeper", () => {
  it("reads exp from the JWT payload for timing only", () => {
    const exp = tokenTiming(jwt(120))?.exp;
    expect(exp).toBeGreaterThan(Date.now() + 100_000);
    expect(tokenTiming("not-a-jwt")).toBeUndefined();
  });

  it("refreshes proactively shortly before exp", async () => {
    vi.useFakeTimers();
    try {
      const getToken = vi.fn(async () => jwt(3600, { n: 1 }));
      const keeper = createTokenKeeper({ getToken, refreshAhead: true });
      keeper.set(jwt(120));
      await vi.advanceTimersByTimeAsync(30_000);
      expect(getToken).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(40_000);
      expect(getToken).toHaveBeenCalledTimes(1);
      keeper.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it("without refreshAhead keeps no timer: a token near exp is replaced when a request asks for it", async () => {
    vi.useFakeTimers();
    try {
      const fresh = jwt(3600, { n: 1 });
      const getToken = vi.fn(async () => fresh);
      const keeper = createTokenKeeper({ getToken });
      keeper.set(jwt(120));
      await vi.advanceTimersByTimeAsync(70_000);
      expect(getToken).not.toHaveBeenCalled();
      expect(vi.getTimerCount()).toBe(0);
      expect(await keeper.current()).toBe(fresh);
      expect(getToken).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a token that lives a minute or less (iat known) is used 5 s before it is replaced, not on every request", async () => {
    const issued = Math.floor(Date.now() / 1000) * 1000;
    let now = issued + 3_000;
    const short = jwt(60, { iat: issued / 1000 });
    const getToken = vi.fn(async () => jwt(3600, { n: 1 }));
    const keeper = createTokenKeeper({ getToken, now: () => now });
    keeper.set(short);
    expect(await keeper.current()).toBe(short);
    now = issued + 6_000;
    expect(await keeper.current()).not.toBe(short);
    expect(getToken).toHaveBeenCalledTimes(1);
  });

  it("asks lazily, once for parallel callers; a stale token already replaced is not asked again", async () => {
    const tokens = [jwt(3600, { n: 1 }), jwt(3600, { n: 2 })];
    const getToken = vi.fn(async () => tokens[getToken.mock.calls.length - 1]!);
    const keeper = createTokenKeeper({ getToken });
    expect(getToken).not.toHaveBeenCalled();
    const [a, b] = await Promise.all([keeper.current(), keeper.current()]);
    expect([a, b]).toEqual([tokens[0], tokens[0]]);
    expect(getToken).toHaveBeenCalledTimes(1);
    expect(await keeper.refresh("an-older-token")).toBe(tokens[0]);
    expect(getToken).toHaveBeenCalledTimes(1);
    expect(await keeper.refresh(tokens[0])).toBe(tokens[1]);
  });

  it.each([
    ["throws", () => Promise.reject(new Error("sk_live_do_not_echo"))],
    ["gives no compact JWT", async () => "sk_live_do_not_echo"],
  ])("a getToken that %s fails as TOKEN_UNAVAILABLE (status 401), never echoing it, and tells onFailure", async (_, getToken) => {
    const onFailure = vi.fn();
    const e = await createTokenKeeper({ getToken, onFailure }).current().catch((x: unknown) => x);
    expect(e).toMatchObject({ code: "TOKEN_UNAVAILABLE", status: 401 });
    expect(String((e as Error).message)).not.toContain("sk_live");
    expect(onFailure).toHaveBeenCalledWith(e);
  });

  it("a getToken that never settles fails after 30 s, and the next call asks again", async () => {
    vi.useFakeTimers();
    try {
      const fresh = jwt(3600);
      const getToken = vi.fn<() => Promise<string>>().mockReturnValueOnce(new Promise(() => {})).mockResolvedValue(fresh);
      const keeper = createTokenKeeper({ getToken });
      const first = keeper.current().catch((x: unknown) => x);
      await vi.advanceTimersByTimeAsync(30_000);
      expect(await first).toMatchObject({ code: "TOKEN_UNAVAILABLE" });
      expect(await keeper.current()).toBe(fresh);
    } finally {
      vi.useRealTimers();
    }
  });

  it("dispose stops the refresh timer", async () => {
    vi.useFakeTimers();
    try {
      const getToken = vi.fn(async () => jwt(3600));
      const keeper = createTokenKeeper({ getToken, refreshAhead: true });
      keeper.set(jwt(120));
      keeper.dispose();
      await vi.advanceTimersByTimeAsync(120_000);
      expect(getToken).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });
});
