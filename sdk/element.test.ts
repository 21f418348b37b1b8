// @vitest-environment happy-dom
// @vitest-environment-options {"settings": {"disableIframePageLoading": true}}
/**
 * `<emporium-marketplace>` in happy-dom with a fake frame speaking real penpal. Real Chromium:
 * tests/hosts.test.ts.
 */
import { beforeEach, expect, it, vi } from "vitest";
import { defineMarketplaceElement, type MarketplaceElement } from "./element.ts";
import { connectFakeFrame, fakeContentWindows, flush, frameOrigin } from "./testing/fake-frame.ts";

const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl";
const getToken = async () => jwt;
const iframes = () => [...document.querySelectorAll("iframe"), ...[...document.body.children].flatMap((e) => [...(e.shadowRoot?.querySelectorAll("iframe") ?? [])])];
const markup = `<emporium-marketplace frame-url="${frameOrigin}/frame/" organization="org_demo"></emporium-marketplace>`;

beforeEach(() => {
  document.body.innerHTML = "";
  fakeContentWindows();
});

it("importing defines nothing; defineMarketplaceElement defines it once", () => {
  expect(customElements.get("emporium-test-a")).toBeUndefined();
  const first = defineMarketplaceElement("emporium-test-a");
  expect(defineMarketplaceElement("emporium-test-a")).toBe(first);
});

it("opens once it is in the document with frame-url, organization and getToken, whichever comes last", async () => {
  defineMarketplaceElement();
  document.body.innerHTML = markup;
  const element = document.querySelector("emporium-marketplace") as MarketplaceElement;
  await flush();
  expect(iframes()).toHaveLength(0);
  element.getToken = getToken;
  await flush();
  expect(iframes()).toHaveLength(1);
  expect(iframes()[0]!.parentElement).toBe(element);
  expect(element.style.display).toBe("block");
});

it("keeps properties set before the element was defined (upgrade)", async () => {
  document.body.innerHTML = markup.replaceAll("emporium-marketplace", "emporium-late");
  const early = document.querySelector("emporium-late") as MarketplaceElement;
  early.getToken = getToken;
  early.theme = { colorPrimary: "#123456" };
  defineMarketplaceElement("emporium-late");
  await flush();
  expect(iframes()).toHaveLength(1);
  const frame = await connectFakeFrame(iframes()[0]!);
  expect((await frame.host.init()).theme).toEqual({ colorPrimary: "#123456" });
});

it("events are CustomEvents with the SDK's payload as detail, bubbling", async () => {
  defineMarketplaceElement();
  document.body.innerHTML = `<section>${markup}</section>`;
  const element = document.querySelector("emporium-marketplace") as MarketplaceElement;
  element.getToken = getToken;
  const seen = vi.fn();
  document.querySelector("section")!.addEventListener("instance-deployed", (event) => seen((event as CustomEvent).detail));
  await flush();
  const frame = await connectFakeFrame(iframes()[0]!);
  const payload = { integrationId: "slack", integrationName: "Slack", instanceId: "i1" };
  await frame.host.emit({ type: "instance-deployed", payload });
  await flush();
  expect(seen).toHaveBeenCalledWith(payload);
});

it("mode, locale, theme, phrases and configVars change the live frame; integration opens a new one at its wizard", async () => {
  defineMarketplaceElement();
  document.body.innerHTML = markup;
  const element = document.querySelector("emporium-marketplace") as MarketplaceElement;
  element.getToken = getToken;
  await flush();
  const iframe = iframes()[0]!;
  const frame = await connectFakeFrame(iframe);
  element.setAttribute("mode", "dark");
  element.setAttribute("locale", "de");
  element.configVars = { a: { value: "1" } };
  await flush();
  expect(frame.calls.map((c) => c.method)).toEqual(["setTheme", "setLocale", "setConfigVars"]);
  expect(iframes()).toEqual([iframe]);
  element.setAttribute("integration", "slack");
  await flush();
  expect(iframes()).toHaveLength(1);
  expect(iframes()[0]).not.toBe(iframe);
  const wizard = await connectFakeFrame(iframes()[0]!);
  expect((await wizard.host.init()).screen).toEqual({ name: "configure", integrationId: "slack" });
});

it("popover opens a modal dialog instead of an inline frame", async () => {
  defineMarketplaceElement();
  document.body.innerHTML = markup.replace("<emporium-marketplace", "<emporium-marketplace popover");
  (document.querySelector("emporium-marketplace") as MarketplaceElement).getToken = getToken;
  await flush();
  expect(iframes()[0]!.closest("dialog")!.open).toBe(true);
});

it("a bad attribute is an error event with the SDK's code; nothing opens", async () => {
  defineMarketplaceElement();
  document.body.innerHTML = markup.replace("org_demo", "not an id!");
  const element = document.querySelector("emporium-marketplace") as MarketplaceElement;
  const errors = vi.fn();
  element.addEventListener("error", (event) => errors((event as unknown as CustomEvent).detail.code));
  element.getToken = getToken;
  await flush();
  expect(errors).toHaveBeenCalledWith("INVALID_OPTION");
  expect(iframes()).toHaveLength(0);
});

it("removed from the document it leaves no iframe or window listener", async () => {
  defineMarketplaceElement();
  const added = vi.spyOn(window, "addEventListener");
  const removed = vi.spyOn(window, "removeEventListener");
  document.body.innerHTML = markup;
  const element = document.querySelector("emporium-marketplace") as MarketplaceElement;
  element.getToken = getToken;
  await flush();
  element.remove();
  expect(iframes()).toHaveLength(0);
  expect(element.marketplace).toBeUndefined();
  const listeners = (spy: typeof added) => spy.mock.calls.filter(([type]) => type == "message").map(([, l]) => l);
  expect(listeners(added).length).toBeGreaterThan(0);
  expect(listeners(removed).sort()).toEqual(listeners(added).sort());
});

it("keeps a plain copy of object properties: a framework's reactive proxy could not be cloned onto the channel", async () => {
  defineMarketplaceElement();
  document.body.innerHTML = markup;
  const element = document.querySelector("emporium-marketplace") as MarketplaceElement;
  element.getToken = getToken;
  element.theme = new Proxy({ colorPrimary: "#abcdef" }, {});
  await flush();
  const frame = await connectFakeFrame(iframes()[0]!);
  expect((await frame.host.init()).theme).toEqual({ colorPrimary: "#abcdef" });
});
