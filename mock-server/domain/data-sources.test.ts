/**
 * Data sources on the platform: options from the customer's own account, dependent fields, the
 * app's faults as typed errors, saved values checked against the source when the platform can,
 * and S3 (another customer's instance or data never answers).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { failure } from "../testing/platform-failure.ts";
import { customerPlatform } from "../fixtures/customer-platform.ts";
import type { Platform } from "./platform.ts";
import type { ManualClock } from "./clock.ts";
import type { TestOrganization } from "../fixtures/test-organization.ts";
import type { Caller } from "./sessions.ts";

const ORIGIN = "http://platform.test";

let clock: ManualClock;
let platform: Platform;
let org: TestOrganization;
let caller: Caller;

beforeEach(async () => {
  ({ clock, platform, org, caller } = await customerPlatform({ dataSourceTimeoutMs: 5000 }));
});
afterEach(() => platform.dispose());

async function jiraDraft(as: Caller = caller) {
  const { instance } = platform.instances.create(as, "jira", ORIGIN);
  await platform.instances.saveConfigPage(as, instance.id, "connect", { site: "acme.atlassian.net", jiraConnection: { kind: "basic", username: "ada@acme.example", password: "token-9876" } }, ORIGIN);
  return instance.id;
}

async function slackDraft(as: Caller = caller) {
  const { instance } = platform.instances.create(as, "slack", ORIGIN);
  const { state } = platform.connections.startOAuth(as, instance.id, "slackConnection", ORIGIN);
  const redirect = new URL(platform.connections.oauthDecide(state, true)!);
  const outcome = platform.connections.oauthCallback({ state, code: redirect.searchParams.get("code"), error: null });
  if (!outcome.ok) throw new Error(outcome.message);
  await platform.instances.saveConfigPage(as, instance.id, "connect", { slackConnection: { kind: "oauth2", grantId: outcome.grantId } }, ORIGIN);
  return instance.id;
}

describe("data-source options", () => {
  it("lists the customer's Slack channels (hundreds of them), in the app's order, with their purpose", async () => {
    const id = await slackDraft();
    const { options, truncated } = await platform.dataSources.options(caller, id, "channel", {});
    expect(truncated).toBe(false);
    expect(options.length).toBeGreaterThan(300);
    expect(options[0]).toEqual({ value: "#general", label: "#general", description: "Company-wide announcements and work-based matters" });
    expect(options.map((o) => o.value)).toContain("#acme-corp-internal");
    const search = await platform.dataSources.options(caller, id, "channel", { search: "PAYMENTS team" });
    expect(search.options.map((o) => o.value)).toEqual(["#team-payments", "#team-payments-2", "#team-payments-3"]);
  });

  it("chains: Jira issue types are those of the chosen project, sent with the request or saved", async () => {
    const id = await jiraDraft();
    const projects = await platform.dataSources.options(caller, id, "projectKey", {});
    expect(projects.options.map((o) => o.value)).toEqual(["OPS", "ENG", "WEB", "SUP", "MKT", "ACMECOX"]);
    const software = await platform.dataSources.options(caller, id, "issueType", { values: { projectKey: "ENG" } });
    expect(software.options.map((o) => o.value)).toEqual(["Task", "Bug", "Story", "Epic", "Sub-task"]);
    const desk = await platform.dataSources.options(caller, id, "issueType", { values: { projectKey: "SUP" } });
    expect(desk.options.map((o) => o.value)).toEqual(["Incident", "Service request", "Problem", "Task"]);
    // Without a value in the request, the saved one counts.
    await platform.instances.saveConfigPage(caller, id, "issues", { projectKey: "SUP", issueType: "Incident" }, ORIGIN);
    expect((await platform.dataSources.options(caller, id, "issueType", {})).options[0].value).toBe("Incident");
  });

  it("a dependency without a value is a field error on that dependency", async () => {
    const id = await jiraDraft();
    const error = await failure(platform.dataSources.options(caller, id, "issueType", { values: { projectKey: null } }));
    expect(error).toMatchObject({ code: "VALIDATION_FAILED", fields: { projectKey: "Choose Project first." } });
  });

  it("a project value cannot walk to another of the app's paths", async () => {
    const id = await jiraDraft();
    const { options } = await platform.dataSources.options(caller, id, "issueType", { values: { projectKey: "../../project" } });
    expect(options).toEqual([]);
  });

  it("CONNECTION_REQUIRED before the connection is saved; CONNECTION_REFUSED when the app refuses it", async () => {
    const { instance } = platform.instances.create(caller, "jira", ORIGIN);
    expect(await failure(platform.dataSources.options(caller, instance.id, "projectKey", {}))).toMatchObject({ code: "CONNECTION_REQUIRED", status: 409 });
    await platform.instances.saveConfigPage(caller, instance.id, "connect", { site: "acme.atlassian.net", jiraConnection: { kind: "basic", username: "ada", password: "revoked-token" } }, ORIGIN);
    const refused = await failure(platform.dataSources.options(caller, instance.id, "projectKey", {}));
    expect(refused).toMatchObject({ code: "CONNECTION_REFUSED", status: 409 });
    expect(refused.message).toBe("Jira refused the saved connection; connect the account again.");
  });

  it("answers 404 for a field that is no data source, and 400 for a value of no field", async () => {
    const id = await jiraDraft();
    expect(await failure(platform.dataSources.options(caller, id, "labels", {}))).toMatchObject({ code: "NOT_FOUND" });
    expect(await failure(platform.dataSources.options(caller, id, "issueType", { values: { nope: "x" } }))).toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("data-source faults (scenarios)", () => {
  it("slow: answers after the latency; past the deadline, 504 DATA_SOURCE_TIMEOUT", async () => {
    const id = await jiraDraft();
    platform.scenario.set({ scenario: "data-source-slow", latencyMs: 3000 });
    const before = clock.now();
    expect((await platform.dataSources.options(caller, id, "projectKey", {})).options).toHaveLength(6);
    expect(clock.now() - before).toBe(3000);
    platform.scenario.set({ scenario: "data-source-slow", latencyMs: 9000 });
    const error = await failure(platform.dataSources.options(caller, id, "projectKey", {}));
    expect(error).toMatchObject({ code: "DATA_SOURCE_TIMEOUT", status: 504, message: "Jira did not answer within 5 seconds." });
  });

  it("down: 502 DATA_SOURCE_FAILED; garbage: 502 DATA_SOURCE_FAILED naming the shape", async () => {
    const id = await jiraDraft();
    platform.scenario.set({ scenario: "data-source-down" });
    expect(await failure(platform.dataSources.options(caller, id, "projectKey", {}))).toMatchObject({ code: "DATA_SOURCE_FAILED", status: 502, message: "Jira answered with an error (503)." });
    platform.scenario.set({ scenario: "data-source-garbage" });
    expect(await failure(platform.dataSources.options(caller, id, "projectKey", {}))).toMatchObject({ code: "DATA_SOURCE_FAILED", message: "Jira answered in a shape Emporium cannot read." });
    platform.scenario.set({ scenario: "none" });
    expect((await platform.dataSources.options(caller, id, "projectKey", {})).options).toHaveLength(6);
  });

  it("huge: the first 1,000 of 5,000 with truncated, and a search reaches the others", async () => {
    const id = await slackDraft();
    platform.scenario.set({ scenario: "data-source-huge" });
    const all = await platform.dataSources.options(caller, id, "channel", {});
    expect(all.options).toHaveLength(1000);
    expect(all.truncated).toBe(true);
    const found = await platform.dataSources.options(caller, id, "channel", { search: "bulk-04321" });
    expect(found).toEqual({ options: [{ value: "#bulk-04321", label: "#bulk-04321", description: "Generated by the data-source-huge scenario" }], truncated: false });
  });
});

describe("saved values and the source", () => {
  it("a newly chosen value must be offered; a dependency change re-checks the dependent value", async () => {
    const id = await jiraDraft();
    const bad = await failure(platform.instances.saveConfigPage(caller, id, "issues", { projectKey: "OPS", issueType: "Incident" }, ORIGIN));
    expect(bad).toMatchObject({ code: "VALIDATION_FAILED", page: "issues", fields: { issueType: '"Incident" is not available in Jira; choose one of the options.' } });
    await platform.instances.saveConfigPage(caller, id, "issues", { projectKey: "OPS", issueType: "Bug" }, ORIGIN);
    // Bug stays the same, but SUP has no Bug: the changed project makes the old value wrong.
    const moved = await failure(platform.instances.saveConfigPage(caller, id, "issues", { projectKey: "SUP", issueType: "Bug" }, ORIGIN));
    expect(moved.fields).toEqual({ issueType: '"Bug" is not available in Jira; choose one of the options.' });
    const gone = await failure(platform.instances.saveConfigPage(caller, id, "issues", { projectKey: "NOPE", issueType: "Bug" }, ORIGIN));
    expect(Object.keys(gone.fields ?? {}).sort()).toEqual(["issueType", "projectKey"]);
  });

  it("an unchanged saved value the app no longer offers is kept; an app that cannot be asked does not block a save", async () => {
    const id = await slackDraft();
    await platform.instances.saveConfigPage(caller, id, "notifications", { channel: "#deploys" }, ORIGIN);
    // The channel is archived in Slack (it leaves the list).
    const channels = platform.apps.records("Slack", caller.customer.id)["/conversations"]!;
    platform.apps.remove("Slack", caller.customer.id, "/conversations", Object.values(channels).find((c) => (c as { name: string }).name === "deploys")!.id as string);
    expect((await platform.dataSources.options(caller, id, "channel", {})).options.map((o) => o.value)).not.toContain("#deploys");
    const kept = await platform.instances.saveConfigPage(caller, id, "notifications", { channel: "#deploys", mentionChannel: true }, ORIGIN);
    expect(kept.configValues.channel).toBe("#deploys");
    // A new choice while Slack is down: the platform cannot check it, so it takes it.
    platform.scenario.set({ scenario: "data-source-down" });
    const unchecked = await platform.instances.saveConfigPage(caller, id, "notifications", { channel: "#alerts" }, ORIGIN);
    expect(unchecked.configValues.channel).toBe("#alerts");
  });
});

describe("labels of saved values", () => {
  it("keeps the app's label of each chosen value, so a form can show it before the options load", async () => {
    const id = await jiraDraft();
    const saved = await platform.instances.saveConfigPage(caller, id, "issues", { projectKey: "SUP", issueType: "Service request" }, ORIGIN);
    expect(saved.optionLabels).toEqual({ projectKey: { SUP: "Customer Support" }, issueType: { "Service request": "Service request" } });
    // Unchanged values keep their labels; a value the app could not be asked about has none.
    platform.scenario.set({ scenario: "data-source-down" });
    const again = await platform.instances.saveConfigPage(caller, id, "issues", { projectKey: "SUP", issueType: "Service request", labels: ["x"] }, ORIGIN);
    expect(again.optionLabels?.projectKey).toEqual({ SUP: "Customer Support" });
    const unchecked = await platform.instances.saveConfigPage(caller, id, "issues", { projectKey: "ENG", issueType: "Bug" }, ORIGIN);
    expect(unchecked.optionLabels).toBeUndefined();
  });
});

describe("S3 data sources never cross customers", () => {
  it("S3 another customer's instance id answers 404, as an unknown one does", async () => {
    const id = await jiraDraft();
    const globex = await platform.access.authenticate(await org.signToken({ customer: "globex", customer_name: "Globex Inc" }, {}, clock.now()));
    const theirs = await failure(platform.dataSources.options(globex, id, "projectKey", {}));
    const unknown = await failure(platform.dataSources.options(globex, "ins_nope", "projectKey", {}));
    expect(theirs).toMatchObject({ code: "NOT_FOUND", status: 404 });
    expect(theirs.message.replace(id, "X")).toBe(unknown.message.replace("ins_nope", "X"));
  });

  it("S3 options come only from the caller's own account: no name of another customer's workspace appears", async () => {
    const acme = await slackDraft();
    const globex = await platform.access.authenticate(await org.signToken({ customer: "globex", customer_name: "Globex Inc" }, {}, clock.now()));
    const theirs = await slackDraft(globex);
    const acmeChannels = (await platform.dataSources.options(caller, acme, "channel", {})).options.map((o) => o.value);
    const globexChannels = (await platform.dataSources.options(globex, theirs, "channel", {})).options.map((o) => o.value);
    expect(acmeChannels).toContain("#acme-corp-internal");
    expect(globexChannels).toContain("#globex-internal");
    expect(globexChannels.filter((c) => c.includes("acme"))).toEqual([]);
    expect(globexChannels.length).toBeLessThan(50);
    expect(JSON.stringify(await platform.dataSources.options(globex, theirs, "channel", { search: "acme" }))).toBe('{"options":[],"truncated":false}');
  });

  it("S3 a grant of another customer cannot be saved, so it can never answer a data source", async () => {
    const acme = await slackDraft();
    const { connectionId } = platform.snapshot().drafts[acme].values.slackConnection as { connectionId: string };
    const grantId = (platform.snapshot().connections[connectionId].credentials as { grantId: string }).grantId;
    const globex = await platform.access.authenticate(await org.signToken({ customer: "globex", customer_name: "Globex Inc" }, {}, clock.now()));
    const { instance } = platform.instances.create(globex, "slack", ORIGIN);
    const refused = await failure(platform.instances.saveConfigPage(globex, instance.id, "connect", { slackConnection: { kind: "oauth2", grantId } }, ORIGIN));
    expect(refused.fields).toEqual({ slackConnection: "This Slack authorization is unknown; connect the account again." });
    // Nor can acme's connection, by its id.
    const byId = await failure(platform.instances.saveConfigPage(globex, instance.id, "connect", { slackConnection: { connectionId } }, ORIGIN));
    expect(byId.fields).toEqual({ slackConnection: "This Slack connection no longer exists; choose another one." });
    expect(await failure(platform.dataSources.options(globex, instance.id, "channel", {}))).toMatchObject({ code: "CONNECTION_REQUIRED" });
  });
});
