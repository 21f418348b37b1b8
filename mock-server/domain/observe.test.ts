/**
 * The customer's view of their integrations at work, on the domain with a manual clock: alert
 * monitors (occurrences in a window, quiet periods, no successful run for a period), the alert
 * life, live progress of a running run, usage with paused time, billing periods, the dashboard's
 * health, logs over many runs, and loading state written before monitors existed.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPlatform, type Platform } from "./platform.ts";
import { createManualClock, type Clock, type ManualClock } from "./clock.ts";
import { createTestOrganization, type TestOrganization } from "../fixtures/test-organization.ts";
import { jiraValues } from "../testing/jira-values.ts";
import { DOMAIN_TEST_START } from "../fixtures/customer-platform.ts";
import { deployWith as deployInstance } from "../testing/deploy-with.ts";
import type { Caller } from "./sessions.ts";
import type { Snapshot, StoredExecution } from "./store.ts";
import { catalogUpdatesFixture } from "../fixtures/catalog-updates.ts";

const ORIGIN = "http://platform.test";
const MINUTE = 60_000;

let clock: ManualClock;
let platform: Platform;
let org: TestOrganization;
let caller: Caller;

async function boot(options: { snapshot?: unknown; clock?: Clock } = {}) {
  platform = createPlatform({ clock: options.clock ?? clock, ...(options.snapshot ? { snapshot: options.snapshot } : {}) });
  if (!options.snapshot) org = await createTestOrganization({ platform });
  caller = await platform.access.authenticate(await org.signToken({}, {}, clock.now()));
}

const deployWith = async (integrationId: string, pages: Record<string, Record<string, unknown>>, who = caller) => (await deployInstance(platform, who, integrationId, pages, ORIGIN)).body;

const tokenOf = (instance: { flows: { webhookUrl?: string }[] }) => instance.flows.find((f) => f.webhookUrl)!.webhookUrl!.split("/").pop()!;
/**
 * The state as an earlier version wrote it (one JSON object, version 1: executions and usage
 * intervals inside), to restart from: how a test starts from old records or many executions.
 */
function legacyState(executions: StoredExecution[] = []) {
  const tables = JSON.parse(JSON.stringify(platform.snapshot())) as Snapshot;
  const runs: Record<string, StoredExecution> = {};
  for (const instanceId of Object.keys(tables.instances)) {
    for (const e of platform.executions.listOf(tables.instances[instanceId], { limit: 200 }).executions) runs[e.id] = { ...e, organizationId: org.id, customerId: caller.customer.id };
  }
  for (const e of executions) runs[e.id] = e;
  const { monitors: _m, ...rest } = tables;
  return { ...rest, version: 1, executions: runs, enabledIntervals: Object.values(tables.enabledIntervals).map(({ id: _id, ...interval }) => interval) };
}

const alertsOf = (instanceId: string) => platform.alerts.page(caller, { instance: instanceId }).alerts;

beforeEach(() => boot({ clock: (clock = createManualClock(DOMAIN_TEST_START)) }));
afterEach(() => platform.dispose());

describe("alert monitors", () => {
  it("raises an alert once `occurrences` matching runs fall within the window, not before", async () => {
    const { instance } = await deployWith("jira", jiraValues());
    const failure = platform.monitors.list(caller, instance.id).find((m) => m.kind === "failure")!;
    platform.monitors.update(caller, instance.id, failure.id, { kind: "failure", occurrences: 3, windowMinutes: 10, quietMinutes: 30 });
    const token = tokenOf(instance);
    const fail = () => platform.webhooks.invoke(token, { nothing: true }, { async: false });

    await fail();
    clock.advance(6 * MINUTE);
    await fail();
    clock.advance(6 * MINUTE); // the first one has left the 10-minute window
    await fail();
    expect(alertsOf(instance.id)).toEqual([]);
    clock.advance(MINUTE);
    await fail();
    expect(alertsOf(instance.id)).toEqual([expect.objectContaining({ kind: "execution-failed", occurrences: 3, status: "open", monitorId: failure.id })]);
  });

  it("P3 a flood is one alert per monitor; after it is resolved, a new one only once the quiet period has passed", async () => {
    const { instance } = await deployWith("jira", jiraValues());
    const token = tokenOf(instance);
    for (let i = 0; i < 420; i++) await platform.webhooks.invoke(token, { junk: i }, { async: false });
    const [alert] = alertsOf(instance.id);
    expect(alertsOf(instance.id)).toHaveLength(1);
    expect(alert.occurrences).toBe(420);

    platform.alerts.resolve(caller, alert.id);
    clock.advance(59 * MINUTE);
    await platform.webhooks.invoke(token, { junk: "still" }, { async: false });
    expect(alertsOf(instance.id).map((a) => [a.id, a.occurrences, a.status])).toEqual([[alert.id, 421, "resolved"]]);

    clock.advance(2 * MINUTE); // the 60-minute quiet period is over
    await platform.webhooks.invoke(token, { junk: "later" }, { async: false });
    const after = alertsOf(instance.id);
    expect(after).toHaveLength(2);
    expect(after[0]).toMatchObject({ status: "open", occurrences: 1 });
  });

  it("an unresolved alert keeps counting, even after its quiet period; an acknowledged one too", async () => {
    const { instance } = await deployWith("jira", jiraValues());
    const token = tokenOf(instance);
    await platform.webhooks.invoke(token, { junk: 1 }, { async: false });
    const [alert] = alertsOf(instance.id);
    platform.alerts.acknowledge(caller, alert.id);
    clock.advance(3 * 60 * MINUTE);
    await platform.webhooks.invoke(token, { junk: 2 }, { async: false });
    expect(alertsOf(instance.id)).toEqual([expect.objectContaining({ id: alert.id, status: "acknowledged", occurrences: 2, acknowledgedBy: "Test User" })]);
  });

  it("only runs of the monitor's flow count; a disabled monitor counts nothing; a viewer cannot change monitors", async () => {
    const { instance } = await deployWith("jira", jiraValues());
    for (const m of platform.monitors.list(caller, instance.id)) platform.monitors.delete(caller, instance.id, m.id);
    platform.monitors.create(caller, instance.id, { kind: "failure", flowId: "register-webhook" });
    const off = platform.monitors.create(caller, instance.id, { kind: "failure", enabled: false });
    await platform.webhooks.invoke(tokenOf(instance), { junk: 1 }, { async: false });
    expect(alertsOf(instance.id)).toEqual([]);

    const viewer = await platform.access.authenticate(await org.signToken({ sub: "viewer", role: "viewer" }, {}, clock.now()));
    expect(platform.monitors.list(viewer, instance.id)).toHaveLength(2);
    expect(() => platform.monitors.update(viewer, instance.id, off.id, { kind: "failure" })).toThrow(/cannot change alert monitors/);
    expect(() => platform.alerts.resolve(viewer, "alr_x")).toThrow(/No alert/);
  });

  it("no successful run for the period raises one alert, each further empty period counts into it; a paused instance is not watched", async () => {
    const { instance } = await deployWith("jira", jiraValues());
    const quiet = platform.monitors.create(caller, instance.id, { kind: "no-success", periodMinutes: 30, quietMinutes: 0 });
    clock.advance(29 * MINUTE);
    platform.monitors.sweep();
    expect(alertsOf(instance.id)).toEqual([]);
    clock.advance(MINUTE);
    platform.monitors.sweep();
    platform.monitors.sweep();
    expect(alertsOf(instance.id)).toEqual([expect.objectContaining({ kind: "no-success", monitorId: quiet.id, occurrences: 1 })]);
    clock.advance(30 * MINUTE);
    platform.monitors.sweep();
    expect(alertsOf(instance.id)[0].occurrences).toBe(2);

    // A success starts the period again: resolved, and nothing new within 30 minutes of it.
    platform.alerts.resolve(caller, alertsOf(instance.id)[0].id);
    await platform.webhooks.invoke(tokenOf(instance), { message: "ok" }, { async: false });
    clock.advance(20 * MINUTE);
    platform.monitors.sweep();
    expect(alertsOf(instance.id)).toHaveLength(1);

    platform.instances.pause(caller, instance.id, ORIGIN);
    clock.advance(5 * 60 * MINUTE);
    platform.monitors.sweep();
    expect(alertsOf(instance.id)).toHaveLength(1);
  });

  it("loads state written before monitors: the old switches become monitors, old alerts are open and counted once", async () => {
    const { instance } = await deployWith("jira", jiraValues());
    await platform.webhooks.invoke(tokenOf(instance), { junk: 1 }, { async: false });
    const old = legacyState() as unknown as Record<"instances" | "alerts", Record<string, Record<string, unknown>>>;
    for (const i of Object.values(old.instances)) {
      delete i.monitorsInitialized;
      i.alertMonitors = { failedExecution: true, slowerThanMs: 5_000 };
    }
    for (const a of Object.values(old.alerts)) {
      for (const key of ["status", "occurrences", "lastOccurredAt", "monitorId", "lastExecutionId"]) delete a[key];
    }
    platform.dispose();
    await boot({ snapshot: JSON.parse(JSON.stringify(old)) });
    expect(platform.monitors.list(caller, instance.id).map((m) => [m.kind, m.thresholdSeconds])).toEqual([
      ["failure", undefined],
      ["slow", 5],
    ]);
    expect(alertsOf(instance.id)).toEqual([expect.objectContaining({ status: "open", occurrences: 1 })]);
    // Deleting them sticks across a redeploy.
    for (const m of platform.monitors.list(caller, instance.id)) platform.monitors.delete(caller, instance.id, m.id);
    await platform.instances.deploy(caller, instance.id, { origin: ORIGIN });
    expect(platform.monitors.list(caller, instance.id)).toEqual([]);
  });
});

describe("live progress", () => {
  it("a running run's log lines and steps are readable while it runs, and each is a change the tail sees", async () => {
    // A clock whose sleeps (the mocked app's latency) wait until the test lets them go.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    platform.dispose();
    await boot({ clock: { now: () => clock.now(), sleep: () => gate } });
    const { instance } = await deployWith("jira", jiraValues());
    const start = await platform.logs.changes(caller, {});
    platform.apps.latency.set("Jira", 1_000);
    const run = await platform.webhooks.invoke(tokenOf(instance), { message: "slow one" }, { async: true });
    if (run.mode !== "async") throw new Error("expected an async run");
    await new Promise((resolve) => setTimeout(resolve, 0));

    const running = platform.executions.get(caller, instance.id, run.executionId);
    expect(running.status).toBe("running");
    expect(running.logs.map((l) => l.message)).toEqual(['Flow "Create an issue" started by webhook.', 'Step "event" (read-payload) succeeded in 0 ms.', 'Step "issue" (map) succeeded in 0 ms.']);
    expect(running.stepResults.create).toMatchObject({ status: "running" });
    const tail = await platform.logs.changes(caller, { cursor: start.cursor });
    expect(tail.executions).toEqual([expect.objectContaining({ id: run.executionId, status: "running", logCount: 3, lastLog: expect.objectContaining({ step: "issue" }) })]);
    expect(platform.logs.page(caller, { q: "slow one" }).executions.map((e) => e.id)).toEqual([]);

    // A long poll with nothing new waits, and answers with the next change (the app answered).
    let answered = false;
    const waiting = platform.logs.changes(caller, { cursor: tail.cursor }, 5_000).finally(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);
    release();
    expect((await waiting).executions.map((e) => e.id)).toEqual([run.executionId]);
    await platform.idle();
    const ended = await platform.logs.changes(caller, { cursor: tail.cursor });
    expect(ended.executions).toEqual([expect.objectContaining({ id: run.executionId, status: "succeeded" })]);
    expect(platform.executions.get(caller, instance.id, run.executionId).logs.length).toBeGreaterThan(3);
  });

  it("a cursor of another process, or one too far behind, answers reset", async () => {
    expect(await platform.logs.changes(caller, { cursor: "abc.1" })).toMatchObject({ reset: true, executions: [] });
    expect(await platform.logs.changes(caller, { cursor: "nonsense" })).toMatchObject({ reset: true });
  });
});

describe("usage", () => {
  it("shows paused time and does not bill it; current and previous billing periods are calendar months (UTC)", async () => {
    const { instance } = await deployWith("jira", jiraValues());
    clock.advance(10 * MINUTE);
    platform.instances.pause(caller, instance.id, ORIGIN);
    clock.advance(20 * MINUTE);
    platform.instances.resume(caller, instance.id, ORIGIN);
    clock.advance(5 * MINUTE);
    const current = platform.usage.period(caller, "current");
    expect(current).toMatchObject({ period: "current", from: "2026-11-01T00:00:00.000Z", to: new Date(clock.now()).toISOString() });
    expect(current.instances).toEqual([
      expect.objectContaining({ instanceId: instance.id, instanceName: "Jira", integrationName: "Jira", enabledSeconds: 15 * 60, pausedSeconds: 20 * 60, exists: true }),
    ]);
    expect(current.customer).toMatchObject({ enabledSeconds: 15 * 60, pausedSeconds: 20 * 60 });
    expect(platform.usage.period(caller, "previous")).toMatchObject({ from: "2026-10-01T00:00:00.000Z", to: "2026-11-01T00:00:00.000Z", instances: [] });

    // Deleted while paused: the paused time ends at the deletion.
    platform.instances.pause(caller, instance.id, ORIGIN);
    clock.advance(10 * MINUTE);
    await platform.instances.delete(caller, instance.id);
    clock.advance(60 * MINUTE);
    const later = platform.usage.period(caller, "current");
    expect(later.instances).toEqual([expect.objectContaining({ instanceId: instance.id, instanceName: "Jira", exists: false, enabledSeconds: 15 * 60, pausedSeconds: 30 * 60 })]);

    // Next month, this month is the previous period.
    clock.set(Date.UTC(2026, 11, 3));
    expect(platform.usage.period(caller, "previous").customer.enabledSeconds).toBe(15 * 60);
    expect(platform.usage.period(caller, "current").instances).toEqual([]);
  });
});

describe("dashboard", () => {
  it("each activated instance's health, most urgent first; runs and failures of the last day; recent failures", async () => {
    const healthy = (await deployWith("jira", jiraValues())).instance;
    const refused = (await deployWith("hubspot", { connect: { hubspotKey: { kind: "api-key", apiKey: "revoked-pat-1234" } }, deals: {} })).instance;
    const zendesk = (await deployWith("zendesk", { connect: { subdomain: "acme", zendeskKey: { kind: "api-key", apiKey: "zd-key-1234" } }, tickets: { priority: "high" } })).instance;
    platform.instances.create(caller, "stripe", ORIGIN); // a draft never deployed: not on the dashboard
    clock.advance(1000);
    await platform.webhooks.invoke(tokenOf(zendesk), { nothing: true }, { async: false });
    platform.instances.pause(caller, zendesk.id, ORIGIN);
    clock.advance(1000);
    await platform.webhooks.invoke(tokenOf(healthy), { message: "fine" }, { async: false });

    const board = platform.dashboard.get(caller);
    expect(board.instances.map((i) => [i.integrationId, i.health])).toEqual([
      ["hubspot", ["needs-reconnect", "failing"]],
      ["zendesk", ["failing", "paused"]],
      ["jira", ["active"]],
    ]);
    expect(board.instances[0].reconnect).toEqual(["hubspotKey"]);
    expect(board.instances.find((i) => i.id === healthy.id)).toMatchObject({ runs24h: 2, failures24h: 0, lastRun: { status: "succeeded", flowName: "Create an issue" } });
    expect(board.instances.find((i) => i.id === zendesk.id)).toMatchObject({ runs24h: 2, failures24h: 1, openAlerts: 1 });
    expect(board.recentFailures.map((f) => f.instanceId).sort()).toEqual([refused.id, zendesk.id].sort());
    expect(board.openAlerts).toBe(2);

    // Issue 15's versions: a newer Jira published, the running Jira instance can be updated.
    await platform.orgAdmin.publish(platform.snapshot().organizations[org.id], "jira", structuredClone(catalogUpdatesFixture.find((d) => d.id === "jira")!), { fingerprint: "publish jira" });
    expect(platform.dashboard.get(caller).instances.find((i) => i.id === healthy.id)?.health).toEqual(["update-available"]);

    // A day later the counts are of the last 24 hours only.
    clock.advance(25 * 60 * MINUTE);
    expect(platform.dashboard.get(caller).instances.find((i) => i.id === healthy.id)).toMatchObject({ runs24h: 0, lastRun: { status: "succeeded" } });
  });
});

describe("logs at volume", () => {
  it("10,000 runs: every page is exact, filters and search narrow them, the tail stays a cursor away", async () => {
    const { instance } = await deployWith("jira", jiraValues());
    const seeded: StoredExecution[] = [];
    const base = clock.now();
    for (let i = 0; i < 10_000; i++) {
      const at = new Date(base - i * 1000).toISOString();
      const run: StoredExecution = {
        id: `exe_seed${String(i).padStart(5, "0")}`,
        instanceId: instance.id,
        flowId: "create-issue",
        flowName: "Create an issue",
        trigger: "webhook",
        status: i % 10 === 0 ? "failed" : "succeeded",
        startedAt: at,
        endedAt: at,
        durationMs: 3,
        logs: [{ at, level: "info", message: `Seeded run ${i}` }],
        stepResults: {},
        organizationId: caller.organization.id,
        customerId: caller.customer.id,
      };
      seeded.push(run);
    }
    const state = legacyState(seeded);
    platform.dispose();
    await boot({ snapshot: state });

    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = platform.logs.page(caller, { limit: 200, ...(cursor ? { cursor } : {}) });
      for (const e of page.executions) seen.add(e.id);
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(seen.size).toBe(10_001); // and the deploy run
    expect(pages).toBe(51);
    expect(platform.logs.page(caller, { status: "failed", limit: 200 }).executions).toHaveLength(200);
    expect(platform.logs.page(caller, { q: "seeded run 4242" }).executions.map((e) => e.id)).toEqual(["exe_seed04242"]);
    const start = await platform.logs.changes(caller, {});
    await platform.webhooks.invoke(tokenOf(platform.instances.get(caller, instance.id, ORIGIN)), { message: "new" }, { async: false });
    expect((await platform.logs.changes(caller, { cursor: start.cursor })).executions).toHaveLength(1);
  });
});
