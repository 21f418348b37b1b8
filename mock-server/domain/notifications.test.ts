/**
 * Outgoing notifications on the domain with a manual clock and a fake sender (no network): what
 * is queued for which event and endpoint, the Standard Webhooks signature (checked here with
 * node:crypto, independently of the platform's WebCrypto signer), the retry schedule, redirects
 * and timeouts, disabling after sustained failure, rotation, redelivery, and a restart in the
 * middle of the retries.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHmac } from "node:crypto";
import { createPlatform, type Platform } from "./platform.ts";
import { createManualClock, type ManualClock } from "./clock.ts";
import { MemoryBackend } from "./memory-backend.ts";
import { createTestOrganization, type TestOrganization } from "../fixtures/test-organization.ts";
import { jiraValues } from "../testing/jira-values.ts";
import { deployWith as deployInstance } from "../testing/deploy-with.ts";
import { catalogUpdatesFixture } from "../fixtures/catalog-updates.ts";
import { failure } from "../testing/platform-failure.ts";
import { endpointUrlProblem, isNonPublicAddress } from "./network-address.ts";
import { DISABLE_AFTER_MS, MAX_ATTEMPTS, RETRY_BASE_MS, retryDelayMs, type OutgoingRequest, type OutgoingResult } from "./notifications.ts";
import type { Caller } from "./sessions.ts";
import { recordKinds, type OrganizationRecord } from "./store.ts";
import type { NotificationEvent } from "../../contract/org-notifications.ts";

const ORIGIN = "http://platform.test";
const HOUR = 3600_000;
const DAY = 24 * HOUR;

let clock: ManualClock;
let backend: MemoryBackend;
let platform: Platform;
let org: TestOrganization;
let record: OrganizationRecord;
let caller: Caller;
/** Every request the fake sender got, and what it answers next (default 200). */
let sent: OutgoingRequest[];
let answer: (request: OutgoingRequest) => OutgoingResult | Promise<OutgoingResult>;

const send = async (request: OutgoingRequest) => {
  sent.push(request);
  return answer(request);
};

function boot() {
  platform = createPlatform({ clock, backend, notifications: { send, random: () => 0.5 } });
}

beforeEach(async () => {
  clock = createManualClock(Date.UTC(2026, 10, 2, 9, 0));
  backend = new MemoryBackend();
  sent = [];
  answer = () => ({ status: 200, body: "ok" });
  boot();
  org = await createTestOrganization({ platform });
  record = platform.snapshot().organizations[org.id];
  caller = await platform.access.authenticate(await org.signToken({}, {}, clock.now()));
});
afterEach(() => platform.dispose());

const deployJira = async (who = caller) => (await deployInstance(platform, who, "jira", jiraValues("jira-secret-4242"), ORIGIN)).body.instance;

const endpoint = (eventTypes: NotificationEvent["type"][] = ["instance.deployed", "instance.paused", "instance.resumed", "instance.deleted"], url = "https://hooks.example.com/emporium") =>
  platform.notifications.create(record, { url, eventTypes });

const deliveriesOf = (endpointId: string) => platform.notifications.deliveries(record, endpointId, { limit: 100 }).deliveries;

/** The Standard Webhooks check, written from the spec with node:crypto. */
function verifies(secret: string, request: OutgoingRequest): boolean {
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const expected = createHmac("sha256", key).update(`${request.headers["webhook-id"]}.${request.headers["webhook-timestamp"]}.${request.body}`).digest("base64");
  return request.headers["webhook-signature"].split(" ").some((part) => part === `v1,${expected}`);
}

describe("queuing", () => {
  it("queues one delivery per subscribed, enabled endpoint for each instance event, ids and names only", async () => {
    const all = endpoint();
    const pausesOnly = endpoint(["instance.paused"]);
    const off = platform.notifications.create(record, { url: "https://off.example.com/hook", eventTypes: ["instance.deployed"], enabled: false });
    const instance = await deployJira();
    platform.instances.pause(caller, instance.id, ORIGIN);
    platform.instances.resume(caller, instance.id, ORIGIN);
    await platform.instances.delete(caller, instance.id);

    expect(deliveriesOf(all.endpoint.id).map((d) => d.eventType)).toEqual(["instance.deleted", "instance.resumed", "instance.paused", "instance.deployed"]);
    expect(deliveriesOf(pausesOnly.endpoint.id).map((d) => d.eventType)).toEqual(["instance.paused"]);
    expect(deliveriesOf(off.endpoint.id)).toEqual([]);
    const deployed = JSON.parse(deliveriesOf(all.endpoint.id)[3].payload) as NotificationEvent;
    expect(deployed).toEqual({
      type: "instance.deployed",
      timestamp: new Date(clock.now()).toISOString(),
      data: {
        organizationId: org.id,
        customer: { id: caller.customer.id, externalId: "customer-a", name: "Customer A" },
        instance: { id: instance.id, name: instance.name, integrationId: "jira", integrationVersion: 1 },
      },
    });
    // The same event reaches two endpoints under one message id.
    const paused = deliveriesOf(all.endpoint.id)[2];
    expect(deliveriesOf(pausesOnly.endpoint.id)[0].messageId).toBe(paused.messageId);
    expect(JSON.stringify(platform.snapshot().notificationDeliveries)).not.toContain("jira-secret-4242");
  });

  it("tells a failed run, the alert it raised and its resolution", async () => {
    const hook = endpoint(["execution.failed", "alert.raised", "alert.resolved"]);
    platform.rehearsal.deployTriggersFail = true;
    await deployJira();
    const types = deliveriesOf(hook.endpoint.id).map((d) => d.eventType).reverse();
    expect(types).toEqual(["execution.failed", "alert.raised"]);
    const failed = JSON.parse(deliveriesOf(hook.endpoint.id)[1].payload) as NotificationEvent;
    expect(failed.data.execution).toMatchObject({ trigger: "deploy", error: expect.stringContaining("Rehearsal") });
    const raised = JSON.parse(deliveriesOf(hook.endpoint.id)[0].payload) as NotificationEvent;
    platform.alerts.resolve(caller, raised.data.alert!.id);
    const resolved = JSON.parse(deliveriesOf(hook.endpoint.id)[0].payload) as NotificationEvent;
    expect(resolved).toMatchObject({ type: "alert.resolved", data: { alert: { id: raised.data.alert!.id, status: "resolved" } } });
  });

  it("tells a connection the app stopped accepting as connection.reconnect_needed, naming the field", async () => {
    const hook = endpoint(["connection.reconnect_needed"]);
    const instance = await deployJira();
    platform.scenario.set({ scenario: "connections-revoked" });
    const [told] = deliveriesOf(hook.endpoint.id);
    expect(JSON.parse(told.payload)).toMatchObject({
      type: "connection.reconnect_needed",
      data: { instance: { id: instance.id }, customer: { externalId: "customer-a" }, connection: { key: "jiraConnection", reason: expect.stringMatching(/reconnect/) } },
    });
    expect(told.payload).not.toContain("jira-secret-4242");
  });

  it("tells a connection a run finds refused once per connection, not per run; a reconnect makes the next refusal news again", async () => {
    const hook = endpoint(["connection.reconnect_needed", "execution.failed"]);
    const instance = await deployJira();
    const token = instance.flows.find((f) => f.webhookUrl)!.webhookUrl!.split("/").pop()!;
    const reconnects = () => deliveriesOf(hook.endpoint.id).filter((d) => d.eventType === "connection.reconnect_needed");
    // The app stops accepting the password with no rehearsal hook telling anyone: only the runs find out.
    platform.connections.revokeAll("Jira");
    for (let i = 0; i < 3; i++) await platform.webhooks.invoke(token, { message: `run ${i}` }, { async: false });
    expect(deliveriesOf(hook.endpoint.id).filter((d) => d.eventType === "execution.failed")).toHaveLength(3);
    expect(reconnects()).toHaveLength(1);
    expect(JSON.parse(reconnects()[0].payload)).toMatchObject({
      type: "connection.reconnect_needed",
      data: { instance: { id: instance.id }, connection: { key: "jiraConnection", reason: expect.stringMatching(/Jira no longer accepts this password/) } },
    });
    // The dashboard says so too, and the rehearsal's own revoke does not tell it a second time.
    expect(platform.dashboard.get(caller).instances.find((i) => i.id === instance.id)?.health).toContain("needs-reconnect");
    platform.scenario.set({ scenario: "connections-revoked" });
    expect(reconnects()).toHaveLength(1);
    // A restart keeps what was told.
    await platform.commit();
    platform.dispose();
    boot();
    await platform.webhooks.invoke(token, { message: "after the restart" }, { async: false });
    expect(reconnects()).toHaveLength(1);

    // The customer reconnects (deploys again with the current password): a later refusal is news.
    clock.advance(60_000);
    for (const [page, values] of Object.entries(jiraValues("jira-secret-new"))) await platform.instances.saveConfigPage(caller, instance.id, page, values, ORIGIN);
    await platform.instances.deploy(caller, instance.id, { origin: ORIGIN });
    await platform.webhooks.invoke(token, { message: "works again" }, { async: false });
    expect(reconnects()).toHaveLength(1);
    clock.advance(60_000);
    platform.connections.revokeAll("Jira");
    await platform.webhooks.invoke(token, { message: "refused again" }, { async: false });
    await platform.webhooks.invoke(token, { message: "and again" }, { async: false });
    expect(reconnects()).toHaveLength(2);
  });

  it("tells an upgrade as instance.upgraded with both versions", async () => {
    const hook = endpoint(["instance.upgraded", "instance.deployed"]);
    const instance = await deployJira();
    expect(deliveriesOf(hook.endpoint.id).map((d) => d.eventType)).toEqual(["instance.deployed"]);
    await platform.orgAdmin.publish(record, "jira", structuredClone(catalogUpdatesFixture.find((d) => d.id === "jira")!), { fingerprint: "publish jira v2" });
    platform.instances.startUpgrade(caller, instance.id, undefined, ORIGIN);
    await platform.instances.deploy(caller, instance.id, { origin: ORIGIN });
    const upgraded = JSON.parse(deliveriesOf(hook.endpoint.id)[0].payload) as NotificationEvent;
    expect(upgraded).toMatchObject({ type: "instance.upgraded", data: { fromVersion: 1, toVersion: 2, instance: { integrationVersion: 2 } } });
  });
});

describe("signing", () => {
  it("N1 signature verifies with the Standard Webhooks algorithm; a changed body or another secret does not", async () => {
    const { endpoint: hook, secret } = endpoint();
    await deployJira();
    await platform.notifications.runDue();
    expect(sent).toHaveLength(1);
    const [request] = sent;
    expect(request.headers["webhook-id"]).toMatch(/^msg_/);
    expect(request.headers["webhook-timestamp"]).toBe(String(Math.floor(clock.now() / 1000)));
    expect(request.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(verifies(secret, request)).toBe(true);
    expect(verifies(secret, { ...request, body: request.body.replace("Customer A", "Customer B") })).toBe(false);
    expect(verifies(secret, { ...request, headers: { ...request.headers, "webhook-timestamp": String(Number(request.headers["webhook-timestamp"]) - 600) } })).toBe(false);
    const other = platform.notifications.create(record, { url: "https://other.example.com/", eventTypes: ["instance.paused"] }).secret;
    expect(verifies(other, request)).toBe(false);
    expect(deliveriesOf(hook.id)[0]).toMatchObject({ status: "succeeded", attempts: [{ responseStatus: 200, responseBody: "ok" }] });
    expect(platform.notifications.get(record, hook.id)).toMatchObject({ consecutiveFailures: 0, lastAttempt: { ok: true, responseStatus: 200 } });
  });

  it("N1 during a secret rotation both secrets verify, until the rollover ends", async () => {
    const { endpoint: hook, secret: first } = endpoint();
    const rotated = platform.notifications.rotate(record, hook.id, 2);
    expect(rotated.secrets).toHaveLength(2);
    const second = rotated.secrets[0].secret;
    expect(rotated.secrets[1]).toEqual({ secret: first, createdAt: expect.any(String), expiresAt: new Date(clock.now() + 2 * HOUR).toISOString() });
    expect(platform.notifications.get(record, hook.id).rolloverEndsAt).toBe(rotated.secrets[1].expiresAt);
    const instance = await deployJira();
    await platform.notifications.runDue();
    expect(sent[0].headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(verifies(first, sent[0]) && verifies(second, sent[0])).toBe(true);

    clock.advance(2 * HOUR);
    platform.instances.pause(caller, instance.id, ORIGIN);
    await platform.notifications.runDue();
    expect(sent[1].headers["webhook-signature"].split(" ")).toHaveLength(1);
    expect(verifies(second, sent[1])).toBe(true);
    expect(verifies(first, sent[1])).toBe(false);
    expect(platform.notifications.secrets(record, hook.id).secrets.map((s) => s.secret)).toEqual([second]);
    // A rotation with no rollover stops the old secret at once.
    const third = platform.notifications.rotate(record, hook.id, 0).secrets;
    expect(third).toHaveLength(1);
    expect(third[0].secret).not.toBe(second);
  });
});

describe("retries", () => {
  it("retries with exponential backoff and jitter, then gives up after the last attempt", async () => {
    expect([1, 2, 3].map((n) => retryDelayMs(n, () => 0.5))).toEqual([5_000, 20_000, 80_000]);
    expect(retryDelayMs(1, () => 0)).toBe(4_000);
    expect(retryDelayMs(1, () => 0.999999)).toBe(6_000);
    expect(retryDelayMs(20, () => 0.5)).toBe(10 * HOUR);

    const { endpoint: hook } = endpoint();
    answer = () => ({ status: 500, body: "<html>boom</html>" });
    await deployJira();
    const gaps: number[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await platform.notifications.runDue();
      const [delivery] = deliveriesOf(hook.id);
      expect(delivery.attempts).toHaveLength(attempt);
      if (delivery.status === "failed") break;
      const wait = Date.parse(delivery.nextAttemptAt!) - clock.now();
      gaps.push(wait);
      // Not yet: nothing is sent before the delay.
      clock.advance(wait - 1);
      await platform.notifications.runDue();
      expect(deliveriesOf(hook.id)[0].attempts).toHaveLength(attempt);
      clock.advance(1);
    }
    expect(gaps.slice(0, 4)).toEqual([RETRY_BASE_MS, 4 * RETRY_BASE_MS, 16 * RETRY_BASE_MS, 64 * RETRY_BASE_MS]);
    const [delivery] = deliveriesOf(hook.id);
    expect(delivery.status).toBe("failed");
    expect(delivery.attempts).toHaveLength(MAX_ATTEMPTS);
    expect(delivery.attempts[0]).toMatchObject({ responseStatus: 500, error: "The endpoint answered 500.", responseBody: "<html>boom</html>" });
    expect(sent.every((r) => r.headers["webhook-id"] === delivery.messageId)).toBe(true);
    expect(platform.notifications.get(record, hook.id)).toMatchObject({ consecutiveFailures: MAX_ATTEMPTS, pendingDeliveries: 0, enabled: true });
  });

  it("honours Retry-After, records redirects as not followed and timeouts as failures", async () => {
    const { endpoint: hook } = endpoint();
    answer = () => ({ status: 429, body: "", retryAfterSeconds: 120 });
    await deployJira();
    await platform.notifications.runDue();
    expect(Date.parse(deliveriesOf(hook.id)[0].nextAttemptAt!) - clock.now()).toBe(120_000);
    clock.advance(120_000);
    answer = () => ({ status: 302, body: "", location: "http://169.254.169.254/latest/meta-data" });
    await platform.notifications.runDue();
    expect(deliveriesOf(hook.id)[0].attempts[1]).toMatchObject({ responseStatus: 302, error: expect.stringMatching(/Redirect \(302 to http:\/\/169\.254\.169\.254.*not followed/) });
    expect(sent).toHaveLength(2);
    clock.advance(30_000);
    answer = (request) => {
      clock.advance(request.timeoutMs);
      return { error: `No answer within ${request.timeoutMs / 1000} s (timed out).` };
    };
    await platform.notifications.runDue();
    expect(deliveriesOf(hook.id)[0].attempts[2]).toMatchObject({ durationMs: 15_000, error: "No answer within 15 s (timed out)." });
    expect(deliveriesOf(hook.id)[0].attempts[2].responseStatus).toBeUndefined();
  });

  it("disables an endpoint that failed without a success for days, and tells the organization's other endpoints", async () => {
    const { endpoint: hook } = endpoint(["instance.paused", "instance.resumed"]);
    const watcher = endpoint(["endpoint.disabled"], "https://ops.example.com/alerts");
    answer = (request) => (request.url.startsWith("https://hooks.") ? { status: 503, body: "" } : { status: 200, body: "" });
    const instance = await deployJira();
    let paused = false;
    while (platform.notifications.get(record, hook.id).enabled) {
      // Something happens every 6 hours, and every attempt fails.
      if (paused) platform.instances.resume(caller, instance.id, ORIGIN);
      else platform.instances.pause(caller, instance.id, ORIGIN);
      paused = !paused;
      await platform.notifications.runDue();
      clock.advance(6 * HOUR);
      await platform.notifications.runDue();
      expect(clock.now()).toBeLessThan(Date.UTC(2026, 10, 2, 9) + DISABLE_AFTER_MS + DAY);
    }
    const disabled = platform.notifications.get(record, hook.id);
    expect(disabled).toMatchObject({ enabled: false, disabled: { reason: "failing" } });
    expect(Date.parse(disabled.disabled!.at) - Date.parse(disabled.failingSince!)).toBeGreaterThanOrEqual(DISABLE_AFTER_MS);
    // Nothing more is sent to it; the other endpoint is told.
    const before = sent.filter((r) => r.url.startsWith("https://hooks.")).length;
    platform.instances.pause(caller, instance.id, ORIGIN);
    platform.instances.resume(caller, instance.id, ORIGIN);
    clock.advance(DAY);
    await platform.notifications.runDue();
    expect(sent.filter((r) => r.url.startsWith("https://hooks.")).length).toBe(before);
    const [told] = deliveriesOf(watcher.endpoint.id);
    expect(JSON.parse(told.payload)).toMatchObject({ type: "endpoint.disabled", data: { endpoint: { id: hook.id, url: "https://hooks.example.com/emporium" } } });
    expect(told.status).toBe("succeeded");
    // Enabled again: a fresh count, and what waited goes out.
    answer = () => ({ status: 204, body: "" });
    expect(platform.notifications.update(record, hook.id, { enabled: true })).toMatchObject({ enabled: true, consecutiveFailures: 0 });
    await platform.notifications.runDue();
    expect(platform.notifications.get(record, hook.id)).toMatchObject({ pendingDeliveries: 0, lastAttempt: { ok: true } });
  });

  it("loses no delivery when the platform restarts mid-retry: the schedule and the log carry over", async () => {
    const { endpoint: hook, secret } = endpoint();
    answer = () => ({ error: "The connection was refused (nothing listens there)." });
    await deployJira();
    await platform.notifications.runDue();
    const before = deliveriesOf(hook.id)[0];
    expect(before).toMatchObject({ status: "pending", attempts: [{ error: expect.stringContaining("refused") }] });
    // The process dies between two attempts; the next one starts from what is on disk.
    await platform.commit();
    platform.dispose();
    sent = [];
    answer = () => ({ status: 200, body: "" });
    boot();
    expect(deliveriesOf(hook.id)[0]).toEqual(before);
    await platform.notifications.runDue();
    expect(sent).toHaveLength(0);
    clock.advance(RETRY_BASE_MS);
    await platform.notifications.runDue();
    expect(sent).toHaveLength(1);
    expect(sent[0].headers["webhook-id"]).toBe(before.messageId);
    expect(verifies(secret, sent[0])).toBe(true);
    expect(deliveriesOf(hook.id)[0]).toMatchObject({ status: "succeeded", attempts: [{ error: expect.any(String) }, { responseStatus: 200 }] });
  });

  it("an attempt cut off by a stop is not recorded and is made again after the restart", async () => {
    const { endpoint: hook } = endpoint();
    answer = (request) =>
      new Promise((resolve) => {
        if (request.signal.aborted) resolve({ error: "Stopped." });
        request.signal.addEventListener("abort", () => resolve({ error: "Stopped." }));
      });
    await deployJira();
    const inFlight = platform.notifications.runDue();
    platform.notifications.stop();
    await inFlight;
    await platform.commit();
    platform.dispose();
    answer = () => ({ status: 200, body: "" });
    boot();
    expect(deliveriesOf(hook.id)[0]).toMatchObject({ status: "pending", attempts: [] });
    await platform.notifications.runDue();
    expect(deliveriesOf(hook.id)[0]).toMatchObject({ status: "succeeded", attempts: [{ responseStatus: 200 }] });
  });

  it("P10 a retry due when the stop begins is not sent, even by a run of the due attempts queued before it", async () => {
    const { endpoint: hook } = endpoint();
    answer = () => ({ status: 500, body: "" });
    await deployJira();
    await platform.notifications.runDue();
    clock.advance(RETRY_BASE_MS);
    // Started as a server starts them: a run of the due attempts is queued (the next macrotask),
    // as any event queues one; the stop comes in the same turn. (A manual clock's platform never
    // starts them, and stop() clears the timer: with neither, nothing calls runDue after a stop.)
    platform.notifications.start();
    await platform.close();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sent).toHaveLength(1);
    expect(deliveriesOf(hook.id)[0]).toMatchObject({ status: "pending", attempts: [{ responseStatus: 500 }] });
  });
});

describe("redelivery and endpoints", () => {
  it("redelivers any delivery now with the same webhook-id, logged as manual; refused while the endpoint is off", async () => {
    const { endpoint: hook, secret } = endpoint();
    answer = () => ({ status: 500, body: "" });
    await deployJira();
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await platform.notifications.runDue();
      clock.advance(11 * HOUR);
    }
    const [failed] = deliveriesOf(hook.id);
    expect(failed.status).toBe("failed");
    answer = () => ({ status: 200, body: "thanks" });
    const redelivered = await platform.notifications.redeliver(record, hook.id, failed.id);
    expect(redelivered).toMatchObject({ status: "succeeded", messageId: failed.messageId });
    expect(redelivered.attempts.at(-1)).toMatchObject({ responseStatus: 200, manual: true });
    expect(verifies(secret, sent.at(-1)!)).toBe(true);
    expect(sent.at(-1)!.headers["webhook-id"]).toBe(failed.messageId);

    platform.notifications.update(record, hook.id, { enabled: false });
    expect((await failure(platform.notifications.redeliver(record, hook.id, failed.id))).code).toBe("CONFLICT");
    expect((await failure(platform.notifications.redeliver(record, hook.id, "dlv_nope"))).code).toBe("NOT_FOUND");
  });

  it("filters and pages the delivery log", async () => {
    const { endpoint: hook } = endpoint();
    const instance = await deployJira();
    for (let i = 0; i < 4; i++) {
      clock.advance(1000);
      platform.instances.pause(caller, instance.id, ORIGIN);
      platform.instances.resume(caller, instance.id, ORIGIN);
    }
    const first = platform.notifications.deliveries(record, hook.id, { limit: 3 });
    expect(first.deliveries).toHaveLength(3);
    const ids: string[] = first.deliveries.map((d) => d.id);
    let cursor = first.nextCursor;
    while (cursor) {
      const page = platform.notifications.deliveries(record, hook.id, { limit: 3, cursor });
      ids.push(...page.deliveries.map((d) => d.id));
      cursor = page.nextCursor;
    }
    expect(ids).toHaveLength(9);
    expect(new Set(ids).size).toBe(9);
    expect(platform.notifications.deliveries(record, hook.id, { eventType: "instance.paused" }).deliveries).toHaveLength(4);
    expect(platform.notifications.deliveries(record, hook.id, { status: "succeeded" }).deliveries).toHaveLength(0);
  });

  it("keeps another organization's endpoints out of reach (404)", async () => {
    const other = await createTestOrganization({ platform });
    const otherRecord = platform.snapshot().organizations[other.id];
    const { endpoint: hook } = endpoint();
    expect(platform.notifications.list(otherRecord)).toEqual([]);
    expect(() => platform.notifications.get(otherRecord, hook.id)).toThrow(/No notification endpoint/);
    expect(() => platform.notifications.rotate(otherRecord, hook.id)).toThrow(/No notification endpoint/);
    expect(() => platform.notifications.deliveries(otherRecord, hook.id)).toThrow(/No notification endpoint/);
  });

  it("keeps secrets sealed at rest: the record kind seals every secret, a rollover's too", async () => {
    const { endpoint: hook } = endpoint();
    platform.notifications.rotate(record, hook.id);
    const stored = platform.snapshot().notificationEndpoints[hook.id];
    const sealed = recordKinds.notificationEndpoints.secrets!(stored, (secret) => `sealed(${secret.length})`);
    expect(JSON.stringify(sealed)).not.toContain("whsec_");
    expect(sealed.secrets.map((s) => s.secret)).toEqual(["sealed(50)", "sealed(50)"]);
  });
});

describe("endpoint addresses", () => {
  const refusedUrls = [
    "http://hooks.example.com/", // http outside development mode
    "https://127.0.0.1/hook",
    "https://127.1.2.3:8443/hook",
    "https://localhost/hook",
    "https://api.localhost/hook",
    "https://10.0.0.5/hook",
    "https://172.20.1.1/hook",
    "https://192.168.1.10/hook",
    "https://169.254.169.254/latest/meta-data",
    "https://100.64.0.1/",
    "https://0.0.0.0/",
    "https://[::1]/hook",
    "https://[fd00::1]/hook",
    "https://[fe80::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[::ffff:10.1.2.3]/hook",
    "https://2130706433/hook", // 127.0.0.1 written as one number
    "https://0x7f.1/hook",
    "https://metadata/computeMetadata",
    "https://printer.local/",
    "https://db.internal/",
    "https://user:pass@hooks.example.com/",
    "not a url",
  ];

  it("N2 loopback, private, link-local and local-name endpoints are refused outside development mode", () => {
    for (const url of refusedUrls) expect(endpointUrlProblem(url, false), url).toBeDefined();
    for (const url of ["https://hooks.example.com/emporium", "https://8.8.8.8/hook", "https://[2606:4700::1111]/hook", "https://api.example.co.uk:8443/x?y=1"]) {
      expect(endpointUrlProblem(url, false), url).toBeUndefined();
    }
    expect(isNonPublicAddress("8.8.8.8")).toBe(false);
    expect(isNonPublicAddress("::ffff:8.8.8.8")).toBe(false);
    expect(isNonPublicAddress("2002:0a00:0001::1")).toBe(true);
  });

  it("N2 the platform refuses such an endpoint with a field error (422), and allows it in development mode", async () => {
    for (const url of ["https://127.0.0.1/hook", "https://192.168.1.10/hook", "http://localhost:4000/api/notifications"]) {
      const error = await failure(Promise.resolve().then(() => endpoint(["instance.deployed"], url)));
      expect(error).toMatchObject({ code: "VALIDATION_FAILED", fields: { url: expect.any(String) } });
    }
    const hook = endpoint();
    expect(() => platform.notifications.update(record, hook.endpoint.id, { url: "https://10.0.0.1/" })).toThrow(/private, loopback or reserved/);
    expect(platform.notifications.get(record, hook.endpoint.id).url).toBe("https://hooks.example.com/emporium");
    platform.dispose();
    platform = createPlatform({ clock, backend, notifications: { send, development: true } });
    expect(endpoint(["instance.deployed"], "http://localhost:4000/api/notifications").endpoint.url).toBe("http://localhost:4000/api/notifications");
    expect(endpointUrlProblem("ftp://localhost/", true)).toBeDefined();
  });
});
