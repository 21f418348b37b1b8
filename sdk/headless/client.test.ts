/**
 * The headless client against the REAL platform handlers (msw/node via setupMockPlatform):
 * every method, typed errors, token refresh (A7), retries (D2, D5) and lifecycle events.
 */
import { describe, expect, it, vi } from "vitest";
import { scenarioPath } from "../../contract/scenario.ts";
import { PLATFORM, recordEvents, usePlatform } from "../testing/headless-platform.ts";
import { createClient, EmporiumApiError } from "./index.ts";

const platform = usePlatform();
let customerCount = 0;

/** Every request the platform saw while `run` ran: method, path (with query), headers and body. */
async function recording<T>(run: () => Promise<T>) {
  const seen: { method: string; path: string; authorization: string | null; idempotencyKey: string | null; body: string }[] = [];
  const bodies: Promise<void>[] = [];
  const listener = ({ request }: { request: Request }) => {
    const url = new URL(request.url);
    const entry = { method: request.method, path: url.pathname + url.search, authorization: request.headers.get("authorization"), idempotencyKey: request.headers.get("idempotency-key"), body: "" };
    seen.push(entry);
    if (request.method != "GET") bodies.push(request.clone().text().then((text) => void (entry.body = text)));
  };
  platform.mock.server.events.on("request:start", listener);
  try {
    const result = await run();
    await Promise.all(bodies);
    return { result, seen };
  } finally {
    platform.mock.server.events.removeListener("request:start", listener);
  }
}

/** A client for a fresh customer, with a counting getToken and every event recorded. */
function client(claims: Record<string, unknown> = {}, extra: { getToken?: () => Promise<string>; fetch?: typeof fetch } = {}) {
  const customer = `headless-${++customerCount}`;
  const sign = (): Promise<string> => platform.org.signToken({ customer, customer_name: `Customer ${customer}`, ...claims });
  const getToken = vi.fn<() => Promise<string>>(extra.getToken ?? sign);
  const c = createClient({ platformUrl: PLATFORM, getToken, ...(extra.fetch ? { fetch: extra.fetch } : {}) });
  const events = recordEvents<Record<string, unknown>>(c);
  return { client: c, getToken, events, customer };
}

const setScenario = async (body: Record<string, unknown>) => {
  const res = await fetch(PLATFORM + scenarioPath(), { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  expect(res.ok).toBe(true);
};

/** A JWT-shaped token for fetch stubs: nothing reaches the platform, so it is never verified. */
const unsigned = `${btoa(JSON.stringify({ alg: "ES256" }))}.${btoa(JSON.stringify({ exp: 9_999_999_999 }))}.c2ln`.replaceAll("=", "");

const error = (promise: Promise<unknown>) => promise.then(() => expect.fail("expected a rejection"), (e: unknown) => e as EmporiumApiError);

/** A deployed Stripe instance of a fresh customer. */
async function deployedStripe(secret = "sk_test_deployed_1") {
  const ctx = client();
  const created = await ctx.client.createInstance("stripe");
  await ctx.client.saveConfigPage(created.id, "connect", { stripeKey: { kind: "api-key", apiKey: secret } });
  await ctx.client.saveConfigPage(created.id, "payments", { currency: "eur", threshold: 10 });
  const { instance } = await ctx.client.deploy(created.id);
  return { ...ctx, instance };
}

describe("createClient options", () => {
  const noToken = async (): Promise<string> => "";
  it.each<[string, Record<string, unknown>, RegExp]>([
    ["a page URL", { platformUrl: "https://platform.example/frame/", getToken: noToken }, /platformUrl/],
    ["a javascript: URL", { platformUrl: "javascript:alert(1)", getToken: noToken }, /platformUrl/],
    ["no getToken", { platformUrl: PLATFORM }, /getToken/],
    ["an unknown event", { platformUrl: PLATFORM, getToken: noToken, on: { deployed: () => {} } }, /"deployed"/],
  ])("refuses %s with INVALID_OPTION", (_, options, message) => {
    const thrown = (() => {
      try {
        createClient(options as never);
      } catch (e) {
        return e as EmporiumApiError;
      }
    })();
    expect(thrown).toBeInstanceOf(EmporiumApiError);
    expect(thrown).toMatchObject({ code: "INVALID_OPTION", message: expect.stringMatching(message) });
  });

  it("refuses a platformUrl with credentials without echoing them in the message", () => {
    const thrown = (() => {
      try {
        createClient({ platformUrl: "https://admin:hunter2-not-for-logs@platform.example", getToken: noToken });
      } catch (e) {
        return e as EmporiumApiError;
      }
    })();
    expect(thrown).toMatchObject({ code: "INVALID_OPTION", message: expect.stringMatching(/platformUrl/) });
    expect(thrown!.message).not.toContain("hunter2-not-for-logs");
  });

  it("calls getToken lazily: not at creation, once for the first requests", async () => {
    const { client: c, getToken } = client();
    expect(getToken).not.toHaveBeenCalled();
    const [session] = await Promise.all([c.session(), c.listInstances()]);
    expect(getToken).toHaveBeenCalledTimes(1);
    expect(session).toMatchObject({ organization: { id: platform.org.id }, user: { role: "admin" } });
  });
});

describe("marketplace", () => {
  it("lists integrations with their activation state, and searches by q, category, label and state", async () => {
    const { client: c, instance } = await deployedStripe();
    const all = await c.listIntegrations();
    expect(all.integrations.length).toBeGreaterThanOrEqual(6);
    expect(all.integrations.find((i) => i.id == "stripe")?.activation).toEqual({ state: "activated", instanceId: instance.id, instanceCount: 1, activeCount: 1, updateAvailable: false });
    expect((await c.listIntegrations({ q: "strip" })).integrations.map((i) => i.id)).toEqual(["stripe"]);
    expect((await c.listIntegrations({ category: "CRM" })).integrations.map((i) => i.id).sort()).toEqual(["hubspot", "salesforce"]);
    expect((await c.listIntegrations({ label: "popular" })).integrations.every((i) => i.labels.includes("popular"))).toBe(true);
    expect((await c.listIntegrations({ state: "activated" })).integrations.map((i) => i.id)).toEqual(["stripe"]);
  });

  it("refuses an unknown filter before sending anything", async () => {
    const { client: c } = client();
    const { result, seen } = await recording(() => error(c.listIntegrations({ sort: "name" } as never)));
    expect(result).toMatchObject({ code: "INVALID_OPTION" });
    expect(seen).toEqual([]);
  });

  it("gets an integration's config pages in a renderable form, with defaults and the shared validation", async () => {
    const { client: c } = client();
    const stripe = await c.getIntegration("stripe");
    expect(stripe.configPages.map((p) => p.name)).toEqual(["connect", "payments"]);
    const currency = stripe.configPages[1]!.fields.find((f) => f.key == "currency");
    expect(currency).toMatchObject({ type: "picklist", label: "Currency", required: true, default: "usd", options: expect.arrayContaining([{ value: "eur", label: "Euro" }]) });
    expect(stripe.initialValues()).toMatchObject({ currency: "usd", threshold: 100, liveMode: false });
    expect(stripe.validate("connect", {})).toEqual({ stripeKey: "Connect your Stripe account." });
    expect(stripe.validate("connect", { stripeKey: { kind: "api-key", apiKey: "" } })).toEqual({ stripeKey: "Enter the Stripe API key." });
    expect(stripe.validate("payments", { currency: "yen", threshold: -1, metadata: "{ nope" })).toEqual({
      currency: '"yen" is not one of the options.',
      threshold: "Must be at least 0.",
      metadata: expect.stringMatching(/^This is not valid JSON/),
    });
    expect(stripe.validate("payments", stripe.initialValues())).toEqual({});
    expect(() => stripe.validate("nope", {})).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
  });

  it("answers NOT_FOUND for an unknown integration", async () => {
    const { client: c } = client();
    expect(await error(c.getIntegration("no-such-thing"))).toMatchObject({ code: "NOT_FOUND", status: 404 });
  });
});

describe("instances", () => {
  it("creates, saves page by page, deploys, lists, pauses, resumes and deletes, firing the embed's events", async () => {
    const SECRET = "sk_test_lifecycle_4242";
    const { client: c, events } = client();
    const created = await c.createInstance("stripe");
    expect(created).toMatchObject({ integrationId: "stripe", status: "draft", completedPages: [] });
    const afterConnect = await c.saveConfigPage(created.id, "connect", { stripeKey: { kind: "api-key", apiKey: SECRET } });
    expect(afterConnect.configValues.stripeKey).toEqual({ kind: "api-key", apiKey: { secret: "set" }, connectionId: expect.stringMatching(/^con_/) });
    await c.saveConfigPage(created.id, "payments", { currency: "gbp" });

    const deployed = await c.deploy(created.id);
    expect(deployed.instance.status).toBe("deployed");
    expect(deployed.instance.flows.find((f) => f.trigger.kind == "webhook")?.webhookUrl).toMatch(/^http:\/\/platform\.test\/api\/v1\/webhooks\//);

    expect((await c.listInstances()).map((i) => i.id)).toEqual([created.id]);
    expect((await c.getInstance(created.id)).configValues.currency).toBe("gbp");
    const webhook = deployed.instance.flows.find((f) => f.webhookUrl)!.webhookUrl!;
    expect((await fetch(webhook, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ type: "charge.succeeded", amount: 4200 }) })).status).toBe(200);
    const executions = await c.listExecutions(created.id);
    expect(executions).toHaveLength(1);
    expect(executions[0]).toMatchObject({ flowId: "record-payment", status: "succeeded" });
    // Pages: 51 runs are one page of 50 and a cursor to the 51st.
    for (let i = 0; i < 50; i++) await fetch(webhook, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ type: "charge.succeeded", amount: 100 + i }) });
    const first = await c.listExecutionPage(created.id);
    expect(first.executions).toHaveLength(50);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await c.listExecutionPage(created.id, first.nextCursor!);
    expect(second).toEqual({ executions: [executions[0]], nextCursor: null });
    expect(await error(c.listExecutionPage(created.id, "forged!"))).toMatchObject({ code: "INVALID_CURSOR", status: 400 });

    expect((await c.pause(created.id)).status).toBe("paused");
    expect((await c.resume(created.id)).status).toBe("deployed");
    expect(await c.deleteInstance(created.id)).toMatchObject({ instanceId: created.id });
    expect(await c.listInstances()).toEqual([]);

    const ids = { integrationId: "stripe", instanceId: created.id };
    expect(events).toEqual([
      { name: "instance-deployed", payload: { ...ids, integrationName: "Stripe" } },
      { name: "instance-paused", payload: ids },
      { name: "instance-resumed", payload: ids },
      { name: "instance-deleted", payload: ids },
    ]);
    expect(JSON.stringify(events)).not.toContain(SECRET);
  });

  it("deleteInstance of an instance this client never saw still names its integration", async () => {
    const { instance, getToken } = await deployedStripe();
    const token = await getToken.mock.results[0]!.value;
    const fresh = createClient({ platformUrl: PLATFORM, getToken: async () => token });
    const deleted = vi.fn();
    fresh.on("instance-deleted", deleted);
    await fresh.deleteInstance(instance.id);
    expect(deleted).toHaveBeenCalledWith({ integrationId: "stripe", instanceId: instance.id });
  });

  it("fires execution-failed when a deploy flow fails, and the instance is still deployed (D8)", async () => {
    const { client: c, events } = client();
    const created = await c.createInstance("hubspot");
    await c.saveConfigPage(created.id, "connect", { hubspotKey: { kind: "api-key", apiKey: "pat-na1-abc" } });
    await c.saveConfigPage(created.id, "deals", { pipeline: "archived" });
    const result = await c.deploy(created.id);
    expect(result.instance.status).toBe("deployed");
    const failed = result.executions.find((x) => x.status == "failed")!;
    expect(events.map((e) => e.name)).toEqual(["instance-deployed", "execution-failed"]);
    expect(events[1]!.payload).toEqual({ integrationId: "hubspot", instanceId: created.id, executionId: failed.id, flowId: "verify-pipeline" });
  });

  it("turns 422 field errors into VALIDATION_FAILED with fields and page", async () => {
    const { client: c } = client();
    const created = await c.createInstance("stripe");
    const e = await error(c.saveConfigPage(created.id, "payments", { currency: "yen", threshold: "lots" }));
    expect(e).toBeInstanceOf(EmporiumApiError);
    expect(e).toMatchObject({ code: "VALIDATION_FAILED", status: 422, page: "payments" });
    expect(e.fields).toMatchObject({ currency: expect.any(String), threshold: expect.any(String) });
  });

  it("A6 another customer's instance id answers 404 NOT_FOUND, on reads and on actions", async () => {
    const { instance } = await deployedStripe();
    const { client: other, events } = client();
    expect(await error(other.getInstance(instance.id))).toMatchObject({ code: "NOT_FOUND", status: 404 });
    expect(await error(other.pause(instance.id))).toMatchObject({ code: "NOT_FOUND", status: 404 });
    expect(await error(other.listExecutions(instance.id))).toMatchObject({ code: "NOT_FOUND", status: 404 });
    expect(await error(other.deleteInstance(instance.id))).toMatchObject({ code: "NOT_FOUND", status: 404 });
    expect(events).toEqual([]);
  });

  it("A8 a viewer gets 403 FORBIDDEN on deploy, pause and delete, and no event fires", async () => {
    const { instance, customer } = await deployedStripe();
    const viewer = createClient({ platformUrl: PLATFORM, getToken: () => platform.org.signToken({ customer, sub: "viewer-1", role: "viewer" }) });
    const heard = vi.fn();
    viewer.on("instance-paused", heard);
    expect((await viewer.getInstance(instance.id)).id).toBe(instance.id);
    expect(await error(viewer.pause(instance.id))).toMatchObject({ code: "FORBIDDEN", status: 403 });
    expect(await error(viewer.deploy(instance.id))).toMatchObject({ code: "FORBIDDEN", status: 403 });
    expect(await error(viewer.deleteInstance(instance.id))).toMatchObject({ code: "FORBIDDEN", status: 403 });
    expect(heard).not.toHaveBeenCalled();
  });
});

describe("authentication", () => {
  it.each([
    ["a wrong audience", { aud: "someone-else" }, "TOKEN_CLAIM_INVALID"],
    ["an expired token", { iat: Math.floor(Date.now() / 1000) - 4000, exp: Math.floor(Date.now() / 1000) - 3000 }, "TOKEN_EXPIRED"],
    ["a missing customer claim", { customer: undefined }, "TOKEN_CLAIM_MISSING"],
  ])("a token with %s rejects with its 401 code after one refresh", async (_, claims, code) => {
    const { client: c, getToken } = client(claims);
    expect(await error(c.session())).toMatchObject({ code, status: 401 });
    expect(getToken.mock.calls.length).toBeLessThanOrEqual(2);
  });

  it("a getToken that throws or returns a non-JWT rejects with TOKEN_UNAVAILABLE, never echoing it", async () => {
    const throwing = client({}, { getToken: () => Promise.reject(new Error("sk_live_do_not_echo")) }).client;
    const e = await error(throwing.listInstances());
    expect(e).toMatchObject({ code: "TOKEN_UNAVAILABLE" });
    expect(e.message).not.toContain("sk_live_do_not_echo");
    const junk = client({}, { getToken: async () => "sk_live_not_a_jwt" }).client;
    const { result, seen } = await recording(() => error(junk.listInstances()));
    expect(result).toMatchObject({ code: "TOKEN_UNAVAILABLE" });
    expect(result.message).not.toContain("sk_live_not_a_jwt");
    expect(seen).toEqual([]);
  });

  it("a getToken that never settles rejects with TOKEN_UNAVAILABLE after 30 s, and the next request asks the host again", async () => {
    let calls = 0;
    const getToken = () => (++calls == 1 ? new Promise<string>(() => {}) : Promise.resolve(unsigned));
    const { client: c } = client({}, { getToken, fetch: async () => Response.json({ instances: [] }) }); // nothing reaches the platform
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      const first = error(c.listInstances());
      await vi.advanceTimersByTimeAsync(30_000);
      expect(await first).toMatchObject({ code: "TOKEN_UNAVAILABLE", status: 401 });
      await expect(c.listInstances()).resolves.toEqual([]);
      expect(calls).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("A7 five parallel requests that get 401 cause exactly one token refresh, and each is retried once", async () => {
    const { client: c, getToken } = client();
    await c.session();
    expect(getToken).toHaveBeenCalledTimes(1);
    await setScenario({ scenario: "token-expires-now" });
    try {
      const ids = ["slack", "jira", "hubspot", "stripe", "zendesk"];
      const { result, seen } = await recording(() => Promise.all(ids.map((id) => c.getIntegration(id))));
      expect(result.map((i) => i.id)).toEqual(ids);
      expect(getToken).toHaveBeenCalledTimes(2);
      const [first, second] = await Promise.all(getToken.mock.results.map((r) => r.value as Promise<string>));
      for (const id of ids) {
        expect(seen.filter((s) => s.path == `/api/v1/integrations/${id}`).map((s) => s.authorization)).toEqual([`Bearer ${first}`, `Bearer ${second}`]);
      }
    } finally {
      await setScenario({ scenario: "none" });
    }
  });

  it("A7 a 401 that arrives after the burst's refresh has finished uses the new token instead of asking the host again", async () => {
    let first: string | null | undefined;
    let released!: () => void;
    const refreshDone = new Promise<void>((resolve) => (released = resolve));
    // The first token is refused; "slack" hears so at once, the others only once a request carried the new token.
    const lateRefusals: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      const auth = request.headers.get("authorization");
      if (first === undefined) first = auth;
      if (auth !== first) {
        released();
        return fetch(request);
      }
      if (!request.url.endsWith("/integrations/slack")) await refreshDone;
      return Response.json({ error: { code: "TOKEN_EXPIRED", message: "expired" } }, { status: 401 });
    };
    const { client: c, getToken } = client({}, { fetch: lateRefusals });
    const ids = ["slack", "jira", "hubspot", "stripe", "zendesk"];
    const result = await Promise.all(ids.map((id) => c.getIntegration(id)));
    expect(result.map((i) => i.id)).toEqual(ids);
    expect(getToken).toHaveBeenCalledTimes(2);
  });

  it("A7 a refreshed token that is refused too is not refreshed again: the platform's code comes back", async () => {
    const { client: c, getToken } = client({ aud: "not-emporium" });
    const { result, seen } = await recording(() => error(c.listInstances()));
    expect(result).toMatchObject({ code: "TOKEN_CLAIM_INVALID", status: 401 });
    expect(getToken).toHaveBeenCalledTimes(2);
    expect(seen).toHaveLength(2);
  });

  it("replaces a token shortly before its exp, before sending it", async () => {
    const now = Math.floor(Date.now() / 1000);
    let calls = 0;
    const customer = `headless-${++customerCount}`;
    const getToken = vi.fn(() => platform.org.signToken(++calls == 1 ? { customer, iat: now - 590, exp: now + 10 } : { customer }));
    const c = createClient({ platformUrl: PLATFORM, getToken });
    const { seen } = await recording(async () => {
      await c.listInstances();
      await c.listInstances();
    });
    expect(getToken).toHaveBeenCalledTimes(2);
    // No request was refused: the second one already carried the new token.
    expect(seen.map((s) => s.authorization)).toEqual([`Bearer ${await getToken.mock.results[0]!.value}`, `Bearer ${await getToken.mock.results[1]!.value}`]);
  });
});

describe("retries", () => {
  it("D5 a GET is retried after a 503/500 honouring Retry-After; a POST without a key is not", async () => {
    const { client: c, instance } = await deployedStripe();
    await setScenario({ scenario: "flaky", failEvery: 2, retryAfterSeconds: 0 });
    try {
      // Every 2nd request fails, counted from when the scenario was set.
      const passes = await recording(() => c.listInstances());
      expect(passes.seen).toHaveLength(1);
      const retried = await recording(() => c.getInstance(instance.id));
      expect(retried.seen).toHaveLength(2);
      expect(retried.result.id).toBe(instance.id);

      const post = await recording(() => error(c.pause(instance.id)));
      expect(post.seen).toHaveLength(1);
      expect(["SERVICE_UNAVAILABLE", "SERVER_ERROR"]).toContain(post.result.code);
    } finally {
      await setScenario({ scenario: "none" });
    }
  });

  it("D5 the retry waits the Retry-After the platform asked for, not the client's own backoff", async () => {
    let gets = 0;
    const busyOnce: typeof fetch = async () =>
      ++gets == 1 ? new Response(null, { status: 503, headers: { "Retry-After": "3" } }) : Response.json({ instances: [] });
    const { client: c } = client({}, { fetch: busyOnce, getToken: async () => unsigned }); // nothing reaches the platform
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      const result = c.listInstances();
      await vi.advanceTimersByTimeAsync(2_900); // ky's own backoff would have retried after 300 ms
      expect(gets).toBe(1);
      await vi.advanceTimersByTimeAsync(200);
      await expect(result).resolves.toEqual([]);
      expect(gets).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("D2 a deploy whose answer is lost is retried with the same Idempotency-Key and deploys once", async () => {
    let lost = 0;
    const dropFirstDeployAnswer: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith("/deploy") && lost++ == 0) throw new TypeError("fetch failed"); // what undici throws on a reset connection
      return response;
    };
    const { client: c, events } = client({}, { fetch: dropFirstDeployAnswer });
    const created = await c.createInstance("hubspot");
    await c.saveConfigPage(created.id, "connect", { hubspotKey: { kind: "api-key", apiKey: "pat-na1-d2" } });
    await c.saveConfigPage(created.id, "deals", {});
    const { result, seen } = await recording(() => c.deploy(created.id));
    const deploys = seen.filter((s) => s.path.endsWith("/deploy"));
    expect(deploys).toHaveLength(2);
    expect(deploys[0]!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(deploys[1]!.idempotencyKey).toBe(deploys[0]!.idempotencyKey);
    expect(result.instance.status).toBe("deployed");
    // The deploy flow ran once: the retry got the stored result.
    expect((await c.listExecutions(created.id)).filter((x) => x.trigger == "deploy")).toHaveLength(1);
    expect(events.filter((e) => e.name == "instance-deployed")).toHaveLength(1);
  });

  it("D2 deploy with a caller's key twice returns the stored result, one deploy", async () => {
    const { client: c } = client();
    const created = await c.createInstance("hubspot");
    await c.saveConfigPage(created.id, "connect", { hubspotKey: { kind: "api-key", apiKey: "pat-na1-key" } });
    await c.saveConfigPage(created.id, "deals", {});
    const first = await c.deploy(created.id, { idempotencyKey: "deploy-once-1" });
    const second = await c.deploy(created.id, { idempotencyKey: "deploy-once-1" });
    expect(second.executions.map((x) => x.id)).toEqual(first.executions.map((x) => x.id));
    expect((await c.listExecutions(created.id)).filter((x) => x.trigger == "deploy")).toHaveLength(1);
  });

  it("an answer whose body stops arriving after the headers fails as TIMEOUT after 30 s instead of leaving the caller waiting forever", async () => {
    const stalled: typeof fetch = async () =>
      new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"instances":[')) }), { headers: { "Content-Type": "application/json" } });
    const { client: c } = client({}, { fetch: stalled, getToken: async () => unsigned });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      const result = error(c.listInstances());
      await vi.advanceTimersByTimeAsync(30_000);
      expect(await result).toMatchObject({ code: "TIMEOUT" });
    } finally {
      vi.useRealTimers();
    }
  });

  it("answers NETWORK_ERROR when the platform cannot be reached", async () => {
    const down: typeof fetch = async () => {
      throw new TypeError("fetch failed");
    };
    const { client: c } = client({}, { fetch: down });
    expect(await error(c.createInstance("stripe"))).toMatchObject({ code: "NETWORK_ERROR", status: 0 });
  });

  it("answers INVALID_RESPONSE when the platform breaks the contract", async () => {
    const liar: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      return url.includes("/integrations") ? Response.json({ integrations: "none" }) : fetch(input, init);
    };
    const { client: c } = client({}, { fetch: liar });
    expect(await error(c.listIntegrations())).toMatchObject({ code: "INVALID_RESPONSE" });
  });
});

describe("events", () => {
  it("on() returns an unsubscribe; off() stops a handler; a throwing handler does not fail the call", async () => {
    const { instance, getToken } = await deployedStripe();
    const token = await getToken.mock.results[0]!.value;
    const paused = vi.fn();
    const c = createClient({ platformUrl: PLATFORM, getToken: async () => token, on: { "instance-paused": paused } });
    const resumed = vi.fn();
    const stop = c.on("instance-resumed", resumed);
    await c.pause(instance.id);
    await c.resume(instance.id);
    stop();
    c.off("instance-paused", paused);
    await c.pause(instance.id);
    expect(paused).toHaveBeenCalledTimes(1);
    expect(resumed).toHaveBeenCalledTimes(1);

    const report = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      c.on("instance-resumed", () => {
        throw new Error("host bug");
      });
      await expect(c.resume(instance.id)).resolves.toMatchObject({ status: "deployed" });
      expect(report).toHaveBeenCalledWith(expect.objectContaining({ message: "host bug" }));
    } finally {
      report.mockRestore();
    }
  });
});
