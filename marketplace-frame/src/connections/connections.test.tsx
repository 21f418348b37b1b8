// @vitest-environment happy-dom
/**
 * The Connections screen against the real mock-platform handlers: loading skeleton, then the
 * connections grouped by app with health and the instances using each; the empty state; a failed
 * load with Retry; a connection in use refused with the platform's words (nothing deleted); an
 * unused one deleted after the confirm; rename with the typed name kept on a refusal; a revoked
 * key reconnected with the key form; a provided connection with nothing to change; a viewer sees
 * everything and can change nothing (and the platform refuses them).
 */
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHandlers, createPlatform, createTestOrganization, type Platform, type TestOrganization } from "../../../mock-server/index.ts";
import { fakeHost, renderFrame } from "../../test/harness.tsx";
import { ORIGIN } from "../../test/fake-platform.ts";

const server = setupServer();
let platform: Platform;
let org: TestOrganization;
let customers = 0;
let handlers: ReturnType<typeof createHandlers>;
const P = "http://platform.test";

beforeAll(async () => {
  platform = createPlatform();
  org = await createTestOrganization({ platform, allowedOrigins: ["http://host.test"] });
  handlers = createHandlers(platform);
  server.resetHandlers(...handlers);
  server.listen({ onUnhandledRequest: "error" });
});
afterEach(() => {
  cleanup();
  server.resetHandlers(...handlers);
});
afterAll(() => server.close());

/** A customer; `seed` makes their connections (as that customer, or as the organization). */
async function customer(seed: "none" | "full" = "full") {
  const sub = { customer: `conn-frame-${++customers}`, customer_name: "Conn Co" };
  const caller = await platform.access.authenticate(await org.signToken(sub));
  let jira;
  if (seed === "full") {
    jira = platform.connections.create(caller, { app: "Jira", name: "Ops Jira", credentials: { kind: "basic", username: "ops@conn.example", password: "token-1" } });
    platform.connections.create(caller, { app: "Zendesk", name: "Helpdesk key", credentials: { kind: "api-key", apiKey: "zd_live_1234" } });
    for (const name of ["Ops board", "Support desk"]) {
      const { instance } = platform.instances.create(caller, "jira", P);
      await platform.instances.saveConfigPage(caller, instance.id, "connect", { site: "conn.atlassian.net", jiraConnection: { connectionId: jira.id } }, P);
      await platform.instances.saveConfigPage(caller, instance.id, "issues", { projectKey: "OPS", issueType: "Bug" }, P);
      await platform.instances.deploy(caller, instance.id, { origin: P });
      platform.instances.rename(caller, instance.id, name, P);
    }
    platform.connections.orgCreate(caller.organization, caller.customer.id, { app: "Stripe", name: "Billing", credentials: { kind: "api-key", apiKey: "sk_live_provided_9F2Q" } });
  }
  return { sub, caller, jira };
}

async function open(sub: { customer: string; customer_name: string }, role: "admin" | "viewer" = "admin") {
  const token = await org.signToken({ ...sub, role });
  const host = fakeHost(async () => org.signToken({ ...sub, role }));
  return renderFrame({ host, token, init: { screen: { name: "connections" } } });
}

/** Runs `test` while the mock apps refuse what `app` issued so far (the connections-revoked rehearsal). */
async function revoked(app: string, test: () => Promise<void>) {
  platform.scenario.set({ scenario: "connections-revoked", app });
  try {
    await test();
  } finally {
    platform.scenario.set({ scenario: "none" });
  }
}

const row = (name: string) => screen.getByText(name, { selector: ".em-flow-name" }).closest("li")!;

describe("Connections screen", () => {
  it("shows a skeleton, then connections by app with health, kind and the instances using each; the host hears ready", async () => {
    const { sub } = await customer();
    const { host } = await open(sub);
    expect(document.querySelector('[role="status"][aria-busy="true"] .em-skeleton')).toBeTruthy();
    await screen.findByText("Ops Jira");
    expect(screen.getAllByRole("heading", { level: 2 }).map((h) => h.textContent)).toEqual(["Jira1 connection", "Stripe1 connection", "Zendesk1 connection"]);
    const jira = row("Ops Jira");
    expect(within(jira).getByText("Active")).toBeTruthy();
    expect(within(jira).getByText("Username and password")).toBeTruthy();
    expect(within(jira).getByText("Signed in as ops@conn.example")).toBeTruthy();
    expect(within(jira).getByRole("button", { name: "Ops board" })).toBeTruthy();
    expect(within(jira).getByRole("button", { name: "Support desk" })).toBeTruthy();
    await waitFor(() => expect(host.of("ready")).toEqual([{ type: "ready", payload: { screen: "connections" } }]));
    // A used-by link opens the instance page; its Back comes here.
    fireEvent.click(within(jira).getByRole("button", { name: "Ops board" }));
    await screen.findByRole("heading", { level: 1, name: "Ops board" });
    fireEvent.click(screen.getByRole("button", { name: /Back/ }));
    await screen.findByRole("heading", { level: 1, name: "Connections" });
  });

  it("a provided connection says who provides it, with nothing to change and no secret", async () => {
    const { sub } = await customer();
    const { view } = await open(sub);
    await screen.findByText("Billing");
    const billing = row("Billing");
    expect(within(billing).getAllByText(/^Provided by /).length).toBeGreaterThan(0);
    expect(within(billing).queryAllByRole("button")).toEqual([]);
    expect(view.container.innerHTML).not.toContain("9F2Q");
  });

  it("delete: a connection in use is refused with the platform's words naming the instances, and nothing is deleted", async () => {
    const { sub, caller, jira } = await customer();
    await open(sub);
    await screen.findByText("Ops Jira");
    fireEvent.click(await within(row("Ops Jira")).findByRole("button", { name: "Delete" }));
    const dialog = screen.getByRole("alertdialog");
    expect(document.activeElement).toBe(within(dialog).getByRole("button", { name: "Cancel" }));
    fireEvent.click(within(dialog).getByRole("button", { name: "Delete connection" }));
    const refusal = await within(dialog).findByRole("alert");
    expect(refusal.textContent).toMatch(/"Ops board".*"Support desk"|"Support desk".*"Ops board"/);
    expect(platform.connections.get(caller, jira!.id).id).toBe(jira!.id);
    // Esc closes the dialog; focus goes back to Delete.
    fireEvent.keyDown(dialog, { key: "Escape" });
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(document.activeElement).toBe(within(row("Ops Jira")).getByRole("button", { name: "Delete" }));
  });

  it("delete: an unused connection goes after the confirm", async () => {
    const { sub, caller } = await customer();
    await open(sub);
    await screen.findByText("Helpdesk key");
    fireEvent.click(await within(row("Helpdesk key")).findByRole("button", { name: "Delete" }));
    fireEvent.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Delete connection" }));
    await waitFor(() => expect(screen.queryByText("Helpdesk key")).toBeNull());
    expect(platform.connections.list(caller).map((c) => c.name)).not.toContain("Helpdesk key");
  });

  it("rename: a refused name keeps what was typed next to the platform's words; a good one is saved", async () => {
    const { sub, caller, jira } = await customer();
    await open(sub);
    await screen.findByText("Ops Jira");
    fireEvent.click(await within(row("Ops Jira")).findByRole("button", { name: "Rename" }));
    const input = screen.getByLabelText("Name") as HTMLInputElement;
    await waitFor(() => expect(document.activeElement).toBe(input));
    fireEvent.input(input, { target: { value: "x".repeat(101) } });
    fireEvent.submit(input.form!);
    await waitFor(() => expect(input.getAttribute("aria-invalid")).toBe("true"));
    expect(screen.getByText("Use at most 100 characters.")).toBeTruthy();
    expect(input.value).toBe("x".repeat(101));
    fireEvent.input(input, { target: { value: "Jira (ops team)" } });
    fireEvent.submit(input.form!);
    await screen.findByText("Jira (ops team)", { selector: ".em-flow-name" });
    expect(platform.connections.get(caller, jira!.id).name).toBe("Jira (ops team)");
  });

  it("a revoked key: banner and Needs reconnect; a refused key keeps the form, a good one makes it active again", async () => {
    const { sub, caller } = await customer();
    await revoked("Zendesk", async () => {
    await open(sub);
    await screen.findByText("Helpdesk key");
    expect(screen.getByText(/1 connection needs reconnecting/)).toBeTruthy();
    const zendesk = row("Helpdesk key");
    expect(within(zendesk).getByText("Needs reconnect")).toBeTruthy();
    fireEvent.click(await within(zendesk).findByRole("button", { name: "Reconnect" }));
    const key = within(zendesk).getByLabelText("API key") as HTMLInputElement;
    expect(document.activeElement).toBe(key);
    fireEvent.input(key, { target: { value: "invalid-key" } });
    fireEvent.submit(key.form!);
    await waitFor(() => expect(key.getAttribute("aria-invalid")).toBe("true"));
    expect(key.value).toBe("invalid-key");
    fireEvent.input(key, { target: { value: "zd_live_5678" } });
    fireEvent.submit(key.form!);
    await waitFor(() => expect(within(row("Helpdesk key")).getByText("Active")).toBeTruthy());
    expect(screen.queryByText(/needs reconnecting/)).toBeNull();
    expect(platform.connections.list(caller).find((c) => c.name === "Helpdesk key")!.status).toBe("active");
    });
  });

  it("connection-needs-reconnect: the host hears once per connection, ids only, from the Connections screen and from an instance page", async () => {
    const { sub, caller, jira } = await customer();
    const instanceIds = platform.connections.get(caller, jira!.id).usedBy.map((u) => u.instanceId);
    await revoked("Jira", async () => {
    const { host, frame } = await open(sub);
    await screen.findByText("Ops Jira");
    const expected = { type: "connection-needs-reconnect", payload: { connectionId: jira!.id, app: "Jira", instanceIds } };
    await waitFor(() => expect(host.of("connection-needs-reconnect")).toEqual([expected]));
    // A test that finds it still refused, and the instance page using it, tell nothing new.
    fireEvent.click(await within(row("Ops Jira")).findByRole("button", { name: "Test" }));
    await within(row("Ops Jira")).findByText(/^Test failed:/);
    frame.navigate({ name: "instance", instanceId: instanceIds[0] });
    await screen.findByText(/no longer accepts a connection this instance uses/);
    expect(host.of("connection-needs-reconnect")).toEqual([expected]);
    // Another frame (a fresh page) learns it from the instance page.
    cleanup();
    const other = await renderFrame({ host: fakeHost(async () => org.signToken(sub)), token: await org.signToken(sub), init: { screen: { name: "instance", instanceId: instanceIds[1] } } });
    await waitFor(() => expect(other.host.of("connection-needs-reconnect")).toEqual([expected]));
    expect(JSON.stringify(other.host.events)).not.toMatch(/Ops Jira|Ops board|ops@conn/);
    });
  });

  it("connection-needs-reconnect from the dashboard: an instance that needs a reconnect makes the frame tell which connection, once", async () => {
    const { sub, caller, jira } = await customer();
    const instanceIds = platform.connections.get(caller, jira!.id).usedBy.map((u) => u.instanceId);
    await revoked("Jira", async () => {
    const host = fakeHost(async () => org.signToken(sub));
    await renderFrame({ host, token: await org.signToken(sub), init: { screen: { name: "dashboard" } } });
    await waitFor(() => expect(host.of("connection-needs-reconnect")).toEqual([{ type: "connection-needs-reconnect", payload: { connectionId: jira!.id, app: "Jira", instanceIds } }]));
    });
  });

  it("test shows the app's answer", async () => {
    const { sub } = await customer();
    await open(sub);
    await screen.findByText("Ops Jira");
    fireEvent.click(await within(row("Ops Jira")).findByRole("button", { name: "Test" }));
    expect(await within(row("Ops Jira")).findByText(/^Works: Connected to Jira as ops@conn.example/)).toBeTruthy();
  });

  it("add: the catalog's apps with their kind; a key the app refuses stays typed next to its words, a good one adds the connection", async () => {
    const { sub, caller } = await customer("none");
    await open(sub);
    fireEvent.click(await screen.findByRole("button", { name: "Add connection" }));
    const apps = within(screen.getByRole("list", { name: "Choose an app" }));
    expect(apps.getByRole("button", { name: /Slack.*OAuth/ })).toBeTruthy();
    expect(document.activeElement).toBe(apps.getAllByRole("button")[0]);
    fireEvent.click(apps.getByRole("button", { name: /Zendesk.*API key/ }));
    const key = screen.getByLabelText("API key") as HTMLInputElement;
    fireEvent.submit(key.form!);
    expect(await screen.findByText("This field is required.")).toBeTruthy();
    fireEvent.input(screen.getByLabelText("Name"), { target: { value: "Support key" } });
    fireEvent.input(key, { target: { value: "invalid-key" } });
    fireEvent.submit(key.form!);
    await waitFor(() => expect(screen.getByText(/Zendesk refused the API key/)).toBeTruthy());
    expect(key.value).toBe("invalid-key");
    expect(platform.connections.list(caller)).toEqual([]);
    fireEvent.input(key, { target: { value: "zd_live_9876" } });
    fireEvent.submit(key.form!);
    await screen.findByText("Support key", { selector: ".em-flow-name" });
    expect(platform.connections.list(caller).map((c) => [c.app, c.name])).toEqual([["Zendesk", "Support key"]]);
    // The panel closed; focus is back on Add connection.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole("button", { name: "Add connection" })));
  });

  it("the empty state, for an admin", async () => {
    const { sub } = await customer("none");
    await open(sub);
    expect(await screen.findByText("No connections yet")).toBeTruthy();
  });

  it("a failed load says so with Retry, which loads the list", async () => {
    const { sub } = await customer();
    let fail = true;
    server.use(http.get(`${ORIGIN}/api/v1/connections`, () => (fail ? HttpResponse.json({ error: { code: "BAD_REQUEST", message: "no" } }, { status: 400 }) : undefined)));
    await open(sub);
    const failed = await screen.findByRole("alert");
    fail = false;
    fireEvent.click(within(failed).getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("Ops Jira")).toBeTruthy();
  });

  it("A8 a viewer sees every connection and no action; the platform refuses a viewer's change", async () => {
    const { sub, jira } = await customer();
    const { frame } = await open(sub, "viewer");
    await screen.findByText("Ops Jira");
    await waitFor(() => expect(frame.session.session.value?.user.role).toBe("viewer"));
    expect(screen.getByText(/You have read-only access/)).toBeTruthy();
    for (const name of ["Test", "Reconnect", "Rename", "Delete"]) expect(screen.queryByRole("button", { name })).toBeNull();
    const viewer = await platform.access.authenticate(await org.signToken({ ...sub, role: "viewer" }));
    expect(() => platform.connections.delete(viewer, jira!.id)).toThrow(/admin|role|FORBIDDEN/i);
    expect(() => platform.connections.update(viewer, jira!.id, { name: "x" })).toThrow(/admin|role|FORBIDDEN/i);
  });
});
