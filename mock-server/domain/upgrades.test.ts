/**
 * Several instances of one integration, integration versions and instance upgrades, on the
 * domain (no HTTP): the rules the API, the frame and the org console rely on.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPlatform, type Platform } from "./platform.ts";
import { MemoryBackend } from "./memory-backend.ts";
import { expectWritesAnnouncedAndDispose } from "../testing/announced-writes.ts";
import { createManualClock, type ManualClock } from "./clock.ts";
import { createTestOrganization, type TestOrganization } from "../fixtures/test-organization.ts";
import { catalogUpdatesFixture } from "../fixtures/catalog-updates.ts";
import { catalogFixture } from "../fixtures/catalog.ts";
import { PlatformError } from "./errors.ts";
import type { Caller } from "./sessions.ts";
import type { OrganizationRecord } from "./store.ts";
import type { IntegrationDefinition } from "../../contract/catalog.ts";

const ORIGIN = "http://platform.test";

let clock: ManualClock;
let platform: Platform;
let org: TestOrganization;
let caller: Caller;
let viewer: Caller;
let backend: MemoryBackend;

const orgRecord = (): OrganizationRecord => platform.snapshot().organizations[org.id];
const update = (id: string): IntegrationDefinition => structuredClone(catalogUpdatesFixture.find((d) => d.id === id)!);
const publish = (id: string) => platform.orgAdmin.publish(orgRecord(), id, update(id), { fingerprint: `publish ${id}` });
const tokenOf = (url: string) => new URL(url).pathname.split("/").pop()!;

async function signIn() {
  caller = await platform.access.authenticate(await org.signToken({}, {}, clock.now()));
  viewer = await platform.access.authenticate(await org.signToken({ sub: "viewer-1", role: "viewer" }, {}, clock.now()));
}

async function boot() {
  backend = new MemoryBackend();
  platform = createPlatform({ clock, backend });
  org = await createTestOrganization({ platform });
  await signIn();
}

/** A restart: what was committed to the backend, in a new platform. */
async function restart() {
  await platform.commit();
  platform.dispose();
  platform = createPlatform({ clock, backend });
  await signIn();
}

async function slackGrant(instanceId: string): Promise<string> {
  const { state } = platform.connections.startOAuth(caller, instanceId, "slackConnection", ORIGIN);
  const redirect = new URL(platform.connections.oauthDecide(state, true)!);
  const outcome = platform.connections.oauthCallback({ state, code: redirect.searchParams.get("code"), error: null });
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.grantId;
}

/** A Slack instance of version 1, named, on `channel`, deployed. */
async function deploySlack(name: string, channel: string) {
  const { instance } = platform.instances.create(caller, "slack", ORIGIN);
  platform.instances.rename(caller, instance.id, name, ORIGIN);
  const grantId = await slackGrant(instance.id);
  await platform.instances.saveConfigPage(caller, instance.id, "connect", { slackConnection: { kind: "oauth2", grantId } }, ORIGIN);
  await platform.instances.saveConfigPage(caller, instance.id, "notifications", { channel, events: ["deal-won", "invoice-paid"], mentionChannel: true }, ORIGIN);
  return (await platform.instances.deploy(caller, instance.id, { origin: ORIGIN })).body.instance;
}

async function deployJira(issueType = "Bug") {
  const { instance } = platform.instances.create(caller, "jira", ORIGIN);
  await platform.instances.saveConfigPage(caller, instance.id, "connect", { site: "acme.atlassian.net", jiraConnection: { kind: "basic", username: "ada@acme.example", password: "token-9876" } }, ORIGIN);
  await platform.instances.saveConfigPage(caller, instance.id, "issues", { projectKey: "OPS", issueType }, ORIGIN);
  return (await platform.instances.deploy(caller, instance.id, { origin: ORIGIN })).body.instance;
}

const posts = () => Object.values(platform.apps.records("Slack", caller.customer.id)["/chat.postMessage"] ?? {}).map((p) => `${p.channel} ${p.text}`);

beforeEach(async () => {
  clock = createManualClock(Date.UTC(2026, 10, 2, 8, 58));
  await boot();
});
afterEach(() => expectWritesAnnouncedAndDispose(platform, backend));

describe("several instances of one integration", () => {
  it("two Slack instances, each named, both listed and reachable; the card counts them and names none", async () => {
    const ops = await deploySlack("Ops workspace", "#ops");
    const sales = await deploySlack("Sales workspace", "#sales");
    expect(ops.id).not.toBe(sales.id);
    const mine = platform.instances.list(caller, ORIGIN, "slack");
    expect(mine.map((i) => i.name).sort()).toEqual(["Ops workspace", "Sales workspace"]);
    for (const i of [ops, sales]) expect(platform.instances.get(caller, i.id, ORIGIN).status).toBe("deployed");
    const card = platform.marketplace.list(caller).integrations.find((i) => i.id === "slack")!;
    expect(card.allowMultipleInstances).toBe(true);
    expect(card.activation).toEqual({ state: "activated", instanceCount: 2, activeCount: 2, updateAvailable: false });
    platform.instances.pause(caller, ops.id, ORIGIN);
    expect(platform.marketplace.list(caller).integrations.find((i) => i.id === "slack")!.activation).toMatchObject({ instanceCount: 2, activeCount: 1 });
  });

  it("a new instance gets a free default name; a name is trimmed, and empty, long or taken ones are field errors", async () => {
    const first = platform.instances.create(caller, "slack", ORIGIN).instance;
    expect(first.name).toBe("Slack");
    await deploySlack("Slack", "#ops").catch(() => undefined);
    const second = platform.instances.create(caller, "slack", ORIGIN);
    expect(second).toMatchObject({ created: true, instance: { name: "Slack 2" } });
    expect(platform.instances.rename(caller, second.instance.id, "  EU workspace ", ORIGIN).name).toBe("EU workspace");
    for (const [name, message] of [
      ["   ", /Enter a name/],
      ["x".repeat(201), /at most 200/],
      ["slack", /already have a Slack instance named "slack"/],
    ] as const) {
      const error = (() => {
        try {
          platform.instances.rename(caller, second.instance.id, name, ORIGIN);
        } catch (e) {
          return e as PlatformError;
        }
      })();
      expect(error).toMatchObject({ code: "VALIDATION_FAILED", fields: { name: expect.stringMatching(message) } });
    }
    expect(platform.instances.get(caller, second.instance.id, ORIGIN).name).toBe("EU workspace");
  });

  it("an integration that allows one instance returns the one the customer has, deployed or not; the org cannot add a second", async () => {
    const created = platform.instances.create(caller, "hubspot", ORIGIN);
    await platform.instances.saveConfigPage(caller, created.instance.id, "connect", { hubspotKey: { kind: "api-key", apiKey: "pat-1234" } }, ORIGIN);
    await platform.instances.saveConfigPage(caller, created.instance.id, "deals", {}, ORIGIN);
    await platform.instances.deploy(caller, created.instance.id, { origin: ORIGIN });
    const again = platform.instances.create(caller, "hubspot", ORIGIN);
    expect(again).toMatchObject({ created: false, instance: { id: created.instance.id, status: "deployed" } });
    const card = platform.marketplace.list(caller).integrations.find((i) => i.id === "hubspot")!;
    expect(card).toMatchObject({ allowMultipleInstances: false, activation: { state: "activated", instanceId: created.instance.id, instanceCount: 1 } });
    await expect(
      platform.orgAdmin.deploy(orgRecord(), caller.customer.id, { integrationId: "hubspot", values: { hubspotKey: { kind: "api-key", apiKey: "pat-1" } } }, { origin: ORIGIN, fingerprint: "x" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("A8 a viewer cannot rename", async () => {
    const { instance } = platform.instances.create(caller, "slack", ORIGIN);
    expect(() => platform.instances.rename(viewer, instance.id, "Mine", ORIGIN)).toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
  });
});

describe("integration versions", () => {
  it("the organization publishes the next version; another organization still sees version 1", async () => {
    const published = await publish("slack");
    expect(published).toMatchObject({ status: 201, body: { id: "slack", version: 2 } });
    expect(platform.marketplace.get(caller, "slack")).toMatchObject({ version: 2 });
    expect(platform.marketplace.get(caller, "slack", 1)).toMatchObject({ version: 1 });
    expect(platform.orgAdmin.versions(orgRecord(), "slack").versions.map((v) => [v.version, v.publishedAt !== undefined])).toEqual([
      [1, false],
      [2, true],
    ]);
    const other = await createTestOrganization({ platform });
    const otherCaller = await platform.access.authenticate(await other.signToken({}, {}, clock.now()));
    expect(platform.marketplace.get(otherCaller, "slack").version).toBe(1);
  });

  it("refuses a version that is not the next, a rename from an unknown key, a definition the platform cannot run, an unknown integration", async () => {
    const org = orgRecord();
    const again = (definition: unknown, id = "slack") => platform.orgAdmin.publish(org, id, definition, { fingerprint: String(Math.random()) });
    await expect(again({ ...update("slack"), version: 3 })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/publish version 2/) });
    await expect(again({ ...update("slack"), migration: { renamed: [{ from: "nope", to: "alertChannel" }] } })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      fields: { "migration.renamed.nope": expect.stringMatching(/no config variable "nope"/) },
    });
    const broken = update("slack");
    broken.flows[0].steps.push({ kind: "log", name: "oops", level: "info", message: "{{config.channel}}" });
    await expect(again(broken)).rejects.toMatchObject({ code: "VALIDATION_FAILED", message: expect.stringMatching(/reads config "channel"/) });
    await expect(again({ ...update("slack"), id: "jira" }, "nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await publish("slack");
    await expect(again(update("slack"))).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/published already/) });
  });

  it("an instance keeps running the version it was deployed with; its webhook runs version 1's flow after version 2 is published", async () => {
    const ops = await deploySlack("Ops", "#ops");
    await publish("slack");
    const shown = platform.instances.get(caller, ops.id, ORIGIN);
    expect(shown).toMatchObject({ integrationVersion: 1, availableUpdate: { version: 2, needsInput: true } });
    expect(platform.marketplace.list(caller).integrations.find((i) => i.id === "slack")!.activation.updateAvailable).toBe(true);
    await platform.webhooks.invoke(tokenOf(shown.flows.find((f) => f.webhookUrl)!.webhookUrl!), { message: "v1 still" }, { async: false });
    expect(posts().at(-1)).toBe("#ops <!channel> v1 still");
  });

  it("an unfinished setup of an older version moves to the latest when the customer continues it", async () => {
    const { instance } = platform.instances.create(caller, "jira", ORIGIN);
    await platform.instances.saveConfigPage(caller, instance.id, "issues", { projectKey: "WEB", issueType: "Bug" }, ORIGIN);
    await publish("jira");
    const again = platform.instances.create(caller, "jira", ORIGIN);
    expect(again).toMatchObject({ created: false, instance: { id: instance.id, integrationVersion: 2 } });
    expect(again.instance.configValues).toMatchObject({ projectKey: "WEB", workType: "Bug" });
    expect(again.instance.configValues).not.toHaveProperty("issueType");
  });

  it("versions published to a state file survive a restart", async () => {
    await publish("jira");
    await restart();
    expect(platform.marketplace.get(caller, "jira").version).toBe(2);
  });
});

describe("upgrading an instance", () => {
  it("keeps what applies, migrates the rename, asks for the new required field; deploy switches flows, and only then", async () => {
    const ops = await deploySlack("Ops", "#ops");
    await publish("slack");
    const started = platform.instances.startUpgrade(caller, ops.id, undefined, ORIGIN);
    expect(started.started).toBe(true);
    const plan = started.instance.upgrade!.plan;
    expect(plan).toMatchObject({ fromVersion: 1, toVersion: 2, renamed: [{ from: "channel", to: "alertChannel" }], removed: ["mentionChannel"], added: ["digestChannel"], needsInput: true, pages: ["notifications"] });
    expect(plan.asks).toEqual([{ key: "digestChannel", page: "notifications", reason: "new", problem: "This field is required." }]);
    expect(started.instance.configValues).toMatchObject({ alertChannel: "#ops", events: ["deal-won", "invoice-paid"], slackConnection: { kind: "oauth2", status: "active" } });
    expect(started.instance.completedPages).toEqual(["connect"]);
    // Still version 1 until deployed: the webhook posts the old way.
    const hook = tokenOf(ops.flows.find((f) => f.webhookUrl)!.webhookUrl!);
    await platform.webhooks.invoke(hook, { message: "during" }, { async: false });
    expect(posts().at(-1)).toBe("#ops <!channel> during");
    await expect(platform.instances.deploy(caller, ops.id, { origin: ORIGIN })).rejects.toMatchObject({ code: "INSTANCE_NOT_CONFIGURED", fields: { digestChannel: expect.any(String) } });
    expect(platform.instances.get(caller, ops.id, ORIGIN)).toMatchObject({ integrationVersion: 1, status: "deployed" });

    await platform.instances.saveConfigPage(caller, ops.id, "notifications", { alertChannel: "#ops", digestChannel: "#data", events: ["deal-won"] }, ORIGIN, 2);
    const deployed = await platform.instances.deploy(caller, ops.id, { origin: ORIGIN, integrationVersion: 2 });
    expect(deployed.body.instance).toMatchObject({ integrationVersion: 2, status: "deployed" });
    expect(deployed.body.instance).not.toHaveProperty("upgrade");
    expect(deployed.body.instance).not.toHaveProperty("availableUpdate");
    expect(posts().at(-1)).toBe("#ops Emporium 2 is now connected: alerts here, the digest in #data.");
    await platform.webhooks.invoke(hook, { message: "after" }, { async: false });
    expect(posts().at(-1)).toBe("#ops :rotating_light: after");
  });

  it("cancel drops the upgrade and leaves version 1 running, untouched", async () => {
    const ops = await deploySlack("Ops", "#ops");
    await publish("slack");
    const before = structuredClone(platform.snapshot().instances[ops.id]);
    platform.instances.startUpgrade(caller, ops.id, undefined, ORIGIN);
    await platform.instances.saveConfigPage(caller, ops.id, "notifications", { alertChannel: "#random", digestChannel: "#data" }, ORIGIN, 2);
    const canceled = platform.instances.cancelUpgrade(caller, ops.id, ORIGIN);
    expect(canceled).not.toHaveProperty("upgrade");
    expect(canceled).toMatchObject({ integrationVersion: 1, availableUpdate: { version: 2 }, configValues: { channel: "#ops", mentionChannel: true } });
    const after = platform.snapshot().instances[ops.id];
    expect({ ...after, updatedAt: 0 }).toEqual({ ...before, updatedAt: 0 });
    await platform.webhooks.invoke(tokenOf(ops.flows.find((f) => f.webhookUrl)!.webhookUrl!), { message: "still v1" }, { async: false });
    expect(posts().at(-1)).toBe("#ops <!channel> still v1");
  });

  it("a migrated value the new field refuses is a field error to fix, never a broken instance", async () => {
    const story = await deployJira("Story");
    await publish("jira");
    expect(platform.instances.get(caller, story.id, ORIGIN).availableUpdate).toEqual({ version: 2, needsInput: true });
    const { instance } = platform.instances.startUpgrade(caller, story.id, undefined, ORIGIN);
    expect(instance.upgrade!.plan.asks).toEqual([
      { key: "workType", page: "issues", reason: "invalid", problem: '"Story" is not one of the options.' },
      { key: "priority", page: "issues", reason: "new" },
    ]);
    await expect(platform.instances.deploy(caller, story.id, { origin: ORIGIN })).rejects.toMatchObject({
      code: "INSTANCE_NOT_CONFIGURED",
      page: "issues",
      fields: { workType: '"Story" is not one of the options.' },
    });
    expect(platform.instances.get(caller, story.id, ORIGIN)).toMatchObject({ status: "deployed", integrationVersion: 1 });
    await platform.instances.saveConfigPage(caller, story.id, "issues", { projectKey: "OPS", workType: "Feature", priority: "High" }, ORIGIN, 2);
    const done = await platform.instances.deploy(caller, story.id, { origin: ORIGIN });
    expect(done.body.instance).toMatchObject({ integrationVersion: 2, configValues: { workType: "Feature", priority: "High" } });
  });

  it("two windows share one upgrade; a window left on the old version gets VERSION_CONFLICT, nothing saved", async () => {
    const ops = await deploySlack("Ops", "#ops");
    await publish("slack");
    expect(platform.instances.startUpgrade(caller, ops.id, undefined, ORIGIN).started).toBe(true);
    expect(platform.instances.startUpgrade(caller, ops.id, undefined, ORIGIN).started).toBe(false);
    // A reconfigure wizard opened on version 1 before the upgrade started:
    await expect(platform.instances.saveConfigPage(caller, ops.id, "notifications", { channel: "#x" }, ORIGIN, 1)).rejects.toMatchObject({ code: "VERSION_CONFLICT" });
    await expect(platform.instances.deploy(caller, ops.id, { origin: ORIGIN, integrationVersion: 1 })).rejects.toMatchObject({ code: "VERSION_CONFLICT" });
    // One window deploys the upgrade; the other, still on it, then cancels: nothing to cancel, version 2 stays.
    await platform.instances.saveConfigPage(caller, ops.id, "notifications", { alertChannel: "#ops", digestChannel: "#data" }, ORIGIN, 2);
    await platform.instances.deploy(caller, ops.id, { origin: ORIGIN, integrationVersion: 2 });
    expect(platform.instances.cancelUpgrade(caller, ops.id, ORIGIN)).toMatchObject({ integrationVersion: 2 });
    expect(platform.instances.get(caller, ops.id, ORIGIN).configValues).toMatchObject({ digestChannel: "#data" });
  });

  it("an upgrade cannot start, or be canceled, while a deploy of the same instance is in flight", async () => {
    const jira = await deployJira();
    await publish("jira");
    platform.apps.latency.set("Jira", 5_000);
    platform.instances.startUpgrade(caller, jira.id, undefined, ORIGIN);
    const deploying = platform.instances.deploy(caller, jira.id, { origin: ORIGIN });
    await Promise.resolve();
    expect(platform.snapshot().instances[jira.id].status).toBe("deploying");
    expect(() => platform.instances.cancelUpgrade(caller, jira.id, ORIGIN)).toThrow(expect.objectContaining({ code: "CONFLICT" }));
    clock.advance(5_000);
    await deploying;
    expect(platform.instances.get(caller, jira.id, ORIGIN).integrationVersion).toBe(2);

    // Now version 3 exists and a plain re-deploy is in flight: starting the upgrade waits for it.
    const v3 = { ...update("jira"), version: 3, migration: { renamed: [] } };
    await platform.orgAdmin.publish(orgRecord(), "jira", v3, { fingerprint: "v3" });
    const redeploy = platform.instances.deploy(caller, jira.id, { origin: ORIGIN });
    await Promise.resolve();
    expect(() => platform.instances.startUpgrade(caller, jira.id, undefined, ORIGIN)).toThrow(expect.objectContaining({ code: "CONFLICT", message: expect.stringMatching(/being deployed/) }));
    clock.advance(5_000);
    await redeploy;
  });

  it("A9 a viewer cannot start or cancel an upgrade", async () => {
    const jira = await deployJira();
    await publish("jira");
    expect(() => platform.instances.startUpgrade(viewer, jira.id, undefined, ORIGIN)).toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
    platform.instances.startUpgrade(caller, jira.id, undefined, ORIGIN);
    expect(() => platform.instances.cancelUpgrade(viewer, jira.id, ORIGIN)).toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
    expect(platform.instances.get(viewer, jira.id, ORIGIN).upgrade).toBeDefined();
  });

  it("a failed upgrade deploy goes back to the old version and values; the upgrade stays to retry", async () => {
    const jira = await deployJira();
    await publish("jira");
    platform.instances.startUpgrade(caller, jira.id, undefined, ORIGIN);
    // A value the new version refuses, put behind the API's back, fails the deploy's own check.
    const upgrade = platform.snapshot().drafts[jira.id].upgrade!;
    upgrade.values.workType = "Epic";
    await expect(platform.instances.deploy(caller, jira.id, { origin: ORIGIN })).rejects.toMatchObject({ code: "INSTANCE_NOT_CONFIGURED" });
    const record = platform.snapshot().instances[jira.id];
    expect(record).toMatchObject({ status: "deployed", integrationVersion: 1, config: expect.objectContaining({ issueType: "Bug" }) });
    expect(platform.snapshot().drafts[jira.id].upgrade).toBeDefined();
  });
});

describe("the organization's view and bulk upgrade", () => {
  it("filters instances by version and by update; a dry run lists, a run upgrades only what needs no input, idempotently", async () => {
    const bug = await deployJira("Bug");
    const story = await deployJira("Story");
    const paused = await deployJira("Task");
    platform.instances.pause(caller, paused.id, ORIGIN);
    await publish("jira");
    const o = orgRecord();
    const ids = (q: Parameters<Platform["orgAdmin"]["search"]>[1]) => platform.orgAdmin.search(o, q, ORIGIN).instances.map((i) => i.id).sort();
    expect(ids({ integration: "jira", version: 1 })).toEqual([bug.id, story.id, paused.id].sort());
    expect(ids({ integration: "jira", update: "needs-input" })).toEqual([story.id]);
    expect(ids({ integration: "jira", version: 2 })).toEqual([]);

    const dry = await platform.orgAdmin.bulkUpgrade(o, "jira", { dryRun: true }, { origin: ORIGIN, fingerprint: "dry" });
    const outcomes = (items: typeof dry.body.items) => Object.fromEntries(items.map((i) => [i.instance.id, i.outcome]));
    expect(outcomes(dry.body.items)).toEqual({ [bug.id]: "would-upgrade", [story.id]: "needs-input", [paused.id]: "skipped" });
    expect(dry.body.counts).toEqual({ upgraded: 0, wouldUpgrade: 1, needsInput: 1, skipped: 1, failed: 0 });
    expect(dry.body.items.find((i) => i.instance.id === story.id)!.reason).toMatch(/workType/);
    expect(platform.snapshot().instances[bug.id].integrationVersion ?? 1).toBe(1);

    await expect(platform.orgAdmin.bulkUpgrade(o, "jira", {}, { origin: ORIGIN, fingerprint: "run" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const run = await platform.orgAdmin.bulkUpgrade(o, "jira", {}, { origin: ORIGIN, fingerprint: "run", idempotencyKey: "bulk-1" });
    expect(outcomes(run.body.items)).toEqual({ [bug.id]: "upgraded", [story.id]: "needs-input", [paused.id]: "skipped" });
    expect(run.body.items.find((i) => i.instance.id === bug.id)!.executions).toEqual([expect.objectContaining({ flowId: "register-webhook", status: "succeeded" })]);
    expect(platform.instances.get(caller, bug.id, ORIGIN)).toMatchObject({ integrationVersion: 2, configValues: { workType: "Bug", priority: "Medium" } });
    expect(ids({ integration: "jira", version: 2 })).toEqual([bug.id]);
    const replay = await platform.orgAdmin.bulkUpgrade(o, "jira", {}, { origin: ORIGIN, fingerprint: "run", idempotencyKey: "bulk-1" });
    expect(replay).toMatchObject({ replayed: true, body: run.body });
    const second = await platform.orgAdmin.bulkUpgrade(o, "jira", {}, { origin: ORIGIN, fingerprint: "run", idempotencyKey: "bulk-2" });
    expect(second.body.counts).toMatchObject({ upgraded: 0, skipped: 2, needsInput: 1 });
  });

  it("skips an instance whose customer started an upgrade, and one being deployed", async () => {
    const mine = await deployJira("Bug");
    const busy = await deployJira("Task");
    await publish("jira");
    platform.instances.startUpgrade(caller, mine.id, undefined, ORIGIN);
    platform.apps.latency.set("Jira", 1_000);
    const deploying = platform.instances.deploy(caller, busy.id, { origin: ORIGIN });
    await Promise.resolve();
    const result = await platform.orgAdmin.bulkUpgrade(orgRecord(), "jira", {}, { origin: ORIGIN, fingerprint: "b", idempotencyKey: "b" });
    const byId = Object.fromEntries(result.body.items.map((i) => [i.instance.id, [i.outcome, i.reason]]));
    expect(byId).toEqual({
      [mine.id]: ["skipped", expect.stringMatching(/customer started an upgrade/)],
      [busy.id]: ["skipped", expect.stringMatching(/deploy of this instance is in progress/)],
    });
    clock.advance(1_000);
    await deploying;
  });
});

describe("catalog versions at load", () => {
  it("accepts a catalog shipping versions 1 and 2 of an integration, and refuses a bad chain", () => {
    const withV2 = [...structuredClone(catalogFixture), update("jira")];
    const p = createPlatform({ clock, catalog: withV2 });
    expect(p.catalog.get("jira")!.version).toBe(2);
    expect(p.catalog.versions("jira").map((d) => d.version ?? 1)).toEqual([1, 2]);
    p.dispose();
    expect(() => createPlatform({ clock, catalog: [...structuredClone(catalogFixture), { ...update("jira"), version: 3 }] })).toThrow(/must be 2/);
    expect(() => createPlatform({ clock, catalog: [...structuredClone(catalogFixture), update("jira"), update("jira")] })).toThrow(/defined twice/);
  });
});
