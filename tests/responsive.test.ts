/**
 * Responsive from 320 px wide to full screen: no screen of the frame scrolls sideways, and the
 * primary actions stay on screen.
 */
import { expect, it } from "vitest";
import type { Frame, Page } from "playwright-core";
import { openBlankHostPage } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";

const { stack, browser } = useStackAndBrowser();

const overflow = (frame: Frame) =>
  frame.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));

async function open(page: Page, width: number) {
  await page.setViewportSize({ width, height: 800 });
  await openBlankHostPage(page, stack.hostUrl);
  await page.evaluate(`(() => {
    document.body.style.margin = "0";
    document.getElementById("slot").style.height = "800px";
    window.Emporium.createMarketplace({
      frameUrl: ${JSON.stringify(stack.platformUrl + "/frame/")},
      organization: "demo",
      getToken: () => window.demoToken("globex"),
    }).showMarketplace({ selector: "#slot" });
  })()`);
}

// Each width activates its own integration, so no test depends on what another left behind.
for (const [width, integration] of [
  [320, "Salesforce"],
  [768, "Slack"],
  [1440, "Jira"],
] as const) {
  it(`at ${width} px no screen scrolls sideways and the actions stay visible`, async () => {
    const page = await browser.context.newPage();
    await open(page, width);
    const locator = page.frameLocator("#slot iframe");
    const frame = () => page.frames().find((f) => f.url().startsWith(`${stack.platformUrl}/frame/`))!;
    const card = locator.getByRole("button", { name: new RegExp(integration) });
    await card.waitFor();
    const screens: Record<string, { scroll: number; client: number }> = { marketplace: await overflow(frame()) };
    await card.click();
    const activate = locator.getByRole("button", { name: "Activate" });
    await activate.waitFor();
    screens.detail = await overflow(frame());
    await activate.click();
    await locator.getByText(/^Step 1 of \d$/).waitFor();
    screens.wizard = await overflow(frame());
    for (const [name, { scroll, client }] of Object.entries(screens)) expect(scroll, name).toBeLessThanOrEqual(client);
    const next = await locator.getByRole("button", { name: "Next" }).boundingBox();
    expect(next).not.toBeNull();
    expect(next!.x + next!.width).toBeLessThanOrEqual(width);
    await page.close();
  });
}
