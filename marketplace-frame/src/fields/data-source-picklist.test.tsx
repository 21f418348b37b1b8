// @vitest-environment happy-dom
/**
 * Data-source picklists and conditional pages in the frame, against the real mock-platform
 * handlers: the chain of two dependent fields (Jira's project, then its issue types), every state
 * of a picklist (loading, waiting, error with retry, empty, a list longer than one answer searched
 * on the platform), a reconfigure that shows saved values before the options load and keeps them,
 * a saved value the app no longer offers, and a page the rules show with its read-only content.
 */
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { catalogFixture, createHandlers, createPlatform, createTestOrganization, type Platform, type TestOrganization } from "../../../mock-server/index.ts";
import type { IntegrationDefinition } from "../../../contract/catalog.ts";
import { ORIGIN } from "../../test/fake-platform.ts";
import { fakeHost, renderFrame } from "../../test/harness.tsx";

const server = setupServer();
let platform: Platform;
let org: TestOrganization;

/** A Slack integration whose data source lists a collection the workspace does not have: an empty list. */
const archive: IntegrationDefinition = {
  ...catalogFixture.find((i) => i.id === "slack")!,
  id: "slack-archive",
  name: "Slack archive",
  flows: [],
  configPages: [
    catalogFixture.find((i) => i.id === "slack")!.configPages[0]!,
    {
      name: "archive",
      title: "Archive",
      fields: [
        {
          key: "digestChannels",
          type: "picklist",
          label: "Digest channels",
          multiple: true,
          dataSource: { connection: "slackConnection", path: "/conversations", value: "#{{record.name}}", label: "#{{record.name}}", description: "{{record.purpose}}" },
        },
        {
          key: "archivedChannel",
          type: "picklist",
          label: "Archived channel",
          dataSource: { connection: "slackConnection", path: "/conversations-archived", value: "{{record.name}}", label: "{{record.name}}" },
        },
      ],
    },
  ],
};

beforeAll(async () => {
  // A short deadline, so a slow app times out within the test.
  platform = createPlatform({ catalog: [...catalogFixture, archive], dataSourceTimeoutMs: 1000 });
  org = await createTestOrganization({ platform, allowedOrigins: ["http://host.test"] });
  server.use(...createHandlers(platform));
  server.listen({ onUnhandledRequest: "error" });
});
afterEach(() => {
  cleanup();
  platform.scenario.set({ scenario: "none" });
});
afterAll(() => server.close());

let customers = 0;
/** A fresh customer, its token, and a REST helper speaking as it. */
async function customer() {
  const sub = { customer: `ds-customer-${++customers}`, customer_name: `DS Co ${customers}` };
  const token = await org.signToken(sub);
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${ORIGIN}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  return { sub, token, api, host: fakeHost(async () => org.signToken(sub)) };
}

/** Saves an OAuth connection on the draft's first page, as the popup would (the provider allows). */
async function connectOAuth(token: string, instanceId: string, key: string) {
  const caller = await platform.access.authenticate(token);
  const { state } = platform.connections.startOAuth(caller, instanceId, key, ORIGIN);
  const redirect = new URL(platform.connections.oauthDecide(state, true)!);
  const outcome = platform.connections.oauthCallback({ state, code: redirect.searchParams.get("code"), error: null });
  if (!outcome.ok) throw new Error(outcome.message);
  await platform.instances.saveConfigPage(caller, instanceId, "connect", { [key]: { kind: "oauth2", grantId: outcome.grantId } }, ORIGIN);
}

/** A Jira draft with its connection page saved, opened in the wizard on the Issues page. */
async function jiraIssuesPage() {
  const c = await customer();
  const instance = await c.api("POST", "/instances", { integrationId: "jira" });
  await c.api("PUT", `/instances/${instance.id}/config/connect`, { values: { site: "acme.atlassian.net", jiraConnection: { kind: "basic", username: "ada@acme.example", password: "token-1" } } });
  await renderFrame({ host: c.host, token: c.token, init: { screen: { name: "configure", integrationId: "jira" } } });
  await screen.findByText("Step 2 of 2");
  return { ...c, instanceId: instance.id as string };
}

/** A Slack-archive draft with its workspace connected, opened in the wizard on the channels page. */
async function slackArchiveChannelsPage() {
  const c = await customer();
  const instance = await c.api("POST", "/instances", { integrationId: "slack-archive" });
  await connectOAuth(c.token, instance.id, "slackConnection");
  await renderFrame({ host: c.host, token: c.token, init: { screen: { name: "configure", integrationId: "slack-archive" } } });
  await screen.findByText("Step 2 of 2");
  return { ...c, instance };
}

const input = (key: string) => document.getElementById(`em-field-${key}`) as HTMLInputElement;
const fieldOf = (key: string) => document.querySelector(`[data-field="${key}"]`) as HTMLElement;
const settled = (key: string) => waitFor(() => expect(fieldOf(key).querySelector(".em-source")!.getAttribute("aria-busy")).not.toBe("true"));

async function choose(key: string, search: string, option: RegExp) {
  fireEvent.input(input(key), { target: { value: search } });
  fireEvent.click(await within(fieldOf(key)).findByRole("option", { name: option }));
}

describe("data-source picklists", () => {
  it("chains Jira's issue types to the chosen project: a choice the new project lacks is cleared, and the user is told", async () => {
    await jiraIssuesPage();
    // The defaults show by the names Jira gives them.
    await waitFor(() => expect(input("projectKey").value).toBe("Operations"));
    await waitFor(() => expect(input("issueType").value).toBe("Task"));
    await settled("issueType");
    await choose("issueType", "bu", /^Bug/);
    expect(input("issueType").value).toBe("Bug");

    // Customer Support is a service desk: no Bug there.
    await choose("projectKey", "support", /^Customer Support/);
    expect(await within(fieldOf("issueType")).findByText(/“Bug” isn't available in Jira for your new choice, so it was cleared/)).toBeTruthy();
    expect(input("issueType").value).toBe("");
    fireEvent.input(input("issueType"), { target: { value: "" } });
    fireEvent.keyDown(input("issueType"), { key: "ArrowDown" });
    const listbox = await within(fieldOf("issueType")).findByRole("listbox");
    expect(within(listbox).getAllByRole("option").map((o) => o.textContent)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Incident/), expect.stringMatching(/^Service request/)]),
    );
    expect(within(listbox).queryByRole("option", { name: /^Bug/ })).toBeNull();

    // Saving without an issue type is refused before any request; choosing one deploys.
    fireEvent.click(screen.getByRole("button", { name: "Save and deploy" }));
    await within(fieldOf("issueType")).findByText("This field is required.");
    fireEvent.click(within(listbox).getByRole("option", { name: /^Incident/ }));
    fireEvent.click(screen.getByRole("button", { name: "Save and deploy" }));
    await screen.findByText("Active");
  });

  it("the app down or answering garbage: a typed error with a retry, and what the user typed is kept", async () => {
    platform.scenario.set({ scenario: "data-source-down" });
    await jiraIssuesPage();
    const labels = fieldOf("labels").querySelector("input")!;
    fireEvent.input(labels, { target: { value: "typed-before-the-failure" } });
    const alert = await within(fieldOf("projectKey")).findByRole("alert");
    expect(alert.textContent).toMatch(/Jira didn't answer properly, so the options couldn't be loaded. Your choice is kept./);
    // The saved default still reads by its value while the options cannot load.
    expect(input("projectKey").value).toBe("OPS");

    platform.scenario.set({ scenario: "data-source-garbage" });
    fireEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(within(fieldOf("projectKey")).getByRole("alert").textContent).toMatch(/didn't answer properly/));

    platform.scenario.set({ scenario: "none" });
    fireEvent.click(within(fieldOf("projectKey")).getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(input("projectKey").value).toBe("Operations"));
    expect(within(fieldOf("projectKey")).queryByRole("alert")).toBeNull();
    expect(labels.value).toBe("typed-before-the-failure");
  });

  it("a slow app shows the loading state, then the options; one slower than the deadline is a timeout with a retry", async () => {
    platform.scenario.set({ scenario: "data-source-slow", latencyMs: 300 });
    await jiraIssuesPage();
    expect(await within(fieldOf("projectKey")).findByText("Loading from Jira…")).toBeTruthy();
    await waitFor(() => expect(input("projectKey").value).toBe("Operations"));
    await settled("projectKey");

    platform.scenario.set({ scenario: "data-source-slow", latencyMs: 5000 });
    fireEvent.click(within(fieldOf("projectKey")).getByRole("button", { name: "Reload options" }));
    const alert = await within(fieldOf("projectKey")).findByRole("alert");
    expect(alert.textContent).toMatch(/Jira took too long to answer. Your choice is kept./);
    expect(input("projectKey").value).toBe("Operations");
  });

  it("thousands of options: the first thousand, a note, and a search that asks the platform", async () => {
    platform.scenario.set({ scenario: "data-source-huge" });
    await jiraIssuesPage();
    expect(await within(fieldOf("projectKey")).findByText(/Jira has more options than are listed: type to search them all./)).toBeTruthy();
    // BULK04999 is past the first thousand: only the platform's search finds it.
    fireEvent.input(input("projectKey"), { target: { value: "bulk-04999" } });
    fireEvent.click(await within(fieldOf("projectKey")).findByRole("option", { name: /^bulk-04999/ }));
    expect(input("projectKey").value).toBe("bulk-04999");
  });

  it("a source with nothing to offer says so", async () => {
    await slackArchiveChannelsPage();
    await settled("archivedChannel");
    fireEvent.keyDown(input("archivedChannel"), { key: "ArrowDown" });
    expect(await within(fieldOf("archivedChannel")).findByText("Slack has nothing to choose from here yet.")).toBeTruthy();
  });
});

describe("several choices from a data source", () => {
  it("each choice shows as a chip with a remove button; a chosen one leaves the list; the platform saves them all", async () => {
    const { instance, ...c } = await slackArchiveChannelsPage();
    await settled("digestChannels");
    await choose("digestChannels", "deploys", /^#deploys/);
    await choose("digestChannels", "incidents", /^#incidents/);
    const chips = within(fieldOf("digestChannels")).getByRole("list");
    expect(within(chips).getAllByRole("listitem").map((li) => li.firstChild!.textContent)).toEqual(["#deploys", "#incidents"]);
    fireEvent.input(input("digestChannels"), { target: { value: "deploys" } });
    expect(within(fieldOf("digestChannels")).queryByRole("option", { name: /^#deploys/ })).toBeNull();
    fireEvent.keyDown(input("digestChannels"), { key: "Escape" });
    fireEvent.click(within(chips).getByRole("button", { name: "Remove #deploys" }));
    await waitFor(() => expect(within(chips).getAllByRole("listitem")).toHaveLength(1));
    fireEvent.click(screen.getByRole("button", { name: "Save and deploy" }));
    await screen.findByText("Active");
    const saved = await c.api("GET", `/instances/${instance.id}`);
    expect(saved.configValues.digestChannels).toEqual(["#incidents"]);
    expect(saved.optionLabels.digestChannels).toEqual({ "#incidents": "#incidents" });
  });
});

describe("reconfigure with saved data-source values", () => {
  it("shows the saved values by their names before the options load, keeps them on save, and marks one the app no longer offers", async () => {
    const c = await customer();
    const instance = await c.api("POST", "/instances", { integrationId: "google-sheets" });
    await connectOAuth(c.token, instance.id, "googleConnection");
    const events = "1f9XoP0yN2qv8sL7aKc3mT6wEe5rU4iJ0hGdBzQxYwVu";
    await c.api("PUT", `/instances/${instance.id}/config/sheet`, { values: { spreadsheetId: events, sheetName: "2026" } });
    await fetch(`${ORIGIN}/api/v1/instances/${instance.id}/deploy`, { method: "POST", headers: { Authorization: `Bearer ${c.token}`, "Idempotency-Key": "ds-deploy-1" } });
    // A worksheet saved while Google could not be asked (the save is not blocked), which it does not have.
    platform.scenario.set({ scenario: "data-source-down" });
    await c.api("PUT", `/instances/${instance.id}/config/sheet`, { values: { spreadsheetId: events, sheetName: "Q3 (deleted)" } });
    platform.scenario.set({ scenario: "data-source-slow", latencyMs: 600 });

    const bodies: string[] = [];
    const listener = ({ request }: { request: Request }) => {
      if (request.method === "PUT") void request.clone().text().then((t) => bodies.push(t));
    };
    server.events.on("request:start", listener);
    try {
      await renderFrame({ host: c.host, token: c.token, init: { screen: { name: "reconfigure", instanceId: instance.id } } });
      await screen.findByText("Step 1 of 2");
      fireEvent.click(screen.getByRole("button", { name: "Next" }));
      await screen.findByText("Step 2 of 2");
      // Before the options arrive: the spreadsheet by the name Google gave it when it was chosen.
      expect(within(fieldOf("spreadsheetId")).getByText("Loading from Google Sheets…")).toBeTruthy();
      expect(input("spreadsheetId").value).toBe("Events log");
      expect(input("sheetName").value).toBe("Q3 (deleted)");
      // Once they load, the worksheet Google no longer has is kept and said to be gone.
      expect(await within(fieldOf("sheetName")).findByText(/“Q3 \(deleted\)” is no longer available in Google Sheets. It stays saved until you choose another./)).toBeTruthy();
      expect(input("sheetName").value).toBe("Q3 (deleted)");
      platform.scenario.set({ scenario: "none" });
      fireEvent.click(screen.getByRole("button", { name: "Save and deploy" }));
      await screen.findByText("Active");
      const sheetSave = bodies.map((b) => JSON.parse(b)).find((b) => b.values?.spreadsheetId);
      expect(sheetSave.values).toMatchObject({ spreadsheetId: events, sheetName: "Q3 (deleted)" });
    } finally {
      server.events.removeListener("request:start", listener);
    }
  });
});

describe("conditional pages and page content", () => {
  it("Zendesk's Ticket updates page shows only when updates are sent back, with its helper text, image, webhook URL and generated key", async () => {
    const c = await customer();
    await renderFrame({ host: c.host, token: c.token, init: { screen: { name: "configure", integrationId: "zendesk" } } });
    await screen.findByText("Step 1 of 2");
    fireEvent.input(input("zendeskKey"), { target: { value: "zd-token-1" } });
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    await screen.findByText("Step 2 of 2");

    // The template editor is locked while the standard template is used.
    fireEvent.click(input("useDefaultTemplate"));
    await within(fieldOf("template")).findByText("Locked");
    fireEvent.click(input("useDefaultTemplate"));
    await waitFor(() => expect(within(fieldOf("template")).queryByText("Locked")).toBeNull());

    fireEvent.click(input("syncBack"));
    await screen.findByText("Step 2 of 3");
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    await screen.findByText("Step 3 of 3");
    expect(screen.getByRole("heading", { name: "Ticket updates" })).toBeTruthy();
    expect(screen.getByText(/Admin Center → Apps and integrations → Webhooks/)).toBeTruthy();
    const image = screen.getByRole("img", { name: /The Zendesk webhook form/ }) as HTMLImageElement;
    expect(image.getAttribute("src")).toBe("/api/v1/integrations/zendesk/assets/zendesk-webhook.svg");
    expect((screen.getByLabelText("Endpoint URL") as HTMLInputElement).value).toMatch(new RegExp(`^${ORIGIN}/api/v1/webhooks/`));
    expect((screen.getByLabelText("Bearer token") as HTMLInputElement).value).toMatch(/^emk_/);
    expect(screen.getAllByRole("button", { name: "Copy" })).toHaveLength(2);

    // Back, and the page goes away with the choice: the wizard deploys from page 2.
    fireEvent.click(screen.getByRole("button", { name: "Back" }));
    await screen.findByText("Step 2 of 3");
    fireEvent.click(input("syncBack"));
    await screen.findByText("Step 2 of 2");
    expect(screen.getByRole("button", { name: "Save and deploy" })).toBeTruthy();
  });

  it("a definition whose rule names an unknown field is refused with the integration and its vendor named, and no draft is made", async () => {
    const c = await customer();
    const detail = await c.api("GET", "/integrations/zendesk");
    detail.configPages[1].fields.find((f: { key: string }) => f.key === "tags").visibleWhen = { field: "ghost", equals: true };
    server.use(http.get(`${ORIGIN}/api/v1/integrations/zendesk`, () => HttpResponse.json(detail)));
    onTestFinished(() => server.resetHandlers(...createHandlers(platform)));
    await renderFrame({ host: c.host, token: c.token, init: { screen: { name: "configure", integrationId: "zendesk" } } });
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("Zendesk can't be set up right now: its setup pages have an error. Please contact Zendesk.")).toBeTruthy();
    expect(within(alert).getByText(/configPages\.tickets\.tags\.visibleWhen: refers to the unknown field "ghost"/)).toBeTruthy();
    expect(within(alert).queryByRole("button", { name: "Try again" })).toBeNull();
    expect((await c.api("GET", "/instances")).instances).toEqual([]);
  });
});
