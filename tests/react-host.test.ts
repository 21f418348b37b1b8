/**
 * Smoke test of examples/react-host (the built app in dist/examples/react-host, served by the
 * demo backend at /react-host/ with the host CSP) in real Chromium across two sites: the React
 * app renders the marketplace through emporium/react's <Marketplace>, SDK events reach the
 * React event log through its on… props, a theme preset restyles the live frame, and short-lived tokens get refreshed.
 * Needs `npm run build` and the example's build (vite build -c examples/react-host/vite.config.ts).
 */
import { expect, it } from "vitest";
import type { Frame, Page } from "playwright-core";
import { themeTokens } from "../contract/theme.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";

const { stack, browser } = useStackAndBrowser();

async function marketplaceFrame(page: Page): Promise<Frame> {
  const isFrame = (f: Frame) => f.url().startsWith(`${stack.platformUrl}/frame/`);
  await expect.poll(() => page.frames().some(isFrame)).toBe(true);
  return page.frames().find(isFrame)!;
}
const cssVar = (frame: Frame, name: string) =>
  frame.evaluate((n) => getComputedStyle(document.documentElement).getPropertyValue(n).trim(), name);

it("renders the marketplace through emporium/react, logs SDK events, restyles from a preset and refreshes its short-lived token", async () => {
  const page = await browser.context.newPage();
  const tokenRequests: number[] = [];
  const failures: string[] = [];
  page.on("request", (r) => r.method() === "POST" && r.url() === `${stack.hostUrl}/api/emporium-token` && tokenRequests.push(Date.now()));
  page.on("response", (r) => r.url() === `${stack.hostUrl}/api/emporium-token` && !r.ok() && failures.push(`token ${r.status()}`));
  page.on("pageerror", (e) => failures.push(e.message));
  page.on("console", (m) => m.type() === "error" && failures.push(`${m.text()} ${m.location().url}`));
  try {
    await page.goto(`${stack.hostUrl}/react-host/`);
    const frame = await marketplaceFrame(page);
    const locator = page.frameLocator(".marketplace iframe");
    await locator.getByRole("searchbox", { name: "Search integrations" }).waitFor();
    // One embed: <Marketplace> created the marketplace once.
    expect(await page.locator("iframe").count()).toBe(1);

    // The SDK's ready event reached the React event log.
    await page.locator('[data-testid="events"] li[data-event="ready"]').waitFor();

    // A preset restyles the live frame, without a reload.
    await frame.evaluate(() => ((window as unknown as { __marker: number }).__marker = 3));
    await page.getByRole("radio", { name: "Teal, rounded" }).check();
    await expect.poll(() => cssVar(frame, "--em-color-primary")).toBe("#0f766e");
    expect(await cssVar(frame, "--em-border-radius")).toBe("14px");
    await page.getByRole("radio", { name: "Midnight" }).check();
    await expect.poll(() => frame.evaluate(() => document.documentElement.dataset.mode)).toBe("dark");
    expect(await cssVar(frame, "--em-color-primary")).toBe("#f59e0b");
    // Tokens the preset does not set fall back to the dark defaults.
    expect(await cssVar(frame, "--em-color-text")).toBe(themeTokens.colorText.dark);
    await page.getByLabel("Language").selectOption("de");
    await locator.getByRole("searchbox", { name: "Integrationen durchsuchen" }).waitFor();
    expect(await frame.evaluate(() => (window as unknown as { __marker: number }).__marker)).toBe(3);

    // The 70 s tokens are refreshed ~60 s before they expire: a second getToken call comes
    // about 10 s after the first, with no error anywhere.
    await expect.poll(() => tokenRequests.length, { interval: 500 }).toBeGreaterThan(1);
    await expect.poll(() => page.getByTestId("token-fetches").locator("output").textContent()).not.toBe("1");
    // The marketplace still works on the refreshed token: a search goes to the platform and answers.
    await locator.getByRole("searchbox").fill("stripe");
    await expect.poll(() => locator.locator(".em-card").count()).toBe(1);
    expect(await page.locator('[data-testid="events"] li[data-event="error"]').count()).toBe(0);
    expect(failures).toEqual([]);
  } finally {
    await page.close();
  }
});
