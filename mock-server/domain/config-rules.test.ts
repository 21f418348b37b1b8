/**
 * The platform enforces the integration's rules as the wizard applies them (contract/conditions.ts):
 * a hidden field may not be set and is not stored, a required visible one may not be skipped, a
 * disabled one keeps its value, a hidden page is skipped by the deploy; generated keys and the
 * webhook URL a page displays exist from the draft on.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPlatform, type Platform } from "./platform.ts";
import { createManualClock } from "./clock.ts";
import { PlatformError } from "./errors.ts";
import { failure } from "../testing/platform-failure.ts";
import { createTestOrganization } from "../fixtures/test-organization.ts";
import type { Caller } from "./sessions.ts";

const ORIGIN = "http://platform.test";
let platform: Platform;
let caller: Caller;

beforeEach(async () => {
  const clock = createManualClock();
  platform = createPlatform({ clock });
  const org = await createTestOrganization({ platform });
  caller = await platform.access.authenticate(await org.signToken({}, {}, clock.now()));
});
afterEach(() => platform.dispose());

const save = (id: string, page: string, values: Record<string, unknown>) => platform.instances.saveConfigPage(caller, id, page, values, ORIGIN);

async function zendesk() {
  const { instance } = platform.instances.create(caller, "zendesk", ORIGIN);
  await save(instance.id, "connect", { subdomain: "acme", zendeskKey: { kind: "api-key", apiKey: "zd-secret-7731" } });
  return instance;
}

describe("conditional fields on the platform", () => {
  it("a hidden field that is set gets a field error; a required visible one that is skipped too", async () => {
    const { instance } = platform.instances.create(caller, "salesforce", ORIGIN);
    const hidden = await failure(save(instance.id, "sync", { sobject: "Lead", customObject: "Invoice__c" }));
    expect(hidden).toMatchObject({ code: "VALIDATION_FAILED", page: "sync", fields: { customObject: "This field is hidden by the other choices, so it cannot be set." } });
    const skipped = await failure(save(instance.id, "sync", { sobject: "Custom" }));
    expect(skipped.fields).toEqual({ customObject: "This field is required." });
    // A hidden field is not validated either: an empty or null value for it is fine.
    const saved = await save(instance.id, "sync", { sobject: "Lead", customObject: null });
    expect(saved.configValues).not.toHaveProperty("customObject");
    const custom = await save(instance.id, "sync", { sobject: "Custom", customObject: "Invoice__c" });
    expect(custom.configValues.customObject).toBe("Invoice__c");
    // Choosing a standard object again hides the field: its value leaves the draft.
    const back = await save(instance.id, "sync", { sobject: "Contact" });
    expect(back.configValues).not.toHaveProperty("customObject");
  });

  it("a disabled field keeps its value: changing it is a field error, leaving it out keeps the default", async () => {
    const instance = await zendesk();
    const changed = await failure(save(instance.id, "tickets", { useDefaultTemplate: true, template: "<ticket/>" }));
    expect(changed.fields).toEqual({ template: "This field cannot be changed now." });
    const kept = await save(instance.id, "tickets", { useDefaultTemplate: true });
    expect(kept.configValues.template).toContain("<subject>New event</subject>");
    const editable = await save(instance.id, "tickets", { useDefaultTemplate: false, template: "<ticket/>" });
    expect(editable.configValues.template).toBe("<ticket/>");
  });

  it("a hidden page is skipped by the deploy and its values are not stored; shown, its required field counts", async () => {
    const instance = await zendesk();
    const onHidden = await failure(save(instance.id, "updates", { updateStatuses: ["open"] }));
    expect(onHidden.fields).toEqual({ updateStatuses: "This field is hidden by the other choices, so it cannot be set." });
    await save(instance.id, "tickets", { priority: "high", syncBack: false });
    const deployed = await platform.instances.deploy(caller, instance.id, { origin: ORIGIN });
    expect(deployed.body.instance.status).toBe("deployed");
    const config = platform.snapshot().instances[instance.id].config;
    expect(config).not.toHaveProperty("updateStatuses");
    expect(config.priority).toBe("high");

    await save(instance.id, "tickets", { priority: "high", syncBack: true });
    await save(instance.id, "updates", { updateStatuses: [] }).catch(() => undefined);
    const missing = await failure(platform.instances.deploy(caller, instance.id, { origin: ORIGIN }));
    expect(missing).toMatchObject({ code: "INSTANCE_NOT_CONFIGURED", page: "updates", fields: { updateStatuses: "This field is required." } });
    await save(instance.id, "updates", { updateStatuses: ["solved", "closed"] });
    await platform.instances.deploy(caller, instance.id, { origin: ORIGIN });
    expect(platform.snapshot().instances[instance.id].config.updateStatuses).toEqual(["solved", "closed"]);
  });
});

describe("display elements", () => {
  it("a generated key exists from the draft on, is kept, and flows can read it; the displayed webhook URL too", async () => {
    const { instance } = platform.instances.create(caller, "zendesk", ORIGIN);
    const key = instance.configValues.zendeskWebhookToken;
    expect(key).toMatch(/^emk_[A-Za-z0-9_-]{40,}$/);
    const url = instance.flows.find((f) => f.id === "ticket-updated")?.webhookUrl;
    expect(url).toMatch(/^http:\/\/platform\.test\/api\/v1\/webhooks\/[A-Za-z0-9_-]{40,}$/);
    // Only the displayed flow's URL is shown before the deploy; calling it answers 409 until then.
    expect(instance.flows.find((f) => f.id === "create-ticket")?.webhookUrl).toBeUndefined();
    await expect(platform.webhooks.invoke(new URL(url!).pathname.split("/").pop()!, {}, { async: false })).rejects.toMatchObject({ code: "CONFLICT" });
    await save(instance.id, "connect", { subdomain: "acme", zendeskKey: { kind: "api-key", apiKey: "zd-secret-7731" } });
    const again = platform.instances.get(caller, instance.id, ORIGIN);
    expect(again.configValues.zendeskWebhookToken).toBe(key);
    // The key is the platform's: a page cannot set it.
    expect((await failure(save(instance.id, "tickets", { zendeskWebhookToken: "mine" }))).fields).toEqual({ zendeskWebhookToken: "This field does not exist on this page." });
    await save(instance.id, "tickets", { syncBack: true });
    await save(instance.id, "updates", { updateStatuses: ["solved"] });
    const deployed = await platform.instances.deploy(caller, instance.id, { origin: ORIGIN });
    expect(deployed.body.instance.flows.find((f) => f.id === "ticket-updated")?.webhookUrl).toBe(url);
    expect(platform.snapshot().instances[instance.id].config.zendeskWebhookToken).toBe(key);
    const run = await platform.webhooks.invoke(new URL(url!).pathname.split("/").pop()!, { ticketId: 42, status: "solved" }, { async: false });
    expect(run).toMatchObject({ mode: "sync", response: { status: "succeeded", output: { ticketId: 42, status: "solved" } } });
  });

  it("serves a page's image from the platform, and 404 for another name", () => {
    const { bytes, type } = platform.marketplace.asset("zendesk", "zendesk-webhook.svg");
    expect(type).toBe("image/svg+xml");
    expect(new TextDecoder().decode(bytes)).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(() => platform.marketplace.asset("zendesk", "other.svg")).toThrow(PlatformError);
    expect(() => platform.marketplace.asset("nope", "zendesk-webhook.svg")).toThrow(PlatformError);
  });
});
