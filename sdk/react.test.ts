// @vitest-environment happy-dom
// @vitest-environment-options {"settings": {"disableIframePageLoading": true}}
/**
 * `emporium/react` in happy-dom with React 19 and a fake frame speaking real penpal: one frame
 * under StrictMode, nothing left after unmount, event props, live theme/locale/configVars
 * without a new frame, popover and deep-link props, and the server placeholder. React 18 and a
 * real browser: tests/react-entry.test.ts.
 */
import { act, createElement, StrictMode } from "react";
import { createRoot, hydrateRoot, type Root } from "react-dom/client";
import { renderToString } from "react-dom/server";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { Marketplace, useMarketplace, type MarketplaceProps } from "./react.ts";
import { connectFakeFrame, fakeContentWindows, flush, frameOrigin } from "./testing/fake-frame.ts";

const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl";
const base: MarketplaceProps = { frameUrl: frameOrigin + "/frame/", organization: "org_demo", getToken: async () => jwt, id: "mp" };

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
let root: Root;
let container: HTMLElement;
const render = (props: MarketplaceProps, strict = false) =>
  act(() => root.render(strict ? createElement(StrictMode, null, createElement(Marketplace, props)) : createElement(Marketplace, props)));
const iframes = () => [...document.querySelectorAll("iframe"), ...[...document.body.children].flatMap((e) => [...(e.shadowRoot?.querySelectorAll("iframe") ?? [])])];

beforeEach(() => {
  document.body.innerHTML = "<main></main>";
  container = document.querySelector("main")!;
  fakeContentWindows();
  root = createRoot(container);
});
afterEach(async () => {
  await act(() => root.unmount());
  vi.restoreAllMocks();
});

it("renders one frame in its <div>, even under StrictMode's mount → unmount → mount", async () => {
  await render(base, true);
  expect(iframes()).toHaveLength(1);
  expect(iframes()[0]!.parentElement!.id).toBe("mp");
});

it("leaves no iframe, window listener or timer behind on unmount", async () => {
  const added = vi.spyOn(window, "addEventListener");
  const removed = vi.spyOn(window, "removeEventListener");
  const clear = vi.spyOn(globalThis, "clearTimeout");
  await render(base, true);
  await act(() => root.unmount());
  expect(iframes()).toHaveLength(0);
  const messageListeners = (spy: typeof added) => spy.mock.calls.filter(([type]) => type == "message").map(([, listener]) => listener);
  expect(messageListeners(added).length).toBeGreaterThan(0);
  expect(messageListeners(removed).sort()).toEqual(messageListeners(added).sort());
  expect(clear).toHaveBeenCalled();
  root = createRoot(container);
});

it("hands events to the on… props, reading the latest props without a new frame", async () => {
  const first = vi.fn();
  const second = vi.fn();
  await render({ ...base, onInstanceDeployed: first });
  const frame = await connectFakeFrame(iframes()[0]!);
  await render({ ...base, onInstanceDeployed: second });
  expect(iframes()).toHaveLength(1);
  const payload = { integrationId: "slack", integrationName: "Slack", instanceId: "i1" };
  await frame.host.emit({ type: "instance-deployed", payload });
  await flush();
  expect(first).not.toHaveBeenCalled();
  expect(second).toHaveBeenCalledWith(payload, expect.objectContaining({ frame: iframes()[0] }));
});

it("sends theme, mode, locale, phrases and configVars changes to the live frame, once per change, without a new frame", async () => {
  await render({ ...base, theme: { colorPrimary: "#000" } });
  const iframe = iframes()[0]!;
  const frame = await connectFakeFrame(iframe);
  // Same values in new objects: nothing is sent.
  await render({ ...base, theme: { colorPrimary: "#000" } });
  await flush();
  expect(frame.calls).toEqual([]);
  await render({ ...base, theme: { colorPrimary: "#0f766e" }, mode: "dark" });
  await render({ ...base, theme: { colorPrimary: "#0f766e" }, mode: "dark", locale: "de", phrases: { "x.y": "z" } });
  await render({ ...base, theme: { colorPrimary: "#0f766e" }, mode: "dark", locale: "de", phrases: { "x.y": "z" }, configVars: { a: { value: "1" } } });
  await flush();
  expect(frame.calls.map(({ method, args }) => [method, args[0]])).toEqual([
    ["setTheme", { theme: { colorPrimary: "#0f766e" }, mode: "dark", hostPrefersDark: false }],
    ["setLocale", "de"],
    ["setConfigVars", { a: { value: "1" } }],
  ]);
  expect(iframes()).toEqual([iframe]);
});

it("opens a new frame when a prop that picks the frame changes (frameUrl, organization, integration, filters)", async () => {
  await render(base);
  const first = iframes()[0];
  await render({ ...base, filters: { category: "CRM" } });
  expect(iframes()).toHaveLength(1);
  expect(iframes()[0]).not.toBe(first);
});

it("deep links: integration opens the wizard, instanceId its reconfiguration; configVars go with it", async () => {
  await render({ ...base, integration: "slack", configVars: { channel: { value: "#ops" } } });
  const frame = await connectFakeFrame(iframes()[0]!);
  expect(await frame.host.init()).toMatchObject({ screen: { name: "configure", integrationId: "slack" }, configVars: { channel: { value: "#ops" } } });
  await render({ ...base, instanceId: "inst_1" });
  const again = await connectFakeFrame(iframes()[0]!);
  expect((await again.host.init()).screen).toEqual({ name: "reconfigure", instanceId: "inst_1" });
});

it("popover: a modal dialog while mounted, closed on unmount; onClose when the user closes it", async () => {
  const onClose = vi.fn();
  await render({ ...base, popover: true, onClose });
  expect(container.innerHTML).toBe("");
  const dialog = iframes()[0]!.closest("dialog")!;
  expect(dialog.open).toBe(true);
  dialog.querySelector("button")!.click();
  await flush();
  expect(onClose).toHaveBeenCalledOnce();
  expect(iframes()).toHaveLength(0);
  await render({ ...base, popover: true, onClose });
  await render({ ...base });
  expect(iframes()).toHaveLength(1);
  expect(iframes()[0]!.closest("dialog")).toBeNull();
});

it("useMarketplace returns the live marketplace after mount, and null again after unmount", async () => {
  const seen: unknown[] = [];
  const Probe = () => {
    seen.push(useMarketplace(base));
    return null;
  };
  await act(() => root.render(createElement(Probe)));
  expect(seen[0]).toBeNull();
  const marketplace = seen.at(-1) as { showMarketplace: unknown };
  expect(typeof marketplace.showMarketplace).toBe("function");
});

it("SSR: renders a stable empty placeholder on the server and hydrates it without a mismatch", async () => {
  const html = renderToString(createElement(Marketplace, { ...base, className: "mp" }));
  expect(html).toBe('<div id="mp" class="mp"></div>');
  expect(renderToString(createElement(Marketplace, { ...base, popover: true }))).toBe("");
  const errors = vi.spyOn(console, "error");
  const server = document.createElement("section");
  server.innerHTML = html;
  document.body.append(server);
  const hydrated = await act(() => hydrateRoot(server, createElement(Marketplace, { ...base, className: "mp" })));
  expect(errors).not.toHaveBeenCalled();
  expect(iframes()).toHaveLength(1);
  expect(iframes()[0]!.parentElement).toBe(server.firstElementChild);
  await act(() => hydrated.unmount());
});
