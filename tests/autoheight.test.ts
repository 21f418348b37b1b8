/**
 * autoHeight in real Chromium, host on localhost and frame on 127.0.0.1.
 *
 * - A toast the frame shows (here: "deployed") lands in the part of the frame the user can see,
 *   not at the frame's bottom below the fold: the frame's IntersectionObserver reports the
 *   visible part of the top-level viewport from inside the cross-origin frame.
 * - The frame follows its content both ways: it grows for a narrow (tall) layout and shrinks back
 *   when the layout is wide again.
 * - A shrink never moves what the user aims at: on a host page scrolled to its end (a page made
 *   shorter than its scroll position clamps it, and the frame would slide down under the pointer),
 *   and in a host box that scrolls the frame, a wizard page change under the pointer leaves the
 *   iframe where it was, and the next click by locator reaches the frame. The height given back
 *   follows once the user has scrolled up.
 */
import { describe, expect, it } from "vitest";
import type { FrameLocator, Locator, Page } from "playwright-core";
import { deleteAllInstances, deployStripe, openBlankHostPage, withPage } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";

const { stack, browser } = useStackAndBrowser();

/**
 * Embeds the marketplace with autoHeight in the blank host page's `#slot`, for globex: its list,
 * or the setup wizard of `integration` (a deep link).
 */
async function embedAutoHeight(page: Page, integration?: string): Promise<FrameLocator> {
  await page.evaluate(`(() => {
    const m = window.Emporium.createMarketplace({
      frameUrl: ${JSON.stringify(stack.platformUrl + "/frame/")},
      organization: "demo",
      autoHeight: true,
      getToken: () => window.demoToken("globex"),
    });
    const target = { selector: "#slot" };
    ${integration ? `m.configureInstance({ integration: ${JSON.stringify(integration)} }, target)` : "m.showMarketplace(target)"};
  })()`);
  return page.frameLocator("#slot iframe");
}

/**
 * A blank host page in a 1100 × `height` px window, with a `header` px tall above the
 * marketplace's slot and a `footer` px tall below it (what a host page scrolls past).
 */
async function openHostPage(page: Page, height: number, header = 0, footer = 0): Promise<void> {
  await page.setViewportSize({ width: 1100, height });
  await openBlankHostPage(page, stack.hostUrl);
  await page.evaluate(
    ([header, footer]) => {
      const above = document.createElement("header");
      above.style.height = `${header}px`;
      const below = document.createElement("footer");
      below.style.height = `${footer}px`;
      document.body.prepend(above);
      document.body.append(below);
    },
    [header, footer],
  );
}

/** The iframe's box on the host page, as the SDK sized it from the frame's `resize` reports. */
async function iframeBox(page: Page): Promise<{ y: number; height: number }> {
  return (await page.locator("#slot iframe").boundingBox())!;
}

/** The frame's own content height (its <html> box), read inside the frame. */
const contentHeight = (frame: FrameLocator) => frame.locator("html").evaluate((html) => Math.ceil(html.getBoundingClientRect().height));

/**
 * The frame's content height once the frame's answer for it is settled (ui/auto-height.ts sets
 * `data-em-height-settled`: grown, or shrunk or held back after its 300 ms), else undefined.
 */
const settledContent = (frame: FrameLocator) =>
  frame.locator("html").evaluate((html) => {
    const content = Math.ceil(html.getBoundingClientRect().height);
    return html.getAttribute("data-em-height-settled") === String(content) ? content : undefined;
  });

/** Short enough that the instance page the deploy lands on (≈ 615 px) ends below the fold. */
const VIEWPORT_HEIGHT = 400;

it("a toast in a tall autoHeight frame shows inside the host's viewport", async () => {
  await deleteAllInstances(stack);
  await withPage(browser, async (page) => {
    await openHostPage(page, VIEWPORT_HEIGHT, 120);
    const frame = await embedAutoHeight(page);
    await deployStripe(frame, "sk_test_autoheight", '{"source":"autoheight"}');
    const toast = frame.locator(".em-toast").first();
    await toast.waitFor();
    // The frame is taller than the viewport: its bottom is below the fold (once the instance
    // page has loaded what it shows and the host has applied the height the frame reported).
    await expect.poll(async () => {
      const iframe = await iframeBox(page);
      return iframe.y + iframe.height;
    }).toBeGreaterThan(VIEWPORT_HEIGHT + 200);
    // Playwright's boundingBox is in the top-level page's coordinates, frames included.
    const inView = async (locator: Locator) => {
      const box = (await locator.boundingBox())!;
      return box.y >= 0 && box.y + box.height <= VIEWPORT_HEIGHT;
    };
    await expect.poll(() => inView(toast)).toBe(true);
    // A confirmation opens next to the button that asked, with focus on its Cancel (which the
    // browser scrolls into the host's view): autofocus alone does nothing in a cross-origin frame.
    await frame.getByRole("button", { name: "Deactivate" }).click();
    const cancel = frame.getByRole("alertdialog").getByRole("button", { name: "Cancel" });
    await expect.poll(() => cancel.evaluate((button) => button === document.activeElement)).toBe(true);
    await expect.poll(() => inView(cancel)).toBe(true);
  });
});

it("an autoHeight frame its host makes shorter draws its toast inside the new height in the first frame, before the part in view is measured again", async () => {
  await deleteAllInstances(stack);
  await withPage(browser, async (page) => {
    await openHostPage(page, 900);
    const frame = await embedAutoHeight(page);
    await deployStripe(frame, "sk_test_autoheight_lag");
    await frame.locator(".em-toast").first().waitFor();
    // The whole frame in view: the part in view ends at the frame's bottom, well below 300 px.
    await expect.poll(() => frame.locator("html").evaluate((html) => parseFloat(html.style.getPropertyValue("--em-visible-bottom")))).toBeGreaterThan(500);
    // In the first animation frame at the new height (the resize event's): where the toast is, the
    // iframe's height, and the part in view as the frame knew it then (its observers answer after that frame is drawn).
    await frame.locator("html").evaluate(() => {
      const w = window as unknown as { __firstFrame?: unknown };
      addEventListener("resize", () => requestAnimationFrame(() => {
        const toast = document.querySelector(".em-toast")!.getBoundingClientRect();
        w.__firstFrame ??= { top: toast.top >= 0, bottom: toast.bottom <= innerHeight, height: innerHeight, known: parseFloat(document.documentElement.style.getPropertyValue("--em-visible-bottom")) };
      }), { once: true });
    });
    await page.locator("#slot iframe").evaluate((iframe: HTMLIFrameElement) => (iframe.style.height = "300px"));
    const first = () => frame.locator("html").evaluate(() => (window as unknown as { __firstFrame?: { known: number } }).__firstFrame);
    await expect.poll(first).toBeDefined();
    expect(await first()).toEqual({ top: true, bottom: true, height: 300, known: expect.any(Number) });
    // The part in view as known then was still the old one: what this test is about.
    expect((await first())!.known).toBeGreaterThan(300);
  });
});

it("a frame taller than the window, scrolled through its middle, knows which part of it is in view (where its toasts go)", async () => {
  await deleteAllInstances(stack);
  await withPage(browser, async (page) => {
    await openHostPage(page, VIEWPORT_HEIGHT, 200, 200);
    const frame = await embedAutoHeight(page, "zendesk");
    await zendeskTicketUpdates(frame);
    // The bottom of the part in view as the frame has it (toasts sit there), and as it is.
    const known = () => frame.locator("html").evaluate((html) => parseFloat(html.style.getPropertyValue("--em-visible-bottom")));
    const real = async () => VIEWPORT_HEIGHT - (await iframeBox(page)).y;
    // Scrolled into the frame so that it overflows the window at both ends, then up by 100 px:
    // the same fraction of the frame stays in view all the way (one observer on the frame's root
    // would not call back, and toasts would stay 100 px below the fold).
    for (const frameTopAt of [-400, -300]) {
      await page.evaluate((y) => window.scrollTo(0, y), 200 + 8 - frameTopAt);
      await expect.poll(async () => (await iframeBox(page)).y).toBe(frameTopAt);
      await expect.poll(async () => Math.abs((await known()) - (await real()))).toBeLessThanOrEqual(2);
    }
  });
});

it("an autoHeight frame grows for tall content and shrinks back when the content gets short", async () => {
  await withPage(browser, async (page) => {
    await openHostPage(page, 700);
    const frame = await embedAutoHeight(page);
    await frame.locator(".em-card").first().waitFor();
    await expect.poll(async () => Math.abs((await iframeBox(page)).height - (await contentHeight(frame)))).toBeLessThanOrEqual(1);
    const wide = (await iframeBox(page)).height;
    // Narrow: the catalogue's cards stack in one column, so the content (and the frame) grows.
    await page.setViewportSize({ width: 320, height: 700 });
    await expect.poll(async () => (await iframeBox(page)).height).toBeGreaterThan(wide * 1.5);
    // Read once the frame has its content's height (it may grow in more than one step).
    await expect.poll(async () => Math.abs((await iframeBox(page)).height - (await contentHeight(frame)))).toBeLessThanOrEqual(1);
    const tall = (await iframeBox(page)).height;
    // Wide again: the cards go back to a grid and the frame shrinks to the content, not to the
    // tall height it had (a document's scrollHeight never drops below its viewport).
    await page.setViewportSize({ width: 1100, height: 700 });
    await expect.poll(async () => (await iframeBox(page)).height).toBeLessThan(tall * 0.75);
    await expect.poll(async () => Math.abs((await iframeBox(page)).height - (await contentHeight(frame)))).toBeLessThanOrEqual(1);
  });
});

/**
 * Records, on every animation frame of the host page, where the iframe's top is on screen (in
 * `window.__tops`, each new value once): what the user would see move under the pointer.
 */
async function watchIframeTop(page: Page): Promise<() => Promise<number[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { __tops: number[] };
    const iframe = document.querySelector("#slot iframe")!;
    w.__tops = [];
    const look = () => {
      const top = Math.round(iframe.getBoundingClientRect().top);
      if (w.__tops.at(-1) !== top) w.__tops.push(top);
      requestAnimationFrame(look);
    };
    look();
  });
  return () => page.evaluate(() => (window as unknown as { __tops: number[] }).__tops);
}

/** Zendesk's wizard (opened by a deep link) up to its tall third page: the webhook form's figure, URL and key. */
async function zendeskTicketUpdates(frame: FrameLocator): Promise<void> {
  await frame.getByLabel("API key").fill("zd-token-autoheight");
  await frame.getByRole("button", { name: "Next" }).click();
  const syncBack = frame.getByLabel("Send ticket updates back to this app");
  await syncBack.check();
  await frame.getByText("Step 2 of 3").waitFor();
  await frame.getByRole("button", { name: "Next" }).click();
  await frame.getByRole("heading", { name: "Ticket updates" }).waitFor();
  const image = frame.getByRole("img", { name: /The Zendesk webhook form/ });
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
}

/**
 * From Zendesk's tall third page, with the pointer over the frame: Back (a shorter page), then a
 * click by locator on its checkbox. The iframe's top must not move at any point, and the click must
 * reach the frame (the checkbox changes, and with it the steps).
 */
async function backAndClickUnderThePointer(page: Page, frame: FrameLocator): Promise<{ tops: number[]; heightBefore: number }> {
  const heightBefore = (await iframeBox(page)).height;
  const tops = await watchIframeTop(page);
  await frame.getByRole("button", { name: "Back" }).click();
  await frame.getByText("Step 2 of 3").waitFor();
  // The shorter page is drawn and the frame's answer for it is settled (its 300 ms are over: it
  // asked for a shorter frame, or its guard held the height) before the next click: the moment a
  // shrink would have moved the frame. Waiting only for the shorter content let the click and the
  // checks below run inside those 300 ms, and they passed with the frame's guard switched off.
  await expect.poll(async () => ((await settledContent(frame)) ?? Infinity) < heightBefore - 100).toBe(true);
  await frame.getByLabel("Send ticket updates back to this app").click();
  await frame.getByText("Step 2 of 2").waitFor();
  expect(await frame.getByLabel("Send ticket updates back to this app").isChecked()).toBe(false);
  return { tops: await tops(), heightBefore };
}

/** The iframe ends up at its content's height, well below the `before` it had. */
async function shrunkToContent(page: Page, frame: FrameLocator, before: number): Promise<void> {
  await expect.poll(async () => Math.abs((await iframeBox(page)).height - (await contentHeight(frame)))).toBeLessThanOrEqual(1);
  expect((await iframeBox(page)).height).toBeLessThan(before - 100);
}

describe("a shrink never moves what the user aims at", () => {
  // 700 px: the frame's top is above the viewport (both guards hold); 1300 px: it is in view, and
  // only the SDK's guard (shrink no more than the page can still scroll) keeps the page in place.
  for (const [viewport, where] of [
    [700, "above the viewport"],
    [1300, "in view"],
  ] as const)
    it(`on a host page scrolled to its end, the frame's top ${where}: the iframe stays put under the pointer; its height follows when the user scrolls up`, async () => {
      await deleteAllInstances(stack);
      await withPage(browser, async (page) => {
        // A tall host page: a header above the marketplace, a short footer below it.
        await openHostPage(page, viewport, 900, 40);
        const frame = await embedAutoHeight(page, "zendesk");
        await zendeskTicketUpdates(frame);
        // Scrolled to the page's end, as a user who read down to the wizard's buttons.
        await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        await expect.poll(() => page.evaluate(() => window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1)).toBe(true);
        expect((await iframeBox(page)).y < 0).toBe(where == "above the viewport");

        const { tops, heightBefore } = await backAndClickUnderThePointer(page, frame);
        expect(tops).toHaveLength(1);
        // Nothing was given back that would have made the page shorter than where it is scrolled.
        expect((await iframeBox(page)).height).toBe(heightBefore);

        // The user scrolls back up: now the page can lose height without moving anything, and the
        // frame shrinks to its content.
        await page.evaluate(() => window.scrollTo(0, 0));
        await shrunkToContent(page, frame, heightBefore);
      });
    });

  it("in a host box that scrolls the frame: the iframe stays put while its top is scrolled out of view, and shrinks once the box is scrolled up", async () => {
    await deleteAllInstances(stack);
    await withPage(browser, async (page) => {
      // An app shell: the page itself never scrolls (so the SDK's guard for the page's scroll has
      // nothing to hold back); a 600 px box scrolls the marketplace, with a header above it.
      await openHostPage(page, 700, 300);
      await page.evaluate(() => {
        document.body.style.margin = "0";
        const box = document.createElement("div");
        box.id = "scroller";
        box.style.cssText = "height: 600px; overflow: auto";
        box.append(document.querySelector("header")!, document.getElementById("slot")!);
        document.body.prepend(box);
      });
      const frame = await embedAutoHeight(page, "zendesk");
      await zendeskTicketUpdates(frame);
      await page.evaluate(() => {
        const box = document.getElementById("scroller")!;
        box.scrollTop = box.scrollHeight;
      });
      expect(await page.evaluate(() => window.scrollY)).toBe(0);

      const { tops, heightBefore } = await backAndClickUnderThePointer(page, frame);
      expect(tops).toHaveLength(1);

      // The user scrolls the box back up: the frame's top is in view and it shrinks to its content.
      await page.evaluate(() => document.getElementById("scroller")!.scrollTo(0, 0));
      await shrunkToContent(page, frame, heightBefore);
    });
  });
});
