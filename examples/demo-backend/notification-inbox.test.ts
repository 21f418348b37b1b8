/**
 * The demo backend's notification inbox against a real platform server in local development
 * mode: it registers itself as an endpoint, receives and verifies the platform's deliveries
 * (N1 end to end), refuses a forged one with 401 (which the platform logs as a failed attempt),
 * follows a secret rotation, and shows what it received to staff only.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ORG_API_KEY, type PlatformServer } from "../../mock-server/index.ts";
import { orgPaths, type OrgInstancePage } from "../../contract/org-api.ts";
import { notificationPaths, type NotificationDeliveryPage } from "../../contract/org-notifications.ts";
import { startDemoStack } from "./test-stack.ts";
import type { NotificationInbox, ReceivedNotification } from "./notification-inbox.ts";

let platform: PlatformServer;
let host: { url: string; notifications: NotificationInbox; close(): Promise<void> };
let endpointId: string;
let staff: Record<string, string>;

const org = (path: string, init: RequestInit = {}) =>
  fetch(platform.url + path, { ...init, headers: { Authorization: `Bearer ${DEMO_ORG_API_KEY}`, "Content-Type": "application/json" } });

/** Every delivery due now is attempted and answered (the platform's own loop may have started it). */
async function delivered() {
  await platform.platform.notifications.runDue();
  await platform.platform.idle();
}

let stack: Awaited<ReturnType<typeof startDemoStack>>;
beforeAll(async () => {
  stack = await startDemoStack({ developmentMode: true });
  ({ platform, host, staff } = stack);
  endpointId = await host.notifications.ensureEndpoint();
});
afterAll(() => stack.close());

async function pauseAndResumeOne(): Promise<string> {
  const customers = (await (await org(orgPaths.customers())).json()) as { customers: Array<{ id: string; externalId: string }> };
  const acme = customers.customers.find((c) => c.externalId === "acme-corp")!;
  const deployed = await org(orgPaths.customerInstances(acme.id), {
    method: "POST",
    body: JSON.stringify({ integrationId: "jira", values: { site: "acme.atlassian.net", jiraConnection: { kind: "basic", username: "ops@acme.example", password: "inbox-secret-1" }, projectKey: "OPS" } }),
  });
  expect(deployed.status).toBe(201);
  const { instance } = (await deployed.json()) as { instance: { id: string } };
  expect((await org(orgPaths.instancePause(instance.id), { method: "POST" })).status).toBe(200);
  return instance.id;
}

const received = async (): Promise<ReceivedNotification[]> => ((await (await fetch(`${host.url}/api/notifications/received`, { headers: staff })).json()) as { received: ReceivedNotification[] }).received;

describe("the demo backend's notification inbox", () => {
  it("registers itself once, for every event type", async () => {
    expect(await host.notifications.ensureEndpoint()).toBe(endpointId);
    const endpoint = (await (await org(notificationPaths.endpoint(endpointId))).json()) as { url: string; eventTypes: string[] };
    expect(endpoint.url).toBe(`${host.url}/api/notifications`);
    expect(endpoint.eventTypes).toContain("connection.reconnect_needed");
  });

  it("N1 receives and verifies the platform's deliveries; the platform logs the 204", async () => {
    const instanceId = await pauseAndResumeOne();
    await delivered();
    const got = await received();
    const paused = got.find((r) => r.type === "instance.paused");
    expect(paused).toMatchObject({ verified: true, duplicate: false, event: { type: "instance.paused", data: { instance: { id: instanceId }, customer: { externalId: "acme-corp" } } } });
    expect(got.find((r) => r.type === "instance.deployed")).toMatchObject({ verified: true });
    expect(JSON.stringify(got)).not.toContain("inbox-secret-1");
    const log = (await (await org(`${notificationPaths.endpointDeliveries(endpointId)}?eventType=instance.paused`)).json()) as NotificationDeliveryPage;
    expect(log.deliveries[0]).toMatchObject({ status: "succeeded", attempts: [{ responseStatus: 204 }] });
    // A redelivery arrives again under the same webhook-id, marked as a duplicate.
    const again = await org(notificationPaths.redelivery(endpointId, log.deliveries[0].id), { method: "POST" });
    expect(again.status).toBe(200);
    expect((await received())[0]).toMatchObject({ type: "instance.paused", verified: true, duplicate: true, messageId: paused!.messageId });
  });

  it("N1 refuses a forged delivery with 401 and shows it as refused, without its content", async () => {
    const forged = await fetch(`${host.url}/api/notifications`, {
      method: "POST",
      headers: { "webhook-id": "msg_forged", "webhook-timestamp": String(Math.floor(Date.now() / 1000)), "webhook-signature": `v1,${Buffer.alloc(32).toString("base64")}`, "Content-Type": "application/json" },
      body: JSON.stringify({ type: "instance.deleted", data: { note: "forged-body" } }),
    });
    expect(forged.status).toBe(401);
    const [latest] = await received();
    expect(latest).toMatchObject({ messageId: "msg_forged", verified: false, refused: expect.any(String) });
    expect(JSON.stringify(latest)).not.toContain("forged-body");
  });

  it("N1 forged deliveries cannot push the platform's verified ones out of the panel; the 401 is typed", async () => {
    const before = (await received()).filter((entry) => entry.verified);
    expect(before.length).toBeGreaterThan(0);
    for (let i = 0; i < 120; i++) {
      const forged = await fetch(`${host.url}/api/notifications`, {
        method: "POST",
        headers: { "webhook-id": `msg_flood_${i}`, "webhook-timestamp": String(Math.floor(Date.now() / 1000)), "webhook-signature": `v1,${Buffer.alloc(32).toString("base64")}` },
        body: "{}",
      });
      expect(forged.status).toBe(401);
      expect(await forged.json()).toEqual({ error: { code: "SIGNATURE_INVALID", message: expect.any(String) } });
    }
    const after = await received();
    expect(after.filter((entry) => entry.verified)).toEqual(before);
    const refused = after.filter((entry) => !entry.verified);
    expect(refused).toHaveLength(20);
    // Newest first: the last forged delivery leads the panel, the verified ones follow the refused.
    expect(after[0].messageId).toBe("msg_flood_119");
    expect(refused.at(-1)!.messageId).toBe("msg_flood_100");
  });

  it("N1 keeps verifying after a rotation in the console that ends the old secret at once", async () => {
    const rotate = await fetch(`${host.url}/api/org${notificationPaths.endpointSecretRotation(endpointId).slice("/api/v1/org".length)}`, {
      method: "POST",
      headers: { ...staff, Origin: host.url, "Content-Type": "application/json" },
      body: JSON.stringify({ rolloverHours: 0 }),
    });
    expect(rotate.status).toBe(200);
    const page = (await (await org(`${orgPaths.instances()}?status=paused&limit=1`)).json()) as OrgInstancePage;
    expect((await org(orgPaths.instanceResume(page.instances[0].id), { method: "POST" })).status).toBe(200);
    await delivered();
    expect((await received())[0]).toMatchObject({ type: "instance.resumed", verified: true });
  });

  it("shows what it received to the organization's staff only", async () => {
    expect((await fetch(`${host.url}/api/notifications/received`)).status).toBe(401);
    const customer = await fetch(`${host.url}/api/demo/sign-in`, { method: "POST", headers: { Origin: host.url, "Content-Type": "application/json" }, body: JSON.stringify({ staff: false }) });
    const cookie = customer.headers.get("set-cookie")!.split(";")[0]!;
    expect((await fetch(`${host.url}/api/notifications/received`, { headers: { Cookie: cookie } })).status).toBe(403);
  });
});
