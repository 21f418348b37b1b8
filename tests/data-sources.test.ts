/**
 * Data sources and conditional pages in real Chromium, host on localhost and frame + platform on
 * 127.0.0.1: Jira's issue types chained to the chosen project, a reconfigure that shows the saved
 * values before the options load and keeps them, a saved value Jira no longer offers, each fault
 * of the app (slow, down, garbage, thousands of items) with what the user typed kept, and
 * Zendesk's conditional page with its image (under the frame's CSP), webhook URL and generated key.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { FrameLocator, Page } from "playwright-core";
import { deleteAllInstances, demoToken, hostEvents } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";

const { stack, browser } = useStackAndBrowser();

beforeEach(async () => {
  await deleteAllInstances(stack);
  await scenario({ scenario: "none" });
});

/** The platform's scenario switch, as the demo page's Rehearse selector sets it. */
async function scenario(body: { scenario: string; latencyMs?: number }): Promise<void> {
  const response = await fetch(`${stack.platformUrl}/api/v1/_scenario`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
}

async function openHost(): Promise<{ page: Page; frame: FrameLocator }> {
  const page = await browser.context.newPage();
  await page.goto(`${stack.hostUrl}/?customer=acme-corp`);
  const frame = page.frameLocator("#marketplace iframe");
  await frame.getByRole("searchbox").waitFor();
  return { page, frame };
}

/** The REST API as acme-corp, with a token from the host app (as its backend would give one). */
async function customerApi(page: Page) {
  const token = await demoToken(page, stack.hostUrl, "acme-corp");
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${stack.platformUrl}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as Record<string, unknown>;
    expect(response.ok, JSON.stringify(json)).toBe(true);
    return json;
  };
}

/** Opens Jira's wizard and saves its connection page: the Issues page, with its data sources. */
async function jiraIssues(frame: FrameLocator): Promise<void> {
  await frame.getByRole("searchbox").fill("Jira");
  await frame.getByRole("button", { name: /Jira/ }).first().click();
  await frame.getByRole("button", { name: "Activate" }).click();
  await frame.getByLabel("Username").fill("ops@acme.test");
  await frame.getByLabel("Password").fill("api-token-123");
  await frame.getByRole("button", { name: "Next" }).click();
  await frame.getByText("Step 2 of 2").waitFor();
}

const project = (frame: FrameLocator) => frame.getByRole("combobox", { name: /^Project/ });
const issueType = (frame: FrameLocator) => frame.getByRole("combobox", { name: /^Issue type/ });
const field = (frame: FrameLocator, key: string) => frame.locator(`[data-field="${key}"]`);

describe("data sources", () => {
  it("chains Jira's issue types to the chosen project, tells the user what it cleared, then reconfigures with the saved values shown before the options load", async () => {
    const { page, frame } = await openHost();
    try {
      await jiraIssues(frame);
      await expect.poll(() => project(frame).inputValue()).toBe("Operations");
      await issueType(frame).fill("bug");
      await frame.getByRole("option", { name: /^Bug/ }).click();
      await expect.poll(() => issueType(frame).inputValue()).toBe("Bug");

      // A service desk has no bugs: the choice is cleared, and the user is told.
      await project(frame).fill("support");
      await frame.getByRole("option", { name: /^Customer Support/ }).click();
      await field(frame, "issueType").getByText(/“Bug” isn't available in Jira for your new choice, so it was cleared/).waitFor();
      await expect.poll(() => issueType(frame).inputValue()).toBe("");
      await issueType(frame).press("ArrowDown");
      await expect.poll(() => frame.getByRole("option").allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^Incident/), expect.stringMatching(/^Service request/)]));
      await frame.getByRole("option", { name: /^Incident/ }).click();
      await frame.getByRole("button", { name: "Save and deploy" }).click();
      await frame.getByRole("button", { name: "Reconfigure" }).waitFor();
      await expect.poll(async () => (await hostEvents(page)).map((e) => e.name)).toContain("instance-deployed");

      // Reconfigure while Jira is slow: the saved choices show by their names before the options
      // arrive, and saving without touching them keeps them.
      await scenario({ scenario: "data-source-slow", latencyMs: 3000 });
      await frame.getByRole("button", { name: "Reconfigure" }).click();
      await frame.getByRole("button", { name: "Next" }).click();
      await frame.getByText("Step 2 of 2").waitFor();
      await field(frame, "projectKey").getByText("Loading from Jira…").waitFor();
      expect(await project(frame).inputValue()).toBe("Customer Support");
      expect(await issueType(frame).inputValue()).toBe("Incident");
      await frame.getByRole("button", { name: "Save and deploy" }).click();
      await frame.getByRole("button", { name: "Pause" }).waitFor();
      const [saved] = (await (await customerApi(page))("GET", "/instances")).instances as { configValues: Record<string, unknown>; optionLabels: unknown }[];
      expect(saved!.configValues).toMatchObject({ projectKey: "SUP", issueType: "Incident" });
      expect(saved!.optionLabels).toEqual({ projectKey: { SUP: "Customer Support" }, issueType: { Incident: "Incident" } });
    } finally {
      await page.close();
    }
  });

  it("a saved value Jira no longer offers is shown as such, kept, and saved again untouched", async () => {
    const { page, frame } = await openHost();
    try {
      const api = await customerApi(page);
      const instance = await api("POST", "/instances", { integrationId: "jira" });
      await api("PUT", `/instances/${instance.id}/config/connect`, { values: { site: "acme.atlassian.net", jiraConnection: { kind: "basic", username: "ops@acme.test", password: "api-token-123" } } });
      // Saved while Jira could not be asked (a save is not blocked by the app): a type Jira does not have.
      await scenario({ scenario: "data-source-down" });
      await api("PUT", `/instances/${instance.id}/config/issues`, { values: { projectKey: "OPS", issueType: "Improvement" } });
      await scenario({ scenario: "none" });

      await page.reload();
      await frame.getByRole("searchbox").fill("Jira");
      await frame.getByRole("button", { name: /Jira/ }).first().click();
      await frame.getByRole("button", { name: "Continue setup" }).click();
      await frame.getByText("Step 2 of 2").waitFor();
      await field(frame, "issueType").getByText("“Improvement” is no longer available in Jira. It stays saved until you choose another.").waitFor();
      expect(await issueType(frame).inputValue()).toBe("Improvement");
      await frame.getByRole("button", { name: "Save and deploy" }).click();
      await frame.getByRole("button", { name: "Pause" }).waitFor();
      const saved = await api("GET", `/instances/${instance.id}`);
      expect(saved.configValues).toMatchObject({ projectKey: "OPS", issueType: "Improvement" });
    } finally {
      await page.close();
    }
  });

  it("slow, down, garbage and thousands of items: a loading line, a typed error with a retry, a search on the platform, and what the user typed is kept", async () => {
    const { page, frame } = await openHost();
    try {
      await jiraIssues(frame);
      await expect.poll(() => project(frame).inputValue()).toBe("Operations");
      const label = field(frame, "labels").getByRole("textbox").first();
      await label.fill("typed-before-the-faults");
      const reload = field(frame, "projectKey").getByRole("button", { name: "Reload options" });

      await scenario({ scenario: "data-source-slow", latencyMs: 2000 });
      await reload.click();
      await field(frame, "projectKey").getByText("Loading from Jira…").waitFor();
      await reload.waitFor();

      for (const mode of ["data-source-down", "data-source-garbage"]) {
        await scenario({ scenario: mode });
        await reload.click();
        const alert = field(frame, "projectKey").getByRole("alert");
        await expect.poll(() => alert.textContent()).toContain("Jira didn't answer properly, so the options couldn't be loaded. Your choice is kept.");
        expect(await project(frame).inputValue()).toBe("Operations");
        expect(await label.inputValue()).toBe("typed-before-the-faults");
        await scenario({ scenario: "none" });
        await alert.getByRole("button", { name: "Try again" }).click();
        await reload.waitFor();
      }

      await scenario({ scenario: "data-source-huge" });
      await reload.click();
      await field(frame, "projectKey").getByText("Jira has more options than are listed: type to search them all.").waitFor();
      // Past the first thousand: only the platform's search finds it.
      await project(frame).fill("bulk-04999");
      await frame.getByRole("option", { name: /^bulk-04999/ }).click();
      await expect.poll(() => project(frame).inputValue()).toBe("bulk-04999");
      expect(await label.inputValue()).toBe("typed-before-the-faults");
    } finally {
      await page.close();
    }
  });
});

describe("conditional pages", () => {
  it("Zendesk's Ticket updates page appears with the choice, shows its image under the frame's CSP, the webhook URL and a generated key, and goes away with it", async () => {
    const { page, frame } = await openHost();
    try {
      await frame.getByRole("searchbox").fill("Zendesk");
      await frame.getByRole("button", { name: /Zendesk/ }).first().click();
      await frame.getByRole("button", { name: "Activate" }).click();
      await frame.getByLabel("API key").fill("zd-token-e2e");
      await frame.getByRole("button", { name: "Next" }).click();
      await frame.getByText("Step 2 of 2").waitFor();

      await frame.getByLabel("Use the standard ticket template").check();
      await field(frame, "template").getByText("Locked", { exact: true }).waitFor();
      const syncBack = frame.getByLabel("Send ticket updates back to this app");
      await syncBack.check();
      await frame.getByText("Step 2 of 3").waitFor();
      await frame.getByRole("button", { name: "Next" }).click();
      await frame.getByText("Step 3 of 3").waitFor();
      await frame.getByRole("heading", { name: "Ticket updates" }).waitFor();

      const image = frame.getByRole("img", { name: /The Zendesk webhook form/ });
      await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      const url = await frame.getByLabel("Endpoint URL").inputValue();
      expect(new URL(url).origin).toBe(stack.platformUrl);
      expect(await frame.getByLabel("Bearer token").inputValue()).toMatch(/^emk_[A-Za-z0-9_-]{20,}$/);

      // Back, and unchecking the choice removes the page: page 2 deploys.
      await frame.getByRole("button", { name: "Back" }).click();
      await syncBack.uncheck();
      await frame.getByText("Step 2 of 2").waitFor();
      await frame.getByRole("button", { name: "Save and deploy" }).click();
      await frame.getByRole("button", { name: "Pause" }).waitFor();
    } finally {
      await page.close();
    }
  });
});
