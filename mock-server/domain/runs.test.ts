/**
 * Test runs, replays, the organization's bulk replay and the history a deactivated instance
 * leaves, on the domain (no HTTP): the rules the frame, the headless client and the org console
 * rely on (issue 15).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPlatform, type Platform } from "./platform.ts";
import { MemoryBackend } from "./memory-backend.ts";
import { expectWritesAnnouncedAndDispose } from "../testing/announced-writes.ts";
import { createManualClock, type ManualClock } from "./clock.ts";
import { createTestOrganization, type TestOrganization } from "../fixtures/test-organization.ts";
import { catalogFixture } from "../fixtures/catalog.ts";
import { catalogUpdatesFixture } from "../fixtures/catalog-updates.ts";
import { jiraValues } from "../testing/jira-values.ts";
import { deployWith as deployInstance } from "../testing/deploy-with.ts";
import { requiredPayloadPaths } from "./flow-input.ts";
import { PlatformError } from "./errors.ts";
import type { Caller } from "./sessions.ts";
import type { OrganizationRecord } from "./store.ts";
import type { Instance } from "../../contract/api.ts";

const ORIGIN = "http://platform.test";
const DAY = 24 * 60 * 60 * 1000;

let clock: ManualClock;
let platform: Platform;
let org: TestOrganization;
let caller: Caller;
let viewer: Caller;
let other: Caller;
let backend: MemoryBackend;

const orgRecord = (): OrganizationRecord => platform.snapshot().organizations[org.id];
const tokenOf = (url: string) => new URL(url).pathname.split("/").pop()!;
const key = (() => {
  let n = 0;
  return () => ({ idempotencyKey: `key-${++n}`, fingerprint: `f-${n}` });
})();
const noKey = { fingerprint: "no key" };

/** The PlatformError `fn` throws (sync or async), or fails the test. */
async function refusal(fn: () => unknown): Promise<PlatformError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof PlatformError) return error;
    throw error;
  }
  throw new Error("expected a PlatformError");
}

const deployJira = async (as: Caller = caller): Promise<Instance> => (await deployInstance(platform, as, "jira", jiraValues(), ORIGIN)).body.instance;

/** Calls the instance's Jira webhook with `payload`; answers the finished execution's id. */
async function hook(instance: Instance, payload: unknown): Promise<string> {
  const url = instance.flows.find((f) => f.id === "create-issue")!.webhookUrl!;
  const result = await platform.webhooks.invoke(tokenOf(url), payload, { async: false });
  if (result.mode !== "sync") throw new Error("expected a synchronous answer");
  return result.response.executionId;
}

beforeEach(async () => {
  clock = createManualClock(Date.UTC(2026, 11, 6, 9, 0));
  backend = new MemoryBackend();
  platform = createPlatform({ clock, backend });
  org = await createTestOrganization({ platform });
  caller = await platform.access.authenticate(await org.signToken({}, {}, clock.now()));
  viewer = await platform.access.authenticate(await org.signToken({ sub: "viewer-1", role: "viewer" }, {}, clock.now()));
  other = await platform.access.authenticate(await org.signToken({ sub: "user-b", customer: "customer-b", customer_name: "Customer B" }, {}, clock.now()));
});
afterEach(() => expectWritesAnnouncedAndDispose(platform, backend));

describe("the example payload a test run suggests", () => {
  it("every webhook flow of the demo catalog (every version) declares an example holding what it requires", () => {
    for (const integration of [...catalogFixture, ...catalogUpdatesFixture]) {
      for (const flow of integration.flows.filter((f) => f.trigger.kind === "webhook")) {
        expect(flow.example, `${integration.id} ${flow.id}`).toBeDefined();
        for (const path of requiredPayloadPaths(flow.steps)) expect(JSON.stringify(flow.example), `${integration.id} ${flow.id} ${path}`).toContain(`"${path}"`);
      }
    }
  });

  it("a definition whose example lacks a required path is refused at load, naming the flow", () => {
    const jira = structuredClone(catalogFixture.find((d) => d.id === "jira")!);
    jira.flows.find((f) => f.id === "create-issue")!.example = { severity: "high" };
    expect(() => createPlatform({ clock, catalog: [jira] })).toThrow(/flows\.create-issue\.example.*"message"/);
  });

  it("the instance and the integration offer the example; the default example's test run succeeds", async () => {
    const instance = await deployJira();
    const flow = instance.flows.find((f) => f.id === "create-issue")!;
    expect(flow.example).toEqual({ message: "Checkout fails for EU cards", severity: "high" });
    expect(platform.marketplace.get(caller, "jira").flows.find((f) => f.id === "create-issue")!.example).toEqual(flow.example);
    const run = await platform.runs.test(caller, instance.id, flow.id, flow.example, noKey);
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({ status: "succeeded", test: true, trigger: "webhook", payload: flow.example });
    expect(run.body.logs[0].message).toBe('Flow "Create an issue" started by a test run.');
    expect(run.body.output).toMatchObject({ project: "OPS" });
  });
});

describe("test runs", () => {
  it("are recorded and marked as tests; a failing one raises no alert", async () => {
    const instance = await deployJira();
    const failed = await platform.runs.test(caller, instance.id, "create-issue", { severity: "high" }, noKey);
    expect(failed.body).toMatchObject({ status: "failed", test: true, error: 'The payload has no "message".' });
    const listed = platform.executions.list(caller, instance.id).executions.find((x) => x.id === failed.body.id)!;
    expect(listed.test).toBe(true);
    expect(platform.alerts.page(caller, { instance: instance.id }).alerts).toEqual([]);
  });

  it("a payload over 32 KB of JSON is a field error on payload, and nothing runs", async () => {
    const instance = await deployJira();
    const before = platform.executions.list(caller, instance.id).executions.length;
    const error = await refusal(() => platform.runs.test(caller, instance.id, "create-issue", { message: "x".repeat(40_000) }, noKey));
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.fields?.payload).toMatch(/at most 32768/);
    expect(platform.executions.list(caller, instance.id).executions).toHaveLength(before);
  });

  it("A9 a read-only user cannot test (403); a paused instance is INSTANCE_PAUSED; deploy flows are not tested", async () => {
    const instance = await deployJira();
    expect((await refusal(() => platform.runs.test(viewer, instance.id, "create-issue", {}, noKey))).code).toBe("FORBIDDEN");
    expect((await refusal(() => platform.runs.test(caller, instance.id, "register-webhook", {}, noKey))).code).toBe("BAD_REQUEST");
    expect((await refusal(() => platform.runs.test(caller, instance.id, "no-such-flow", {}, noKey))).code).toBe("NOT_FOUND");
    platform.instances.pause(caller, instance.id, ORIGIN);
    expect((await refusal(() => platform.runs.test(caller, instance.id, "create-issue", { message: "m" }, noKey))).code).toBe("INSTANCE_PAUSED");
  });
});

describe("replay", () => {
  it("runs an execution again with its payload; the replay names the original and the original lists its replays", async () => {
    const instance = await deployJira();
    const originalId = await hook(instance, { message: "Printer on fire" });
    clock.advance(1000);
    const first = (await platform.runs.replay(caller, instance.id, originalId, noKey)).body;
    clock.advance(1000);
    const second = (await platform.runs.replay(caller, instance.id, originalId, noKey)).body;
    expect(first).toMatchObject({ replayOf: originalId, status: "succeeded", payload: { message: "Printer on fire" }, trigger: "webhook" });
    expect(first.logs[0].message).toBe(`Flow "Create an issue" started by a replay of ${originalId}.`);
    expect(platform.executions.get(caller, instance.id, originalId).replays).toEqual([first.id, second.id]);
    expect(platform.runs.replays(caller, instance.id, originalId).map((x) => x.id)).toEqual([first.id, second.id]);
  });

  it("a failed run is replayed: the replay is recorded even when it fails again", async () => {
    const instance = await deployJira();
    const failedId = await hook(instance, { severity: "low" });
    expect(platform.executions.get(caller, instance.id, failedId).status).toBe("failed");
    const replay = (await platform.runs.replay(caller, instance.id, failedId, key())).body;
    expect(replay).toMatchObject({ status: "failed", replayOf: failedId });
  });

  it("a payload not kept in full (over 32 KB, or with secrets redacted) answers PAYLOAD_EVICTED; nothing runs", async () => {
    const instance = await deployJira();
    const big = await hook(instance, { message: "m", blob: "x".repeat(40_000) });
    const secret = await hook(instance, { message: "m", apiKey: "sk_live_123" });
    expect(platform.executions.get(caller, instance.id, secret).payloadRedacted).toBe(true);
    const count = platform.executions.list(caller, instance.id).executions.length;
    for (const id of [big, secret]) {
      const error = await refusal(() => platform.runs.replay(caller, instance.id, id, noKey));
      expect(error.code).toBe("PAYLOAD_EVICTED");
      expect(error.message).toMatch(/cannot be replayed/);
    }
    expect(platform.executions.list(caller, instance.id).executions).toHaveLength(count);
  });

  it("A9 a read-only user cannot replay (403); a paused instance is INSTANCE_PAUSED", async () => {
    const instance = await deployJira();
    const id = await hook(instance, { message: "m" });
    expect((await refusal(() => platform.runs.replay(viewer, instance.id, id, noKey))).code).toBe("FORBIDDEN");
    expect(platform.runs.replays(viewer, instance.id, id)).toEqual([]); // reading is fine
    platform.instances.pause(caller, instance.id, ORIGIN);
    expect((await refusal(() => platform.runs.replay(caller, instance.id, id, noKey))).code).toBe("INSTANCE_PAUSED");
  });

  it("A6 a test run or a replay never runs on another customer's instance: 404, and nothing runs", async () => {
    const instance = await deployJira();
    const id = await hook(instance, { message: "m" });
    const theirs = await deployJira(other);
    const theirRun = await hook(theirs, { message: "theirs" });
    const count = () => platform.executions.list(caller, instance.id).executions.length + platform.executions.list(other, theirs.id).executions.length;
    const before = count();
    expect((await refusal(() => platform.runs.test(other, instance.id, "create-issue", { message: "m" }, noKey))).code).toBe("NOT_FOUND");
    expect((await refusal(() => platform.runs.replay(other, instance.id, id, noKey))).code).toBe("NOT_FOUND");
    expect((await refusal(() => platform.runs.replays(other, instance.id, id))).code).toBe("NOT_FOUND");
    // Their run through my instance id: not mine either.
    expect((await refusal(() => platform.runs.replay(caller, instance.id, theirRun, noKey))).code).toBe("NOT_FOUND");
    expect((await refusal(() => platform.runs.replay(caller, theirs.id, theirRun, noKey))).code).toBe("NOT_FOUND");
    expect(count()).toBe(before);
  });

  it("with an Idempotency-Key a retry gets the same replay, not a second one", async () => {
    const instance = await deployJira();
    const id = await hook(instance, { message: "m" });
    const options = key();
    const first = await platform.runs.replay(caller, instance.id, id, options);
    const again = await platform.runs.replay(caller, instance.id, id, options);
    expect(again).toMatchObject({ replayed: true, body: { id: first.body.id } });
    expect(platform.executions.get(caller, instance.id, id).replays).toEqual([first.body.id]);
  });
});

describe("the organization's bulk replay", () => {
  it("a dry run lists what would run and skips paused and deactivated instances and evicted payloads with a reason; the run replays them once", async () => {
    const a = await deployJira();
    const failedA = await hook(a, { severity: "x" });
    const evicted = await hook(a, { apiKey: "sk_live_1" });
    const b = await deployJira(other);
    const failedB = await hook(b, { severity: "y" });
    const paused = await deployJira(await platform.access.authenticate(await org.signToken({ sub: "u-c", customer: "customer-c" }, {}, clock.now())));
    const pausedRun = await hook(paused, { severity: "z" });
    platform.instances.pause(await platform.access.authenticate(await org.signToken({ sub: "u-c", customer: "customer-c" }, {}, clock.now())), paused.id, ORIGIN);
    clock.advance(1000);

    const dry = (await platform.runs.bulkReplay(orgRecord(), { status: "failed", flow: "create-issue", dryRun: true }, noKey)).body;
    const outcome = Object.fromEntries(dry.items.map((i) => [i.execution.id, [i.outcome, i.reason ?? ""]]));
    expect(outcome[failedA]).toEqual(["would-replay", ""]);
    expect(outcome[failedB]).toEqual(["would-replay", ""]);
    expect(outcome[evicted][0]).toBe("skipped");
    expect(outcome[evicted][1]).toMatch(/Secrets were removed/);
    expect(outcome[pausedRun]).toEqual(["skipped", expect.stringMatching(/paused/)]);
    expect(dry.counts).toEqual({ replayed: 0, wouldReplay: 2, skipped: 2, failed: 0 });
    // Oldest first.
    expect(dry.items.map((i) => i.execution.startedAt)).toEqual([...dry.items.map((i) => i.execution.startedAt)].sort());

    expect((await refusal(() => platform.runs.bulkReplay(orgRecord(), { status: "failed" }, noKey))).message).toMatch(/Idempotency-Key/);
    const options = key();
    const run = (await platform.runs.bulkReplay(orgRecord(), { status: "failed", flow: "create-issue" }, options)).body;
    expect(run.counts).toEqual({ replayed: 0, wouldReplay: 0, skipped: 2, failed: 2 }); // they fail again: same payloads
    const replayOfA = run.items.find((i) => i.execution.id === failedA)!.replay!;
    expect(platform.executions.get(caller, a.id, replayOfA.id).replayOf).toBe(failedA);
    // A retry with the key answers the same; a new request skips what was replayed already.
    expect(await platform.runs.bulkReplay(orgRecord(), { status: "failed", flow: "create-issue" }, options)).toMatchObject({ replayed: true, body: run });
    const later = (await platform.runs.bulkReplay(orgRecord(), { status: "failed", flow: "create-issue", to: new Date(clock.now() - 500).toISOString(), dryRun: true }, noKey)).body;
    expect(later.items.find((i) => i.execution.id === failedA)).toMatchObject({ outcome: "skipped", reason: expect.stringMatching(/Already replayed/) });
  });

  it("filters by instance, customer and time; `limit` takes the newest and says more matched; unknown ids are 404", async () => {
    const a = await deployJira();
    const runs: string[] = [];
    for (let i = 0; i < 3; i++) {
      clock.advance(60_000);
      runs.push(await hook(a, { message: `m${i}` }));
    }
    const page = (await platform.runs.bulkReplay(orgRecord(), { instance: a.id, flow: "create-issue", limit: 2, dryRun: true }, noKey)).body;
    expect(page.truncated).toBe(true);
    expect(page.items.map((i) => i.execution.id)).toEqual([runs[1], runs[2]]);
    const ranged = (await platform.runs.bulkReplay(orgRecord(), { instance: a.id, flow: "create-issue", from: new Date(clock.now() - 90_000).toISOString(), dryRun: true }, noKey)).body;
    expect(ranged.items.map((i) => i.execution.id)).toEqual([runs[1], runs[2]]);
    expect((await refusal(() => platform.runs.bulkReplay(orgRecord(), { instance: "ins_nope", dryRun: true }, noKey))).code).toBe("NOT_FOUND");
    expect((await refusal(() => platform.runs.bulkReplay(orgRecord(), { customer: "cus_nope", dryRun: true }, noKey))).code).toBe("NOT_FOUND");
  });
});

describe("history that survives removal", () => {
  it("deactivating keeps the record (deleted, when, by whom), its executions and alerts; a failed removal run stays visible to the organization", async () => {
    const instance = await deployJira();
    clock.advance(1000);
    await hook(instance, { severity: "no message" }); // a failure: raises an alert
    expect(platform.alerts.page(caller, { instance: instance.id }).alerts).toHaveLength(1);
    // The Jira webhook was removed in Jira already: the removal flow fails, and the removal goes on.
    const hookId = `emporium-${instance.id}`;
    for (const [collection, records] of Object.entries(platform.apps.records("Jira", caller.customer.id))) {
      if (Object.hasOwn(records, hookId)) platform.apps.remove("Jira", caller.customer.id, collection, hookId);
    }
    clock.advance(60 * 60 * 1000);
    const removed = await platform.instances.delete(caller, instance.id);
    expect(removed.executions).toMatchObject([{ trigger: "removal", status: "failed" }]);

    const kept = platform.orgAdmin.get(orgRecord(), instance.id, ORIGIN);
    expect(kept).toMatchObject({ status: "deleted", deletedAt: new Date(clock.now()).toISOString(), deletedBy: { kind: "user", id: "user-1", name: expect.any(String) } });
    expect(kept.configValues).toEqual({});
    const history = platform.orgAdmin.executions(orgRecord(), instance.id).executions;
    expect(history.map((x) => `${x.trigger} ${x.status}`)).toEqual(["removal failed", "webhook failed", "deploy succeeded"]);
    // Its own customer: gone (410), history still readable; anyone else: never was (404).
    expect((await refusal(() => platform.instances.get(caller, instance.id, ORIGIN))).code).toBe("INSTANCE_DELETED");
    expect((await refusal(() => platform.instances.get(other, instance.id, ORIGIN))).code).toBe("NOT_FOUND");
    expect((await refusal(() => platform.executions.list(other, instance.id))).code).toBe("NOT_FOUND");
    expect(platform.executions.get(caller, instance.id, removed.executions[0].id).status).toBe("failed");
    expect(platform.instances.list(caller, ORIGIN).map((i) => i.id)).not.toContain(instance.id);
    expect(platform.logs.page(caller, {}).executions.find((x) => x.id === removed.executions[0].id)).toMatchObject({ instanceName: instance.name });
    // Its alerts are kept, resolved: nothing will run to fix them.
    expect(platform.alerts.page(caller, {}).alerts).toMatchObject([{ instanceId: instance.id, status: "resolved" }]);
    // Usage still counts the time it was enabled (a second before the failing run, then the hour).
    expect(platform.usage.period(caller, "current").instances).toEqual([expect.objectContaining({ instanceId: instance.id, instanceName: instance.name, exists: false, enabledSeconds: 3601 })]);
    // The organization cannot act on it any more.
    expect((await refusal(() => platform.orgAdmin.pause(orgRecord(), instance.id, ORIGIN))).code).toBe("INSTANCE_DELETED");
  });

  it("the organization's own deactivation names the organization; after the retention period the record and its history go", async () => {
    const instance = await deployJira();
    await platform.orgAdmin.delete(orgRecord(), instance.id);
    expect(platform.orgAdmin.get(orgRecord(), instance.id, ORIGIN).deletedBy).toEqual({ kind: "organization", id: org.id, name: orgRecord().name });
    clock.advance(29 * DAY);
    expect(platform.instances.sweepRemoved()).toBe(0);
    clock.advance(2 * DAY);
    expect(platform.instances.sweepRemoved()).toBe(1);
    expect((await refusal(() => platform.instances.get(caller, instance.id, ORIGIN))).code).toBe("NOT_FOUND");
    expect((await refusal(() => platform.orgAdmin.executions(orgRecord(), instance.id))).code).toBe("NOT_FOUND");
  });

  it("a removed instance's runs expire: its alert says so, and its retention mark goes with its record", async () => {
    const instance = await deployJira();
    clock.advance(1000);
    const failed = await hook(instance, { severity: "no message" }); // a failure: raises an alert
    await platform.instances.delete(caller, instance.id);
    clock.advance(31 * DAY);
    // The platform's sweep: first the executions' age, then the removed records.
    platform.executions.sweep();
    expect(platform.snapshot().executionExpiry[instance.id]).toBeDefined();
    expect(platform.alerts.page(caller, {}).alerts).toMatchObject([{ instanceId: instance.id, executionId: failed, status: "resolved", executionExpired: true }]);
    expect(platform.instances.sweepRemoved()).toBe(1);
    // Nothing of it is left to grow: no orphan mark per removed instance.
    expect(Object.keys(platform.snapshot().executionExpiry)).toEqual([]);
    expect(platform.alerts.page(caller, {}).alerts).toEqual([]);
  });

  it("state an earlier version wrote, on any backend: a removed instance's retention mark moves out of its record at load", async () => {
    const instance = await deployJira();
    clock.advance(1000);
    const run = await hook(instance, { message: "a run retention will remove" });
    await platform.instances.delete(caller, instance.id);
    clock.advance(31 * DAY);
    platform.executions.sweep();
    const { through } = platform.snapshot().executionExpiry[instance.id]!;
    await platform.idle();
    await platform.commit();
    platform.dispose();
    // What an earlier version wrote: the mark as the removed record's field, no record of its own.
    const removed = platform.snapshot().removedInstances[instance.id]!;
    await backend.write([
      { kind: "removedInstances", id: instance.id, record: { ...removed, executionsExpiredThrough: through } },
      { kind: "executionExpiry", id: instance.id, record: undefined },
    ]);
    platform = createPlatform({ clock, backend });
    expect(platform.snapshot().executionExpiry[instance.id]).toEqual({ id: instance.id, through });
    expect(platform.snapshot().removedInstances[instance.id]).not.toHaveProperty("executionsExpiredThrough");
    expect((await refusal(() => platform.executions.get(caller, instance.id, run))).code).toBe("EXECUTION_EXPIRED");
    // The moved mark and the record without it are written (afterEach: every change announced).
  });

  it("survives a restart", async () => {
    const instance = await deployJira();
    clock.advance(1000);
    await platform.instances.delete(caller, instance.id);
    await platform.commit();
    platform.dispose();
    platform = createPlatform({ clock, backend });
    expect(platform.orgAdmin.get(orgRecord(), instance.id, ORIGIN).status).toBe("deleted");
    expect(platform.orgAdmin.executions(orgRecord(), instance.id).executions.map((x) => x.trigger)).toEqual(["removal", "deploy"]);
    expect(backend.verify(platform.snapshot())).toEqual([]);
  });
});
