// @vitest-environment happy-dom
/**
 * Upgrade faults as the customer meets them (issue 15), the frame on the real platform handlers
 * with a manual clock whose sleeps the test can hold (a deploy kept in flight by a slow app for
 * as long as the test needs, without real waiting): an update asked
 * for while a deploy of the same instance runs; another tab that moves the instance to version 2
 * under a wizard still on version 1; a carried value the new version refuses. Each ends with a
 * clear, localized message, nothing half-applied, and the instance still running what it ran.
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHandlers, createManualClock, createPlatform, createTestOrganization, type ManualClock, type Platform, type TestOrganization } from "../../mock-server/index.ts";
import { catalogUpdatesFixture, type Caller } from "../../mock-server/index.ts";
import { ORIGIN } from "../test/fake-platform.ts";
import { fakeHost, renderFrame, setupFrameServer } from "../test/harness.tsx";

const server = setupFrameServer();
const SUB = { customer: "customer-upgrades", customer_name: "Upgrades Co" };

let clock: ManualClock;
/** While set, the platform's sleeps (a slow app's latency) wait for it. */
let hold: Promise<void> | undefined;
let platform: Platform;
let org: TestOrganization;
let caller: Caller;

beforeEach(async () => {
  const manual = createManualClock(Date.now());
  clock = { ...manual, sleep: async (ms) => void (await hold, manual.advance(ms)) };
  platform = createPlatform({ clock });
  org = await createTestOrganization({ platform, allowedOrigins: ["http://host.test"], clock });
  server.use(...createHandlers(platform));
  caller = await platform.access.authenticate(await org.signToken(SUB));
});
afterEach(async () => {
  await platform.idle();
  platform.dispose();
});

async function deployJira(issueType: string) {
  const { instance } = platform.instances.create(caller, "jira", ORIGIN);
  await platform.instances.saveConfigPage(caller, instance.id, "connect", { site: "acme.atlassian.net", jiraConnection: { kind: "basic", username: "ada@acme.example", password: "token-9876" } }, ORIGIN);
  await platform.instances.saveConfigPage(caller, instance.id, "issues", { projectKey: "OPS", issueType }, ORIGIN);
  return (await platform.instances.deploy(caller, instance.id, { origin: ORIGIN })).body.instance;
}

async function publishJira2() {
  const record = platform.snapshot().organizations[org.id];
  await platform.orgAdmin.publish(record, "jira", structuredClone(catalogUpdatesFixture.find((d) => d.id === "jira")!), { fingerprint: "publish jira 2" });
}

const open = async (screenInit: { name: "instance" | "reconfigure"; instanceId: string }) =>
  renderFrame({ host: fakeHost(async () => org.signToken(SUB)), token: await org.signToken(SUB), init: { screen: screenInit } });

describe("upgrade faults", () => {
  it("an update asked for while a deploy of the same instance is in flight: a clear message, nothing started; once it has finished, the update starts", async () => {
    const jira = await deployJira("Bug");
    await publishJira2();
    await open({ name: "instance", instanceId: jira.id });
    const update = await screen.findByRole("button", { name: "Update to version 2" });

    // Another tab re-deploys version 1; the app is slow, so that deploy is still running.
    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    platform.apps.latency.set("Jira", 5_000);
    const redeploy = platform.instances.deploy(caller, jira.id, { origin: ORIGIN });
    await waitFor(() => expect(platform.snapshot().instances[jira.id].status).toBe("deploying"));
    fireEvent.click(update);
    expect(await screen.findByText("This instance is being deployed. Try the update again in a moment.")).toBeTruthy();
    expect(platform.snapshot().drafts[jira.id]?.upgrade).toBeUndefined();
    expect(screen.getByRole("heading", { level: 2, name: "Version 2 is available" })).toBeTruthy();

    release();
    hold = undefined;
    await redeploy;
    fireEvent.click(screen.getByRole("button", { name: "Update to version 2" }));
    await screen.findByRole("heading", { level: 1, name: "Update Jira to version 2" });
    expect(platform.snapshot().drafts[jira.id].upgrade?.toVersion).toBe(2);
  });

  it("two tabs: the second joins the upgrade the first started; a wizard still on version 1 gets VERSION_CONFLICT, nothing it sent is saved, and Reload opens the upgrade", async () => {
    const jira = await deployJira("Bug");
    await publishJira2();
    // This tab reconfigures version 1 (opened before the other tab started the upgrade).
    await open({ name: "reconfigure", instanceId: jira.id });
    await screen.findByText("Step 1 of 2");
    fireEvent.input(await screen.findByLabelText(/^Jira site/), { target: { value: "other.atlassian.net" } });

    // The other tab starts the update; asked again (a third tab), it joins the same one.
    expect(platform.instances.startUpgrade(caller, jira.id, undefined, ORIGIN).started).toBe(true);
    expect(platform.instances.startUpgrade(caller, jira.id, undefined, ORIGIN).started).toBe(false);

    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("This setup changed in another window (or your organization updated it).");
    // Nothing of this tab reached the platform: version 1 runs, the upgrade carries the old site.
    expect(platform.instances.get(caller, jira.id, ORIGIN)).toMatchObject({ integrationVersion: 1, configValues: expect.objectContaining({ site: "acme.atlassian.net" }) });
    expect(platform.snapshot().drafts[jira.id].upgrade!.values.site).toBe("acme.atlassian.net");
    // What the user typed is still on screen until they choose to reload.
    expect((screen.getByLabelText(/^Jira site/) as HTMLInputElement).value).toBe("other.atlassian.net");

    fireEvent.click(within(alert).getByRole("button", { name: "Reload" }));
    await screen.findByRole("heading", { level: 1, name: "Update Jira to version 2" });
  });

  it("a renamed value the new version refuses is a field error on its field; the instance keeps running version 1 until the customer fixes it and deploys", async () => {
    const jira = await deployJira("Story");
    await publishJira2();
    await open({ name: "instance", instanceId: jira.id });
    expect(await screen.findByText("This instance runs version 1. Updating asks you for a few settings; the rest carries over.")).toBeTruthy();
    fireEvent.click(await screen.findByRole("button", { name: "Update to version 2" }));
    await screen.findByRole("heading", { level: 1, name: "Update Jira to version 2" });

    // Story was an issue type; Jira 2's work types have no Story: the field says so, the wizard stays.
    const field = await waitFor(() => document.querySelector('[data-field="workType"]') as HTMLElement);
    await waitFor(() => expect(field.querySelector(".em-field-error")?.textContent).toMatch(/Story/));
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    await waitFor(() => expect(document.activeElement?.id).toBe("em-field-workType"));
    expect(platform.instances.get(caller, jira.id, ORIGIN)).toMatchObject({ status: "deployed", integrationVersion: 1 });

    fireEvent.change(screen.getByLabelText(/^Work type/), { target: { value: "Feature" } });
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    await screen.findByRole("heading", { level: 2, name: "Review the update" });
    fireEvent.click(screen.getByRole("button", { name: "Deploy version 2" }));
    expect(await screen.findByText("Jira now runs version 2")).toBeTruthy();
    expect(platform.instances.get(caller, jira.id, ORIGIN)).toMatchObject({ integrationVersion: 2, configValues: expect.objectContaining({ workType: "Feature", priority: "Medium" }) });
  });
});
