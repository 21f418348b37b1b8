/**
 * The headless client's activity functions (issue 16) against the REAL platform handlers: the
 * dashboard, the logs with filters, pages and the live tail, usage, monitors (a viewer is
 * refused), alerts acknowledged and resolved — all loaded from their own chunk on first use.
 */
import { describe, expect, it } from "vitest";
import { clientAs, deployedStripe as deployedStripeOf, usePlatform } from "../testing/headless-platform.ts";
import type { ExecutionSummary } from "./index.ts";

const platform = usePlatform();
const client = (customer: string, role?: string) => clientAs(platform, customer, role);

/** A deployed Stripe instance of a fresh customer, and a poster to its webhook. */
async function deployedStripe() {
  const { c, customer, instance } = await deployedStripeOf(platform, "activity");
  const webhook = instance.flows.find((f) => f.webhookUrl)!.webhookUrl!;
  const post = async (body: unknown) => (await (await fetch(webhook, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })).json()) as { executionId: string };
  return { c, customer, instance, post };
}

describe("headless activity", () => {
  it("dashboard, logs with filters and pages, one run in full, usage", async () => {
    const { c, instance, post } = await deployedStripe();
    await post({ type: "charge.succeeded", amount: 4200 });
    const failed = await post({ type: "charge.succeeded", note: "no amount" });

    const board = await c.getDashboard();
    expect(board.instances.map((i) => [i.id, i.health])).toEqual([[instance.id, ["failing"]]]);

    const first = await c.listLogs({ limit: 1 });
    expect(first.executions).toHaveLength(1);
    const second = await c.listLogs({ limit: 1, cursor: first.nextCursor! });
    expect(second.executions[0].id).not.toBe(first.executions[0].id);
    const failures = await c.listLogs({ status: "failed", instance: instance.id });
    expect(failures.executions.map((e) => e.id)).toEqual([failed.executionId]);

    const run = await c.getExecution(instance.id, failed.executionId);
    expect(run).toMatchObject({ status: "failed", payload: { type: "charge.succeeded", note: "no amount" } });
    expect((await c.getUsage()).period).toBe("current");
    expect((await c.getUsage("previous")).period).toBe("previous");
  });

  it("the live tail hears a new run after it holds its place", async () => {
    const { c, post } = await deployedStripe();
    const heard: ExecutionSummary[] = [];
    const tail = await c.tailLogs({}, { onChanges: (runs) => heard.push(...runs), onReset: () => {} });
    try {
      const { executionId } = await post({ type: "charge.succeeded", amount: 1 });
      await expect.poll(() => heard.map((e) => e.id)).toContain(executionId);
    } finally {
      tail.stop();
    }
  });

  it("A9 monitors: an admin creates, edits and deletes; bad settings are VALIDATION_FAILED per field; a viewer is FORBIDDEN; alerts are acknowledged and resolved", async () => {
    const { c, customer, instance, post } = await deployedStripe();
    const viewer = client(customer, "viewer");
    const monitor = await c.createMonitor(instance.id, { kind: "slow", thresholdSeconds: 5 });
    expect(await c.updateMonitor(instance.id, monitor.id, { kind: "slow", thresholdSeconds: 9 })).toMatchObject({ thresholdSeconds: 9 });
    await expect(c.createMonitor(instance.id, { kind: "slow" })).rejects.toMatchObject({ code: "VALIDATION_FAILED", fields: { thresholdSeconds: expect.any(String) } });
    expect((await viewer.listMonitors(instance.id)).map((m) => m.id)).toContain(monitor.id);
    await expect(viewer.deleteMonitor(instance.id, monitor.id)).rejects.toMatchObject({ code: "FORBIDDEN", status: 403 });
    expect((await c.deleteMonitor(instance.id, monitor.id)).map((m) => m.id)).not.toContain(monitor.id);

    await post({ type: "charge.succeeded", note: "no amount" });
    const [alert] = (await c.listAlerts({ status: "unresolved" })).alerts;
    await expect(viewer.acknowledgeAlert(alert.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await c.acknowledgeAlert(alert.id)).toMatchObject({ status: "acknowledged" });
    expect(await c.resolveAlert(alert.id)).toMatchObject({ status: "resolved" });
    expect((await c.listAlerts({ status: "unresolved" })).alerts).toEqual([]);
  });
});
