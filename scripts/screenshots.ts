/**
 * `npm run screenshots`: screenshots of the real frame (built dist/), light and dark, for the
 * README and docs and for eyeballing changes. Writes docs/screenshots/<screen>-<mode>.png: the
 * marketplace, an integration, the wizard and an instance (a Stripe setup walked through), then
 * the activity screen's tabs for a customer with seeded runs and alerts, then versions (Jira 2
 * published over version 1 instances): the upgrade's review in the frame and the org console's
 * bulk-upgrade dry run, then the Connections screen (light, dark, German) and a connection
 * field's picker in a third Jira instance's wizard (light, dark, German), then the org console's
 * Runs, Notifications and Usage views in light, dark and German (a German browser: the console
 * follows its language).
 * `npm run screenshots -- activity` (or `product`, `versions`, `connections`, `console`) takes one group only.
 */
import { mkdirSync } from "node:fs";
import type { FrameLocator, Page } from "playwright-core";
import { embedMarketplace, launchBrowser, startStack, type Browser, type Stack } from "../tests/harness.ts";
import { DEMO_ORG_API_KEY, seedActivity, seedVersions } from "../mock-server/index.ts";
import { signDemoToken } from "../examples/demo-backend/token.ts";
import { seedConnections } from "../tests/connections-seed.ts";

const out = "docs/screenshots";
const only = process.argv[2];
mkdirSync(out, { recursive: true });

/** The screen has drawn what it loads: no skeleton is left. */
const settled = (frame: FrameLocator) => frame.locator(".em-skeleton").first().waitFor({ state: "hidden" });

async function product(page: Page, stack: Stack, mode: "light" | "dark"): Promise<void> {
  const frame = await embedMarketplace(page, stack, { customer: mode === "light" ? "acme-corp" : "globex", mode, fill: true });
  await frame.getByRole("button", { name: /Stripe/ }).waitFor();
  await settled(frame);
  await page.screenshot({ path: `${out}/marketplace-${mode}.png` });
  await frame.getByRole("button", { name: /Stripe/ }).click();
  await frame.getByRole("button", { name: "Activate" }).waitFor();
  await page.screenshot({ path: `${out}/detail-${mode}.png` });
  await frame.getByRole("button", { name: "Activate" }).click();
  await frame.getByLabel("API key").fill("sk_test_screenshot");
  await frame.getByRole("button", { name: "Next" }).click();
  await frame.getByText("Step 2 of 2").waitFor();
  await page.screenshot({ path: `${out}/wizard-${mode}.png` });
  await frame.getByRole("button", { name: "Save and deploy" }).click();
  const url = await frame.getByLabel(/Webhook URL/).first().inputValue({ timeout: 20_000 });
  await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ type: "charge.succeeded", amount: 4200 }) });
  await frame.getByRole("button", { name: "Refresh" }).click();
  await frame.locator(".em-execution").first().waitFor();
  await page.screenshot({ path: `${out}/instance-${mode}.png` });
}

async function activity(page: Page, stack: Stack, mode: "light" | "dark", screen: "dashboard" | "logs" | "alerts" | "usage"): Promise<void> {
  const frame = await embedMarketplace(page, stack, { screen, mode, fill: true });
  await settled(frame);
  if (screen === "logs") {
    await frame.getByRole("button", { name: "Details" }).first().click();
    await settled(frame);
  }
  await page.screenshot({ path: `${out}/${screen}-${mode}.png` });
}

/** Globex's Jira asks again for its work type ("Story" is no Jira 2 work type): the update's review in the frame. */
async function upgrade(page: Page, stack: Stack, mode: "light" | "dark"): Promise<void> {
  const frame = await embedMarketplace(page, stack, { customer: "globex", mode, fill: true });
  await frame.getByRole("button", { name: /^Jira/ }).first().click();
  await frame.getByRole("button", { name: /^Product feedback/ }).click();
  // "Update to version 2", or "Continue update" for the second picture (the first one started it).
  await frame.getByRole("button", { name: /^(Update to version 2|Continue update)$/ }).click();
  await frame.getByLabel(/^Work type/).selectOption("Feature");
  await frame.getByRole("button", { name: "Next" }).click();
  await frame.getByRole("heading", { name: "Review the update" }).waitFor();
  await page.screenshot({ path: `${out}/upgrade-review-${mode}.png` });
}

/** The org console's Versions view after a dry run of Jira's bulk upgrade. */
async function orgVersions(page: Page, stack: Stack, mode: "light" | "dark"): Promise<void> {
  await page.emulateMedia({ colorScheme: mode });
  await page.goto(`${stack.hostUrl}/org-console/#/versions?integration=jira`);
  await page.getByRole("button", { name: "Preview upgrade" }).click();
  await page.getByText(/^Dry run:/).waitFor();
  await page.screenshot({ path: `${out}/org-versions-${mode}.png`, fullPage: true });
}

/** The Connections screen of a customer with a connection used twice, one revoked, one the host provides. */
async function connections(page: Page, stack: Stack, mode: "light" | "dark", locale?: string): Promise<void> {
  const frame = await embedMarketplace(page, stack, { screen: "connections", mode, fill: true, locale });
  await settled(frame);
  await page.screenshot({ path: `${out}/connections-${locale ?? mode}.png` });
  if (locale) return;
  await frame.getByRole("button", { name: "Add connection" }).click();
  await frame.getByRole("button", { name: /^Zendesk/ }).click();
  await page.screenshot({ path: `${out}/connections-add-${mode}.png` });
}

/** A new Jira instance's wizard: the customer's Jira connections to pick from, the one in use chosen. */
async function connectionPicker(page: Page, stack: Stack, mode: "light" | "dark", locale?: string): Promise<void> {
  const frame = await embedMarketplace(page, stack, { mode, fill: true, locale });
  await frame.getByRole("button", { name: /^Jira/ }).first().click();
  await frame.getByRole("button", { name: /^(Add another|Weitere hinzufügen|Continue setup|Einrichtung fortsetzen)$/ }).first().click();
  await frame.getByRole("radio", { name: /^Ops Jira/ }).check();
  await settled(frame);
  await page.screenshot({ path: `${out}/connection-picker-${locale ?? mode}.png` });
}

/** Three org console views on a seeded stack: `tag` names the picture (light, dark or de). */
async function orgConsole(page: Page, stack: Stack, tag: "light" | "dark" | "de", acmeId: string): Promise<void> {
  await page.emulateMedia({ colorScheme: tag === "dark" ? "dark" : "light" });
  const views: Array<[name: string, hash: string, drawn: string]> = [
    ["runs", "#/runs", "table tbody tr td .pill"],
    ["notifications", "#/notifications", "section.received table"],
    ["usage", `#/usage?customer=${acmeId}`, "dl.totals"],
  ];
  for (const [name, hash, drawn] of views) {
    await page.goto(`${stack.hostUrl}/org-console/${hash}`);
    await page.locator(drawn).first().waitFor();
    await page.screenshot({ path: `${out}/org-console-${name}-${tag}.png` });
  }
}

/** One page per picture, on the viewport the README's pictures have. */
async function shoot(browser: Browser, take: (page: Page) => Promise<void>): Promise<void> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1100, height: 820 });
  try {
    await take(page);
  } finally {
    await page.close();
  }
}

/** Each group on a platform of its own, so the walk-through's Stripe and the seeded one never meet. */
async function onFreshStack(run: (stack: Stack) => Promise<void>): Promise<void> {
  const stack = await startStack();
  try {
    await run(stack);
  } finally {
    await stack.close();
  }
}

const browser = await launchBrowser();
try {
  if (!only || only === "product")
    await onFreshStack(async (stack) => {
      for (const mode of ["light", "dark"] as const) await shoot(browser, (page) => product(page, stack, mode));
    });
  if (!only || only === "versions")
    await onFreshStack(async (stack) => {
      await seedVersions({ platformUrl: stack.platformUrl, orgApiKey: DEMO_ORG_API_KEY, tokens: [await signDemoToken("acme-corp"), await signDemoToken("globex")] });
      // The console first: the frame's pictures start Globex's upgrade, which a dry run then skips.
      for (const mode of ["light", "dark"] as const) await shoot(browser, (page) => orgVersions(page, stack, mode));
      for (const mode of ["light", "dark"] as const) await shoot(browser, (page) => upgrade(page, stack, mode));
    });
  if (!only || only === "activity")
    await onFreshStack(async (stack) => {
      await seedActivity({ platformUrl: stack.platformUrl, token: await signDemoToken("acme-corp"), orgApiKey: DEMO_ORG_API_KEY });
      for (const mode of ["light", "dark"] as const)
        for (const screen of ["dashboard", "logs", "alerts", "usage"] as const) await shoot(browser, (page) => activity(page, stack, mode, screen));
    });
  if (!only || only === "connections")
    await onFreshStack(async (stack) => {
      const seed = await seedConnections(stack);
      // The Zendesk key is revoked: the screen's banner and a row to reconnect.
      await fetch(`${stack.platformUrl}/api/v1/_scenario`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ scenario: "connections-revoked", app: "Zendesk" }) });
      for (const mode of ["light", "dark"] as const) await shoot(browser, (page) => connections(page, stack, mode));
      await shoot(browser, (page) => connections(page, stack, "light", "de"));
      // A second Jira connection of the customer's own, so the picker has a choice to make.
      await fetch(`${stack.platformUrl}/api/v1/connections`, {
        method: "POST",
        headers: { Authorization: `Bearer ${seed.token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ app: "Jira", name: "Sandbox Jira", credentials: { kind: "basic", username: "sandbox@acme-corp.example", password: "token-9876" } }),
      });
      for (const mode of ["light", "dark"] as const) await shoot(browser, (page) => connectionPicker(page, stack, mode));
      await shoot(browser, (page) => connectionPicker(page, stack, "light", "de"));
    });
  if (!only || only === "console")
    await onFreshStack(async (stack) => {
      await stack.notifications.ensureEndpoint();
      const { customerId: acmeId } = await seedActivity({ platformUrl: stack.platformUrl, token: await signDemoToken("acme-corp"), orgApiKey: DEMO_ORG_API_KEY });
      for (const mode of ["light", "dark"] as const) await shoot(browser, (page) => orgConsole(page, stack, mode, acmeId));
      const german = await launchBrowser([], { locale: "de-DE" });
      try {
        await shoot(german, (page) => orgConsole(page, stack, "de", acmeId));
      } finally {
        await german.close();
      }
    });
  console.log(`screenshots written to ${out}/`);
} finally {
  await browser.close();
}
