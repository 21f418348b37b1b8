/**
 * Every view of the org console in real Chromium, on a seeded demo stack (runs and alerts,
 * Jira 2 published over version 1 instances, the demo backend's notification inbox): axe-core
 * finds no violation in light or dark, dialogs included; in a German browser the console starts
 * in German (`<html lang="de">`), and no view shows a phrase of the console's English table or a
 * phrase key; the language selector switches to French and the choice survives a reload; by
 * keyboard alone the top bar reads in order, and a confirmation opens on its safe choice and gives
 * focus back to its button when Escape closes it.
 */
import { describe, expect, it, onTestFailed } from "vitest";
import type { Page } from "playwright-core";
import { signDemoToken } from "../examples/demo-backend/token.ts";
import { en } from "../examples/org-console/messages-en.js";
import { de } from "../examples/org-console/messages-de.js";
import { DEMO_ORG_API_KEY, seedActivity, seedVersions } from "../mock-server/index.ts";
import { launchBrowser } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";
import { axeViolations as axe } from "./axe.ts";

let acmeId = "";
let endpointId = "";
const { stack, browser } = useStackAndBrowser(async (s) => {
  // The inbox first, so the seeds' events are delivered to it (the delivery log has rows).
  endpointId = await s.notifications.ensureEndpoint();
  acmeId = (await seedActivity({ platformUrl: s.platformUrl, token: await signDemoToken("acme-corp"), orgApiKey: DEMO_ORG_API_KEY })).customerId;
  await seedVersions({ platformUrl: s.platformUrl, orgApiKey: DEMO_ORG_API_KEY, tokens: [await signDemoToken("acme-corp"), await signDemoToken("globex")] });
});

/** The view has drawn what it loads: no skeleton, nothing busy, no "Loading…" line. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"], tr.skeleton, .skeleton-card') && ![...document.querySelectorAll("p.empty, p.hint")].some((p) => p.textContent?.endsWith("…")));
}

/**
 * Walks every view and dialog, calling `check(name)` once each is drawn. Selectors are by
 * structure, not by words, so the walk is the same in every language.
 */
async function walk(page: Page, check: (name: string) => Promise<void>): Promise<void> {
  const open = async (hash: string, ready: string) => {
    await page.goto(`${stack.hostUrl}/org-console/${hash}`);
    await page.locator(ready).first().waitFor();
    await settled(page);
  };
  const dialog = async (name: string, opener: string) => {
    await page.locator(opener).first().click();
    await page.locator("dialog[open]").waitFor();
    await check(name);
    await page.keyboard.press("Escape");
    await page.locator("dialog[open]").waitFor({ state: "detached" }).catch(() => page.locator("dialog[open]").waitFor({ state: "hidden" }));
  };

  await open("#/instances", "tr[data-instance]");
  await check("instances");
  await dialog("delete confirmation", "tr[data-instance] button.danger");
  await dialog("edit labels", "tr[data-instance] [data-action=edit]");
  await open(`#/customers/${acmeId}`, "tr[data-instance]");
  await check("customer");
  await open("#/customers", "tr[data-customer]");
  await check("customers");
  await open(`#/deploy?customer=${acmeId}&integration=jira`, "form.deploy");
  await check("deploy");
  await open("#/runs", "table tbody tr td");
  await check("runs");
  await open("#/alerts", "table tbody tr td");
  await check("alerts");
  await open("#/replays", "form.filters button[type=submit]");
  await page.locator("form.filters button[type=submit]").click();
  await page.locator("section [role=status]").waitFor();
  await check("replay preview");
  await open(`#/usage?customer=${acmeId}`, "dl.totals");
  await check("usage");
  await open("#/notifications", "article.card");
  await page.locator("section.received table, section.received .empty-state").first().waitFor();
  await check("notifications");
  await dialog("add endpoint", "[data-action=add-endpoint]");
  await open(`#/notifications/${endpointId}`, "tbody tr td details");
  await page.locator("tbody tr td details summary").first().click();
  await check("delivery log");
  await dialog("rotate secret", "[data-action=rotate]");
  await open("#/versions?integration=jira", "section.bulk form button[type=submit]");
  await page.locator("section.bulk form button[type=submit]").click();
  await page.locator(".upgrade-result [role=status]").waitFor();
  await check("versions dry run");
}

describe("axe-core finds no violations in the org console", () => {
  for (const mode of ["light", "dark"] as const) {
    it(`on every view and dialog (${mode})`, async () => {
      const page = await browser.context.newPage();
      onTestFailed(async () => void (await page.screenshot({ path: `test-results/org-console-axe-${mode}.png`, fullPage: true }).catch(() => undefined)));
      await page.emulateMedia({ colorScheme: mode });
      const results: Record<string, string[]> = {};
      await walk(page, async (name) => void (results[name] = await axe(page)));
      expect(Object.keys(results)).toHaveLength(15);
      expect(Object.entries(results).filter(([, found]) => found.length > 0)).toEqual([]);
      await page.close();
    });
  }
});

/**
 * The console's English phrases that German writes differently, as the literal text between
 * placeholders (the longest run of each phrase, of two words or more, so that a single word
 * inside an identifier the console shows as it is — `instance.upgraded`, a payload's
 * "customer" key — cannot match by chance; messages.test.ts checks every single word).
 */
const englishOnly = Object.entries(en as Record<string, string>)
  .filter(([key, text]) => (de as Record<string, string>)[key] !== text)
  .map(([key, text]) => [key, text.split(/\{\w+\}/).sort((a, b) => b.length - a.length)[0].trim()] as const)
  .filter(([, fragment]) => fragment.length >= 8 && /\S\s+\S/.test(fragment));

it("in a German browser every view is in German: no English phrase of the console, no phrase key; the selector switches to French and keeps it", async () => {
  const german = await launchBrowser([], { locale: "de-DE" });
  try {
    const page = await german.context.newPage();
    onTestFailed(async () => void (await page.screenshot({ path: "test-results/org-console-german.png", fullPage: true }).catch(() => undefined)));
    const leaks: Record<string, string[]> = {};
    await walk(page, async (name) => {
      expect(await page.evaluate(() => document.documentElement.lang)).toBe("de");
      const shown = await page.evaluate(() =>
        [
          document.title,
          document.body.innerText,
          ...[...document.querySelectorAll("[aria-label], [title], [placeholder], option")].flatMap((el) => [el.getAttribute("aria-label"), el.getAttribute("title"), el.getAttribute("placeholder"), el.tagName === "OPTION" ? el.textContent : null]),
        ]
          .filter(Boolean)
          .join("\n"),
      );
      const found = englishOnly.filter(([, fragment]) => shown.includes(fragment)).map(([key, fragment]) => `${key}: …${shown.slice(Math.max(0, shown.indexOf(fragment) - 40), shown.indexOf(fragment) + fragment.length + 20)}…`);
      found.push(...(shown.match(/\b(?:common|nav|app|instances?|customers?|deploy|runs?|alerts?|replay|usage|notifications|endpoint|event|delivery|secret|received|versions|error)\.[a-z][\w-]*(?:\.[\w-]+)*\b/g) ?? []).filter((k) => Object.hasOwn(en, k)));
      if (found.length) leaks[name] = found;
    });
    expect(leaks).toEqual({});

    // The selector: French, kept across a reload.
    await page.goto(`${stack.hostUrl}/org-console/#/runs`);
    await page.getByLabel("Sprache").selectOption("fr");
    await page.getByRole("heading", { name: "Exécutions" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("fr");
    await page.reload();
    await page.getByRole("heading", { name: "Exécutions" }).waitFor();
    expect(await page.getByLabel("Langue").inputValue()).toBe("fr");
    await page.close();
  } finally {
    await german.close();
  }
});

it("a view opened from the keyboard takes the focus without a focus ring around the whole page body", async () => {
  const page = await browser.context.newPage();
  await page.goto(`${stack.hostUrl}/org-console/#/instances`);
  await page.locator("tr[data-instance]").first().waitFor();
  await page.locator('nav.views a[data-view="customers"]').focus();
  await page.keyboard.press("Enter");
  await page.locator("tr[data-customer]").first().waitFor();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("view");
  expect(await page.locator("#view").evaluate((el) => getComputedStyle(el).outlineStyle)).toBe("none");
  await page.close();
});

it("keyboard only: Tab reaches the views and the language selector; a confirmation opens on Cancel, Escape closes it and focus returns to its button", async () => {
  const page = await browser.context.newPage();
  await page.goto(`${stack.hostUrl}/org-console/#/instances`);
  await page.locator("tr[data-instance]").first().waitFor();
  await settled(page);
  const focused = () => page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el ? `${el.tagName.toLowerCase()}|${el.id}|${el.getAttribute("aria-label") ?? el.textContent?.trim().slice(0, 30) ?? ""}` : "";
  });
  /** Tabs until the focused element matches, failing after a bounded number of presses. */
  async function tabTo(pattern: RegExp) {
    for (let i = 0; i < 80; i++) {
      if (pattern.test(await focused())) return;
      await page.keyboard.press("Tab");
    }
    throw new Error(`never reached ${pattern}; focus is on ${await focused()}`);
  }
  // The top bar in reading order: the views, then the language.
  await tabTo(/^a\|\|Instances$/);
  await page.keyboard.press("Tab");
  expect(await focused()).toBe("a||Runs");
  await tabTo(/^select\|locale\|/);
  // The first Delete of the table, by keyboard: its confirmation starts on the safe choice.
  await tabTo(/^button\|\|Delete .+ of /);
  const opener = await focused();
  await page.keyboard.press("Enter");
  await page.locator("dialog[open]").waitFor();
  expect(await page.evaluate(() => document.activeElement?.closest("dialog") !== null && document.activeElement?.getAttribute("value"))).toBe("cancel");
  await page.keyboard.press("Escape");
  await page.locator("dialog[open]").waitFor({ state: "detached" });
  expect(await focused()).toBe(opener);
  await page.close();
});

it("on a phone (320 and 375 px), in English and German, no view or dialog scrolls sideways: a wide table scrolls in its own box with no cell of sentences squeezed, the views' tabs in their row with the current one in view, and axe finds nothing", async () => {
  const found: Record<string, string[]> = {};
  for (const locale of ["en", "de"]) {
    for (const width of [320, 375]) {
      const page = await browser.context.newPage();
      await page.addInitScript((chosen) => localStorage.setItem("emporium.console.locale", chosen), locale);
      await page.setViewportSize({ width, height: 800 });
      await walk(page, async (name) => {
        const problems = await page.evaluate(() => {
          const out: string[] = [];
          const { scrollWidth, clientWidth } = document.documentElement;
          if (scrollWidth > clientWidth) out.push(`the page scrolls sideways by ${scrollWidth - clientWidth} px`);
          const tabs = document.querySelector<HTMLElement>("nav.views")!;
          const current = tabs.querySelector<HTMLElement>('[aria-current="page"]');
          const row = tabs.getBoundingClientRect();
          if (current) {
            const tab = current.getBoundingClientRect();
            if (tab.left < row.left - 0.5 || tab.right > row.right + 0.5) out.push(`the current view's tab is out of its row (${Math.round(tab.left)}-${Math.round(tab.right)} of ${Math.round(row.left)}-${Math.round(row.right)})`);
          }
          if (row.height > 48) out.push(`the views' tabs take ${Math.round(row.height)} px (wrapped)`);
          for (const table of document.querySelectorAll("table")) {
            const box = table.parentElement!;
            if (getComputedStyle(box).overflowX !== "auto") out.push("a table is not in a box of its own that scrolls");
            else if (box.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5) out.push("a table's box runs past the screen");
            // A cell of sentences is not squeezed into a column of a word or two per line.
            for (const cell of table.querySelectorAll("td")) {
              const text = cell.textContent ?? "";
              if (text.length > 60 && cell.getBoundingClientRect().width < 160) out.push(`a cell of ${text.length} characters is ${Math.round(cell.getBoundingClientRect().width)} px wide: "${text.slice(0, 30)}…"`);
            }
          }
          return out;
        });
        const violations = await axe(page);
        if (problems.length || violations.length) found[`${locale} ${width} px ${name}`] = [...problems, ...violations];
      });
      await page.close();
    }
  }
  expect(found).toEqual({});
});
