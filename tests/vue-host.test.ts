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

it("on a phone (320 and 375 px) the Vue app shows the marketplace full width with the events under it and does not scroll sideways; Dark mode darkens the page around the frame too", async () => {
  const page = await browser.context.newPage();
  try {
    const found: Record<string, string[]> = {};
    for (const width of [320, 375]) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${stack.hostUrl}/vue-host/`);
      await page.locator('[data-testid="events"] li[data-event="ready"]').waitFor();
      const problems = await page.evaluate(() => {
        const out: string[] = [];
        const { scrollWidth, clientWidth } = document.documentElement;
        if (scrollWidth > clientWidth) out.push(`the page scrolls sideways by ${scrollWidth - clientWidth} px`);
        const market = document.querySelector("emporium-marketplace")!.getBoundingClientRect();
        const events = document.querySelector(".events")!.getBoundingClientRect();
        if (market.width < clientWidth - 40) out.push(`the marketplace is ${Math.round(market.width)} px wide of ${clientWidth}`);
        if (events.top < market.bottom) out.push("the events sit beside the marketplace, not under it");
        return out;
      });
      if (problems.length) found[`${width} px`] = problems;
    }
    expect(found).toEqual({});
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await background();
    await page.getByTestId("dark").click();
    expect(await page.getByTestId("dark").getAttribute("aria-pressed")).toBe("true");
    // The page's background is dark: each channel under a quarter.
    await expect.poll(async () => (await background()).match(/\d+/g)!.slice(0, 3).every((c) => Number(c) < 64)).toBe(true);
    expect(light).not.toBe(await background());
  } finally {
    await page.close();
  }
});
