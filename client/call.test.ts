import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { EmporiumApiError } from "./error.ts";
import * as published from "./testing/trimmed-entry.ts";
import { loadTrimmedClient, type ClientModules } from "./testing/trimmed.ts";

const ORIGIN = "http://platform.test";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const list = { integrations: [], categories: [], labels: [] };
const url = (p: string) => `${ORIGIN}/api/v1${p}`;

// Node loads ky and zod as published; the frame and headless builds trim them (build/trim-*.ts). Every case runs on both.
const variants: [string, () => Promise<ClientModules>][] = [
  ["ky as published", async () => published],
  ["ky trimmed as in the builds", loadTrimmedClient],
];

describe.each(variants)("API client, %s", (_variant, load) => {
  let m: ClientModules;
  beforeAll(async () => {
    m = await load();
  }, 60_000);

  // Tokens in a compact JWT's shape: the token keeper takes nothing else from the host.
  function setup(fetchToken: () => Promise<string>) {
    const reauth = vi.fn();
    const offline = vi.fn();
    const tokens = m.createTokenKeeper({ getToken: fetchToken, onFailure: reauth });
    tokens.set("h.t0.s");
    const call = m.createCall({ origin: ORIGIN, tokens, retryDelay: () => 1, onOffline: offline, onReauthRequired: reauth });
    return { api: { ...m.marketplaceApi(call), ...m.instancesApi(call) }, tokens, reauth, offline };
  }

  it("sends the token as a Bearer header and validates responses against the contract", async () => {
    const seen: (string | null)[] = [];
    server.use(http.get(url("/integrations"), ({ request }) => (seen.push(request.headers.get("authorization")), HttpResponse.json({ integrations: "nope" }))));
    const { api } = setup(async () => "h.t1.s");
    await expect(api.listIntegrations()).rejects.toMatchObject({ code: "INVALID_RESPONSE" });
    expect(seen).toEqual(["Bearer h.t0.s"]);
  });

  it("turns platform errors into EmporiumApiError with code, status, fields and page", async () => {
    server.use(
      http.put(url("/instances/i1/config/p2"), () =>
        HttpResponse.json({ error: { code: "VALIDATION_FAILED", message: "bad", fields: { a: "too short" }, page: "p2" } }, { status: 422 }),
      ),
    );
    const { api } = setup(async () => "h.t1.s");
    const e = (await api.saveConfigPage("i1", "p2", {}).catch((x) => x)) as EmporiumApiError;
    expect(e).toBeInstanceOf(m.EmporiumApiError);
    expect(e).toMatchObject({ code: "VALIDATION_FAILED", status: 422, fields: { a: "too short" }, page: "p2" });
  });

  /**
   * Five parallel calls (instances a…e) that the platform refuses with 401 on the first token:
   * the host is asked once, each call is retried once with the new token (`calls` records
   * "id:authorization"), and each ends with the 404 the platform then answers.
   */
  async function expectOneRefreshForFive(getToken: () => Promise<string>, calls: string[]) {
    const { api } = setup(getToken);
    const ids = ["a", "b", "c", "d", "e"];
    const results = await Promise.allSettled(ids.map((id) => api.getInstance(id)));
    expect(getToken).toHaveBeenCalledTimes(1);
    expect(results.every((r) => r.status === "rejected" && (r.reason as EmporiumApiError).code === "NOT_FOUND")).toBe(true);
    for (const id of ids) expect(calls.filter((c) => c.startsWith(`${id}:`))).toEqual([`${id}:Bearer h.t0.s`, `${id}:Bearer h.t1.s`]);
  }

  it("A7 five parallel requests that get 401 cause exactly one token refresh, and each is retried once", async () => {
    const calls: string[] = [];
    server.use(
      http.get(url("/instances/:id"), ({ request, params }) => {
        const auth = request.headers.get("authorization");
        calls.push(`${params.id}:${auth}`);
        if (auth !== "Bearer h.t1.s") return HttpResponse.json({ error: { code: "TOKEN_EXPIRED", message: "expired" } }, { status: 401 });
        return HttpResponse.json({ error: { code: "NOT_FOUND", message: "x" } }, { status: 404 });
      }),
    );
    const getToken = vi.fn(async () => {
      await new Promise((r) => setTimeout(r, 10));
      return "h.t1.s";
    });
    await expectOneRefreshForFive(getToken, calls);
  });

  it("A7 a 401 that arrives after the burst's refresh has finished uses the new token instead of asking the host again", async () => {
    let released!: () => void;
    const refreshDone = new Promise<void>((resolve) => (released = resolve));
    const calls: string[] = [];
    server.use(
      http.get(url("/instances/:id"), async ({ request, params }) => {
        const auth = request.headers.get("authorization");
        calls.push(`${params.id}:${auth}`);
        if (auth === "Bearer h.t1.s") {
          released(); // the keeper holds t1 once a request carries it
          return HttpResponse.json({ error: { code: "NOT_FOUND", message: "x" } }, { status: 404 });
        }
        // "a" is refused at once; the others' 401s come back only after "a" was retried with t1.
        if (params.id !== "a") await refreshDone;
        return HttpResponse.json({ error: { code: "TOKEN_EXPIRED", message: "expired" } }, { status: 401 });
      }),
    );
    const getToken = vi.fn(async () => "h.t1.s");
    await expectOneRefreshForFive(getToken, calls);
  });

  it("A7 when the refresh fails, the caller gets TOKEN_UNAVAILABLE and the reauth state is raised", async () => {
    server.use(http.get(url("/integrations"), () => HttpResponse.json({ error: { code: "TOKEN_EXPIRED", message: "x" } }, { status: 401 })));
    const { api, reauth } = setup(async () => {
      throw new Error("host said no");
    });
    await expect(api.listIntegrations()).rejects.toMatchObject({ code: "TOKEN_UNAVAILABLE" });
    expect(reauth).toHaveBeenCalled();
  });

  it("A7 a refreshed token that is still refused is not refreshed again", async () => {
    server.use(http.get(url("/integrations"), () => HttpResponse.json({ error: { code: "TOKEN_EXPIRED", message: "x" } }, { status: 401 })));
    // A second ask fails loudly instead of looping: the refreshed token's 401 must end the request.
    const getToken = vi.fn<() => Promise<string>>().mockResolvedValueOnce("h.t1.s").mockRejectedValue(new Error("asked twice"));
    const { api, reauth } = setup(getToken);
    await expect(api.listIntegrations()).rejects.toMatchObject({ code: "TOKEN_EXPIRED", status: 401 });
    expect(getToken).toHaveBeenCalledTimes(1);
    expect(reauth).toHaveBeenCalled();
  });

  it("D5 a GET is retried on 503 honouring Retry-After; a POST without an Idempotency-Key is not", async () => {
    let gets = 0;
    let posts = 0;
    server.use(
      http.get(url("/integrations"), () =>
        ++gets === 1 ? new HttpResponse(null, { status: 503, headers: { "Retry-After": "0" } }) : HttpResponse.json(list),
      ),
      http.post(url("/instances/i1/pause"), () => (posts++, HttpResponse.json({ error: { code: "SERVICE_UNAVAILABLE", message: "x" } }, { status: 503 }))),
    );
    const { api } = setup(async () => "h.t1.s");
    await expect(api.listIntegrations()).resolves.toEqual(list);
    expect(gets).toBe(2);
    await expect(api.pause("i1")).rejects.toMatchObject({ status: 503 });
    expect(posts).toBe(1);
  });

  it("D5 D2 a deploy POST with an Idempotency-Key is retried with the same key", async () => {
    const keys: (string | null)[] = [];
    server.use(
      http.post(url("/instances/i1/deploy"), ({ request }) => {
        keys.push(request.headers.get("idempotency-key"));
        return keys.length === 1 ? HttpResponse.error() : HttpResponse.json({ error: { code: "NOT_FOUND", message: "x" } }, { status: 404 });
      }),
    );
    const { api } = setup(async () => "h.t1.s");
    await expect(api.deploy("i1", "key-1")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(keys).toEqual(["key-1", "key-1"]);
  });

  it("D6 a network failure is a NETWORK_ERROR error and flips the offline state", async () => {
    server.use(http.put(url("/instances/i1/config/p1"), () => HttpResponse.error()));
    const { api, offline } = setup(async () => "h.t1.s");
    await expect(api.saveConfigPage("i1", "p1", {})).rejects.toMatchObject({ code: "NETWORK_ERROR" });
    expect(offline).toHaveBeenCalled();
  });

  it("D5 the retry waits the Retry-After the platform asked for, not the client's own backoff", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      let gets = 0;
      server.use(
        http.get(url("/integrations"), () =>
          ++gets === 1 ? new HttpResponse(null, { status: 503, headers: { "Retry-After": "3" } }) : HttpResponse.json(list),
        ),
      );
      const { api } = setup(async () => "h.t1.s"); // the client's own backoff is 1 ms
      const result = api.listIntegrations();
      await vi.advanceTimersByTimeAsync(2_900);
      expect(gets).toBe(1);
      await vi.advanceTimersByTimeAsync(200);
      await expect(result).resolves.toEqual(list);
      expect(gets).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("an answer whose body stops arriving after the headers fails as TIMEOUT instead of leaving the caller waiting forever", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      const stalled = () =>
        new HttpResponse(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"id":"i1","configValues":{')) }), {
          headers: { "Content-Type": "application/json" },
        });
      server.use(http.put(url("/instances/i1/config/p1"), stalled));
      const { api } = setup(async () => "h.t1.s");
      const result = api.saveConfigPage("i1", "p1", {}).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(120_000);
      expect(await result).toMatchObject({ code: "TIMEOUT" });
    } finally {
      vi.useRealTimers();
    }
  });

  it("D6 when the browser reports offline, a request fails at once as NETWORK_ERROR without touching the network", async () => {
    let hits = 0;
    server.use(http.put(url("/instances/i1/config/p1"), () => (hits++, HttpResponse.json({ error: { code: "NOT_FOUND", message: "x" } }, { status: 404 }))));
    const { api, offline } = setup(async () => "h.t1.s");
    vi.stubGlobal("navigator", { onLine: false });
    try {
      await expect(api.saveConfigPage("i1", "p1", {})).rejects.toMatchObject({ code: "NETWORK_ERROR" });
    } finally {
      vi.unstubAllGlobals();
    }
    expect(offline).toHaveBeenCalled();
    expect(hits).toBe(0);
  });

  it("D5 a Retry-After given as an HTTP date is honoured too", async () => {
    let gets = 0;
    server.use(
      http.get(url("/integrations"), () =>
        ++gets === 1 ? new HttpResponse(null, { status: 429, headers: { "Retry-After": new Date().toUTCString() } }) : HttpResponse.json(list),
      ),
    );
    const { api } = setup(async () => "h.t1.s");
    await expect(api.listIntegrations()).resolves.toEqual(list);
    expect(gets).toBe(2);
  });

  it("a JSON body and the Idempotency-Key reach the platform as sent", async () => {
    let seen: { body: unknown; type: string | null; key: string | null } | undefined;
    server.use(
      http.post(url("/instances/i1/deploy"), async ({ request }) => {
        seen = { body: await request.json(), type: request.headers.get("content-type"), key: request.headers.get("idempotency-key") };
        return HttpResponse.json({ error: { code: "NOT_FOUND", message: "x" } }, { status: 404 });
      }),
      http.put(url("/instances/i1/config/p1"), async ({ request }) => HttpResponse.json({ error: { code: "VALIDATION_FAILED", message: JSON.stringify(await request.json()) } }, { status: 422 })),
    );
    const { api } = setup(async () => "h.t1.s");
    await expect(api.deploy("i1", "key-9")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(seen?.key).toBe("key-9");
    expect(seen?.type).toMatch(/^application\/json/);
    await expect(api.saveConfigPage("i1", "p1", { a: "é ✓" })).rejects.toMatchObject({ message: expect.stringContaining("é ✓") });
  });

  it("the public embed config goes out without a token", async () => {
    let auth: string | null = "unset";
    server.use(
      http.get(url("/embed/demo"), ({ request }) => {
        auth = request.headers.get("authorization");
        return HttpResponse.json({ organization: { id: "demo", name: "Demo" }, allowedOrigins: [] });
      }),
    );
    await m.getEmbedConfig(m.createCall({ origin: ORIGIN }), "demo");
    expect(auth).toBeNull();
  });
});
