/**
 * Theming and locales on a live embed, in real Chromium across two sites (host on localhost,
 * platform + frame on 127.0.0.1): setTheme restyles the same frame document without losing
 * what the user typed, auto mode follows the host's colour scheme, every bad token value is a
 * named warning that keeps the default and loads nothing (T2/T3), setLocale translates live,
 * autoHeight grows the iframe, and the demo page's theme editor drives all of it.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Frame, Page, Request } from "playwright-core";
import { themeTokens } from "../contract/theme.ts";
import { openBlankHostPage, type SdkPageWindow } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";

let page: Page;

const { stack, browser } = useStackAndBrowser();
beforeEach(async () => {
  page = await browser.context.newPage();
});
afterEach(async () => {
  await page.close();
});

interface HostEvent {
  name: string;
  payload: { code?: string; subject?: string; [key: string]: unknown };
}
type PageWindow = SdkPageWindow & {
  __m: { setTheme(theme: object, mode?: string): Promise<void>; setLocale(locale: string): Promise<void> };
  __events: HostEvent[];
  __marker?: number;
};

/** Opens a blank host page and embeds the marketplace (or, with `integration`, its wizard) in #slot. */
async function embed(options: { mode?: string; theme?: object; autoHeight?: boolean; integration?: string } = {}) {
  await openBlankHostPage(page, stack.hostUrl);
  await page.evaluate(
    ({ frameUrl, integration, ...rest }) => {
      const w = window as unknown as PageWindow;
      w.__events = [];
      const m = w.Emporium.createMarketplace({
        frameUrl,
        organization: "demo",
        getToken: () => w.demoToken("acme-corp"),
        ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
      });
      for (const name of ["ready", "warning", "error"]) m.on(name, (payload: HostEvent["payload"]) => w.__events.push({ name, payload }));
      if (integration) m.configureInstance({ integration }, { selector: "#slot" });
      else m.showMarketplace({ selector: "#slot" });
      w.__m = m;
    },
    { frameUrl: `${stack.platformUrl}/frame/`, ...options },
  );
  await expect.poll(async () => (await events()).some((e) => e.name === "ready")).toBe(true);
  return marketplaceFrame(page);
}

const events = (): Promise<HostEvent[]> => page.evaluate(() => (window as unknown as PageWindow).__events ?? []);
const setTheme = (theme: object, mode?: string) =>
  page.evaluate(([t, m]) => (window as unknown as PageWindow).__m.setTheme(t as object, m as string | undefined), [theme, mode] as const);

async function marketplaceFrame(p: Page): Promise<Frame> {
  await expect.poll(() => p.frames().some((f) => f.url().startsWith(`${stack.platformUrl}/frame/`))).toBe(true);
  return p.frames().find((f) => f.url().startsWith(`${stack.platformUrl}/frame/`))!;
}

/** The value of an --em-* custom property as the frame's stylesheet sees it. */
const cssVar = (frame: Frame, name: string) =>
  frame.evaluate((n) => getComputedStyle(document.documentElement).getPropertyValue(n).trim(), name);
const modeOf = (frame: Frame) => frame.evaluate(() => document.documentElement.dataset.mode);

describe("setTheme on a live embed", () => {
  it("restyles the same frame document and keeps what the user typed into the wizard", async () => {
    const frame = await embed({ integration: "stripe" });
    const apiKey = page.frameLocator("#slot iframe").getByLabel("API key");
    await apiKey.fill("typed before the restyle");
    await frame.evaluate(() => ((window as unknown as PageWindow).__marker = 42));
    const next = page.frameLocator("#slot iframe").getByRole("button", { name: "Next" });
    expect(await cssVar(frame, "--em-color-primary")).toBe(themeTokens.colorPrimary.light);
    expect(await next.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(79, 70, 229)");

    await setTheme({ colorPrimary: "#0f766e", borderRadius: "14px" });
    await expect.poll(() => cssVar(frame, "--em-color-primary")).toBe("#0f766e");
    // Polled: the button transitions its background.
    await expect.poll(() => next.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(15, 118, 110)");
    await expect.poll(() => next.evaluate((el) => getComputedStyle(el).borderTopLeftRadius)).toBe("14px");

    await setTheme({ colorPrimary: "#0f766e" }, "dark");
    await expect.poll(() => modeOf(frame)).toBe("dark");
    expect(await cssVar(frame, "--em-color-background")).toBe(themeTokens.colorBackground.dark);
    await expect.poll(() => frame.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(15, 17, 21)");

    // Same document (no reload), same wizard, same input.
    expect(await frame.evaluate(() => (window as unknown as PageWindow).__marker)).toBe(42);
    expect(await apiKey.inputValue()).toBe("typed before the restyle");
    expect((await events()).filter((e) => e.name === "warning")).toEqual([]);
  });

  it('mode "auto" follows the host page\'s prefers-color-scheme, live', async () => {
    await page.emulateMedia({ colorScheme: "light" });
    const frame = await embed({ mode: "auto" });
    expect(await modeOf(frame)).toBe("light");
    expect(await cssVar(frame, "--em-color-text")).toBe(themeTokens.colorText.light);

    await page.emulateMedia({ colorScheme: "dark" });
    await expect.poll(() => modeOf(frame)).toBe("dark");
    expect(await cssVar(frame, "--em-color-text")).toBe(themeTokens.colorText.dark);

    await page.emulateMedia({ colorScheme: "light" });
    await expect.poll(() => modeOf(frame)).toBe("light");

    // An explicit mode wins over the host's scheme.
    await page.emulateMedia({ colorScheme: "dark" });
    await setTheme({}, "light");
    await expect.poll(() => modeOf(frame)).toBe("light");
  });
});

/**
 * Applies each bad value to `token` on a live embed and checks: a warning naming the token,
 * the default kept, the value nowhere in the frame's styles, and no request leaving for a host
 * other than the two the page legitimately talks to.
 */
async function expectRejected(token: keyof typeof themeTokens, values: readonly string[]) {
  const frame = await embed();
  const requests: string[] = [];
  const onRequest = (r: Request) => requests.push(r.url());
  browser.context.on("request", onRequest);
  try {
    for (const value of values) {
      const before = (await events()).filter((e) => e.name === "warning").length;
      // A valid token in the same call still applies: only the bad one is dropped.
      await setTheme({ [token]: value, colorDanger: "#123456" });
      await expect.poll(async () => (await events()).filter((e) => e.name === "warning").length).toBe(before + 1);
      const warning = (await events()).filter((e) => e.name === "warning").at(-1)!;
      expect(warning.payload).toMatchObject({ code: "INVALID_THEME_TOKEN", subject: token });
      // The message names no value: payloads carry codes and names only.
      expect(JSON.stringify(warning.payload)).not.toContain(value);
      await expect.poll(() => cssVar(frame, "--em-color-danger")).toBe("#123456");
      expect(await cssVar(frame, `--em-${token.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}`)).toBe(themeTokens[token].light);
      const inline = await frame.evaluate(() => document.documentElement.getAttribute("style") ?? "");
      expect(inline).not.toMatch(/url\(|import|expression|\\/i);
      expect(await frame.evaluate(() => getComputedStyle(document.body).backgroundImage)).toBe("none");
      await setTheme({});
      await expect.poll(() => cssVar(frame, "--em-color-danger")).toBe(themeTokens.colorDanger.light);
    }
    // Give anything the values could have triggered time to start, then look.
    await page.waitForTimeout(500); // quiet period: no request leaves for a URL smuggled in a theme value
    const allowed = [stack.platformUrl, stack.hostUrl];
    expect(requests.filter((url) => !allowed.some((origin) => url.startsWith(origin + "/")))).toEqual([]);
    expect(requests.filter((url) => /leak\.test/.test(url))).toEqual([]);
  } finally {
    browser.context.off("request", onRequest);
  }
}

/** T2, one row a token (each on a fresh page): values that try to break out of its grammar. */
const T2_REJECTED: readonly (readonly [what: string, token: keyof typeof themeTokens, values: readonly string[]])[] = [
  ["colour values that try to inject CSS or load a URL", "colorPrimary", [
    "red;}*{background:url(//leak.test/a)}",
    "url(http://leak.test/b.png)",
    "\\40import url(//leak.test/c.css)",
    "expression(alert(1))",
    "#fff;background-image:url(//leak.test/d)",
    "rgb(1,2,3) url(//leak.test/e)",
  ]],
  ["length values outside their grammar", "borderRadius", ["8px;}*{background:url(//leak.test/f)}", "calc(100px)", "999px", "url(//leak.test/g)"]],
  ["shadow values that load a URL or break out", "shadow", ["0 0 4px url(//leak.test/h)", "0 0 4px red;}*{background:url(//leak.test/i)}"]],
];

describe("T2 invalid theme token values are warned by name, the default is kept, nothing is fetched", () => {
  for (const [what, token, values] of T2_REJECTED) it(`${what} (${token})`, () => expectRejected(token, values));
});

describe("T3 font families with ';', url( or quotes that break out are rejected", () => {
  it("each is warned by name, the default is kept, nothing is fetched", () =>
    expectRejected("fontFamily", ["Inter;}*{background:url(//leak.test/j)}", "Inter, url(//leak.test/k)", '"Inter"; src: url(//leak.test/l)', "'Inter\", x", "\\40import 'leak.test'"]));
});

describe("setLocale and autoHeight on a live embed", () => {
  it("setLocale switches the UI language live, in the same document", async () => {
    const frame = await embed();
    const locator = page.frameLocator("#slot iframe");
    await locator.getByRole("searchbox", { name: "Search integrations" }).waitFor();
    await locator.getByRole("searchbox").fill("stri");
    await frame.evaluate(() => ((window as unknown as PageWindow).__marker = 7));

    await page.evaluate(() => (window as unknown as PageWindow).__m.setLocale("de"));
    await locator.getByRole("searchbox", { name: "Integrationen durchsuchen" }).waitFor();
    // <html lang> follows once the phrases are in (it is set after the render that shows them).
    await expect.poll(() => frame.evaluate(() => document.documentElement.lang)).toMatch(/^de/);
    await page.evaluate(() => (window as unknown as PageWindow).__m.setLocale("fr"));
    await locator.getByRole("searchbox", { name: "Rechercher des intégrations" }).waitFor();

    expect(await locator.getByRole("searchbox").inputValue()).toBe("stri");
    expect(await frame.evaluate(() => (window as unknown as PageWindow).__marker)).toBe(7);
  });

  it("autoHeight sizes the inline iframe to the frame's content and grows it when the content grows", async () => {
    const frame = await embed({ autoHeight: true });
    await page.frameLocator("#slot iframe").locator(".em-card").first().waitFor();
    const iframeHeight = () => page.locator("#slot iframe").evaluate((el) => el.getBoundingClientRect().height);
    const contentHeight = () => frame.evaluate(() => document.documentElement.scrollHeight);
    await expect.poll(async () => Math.abs((await iframeHeight()) - (await contentHeight()))).toBeLessThanOrEqual(1);
    const wide = await iframeHeight();
    expect(wide).toBeGreaterThan(150); // not the browser's default iframe height

    // A narrow host column stacks the cards: the content gets taller, and so does the iframe.
    await page.locator("#slot").evaluate((el) => (el.style.width = "340px"));
    await expect.poll(iframeHeight).toBeGreaterThan(wide * 1.3);
    await expect.poll(async () => Math.abs((await iframeHeight()) - (await contentHeight()))).toBeLessThanOrEqual(1);
  });
});

describe("the demo page's theme editor", () => {
  it("starts on Auto: in a dark system the page and the embedded frame are both dark, in a light one both light", async () => {
    for (const scheme of ["dark", "light"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${stack.hostUrl}/?customer=acme-corp`);
      const frame = await marketplaceFrame(page);
      expect(await page.locator('input[name="mode"]:checked').getAttribute("value")).toBe("auto");
      await expect.poll(() => modeOf(frame)).toBe(scheme);
    }
  });

  it("lists every contract token and restyles, switches mode and language, warns and resets the live embed", async () => {
    await page.goto(`${stack.hostUrl}/?customer=acme-corp`);
    const frame = await marketplaceFrame(page);
    const locator = page.frameLocator("#marketplace iframe");
    await locator.getByRole("searchbox").waitFor();
    await frame.evaluate(() => ((window as unknown as PageWindow).__marker = 1));

    await page.getByText("Theme editor").click();
    for (const name of Object.keys(themeTokens)) await page.locator(`#token-${name}`).waitFor();

    // The colour picker restyles the frame as you pick.
    await page.getByLabel("colorPrimary colour picker").fill("#0f766e");
    await expect.poll(() => cssVar(frame, "--em-color-primary")).toBe("#0f766e");
    expect(await page.locator("#token-colorPrimary").inputValue()).toBe("#0f766e");

    // Typing a value works too; an invalid one is a warning in the event log, and the field is marked.
    await page.locator("#token-borderRadius").fill("12px");
    await page.locator("#token-borderRadius").press("Enter");
    await expect.poll(() => cssVar(frame, "--em-border-radius")).toBe("12px");
    await page.locator("#token-colorText").fill("red;}*{background:url(//leak.test/x)}");
    await page.locator("#token-colorText").press("Enter");
    await expect.poll(() => page.locator('#events li[data-event="warning"]').filter({ hasText: "colorText" }).count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator("#token-colorText").getAttribute("aria-invalid")).toBe("true");
    expect(await cssVar(frame, "--em-color-text")).toBe(themeTokens.colorText.light);
    expect(await cssVar(frame, "--em-color-primary")).toBe("#0f766e");

    await page.getByRole("radio", { name: "Dark" }).check();
    await expect.poll(() => modeOf(frame)).toBe("dark");
    await page.getByLabel("Language").selectOption("de");
    await locator.getByRole("searchbox", { name: "Integrationen durchsuchen" }).waitFor();

    await page.getByRole("button", { name: "Reset" }).click();
    await expect.poll(() => cssVar(frame, "--em-color-primary")).toBe(themeTokens.colorPrimary.light);
    await expect.poll(() => modeOf(frame)).toBe("light");
    await locator.getByRole("searchbox", { name: "Search integrations" }).waitFor();

    // All of it on the same frame document, without a reload.
    expect(await frame.evaluate(() => (window as unknown as PageWindow).__marker)).toBe(1);
    expect(await page.locator('#events li[data-event="error"]').count()).toBe(0);
  });
});
