// @vitest-environment happy-dom
/**
 * The instance page's alerts: the list, the host event for failed executions that appear while
 * the page is open (once each, ids only), and the poll that stops when the page is hidden.
 */
import { act, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import type { Execution, Instance } from "../../../contract/api.ts";
import type { Alert } from "../../../contract/api-observe.ts";
import { fakePlatform, integration } from "../../test/fake-platform.ts";
import { renderFrame, setupFrameServer } from "../../test/harness.tsx";
import { ALERT_POLL_MS } from "./instance-alerts.tsx";
import { waitUntil } from "../../../tests/wait-until.ts";

const server = setupFrameServer();

const now = Date.now();
const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
const alert = (id: string, executionId: string, kind: Alert["kind"] = "execution-failed", minutesAgo = 1, flowId = "alert"): Alert => ({
  id, instanceId: "i1", executionId, lastExecutionId: executionId, flowId, kind, at: at(minutesAgo), status: "open", occurrences: 1, lastOccurredAt: at(minutesAgo),
  message: kind === "execution-failed" ? `"Post an alert" (webhook) failed: boom ${id}` : `"Post an alert" took 31000 ms, over the 30000 ms threshold.`,
});
const execution = (id: string, status: Execution["status"]): Execution => ({
  id, instanceId: "i1", flowId: "alert", flowName: `Run ${id}`, trigger: "webhook", status, startedAt: at(0), durationMs: 5, logs: [], stepResults: {},
});

function platform(alerts: Alert[]) {
  const p = fakePlatform([integration({ id: "slack", name: "Slack", activation: { state: "activated", instanceId: "i1", instanceCount: 1, activeCount: 1, updateAvailable: false } })]);
  const inst: Instance = {
    id: "i1", integrationId: "slack", integrationName: "Slack", customerId: "c1", name: "Slack", description: "", labels: [],
    status: "deployed", integrationVersion: 1, configValues: {}, completedPages: [], createdAt: at(60), updatedAt: at(60),
    flows: [
      { id: "alert", name: "Post an alert", trigger: { kind: "webhook" }, webhookUrl: "http://platform.test/api/v1/webhooks/t" },
      { id: "check", name: "Check the channel", trigger: { kind: "deploy" } },
      { id: "goodbye", name: "Say goodbye", trigger: { kind: "removal" } },
    ],
  };
  p.state.instances.set("i1", inst);
  p.state.executions.set("i1", []);
  p.state.alerts.set("i1", alerts);
  server.use(...p.handlers);
  return p;
}

async function open(alerts: Alert[]) {
  const p = platform(alerts);
  const r = await renderFrame({ init: { screen: { name: "instance", instanceId: "i1" } } });
  await screen.findByRole("heading", { level: 1, name: "Slack" });
  const region = await screen.findByRole("region", { name: "Alerts" });
  return { ...r, p, region };
}

const refresh = async () => {
  const button = screen.getByRole("button", { name: "Refresh" });
  fireEvent.click(button);
  await waitFor(() => expect(button.hasAttribute("disabled")).toBe(false));
};

describe("instance alerts", () => {
  it("lists the instance's alerts with kind, flow, message and execution id", async () => {
    const { region } = await open([alert("a2", "x2", "execution-slow", 1), alert("a1", "x1", "execution-failed", 5)]);
    const items = await within(region).findAllByRole("listitem");
    expect(items.map((li) => li.getAttribute("data-alert-id"))).toEqual(["a2", "a1"]);
    expect(within(items[0]).getByText("Slow")).toBeTruthy();
    expect(within(items[1]).getByText("Failed")).toBeTruthy();
    expect(within(items[1]).getByText("Post an alert")).toBeTruthy();
    expect(within(items[1]).getByText(/failed: boom a1/)).toBeTruthy();
    expect(within(items[1]).getByText("Execution x1")).toBeTruthy();
  });

  it("P2 an alert whose execution the retention policy removed says so, in the user's language", async () => {
    const { region } = await open([{ ...alert("a8", "x8", "execution-failed", 5), executionExpired: true }, alert("a9", "x9", "execution-failed", 1)]);
    expect(await within(region).findByText("Execution x8 — removed by the history retention policy")).toBeTruthy();
    expect(within(region).getByText("Execution x9")).toBeTruthy();
  });

  it("says so when there are no alerts", async () => {
    const { region } = await open([]);
    expect(await within(region).findByText(/^No alerts/)).toBeTruthy();
    expect(within(region).queryByRole("list")).toBeNull();
  });

  it("alerts from before the page opened are history: shown, not sent to the host", async () => {
    const { host, region } = await open([alert("a1", "x1")]);
    await within(region).findByText("Execution x1");
    expect(host.of("execution-failed")).toEqual([]);
  });

  it("a new failed-execution alert found by Refresh goes to the host once, with ids only; a slow one does not", async () => {
    const { host, p, region } = await open([alert("a1", "x1")]);
    await within(region).findByText("Execution x1");
    p.state.alerts.set("i1", [alert("a3", "x3", "execution-slow", 0), alert("a2", "x2", "execution-failed", 0), alert("a1", "x1")]);
    await refresh();
    await within(region).findByText("Execution x2");
    expect(host.of("execution-failed")).toEqual([
      { type: "execution-failed", payload: { integrationId: "slack", instanceId: "i1", executionId: "x2", flowId: "alert" } },
    ]);
    expect(within(region).getByRole("status").textContent).toBe("2 new alerts");
    await refresh();
    expect(host.of("execution-failed")).toHaveLength(1);
  });

  it("a new alert of a deploy flow is shown but not sent: the wizard that deployed reports those", async () => {
    const { host, p, region } = await open([]);
    await within(region).findByText(/^No alerts/);
    p.state.alerts.set("i1", [alert("a1", "x1", "execution-failed", 0, "check")]);
    await refresh();
    await within(region).findByText("Execution x1");
    expect(within(region).getByText("Check the channel")).toBeTruthy();
    expect(host.of("execution-failed")).toEqual([]);
  });

  it("a failed removal flow on Deactivate goes to the host as execution-failed, ids only", async () => {
    const { host } = await open([]);
    server.use(
      http.delete("http://platform.test/api/v1/instances/:id", () =>
        HttpResponse.json({ instanceId: "i1", executions: [{ ...execution("xr", "failed"), flowId: "goodbye", trigger: "removal", error: "secret-ish detail" }] }),
      ),
    );
    fireEvent.click(await screen.findByRole("button", { name: "Deactivate" }));
    fireEvent.click(await screen.findByRole("button", { name: "Yes, deactivate" }));
    await waitFor(() => expect(host.of("instance-deleted")).toHaveLength(1));
    expect(host.of("execution-failed")).toEqual([
      { type: "execution-failed", payload: { integrationId: "slack", instanceId: "i1", executionId: "xr", flowId: "goodbye" } },
    ]);
  });

  it("polls for new alerts while visible, reloads the executions with them, and stops when hidden or closed", async () => {
    // Only intervals are faked: the test drives the page's poll itself; waitUntil (vi.waitFor)
    // keeps real timers for waiting on what each poll brings.
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const p = platform([]);
    const { host, view } = await renderFrame({ init: { screen: { name: "instance", instanceId: "i1" } } });
    const region = await waitUntil(() => screen.getByRole("region", { name: "Alerts" }));
    await waitUntil(() => within(region).getByText(/^No alerts/));
    // Preact runs effects after paint: wait until the page's poll is actually scheduled.
    await waitUntil(() => expect(vi.getTimerCount()).toBe(1));
    const before = p.state.alertRequests;

    p.state.alerts.set("i1", [alert("a1", "x1", "execution-failed", 0)]);
    p.state.executions.set("i1", [execution("x1", "failed")]);
    act(() => void vi.advanceTimersByTime(ALERT_POLL_MS));
    await waitUntil(() => within(region).getByText("Execution x1"));
    await waitUntil(() => screen.getByText("Run x1"));
    expect(host.of("execution-failed").map((e) => e.payload.executionId)).toEqual(["x1"]);
    expect(p.state.alertRequests).toBe(before + 1);

    // Hidden: no requests however long it stays hidden; shown again: one check at once.
    const visibility = vi.spyOn(document, "visibilityState", "get").mockReturnValue("hidden");
    document.dispatchEvent(new Event("visibilitychange"));
    act(() => void vi.advanceTimersByTime(ALERT_POLL_MS * 5));
    expect(p.state.alertRequests).toBe(before + 1);
    visibility.mockReturnValue("visible");
    document.dispatchEvent(new Event("visibilitychange"));
    await waitUntil(() => expect(p.state.alertRequests).toBe(before + 2));

    view.unmount();
    act(() => void vi.advanceTimersByTime(ALERT_POLL_MS * 3));
    expect(p.state.alertRequests).toBe(before + 2);
    expect(host.of("execution-failed")).toHaveLength(1);
  });
});
