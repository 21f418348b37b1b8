// @vitest-environment happy-dom
// @vitest-environment-options {"settings": {"disableIframePageLoading": true}}
import { beforeEach, expect, it, vi } from "vitest";
import { createMarketplace } from "./index.ts";
import type { MarketplaceOptions } from "./types.ts";
import { connectFakeFrame, fakeContentWindows, flush } from "./testing/fake-frame.ts";

const open = (options: Partial<MarketplaceOptions> = {}) => {
  const marketplace = createMarketplace({ frameUrl: "https://platform.example/frame/", organization: "org", getToken: async () => "a.b.c", ...options });
  const closed = vi.fn();
  marketplace.on("close", closed);
  const embed = marketplace.showMarketplace({ popover: true });
  const dialog = embed.frame.closest("dialog")!;
  const root = dialog.getRootNode() as ShadowRoot;
  const button = dialog.querySelector("button")!;
  return { marketplace, embed, dialog, root, host: root.host as HTMLElement, button, closed };
};

beforeEach(() => {
  document.body.innerHTML = '<button id="opener">Integrations</button>';
  document.body.style.overflow = "";
  fakeContentWindows();
  document.getElementById("opener")!.focus();
});

it("is a labelled modal dialog opened with showModal()", () => {
  const showModal = vi.spyOn(HTMLDialogElement.prototype, "showModal");
  const { dialog, embed } = open();
  expect(showModal).toHaveBeenCalledOnce();
  expect(dialog.open).toBe(true);
  expect(dialog.getAttribute("aria-label")).toBe(embed.frame.title);
});

it("lives in a shadow root whose host inherits nothing from the page and whose look is an adopted stylesheet, not a <style>", () => {
  const { root, host, dialog } = open();
  expect(root).toBeInstanceOf(ShadowRoot);
  expect(host.parentElement).toBe(document.body);
  expect(host.style.getPropertyValue("all")).toBe("initial");
  expect(root.adoptedStyleSheets).toHaveLength(1);
  const css = [...root.adoptedStyleSheets[0]!.cssRules].map((rule) => rule.cssText).join("\n");
  expect(css).toMatch(/::backdrop/);
  expect(document.querySelectorAll("style").length + root.querySelectorAll("style").length).toBe(0);
  // No host selector can reach inside: the page's own button rule does not match the close button.
  expect(document.querySelectorAll("button")).toHaveLength(1);
  expect(dialog.isConnected).toBe(true);
});

it("takes the host's theme tokens and mode: colorBackground, colorText and borderRadius as custom properties, mode as color-scheme", () => {
  const { host } = open({ theme: { colorBackground: "#101010", colorText: "#fafafa", borderRadius: "4px", colorPrimary: "#f00" }, mode: "dark" });
  expect(host.style.getPropertyValue("--em-colorBackground")).toBe("#101010");
  expect(host.style.getPropertyValue("--em-colorText")).toBe("#fafafa");
  expect(host.style.getPropertyValue("--em-borderRadius")).toBe("4px");
  expect(host.style.getPropertyValue("color-scheme")).toBe("dark");
});

it.each([
  [undefined, "light"],
  ["light", "light"],
  ["auto", "light dark"],
] as const)("mode %s paints the chrome with color-scheme %s (auto follows the page's prefers-color-scheme with no listener)", (mode, scheme) => {
  const { host } = open(mode ? { mode } : {});
  expect(host.style.getPropertyValue("color-scheme")).toBe(scheme);
  expect(host.style.getPropertyValue("--em-colorBackground")).toBe("");
});

it("puts the close button first (showModal() focuses it; the browser test checks) and moves focus into the frame once the frame has drawn its first screen", async () => {
  const { embed, root, button, dialog } = open();
  expect(dialog.firstElementChild).toBe(button);
  expect(root.activeElement).not.toBe(embed.frame);
  expect(document.body.style.overflow).toBe("hidden");
  const frame = await connectFakeFrame(embed.frame);
  await frame.host.emit({ type: "ready", payload: { screen: "marketplace" } });
  await flush();
  expect(root.activeElement).toBe(embed.frame);
});

it("an inline embed keeps the page's focus when its frame is ready", async () => {
  document.body.insertAdjacentHTML("beforeend", "<div id=slot></div>");
  const marketplace = createMarketplace({ frameUrl: "https://platform.example/frame/", organization: "org", getToken: async () => "a.b.c" });
  const embed = marketplace.showMarketplace({ selector: "#slot" });
  const frame = await connectFakeFrame(embed.frame);
  await frame.host.emit({ type: "ready", payload: { screen: "marketplace" } });
  await flush();
  expect(document.activeElement!.id).toBe("opener");
});

it("has a labelled close button that closes it, emits close and returns focus to the opener", async () => {
  const { dialog, closed, embed, button } = open();
  expect(button.getAttribute("aria-label")).toBe("Close");
  expect(button.type).toBe("button");
  button.click();
  await flush();
  expect(dialog.isConnected).toBe(false);
  expect(embed.frame.isConnected).toBe(false);
  expect(closed).toHaveBeenCalledOnce();
  expect(document.activeElement!.id).toBe("opener");
  expect(document.body.style.overflow).toBe("");
});

it("Esc (the dialog closing itself) closes it, once, and returns focus", async () => {
  const { dialog, closed, host } = open();
  dialog.dispatchEvent(new Event("close"));
  await flush();
  expect(host.isConnected).toBe(false);
  expect(closed).toHaveBeenCalledOnce();
  expect(document.activeElement!.id).toBe("opener");
});

it("a click on the backdrop closes it; a click inside the box does not", async () => {
  const { dialog, closed, embed } = open();
  embed.frame.click();
  await flush();
  expect(closed).not.toHaveBeenCalled();
  dialog.click();
  await flush();
  expect(closed).toHaveBeenCalledOnce();
  expect(dialog.isConnected).toBe(false);
});

it("close() from the host removes it without a close event", async () => {
  const { embed, host, closed } = open();
  embed.close();
  embed.close();
  await flush();
  expect(host.isConnected).toBe(false);
  expect(closed).not.toHaveBeenCalled();
  expect(document.activeElement!.id).toBe("opener");
});

it("repaints on setTheme: the new tokens and mode reach the open popover's chrome", async () => {
  const { marketplace, host } = open({ theme: { colorText: "#111111" }, mode: "light" });
  expect(host.style.getPropertyValue("--em-colorText")).toBe("#111111");
  await marketplace.setTheme({ colorText: "#eeeeee", colorBackground: "#222222" }, "dark");
  expect(host.style.getPropertyValue("--em-colorText")).toBe("#eeeeee");
  expect(host.style.getPropertyValue("--em-colorBackground")).toBe("#222222");
  expect(host.style.getPropertyValue("color-scheme")).toBe("dark");
  // Still out of the page's reach after the repaint.
  expect(host.style.getPropertyValue("all")).toBe("initial");
  await marketplace.setTheme({}, "auto");
  expect(host.style.getPropertyValue("--em-colorText")).toBe("");
  expect(host.style.getPropertyValue("color-scheme")).toBe("light dark");
});

it("words its chrome as the frame says: the frame's labels retitle the iframe and relabel the dialog and the close button", async () => {
  const { embed, dialog, button } = open();
  expect([embed.frame.title, dialog.getAttribute("aria-label"), button.getAttribute("aria-label")]).toEqual(["Integration marketplace", "Integration marketplace", "Close"]);
  const frame = await connectFakeFrame(embed.frame);
  await frame.host.emit({ type: "labels", payload: { title: "Integrations-Marktplatz", close: "Schließen" } });
  expect([embed.frame.title, dialog.getAttribute("aria-label"), button.getAttribute("aria-label")]).toEqual(["Integrations-Marktplatz", "Integrations-Marktplatz", "Schließen"]);
});
