// @vitest-environment happy-dom
// @vitest-environment-options {"settings": {"disableIframePageLoading": true}}
/**
 * `emporium/prismatic` in happy-dom with a fake frame speaking real penpal. A host page written
 * as Prismatic's docs show, in real Chromium: tests/hosts.test.ts.
 */
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import prismatic, { NotSupportedError, PrismaticMessageEvent } from "./prismatic.ts";
import { connectFakeFrame, fakeContentWindows, flush, frameOrigin } from "./testing/fake-frame.ts";
import { waitUntil } from "../tests/wait-until.ts";

const b64 = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
const jwt = (claims: Record<string, unknown> = {}) => `${b64({ alg: "RS256" })}.${b64({ sub: "u1", organization: "org_demo", exp: Date.now() / 1000 + 600, ...claims })}.c2ln`;
const iframes = () => [...document.querySelectorAll("iframe"), ...[...document.body.children].flatMap((e) => [...(e.shadowRoot?.querySelectorAll("iframe") ?? [])])];

beforeEach(async () => {
  document.body.innerHTML = '<div id="mp"><p>old content</p></div>';
  fakeContentWindows();
  prismatic.init({ prismaticUrl: frameOrigin });
  await prismatic.authenticate({ token: jwt() });
});
afterEach(() => {
  prismatic.dispose();
  vi.restoreAllMocks();
});

it("showMarketplace({ selector }) replaces the container's content with the frame at <prismaticUrl>/frame/, for the token's organization", () => {
  prismatic.showMarketplace({ selector: "#mp" });
  const frame = iframes()[0]!;
  expect(document.querySelector("#mp")!.children).toEqual(expect.objectContaining({ length: 1 }));
  expect(frame.parentElement!.id).toBe("mp");
  const url = new URL(frame.src);
  expect(url.origin + url.pathname).toBe(frameOrigin + "/frame/");
  expect(url.searchParams.get("org")).toBe("org_demo");
});

it("showMarketplace() with no options opens a popover; a missing selector is logged, as Prismatic does", () => {
  prismatic.showMarketplace();
  expect(iframes()[0]!.closest("dialog")!.open).toBe(true);
  const error = vi.spyOn(console, "error").mockImplementation(() => {});
  prismatic.showMarketplace({ selector: "#nowhere" });
  expect(error).toHaveBeenCalledWith("Could not find display selector.");
});

it("authenticate refuses what is not an unexpired JWT with an organization, and calling it again hands the new token to the frame at its next refresh", async () => {
  await expect(prismatic.authenticate({ token: "nope" })).rejects.toThrow(/Authentication failed/);
  await expect(prismatic.authenticate({ token: jwt({ exp: 1 }) })).rejects.toThrow(/Authentication failed/);
  await expect(prismatic.authenticate({ token: jwt({ organization: undefined }) })).rejects.toThrow(/Authentication failed/);
  prismatic.showMarketplace({ selector: "#mp" });
  const frame = await connectFakeFrame(iframes()[0]!);
  const first = await frame.host.getToken();
  const refreshed = jwt({ sub: "u2" });
  await prismatic.authenticate({ token: refreshed });
  expect(await frame.host.getToken()).toBe(refreshed);
  expect(first).not.toBe(refreshed);
});

it("showConnections opens the connections screen, inline or (by default) in a popover", async () => {
  prismatic.showConnections({ selector: "#mp" });
  expect(iframes()[0]!.parentElement!.id).toBe("mp");
  expect((await (await connectFakeFrame(iframes()[0]!)).host.init()).screen).toEqual({ name: "connections" });
  prismatic.showConnections();
  const popover = iframes().find((f) => f.closest("dialog"))!;
  expect(popover.closest("dialog")!.open).toBe(true);
  expect((await (await connectFakeFrame(popover)).host.init()).screen).toEqual({ name: "connections" });
});

it("showDashboard and showLogs open the activity screen's dashboard and logs tabs", async () => {
  prismatic.showDashboard({ selector: "#mp" });
  expect((await (await connectFakeFrame(iframes()[0]!)).host.init()).screen).toEqual({ name: "dashboard" });
  prismatic.showLogs({ selector: "#mp" });
  expect((await (await connectFakeFrame(iframes()[0]!)).host.init()).screen).toEqual({ name: "logs" });
});

it("configureInstance opens the wizard by integration name (as its id), by id, or an instance's reconfiguration (instanceId wins)", async () => {
  prismatic.configureInstance({ integrationName: "Google Sheets", skipRedirectOnRemove: false, selector: "#mp" });
  expect((await (await connectFakeFrame(iframes()[0]!)).host.init()).screen).toEqual({ name: "configure", integrationId: "google-sheets" });
  prismatic.configureInstance({ integrationId: "slack", instanceId: "inst_1", skipRedirectOnRemove: false, selector: "#mp" });
  expect(iframes()).toHaveLength(1);
  expect((await (await connectFakeFrame(iframes()[0]!)).host.init()).screen).toEqual({ name: "reconfigure", instanceId: "inst_1" });
});

it("H1 events are window message events named as Prismatic's, posted to this page's own origin (never *), with ids and names only", async () => {
  const post = vi.spyOn(window, "postMessage");
  prismatic.configureInstance({ integrationId: "slack", skipRedirectOnRemove: false, selector: "#mp" });
  const frame = await connectFakeFrame(iframes()[0]!);
  await frame.host.emit({ type: "instance-configuration-opened", payload: { integrationId: "slack", integrationName: "Slack" } });
  await frame.host.emit({ type: "instance-deployed", payload: { integrationId: "slack", integrationName: "Slack", instanceId: "i1", extra: "secret" } as never });
  await frame.host.emit({ type: "warning", payload: { code: "UNKNOWN_PHRASE", message: "x" } });
  await flush();
  expect(post.mock.calls.map(([data, target]) => [(data as { event: string }).event, target])).toEqual([
    ["INSTANCE_CONFIGURATION_OPENED", location.origin],
    ["INSTANCE_CONFIGURATION_LOADED", location.origin],
    ["INSTANCE_DEPLOYED", location.origin],
  ]);
  for (const [data] of post.mock.calls) expect(Object.keys((data as { data: object }).data).sort()).toEqual(["instanceId", "integrationId", "integrationName"]);
  expect(JSON.stringify(post.mock.calls)).not.toContain("secret");
});

it("getMessageIframe finds the frame that sent an event; setConfigVars pre-fills that frame's wizard (plain values only)", async () => {
  const received: MessageEvent[] = [];
  window.addEventListener("message", (event) => received.push(event));
  prismatic.configureInstance({ integrationId: "slack", skipRedirectOnRemove: false, selector: "#mp" });
  const frame = await connectFakeFrame(iframes()[0]!);
  await frame.host.emit({ type: "instance-configuration-opened", payload: { integrationId: "slack", integrationName: "Slack" } });
  await waitUntil(() => expect(received.some((e) => e.data?.event === PrismaticMessageEvent.INSTANCE_CONFIGURATION_LOADED)).toBe(true));
  const loaded = received.find((e) => e.data?.event === PrismaticMessageEvent.INSTANCE_CONFIGURATION_LOADED)!;
  expect(prismatic.getMessageIframe(loaded)).toBe(iframes()[0]);
  prismatic.setConfigVars({ iframe: prismatic.getMessageIframe(loaded)!, configVars: { channel: { value: "#ops" }, conn: { inputs: { key: { value: "s" } } } as never } });
  await flush();
  expect(frame.calls).toEqual([{ method: "setConfigVars", args: [{ channel: { value: "#ops" } }] }]);
});

it("editInstanceConfiguration runs onSuccess for its own frame's deploy, and its remover stops it", async () => {
  const onSuccess = vi.fn();
  const stop = prismatic.editInstanceConfiguration({ instanceId: "inst_1", selector: "#mp", onSuccess })!;
  const frame = await connectFakeFrame(iframes()[0]!);
  await frame.host.emit({ type: "instance-deployed", payload: { integrationId: "slack", integrationName: "Slack", instanceId: "inst_1" } });
  await flush();
  expect(onSuccess).toHaveBeenCalledOnce();
  stop();
  await frame.host.emit({ type: "instance-deployed", payload: { integrationId: "slack", integrationName: "Slack", instanceId: "inst_1" } });
  await flush();
  expect(onSuccess).toHaveBeenCalledOnce();
});

it.each(["graphqlRequest", "showWorkflow", "showWorkflows", "showDesigner", "showIntegrations", "showComponents", "showComponent", "createWorkflow", "queryWorkflows", "editUserLevelConfiguration"] as const)(
  "%s throws NotSupportedError naming it",
  (call) => {
    const run = () => (prismatic[call] as (...args: unknown[]) => unknown)({ usePopover: true });
    expect(run).toThrow(NotSupportedError);
    expect(run).toThrow(expect.objectContaining({ code: "NOT_SUPPORTED", call }));
    expect(iframes()).toHaveLength(0);
  },
);

it("dispose and closePopover leave no frame; init forgets the token", async () => {
  prismatic.showMarketplace({ usePopover: true });
  prismatic.showMarketplace({ selector: "#mp" });
  prismatic.closePopover();
  expect(iframes()).toHaveLength(1);
  prismatic.dispose();
  expect(iframes()).toHaveLength(0);
  prismatic.init({ prismaticUrl: frameOrigin });
  expect(() => prismatic.showMarketplace({ selector: "#mp" })).toThrow(/authenticate/);
});

it("theme, filters and translation map to the SDK's mode, filters and phrases", async () => {
  prismatic.init({ prismaticUrl: frameOrigin, theme: "DARK", filters: { marketplace: { category: "CRM", includeActiveIntegrations: false, filterQuery: ["equal", "name", "x"] } }, translation: { phrases: { "a.b": "A", "c.d": { _: "C" } } } });
  await prismatic.authenticate({ token: jwt() });
  prismatic.showMarketplace({ selector: "#mp" });
  const init = await (await connectFakeFrame(iframes()[0]!)).host.init();
  expect(init).toMatchObject({ mode: "dark", filters: { category: "CRM", state: "available" }, phrases: { "a.b": "A", "c.d": "C" } });
});
