/**
 * The headless wizard on the real platform handlers: the embedded wizard's event sequence,
 * validation before any request, resume, secrets never re-sent or leaked (S1, S2), one deploy
 * for a double call (D1).
 */
import { describe, expect, it } from "vitest";
import { PLATFORM, recordEvents, usePlatform } from "../testing/headless-platform.ts";
import { createClient, type EmporiumApiError } from "./index.ts";

const platform = usePlatform();
let n = 0;

function setup(customer = `wizard-${++n}`) {
  const client = createClient({ platformUrl: PLATFORM, getToken: () => platform.org.signToken({ customer }) });
  const events = recordEvents(client);
  const requests: { method: string; path: string; body: Promise<string> }[] = [];
  const listener = ({ request }: { request: Request }) =>
    void requests.push({ method: request.method, path: new URL(request.url).pathname, body: request.method == "GET" ? Promise.resolve("") : request.clone().text() });
  platform.mock.server.events.on("request:start", listener);
  return { client, events, requests, customer, stop: () => platform.mock.server.events.removeListener("request:start", listener) };
}

const SECRET = "sk_test_wizard_secret_9f8e7d";

describe("headless wizard", () => {
  it("walks Stripe like the embedded wizard: events, validation before saving, back keeps values, deploy; S1 no secret in any event", async () => {
    const { client, events, requests, stop } = setup();
    try {
      const wizard = await client.wizard("stripe");
      const id = wizard.instance.id;
      expect(wizard.pages.map((p) => p.name)).toEqual(["connect", "payments"]);
      expect(wizard.current.name).toBe("connect");
      expect(wizard.values).toMatchObject({ currency: "usd", threshold: 100 });

      // Invalid: rejected with field messages before any request.
      const before = requests.length;
      const invalid = (await wizard.next({ stripeKey: { kind: "api-key", apiKey: "" } }).catch((e) => e)) as EmporiumApiError;
      expect(invalid).toMatchObject({ code: "VALIDATION_FAILED", page: "connect", fields: { stripeKey: "Enter the Stripe API key." } });
      expect(requests.length).toBe(before);

      await wizard.next({ stripeKey: { kind: "api-key", apiKey: SECRET } });
      expect(wizard.current.name).toBe("payments");
      // The typed secret is stored now; the wizard no longer holds it.
      expect(JSON.stringify(wizard.values)).not.toContain(SECRET);
      wizard.back();
      expect(wizard.current.name).toBe("connect");
      await wizard.next(); // the stored key is kept, not re-sent
      expect(wizard.validate({ threshold: -5 })).toEqual({ threshold: "Must be at least 0." });
      const result = await wizard.deploy({ currency: "eur" });
      expect(result.instance).toMatchObject({ id, status: "deployed", configValues: { currency: "eur", stripeKey: { kind: "api-key", apiKey: { secret: "set" } } } });
      expect(wizard.open).toBe(false);

      const ids = { integrationId: "stripe", instanceId: id };
      const page = (pageName: string, pageIndex: number) => ({ name: "instance-configuration-page-loaded", payload: { ...ids, pageName, pageIndex, pageCount: 2 } });
      expect(events).toEqual([
        { name: "instance-configuration-opened", payload: { ...ids, integrationName: "Stripe" } },
        page("connect", 0),
        page("payments", 1),
        page("connect", 0),
        page("payments", 1),
        { name: "instance-deployed", payload: { ...ids, integrationName: "Stripe" } },
        { name: "instance-configuration-closed", payload: ids },
      ]);
      expect(JSON.stringify(events)).not.toContain(SECRET);

      // S2: the secret went over the wire once, in the first save of its page.
      const connectSaves = await Promise.all(requests.filter((r) => r.method == "PUT" && r.path.endsWith("/config/connect")).map((r) => r.body));
      expect(connectSaves).toHaveLength(2);
      expect(connectSaves[0]).toContain(SECRET);
      // The saved key's connection goes back by reference.
      expect(JSON.parse(connectSaves[1]!)).toEqual({ values: { stripeKey: { connectionId: expect.stringMatching(/^con_/) } }, integrationVersion: 1 });
      await expect(wizard.next()).rejects.toMatchObject({ code: "WIZARD_CLOSED" });
    } finally {
      stop();
    }
  });

  it("cancel fires canceled then closed, once; reopening resumes after the last saved page", async () => {
    const { client, events, stop } = setup();
    stop();
    const first = await client.wizard("hubspot");
    await first.next({ hubspotKey: { kind: "api-key", apiKey: "pat-na1-resume" } });
    first.cancel();
    first.cancel();
    const ids = { integrationId: "hubspot", instanceId: first.instance.id };
    expect(events.slice(-2)).toEqual([
      { name: "instance-configuration-canceled", payload: ids },
      { name: "instance-configuration-closed", payload: ids },
    ]);

    events.length = 0;
    const again = await client.wizard("hubspot");
    expect(again.instance.id).toBe(first.instance.id);
    expect(again.current.name).toBe("deals");
    expect(again.values.hubspotKey).toEqual({ kind: "api-key", connectionId: expect.stringMatching(/^con_/) });
    expect(events).toEqual([
      { name: "instance-configuration-opened", payload: { ...ids, integrationName: "HubSpot" } },
      { name: "instance-configuration-page-loaded", payload: { ...ids, pageName: "deals", pageIndex: 1, pageCount: 2 } },
    ]);
    again.close();
    expect(events.at(-1)).toEqual({ name: "instance-configuration-closed", payload: ids });
  });

  it("D1 a double deploy call deploys once", async () => {
    const { client, events, requests, stop } = setup();
    try {
      const wizard = await client.wizard("hubspot");
      await wizard.next({ hubspotKey: { kind: "api-key", apiKey: "pat-na1-double" } });
      const [a, b] = await Promise.all([wizard.deploy(), wizard.deploy()]);
      expect(a).toBe(b);
      expect(requests.filter((r) => r.path.endsWith("/deploy"))).toHaveLength(1);
      expect(events.filter((e) => e.name == "instance-deployed")).toHaveLength(1);
    } finally {
      stop();
    }
  });

  it("D2 a deploy answered 200 with a body not in the contract's shape is an unknown outcome: the retry keeps the Idempotency-Key and deploys once", async () => {
    const customer = `wizard-${++n}`;
    let mangled = 0;
    const mangleFirstDeploy: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      return url.endsWith("/deploy") && mangled++ == 0 ? new Response('{"instance":{"id":', { headers: { "Content-Type": "application/json" } }) : response;
    };
    const client = createClient({ platformUrl: PLATFORM, getToken: () => platform.org.signToken({ customer }), fetch: mangleFirstDeploy });
    const keys: (string | null)[] = [];
    const listener = ({ request }: { request: Request }) => void (request.url.endsWith("/deploy") && keys.push(request.headers.get("idempotency-key")));
    platform.mock.server.events.on("request:start", listener);
    try {
      const wizard = await client.wizard("hubspot");
      await wizard.next({ hubspotKey: { kind: "api-key", apiKey: "pat-na1-mangled" } });
      await expect(wizard.deploy()).rejects.toMatchObject({ code: "INVALID_RESPONSE" });
      expect(wizard.open).toBe(true);
      const result = await wizard.deploy();
      expect(result.instance.status).toBe("deployed");
      expect(keys).toHaveLength(2);
      expect(keys[1]).toBe(keys[0]);
      expect((await client.listExecutions(result.instance.id)).filter((x) => x.trigger == "deploy")).toHaveLength(1);
    } finally {
      platform.mock.server.events.removeListener("request:start", listener);
    }
  });

  it("reconfigures an instance from its first page with its saved values, secret masked", async () => {
    const { client, events } = setup();
    const first = await client.wizard("stripe");
    await first.next({ stripeKey: { kind: "api-key", apiKey: SECRET } });
    const { instance } = await first.deploy({ currency: "gbp" });
    events.length = 0;

    const re = await client.wizard({ instanceId: instance.id });
    expect(re.reconfigure).toBe(true);
    expect(re.current.name).toBe("connect");
    expect(re.values).toMatchObject({ stripeKey: { kind: "api-key" }, currency: "gbp" });
    expect(JSON.stringify(re.values)).not.toContain(SECRET);
    expect(re.validate()).toEqual({});
    expect(events[0]).toEqual({ name: "instance-configuration-opened", payload: { integrationId: "stripe", integrationName: "Stripe", instanceId: instance.id } });
  });

  it("a value the wizard cannot hold (a function, a symbol) is refused with INVALID_OPTION, and what was typed before is kept", async () => {
    const { client } = setup();
    const wizard = await client.wizard("stripe");
    await expect(wizard.next({ stripeKey: { kind: "api-key", apiKey: "" }, currency: "eur" })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    const typed = structuredClone(wizard.values);
    expect(typed).toMatchObject({ currency: "eur" });
    for (const bad of [() => 5, Symbol("5")]) {
      const e = (await wizard.next({ stripeKey: { kind: "api-key", apiKey: SECRET }, currency: "gbp", threshold: bad as never }).catch((x: unknown) => x)) as EmporiumApiError;
      expect(e).toMatchObject({ name: "EmporiumApiError", code: "INVALID_OPTION", message: expect.stringContaining('"threshold"') });
      expect(e.message).not.toContain(SECRET);
      expect(wizard.values).toEqual(typed);
    }
  });

  it("refuses a field the integration does not have", async () => {
    const { client } = setup();
    const wizard = await client.wizard("stripe");
    await expect(wizard.next({ nope: 1 })).rejects.toMatchObject({ code: "INVALID_OPTION", message: expect.stringContaining('"nope"') });
  });
});
