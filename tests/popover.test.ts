/**
 * The popover in real Chromium, host on localhost and frame on 127.0.0.1: on the demo host page
 * (whose `button { color: #fff }` once made the close button white on white) and on a page with
 * hostile CSS, the close button is legible and the backdrop dims; Esc closes it right after it
 * opens and after the frame has taken focus, without a click inside; focus goes into the frame
 * once it is drawn and back to the opener on close; the host's theme tokens and mode paint it.
 */
import { expect, it } from "vitest";
import type { Frame, Page } from "playwright-core";
import { openPopoverHostPage, pressEscapeInClosingFrame, withPage } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";

const { stack, browser } = useStackAndBrowser();

/** WCAG contrast ratio of two `rgb()/rgba()` colours (alpha ignored: both are opaque here). */
const contrast = (a: string, b: string) => {
  const luminance = (color: string) => {
    const [r, g, bl] = color.match(/[\d.]+/g)!.slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

/** What the popover chrome looks like, read from the shadow root the SDK drew it in. */
const chrome = (page: Page) =>
  page.evaluate(() => {
    const dialog = [...document.body.children].find((e) => e.shadowRoot?.querySelector("dialog"))!.shadowRoot!.querySelector("dialog")!;
    const button = dialog.querySelector("button")!;
    const iframe = dialog.querySelector("iframe")!;
    const box = dialog.getBoundingClientRect();
    const close = button.getBoundingClientRect();
    return {
      modal: dialog.matches(":modal"),
      box: { width: box.width, height: box.height },
      frame: { width: iframe.getBoundingClientRect().width, height: iframe.getBoundingClientRect().height },
      close: { width: close.width, height: close.height, inside: close.right <= box.right && close.top >= box.top },
      buttonColor: getComputedStyle(button).color,
      buttonVisible: getComputedStyle(button).visibility === "visible" && getComputedStyle(button).display !== "none",
      dialogBackground: getComputedStyle(dialog).backgroundColor,
      backdrop: getComputedStyle(dialog, "::backdrop").backgroundColor,
      radius: getComputedStyle(dialog).borderTopLeftRadius,
    };
  });

const frameOf = (page: Page): Frame => page.frames().find((f) => f.url().startsWith(`${stack.platformUrl}/frame/`) && f.parentFrame())!;

/**
 * Runs `use` on a blank host page with an opener button and a marketplace whose events land in
 * `window.__events` (`options` go to openPopoverHostPage, `hostileCss` onto the page), then closes it.
 */
const withHostPage = ({ hostileCss, ...options }: Record<string, unknown> & { hostileCss?: string }, use: (page: Page) => Promise<void>) =>
  withPage(browser, async (page) => {
    await openPopoverHostPage(page, stack, options, hostileCss);
    await page.bringToFront();
    await use(page);
  });
const events = (page: Page) => page.evaluate(() => (window as unknown as { __events: string[] }).__events);
/** Open popovers: elements of the page whose shadow root holds the SDK's dialog. */
const popoverCount = (page: Page) => page.evaluate(() => [...document.body.children].filter((e) => e.shadowRoot?.querySelector("dialog")).length);
/** The popover is gone, the host heard exactly `heard`, and focus is back on the button that opened it. */
async function expectClosedWithFocusBack(page: Page, heard: string[]) {
  await expect.poll(() => popoverCount(page)).toBe(0);
  expect(await events(page)).toEqual(heard);
  expect(await page.evaluate(() => document.activeElement!.id)).toBe("opener");
}

it("on the demo host page the close button is legible (not white on white), the backdrop dims and the dialog is modal", async () => {
  await withPage(browser, async (page) => {
    await page.goto(`${stack.hostUrl}/`);
    // The demo page's own buttons are white text on its accent colour.
    expect(await page.locator("#open-popover").evaluate((b) => getComputedStyle(b).color)).toBe("rgb(255, 255, 255)");
    await page.click("#open-popover");
    await page.frameLocator("dialog iframe").getByRole("searchbox").waitFor();
    const look = await chrome(page);
    expect(look.modal).toBe(true);
    expect(look.buttonVisible).toBe(true);
    expect(look.buttonColor).not.toBe("rgb(255, 255, 255)");
    expect(contrast(look.buttonColor, look.dialogBackground)).toBeGreaterThanOrEqual(4.5);
    expect(look.close.width).toBeGreaterThanOrEqual(24);
    expect(look.close.inside).toBe(true);
    // The page behind is dimmed by at least half.
    const alpha = Number(look.backdrop.match(/[\d.]+/g)![3]);
    expect(look.backdrop).toMatch(/^rgba\(0, 0, 0, /);
    expect(alpha).toBeGreaterThanOrEqual(0.5);
    expect(look.frame).toEqual(look.box);
  });
});

it("host CSS cannot break it: rules for button, dialog, iframe, div and * (even !important) do not reach the popover", async () => {
  const hostile = `
    * { color: #fff; background: #fff; font-size: 2px; visibility: visible; }
    button:not(#opener) { color: #fff !important; background: #fff !important; display: none !important; }
    dialog { display: none !important; width: 10px !important; }
    iframe { height: 0 !important; width: 0 !important; }
    body { color: #fff !important; font: 1px serif !important; cursor: wait; }`;
  await withHostPage({ hostileCss: hostile }, async (page) => {
    await page.click("#opener");
    await expect.poll(() => events(page)).toContain("ready");
    const look = await chrome(page);
    expect(look.modal).toBe(true);
    expect(look.buttonVisible).toBe(true);
    expect(contrast(look.buttonColor, look.dialogBackground)).toBeGreaterThanOrEqual(4.5);
    expect(look.close.width).toBeGreaterThanOrEqual(24);
    expect(look.box.width).toBeGreaterThan(900);
    expect(look.box.height).toBeGreaterThan(600);
    expect(look.frame).toEqual(look.box);
  });
});

it("Esc right after it opens closes it (focus is on the close button until the frame is drawn), returns focus, one close event", async () => {
  // A token that never comes: the frame is never drawn, so Esc surely comes before `ready`.
  await withHostPage({ tokenNeverComes: true }, async (page) => {
    await page.focus("#opener");
    await page.keyboard.press("Enter");
    expect(await popoverCount(page)).toBe(1);
    expect(await page.evaluate(() => document.activeElement!.shadowRoot!.activeElement!.getAttribute("aria-label"))).toBe("Close");
    await page.keyboard.press("Escape");
    await expectClosedWithFocusBack(page, ["close"]);
  });
});

it("once the frame is drawn focus is inside it, and Esc there closes the popover without a click inside first", async () => {
  await withHostPage({}, async (page) => {
    await page.focus("#opener");
    await page.keyboard.press("Enter");
    await expect.poll(() => events(page)).toContain("ready");
    const frame = frameOf(page);
    await expect.poll(() => frame.evaluate(() => document.hasFocus())).toBe(true);
    expect(await page.evaluate(() => document.activeElement!.shadowRoot!.activeElement!.tagName)).toBe("IFRAME");
    pressEscapeInClosingFrame(page);
    await expectClosedWithFocusBack(page, ["ready", "close"]);
  });
});

it("a click on the dimmed backdrop closes it", async () => {
  await withHostPage({}, async (page) => {
    await page.click("#opener");
    await expect.poll(() => events(page)).toContain("ready");
    await page.mouse.click(10, 10);
    await expect.poll(() => popoverCount(page)).toBe(0);
    expect(await events(page)).toEqual(["ready", "close"]);
  });
});

it("is painted with the host's theme tokens and mode (the same tokens as the frame)", async () => {
  await withHostPage({ mode: "dark", theme: { colorBackground: "#102030", colorText: "#ffeeaa", borderRadius: "3px" } }, async (page) => {
    await page.click("#opener");
    await expect.poll(() => events(page)).toContain("ready");
    const look = await chrome(page);
    expect(look.dialogBackground).toBe("rgb(16, 32, 48)");
    expect(look.buttonColor).toBe("rgb(255, 238, 170)");
    expect(look.radius).toBe("3px");
  });
  // Dark mode with no tokens: the system's dark colours, still legible.
  await withHostPage({ mode: "dark" }, async (dark) => {
    await dark.click("#opener");
    await expect.poll(() => events(dark)).toContain("ready");
    const look = await chrome(dark);
    expect(contrast(look.buttonColor, look.dialogBackground)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(look.dialogBackground, "rgb(0, 0, 0)")).toBeLessThan(1.5);
  });
});

it("repaints on setTheme while open, and speaks the host's language: the iframe title, the dialog's name and the close button follow the locale, live", async () => {
  await withHostPage({ mode: "light", locale: "de", theme: { colorText: "#123456" } }, async (page) => {
    const words = () =>
      page.evaluate(() => {
        const dialog = [...document.body.children].find((e) => e.shadowRoot?.querySelector("dialog"))!.shadowRoot!.querySelector("dialog")!;
        return [dialog.querySelector("iframe")!.title, dialog.getAttribute("aria-label"), dialog.querySelector("button")!.getAttribute("aria-label")];
      });
    await page.click("#opener");
    await expect.poll(() => events(page)).toContain("ready");
    await expect.poll(words).toEqual(["Integrations-Marktplatz", "Integrations-Marktplatz", "Schließen"]);
    // Chromium's own accessibility tree names them so.
    expect(await page.getByRole("button", { name: "Schließen" }).count()).toBe(1);

    await page.evaluate(() => (window as unknown as { __m: { setLocale(l: string): Promise<void> } }).__m.setLocale("fr"));
    await expect.poll(words).toEqual(["Catalogue d'intégrations", "Catalogue d'intégrations", "Fermer"]);

    expect((await chrome(page)).buttonColor).toBe("rgb(18, 52, 86)");
    await page.evaluate(() => (window as unknown as { __m: { setTheme(t: object, m: string): Promise<void> } }).__m.setTheme({ colorText: "#fedcba", colorBackground: "#101010" }, "dark"));
    const look = await chrome(page);
    expect(look.buttonColor).toBe("rgb(254, 220, 186)");
    expect(look.dialogBackground).toBe("rgb(16, 16, 16)");
  });
});
