/**
 * Several instances of one integration and instance upgrades as a customer uses them (issue 15),
 * in real Chromium with the host on localhost and the frame + platform on 127.0.0.1: two Slack
 * workspaces side by side, each named and reachable; then Slack 2 published by the organization
 * (a renamed channel field, a new required digest channel, a changed alert flow), an upgrade
 * canceled (version 1 keeps running, untouched) and one deployed (the new flows run, only then).
 */
import { describe, expect, it } from "vitest";
import type { FrameLocator, Page } from "playwright-core";
import { DEMO_ORG_API_KEY } from "../mock-server/index.ts";
import { catalogUpdatesFixture } from "../mock-server/index.ts";
import { connectThroughPopup, demoToken, hostEvents } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";

const { stack, browser } = useStackAndBrowser();

type Customer = "acme-corp" | "globex";

async function openHost(customer: Customer): Promise<{ page: Page; frame: FrameLocator }> {
  const page = await browser.context.newPage();
  await page.goto(`${stack.hostUrl}/?customer=${customer}`);
  const frame = page.frameLocator("#marketplace iframe");
  await frame.getByRole("searchbox").waitFor();
  return { page, frame };
}

/** From the marketplace list: Slack's card, then its detail page. */
async function openSlack(frame: FrameLocator) {
  await frame.getByRole("searchbox").fill("Slack");
  await frame.getByRole("button", { name: /^Slack/ }).first().click();
  await frame.getByRole("heading", { level: 1, name: "Slack" }).waitFor();
}

/** The wizard of a new Slack instance, from its detail page's primary action: named, connected, on `channel`, deployed. */
async function deploySlack(page: Page, frame: FrameLocator, action: "Activate" | "Add another", name: string, channel: string) {
  await frame.getByRole("button", { name: action }).click();
  await frame.getByText("Step 1 of 2").waitFor();
  await frame.getByLabel(/^Name/).fill(name);
  await connectThroughPopup(page, frame, "Slack");
  await frame.getByRole("button", { name: "Next" }).click();
  await frame.getByText("Step 2 of 2").waitFor();
  const picker = frame.getByRole("combobox", { name: /^Channel/ });
  await expect.poll(() => picker.inputValue()).toBe("#general");
  await picker.fill(channel.slice(1));
  await frame.getByRole("option", { name: new RegExp(`^${channel}`) }).click();
  await frame.getByRole("button", { name: "Save and deploy" }).click();
  await frame.getByRole("heading", { level: 1, name }).waitFor();
}

/** The customer's REST API with a token from the host app, as its backend would give one. */
async function customerApi(page: Page, customer: Customer) {
  const token = await demoToken(page, stack.hostUrl, customer);
  return async <T = Record<string, any>>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${stack.platformUrl}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as T;
    expect(res.ok, JSON.stringify(json)).toBe(true);
    return json;
  };
}

interface InstanceView {
  id: string;
  name: string;
  integrationVersion: number;
  configValues: Record<string, unknown>;
  upgrade?: unknown;
  flows: { id: string; webhookUrl?: string }[];
}

/** Posts an alert to the instance's webhook and answers what the flow sent Slack (channel and text). */
async function alertSent(api: Awaited<ReturnType<typeof customerApi>>, instance: InstanceView, message: string) {
  const url = new URL(instance.flows.find((f) => f.id === "post-alert")!.webhookUrl!);
  const res = await fetch(`${stack.platformUrl}${url.pathname}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ message }) });
  const { executionId, status } = (await res.json()) as { executionId: string; status: string };
  expect(status).toBe("succeeded");
  const run = await api<{ stepResults: Record<string, { result: { request: { body: { channel: string; text: string } } } }> }>("GET", `/instances/${instance.id}/executions/${executionId}`);
  return run.stepResults["post-message"].result.request.body;
}

describe("several instances of one integration", () => {
  it("two Slack workspaces, each named, both listed with their status and reachable from the marketplace", async () => {
    const { page, frame } = await openHost("acme-corp");
    const deployedIds: unknown[] = [];
    const lastDeployed = async () => (await hostEvents(page)).filter((e) => e.name === "instance-deployed").map((e) => e.payload.instanceId);
    await openSlack(frame);
    await deploySlack(page, frame, "Activate", "Engineering", "#alerts");
    await expect.poll(lastDeployed).toHaveLength(1);
    deployedIds.push(...(await lastDeployed()));
    await page.reload();
    await frame.getByRole("searchbox").waitFor();
    await openSlack(frame);
    await deploySlack(page, frame, "Add another", "Sales floor", "#random");
    await expect.poll(lastDeployed).toHaveLength(1);
    deployedIds.push(...(await lastDeployed()));

    // The card counts both; the detail page lists both by name; each opens its own instance.
    await page.reload();
    await frame.getByRole("searchbox").fill("Slack");
    await frame.getByRole("button", { name: /^Slack/ }).first().getByText("2 active").waitFor();
    await frame.getByRole("button", { name: /^Slack/ }).first().click();
    const list = frame.getByRole("region", { name: "Your instances" });
    await expect.poll(async () => (await list.getByRole("listitem").allTextContents()).sort()).toEqual([
      expect.stringMatching(/^EngineeringVersion 1/),
      expect.stringMatching(/^Sales floorVersion 1/),
    ]);
    for (const name of ["Engineering", "Sales floor"]) {
      await list.getByRole("button", { name: new RegExp(`^${name}`) }).click();
      await frame.getByRole("heading", { level: 1, name }).waitFor();
      await frame.getByRole("button", { name: "Back" }).click();
      await list.waitFor();
    }
    // Each deploy event named its own instance, and the platform has both, each with its channel.
    const api = await customerApi(page, "acme-corp");
    const { instances } = await api<{ instances: InstanceView[] }>("GET", "/instances?integration=slack");
    expect(instances.map((i) => [i.name, i.configValues.channel]).sort()).toEqual([["Engineering", "#alerts"], ["Sales floor", "#random"]]);
    expect(deployedIds.sort()).toEqual(instances.map((i) => i.id).sort());
    await page.close();
  });
});

/** The organization publishes Slack 2 (catalog-updates.ts) through the org API. */
async function publishSlack2() {
  const res = await fetch(`${stack.platformUrl}/api/v1/org/integrations/slack/versions`, {
    method: "POST",
    headers: { Authorization: `Bearer ${DEMO_ORG_API_KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify(catalogUpdatesFixture.find((d) => d.id === "slack")),
  });
  expect(res.status).toBe(201);
}

describe("upgrading an instance", () => {
  it("v1 → v2 with a rename and a new required field: cancel keeps v1 running untouched; deploy switches the flows, and only then", async () => {
    const { page, frame } = await openHost("globex");
    await openSlack(frame);
    await deploySlack(page, frame, "Activate", "Ops alerts", "#alerts");
    const api = await customerApi(page, "globex");
    const current = async () => (await api<{ instances: InstanceView[] }>("GET", "/instances?integration=slack")).instances.find((i) => i.name === "Ops alerts")!;
    const v1 = await current();
    expect(await alertSent(api, v1, "disk full")).toEqual({ channel: "#alerts", text: "disk full" });

    await publishSlack2();
    await page.reload();
    await frame.getByRole("searchbox").fill("Slack");
    await frame.getByRole("button", { name: /^Slack/ }).first().getByText("Update available").waitFor();
    await frame.getByRole("button", { name: /^Slack/ }).first().click();
    await frame.getByRole("region", { name: "Your instances" }).getByRole("button", { name: /^Ops alerts/ }).click();
    await frame.getByRole("heading", { level: 2, name: "Version 2 is available" }).waitFor();
    await frame.getByText("This instance runs version 1. Updating asks you for a few settings; the rest carries over.").waitFor();
    await expect.poll(async () => (await hostEvents(page)).filter((e) => e.name === "instance-update-available").map((e) => e.payload.instanceId)).toContain(v1.id);

    // The update asks only for what is new: the notifications page, the renamed channel carried over.
    await frame.getByRole("button", { name: "Update to version 2" }).click();
    await frame.getByRole("heading", { level: 1, name: "Update Ops alerts to version 2" }).waitFor();
    await expect.poll(() => frame.getByRole("combobox", { name: /^Alerts channel/ }).inputValue()).toBe("#alerts");
    await expect.poll(() => frame.getByRole("combobox", { name: /^Digest channel/ }).inputValue()).toBe("");
    await frame.getByRole("button", { name: "Cancel update" }).click();
    await frame.getByText("Update canceled. Ops alerts keeps running version 1.").waitFor();
    const canceled = await current();
    expect(canceled).toMatchObject({ integrationVersion: 1, configValues: v1.configValues });
    expect(canceled.upgrade).toBeUndefined();
    expect(await alertSent(api, canceled, "still v1")).toEqual({ channel: "#alerts", text: "still v1" });

    // Again, to the end: the new field filled in, the review says what changes; v1 runs until Deploy.
    await frame.getByRole("button", { name: "Update to version 2" }).click();
    const digest = frame.getByRole("combobox", { name: /^Digest channel/ });
    await digest.fill("random");
    await frame.getByRole("option", { name: /^#random/ }).click();
    await frame.getByRole("button", { name: "Next" }).click();
    const review = frame.getByRole("region", { name: "Review the update" });
    await review.waitFor();
    // Renamed and dropped fields are named as version 1 named them.
    await expect.poll(() => review.locator(".em-review-row").allTextContents()).toEqual([
      expect.stringMatching(/^NewDigest channel/),
      "Renamed, value keptChannel → Alerts channel",
      expect.stringMatching(/^Kept as they were/),
      "No longer usedMention @channel on alerts",
    ]);
    const configuring = await current();
    expect(configuring.integrationVersion).toBe(1);
    expect(await alertSent(api, configuring, "not yet")).toEqual({ channel: "#alerts", text: "not yet" });

    await frame.getByRole("button", { name: "Deploy version 2" }).click();
    await frame.getByText("Ops alerts now runs version 2").waitFor();
    await expect.poll(async () => (await hostEvents(page)).filter((e) => e.name === "instance-upgraded").map((e) => e.payload)).toEqual([
      expect.objectContaining({ instanceId: v1.id, integrationId: "slack" }),
    ]);
    const v2 = await current();
    expect(v2).toMatchObject({ integrationVersion: 2, configValues: { alertChannel: "#alerts", digestChannel: "#random" } });
    expect(v2.configValues).not.toHaveProperty("channel");
    expect(await alertSent(api, v2, "disk full")).toEqual({ channel: "#alerts", text: ":rotating_light: disk full" });
    await page.close();
  });
});

describe("an update in German and French", () => {
  it("the upgrade wizard and its review speak the host's language, the catalog's new and old field names included", async () => {
    // acme-corp's two Slack instances (the first test) run version 1; Slack 2 is published (the second).
    const { page, frame } = await openHost("acme-corp");
    await page.getByText("Theme editor").click(); // the demo page's language switch lives there
    await page.getByLabel("Language").selectOption("de");
    await frame.getByRole("searchbox", { name: "Integrationen durchsuchen" }).fill("Slack");
    await frame.getByRole("button", { name: /^Slack/ }).first().getByText("Update verfügbar").waitFor();
    await frame.getByRole("button", { name: /^Slack/ }).first().click();
    await frame.getByRole("region", { name: "Ihre Instanzen" }).getByRole("button", { name: /^Engineering/ }).click();
    await frame.getByRole("button", { name: "Auf Version 2 aktualisieren" }).click();
    await frame.getByRole("heading", { level: 1, name: "Engineering auf Version 2 aktualisieren" }).waitFor();
    await expect.poll(() => frame.getByRole("combobox", { name: /^Alarmkanal/ }).inputValue()).toBe("#alerts");
    const digest = frame.getByRole("combobox", { name: /^Kanal für die Zusammenfassung/ });
    await digest.fill("random");
    await frame.getByRole("option", { name: /^#random/ }).click();
    await frame.getByRole("button", { name: "Weiter" }).click();
    const rows = frame.getByRole("region", { name: "Aktualisierung prüfen" }).locator(".em-review-row");
    await expect.poll(() => rows.allTextContents()).toEqual([
      "NeuKanal für die Zusammenfassung",
      "Umbenannt, Wert übernommenKanal → Alarmkanal",
      expect.stringMatching(/^Unverändert übernommen/),
      "Nicht mehr verwendetBei Alarmen @channel erwähnen",
    ]);

    // Switched live, the same review re-words itself; nothing is lost.
    await page.getByLabel("Language").selectOption("fr");
    await expect.poll(() => frame.getByRole("region", { name: "Vérifier la mise à jour" }).locator(".em-review-row").allTextContents()).toEqual([
      "NouveauCanal du récapitulatif",
      "Renommé, valeur conservéeCanal → Canal des alertes",
      expect.stringMatching(/^Conservé/),
      "Plus utiliséMentionner @channel dans les alertes",
    ]);
    await frame.getByRole("button", { name: "Annuler la mise à jour" }).click();
    await frame.getByText("Mise à jour annulée. Engineering reste en version 1.").waitFor();
    // Every catalog key the demo passes is one the frame accepts: no UNKNOWN_PHRASE warning.
    expect((await hostEvents(page)).filter((e) => e.name === "warning")).toEqual([]);
    await page.close();
  });
});
