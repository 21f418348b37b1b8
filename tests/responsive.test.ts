/**
 * Responsive from 320 px wide to full screen: no screen of the frame scrolls sideways, and the
 * primary actions stay on screen; a marketplace card's badges stay inside the card at every
 * width, in every locale, light and dark, on a line of their own under the vendor on every card; the activity tabs and the Connections screen keep every
 * tab and control in view on a phone, in every locale; the marketplace's filters stay where they
 * are when its catalog replaces the skeleton; on a phone a toast covers neither the control the user
 * just used nor the Back link, the title or a primary action, and shows one at a time; a row of
 * chips that scrolls sideways on a phone fades out where it goes on.
 */
import { expect, it } from "vitest";
import type { Frame, Page } from "playwright-core";
import { DEMO_ORG_API_KEY, seedActivity, seedVersions } from "../mock-server/index.ts";
import { signDemoToken } from "../examples/demo-backend/token.ts";
import { deployStripe, embedMarketplace, openBlankHostPage } from "./harness.ts";
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

it("on a phone (320, 360, 412 px), in English, German and French, the activity tabs and the Connections screen do not scroll sideways, show every tab, keep every control inside its panel and cut off no chosen option or placeholder, the dashboard's icons beside their names, and the usage table fits", async () => {
  // Acme gets runs, alerts, monitors and usage to show (and a connection to reconnect), before
  // the next test publishes Jira 2 (the seed deploys Jira with version 1's values).
  await seedActivity({ platformUrl: stack.platformUrl, token: await signDemoToken("acme-corp"), orgApiKey: DEMO_ORG_API_KEY });
  const problems: string[] = [];
  for (const locale of ["en", "de", "fr"])
    for (const [screen, drawn] of [
      ["dashboard", ".em-health-row"],
      ["logs", ".em-run"],
      ["alerts", ".em-monitor"],
      ["usage", ".em-table"],
      ["connections", ".em-conn-list"],
    ] as const) {
      const page = await browser.context.newPage();
      try {
        await page.setViewportSize({ width: 1024, height: 800 });
        const frameLocator = await embedMarketplace(page, stack, { screen, locale, fill: true });
        await frameLocator.locator(drawn).first().waitFor();
        const frame = page.frames().find((f) => f.url().startsWith(`${stack.platformUrl}/frame/`))!;
        for (const width of [320, 360, 412]) {
          await page.setViewportSize({ width, height: 800 });
          await frame.waitForFunction((w) => innerWidth === w, width);
          const found = await frame.evaluate((width) => {
            const out: string[] = [];
            const { scrollWidth, clientWidth } = document.documentElement;
            if (scrollWidth > clientWidth) out.push(`the frame scrolls sideways by ${scrollWidth - clientWidth} px`);
            // The usage table fits its panel, German's at 320 px too.
            for (const wrap of document.querySelectorAll(".em-table-wrap"))
              if (wrap.scrollWidth > wrap.clientWidth) out.push(`the table scrolls sideways by ${wrap.scrollWidth - wrap.clientWidth} px`);
            // The dashboard's integration icon sits beside its name, at the top of its row.
            for (const row of document.querySelectorAll(".em-health-row")) {
              const icon = row.firstElementChild!.getBoundingClientRect();
              const name = row.querySelector(".em-health-name")!.getBoundingClientRect();
              if (Math.abs(icon.top - name.top) > 4) out.push(`the icon of "${row.querySelector(".em-health-name")!.textContent}" is ${Math.round(icon.top - name.top)} px from its name's top`);
            }
            const inside = (e: Element, box: DOMRect) => {
              const r = e.getBoundingClientRect();
              return r.left >= box.left - 0.5 && r.right <= box.right + 0.5;
            };
            const tablist = document.querySelector('[role="tablist"]');
            for (const tab of tablist?.querySelectorAll('[role="tab"]') ?? [])
              if (!inside(tab, tablist!.getBoundingClientRect())) out.push(`tab "${tab.textContent}" is outside the tab bar`);
            // What a row of chips or a wide table scrolls inside its own box is in view by scrolling it.
            const scrolls = (e: Element, panel: Element) => {
              for (let a = e.parentElement; a && a !== panel; a = a.parentElement) if (getComputedStyle(a).overflowX !== "visible") return true;
              return false;
            };
            // A select's chosen option and an empty field's placeholder are read whole, not cut
            // off at the arrow or the edge (ui12 found "Alle Integration" and "Text in a log line
            // or an err" at 360 px). Chromium draws a select's arrow in ~20 px past its padding.
            const pen = document.createElement("canvas").getContext("2d")!;
            for (const field of document.querySelectorAll<HTMLInputElement | HTMLSelectElement>("select, input[placeholder]")) {
              const text = field instanceof HTMLSelectElement ? field.selectedOptions[0]?.text ?? "" : field.value ? "" : field.placeholder;
              const style = getComputedStyle(field);
              pen.font = style.font;
              const room = field.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - (field instanceof HTMLSelectElement ? 20 : 0);
              if (field.clientWidth > 0 && pen.measureText(text).width > room + 0.5) out.push(`"${text}" is cut off in its ${field.tagName.toLowerCase()}`);
            }
            for (const panel of document.querySelectorAll(".em-panel")) {
              const box = panel.getBoundingClientRect();
              for (const control of panel.querySelectorAll("select, input, button, textarea, a"))
                if (!scrolls(control, panel) && control.getBoundingClientRect().width > 0 && !inside(control, box))
                  out.push(`${control.tagName.toLowerCase()} "${(control.getAttribute("aria-label") ?? control.textContent ?? "").slice(0, 40)}" sticks out of its panel`);
            }
            return out;
          }, width);
          problems.push(...found.map((p) => `${locale} ${screen} ${width} px: ${p}`));
        }
      } finally {
        await page.close();
      }
    }
  expect(problems).toEqual([]);
});

it("a card's badges (Update available beside 1 active, the longest pair) wrap inside the card at every width from 320 to 1440 px, in every locale, light and dark", async () => {
  // Acme (this file's other tests use Globex) gets Jira instances on version 1, then Jira 2 is published.
  const acme = await signDemoToken("acme-corp");
  await seedVersions({ platformUrl: stack.platformUrl, orgApiKey: DEMO_ORG_API_KEY, tokens: [acme, acme] });
  const every16 = Array.from({ length: (1440 - 320) / 16 + 1 }, (_, i) => 320 + i * 16);
  for (const locale of ["en", "de", "fr"])
    for (const [mode, widths] of [["light", every16], ["dark", [320, 1000, 1200, 1440]]] as const) {
      const page = await browser.context.newPage();
      try {
        await page.setViewportSize({ width: 1200, height: 800 });
        const frameLocator = await embedMarketplace(page, stack, { customer: "acme-corp", locale, mode, fill: true });
        // The pair is there to be measured: both badges on the updated card.
        const updated = frameLocator.locator(".em-card", { has: frameLocator.locator(".em-badge-update") });
        await updated.waitFor();
        expect(await updated.locator(".em-badge").count()).toBe(2);
        const frame = page.frames().find((f) => f.url().startsWith(`${stack.platformUrl}/frame/`))!;
        expect(await frame.evaluate(() => document.documentElement.dataset.mode ?? "light")).toBe(mode);
        for (const width of widths) {
          await page.setViewportSize({ width, height: 800 });
          await frame.waitForFunction((w) => innerWidth === w, width);
          const outside = await frame.evaluate(() =>
            [...document.querySelectorAll(".em-card")].flatMap((card) => {
              const box = card.getBoundingClientRect();
              const style = getComputedStyle(card);
              const right = box.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth);
              return [...card.querySelectorAll(".em-card-meta .em-badge")]
                .filter((b) => b.getBoundingClientRect().right > right + 0.5)
                .map((b) => `${card.querySelector(".em-card-title")!.textContent}: ${b.textContent}`);
            }),
          );
          expect(outside, `${locale} ${mode} ${width} px`).toEqual([]);
        }
      } finally {
        await page.close();
      }
    }
});

it("the marketplace's state filters do not move when the catalog replaces the skeleton, at 360 and 1024 px", async () => {
  const page = await browser.context.newPage();
  const catalog = /\/api\/v1\/integrations(\?|$)/;
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(catalog, async (route) => (await held, await route.continue()));
  try {
    await page.setViewportSize({ width: 1024, height: 800 });
    // Not awaited: the SDK says `ready` once the list is drawn, which waits for the held catalog.
    const embedded = embedMarketplace(page, stack, { customer: "globex", fill: true });
    const frameLocator = page.frameLocator("#slot iframe");
    await frameLocator.locator(".em-card-skeleton").first().waitFor();
    const frame = page.frames().find((f) => f.url().startsWith(`${stack.platformUrl}/frame/`))!;
    const stateChipsTop = async (width: number) => {
      await page.setViewportSize({ width, height: 800 });
      await frame.waitForFunction((w) => innerWidth === w, width);
      return frame.evaluate(() => document.querySelector(".em-segmented")!.getBoundingClientRect().top);
    };
    const before = { 360: await stateChipsTop(360), 1024: await stateChipsTop(1024) };
    release();
    await embedded;
    await frameLocator.getByRole("group", { name: "Category" }).waitFor();
    expect({ 360: await stateChipsTop(360), 1024: await stateChipsTop(1024) }).toEqual(before);
  } finally {
    release();
    await page.close();
  }
});

it("on a phone (360 px), in English and German, a toast covers neither the control just used, nor the one the user needs next at the window's bottom, nor the Back link, the title or a primary action, and a newer toast replaces the one on screen", async () => {
  for (const locale of ["en", "de"]) {
    const page = await browser.context.newPage();
    try {
      await page.setViewportSize({ width: 360, height: 700 });
      // Globex: this file's other tests activate Salesforce, Slack and Jira for it, never Stripe.
      const frameLocator = await embedMarketplace(page, stack, { customer: "globex", fill: true, locale });
      if (locale === "en") await deployStripe(frameLocator, "sk_test_responsive_toast");
      else {
        // Deployed by the English pass: its card, then the detail page's primary action (Manage).
        await frameLocator.getByRole("button", { name: /Stripe/ }).click();
        await frameLocator.locator(".em-button-primary").click();
      }
      await frameLocator.locator(".em-copy button").first().waitFor();
      await frameLocator.locator(".em-skeleton").first().waitFor({ state: "detached" });
      const copy = frameLocator.locator(".em-copy button").first();
      // The one toast shown: its text, in view, and what it covers of the focused control, Copy, the
      // Back link, the title and primary actions (ui13's top spot covered the Back link and title).
      const toastsOver = () =>
        copy.evaluate((button) => {
          const guarded = new Set([button, document.activeElement, ...document.querySelectorAll(".em-back, .em-title, .em-button-primary")]);
          return [...document.querySelectorAll(".em-toast")].map((toast) => {
            const a = toast.getBoundingClientRect();
            const covered = [...guarded].filter((el) => {
              const b = el!.getBoundingClientRect();
              return el !== document.body && b.width > 0 && a.top < b.bottom && b.top < a.bottom && a.left < b.right && b.left < a.right;
            });
            return { text: toast.querySelector("span")!.textContent, covers: covered.map((el) => el!.textContent), inView: a.top >= 0 && a.bottom <= innerHeight };
          });
        });
      // Paused (or resumed) from the top of the page; its toast placed again as the window shrinks.
      const toggle = frameLocator.locator(".em-detail-action button").first();
      const toggled = (await toggle.textContent())!;
      await toggle.click();
      await frameLocator.locator(".em-toast", { hasText: "Stripe" }).waitFor();
      // The webhook URL's Copy button spans the phone's width: the window is cut just below it, so it
      // sits at the bottom, where toasts go (ui12 found "Hide log" under "Stripe is active" so). Cut
      // after the toggle: German's Resume and Pause wrap the header's buttons differently.
      const height = Math.ceil(await copy.evaluate((button) => button.getBoundingClientRect().bottom + scrollY)) + 4;
      await page.setViewportSize({ width: 360, height });
      await expect.poll(() => copy.evaluate((button) => innerHeight - button.getBoundingClientRect().bottom)).toBeLessThan(8);
      await expect.poll(toastsOver, { message: `${locale} ${toggled}` }).toEqual([{ text: expect.stringContaining("Stripe"), covers: [], inView: true }]);
      // Copy pressed where it is (a click that had to scroll would mean something covered it).
      const scrolled = await copy.evaluate(() => scrollY);
      await copy.click();
      await frameLocator.locator(".em-toast", { hasText: /clipboard|copy|Zwischenablage|kopier/i }).waitFor();
      expect(await copy.evaluate((button) => [button === document.activeElement, scrollY])).toEqual([true, scrolled]);
      await expect.poll(toastsOver, { message: `${locale} Copy` }).toEqual([{ text: expect.stringMatching(/clipboard|copy|Zwischenablage|kopier/i), covers: [], inView: true }]);
    } finally {
      await page.close();
    }
  }
});

it("every card of the marketplace puts its badges on a line of their own under its vendor, at 360, 1024 and 1440 px, in English and German", async () => {
  for (const locale of ["en", "de"]) {
    const page = await browser.context.newPage();
    try {
      await page.setViewportSize({ width: 1024, height: 800 });
      const frameLocator = await embedMarketplace(page, stack, { customer: "globex", locale, fill: true });
      await frameLocator.locator(".em-card").first().waitFor();
      const frame = page.frames().find((f) => f.url().startsWith(`${stack.platformUrl}/frame/`))!;
      for (const width of [360, 1024, 1440]) {
        await page.setViewportSize({ width, height: 800 });
        await frame.waitForFunction((w) => innerWidth === w, width);
        // How far below its vendor's line each card's first badge starts (px; negative: beside it).
        const gaps = await frame.evaluate(() =>
          [...document.querySelectorAll(".em-card")].map((card) => {
            const vendor = card.querySelector(".em-card-meta > .em-muted")!.getBoundingClientRect();
            const badge = card.querySelector(".em-card-meta .em-badge")!.getBoundingClientRect();
            return Math.round(badge.top - vendor.bottom);
          }),
        );
        expect(gaps.length, `${locale} ${width} px`).toBeGreaterThan(3);
        expect(new Set(gaps).size === 1 && gaps[0] >= 0, `${locale} ${width} px: ${gaps.join(", ")}`).toBe(true);
      }
    } finally {
      await page.close();
    }
  }
});

it("on a phone (360 px) a row of chips that scrolls sideways fades out where it goes on; each chip reached by Tab is wholly in view, clear of the fade, its focus ring uncut, and the last one, scrolled to, is clear of it too (English and German; marketplace categories, Alerts' status filter)", async () => {
  for (const locale of ["en", "de"])
    for (const screen of [undefined, "alerts"]) {
      const page = await browser.context.newPage();
      try {
        await page.setViewportSize({ width: 360, height: 800 });
        const frameLocator = await embedMarketplace(page, stack, { customer: "globex", locale, screen, fill: true });
        await frameLocator.locator(".em-chips .em-chip").first().waitFor();
        const frame = page.frames().find((f) => f.url().startsWith(`${stack.platformUrl}/frame/`))!;
        const found: string[] = [];
        const rows = await frame.evaluate(() => [...document.querySelectorAll(".em-chips")].flatMap((row, i) => (row.scrollWidth > row.clientWidth ? [i] : [])));
        if (rows.length === 0) found.push("no row of chips scrolls here");
        /** Whether the chip that has focus is wholly in view, before the fade (the row's end padding wide). */
        const focusedChip = () =>
          frame.evaluate(() => {
            const chip = document.activeElement!;
            const row = chip.closest(".em-chips")!;
            const box = row.getBoundingClientRect();
            const r = chip.getBoundingClientRect();
            const fade = parseFloat(getComputedStyle(row).paddingInlineEnd);
            // Its focus ring too (outline and offset outside the chip), which the scrolling row clips.
            const ring = parseFloat(getComputedStyle(chip).outlineWidth) + parseFloat(getComputedStyle(chip).outlineOffset);
            return [
              ...(r.left < box.left - 0.5 || r.right > box.right - fade + 0.5 ? [`"${chip.textContent}" is not wholly in view, clear of the fade, when reached by Tab (${Math.round(r.right - box.right + fade)} px under it)`] : []),
              ...(ring < 2 || r.top - ring < box.top - 0.5 || r.bottom + ring > box.bottom + 0.5 || r.left - ring < box.left - 0.5 ? [`"${chip.textContent}"'s focus ring (${ring} px) is cut off by its row`] : []),
            ];
          });
        for (const row of rows) {
          const chips = await frame.evaluate((i) => {
            const row = document.querySelectorAll<HTMLElement>(".em-chips")[i]!;
            row.querySelector<HTMLElement>(".em-chip")!.focus();
            return row.querySelectorAll(".em-chip").length;
          }, row);
          found.push(...(await frame.evaluate((i) => (getComputedStyle(document.querySelectorAll(".em-chips")[i]!).maskImage === "none" ? ["a row scrolls with no fade"] : []), row)));
          found.push(...(await focusedChip()));
          for (let k = 1; k < chips; k++) {
            await page.keyboard.press("Tab");
            found.push(...(await focusedChip()));
          }
          // Scrolled to the row's end, the last chip is wholly clear of the fade.
          found.push(
            ...(await frame.evaluate((i) => {
              const row = document.querySelectorAll<HTMLElement>(".em-chips")[i]!;
              row.scrollLeft = row.scrollWidth;
              const last = [...row.querySelectorAll(".em-chip")].pop()!;
              const fade = parseFloat(getComputedStyle(row).paddingInlineEnd);
              return last.getBoundingClientRect().right > row.getBoundingClientRect().right - fade + 0.5 ? [`"${last.textContent}" is under the fade at the row's end`] : [];
            }, row)),
          );
        }
        expect(found, `${locale} ${screen ?? "marketplace"}`).toEqual([]);
      } finally {
        await page.close();
      }
    }
});
