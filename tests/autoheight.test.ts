/**
 * autoHeight in real Chromium: a tall frame on a short host viewport. A toast the frame shows
 * (here: "deployed") lands in the part of the frame the user can see, not at the frame's bottom
 * below the fold: the frame's IntersectionObserver reports the visible part of the top-level
 * viewport from inside the cross-origin frame.
 */
import { expect, it } from "vitest";
import { deleteAllInstances, deployStripe, openBlankHostPage } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";

const { stack, browser } = useStackAndBrowser();

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
      const m = window.Emporium.createMarketplace({
        frameUrl: ${JSON.stringify(stack.platformUrl + "/frame/")},
        organization: "demo",
        autoHeight: true,
        getToken: async () => (await (await fetch("/api/emporium-token", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ customer: "globex" }) })).json()).token,
      });
      m.showMarketplace({ selector: "#slot" });
    })()`);
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
