/**
 * autoHeight in real Chromium: a tall frame on a short host viewport. A toast the frame shows
 * (here: "deployed") lands in the part of the frame the user can see, not at the frame's bottom
 * below the fold: the frame's IntersectionObserver reports the visible part of the top-level
 * viewport from inside the cross-origin frame. And the frame follows its content both ways: it
 * grows for a narrow (tall) layout and shrinks back when the layout is wide again.
 */
import { expect, it } from "vitest";
import type { Page } from "playwright-core";
import { deleteAllInstances, deployStripe, openBlankHostPage } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";

const { stack, browser } = useStackAndBrowser();

/** Embeds the marketplace with autoHeight in the blank host page's `#slot`, for globex. */
async function embedAutoHeight(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const m = window.Emporium.createMarketplace({
      frameUrl: ${JSON.stringify(stack.platformUrl + "/frame/")},
      organization: "demo",
      autoHeight: true,
      getToken: async () => (await (await fetch("/api/emporium-token", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ customer: "globex" }) })).json()).token,
    });
    m.showMarketplace({ selector: "#slot" });
  })()`);
}

/** Short enough that the instance page the deploy lands on (≈ 615 px) ends below the fold. */
const VIEWPORT_HEIGHT = 400;

it("a toast in a tall autoHeight frame shows inside the host's viewport", async () => {
  await deleteAllInstances(stack);
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1100, height: VIEWPORT_HEIGHT });
  try {
    await openBlankHostPage(page, stack.hostUrl);
    await page.evaluate(`(() => {
      const header = document.createElement("header");
      header.style.height = "120px";
      document.body.prepend(header);
    })()`);
    await embedAutoHeight(page);
    const frame = page.frameLocator("#slot iframe");
    await deployStripe(frame, "sk_test_autoheight", '{"source":"autoheight"}');
    const toast = frame.locator(".em-toast").first();
    await toast.waitFor();
    // The frame is taller than the viewport: its bottom is below the fold (once the instance
    // page has loaded what it shows and the host has applied the height the frame reported).
    await expect.poll(async () => {
      const iframe = (await page.locator("#slot iframe").boundingBox())!;
      return iframe.y + iframe.height;
    }).toBeGreaterThan(VIEWPORT_HEIGHT + 200);
    // Playwright's boundingBox is in the top-level page's coordinates, frames included.
    await expect.poll(async () => {
      const box = (await toast.boundingBox())!;
      return box.y >= 0 && box.y + box.height <= VIEWPORT_HEIGHT;
    }).toBe(true);
  } finally {
    await page.close();
  }
});

/** The iframe's height on the host page, as the SDK set it from the frame's `resize` reports. */
async function iframeHeight(page: Page): Promise<number> {
  return (await page.locator("#slot iframe").boundingBox())!.height;
}

it("an autoHeight frame grows for tall content and shrinks back when the content gets short", async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1100, height: 700 });
  try {
    await openBlankHostPage(page, stack.hostUrl);
    await embedAutoHeight(page);
    const frame = page.frameLocator("#slot iframe");
    await frame.locator(".em-card").first().waitFor();
    // The frame's own content height (its <html> box), read inside the frame.
    const contentHeight = () => frame.locator("html").evaluate((html) => Math.ceil(html.getBoundingClientRect().height));
    await expect.poll(async () => Math.abs((await iframeHeight(page)) - (await contentHeight()))).toBeLessThanOrEqual(1);
    const wide = await iframeHeight(page);
    // Narrow: the catalogue's cards stack in one column, so the content (and the frame) grows.
    await page.setViewportSize({ width: 320, height: 700 });
    await expect.poll(() => iframeHeight(page)).toBeGreaterThan(wide * 1.5);
    const tall = await iframeHeight(page);
    // Wide again: the cards go back to a grid and the frame shrinks to the content, not to the
    // tall height it had (a document's scrollHeight never drops below its viewport).
    await page.setViewportSize({ width: 1100, height: 700 });
    await expect.poll(() => iframeHeight(page)).toBeLessThan(tall * 0.75);
    await expect.poll(async () => Math.abs((await iframeHeight(page)) - (await contentHeight()))).toBeLessThanOrEqual(1);
  } finally {
    await page.close();
  }
});
