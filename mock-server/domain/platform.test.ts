import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPlatform, type Platform } from "./platform.ts";
import { MemoryBackend } from "./memory-backend.ts";
import { createManualClock, type ManualClock } from "./clock.ts";
import { createTestOrganization, type TestOrganization } from "../fixtures/test-organization.ts";
import { jiraValues } from "../testing/jira-values.ts";
import { DOMAIN_TEST_START } from "../fixtures/customer-platform.ts";
import { deployWith as deployInstance } from "../testing/deploy-with.ts";
import { slackGrant as slackGrantOn } from "../testing/slack-grant.ts";
import { CatalogError } from "./errors.ts";
import { catalogFixture } from "../fixtures/catalog.ts";
import type { Caller } from "./sessions.ts";
import type { IntegrationDefinition } from "../../contract/catalog.ts";

const ORIGIN = "http://platform.test";
const MINUTE = 60_000;

let clock: ManualClock;
let platform: Platform;
let org: TestOrganization;
let caller: Caller;
let backend: MemoryBackend;

/** A fresh platform on the manual clock, the test organization, and its default customer signed in. */
async function boot() {
  clock = createManualClock(DOMAIN_TEST_START);
  backend = new MemoryBackend();
  platform = createPlatform({ clock, backend });
  org = await createTestOrganization({ platform });
  caller = await platform.access.authenticate(await org.signToken({}, {}, clock.now()));
}

/** A restart: what was committed to the backend, in a new platform; nothing else survives. */
async function restart(advanceMs = 0) {
  await platform.commit();
  platform.dispose();
  clock.advance(advanceMs);
  platform = createPlatform({ clock, backend });
  caller = await platform.access.authenticate(await org.signToken({}, {}, clock.now()));
}

const deployWith = (integrationId: string, pages: Record<string, Record<string, unknown>>) => deployInstance(platform, caller, integrationId, pages, ORIGIN);

const slackGrant = () => slackGrantOn(platform, caller, ORIGIN);

beforeEach(boot);
afterEach(() => platform.dispose());

describe("flow runner", () => {
  it("runs read-payload, map and http steps and returns the last step's result as output", async () => {
    const { body } = await deployWith("jira", jiraValues());
    const token = new URL(body.instance.flows.find((f) => f.webhookUrl)!.webhookUrl!).pathname.split("/").pop()!;
    const result = await platform.webhooks.invoke(token, { message: "Checkout is down" }, { async: false });
    expect(result.mode).toBe("sync");
    if (result.mode !== "sync") return;
    expect(result.response).toMatchObject({ status: "succeeded", output: { project: "OPS", issueId: expect.stringMatching(/^rec_/) } });
    const issues = platform.apps.records("Jira", caller.customer.id)["/rest/api/3/issue"];
    expect(Object.values(issues)).toEqual([expect.objectContaining({ summary: "Checkout is down", project: "OPS", reporter: "Customer A" })]);
    const execution = platform.executions.get(caller, body.instance.id, result.response.executionId);
    expect(Object.keys(execution.stepResults)).toEqual(["event", "issue", "create", "result"]);
    expect(execution.logs.every((l) => ["debug", "info", "warn", "error"].includes(l.level))).toBe(true);
    expect(execution).toMatchObject({ trigger: "webhook", durationMs: 0, startedAt: expect.any(String), endedAt: expect.any(String) });
  });

  it("redacts secrets from step results, logs and errors", async () => {
    const { body } = await deployWith("jira", jiraValues("bad-password-1234"));
    expect(body.executions[0].status).toBe("failed");
    const text = JSON.stringify(platform.executions.list(caller, body.instance.id));
    expect(text).not.toContain("bad-password-1234");
    expect(text).toContain("[redacted]");
    expect(body.executions[0].error).toMatch(/Jira answered 401/);
  });

  it("takes a branch by equality or truthiness, and fail steps fail the execution with their message", async () => {
    const good = await deployWith("hubspot", { connect: { hubspotKey: { kind: "api-key", apiKey: "pat-1234" } }, deals: { pipeline: "enterprise" } });
    expect(good.body.executions[0]).toMatchObject({ status: "succeeded" });
    expect(good.body.executions[0].stepResults.archived).toMatchObject({ result: { taken: "else", value: "enterprise" } });
    expect(good.body.executions[0].logs).toContainEqual(expect.objectContaining({ level: "info", step: "ok", message: "Pipeline enterprise is ready." }));

    const grantId = await slackGrant();
    const slack = await deployWith("slack", {
      connect: { slackConnection: { kind: "oauth2", grantId } },
      notifications: { channel: "#ops", mentionChannel: true },
    });
    const token = new URL(slack.body.instance.flows.find((f) => f.webhookUrl)!.webhookUrl!).pathname.split("/").pop()!;
    await platform.webhooks.invoke(token, { message: "Deal won" }, { async: false });
    const posts = Object.values(platform.apps.records("Slack", caller.customer.id)["/chat.postMessage"]);
    expect(posts.map((p) => p.text)).toEqual(["Emporium is now connected to #ops.", "<!channel> Deal won"]);

    const bad = await platform.webhooks.invoke(token, { nothing: true }, { async: false });
    expect(bad.mode === "sync" && bad.response).toMatchObject({ status: "failed", error: 'The payload has no "message".' });
  });

  it("D8 a failing deploy trigger deploys anyway, records the failure and raises an alert", async () => {
    const { body } = await deployWith("hubspot", { connect: { hubspotKey: { kind: "api-key", apiKey: "pat-1234" } }, deals: { pipeline: "archived" } });
    expect(body.instance.status).toBe("deployed");
    expect(body.executions[0]).toMatchObject({ status: "failed", error: 'The HubSpot pipeline "archived" is archived and cannot receive deals.' });
    expect(platform.alerts.page(caller, { instance: body.instance.id }).alerts).toEqual([
      expect.objectContaining({ kind: "execution-failed", executionId: body.executions[0].id, status: "open", occurrences: 1 }),
    ]);
  });

  it("raises a slow-execution alert when an execution takes longer than the threshold", async () => {
    const { body } = await deployWith("jira", jiraValues());
    const slow = platform.monitors.list(caller, body.instance.id).find((m) => m.kind === "slow")!;
    platform.monitors.update(caller, body.instance.id, slow.id, { kind: "slow", thresholdSeconds: 2 });
    platform.apps.latency.set("Jira", 5_000);
    const token = new URL(body.instance.flows.find((f) => f.webhookUrl)!.webhookUrl!).pathname.split("/").pop()!;
    const result = await platform.webhooks.invoke(token, { message: "slow" }, { async: false });
    const executionId = result.mode === "sync" ? result.response.executionId : "";
    expect(platform.executions.get(caller, body.instance.id, executionId).durationMs).toBe(5_000);
    expect(platform.alerts.page(caller, { instance: body.instance.id }).alerts).toEqual([
      expect.objectContaining({ kind: "execution-slow", executionId, monitorId: slow.id, message: expect.stringMatching(/5000 ms, over the 2000 ms/) }),
    ]);
  });
});

describe("scheduler (manual clock)", () => {
  it("runs schedule flows when the clock passes their next run; pausing stops them, resuming restarts", async () => {
    const grantId = await slackGrant();
    const { body } = await deployWith("slack", {
      connect: { slackConnection: { kind: "oauth2", grantId } },
      notifications: { channel: "#ops", digestSchedule: { kind: "interval", every: 5, unit: "minutes" } },
    });
    const id = body.instance.id;
    expect(body.instance.flows.find((f) => f.id === "daily-digest")?.nextRunAt).toBe("2026-11-02T09:00:00.000Z");
    const digests = () => platform.executions.list(caller, id).executions.filter((e) => e.trigger === "schedule").length;

    clock.advance(MINUTE);
    expect(await platform.scheduler.tick()).toBe(0);
    clock.advance(MINUTE);
    expect(await platform.scheduler.tick()).toBe(1);
    clock.advance(15 * MINUTE);
    expect(await platform.scheduler.tick()).toBe(3);
    expect(digests()).toBe(4);

    platform.instances.pause(caller, id, ORIGIN);
    clock.advance(30 * MINUTE);
    expect(await platform.scheduler.tick()).toBe(0);
    expect(platform.instances.get(caller, id, ORIGIN).flows.find((f) => f.id === "daily-digest")?.nextRunAt).toBeUndefined();

    platform.instances.resume(caller, id, ORIGIN);
    clock.advance(5 * MINUTE);
    expect(await platform.scheduler.tick()).toBe(1);
    expect(digests()).toBe(5);
  });

  it("D9 restores schedules after a restart and collapses missed runs into one", async () => {
    const grantId = await slackGrant();
    const { body } = await deployWith("slack", {
      connect: { slackConnection: { kind: "oauth2", grantId } },
      notifications: { channel: "#ops", digestSchedule: { kind: "interval", every: 5, unit: "minutes" } },
    });
    await restart(60 * MINUTE);
    expect(platform.instances.get(caller, body.instance.id, ORIGIN).status).toBe("deployed");
    expect(await platform.scheduler.tick()).toBe(1);
    clock.advance(5 * MINUTE);
    expect(await platform.scheduler.tick()).toBe(1);
  });

  it("uses a fixed cron schedule in its time zone", async () => {
    const grantId = await createGoogleGrant();
    const { body } = await deployWith("google-sheets", {
      connect: { googleConnection: { kind: "oauth2", grantId } },
      sheet: { spreadsheetId: "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms" },
    });
    // 06:00 London on Monday 2 Nov 2026 is 06:00 UTC (GMT): already past at 08:58, so Tuesday.
    expect(body.instance.flows.find((f) => f.id === "weekday-snapshot")?.nextRunAt).toBe("2026-11-03T06:00:00.000Z");
  });

  async function createGoogleGrant() {
    const { instance } = platform.instances.create(caller, "google-sheets", ORIGIN);
    const { state } = platform.connections.startOAuth(caller, instance.id, "googleConnection", ORIGIN);
    const code = new URL(platform.connections.oauthDecide(state, true)!).searchParams.get("code");
    const outcome = platform.connections.oauthCallback({ state, code, error: null });
    if (!outcome.ok) throw new Error(outcome.message);
    return outcome.grantId;
  }
});

describe("usage (billing)", () => {
  it("counts enabled seconds per instance and per customer, excluding paused time", async () => {
    const start = clock.now();
    const a = (await deployWith("jira", jiraValues())).body.instance.id;
    clock.advance(10 * MINUTE);
    platform.instances.pause(caller, a, ORIGIN);
    clock.advance(20 * MINUTE);
    platform.instances.resume(caller, a, ORIGIN);
    const b = (await deployWith("hubspot", { connect: { hubspotKey: { kind: "api-key", apiKey: "pat-1234" } }, deals: {} })).body.instance.id;
    clock.advance(5 * MINUTE);
    await platform.instances.delete(caller, b);
    clock.advance(5 * MINUTE);

    const report = platform.usage.report(caller, start, clock.now());
    const seconds = Object.fromEntries(report.instances.map((i) => [i.instanceId, i.enabledSeconds]));
    expect(seconds).toEqual({ [a]: 20 * 60, [b]: 5 * 60 });
    expect(report.customer.enabledSeconds).toBe(25 * 60);
    expect(report.instances.find((i) => i.instanceId === b)?.exists).toBe(false);
    // A window inside the pause counts nothing.
    expect(platform.usage.report(caller, start + 12 * MINUTE, start + 28 * MINUTE).customer.enabledSeconds).toBe(0);
    // Another customer sees only their own usage.
    const other = await platform.access.authenticate(await org.signToken({ customer: "customer-b" }, {}, clock.now()));
    expect(platform.usage.report(other, start, clock.now())).toMatchObject({ customer: { enabledSeconds: 0 }, instances: [] });
  });
});

describe("restart persistence", () => {
  it("D9 keeps deployed instances, webhook URLs, executions and config across a restart", async () => {
    const { body } = await deployWith("jira", jiraValues());
    const url = body.instance.flows.find((f) => f.webhookUrl)!.webhookUrl!;
    const token = url.split("/").pop()!;
    await platform.webhooks.invoke(token, { message: "before restart" }, { async: false });
    const before = platform.executions.list(caller, body.instance.id);
    await restart();
    const after = platform.instances.get(caller, body.instance.id, ORIGIN);
    expect(after.status).toBe("deployed");
    expect(after.configValues.projectKey).toBe("OPS");
    expect(after.flows.find((f) => f.webhookUrl)?.webhookUrl).toBe(url);
    expect(platform.executions.list(caller, body.instance.id)).toEqual(before);
    const run = await platform.webhooks.invoke(token, { message: "after restart" }, { async: false });
    expect(run.mode === "sync" && run.response.status).toBe("succeeded");
  });

  it("refuses a snapshot that is not one, naming where", () => {
    expect(() => createPlatform({ clock, snapshot: { version: 1, organizations: [] } })).toThrow(/not a valid snapshot at organizations/);
  });

  it("refuses a stored record that is not valid, naming its kind, id and field", async () => {
    await backend.write([{ kind: "instances", id: "ins_broken", record: { id: "ins_broken", status: "flying" } }]);
    expect(() => createPlatform({ clock, backend })).toThrow(/stored instances record "ins_broken" is not valid at organizationId/);
  });
});

describe("catalog validation at load", () => {
  const withFlowChange = (change: (i: IntegrationDefinition) => void) => {
    const copy = structuredClone(catalogFixture);
    change(copy.find((i) => i.id === "jira")!);
    return () => createPlatform({ clock, catalog: copy });
  };

  it("accepts the fixture catalog: ≥ 6 integrations, ≥ 3 categories, every trigger kind", () => {
    expect(platform.catalog.integrations.length).toBeGreaterThanOrEqual(6);
    expect(new Set(platform.catalog.integrations.map((i) => i.category)).size).toBeGreaterThanOrEqual(3);
    const triggers = new Set(platform.catalog.integrations.flatMap((i) => i.flows.map((f) => f.trigger.kind)));
    expect([...triggers].sort()).toEqual(["deploy", "removal", "schedule", "webhook"]);
    const types = new Set(platform.catalog.integrations.flatMap((i) => i.configPages.flatMap((p) => p.fields.map((f) => f.type))));
    expect(types.size).toBe(11);
  });

  it("rejects a step that names an unknown connection", () => {
    const load = withFlowChange((i) => {
      (i.flows[0].steps[2] as { connection: string }).connection = "nope";
    });
    expect(load).toThrow(CatalogError);
    expect(load).toThrow('Integration "jira", flows.create-issue.steps.create.connection: no config variable "nope"');
  });

  it("rejects a cron that cannot run and a template reading an unknown config key", () => {
    expect(
      withFlowChange((i) => {
        i.flows.push({ id: "never", name: "Never", trigger: { kind: "schedule", schedule: { kind: "cron", expression: "0 0 31 2 *", timeZone: "UTC" } }, steps: [{ kind: "log", name: "x", level: "info", message: "x" }] });
      }),
    ).toThrow(/Integration "jira", flows.never.trigger.schedule: This schedule never runs/);
    expect(
      withFlowChange((i) => {
        i.flows[0].steps.push({ kind: "log", name: "oops", level: "info", message: "{{config.missing}}" });
      }),
    ).toThrow(/flows.create-issue.steps.oops.message: template reads config "missing"/);
    expect(
      withFlowChange((i) => {
        (i.configPages[1].fields[2] as { default?: string[] }).default = [""];
      }),
    ).toThrow(/configPages.issues.labels.default: Entry 1 is empty/);
  });

  it("refuses a rule that refers to an unknown field, naming the integration and the field", () => {
    const load = withFlowChange((i) => {
      i.configPages[1].fields[2].visibleWhen = { any: [{ field: "projectKey", equals: "OPS" }, { field: "priority", isSet: true }] };
    });
    expect(load).toThrow(CatalogError);
    expect(load).toThrow('Integration "jira", configPages.issues.labels.visibleWhen: refers to the unknown field "priority"');
    expect(
      withFlowChange((i) => {
        i.configPages[0].visibleWhen = { field: "issueType", equals: "Bug" };
      }),
    ).toThrow('Integration "jira", configPages.connect.visibleWhen: refers to the field "issueType", which comes after it');
  });

  it("refuses a data source that reads what it does not depend on, or whose connection is not before it", () => {
    const source = (i: IntegrationDefinition) => (i.configPages[1].fields[1] as { dataSource: { path: string; dependsOn?: string[]; connection: string } }).dataSource;
    expect(withFlowChange((i) => void (source(i).dependsOn = []))).toThrow(
      'Integration "jira", configPages.issues.issueType.dataSource.path: template reads "config.projectKey"; a path may read only config.<key> of a field in dependsOn',
    );
    expect(withFlowChange((i) => void (source(i).connection = "site"))).toThrow(/issueType.dataSource.connection: "site" must be a connection field on an earlier page/);
    expect(withFlowChange((i) => void ((i.configPages[1].fields[1] as { dataSource: { label: string } }).dataSource.label = "{{payload.name}}"))).toThrow(
      /issueType.dataSource.label: template "\{\{payload.name\}\}" must start with one of record/,
    );
  });

  it("refuses an image no asset backs, and an asset that is not an image data URL", () => {
    expect(withFlowChange((i) => void (i.configPages[1].content = [{ kind: "image", asset: "setup.svg", alt: "Setup" }]))).toThrow(
      'Integration "jira", configPages.issues.content.0.asset: no asset "setup.svg" in the integration\'s assets',
    );
    expect(withFlowChange((i) => void (i.assets = { "setup.png": "https://example.com/x.png" }))).toThrow(/assets.setup.png: must be a data:image\/png URL \(base64\)/);
  });
});
