/**
 * The activity screen in real Chromium, host on localhost and frame + platform on 127.0.0.1
 * (two sites), opened by the host with `showMarketplace({ screen })`: the dashboard's health
 * states; the logs' filters, search, pages and live tail; a monitor created in the UI, a flood
 * of bad calls that raises one alert, acknowledged and resolved; axe in light and dark.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import type { FrameLocator, Page } from "playwright-core";
import { embedMarketplace, type Browser, type Stack } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";
import { DEMO_ORG_API_KEY, seedActivity, type ActivitySeed } from "../mock-server/index.ts";
import { signDemoToken } from "../examples/demo-backend/token.ts";

let stack: Stack;
let browser: Browser;
let seed: ActivitySeed;

useStackAndBrowser(async (s, b) => {
  stack = s;
  browser = b;
  seed = await seedActivity({ platformUrl: s.platformUrl, token: await signDemoToken("acme-corp"), orgApiKey: DEMO_ORG_API_KEY });
});

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** The host page with the SDK, showing `screen` of the activity screen for a demo customer. */
const openActivity = (page: Page, screen: string, options: { customer?: string; role?: string; mode?: "light" | "dark" } = {}): Promise<FrameLocator> =>
  embedMarketplace(page, stack, { screen, ...options });

describe("activity", () => {
  it("the dashboard shows each instance's health, most urgent first, in light and dark without axe violations", async () => {
    for (const mode of ["light", "dark"] as const) {
      const page = await browser.context.newPage();
      try {
        const frame = await openActivity(page, "dashboard", { mode });
        const list = frame.getByRole("region", { name: /^Integrations/ });
        await list.getByRole("listitem").first().waitFor();
        const rows = await list.locator("[data-instance-id]").evaluateAll((els) => els.map((e) => [e.getAttribute("data-instance-id"), [...e.querySelectorAll(".em-badge")].map((b) => b.textContent)]));
        expect(rows).toEqual([
          [seed.hubspot.id, ["Needs reconnect", "Failing"]],
          [seed.zendesk.id, ["Failing"]],
          [seed.stripe.id, ["Paused"]],
          [seed.jira.id, ["Active"]],
        ]);
        const f = page.frames().find((x) => x.url().startsWith(stack.platformUrl))!;
        await f.evaluate(axeSource);
        const violations = (await f.evaluate(`axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => v.id + ": " + v.nodes.map((n) => n.target.join(" ")).join(", ")))`)) as string[];
        expect(violations, mode).toEqual([]);
      } finally {
        await page.close();
      }
    }
  });

  it("logs: filter, search, page through, and a live tail that shows a new run as it happens", async () => {
    for (let i = 0; i < 55; i++) await seed.post(seed.zendesk, { message: `bulk run ${i}` });
    const page = await browser.context.newPage();
    try {
      const frame = await openActivity(page, "logs");
      const runs = frame.locator(".em-run");
      await expect.poll(() => runs.count()).toBe(50);
      // Older pages load on request, each run once.
      const more = frame.getByRole("button", { name: "Load older runs" });
      const end = frame.getByText(/runs shown\. That's all of them\./);
      while (!(await end.isVisible())) {
        const before = await runs.count();
        await more.click();
        await expect.poll(async () => (await runs.count()) > before || (await end.isVisible())).toBe(true);
      }
      const ids = await runs.evaluateAll((els) => els.map((e) => e.getAttribute("data-run-id")));
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBeGreaterThan(60);

      // Search in log lines: the matching line is quoted with the words marked.
      await frame.getByRole("searchbox").fill("BULK RUN 42");
      await expect.poll(() => frame.locator(".em-run-matches mark").first().textContent()).toBe("bulk run 42");
      expect(await runs.count()).toBe(await runs.filter({ hasText: "bulk run 42" }).count());
      // The hostile line shows as text, its markup inert.
      await frame.getByRole("searchbox").fill("printer");
      await expect.poll(() => frame.locator(".em-run-matches mark").first().textContent()).toBe("printer");
      expect(await runs.count()).toBe(1);
      await runs.first().getByRole("button", { name: "Details" }).click();
      await frame.locator(".em-run-details").waitFor();
      expect(await frame.locator(".em-run-details img").count()).toBe(0);
      expect(await frame.locator(".em-log", { hasText: "printer" }).textContent()).toContain('<img src=x onerror="window.__pwned=1"> RED');
      expect(await page.frames().find((x) => x.url().startsWith(stack.platformUrl))!.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

      // Filters: failed runs of Zendesk only.
      await frame.getByRole("searchbox").fill("");
      await frame.getByLabel("Integration").selectOption(seed.zendesk.id);
      await frame.getByLabel("Status").selectOption("failed");
      await expect.poll(() => runs.evaluateAll((els) => els.map((e) => e.className))).toEqual(["em-run em-run-failed"]);

      // Live: a failing call to Zendesk's webhook shows at the top within moments.
      await frame.getByText("New runs and log lines show as they happen.").waitFor();
      const fresh = await seed.post(seed.zendesk, { not: "a ticket" });
      await expect.poll(() => runs.first().getAttribute("data-run-id")).toBe(fresh.executionId);
      await frame.getByText("1 new run").waitFor({ state: "attached" });
    } finally {
      await page.close();
    }
  });

  it("P3 a monitor created in the UI, a flood of bad calls, one alert; acknowledged and resolved in the UI; a viewer sees no buttons", async () => {
    // Globex gets a Jira instance of its own; its default monitors go, so the one made here is the only one.
    const globex = await seedActivityFor("globex");
    const page = await browser.context.newPage();
    try {
      const frame = await openActivity(page, "alerts", { customer: "globex" });
      const monitors = frame.getByRole("region", { name: "Monitors" });
      await monitors.getByText("No monitors: this integration raises no alerts.").waitFor();
      await monitors.getByRole("button", { name: "+ Add monitor" }).click();
      await monitors.getByLabel("After how many runs").fill("5");
      await monitors.getByLabel("Within (minutes)").fill("10");
      await monitors.getByLabel("Then stay quiet for (minutes)").fill("120");
      await monitors.getByRole("button", { name: "Save monitor" }).click();
      await monitors.getByText("A run fails").waitFor();
      await monitors.getByText("alerts after 5 within 10 min · then quiet for 120 min").waitFor();

      for (let i = 0; i < 40; i++) await globex.post(globex.jira, { junk: i });
      const alerts = frame.getByRole("region", { name: "Alerts" });
      await frame.getByRole("tab", { name: "Overview" }).click();
      await frame.getByRole("tab", { name: "Alerts" }).click();
      const items = alerts.locator("[data-alert-id]");
      await expect.poll(() => items.count()).toBe(1);
      await items.first().getByText("40 occurrences").waitFor();

      await items.first().getByRole("button", { name: "Acknowledge" }).click();
      await items.first().getByText(/^Acknowledged by Hank Scorpio/).waitFor();
      await items.first().getByRole("button", { name: "Resolve" }).click();
      await items.first().getByText(/^Resolved by Hank Scorpio/).waitFor();

      const viewer = await browser.context.newPage();
      try {
        const seen = await openActivity(viewer, "alerts", { customer: "globex", role: "viewer" });
        await seen.getByText("You have read-only access. An admin can change monitors.").waitFor();
        await seen.getByRole("button", { name: "All" }).click();
        await seen.locator("[data-alert-id]").first().waitFor();
        expect(await seen.getByRole("button", { name: /^(Acknowledge|Resolve|Edit: .*|Delete: .*|\+ Add monitor)$/ }).count()).toBe(0);
      } finally {
        await viewer.close();
      }
    } finally {
      await page.close();
    }
  });
});

/** A second customer with one Jira instance and no monitors. */
async function seedActivityFor(customer: "globex") {
  const token = await signDemoToken(customer);
  const session = await (await fetch(`${stack.platformUrl}/api/v1/session`, { method: "POST", headers: { Authorization: `Bearer ${token}` } })).json();
  const org = { Authorization: `Bearer ${DEMO_ORG_API_KEY}`, "Content-Type": "application/json" };
  const answer = await fetch(`${stack.platformUrl}/api/v1/org/customers/${session.customer.id}/instances`, {
    method: "POST",
    headers: org,
    body: JSON.stringify({ integrationId: "jira", values: { site: "globex.atlassian.net", jiraConnection: { kind: "basic", username: "hank@globex.example", password: "token-4321" }, projectKey: "ENG", issueType: "Bug" } }),
  });
  const deployed = await answer.json();
  if (!answer.ok) throw new Error(`the org API did not deploy Globex's Jira: ${answer.status} ${JSON.stringify(deployed)}`);
  const id = deployed.instance.id as string;
  const auth = { Authorization: `Bearer ${token}` };
  const { monitors } = await (await fetch(`${stack.platformUrl}/api/v1/instances/${id}/monitors`, { headers: auth })).json();
  for (const m of monitors) await fetch(`${stack.platformUrl}/api/v1/instances/${id}/monitors/${m.id}`, { method: "DELETE", headers: auth });
  const webhook = `${stack.platformUrl}${new URL(deployed.instance.flows.find((f: { webhookUrl?: string }) => f.webhookUrl).webhookUrl).pathname}`;
  return {
    jira: { id, integrationId: "jira", webhook },
    post: (instance: { webhook: string }, body: unknown) => fetch(instance.webhook, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json()),
  };
}
