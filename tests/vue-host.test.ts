/**
 * examples/vue-host (built to dist/examples/vue-host, served at /vue-host/ under the host CSP):
 * a Vue 3 app uses <emporium-marketplace> with bound attributes, properties and event
 * listeners; events reach Vue, the mode and the theme change the live frame without a reload,
 * and no CSP violation happens. Needs `npm run build`.
 */
import { expect, it } from "vitest";
import type { Frame } from "playwright-core";
import { useStackAndBrowser } from "./stack-and-browser.ts";

const { stack, browser } = useStackAndBrowser();

it("the Vue app shows the marketplace through the custom element, gets its events, and restyles the live frame", async () => {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));
  await page.addInitScript(() => addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective}`)));
  try {
    const response = await page.goto(`${stack.hostUrl}/vue-host/`);
    expect(response!.headers()["content-security-policy"]).toContain("require-trusted-types-for 'script'");
    await page.locator('[data-testid="events"] li[data-event="ready"]').waitFor();
    expect(await page.locator("emporium-marketplace iframe").count()).toBe(1);
    const frame = page.frames().find((f) => f.url().startsWith(`${stack.platformUrl}/frame/`)) as Frame;
    await frame.evaluate(() => ((window as unknown as { __marker: number }).__marker = 7));
    await page.getByTestId("dark").click();
    await expect.poll(() => frame.evaluate(() => document.documentElement.dataset.mode)).toBe("dark");
    await page.getByTestId("teal").click();
    await expect.poll(() => frame.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--em-color-primary").trim())).toBe("#0f766e");
    expect(await frame.evaluate(() => (window as unknown as { __marker: number }).__marker)).toBe(7);
    // A click in the frame reaches Vue as the element's DOM event.
    await page.frameLocator("emporium-marketplace iframe").getByRole("button", { name: /Slack/ }).click();
    await page.frameLocator("emporium-marketplace iframe").getByRole("button", { name: "Activate" }).click();
    await page.locator('[data-testid="events"] li[data-event="instance-configuration-opened"]').waitFor();
    expect(await page.locator('[data-testid="events"] li[data-event="instance-configuration-opened"] code').textContent()).toContain('"integrationId":"slack"');
    expect(problems).toEqual([]);
  } finally {
    await page.close();
  }
});
