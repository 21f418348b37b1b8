/**
 * The headless client's connection functions (issue 14) against the REAL platform handlers, on
 * the shared client core (client/connections-api.ts, client/oauth-flow.ts): every function, its
 * errors, the OAuth flow through a popup, a blocked popup's link and the host's openExternalUrl,
 * the host's own connections (S4), roles (A9) and another customer's ids (A6).
 *
 * The OAuth flow needs a `window` (its popup and its message listener): Node has none, so each
 * OAuth test stubs one with a popup it controls, and walks the mock provider's consent page
 * itself, as the user would in the popup.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { orgPaths } from "../../contract/org-api.ts";
import { createClient, EmporiumApiError, type Connection } from "./index.ts";
import { PLATFORM, usePlatform } from "../testing/headless-platform.ts";

const platform = usePlatform();
let customers = 0;
/** A fresh customer's client (admin unless `role`), and every request it sends. */
function fresh(role = "admin", customer = `conn-${++customers}`) {
  const sent: string[] = [];
  const c = createClient({
    platformUrl: PLATFORM,
    getToken: () => platform.org.signToken({ customer, customer_name: `Customer ${customer}`, role }),
    fetch: (input, init) => {
      const request = new Request(input, init);
      sent.push(`${request.method} ${new URL(request.url).pathname}`);
      return fetch(request);
    },
  });
  return { c, sent, customer };
}

const stripeKey = (apiKey = "rk_test_12345678") => ({ app: "Stripe", credentials: { kind: "api-key" as const, apiKey } });

/** Answers the mock provider's consent page as the user would in the popup; resolves once the platform's callback page answered. */
async function consent(authorizeUrl: string, decision: "allow" | "deny" = "allow") {
  const state = new URL(authorizeUrl).searchParams.get("state")!;
  const answer = await fetch(`${PLATFORM}/api/v1/mock-oauth/authorize`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ state, decision }).toString(),
  });
  await (await fetch(answer.headers.get("location")!)).text();
}

/** A popup the test controls: where the flow sent it, and whether the user closed it. */
function fakePopup() {
  const popup = { closed: false, location: { href: "about:blank" }, close: vi.fn(() => void (popup.closed = true)) };
  return popup;
}

/** Stubs the page's `window`: `open` answers `popup` (null: the browser blocked it). */
function stubWindow(popup: ReturnType<typeof fakePopup> | null) {
  const open = vi.fn((..._args: unknown[]) => popup);
  vi.stubGlobal("window", Object.assign(new EventTarget(), { open }));
  return open;
}
afterEach(() => void vi.unstubAllGlobals());

const secrets = (value: unknown) => JSON.stringify(value);

describe("headless connections", () => {
  it("adds API-key and basic connections, lists them (of one app), reads, renames, tests and removes one", async () => {
    const { c } = fresh();
    const stripe = await c.createConnection({ ...stripeKey(), name: "Stripe live" });
    expect(stripe).toMatchObject({ app: "Stripe", kind: "api-key", name: "Stripe live", status: "active", usedBy: [], credentials: { kind: "api-key", apiKey: { secret: "set" } } });
    expect(secrets(stripe)).not.toContain("rk_test_12345678");
    const jira = await c.createConnection({ app: "Jira", credentials: { kind: "basic", username: "ada@acme.example", password: "api-token-1234" } });
    expect(jira).toMatchObject({ kind: "basic", credentials: { kind: "basic", username: "ada@acme.example", password: { secret: "set" } } });

    expect((await c.listConnections()).map((x) => x.id)).toEqual([stripe.id, jira.id]);
    expect((await c.listConnections({ app: "Jira" })).map((x) => x.id)).toEqual([jira.id]);
    expect(await c.getConnection(jira.id)).toEqual(jira);

    expect(await c.renameConnection(jira.id, "Jira (Ada)")).toMatchObject({ id: jira.id, name: "Jira (Ada)" });
    await expect(c.renameConnection(jira.id, "stripe LIVE")).rejects.toMatchObject({ code: "VALIDATION_FAILED", fields: { name: expect.stringContaining("already have") } });

    expect(await c.testConnection(stripe.id)).toMatchObject({ ok: true, message: expect.stringContaining("Connected to Stripe"), connection: { id: stripe.id } });
    expect(await c.deleteConnection(stripe.id)).toEqual({ connectionId: stripe.id });
    await expect(c.getConnection(stripe.id)).rejects.toMatchObject({ code: "NOT_FOUND", status: 404 });
    expect((await c.listConnections()).map((x) => x.id)).toEqual([jira.id]);
  });

  it("a request the platform would refuse is VALIDATION_FAILED per field before anything is sent, and the request is left as typed", async () => {
    const { c, sent } = fresh();
    const cases: [unknown, Record<string, string>][] = [
      [{ app: "Stripe", credentials: { kind: "api-key", apiKey: "" } }, { apiKey: "Enter the API key." }],
      [{ app: "Jira", credentials: { kind: "basic", username: "ada" } }, { password: "Enter the password." }],
      [{ app: "", name: "x".repeat(101), credentials: { kind: "api-key", apiKey: "k" } }, { app: "Enter the app.", name: "At most 100 characters." }],
      [{ app: "Slack", credentials: { kind: "oauth2" } }, { kind: expect.stringContaining("connectOAuth") }],
      [{ app: "Stripe" }, { credentials: "Enter the credentials." }],
      [{ ...stripeKey(), secretNote: "x" }, { secretNote: '"secretNote" is not part of a connection request.' }],
      [{ app: 42, credentials: { kind: "api-key", apiKey: "k" } }, { app: "Expected string, received number." }],
    ];
    for (const [request, fields] of cases) {
      const copy = structuredClone(request);
      const error = await c.createConnection(request as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EmporiumApiError);
      expect(error).toMatchObject({ code: "VALIDATION_FAILED", status: 0, fields });
      expect(request).toEqual(copy);
    }
    await expect(c.renameConnection("con_x", "")).rejects.toMatchObject({ code: "VALIDATION_FAILED", fields: { name: "Enter a name." } });
    await expect(c.reconnectConnection("con_x", { kind: "api-key", apiKey: "" })).rejects.toMatchObject({ code: "VALIDATION_FAILED", fields: { apiKey: "Enter the API key." } });
    expect(sent).toEqual([]);
  });

  it("credentials the app refuses are VALIDATION_FAILED on the secret's field, in the app's words; an app no integration uses is one on app", async () => {
    const { c } = fresh();
    await expect(c.createConnection({ app: "Jira", credentials: { kind: "basic", username: "ada", password: "bad-password" } })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      status: 422,
      fields: { password: expect.stringContaining("Jira refused") },
    });
    await expect(c.createConnection(stripeKey("bad-key-000"))).rejects.toMatchObject({ code: "VALIDATION_FAILED", fields: { apiKey: expect.any(String) } });
    await expect(c.createConnection({ app: "Nowhere", credentials: { kind: "api-key", apiKey: "k-1234" } })).rejects.toMatchObject({ code: "VALIDATION_FAILED", fields: { app: expect.any(String) } });
    expect(await c.listConnections()).toEqual([]);
  });

  it("removing a connection in use is CONNECTION_IN_USE, naming the instances in its message and listing them in usedBy", async () => {
    const { c } = fresh();
    const stripe = await c.createConnection(stripeKey());
    const draft = await c.createInstance("stripe");
    await c.saveConfigPage(draft.id, "connect", { stripeKey: { connectionId: stripe.id } });
    const error = (await c.deleteConnection(stripe.id).catch((e: unknown) => e)) as EmporiumApiError;
    expect(error).toMatchObject({ code: "CONNECTION_IN_USE", status: 409, message: expect.stringContaining(`"${draft.name}"`) });
    expect(error.usedBy).toEqual([{ instanceId: draft.id, instanceName: draft.name, integrationId: "stripe", fieldKey: "stripeKey" }]);
    expect((await c.getConnection(stripe.id)).usedBy).toHaveLength(1);
  });

  it("reconnects an API-key connection with new credentials: same id, the instance keeps it; refused ones change nothing", async () => {
    const { c } = fresh();
    const stripe = await c.createConnection(stripeKey());
    const draft = await c.createInstance("stripe");
    await c.saveConfigPage(draft.id, "connect", { stripeKey: { connectionId: stripe.id } });
    const again = await c.reconnectConnection(stripe.id, { kind: "api-key", apiKey: "rk_test_87654321" });
    expect(again).toMatchObject({ id: stripe.id, status: "active" });
    expect(Date.parse(again.updatedAt)).toBeGreaterThanOrEqual(Date.parse(stripe.updatedAt));
    await expect(c.reconnectConnection(stripe.id, { kind: "api-key", apiKey: "bad-key-000" })).rejects.toMatchObject({ code: "VALIDATION_FAILED", fields: { apiKey: expect.any(String) } });
    expect((await c.testConnection(stripe.id)).ok).toBe(true);
    expect((await c.getInstance(draft.id)).configValues.stripeKey).toMatchObject({ connectionId: stripe.id });
    // An API-key connection has no OAuth flow to run: it needs credentials (nothing opened).
    const open = stubWindow(fakePopup());
    await expect(c.reconnectConnection(stripe.id, { openExternalUrl: () => {} })).rejects.toMatchObject({ code: "INVALID_OPTION", message: expect.stringContaining('kind: "api-key"') });
    expect(open).not.toHaveBeenCalled();
  });

  it("tests a connection field's value: typed credentials, a chosen connection, or what is saved", async () => {
    const { c } = fresh();
    const draft = await c.createInstance("stripe");
    expect(await c.testConnectionField(draft.id, "stripeKey", { kind: "api-key", apiKey: "bad-key-000" })).toMatchObject({ ok: false, state: { kind: "api-key" } });
    const typed = await c.testConnectionField(draft.id, "stripeKey", { kind: "api-key", apiKey: "rk_test_12345678" });
    expect(typed).toMatchObject({ ok: true, state: { kind: "api-key", apiKey: { secret: "set" } } });
    const stripe = await c.createConnection(stripeKey());
    expect(await c.testConnectionField(draft.id, "stripeKey", { connectionId: stripe.id })).toMatchObject({ ok: true });
    expect(await c.testConnectionField(draft.id, "stripeKey")).toMatchObject({ ok: false, message: expect.stringContaining("Enter the Stripe credentials") });
    await expect(c.testConnectionField(draft.id, "nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("A9 a viewer reads connections but cannot add, rename, reconnect, test, remove or connect (FORBIDDEN)", async () => {
    const admin = fresh();
    const stripe = await admin.c.createConnection(stripeKey());
    const { c } = fresh("viewer", admin.customer);
    expect((await c.listConnections()).map((x) => x.id)).toEqual([stripe.id]);
    expect((await c.getConnection(stripe.id)).id).toBe(stripe.id);
    const forbidden = { code: "FORBIDDEN", status: 403 };
    await expect(c.createConnection(stripeKey())).rejects.toMatchObject(forbidden);
    await expect(c.renameConnection(stripe.id, "Mine")).rejects.toMatchObject(forbidden);
    await expect(c.reconnectConnection(stripe.id, { kind: "api-key", apiKey: "rk_test_87654321" })).rejects.toMatchObject(forbidden);
    await expect(c.testConnection(stripe.id)).rejects.toMatchObject(forbidden);
    await expect(c.deleteConnection(stripe.id)).rejects.toMatchObject(forbidden);
    stubWindow(null);
    await expect(c.connectOAuth("Slack", { openExternalUrl: () => {} })).rejects.toMatchObject(forbidden);
  });

  it("A6 another customer's connection is NOT_FOUND (404, never 403) for every function", async () => {
    const owner = fresh();
    const stripe = await owner.c.createConnection(stripeKey());
    const { c } = fresh();
    const notFound = { code: "NOT_FOUND", status: 404 };
    await expect(c.getConnection(stripe.id)).rejects.toMatchObject(notFound);
    await expect(c.renameConnection(stripe.id, "Mine")).rejects.toMatchObject(notFound);
    await expect(c.reconnectConnection(stripe.id, { kind: "api-key", apiKey: "rk_test_87654321" })).rejects.toMatchObject(notFound);
    await expect(c.testConnection(stripe.id)).rejects.toMatchObject(notFound);
    await expect(c.deleteConnection(stripe.id)).rejects.toMatchObject(notFound);
    expect(await c.listConnections()).toEqual([]);
  });

  it("S4 a connection the host provides comes back with providedBy and never a secret; the customer uses and tests it but cannot rename, reconnect or remove it", async () => {
    const { c } = fresh();
    const customerId = (await c.session()).customer.id;
    const canary = "rk_test_CANARY_9f3e1c";
    const provided = await fetch(PLATFORM + orgPaths.customerConnections(customerId), {
      method: "POST",
      headers: { Authorization: `Bearer ${platform.org.apiKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ app: "Stripe", name: "Stripe (from Acme)", credentials: { kind: "api-key", apiKey: canary } }),
    });
    expect(provided.status).toBe(201);
    const id = ((await provided.json()) as Connection).id;

    const listed = await c.listConnections();
    expect(listed).toEqual([expect.objectContaining({ id, providedBy: platform.org.name, name: "Stripe (from Acme)" })]);
    expect(listed[0]!.credentials).toBeUndefined();
    const checked = await c.testConnection(id);
    expect(checked.ok).toBe(true);
    const draft = await c.createInstance("stripe");
    await c.saveConfigPage(draft.id, "connect", { stripeKey: { connectionId: id } });
    const field = await c.testConnectionField(draft.id, "stripeKey");
    const instance = await c.getInstance(draft.id);
    for (const answer of [listed, await c.getConnection(id), checked, field, instance]) expect(secrets(answer)).not.toContain(canary);

    const provider = { code: "CONNECTION_PROVIDED", status: 403 };
    await expect(c.renameConnection(id, "Mine")).rejects.toMatchObject(provider);
    await expect(c.reconnectConnection(id, { kind: "api-key", apiKey: "rk_test_87654321" })).rejects.toMatchObject(provider);
    await expect(c.deleteConnection(id)).rejects.toMatchObject(provider);
  });

  it("rejects a wrong argument with INVALID_OPTION saying what was expected, before any request", async () => {
    const { c, sent } = fresh();
    await expect(c.getConnection("")).rejects.toMatchObject({ code: "INVALID_OPTION", message: 'expected the connection id as a non-empty string, received ""' });
    await expect(c.deleteConnection(42 as never)).rejects.toMatchObject({ code: "INVALID_OPTION", message: "expected the connection id as a non-empty string, received number" });
    await expect(c.listConnections({ kind: "api-key" } as never)).rejects.toMatchObject({ code: "INVALID_OPTION", message: 'expected a filter (app), received "kind"' });
    await expect(c.listConnections({ app: 1 } as never)).rejects.toMatchObject({ code: "INVALID_OPTION" });
    await expect(c.testConnectionField("ins_1", "" as never)).rejects.toMatchObject({ code: "INVALID_OPTION" });
    expect(sent).toEqual([]);
  });
});

describe("headless OAuth", () => {
  /** Waits until the flow sent the popup to the authorize page; its URL. */
  const authorizePage = async (popup: { location: { href: string } }) => {
    await expect.poll(() => popup.location.href).toContain("/mock-oauth/authorize?");
    return popup.location.href;
  };

  it("connects through a popup opened in the call (sized as asked) and resolves with the new connection once the app returns", async () => {
    const { c } = fresh();
    const popup = fakePopup();
    const open = stubWindow(popup);
    const connecting = c.connectOAuth("Slack", { popupSize: { width: 600, height: 720 } });
    // Opened synchronously, inside the caller's click: before anything was awaited.
    expect(open).toHaveBeenCalledWith("about:blank", "em-oauth-Slack", "popup,width=600,height=720");
    const url = await authorizePage(popup);
    await consent(url);
    const connection = await connecting;
    expect(connection).toMatchObject({ app: "Slack", kind: "oauth2", status: "active", account: expect.any(String) });
    expect(popup.close).toHaveBeenCalled();
    expect((await c.listConnections({ app: "Slack" })).map((x) => x.id)).toEqual([connection.id]);
  });

  it("S5 the authorize URL the host page sees carries the state and no code or token", async () => {
    const { c } = fresh();
    stubWindow(null);
    const urls: string[] = [];
    const connecting = c.connectOAuth("Slack", { openExternalUrl: (url) => void urls.push(url) });
    await expect.poll(() => urls.length).toBe(1);
    const query = new URL(urls[0]!).searchParams;
    // base64url: letters, digits, "_" and "-" (a "-" may split it into short runs of \w).
    expect(query.get("state")).toMatch(/^[\w-]{16,}$/);
    for (const key of query.keys()) expect(key).not.toMatch(/code|token/i);
    await consent(urls[0]!);
    const connection = await connecting;
    expect(secrets(connection)).not.toMatch(/access_token|refresh_token/);
  });

  it("a blocked popup gives onBlocked the authorize URL to show as a link, and the flow completes when the user opens it", async () => {
    const { c } = fresh();
    const open = stubWindow(null);
    const links: string[] = [];
    const connecting = c.connectOAuth("Slack", { onBlocked: (url) => void links.push(url) });
    expect(open).toHaveBeenCalledTimes(1);
    await expect.poll(() => links.length).toBe(1);
    await consent(links[0]!);
    expect(await connecting).toMatchObject({ app: "Slack", status: "active" });
  });

  it("a blocked popup without onBlocked is OAUTH_POPUP_BLOCKED before anything starts", async () => {
    const { c, sent } = fresh();
    stubWindow(null);
    await expect(c.connectOAuth("Slack")).rejects.toMatchObject({ code: "OAUTH_POPUP_BLOCKED" });
    expect(sent).toEqual([]);
  });

  it("openExternalUrl opens the page instead of a popup (webviews, Electron); a denial is OAUTH_DENIED and adds nothing", async () => {
    const { c } = fresh();
    const open = stubWindow(fakePopup());
    const urls: string[] = [];
    const connecting = c.connectOAuth("Slack", { openExternalUrl: async (url) => void urls.push(url) });
    await expect.poll(() => urls.length).toBe(1);
    expect(open).not.toHaveBeenCalled();
    await consent(urls[0]!, "deny");
    await expect(connecting).rejects.toMatchObject({ code: "OAUTH_DENIED" });
    expect(await c.listConnections()).toEqual([]);
  });

  it("a popup closed before finishing is OAUTH_POPUP_CLOSED; so is an aborted signal; nothing is added", async () => {
    const { c } = fresh();
    const popup = fakePopup();
    stubWindow(popup);
    const connecting = c.connectOAuth("Slack");
    await authorizePage(popup);
    popup.closed = true;
    await expect(connecting).rejects.toMatchObject({ code: "OAUTH_POPUP_CLOSED" });

    const second = fakePopup();
    stubWindow(second);
    const abort = new AbortController();
    const canceled = c.connectOAuth("Slack", { signal: abort.signal });
    await authorizePage(second);
    abort.abort();
    await expect(canceled).rejects.toMatchObject({ code: "OAUTH_POPUP_CLOSED" });
    expect(second.close).toHaveBeenCalled();
    expect(await c.listConnections()).toEqual([]);
  });

  it("uses a popup the host opened itself (its code awaited before calling), and reconnects an OAuth connection in place", async () => {
    const { c } = fresh();
    const open = stubWindow(null);
    const own = fakePopup();
    const connecting = c.connectOAuth("Slack", { popup: own as unknown as Window });
    await consent(await authorizePage(own));
    const slack = await connecting;
    expect(open).not.toHaveBeenCalled();

    const again = fakePopup();
    stubWindow(again);
    const reconnecting = c.reconnectConnection(slack.id);
    await consent(await authorizePage(again));
    expect(await reconnecting).toMatchObject({ id: slack.id, status: "active" });
    expect((await c.listConnections()).map((x) => x.id)).toEqual([slack.id]);
  });

  it("a headless wizard's OAuth field takes the connection connectOAuth made ({ connectionId }) and moves on", async () => {
    const { c } = fresh();
    stubWindow(null);
    const wizard = await c.wizard("slack");
    expect(wizard.current.name).toBe("connect");
    expect(wizard.validate({})).toEqual({ slackConnection: expect.any(String) });
    const urls: string[] = [];
    const connecting = c.connectOAuth("Slack", { openExternalUrl: (url) => void urls.push(url) });
    await expect.poll(() => urls.length).toBe(1);
    await consent(urls[0]!);
    const slack = await connecting;
    await wizard.next({ slackConnection: { connectionId: slack.id } });
    expect(wizard.current.name).toBe("notifications");
    expect((await c.getConnection(slack.id)).usedBy.map((use) => use.fieldKey)).toEqual(["slackConnection"]);
  });

  it("an app no integration connects to with OAuth is NOT_FOUND, and the popup it opened is closed", async () => {
    const { c } = fresh();
    const popup = fakePopup();
    stubWindow(popup);
    await expect(c.connectOAuth("Stripe")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(popup.close).toHaveBeenCalled();
  });

  it("wrong OAuth options are INVALID_OPTION naming the option; the popup the call opened is closed and nothing is sent", async () => {
    const { c, sent } = fresh();
    // [options, message, whether the call opened a popup (not for openExternalUrl)]
    const bad: [unknown, RegExp, boolean][] = [
      [{ popupSize: { width: 50 } }, /popupSize/, true],
      [{ openExternalUrl: "https://x.example" }, /openExternalUrl to be a function/, false],
      [{ onBlocked: true }, /onBlocked/, true],
      [{ signal: {} }, /AbortSignal/, true],
      [{ connectionId: "con_1" }, /an OAuth option \(.*\), received "connectionId"/, true],
      ["popup", /an OAuth options object/, true],
    ];
    for (const [options, message, opened] of bad) {
      const popup = fakePopup();
      const open = stubWindow(popup);
      await expect(c.connectOAuth("Slack", options as never)).rejects.toMatchObject({ code: "INVALID_OPTION", message: expect.stringMatching(message) });
      expect(open).toHaveBeenCalledTimes(opened ? 1 : 0);
      expect(popup.closed).toBe(opened);
    }
    expect(sent).toEqual([]);
  });
});
