import { describe, expect, it, vi } from "vitest";
import { earlyFetch } from "./early-fetch.ts";

const URL_ = "https://platform.test/api/v1/integrations";
const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });

describe("early fetch", () => {
  it("starts the GET at once, with the token exactly as the API client sends it", () => {
    const fetcher = vi.fn(async () => json({}));
    earlyFetch(URL_, "t0k", fetcher);
    expect(fetcher).toHaveBeenCalledExactlyOnceWith(URL_, { headers: { Authorization: "Bearer t0k" } });
    earlyFetch("https://platform.test/api/v1/embed/demo", undefined, fetcher);
    expect(fetcher).toHaveBeenLastCalledWith("https://platform.test/api/v1/embed/demo", undefined); // public: no token
  });

  it("answers the first matching GET with the early response, once; a retry goes to the network", async () => {
    const early = json({ early: true });
    const fetcher = vi.fn(async () => json({ network: true }));
    fetcher.mockResolvedValueOnce(early);
    const f = earlyFetch(URL_, "t0k", fetcher);
    const get = () => new Request(URL_, { headers: { Authorization: "Bearer t0k" } });
    expect(await f(get())).toBe(early);
    expect(await (await f(get())).json()).toEqual({ network: true });
    expect(fetcher).toHaveBeenCalledTimes(2);
  });

  it("never hands the early response to another URL, method or token", async () => {
    const early = json({ early: true });
    const fetcher = vi.fn(async () => json({ network: true }));
    fetcher.mockResolvedValueOnce(early);
    const f = earlyFetch(URL_, "t0k", fetcher);
    for (const other of [
      new Request("https://platform.test/api/v1/session", { method: "POST", headers: { Authorization: "Bearer t0k" } }),
      new Request(URL_, { method: "POST", headers: { Authorization: "Bearer t0k" } }),
      new Request(URL_, { headers: { Authorization: "Bearer refreshed" } }),
      new Request(URL_),
    ])
      expect(await f(other)).not.toBe(early);
    expect(await f(new Request(URL_, { headers: { Authorization: "Bearer t0k" } }))).toBe(early); // still there for its own request
  });

  it("a request made more than 5 s later (a retry after going offline) gets fresh data from the network", async () => {
    const early = json({ early: true });
    const fetcher = vi.fn(async () => json({ network: true }));
    fetcher.mockResolvedValueOnce(early);
    let now = 1_000;
    const f = earlyFetch(URL_, "t0k", fetcher, () => now);
    now += 5_001;
    expect(await (await f(new Request(URL_, { headers: { Authorization: "Bearer t0k" } }))).json()).toEqual({ network: true });
  });

  it("a failed early request is reported to the request that takes it, never as an unhandled rejection", async () => {
    const f = earlyFetch(URL_, "t0k", vi.fn(() => Promise.reject(new TypeError("offline"))));
    await new Promise((r) => setTimeout(r, 0));
    await expect(f(new Request(URL_, { headers: { Authorization: "Bearer t0k" } }))).rejects.toThrow("offline");
  });
});

describe("early fetch in the API client", () => {
  it("an early catalog answered 401 (the token expired on the way) is refreshed and retried on the network, like any request", async () => {
    const { createApi } = await import("./api.ts");
    const { createTokenKeeper } = await import("../../client/token.ts");
    const origin = "https://platform.test";
    const FRESH = "h.fresh.s"; // a compact JWT's shape: the token keeper takes nothing else
    const list = { integrations: [], categories: ["CRM"], labels: [] };
    const seen: string[] = [];
    const fetcher = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const auth = input instanceof Request ? input.headers.get("authorization") : new Headers(init?.headers).get("authorization");
      seen.push(auth ?? "");
      return auth === `Bearer ${FRESH}`
        ? json(list)
        : new Response(JSON.stringify({ error: { code: "TOKEN_EXPIRED", message: "expired" } }), { status: 401, headers: { "content-type": "application/json" } });
    }) as unknown as typeof fetch;
    const tokens = createTokenKeeper({ getToken: async () => FRESH });
    tokens.set("stale");
    const api = createApi({ origin, tokens, fetch: earlyFetch(`${origin}/api/v1/integrations`, "stale", fetcher) });
    expect(await api.listIntegrations()).toEqual(list);
    expect(seen).toEqual(["Bearer stale", `Bearer ${FRESH}`]); // the early request, then one retry with the new token
    tokens.dispose();
  });
});
