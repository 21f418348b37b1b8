/**
 * Test runs, replays and the history a deactivated instance leaves (issue 15), in real Chromium:
 * host on localhost, frame + platform on 127.0.0.1 (two sites). The Test panel's default
 * example runs and its logs show inline; a payload that is not JSON is a field error in the code
 * editor and stays as typed; a replay links both ways; a deactivated instance's failed-or-not
 * removal run is still there for the organization; the organization's bulk replay, dry run first.
 */
import { describe, expect, it } from "vitest";
import type { FrameLocator, Page } from "playwright-core";
import { deleteAllInstances, deployStripe, embedMarketplace, withPage } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";
import { DEMO_ORG_API_KEY } from "../mock-server/index.ts";
import { signDemoToken } from "../examples/demo-backend/token.ts";

const { stack, browser } = useStackAndBrowser(async (s) => deleteAllInstances(s));

const org = (path: string, init: RequestInit = {}) =>
  fetch(`${stack.platformUrl}/api/v1/org${path}`, { ...init, headers: { Authorization: `Bearer ${DEMO_ORG_API_KEY}`, "Content-Type": "application/json", ...init.headers } });

/** A Jira instance the organization deploys for a demo customer (who signs in first, so the platform knows them). */
async function orgDeployJira(customer: "acme-corp" | "globex", extra: Record<string, unknown> = {}): Promise<{ token: string; instance: { id: string; flows: { webhookUrl?: string }[] } }> {
  const token = await signDemoToken(customer);
  const session = await (await fetch(`${stack.platformUrl}/api/v1/session`, { method: "POST", headers: { Authorization: `Bearer ${token}` } })).json();
  const values = { site: `${customer}.atlassian.net`, jiraConnection: { kind: "basic", username: `ops@${customer}.example`, password: "token-4321" }, projectKey: "OPS" };
  const answer = await org(`/customers/${session.customer.id}/instances`, { method: "POST", body: JSON.stringify({ integrationId: "jira", values, ...extra }) });
  if (!answer.ok) throw new Error(`the org API did not deploy Jira: ${answer.status}`);
  return { token, instance: (await answer.json()).instance };
}

/** Acme's Stripe instance page, deployed through the marketplace (once per file). */
async function stripePage(page: Page): Promise<FrameLocator> {
  const frame = await embedMarketplace(page, stack, { customer: "acme-corp" });
  const existing = frame.getByRole("region", { name: /^Activated/ }).getByRole("button", { name: /Stripe/ });
  await frame.getByRole("region", { name: /^Available|^Activated/ }).first().waitFor();
  if (await existing.count()) {
    await existing.click();
    await frame.getByRole("button", { name: "Manage" }).click();
  } else {
    await deployStripe(frame, "sk_test_runs_browser");
  }
  await frame.getByRole("heading", { level: 2, name: "Flows" }).waitFor();
  return frame;
}

/** Replaces the code editor's text as a user does: select all, type. */
async function typeInEditor(page: Page, panel: ReturnType<FrameLocator["locator"]>, text: string) {
  await panel.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type(text);
}

describe("test runs", () => {
  it("the default example succeeds and its status, output and logs show inline", async () => {
    await withPage(browser, async (page) => {
      const frame = await stripePage(page);
      await frame.getByRole("button", { name: "Test Record a payment" }).click();
      const panel = frame.getByRole("region", { name: "Test “Record a payment”" });
      // The code editor took over from the textarea, with the flow's example.
      await panel.locator(".cm-content").waitFor();
      expect(JSON.parse((await panel.locator(".cm-content").innerText()).replace(/\u00a0/g, " "))).toEqual({ type: "charge.succeeded", amount: 4200 });
      await panel.getByRole("button", { name: "Run test" }).click();
      const result = panel.getByRole("status");
      await expect.poll(() => result.textContent()).toMatch(/The test run succeeded in/);
      expect(await result.textContent()).toContain('Flow "Record a payment" started by a test run.');
      expect(await result.getByRole("heading", { name: "Output" }).count()).toBe(1);
      // Recorded, and marked as a test, in the instance's runs.
      const runs = frame.getByRole("region", { name: "Executions" });
      await expect.poll(() => runs.locator(".em-tag-test").count()).toBeGreaterThan(0);
    });
  });

  it("a payload that is not JSON is a field error at its place in the editor; the text stays as typed and nothing runs", async () => {
    await withPage(browser, async (page) => {
      const frame = await stripePage(page);
      const runs = frame.getByRole("region", { name: "Executions" });
      // Loaded: its runs, or the empty state (not the skeleton).
      await runs.locator(".em-execution, .em-state").first().waitFor();
      const before = await runs.locator(".em-execution").count();
      await frame.getByRole("button", { name: "Test Record a payment" }).click();
      const panel = frame.getByRole("region", { name: "Test “Record a payment”" });
      await panel.locator(".cm-content").waitFor();
      await typeInEditor(page, panel, '{"type": "charge.succeeded", "amount": }');
      await panel.getByRole("button", { name: "Run test" }).click();
      await expect.poll(() => panel.getByRole("alert").textContent()).toBe("This is not valid JSON: check line 1, column 40.");
      expect(await panel.locator(".cm-content").innerText()).toBe('{"type": "charge.succeeded", "amount": }');
      expect(await panel.locator(".cm-content").getAttribute("aria-invalid")).toBe("true");
      expect(await runs.locator(".em-execution").count()).toBe(before);
    });
  });
});

describe("replay", () => {
  it("replays a run from the instance page: the replay names the original and the original lists its replay", async () => {
    await withPage(browser, async (page) => {
      const frame = await stripePage(page);
      const runs = frame.getByRole("region", { name: "Executions" });
      const original = runs.getByRole("listitem").first();
      const originalId = (await original.getAttribute("data-execution"))!;
      await original.getByRole("button", { name: "Replay" }).click();
      await frame.getByText("The replay succeeded.").waitFor();
      const replay = runs.getByRole("listitem").first();
      expect(await replay.getAttribute("data-execution")).not.toBe(originalId);
      const back = replay.getByRole("button", { name: `Show run ${originalId}` });
      expect(await back.textContent()).toBe(`Replay of …${originalId.slice(-6)}`);
      const replayId = (await replay.getAttribute("data-execution"))!;
      const originalItem = runs.locator(`[data-execution="${originalId}"]`);
      expect(await originalItem.getByRole("button", { name: `Show run ${replayId}` }).count()).toBe(1);
      expect(await originalItem.textContent()).toContain("Replayed 1 time");
      // Following the link opens the original, with its logs.
      await back.click();
      await expect.poll(() => originalItem.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await originalItem.getByRole("button", { name: "Hide logs" }).count()).toBe(1);
    });
  });

  it("the organization replays in bulk: a dry run lists what would run, a run (Idempotency-Key) replays it", async () => {
    const deployed = await orgDeployJira("globex");
    const hook = `${stack.platformUrl}${new URL(deployed.instance.flows.find((f) => f.webhookUrl)!.webhookUrl!).pathname}`;
    const failed = await (await fetch(hook, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ severity: "no message" }) })).json();
    expect(failed.status).toBe("failed");
    const filter = { instance: deployed.instance.id, status: "failed" };
    const dry = await (await org("/replays", { method: "POST", body: JSON.stringify({ ...filter, dryRun: true }) })).json();
    expect(dry.items.map((i: { execution: { id: string }; outcome: string }) => [i.execution.id, i.outcome])).toEqual([[failed.executionId, "would-replay"]]);
    const done = await (await org("/replays", { method: "POST", body: JSON.stringify(filter), headers: { "Idempotency-Key": `bulk-${failed.executionId}` } })).json();
    expect(done.items[0]).toMatchObject({ execution: { id: failed.executionId }, outcome: "failed", replay: { status: "failed" } });
    const runs = await (await org(`/instances/${deployed.instance.id}/executions`)).json();
    expect(runs.executions.find((x: { id: string }) => x.id === done.items[0].replay.id)).toMatchObject({ replayOf: failed.executionId });
  });

  it("the org console's Replay view: a preview (dry run) lists the runs, Replay runs them once", async () => {
    const deployed = await orgDeployJira("globex", { name: "Jira console replay" });
    const hook = `${stack.platformUrl}${new URL(deployed.instance.flows.find((f) => f.webhookUrl)!.webhookUrl!).pathname}`;
    const failed = await (await fetch(hook, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ severity: "console" }) })).json();
    await withPage(browser, async (page) => {
      let posts = 0;
      page.on("request", (request) => void (request.method() === "POST" && request.url().endsWith("/api/org/replays") && !request.postData()?.includes("dryRun") && posts++));
      await page.goto(`${stack.hostUrl}/org-console/#/replays`);
      const form = page.getByRole("form", { name: "Runs to replay" });
      await form.getByLabel("Instance id").fill(deployed.instance.id);
      await form.getByRole("button", { name: "Preview (dry run)" }).click();
      const result = page.getByRole("region", { name: "Replay result" });
      await expect.poll(() => result.getByRole("status").textContent()).toBe("1 would be replayed, 0 skipped.");
      expect(await result.locator(`tr[data-execution="${failed.executionId}"]`).textContent()).toContain("Would replay");
      await result.getByRole("button", { name: "Replay 1 run" }).click();
      await expect.poll(() => result.getByRole("status").textContent()).toBe("0 replayed, 1 failed again, 0 skipped.");
      expect(posts).toBe(1);
    });
    const runs = await (await org(`/instances/${deployed.instance.id}/executions`)).json();
    expect(runs.executions.filter((x: { replayOf?: string }) => x.replayOf === failed.executionId)).toHaveLength(1);
  });
});

describe("history that survives removal", () => {
  it("deactivating in the frame runs the removal flow; the organization still sees the instance, as deleted, and its removal run", async () => {
    const { token, instance } = await orgDeployJira("acme-corp", { name: "Jira to remove" });
    const id = instance.id;
    await withPage(browser, async (page) => {
      const frame = await embedMarketplace(page, stack, { customer: "acme-corp" });
      // Open this instance through the marketplace: Jira allows several, so its detail lists them.
      await frame.getByRole("region", { name: /^Activated/ }).getByRole("button", { name: /Jira/ }).click();
      await frame.getByRole("button", { name: /Jira to remove/ }).click();
      await frame.getByRole("button", { name: "Deactivate" }).click();
      await frame.getByRole("button", { name: "Yes, deactivate" }).click();
      await frame.getByText("Jira was deactivated").waitFor();
    });
    const kept = await (await org(`/instances/${id}`)).json();
    expect(kept).toMatchObject({ id, status: "deleted", deletedBy: { kind: "user" } });
    const runs = await (await org(`/instances/${id}/executions`)).json();
    expect(runs.executions.map((x: { trigger: string }) => x.trigger)).toContain("removal");
    // Its own customer hears it is gone; the other demo customer that it never was.
    expect((await fetch(`${stack.platformUrl}/api/v1/instances/${id}`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(410);
    expect((await fetch(`${stack.platformUrl}/api/v1/instances/${id}`, { headers: { Authorization: `Bearer ${await signDemoToken("globex")}` } })).status).toBe(404);
  });
});
