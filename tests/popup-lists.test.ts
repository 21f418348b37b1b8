/**
 * Popup lists (the searchable combobox of time zones and data sources) are wholly visible and
 * usable wherever they open, in real Chromium, host on localhost and frame on 127.0.0.1: near the
 * end of an autoHeight frame (which measured its content without the absolutely positioned list,
 * so the list's last options were cut off by the iframe), in a fixed-height inline frame scrolled
 * to its end, and in the popover. In each the list opens on the last fields of a wizard page; its
 * last option, reached with End, is in the iframe's box and in the host's window, the frame's own
 * hit test at its centre finds it (nothing covers it, the iframe does not clip it), and a click on
 * it by locator chooses it. ui/popup-placement.test.ts has the placement rules case by case.
 */
import { describe, expect, it } from "vitest";
import type { FrameLocator, Locator, Page } from "playwright-core";
import { connectThroughPopup, deleteAllInstances, openBlankHostPage, withPage } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";

const { stack, browser } = useStackAndBrowser();

/**
 * A blank host page in a 1100 × `height` px window whose `#slot` embeds `integration`'s setup
 * wizard for globex, with `options` for createMarketplace (autoHeight) and the slot's CSS height.
 */
async function embedWizard(page: Page, height: number, integration: string, options: { autoHeight?: boolean; slotHeight?: number; popover?: boolean } = {}): Promise<FrameLocator> {
  await page.setViewportSize({ width: 1100, height });
  await openBlankHostPage(page, stack.hostUrl);
  await page.evaluate(`(() => {
    if (${options.slotHeight ?? 0}) document.getElementById("slot").style.height = "${options.slotHeight}px";
    const m = window.Emporium.createMarketplace({
      frameUrl: ${JSON.stringify(stack.platformUrl + "/frame/")},
      organization: "demo",
      mode: "auto",
      autoHeight: ${!!options.autoHeight},
      getToken: () => window.demoToken("globex"),
    });
    m.configureInstance({ integration: ${JSON.stringify(integration)} }, ${options.popover ? "{ popover: true }" : '{ selector: "#slot" }'});
  })()`);
  return page.frameLocator(options.popover ? "dialog iframe" : "#slot iframe");
}

/** Slack's wizard up to its second page, whose last field is the digest's schedule and its time zone. */
async function slackNotifications(page: Page, frame: FrameLocator): Promise<Locator> {
  await connectThroughPopup(page, frame, "Slack");
  await frame.getByRole("button", { name: "Next" }).click();
  await frame.getByText("Step 2 of 2").waitFor();
  await frame.getByRole("combobox", { name: "Channel" }).and(frame.locator(":not([aria-busy])")).waitFor();
  return frame.getByRole("combobox", { name: "Time zone" });
}

/** Zendesk's wizard up to its second page, whose time zone (of "Import tickets created since") is near its end. */
async function zendeskTickets(frame: FrameLocator): Promise<Locator> {
  await frame.getByLabel("API key").fill("zd-token-popup-lists");
  await frame.getByRole("button", { name: "Next" }).click();
  await frame.getByText("Step 2 of 2").waitFor();
  return frame.getByRole("combobox", { name: "Time zone" });
}

/** The open list of `combobox` (the one its aria-controls names). */
async function listOf(frame: FrameLocator, combobox: Locator): Promise<Locator> {
  const list = frame.locator(`[id="${await combobox.getAttribute("aria-controls")}"]`);
  await expect.poll(() => combobox.getAttribute("aria-expanded")).toBe("true");
  return list;
}

/**
 * `target` is wholly visible: inside the iframe's box and the host's window (page coordinates,
 * frames included), and the frame's own hit test at its centre lands on it (inside the frame,
 * `elementFromPoint` answers null past the iframe's edge, and another element where one covers it).
 */
async function whollyVisible(page: Page, target: Locator): Promise<boolean> {
  const box = await target.boundingBox();
  const iframe = await page.locator("#slot iframe, dialog iframe").first().boundingBox();
  const viewport = page.viewportSize()!;
  if (!box || !iframe) return false;
  const inside = box.y >= Math.max(0, iframe.y) - 0.5 && box.y + box.height <= Math.min(viewport.height, iframe.y + iframe.height) + 0.5;
  const hit = await target.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return el.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
  });
  return inside && hit;
}

/**
 * Opens the list of `combobox`, checks that all of it is in view, goes to its last option with
 * the keys (the list scrolls to keep the active option in view) and clicks that option by
 * locator: it is chosen.
 * Returns the list and the label chosen.
 */
async function chooseLastOption(page: Page, frame: FrameLocator, combobox: Locator): Promise<{ list: Locator; chosen: string }> {
  await combobox.click();
  const list = await listOf(frame, combobox);
  await expect.poll(() => whollyVisible(page, list)).toBe(true);
  const options = list.getByRole("option");
  const last = options.last();
  const active = () => combobox.getAttribute("aria-activedescendant");
  // The keys move the active option, and the list scrolls (only itself) to keep it in view: End
  // to the last, Home back to the first, ↓ to the second, End again.
  for (const [key, target] of [
    ["End", last],
    ["Home", options.first()],
    ["ArrowDown", options.nth(1)],
    ["End", last],
  ] as const) {
    await combobox.press(key);
    const id = await target.getAttribute("id");
    await expect.poll(active).toBe(id);
    await expect.poll(() => whollyVisible(page, target)).toBe(true);
  }
  const chosen = (await last.locator(".em-combobox-label").textContent())!;
  await last.click();
  await expect.poll(() => combobox.getAttribute("aria-expanded")).toBe("false");
  expect(await combobox.inputValue()).toBe(chosen);
  return { list, chosen };
}

/** The iframe's height on the host page, and the frame's content height (its <html> box). */
const iframeHeight = async (page: Page) => (await page.locator("#slot iframe").boundingBox())!.height;
const contentHeight = (frame: FrameLocator) => frame.locator("html").evaluate((html) => Math.ceil(html.getBoundingClientRect().height));

describe("a popup list near the end of a frame is wholly visible and its last option can be chosen", () => {
  it("autoHeight: the time zone of Slack's last field, in a window shorter than the frame", async () => {
    await deleteAllInstances(stack);
    await withPage(browser, async (page) => {
      const frame = await embedWizard(page, 700, "slack", { autoHeight: true });
      const combobox = await slackNotifications(page, frame);
      await combobox.scrollIntoViewIfNeeded();
      const { list } = await chooseLastOption(page, frame, combobox);
      // Closed, the frame fits its content again.
      await expect.poll(() => list.isHidden()).toBe(true);
      await expect.poll(async () => Math.abs((await iframeHeight(page)) - (await contentHeight(frame)))).toBeLessThanOrEqual(1);
    });
  });

  // Zendesk's import time zone, near the end of its page: the window's height, the embed, and
  // where the user has scrolled ("end": the frame, which cannot grow, to its page's end; "middle":
  // the input to the middle of a window with too little room for the list on either side of it,
  // so the list opens where the frame holds it and the host's page scrolls it into view; it is
  // checked wholly in the window before any click by locator, which would scroll it there itself).
  for (const [where, height, options, scrolled] of [
    ["autoHeight, in a window taller than the frame", 1300, { autoHeight: true }, "no"],
    ["autoHeight, in a window too short for the list on either side of the input", 440, { autoHeight: true }, "middle"],
    ["a fixed-height inline frame", 700, { slotHeight: 480 }, "end"],
    ["the popover", 700, { popover: true }, "end"],
  ] as const)
    it(`${where}, scrolled to the ${scrolled === "no" ? "top" : scrolled}: Zendesk's time zone`, async () => {
      await deleteAllInstances(stack);
      await withPage(browser, async (page) => {
        const frame = await embedWizard(page, height, "zendesk", options);
        const combobox = await zendeskTickets(frame);
        if (scrolled === "end") await frame.locator("html").evaluate((html) => html.scrollTo(0, html.scrollHeight));
        if (scrolled === "middle") await combobox.evaluate((input) => input.scrollIntoView({ block: "center" }));
        await chooseLastOption(page, frame, combobox);
      });
    });

  it("autoHeight, a page too short to hold the list on either side: the frame grows to hold it while it is open, and gives the height back once it closes", async () => {
    await deleteAllInstances(stack);
    await withPage(browser, async (page) => {
      const frame = await embedWizard(page, 900, "zendesk", { autoHeight: true });
      const combobox = await zendeskTickets(frame);
      // A page with one field (integrations with a single picklist on a page are common; the
      // demo catalogue has none): Zendesk's other fields are taken out of it.
      await frame.locator('[data-field]:not([data-field="importSince"])').evaluateAll((fields) => fields.forEach((f) => f.remove()));
      await expect.poll(async () => Math.abs((await iframeHeight(page)) - (await contentHeight(frame)))).toBeLessThanOrEqual(1);
      const short = await iframeHeight(page);
      await combobox.click();
      const list = await listOf(frame, combobox);
      await expect.poll(() => iframeHeight(page)).toBeGreaterThan(short);
      await expect.poll(() => whollyVisible(page, list)).toBe(true);
      // By what the list needs, its shadow included, and no more.
      const listBottom = await list.evaluate((l) => l.getBoundingClientRect().bottom);
      expect((await iframeHeight(page)) - listBottom).toBeGreaterThanOrEqual(0);
      expect((await iframeHeight(page)) - listBottom).toBeLessThanOrEqual(9);
      expect(await list.getAttribute("data-side")).toBe(null);
      await combobox.press("Escape");
      await expect.poll(() => list.isHidden()).toBe(true);
      await expect.poll(() => iframeHeight(page)).toBe(short);
      await chooseLastOption(page, frame, combobox);
    });
  });
});
