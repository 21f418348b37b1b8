/**
 * Alerts in real Chromium (issue 4): a webhook POST that makes a flow fail raises an alert;
 * the instance page shows it (after Refresh, and by itself through its poll). A second failure
 * within the monitor's quiet period is counted into the same alert (issue 16: a flood raises
 * one alert), and the host page receives `execution-failed` once per failed run, with ids only —
 * none of the payload.
 */
import { describe, expect, it } from "vitest";
import { deleteAllInstances, deployStripe, hostEvents } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";

const { stack, browser } = useStackAndBrowser();

const failures = async () => (await hostEvents(browser.page)).filter((e) => e.name === "execution-failed");

/** A Stripe event without `amount`: the flow's read-payload step fails on it. */
const failingPost = (url: string, marker: string) =>
  fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ type: "charge.succeeded", note: marker }) });

describe("alerts", () => {
  it("a failed webhook execution shows as an alert on the instance page and reaches the host as execution-failed, ids only, once", async () => {
    await deleteAllInstances(stack); // a retry starts from "Activate" again
    const { page } = browser;
    await page.goto(`${stack.hostUrl}/?customer=acme-corp`);
    const frame = page.frameLocator("#marketplace iframe");

    // Deploy Stripe; its instance page opens.
    await deployStripe(frame, "sk_test_alerts_0123456789");
    const webhook = frame.getByLabel(/Webhook URL/).first();
    await webhook.waitFor().catch(async (error) => {
      await page.screenshot({ path: "test-results/alerts-deploy.png" });
      throw error;
    });
    const url = await webhook.inputValue();
    const deployed = (await hostEvents(browser.page)).find((e) => e.name === "instance-deployed")!;
    const instanceId = deployed.payload.instanceId as string;
    const alerts = frame.getByRole("region", { name: "Alerts" });
    await alerts.getByText(/^No alerts/).waitFor();
    expect(await failures()).toEqual([]);

    // 1. A failing POST, then Refresh: the alert is listed with its execution id.
    const first = await failingPost(url, "payload-marker-one");
    const firstRun = (await first.json()) as { executionId: string; status: string };
    expect(firstRun.status).toBe("failed");
    await frame.getByRole("button", { name: "Refresh" }).click();
    await alerts.getByText(`Execution ${firstRun.executionId}`).waitFor();
    expect(await alerts.getByText(/The payload has no "amount"/).count()).toBe(1);
    await expect.poll(failures).toHaveLength(1);
    const [event] = await failures();
    expect(event.payload).toEqual({ integrationId: "stripe", instanceId, executionId: firstRun.executionId, flowId: "record-payment" });

    // 2. Another failing POST, no click: the page's poll (every 10 s while visible) finds it,
    // counted into the same alert (the monitor's quiet period), and the host hears of the run.
    const second = (await (await failingPost(url, "payload-marker-two")).json()) as { executionId: string };
    await alerts.getByText(`Execution ${second.executionId}`).waitFor();
    await alerts.getByText("2 occurrences").waitFor();
    await expect.poll(failures).toHaveLength(2);
    expect((await failures())[1].payload).toEqual({ integrationId: "stripe", instanceId, executionId: second.executionId, flowId: "record-payment" });

    // Once per run: a further refresh announces nothing again; no payload data ever left.
    await frame.getByRole("button", { name: "Refresh" }).click();
    await expect.poll(() => alerts.getByRole("listitem").count()).toBe(1);
    expect(await failures()).toHaveLength(2);
    expect(JSON.stringify(await hostEvents(browser.page))).not.toMatch(/payload-marker|charge\.succeeded|amount/);
  });
});
