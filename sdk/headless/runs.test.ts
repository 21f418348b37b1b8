/**
 * The headless client's test runs and replays (issue 15) against the REAL platform handlers, on
 * the shared client core (client/runs-api.ts): a test run with the flow's example by default,
 * a payload refused before it is sent, a replay that links both ways, a viewer refused (A9),
 * another customer's instance a 404 (A6), and a deactivated instance answering INSTANCE_DELETED.
 */
import { describe, expect, it } from "vitest";
import { clientAs, deployedStripe as deployedStripeOf, usePlatform } from "../testing/headless-platform.ts";

const platform = usePlatform();
const client = (customer: string, role?: string) => clientAs(platform, customer, role);
const deployedStripe = () => deployedStripeOf(platform, "runs");

describe("headless test runs and replays", () => {
  it("a test run sends the flow's example by default and resolves with the finished run, marked as a test", async () => {
    const { c, instance } = await deployedStripe();
    const flow = instance.flows.find((f) => f.id === "record-payment")!;
    expect(flow.example).toEqual({ type: "charge.succeeded", amount: 4200 });
    const run = await c.testRun(instance.id, flow.id);
    expect(run).toMatchObject({ status: "succeeded", test: true, payload: flow.example });
    expect(run.logs.map((l) => l.message)).toContain('Flow "Record a payment" started by a test run.');
    const own = await c.testRun(instance.id, flow.id, { type: "charge.refunded", amount: 100 });
    expect(own).toMatchObject({ status: "succeeded", payload: { type: "charge.refunded", amount: 100 } });
  });

  it("a payload that is not JSON or is over 32 KB is a payload field error, and nothing is sent", async () => {
    const { c, instance } = await deployedStripe();
    const before = (await c.listExecutions(instance.id)).length;
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(c.testRun(instance.id, "record-payment", cyclic)).rejects.toMatchObject({ code: "VALIDATION_FAILED", fields: { payload: "The payload is not JSON." } });
    await expect(c.testRun(instance.id, "record-payment", { note: "x".repeat(40_000) })).rejects.toMatchObject({ code: "VALIDATION_FAILED", fields: { payload: expect.stringMatching(/at most 32768/) } });
    expect(await c.listExecutions(instance.id)).toHaveLength(before);
  });

  it("a replay links to its original and the original lists it", async () => {
    const { c, instance } = await deployedStripe();
    const failed = await c.testRun(instance.id, "record-payment", { type: "charge.succeeded" });
    expect(failed.status).toBe("failed");
    const replay = await c.replay(instance.id, failed.id);
    expect(replay).toMatchObject({ replayOf: failed.id, payload: { type: "charge.succeeded" } });
    expect((await c.listReplays(instance.id, failed.id)).map((x) => x.id)).toEqual([replay.id]);
    expect((await c.getExecution(instance.id, failed.id)).replays).toEqual([replay.id]);
  });

  it("A9 a viewer cannot test or replay (FORBIDDEN); A6 another customer's instance is NOT_FOUND", async () => {
    const { c, customer, instance } = await deployedStripe();
    const run = await c.testRun(instance.id, "record-payment");
    const viewer = client(customer, "viewer");
    await expect(viewer.testRun(instance.id, "record-payment", {})).rejects.toMatchObject({ code: "FORBIDDEN", status: 403 });
    await expect(viewer.replay(instance.id, run.id)).rejects.toMatchObject({ code: "FORBIDDEN", status: 403 });
    const stranger = client(`${customer}-stranger`);
    await expect(stranger.testRun(instance.id, "record-payment", {})).rejects.toMatchObject({ code: "NOT_FOUND", status: 404 });
    await expect(stranger.replay(instance.id, run.id)).rejects.toMatchObject({ code: "NOT_FOUND", status: 404 });
  });

  it("a deactivated instance answers INSTANCE_DELETED to its customer, NOT_FOUND to anyone else; its runs stay readable", async () => {
    const { c, customer, instance } = await deployedStripe();
    const run = await c.testRun(instance.id, "record-payment");
    await c.deleteInstance(instance.id);
    await expect(c.getInstance(instance.id)).rejects.toMatchObject({ code: "INSTANCE_DELETED", status: 410 });
    await expect(c.replay(instance.id, run.id)).rejects.toMatchObject({ code: "INSTANCE_DELETED" });
    expect((await c.getExecution(instance.id, run.id)).status).toBe("succeeded");
    await expect(client(`${customer}-other`).getInstance(instance.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
