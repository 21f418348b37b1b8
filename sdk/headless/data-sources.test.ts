/**
 * The headless client's data sources and rules on the real platform handlers: the options of a
 * field given the current values (Jira's issue types follow the project), a dependency without a
 * value refused before any request, the app's faults as typed errors with the values kept, a saved
 * value the app no longer offers, conditional fields (Zendesk's locked template, its Ticket updates
 * page) decided by the same evaluator as the frame and the platform, and a definition whose rule
 * names an unknown field refused with INVALID_DEFINITION.
 */
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { PLATFORM, usePlatform } from "../testing/headless-platform.ts";
import { createClient, type EmporiumApiError } from "./index.ts";

const platform = usePlatform();
let n = 0;

function setup() {
  const customer = `ds-headless-${++n}`;
  const client = createClient({ platformUrl: PLATFORM, getToken: () => platform.org.signToken({ customer }) });
  const requests: string[] = [];
  const listener = ({ request }: { request: Request }) => void requests.push(`${request.method} ${new URL(request.url).pathname}`);
  platform.mock.server.events.on("request:start", listener);
  return { client, requests, stop: () => platform.mock.server.events.removeListener("request:start", listener) };
}

const jiraConnect = { site: "acme.atlassian.net", jiraConnection: { kind: "basic", username: "ada@acme.example", password: "token-1" } };

describe("headless data sources", () => {
  it("wizard.options: Jira's issue types follow the chosen project; a dependency without a value is refused before any request", async () => {
    const { client, requests, stop } = setup();
    try {
      const wizard = await client.wizard("jira");
      await wizard.next(jiraConnect);
      const projects = await wizard.options("projectKey");
      expect(projects.options.map((o) => o.value)).toEqual(expect.arrayContaining(["OPS", "ENG", "SUP"]));
      expect(projects).toMatchObject({ truncated: false, unavailable: [] });

      const software = await wizard.options("issueType");
      expect(software.options.map((o) => o.value)).toEqual(["Task", "Bug", "Story", "Epic", "Sub-task"]);
      const desk = await wizard.options("issueType", { values: { projectKey: "SUP" } });
      expect(desk.options.map((o) => o.value)).toEqual(["Incident", "Service request", "Problem", "Task"]);
      expect(wizard.values.projectKey).toBe("SUP");
      // Task is offered by both; Bug would not be: the answer says which chosen value is gone.
      const gone = await wizard.options("issueType", { values: { issueType: "Bug" } });
      expect(gone.unavailable).toEqual(["Bug"]);

      const before = requests.length;
      const refused = (await wizard.options("issueType", { values: { projectKey: null } }).catch((e) => e)) as EmporiumApiError;
      expect(refused).toMatchObject({ code: "VALIDATION_FAILED", fields: { projectKey: "Choose Project first." } });
      expect(requests.length).toBe(before);

      // The platform checks a newly chosen value against the source.
      await expect(wizard.deploy({ projectKey: "SUP", issueType: "Bug" })).rejects.toMatchObject({
        code: "VALIDATION_FAILED",
        fields: { issueType: expect.stringContaining("not available in Jira") },
      });
      const result = await wizard.deploy({ issueType: "Incident" });
      expect(result.instance.configValues).toMatchObject({ projectKey: "SUP", issueType: "Incident" });
      expect(result.instance.optionLabels).toMatchObject({ projectKey: { SUP: "Customer Support" }, issueType: { Incident: "Incident" } });
    } finally {
      stop();
    }
  });

  it("client.dataSourceOptions: the app's faults are typed errors, and the wizard keeps its values", async () => {
    const { client, stop } = setup();
    stop();
    const wizard = await client.wizard("jira");
    await expect(wizard.options("projectKey")).rejects.toMatchObject({ code: "CONNECTION_REQUIRED" });
    await wizard.next(jiraConnect);
    try {
      for (const [scenario, code] of [
        ["data-source-down", "DATA_SOURCE_FAILED"],
        ["data-source-garbage", "DATA_SOURCE_FAILED"],
      ] as const) {
        platform.mock.platform.scenario.set({ scenario });
        await expect(wizard.options("projectKey", { values: { labels: ["typed"] } })).rejects.toMatchObject({ code, status: 502 });
        expect(wizard.values.labels).toEqual(["typed"]);
      }
      platform.mock.platform.scenario.set({ scenario: "data-source-huge" });
      const huge = await client.dataSourceOptions(wizard.instance.id, "projectKey");
      expect(huge.options).toHaveLength(1000);
      expect(huge.truncated).toBe(true);
      const found = await client.dataSourceOptions(wizard.instance.id, "projectKey", { search: "bulk-04999" });
      expect(found).toEqual({ options: [{ value: "BULK04999", label: "bulk-04999", description: "BULK04999" }], truncated: false });
    } finally {
      platform.mock.platform.scenario.set({ scenario: "none" });
    }
  });
});

describe("headless rules", () => {
  it("Zendesk: formState and validate follow the rules; a hidden page is skipped by next and back; a hidden value is not sent", async () => {
    const { client, stop } = setup();
    stop();
    const zendesk = await client.getIntegration("zendesk");
    expect(zendesk.formState({}).pages.updates).toEqual({ visible: false, disabled: false });
    expect(zendesk.formState({ syncBack: true }).pages.updates.visible).toBe(true);
    expect(zendesk.formState({ useDefaultTemplate: true }).fields.template).toEqual({ visible: true, required: false, disabled: true });
    // A locked field is not validated (the platform keeps its stored value).
    expect(zendesk.validate("tickets", { useDefaultTemplate: true, template: "<broken" })).toEqual({});
    expect(zendesk.validate("tickets", { useDefaultTemplate: false, template: "<broken" })).toHaveProperty("template");
    expect(zendesk.assetUrl("zendesk-webhook.svg")).toBe(`${PLATFORM}/api/v1/integrations/zendesk/assets/zendesk-webhook.svg`);

    const wizard = await client.wizard("zendesk");
    await wizard.next({ zendeskKey: { kind: "api-key", apiKey: "zd-1" } });
    expect(wizard.isLast).toBe(true);
    await wizard.next({ syncBack: true });
    expect(wizard.current.name).toBe("updates");
    // The generated key and the webhook URL the page shows are on the draft already.
    expect(wizard.instance.configValues.zendeskWebhookToken).toMatch(/^emk_/);
    expect(wizard.instance.flows.find((f) => f.id === "ticket-updated")?.webhookUrl).toMatch(/\/api\/v1\/webhooks\//);
    wizard.back();
    expect(wizard.current.name).toBe("tickets");
    const result = await wizard.deploy({ syncBack: false });
    expect(wizard.pages.map((p) => p.name)).toEqual(["connect", "tickets", "updates"]);
    expect(result.instance.configValues.syncBack).toBe(false);
  });

  it("the platform refuses a change to a field its rules lock, with a message on that field", async () => {
    const { client, stop } = setup();
    stop();
    const instance = await client.createInstance("zendesk");
    await client.saveConfigPage(instance.id, "connect", { zendeskKey: { kind: "api-key", apiKey: "zd-2" } });
    await expect(client.saveConfigPage(instance.id, "tickets", { useDefaultTemplate: true, template: "<ticket><subject>x</subject></ticket>" })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      fields: { template: "This field cannot be changed now." },
    });
  });

  it("a definition whose rule names an unknown field is refused with INVALID_DEFINITION, naming the integration and the field", async () => {
    const { client, stop } = setup();
    stop();
    const good = await (await fetch(`${PLATFORM}/api/v1/integrations/zendesk`, { headers: { Authorization: `Bearer ${await platform.org.signToken({ customer: "ds-def" })}` } })).json();
    good.configPages[1].fields.find((f: { key: string }) => f.key === "tags").visibleWhen = { field: "nope", equals: true };
    platform.mock.server.use(http.get(`${PLATFORM}/api/v1/integrations/zendesk`, () => HttpResponse.json(good)));
    try {
      const error = (await client.getIntegration("zendesk").catch((e) => e)) as EmporiumApiError;
      expect(error.code).toBe("INVALID_DEFINITION");
      expect(error.message).toContain('Integration "zendesk"');
      expect(error.message).toContain('refers to the unknown field "nope"');
      await expect(client.wizard("zendesk")).rejects.toMatchObject({ code: "INVALID_DEFINITION" });
    } finally {
      platform.mock.server.resetHandlers();
    }
  });
});
