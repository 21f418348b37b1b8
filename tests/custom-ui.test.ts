/**
 * The custom-UI example in real Chromium: a host page (localhost) that draws its own
 * marketplace and wizard with the headless client, calling the platform (127.0.0.1, another
 * site) cross-origin with `Authorization: Bearer`. No iframe. It searches, activates Stripe,
 * validates, deploys, hears the same lifecycle callbacks as the embed, pauses and resumes; it
 * connects Slack with the headless OAuth flow, through the popup and, when the browser blocked
 * the popup, through the link it shows, and manages the connection (test, delete in use).
 */
import { describe, expect, it } from "vitest";
import { hostEvents } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";
import { axeViolations } from "./axe.ts";
import { seedDemo } from "../scripts/seed-demo.ts";

const { stack, browser } = useStackAndBrowser();

const SECRET = "sk_test_custom_ui_7Hq2Lm";

describe("custom UI with the headless client", () => {
  it("searches, activates Stripe through its own wizard, deploys, logs the lifecycle callbacks, pauses and resumes", async () => {
    const { page } = browser;
    const platformRequests: { url: string; authorization: string | undefined }[] = [];
    page.on("request", (r) => {
      if (r.url().startsWith(stack.platformUrl)) platformRequests.push({ url: r.url(), authorization: r.headers()["authorization"] });
    });
    await page.goto(`${stack.hostUrl}/custom-ui/?customer=acme-corp`);

    // Our own marketplace, no iframe.
    const cards = page.locator("#cards .card");
    await page.getByRole("button", { name: "Activate Stripe" }).waitFor();
    expect(await page.locator("iframe").count()).toBe(0);
    await page.getByRole("searchbox", { name: "Search integrations" }).fill("strip");
    await expect.poll(() => cards.count()).toBe(1);

    // Activate: the wizard validates before saving, with the platform's plain-word messages.
    await page.getByRole("button", { name: "Activate Stripe" }).click();
    await page.getByRole("heading", { name: "Activate Stripe" }).waitFor();
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => page.locator("#field-stripeKey-error").textContent()).toMatch(/Stripe/);
    await page.getByLabel("Restricted API key").fill(SECRET);
    await page.getByRole("button", { name: "Next" }).click();

    await page.getByLabel("Currency").selectOption("eur");
    await page.getByLabel("Metadata (JSON)").fill("{ not json");
    await page.getByRole("button", { name: "Save and deploy" }).click();
    await expect.poll(() => page.locator("#field-metadata-error").textContent()).toMatch(/not valid JSON/);
    await page.getByLabel("Metadata (JSON)").fill('{"source":"custom-ui"}');
    await page.getByRole("button", { name: "Save and deploy" }).click();

    // The instance shows with its webhook URL; the card says activated.
    const instance = page.locator("#instances .instance").first();
    await instance.getByRole("button", { name: "Pause" }).waitFor();
    expect(await instance.locator("code").textContent()).toMatch(new RegExp(`^${stack.platformUrl}/api/v1/webhooks/`));
    await expect.poll(() => page.locator('[data-integration="stripe"] .state').textContent()).toBe("Activated");

    // The lifecycle callbacks, in the embedded wizard's order, ids and names only.
    await expect.poll(async () => (await hostEvents(browser.page)).map((e) => e.name)).toEqual([
      "instance-configuration-opened",
      "instance-configuration-page-loaded",
      "instance-configuration-page-loaded",
      "instance-deployed",
      "instance-configuration-closed",
    ]);
    const events = await hostEvents(browser.page);
    const instanceId = events[0]!.payload.instanceId as string;
    expect(events[0]!.payload).toEqual({ integrationId: "stripe", integrationName: "Stripe", instanceId });
    expect(events[1]!.payload).toEqual({ integrationId: "stripe", instanceId, pageName: "connect", pageIndex: 0, pageCount: 2 });
    expect(events[3]!.payload).toEqual({ integrationId: "stripe", integrationName: "Stripe", instanceId });
    expect(await page.locator('#events li[data-event="instance-deployed"]').count()).toBe(1);

    // Pause and resume, each heard by the page.
    await instance.getByRole("button", { name: "Pause" }).click();
    await instance.getByRole("button", { name: "Resume" }).waitFor();
    await instance.getByRole("button", { name: "Resume" }).click();
    await instance.getByRole("button", { name: "Pause" }).waitFor();
    await expect.poll(async () => (await hostEvents(browser.page)).map((e) => e.name).slice(-2)).toEqual(["instance-paused", "instance-resumed"]);
    expect((await hostEvents(browser.page)).at(-1)!.payload).toEqual({ integrationId: "stripe", instanceId });

    // Cross-origin calls carried the bearer token (CORS allowed the header); never in a URL.
    expect(platformRequests.length).toBeGreaterThan(5);
    expect(platformRequests.filter((r) => r.authorization?.startsWith("Bearer ey")).length).toBeGreaterThan(5);
    expect(platformRequests.every((r) => !/eyJ/.test(r.url))).toBe(true);

    // S1: the typed secret is in no callback payload and no console line.
    expect(JSON.stringify(await hostEvents(browser.page)) + browser.consoleLines.join("\n")).not.toContain(SECRET);
  });

  it("connects Slack with OAuth through the popup, deploys it, lists the connection with its instance, tests it and refuses to delete it while used", async () => {
    const { page } = browser;
    await page.goto(`${stack.hostUrl}/custom-ui/?customer=acme-corp`);
    await page.getByRole("button", { name: "Activate Slack" }).click();
    await page.getByRole("heading", { name: "Activate Slack" }).waitFor();
    // "Connect Slack" opens the mock provider's consent page in a popup; "Allow" closes it.
    const popupOpened = page.context().waitForEvent("page");
    await page.getByRole("button", { name: "Connect Slack" }).click();
    const popup = await popupOpened;
    await popup.getByRole("button", { name: "Allow" }).click();
    await expect.poll(() => page.locator("#field-slackConnection-status").textContent()).toMatch(/^Connected to Slack as .+\.$/);
    await expect.poll(() => popup.isClosed()).toBe(true);

    // Page 2 (its channel picklist from the customer's own Slack), then deploy with the connection.
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByLabel("Channel *").waitFor();
    await expect.poll(() => page.getByLabel("Channel *").locator("option").count()).toBeGreaterThan(2);
    await page.getByRole("button", { name: "Save and deploy" }).click();
    const slackInstance = page.locator("#instances .instance", { hasText: "Slack" });
    await slackInstance.getByRole("button", { name: "Pause" }).waitFor();

    // The connection, healthy, used by the new instance.
    const connection = page.locator("#connections .instance", { hasText: "Slack · oauth2" });
    await expect.poll(() => connection.textContent()).toMatch(/Active.*Used by Slack/);
    await connection.getByRole("button", { name: "Test" }).click();
    await expect.poll(() => page.locator("#connections-status").textContent()).toMatch(/works: Connected to Slack/);
    page.once("dialog", (dialog) => void dialog.accept());
    await connection.getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => page.locator("#connections-status").textContent()).toMatch(/still used by Slack: choose another connection there first\.$/);
    expect(await connection.count()).toBe(1);
  });

  it("S5 a blocked popup: the page shows the sign-in link (state only, no code or token), and the flow completes when the user opens it", async () => {
    const { page } = browser;
    await page.goto(`${stack.hostUrl}/custom-ui/?customer=globex`);
    await page.getByRole("button", { name: "Activate Slack" }).waitFor();
    // What a popup blocker does: window.open answers null.
    await page.evaluate(() => void (window.open = () => null));
    await page.getByRole("button", { name: "Activate Slack" }).click();
    await page.getByRole("button", { name: "Connect Slack" }).click();
    const link = page.getByRole("link", { name: "Open the Slack sign-in page" });
    await link.waitFor();
    expect(await page.locator("#field-slackConnection-status").textContent()).toBe("Your browser blocked the sign-in window.");
    const href = new URL((await link.getAttribute("href"))!);
    expect(href.origin).toBe(stack.platformUrl);
    expect(href.searchParams.get("state")).toBeTruthy();
    for (const key of href.searchParams.keys()) expect(key).not.toMatch(/code|token/i);

    const tabOpened = page.context().waitForEvent("page");
    await link.click();
    const tab = await tabOpened;
    // The platform's callback page ends the flow there (and closes its tab).
    await tab.getByRole("button", { name: "Allow" }).click();
    await expect.poll(() => page.locator("#field-slackConnection-status").textContent()).toMatch(/^Connected to Slack as .+\.$/);
    expect(await link.count()).toBe(0);
    await expect.poll(() => page.locator("#connections .instance", { hasText: "Slack · oauth2" }).count()).toBe(1);
  });

  it("a field error from the platform on the current page keeps what the user typed there, the secret included", async () => {
    const { page } = browser;
    await page.goto(`${stack.hostUrl}/custom-ui/?customer=globex`);
    await page.getByRole("button", { name: "Activate Stripe" }).click();
    await page.getByRole("heading", { name: "Activate Stripe" }).waitFor();
    await page.getByLabel("Restricted API key").fill(SECRET);
    // The platform refuses the page once (its checks can be stricter than the client's).
    let refused = 0;
    await page.route(/\/api\/v1\/instances\/[^/]+\/config\/[^/]+$/, (route) =>
      route.request().method() === "PUT" && refused++ === 0
        ? route.fulfill({
            status: 422,
            contentType: "application/json",
            headers: { "Access-Control-Allow-Origin": stack.hostUrl },
            body: JSON.stringify({ error: { code: "VALIDATION_FAILED", message: "Check the highlighted fields.", fields: { stripeKey: "This key was revoked." } } }),
          })
        : route.continue(),
    );
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => page.locator("#field-stripeKey-error").textContent()).toBe("This key was revoked.");
    expect(refused).toBe(1);
    expect(await page.getByLabel("Restricted API key").inputValue()).toBe(SECRET);
    // Submitting again sends what is still typed: the next page opens.
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByLabel("Currency").waitFor();
    await page.unroute(/\/api\/v1\/instances\/[^/]+\/config\/[^/]+$/);
  });

  it("on a phone (320 and 375 px) nothing scrolls sideways, a webhook URL has a line of its own under its instance, statuses are words and every row's button names its row; on a wide screen the cards' buttons line up; the wizard has no empty lines and the callback log an empty state; axe finds nothing", async () => {
    // A deployed instance with a webhook URL (the demo's seed: two Jira instances for Acme).
    await seedDemo(stack.platformUrl);
    const page = await browser.context.newPage();
    const found: Record<string, string[]> = {};
    for (const width of [320, 375, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${stack.hostUrl}/custom-ui/?customer=acme-corp`);
      await page.locator("#instances .instance code").first().waitFor();
      await page.locator("#connections .instance").first().waitFor();
      const problems = await page.evaluate(() => {
        const out: string[] = [];
        const { scrollWidth, clientWidth } = document.documentElement;
        if (scrollWidth > clientWidth) out.push(`the page scrolls sideways by ${scrollWidth - clientWidth} px`);
        const raw = new Set(["draft", "deploying", "deployed", "paused", "deleted"]);
        for (const row of document.querySelectorAll<HTMLElement>("#instances .instance")) {
          const name = row.querySelector("strong")!.textContent!;
          const status = row.querySelector(".state")!.textContent!;
          if (raw.has(status)) out.push(`${name}: its status is the API's word "${status}"`);
          for (const button of row.querySelectorAll("button")) if (!button.getAttribute("aria-label")?.endsWith(name)) out.push(`${name}: "${button.textContent}" does not name its instance`);
          const url = row.querySelector("code");
          if (url && innerWidth <= 600) {
            const box = row.getBoundingClientRect();
            const line = url.getBoundingClientRect();
            if (line.top < row.querySelector("strong")!.getBoundingClientRect().bottom) out.push(`${name}: the webhook URL sits beside the name, not under it`);
            if (line.width < (box.width - 40) * 0.8) out.push(`${name}: the webhook URL is squeezed into ${Math.round(line.width)} of ${Math.round(box.width)} px`);
          }
        }
        // Cards side by side end their buttons on one line.
        const rows = new Map<number, number[]>();
        for (const card of document.querySelectorAll<HTMLElement>("#cards .card")) {
          const top = Math.round(card.getBoundingClientRect().top);
          rows.set(top, [...(rows.get(top) ?? []), Math.round(card.querySelector("button")!.getBoundingClientRect().bottom)]);
        }
        for (const [top, bottoms] of rows) if (new Set(bottoms).size > 1) out.push(`the cards at y=${top} end their buttons at ${[...new Set(bottoms)].join(", ")} px`);
        return out;
      });
      const violations = await axeViolations(page);
      if (problems.length || violations.length) found[`${width} px`] = [...problems, ...violations];
    }
    // Before any callback the log says what will show there; an open wizard has no empty lines
    // (an empty help or error line still took a grid gap of room under its field).
    if (!(await page.locator("#events-empty").isVisible())) found.events = ["no empty state before the first callback"];
    await page.locator('[data-integration="slack"] button').click();
    await page.locator("#wizard-fields .field").first().waitFor();
    if (await page.locator("#events-empty").isVisible()) found.events = ["the empty state stays once a callback is logged"];
    if (!(await page.evaluate(() => document.activeElement?.closest("#wizard-fields")))) found.focus = [`an open wizard leaves the focus on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80))}`];
    const emptyLines = await page.locator("#wizard p").evaluateAll((lines) => lines.filter((p) => !p.textContent?.trim() && getComputedStyle(p).display !== "none").map((p) => p.id));
    if (emptyLines.length) found.wizard = [`empty lines take room: ${emptyLines.join(", ")}`];
    expect(found).toEqual({});
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.close();
  });
});
