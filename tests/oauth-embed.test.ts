/**
 * OAuth in the embedded wizard where popups fail, in real Chromium with the host and the frame on
 * two different sites: the host's `openExternalUrl` hook (webviews, Electron, native shells) gets
 * the authorize URL — `state` only, S5 — and the flow completes once the user answered the app in
 * the page the host opened; a blocked popup gives a typed message and a link that completes the
 * flow; a popup closed mid-flow says so and keeps what was typed.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { FrameLocator, Page } from "playwright-core";
import { openBlankHostPage, type SdkPageWindow } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";

const { stack, browser } = useStackAndBrowser();

const opened: Page[] = [];
afterEach(async () => void (await Promise.all(opened.splice(0).map((page) => page.close()))));

/** Slack's setup for a demo customer, embedded with `extra` options (`externalHook`: an openExternalUrl that records each URL in window.__urls). */
async function slackSetup(customer: string, extra: { externalHook?: boolean; oauthPopup?: { width: number; height: number } } = {}): Promise<{ page: Page; frame: FrameLocator }> {
  const page = await browser.context.newPage();
  opened.push(page);
  await openBlankHostPage(page, stack.hostUrl);
  await page.evaluate(
    ([frameUrl, customer, extra]) => {
      const w = window as unknown as SdkPageWindow & { __urls: string[] };
      w.__urls = [];
      const m = w.Emporium.createMarketplace({
        frameUrl,
        organization: "demo",
        getToken: () => w.demoToken(customer),
        ...(extra.externalHook ? { openExternalUrl: (url: string) => void w.__urls.push(url) } : {}),
        ...(extra.oauthPopup ? { oauthPopup: extra.oauthPopup } : {}),
      });
      document.getElementById("slot")!.style.height = "900px";
      m.configureInstance({ integration: "slack" }, { selector: "#slot" });
    },
    [`${stack.platformUrl}/frame/`, customer, extra] as const,
  );
  const frame = page.frameLocator("#slot iframe");
  await frame.getByText("Step 1 of 2").waitFor();
  return { page, frame };
}

describe("OAuth where popups fail", () => {
  it("S5 openExternalUrl: the host gets the authorize URL with state only, no popup opens, and the flow completes once the user allowed it there", async () => {
    const { page, frame } = await slackSetup("acme-corp", { externalHook: true });
    let popups = 0;
    const onPage = () => popups++;
    page.context().on("page", onPage);
    await frame.getByRole("button", { name: "Connect Slack" }).click();
    await frame.getByText("Waiting for Slack…").waitFor();
    await expect.poll(() => page.evaluate(() => (window as unknown as { __urls: string[] }).__urls.length)).toBe(1);
    page.context().off("page", onPage);
    expect(popups).toBe(0);
    const url = new URL(await page.evaluate(() => (window as unknown as { __urls: string[] }).__urls[0]!));
    expect(url.origin).toBe(stack.platformUrl);
    expect(url.searchParams.get("state")).toBeTruthy();
    for (const key of url.searchParams.keys()) expect(key).not.toMatch(/code|token|grant|secret/i);

    // The host's shell opens it (here: a page of the same browser), and the user allows.
    const shell = await browser.context.newPage();
    opened.push(shell);
    await shell.goto(url.href);
    await shell.getByRole("button", { name: "Allow" }).click();
    await frame.getByText(/^Connected to Slack/).waitFor();
    await frame.getByRole("button", { name: "Next" }).click();
    await frame.getByText("Step 2 of 2").waitFor();
  });

  it("S5 a blocked popup: a typed message and a link to the authorize page (state only) that completes the flow", async () => {
    const { page, frame } = await slackSetup("globex");
    // The browser blocks the popup: window.open in the frame gives nothing.
    const marketplaceFrame = page.frames().find((f) => f.url().startsWith(`${stack.platformUrl}/frame/`))!;
    await marketplaceFrame.evaluate(() => void (window.open = () => null));
    await frame.getByRole("button", { name: "Connect Slack" }).click();
    await frame.getByText("Your browser blocked the sign-in window. Continue in a new tab instead.").waitFor();
    const link = frame.getByRole("link", { name: "Open Slack sign-in" });
    const href = new URL((await link.getAttribute("href"))!);
    expect(href.searchParams.get("state")).toBeTruthy();
    for (const key of href.searchParams.keys()) expect(key).not.toMatch(/code|token|grant|secret/i);
    const tab = page.context().waitForEvent("page");
    await link.click();
    const signIn = await tab;
    opened.push(signIn);
    await signIn.getByRole("button", { name: "Allow" }).click();
    await frame.getByText(/^Connected to Slack/).waitFor();
    expect(await link.count()).toBe(0);
  });

  it("a popup of the host's size closed mid-flow: a clear message, the typed name kept, and Try again works", async () => {
    // Globex: Acme's Slack setup above went on to page 2, and would be resumed there.
    const { page, frame } = await slackSetup("globex", { oauthPopup: { width: 640, height: 720 } });
    const name = frame.getByRole("textbox", { name: /^Name/ });
    await name.fill("Slack · Sales alerts");
    const popupPromise = page.context().waitForEvent("page");
    await frame.getByRole("button", { name: "Connect Slack" }).click();
    const popup = await popupPromise;
    await popup.getByRole("button", { name: "Allow" }).waitFor();
    expect(await popup.evaluate(() => [outerWidth, outerHeight])).toEqual([640, 720]);
    await popup.close();
    await frame.getByText("The sign-in window was closed before finishing.").waitFor();
    expect(await name.inputValue()).toBe("Slack · Sales alerts");
    const again = page.context().waitForEvent("page");
    await frame.getByRole("button", { name: "Try again" }).click();
    const second = await again;
    opened.push(second);
    await second.getByRole("button", { name: "Allow" }).click();
    await frame.getByText(/^Connected to Slack/).waitFor();
    expect(await name.inputValue()).toBe("Slack · Sales alerts");
  });
});
