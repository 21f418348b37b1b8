// @vitest-environment happy-dom
/**
 * The activity screen on the real mock-platform handlers: the overview's health states, the
 * logs (filters, search, pages, details with the payload redacted, hostile log lines as text,
 * the live tail), alerts and monitors (admin and viewer), usage, screen options and a locale.
 */
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { setupServer } from "msw/node";
import { http, HttpResponse } from "msw";
import { paths } from "../../../contract/api-paths.ts";
import type { Execution } from "../../../contract/api.ts";
import { enObserve } from "../i18n/en-observe.ts";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  HOSTILE_LINE,
  createHandlers,
  createPlatform,
  createTestOrganization,
  seedActivity,
  type ActivitySeed,
  type Platform,
  type TestOrganization,
} from "../../../mock-server/index.ts";
import { ORIGIN } from "../../test/fake-platform.ts";
import { fakeHost, renderFrame } from "../../test/harness.tsx";
import type { FrameInit } from "../../../contract/protocol.ts";

const server = setupServer();
let platform: Platform;
let org: TestOrganization;
let seed: ActivitySeed;
const ops = { customer: "customer-ops", customer_name: "Ops Co", sub: "ops-admin", name: "Ada Ops" };
const viewer = { ...ops, sub: "ops-viewer", name: "Vic Viewer", role: "viewer" };

beforeAll(async () => {
  platform = createPlatform();
  org = await createTestOrganization({ platform, allowedOrigins: ["http://host.test"] });
  server.use(...createHandlers(platform));
  server.listen({ onUnhandledRequest: "error" });
  seed = await seedActivity({ platformUrl: ORIGIN, token: await org.signToken(ops), orgApiKey: org.apiKey });
});
afterEach(cleanup);
afterAll(() => {
  platform.dispose();
  server.close();
});

/** The element `selector` finds, once it is there. */
const find = (selector: string, root: ParentNode = document) =>
  waitFor(() => {
    const found = root.querySelector(selector);
    if (!found) throw new Error(`nothing matches ${selector}`);
    return found as HTMLElement;
  });

/** How many runs the customer has, as the platform counts them. */
async function runCount(query = ""): Promise<number> {
  const response = await fetch(`${ORIGIN}/api/v1/executions?limit=200${query}`, { headers: { Authorization: `Bearer ${await org.signToken(ops)}` } });
  return ((await response.json()) as { executions: unknown[] }).executions.length;
}

async function open(init: Partial<FrameInit>, who: Record<string, unknown> = ops) {
  const host = fakeHost(async () => org.signToken(who));
  return renderFrame({ host, token: await org.signToken(who), init });
}

describe("the overview", () => {
  it("shows each activated instance's health, most urgent first; Reconnect for admins; recent failures; usage", async () => {
    const { host } = await open({ screen: { name: "dashboard" } });
    const list = await screen.findByRole("region", { name: /^Integrations/ });
    const rows = within(list).getAllByRole("listitem");
    expect(rows.map((r) => r.getAttribute("data-instance-id"))).toEqual([seed.hubspot.id, seed.zendesk.id, seed.stripe.id, seed.jira.id]);
    expect(within(rows[0]).getByText("Needs reconnect")).toBeTruthy();
    expect(within(rows[0]).getByText("Failing")).toBeTruthy();
    expect(await within(rows[0]).findByRole("button", { name: "Reconnect" })).toBeTruthy();
    expect(within(rows[2]).getByText("Paused")).toBeTruthy();
    expect(within(rows[3]).getByText("Active")).toBeTruthy();
    const failures = screen.getByRole("region", { name: "Recent failures" });
    expect(within(failures).getAllByRole("listitem")).toHaveLength(2);
    expect(screen.getByRole("region", { name: "Usage this billing period" })).toBeTruthy();
    await waitFor(() => expect(host.of("ready")).toEqual([expect.objectContaining({ payload: { screen: "dashboard" } })]));

    // View logs opens the logs tab narrowed to that integration.
    fireEvent.click(within(rows[3]).getByRole("button", { name: "View logs" }));
    await waitFor(() => expect((screen.getByLabelText("Integration") as HTMLSelectElement).value).toBe(seed.jira.id));
  });

  it("a viewer sees the same health, without Reconnect", async () => {
    await open({ screen: { name: "dashboard" } }, viewer);
    const list = await screen.findByRole("region", { name: /^Integrations/ });
    await within(list).findByText("Needs reconnect");
    await waitFor(() => expect(within(list).queryByRole("button", { name: "Reconnect" })).toBeNull());
  });
});

describe("the logs", () => {
  it("lists runs newest first; filters by status; finds text in log lines and marks it", async () => {
    const all = await runCount();
    await open({ screen: { name: "logs" } });
    const runs = () => document.querySelectorAll(".em-run");
    await waitFor(() => expect(runs().length).toBe(all));
    const starts = [...runs()].map((r) => r.querySelector("time")!.getAttribute("datetime")!);
    expect([...starts].sort().reverse()).toEqual(starts);
    fireEvent.change(screen.getByLabelText("Status"), { target: { value: "failed" } });
    await waitFor(() => expect(runs().length).toBe(2));
    expect([...runs()].every((r) => r.classList.contains("em-run-failed"))).toBe(true);

    fireEvent.change(screen.getByLabelText("Status"), { target: { value: "" } });
    fireEvent.input(screen.getByRole("searchbox"), { target: { value: "COFFEE" } });
    await waitFor(() => expect(runs().length).toBe(1));
    expect(document.querySelector(".em-run-matches mark")?.textContent).toBe("coffee");
    fireEvent.input(screen.getByRole("searchbox"), { target: { value: "nothing matches this" } });
    await screen.findByText("No runs match these filters");
    fireEvent.click(screen.getAllByRole("button", { name: "Clear filters" })[0]);
    await waitFor(() => expect(runs().length).toBe(all));
  });

  it("shows a log line with HTML and terminal escape codes as plain text, never as markup", async () => {
    await open({ screen: { name: "logs", instanceId: seed.zendesk.id } });
    fireEvent.input(await screen.findByRole("searchbox"), { target: { value: "printer" } });
    await waitFor(() => expect(document.querySelectorAll(".em-run").length).toBe(1));
    const run = document.querySelector(".em-run")!;
    fireEvent.click(within(run as HTMLElement).getByRole("button", { name: "Details" }));
    await waitFor(() => expect(run.querySelector(".em-run-details")).toBeTruthy());
    expect(document.querySelector("img[onerror]")).toBeNull();
    expect((globalThis as { __pwned?: number }).__pwned).toBeUndefined();
    const line = [...run.querySelectorAll(".em-log")].map((l) => l.textContent ?? "").find((t) => t.includes("printer"))!;
    expect(line).toContain('printer <img src=x onerror="window.__pwned=1"> RED  done');
    expect(line).not.toMatch(/\u001b/);
    // The payload shows the same text as JSON, escapes removed too.
    expect(run.querySelector(".em-json")?.textContent).toContain("<img src=x");
    expect(HOSTILE_LINE).toContain("\u001b[31m");
  });

  it("expands a run: steps with timings, the payload with secrets redacted, the output", async () => {
    const secret = await seed.post(seed.jira, { message: "with a secret", password: "hunter2-secret" });
    await open({ screen: { name: "logs", instanceId: seed.jira.id } });
    const row = await find(`[data-run-id="${secret.executionId}"]`);
    fireEvent.click(within(row).getByRole("button", { name: "Details" }));
    const details = await find(".em-run-details", row);
    expect(within(details).getAllByRole("listitem").length).toBeGreaterThan(0);
    expect(details.textContent).toContain("[redacted]");
    expect(details.textContent).not.toContain("hunter2-secret");
    expect(within(details).getByText("Output")).toBeTruthy();
    expect(details.querySelector(".em-step-bar > span")).toBeTruthy();
  });

  it("a run whose result could not be stored says so in the user's language, with no steps or log lines", async () => {
    const posted = await seed.post(seed.jira, { message: "result too large" });
    // The platform stores such a run cut, with a notice (mock-server/persistence/unstorable-run-end.test.ts); here its answer is made so.
    const path = paths.instanceExecution(seed.jira.id, posted.executionId);
    const stored = (await (await fetch(ORIGIN + path, { headers: { Authorization: `Bearer ${await org.signToken(ops)}` } })).json()) as Execution;
    const cut: Execution = { ...stored, logs: [], stepResults: {}, notice: { code: "RESULT_NOT_STORED", message: "This run finished, but its result could not be stored." } };
    server.use(http.get(ORIGIN + path, () => HttpResponse.json(cut), { once: true }));
    await open({ screen: { name: "logs", instanceId: seed.jira.id } });
    const row = await find(`[data-run-id="${posted.executionId}"]`);
    fireEvent.click(within(row).getByRole("button", { name: "Details" }));
    const details = await find(".em-run-details", row);
    expect(within(details).getByRole("note").textContent).toBe(enObserve["logs.notice.RESULT_NOT_STORED"]);
  });

  it("pages with Load older runs: every run once, then says they are all shown", async () => {
    for (let i = 0; i < 55; i++) await seed.post(seed.jira, { message: `bulk ${i}` });
    await open({ screen: { name: "logs", instanceId: seed.jira.id } });
    await waitFor(() => expect(document.querySelectorAll(".em-run").length).toBe(50));
    fireEvent.click(screen.getByRole("button", { name: "Load older runs" }));
    await screen.findByText(/runs shown\. That's all of them\./);
    const ids = [...document.querySelectorAll(".em-run")].map((r) => r.getAttribute("data-run-id"));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(55);
  });

  it("live: a new run appears at the top as it happens, and is announced", async () => {
    await open({ screen: { name: "logs", instanceId: seed.zendesk.id } });
    await waitFor(() => expect(document.querySelectorAll(".em-run").length).toBeGreaterThan(0));
    await screen.findByText("New runs and log lines show as they happen.");
    const run = await seed.post(seed.zendesk, { message: "live one" });
    await waitFor(() => expect(document.querySelector(".em-run")?.getAttribute("data-run-id")).toBe(run.executionId), { timeout: 8000 });
    await screen.findByText("1 new run");
    // Turned off, nothing more comes in.
    fireEvent.click(screen.getByRole("button", { name: "Live", pressed: true }));
    await screen.findByText("Live updates are off.");
    // Off, the list loads once more (without a tail); a run after that does not come in.
    await waitFor(() => expect(document.querySelector(".em-run-list[aria-busy]")).toBeNull());
    await new Promise((resolve) => setTimeout(resolve, 100));
    const quiet = await seed.post(seed.zendesk, { message: "not live" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(document.querySelector(`[data-run-id="${quiet.executionId}"]`)).toBeNull();
  });

  it("a custom range that ends before it starts is refused at the fields, and nothing is lost", async () => {
    await open({ screen: { name: "logs" } });
    fireEvent.change(await screen.findByLabelText("Time"), { target: { value: "custom" } });
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2026-12-05T10:00" } });
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "2026-12-04T10:00" } });
    expect((await screen.findByRole("alert")).textContent).toBe("The start must be before the end.");
    expect((screen.getByLabelText("From") as HTMLInputElement).value).toBe("2026-12-05T10:00");
    expect(screen.getByLabelText("From").getAttribute("aria-invalid")).toBe("true");
  });
});

describe("alerts and monitors", () => {
  it("an admin adds a monitor (bad values refused at their fields first), edits and deletes it; acknowledges and resolves an alert", async () => {
    await open({ screen: { name: "alerts", instanceId: seed.zendesk.id } });
    const alerts = await screen.findByRole("region", { name: "Alerts" });
    const item = await within(alerts).findByText(/"Create a ticket" \(webhook\) failed/);
    const li = item.closest("li")!;
    // The buttons come once the user's role is known (the session may answer after the alerts).
    fireEvent.click(await within(li).findByRole("button", { name: "Acknowledge" }));
    await within(li).findByText("Acknowledged by Ada Ops, now");
    fireEvent.click(within(li).getByRole("button", { name: "Resolve" }));
    // Resolved in place (the user sees what they did); the Resolved filter lists it too.
    await within(li).findByText("Resolved by Ada Ops, now");
    expect(within(li).queryByRole("button", { name: /^(Acknowledge|Resolve)$/ })).toBeNull();
    fireEvent.click(within(alerts).getByRole("button", { name: "Resolved" }));
    await within(alerts).findByText(/Resolved by Ada Ops/);

    const monitors = screen.getByRole("region", { name: "Monitors" });
    await within(monitors).findByText("A run fails");
    fireEvent.click(within(monitors).getByRole("button", { name: "+ Add monitor" }));
    const form = await within(monitors).findByRole("form");
    fireEvent.change(within(form).getByLabelText("Raise an alert when"), { target: { value: "slow" } });
    fireEvent.input(within(form).getByLabelText("Slower than (seconds)"), { target: { value: "0" } });
    fireEvent.input(within(form).getByLabelText("After how many runs"), { target: { value: "2.5" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save monitor" }));
    await within(form).findByText("Enter a number from 1 to 86,400.");
    within(form).getByText("Enter a whole number.");
    fireEvent.input(within(form).getByLabelText("Slower than (seconds)"), { target: { value: "12" } });
    fireEvent.input(within(form).getByLabelText("After how many runs"), { target: { value: "3" } });
    fireEvent.input(within(form).getByLabelText("Within (minutes)"), { target: { value: "10" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save monitor" }));
    const added = await within(monitors).findByText("A run takes over 12 s");
    expect(added.closest("li")!.textContent).toContain("alerts after 3 within 10 min");
    expect(platform.snapshot().monitors).toSatisfy((m: object) => Object.values(m).some((x) => (x as { thresholdSeconds?: number }).thresholdSeconds === 12));

    fireEvent.click(within(monitors).getByRole("button", { name: "Delete: A run takes over 12 s" }));
    // The confirmation opens under the monitor it is about (in view in a tall autoHeight frame),
    // with focus on Cancel.
    const confirm = await within(monitors).findByRole("alertdialog", { name: "Delete this monitor?" });
    expect(confirm.closest("li")).toBe(added.closest("li"));
    await waitFor(() => expect(document.activeElement).toBe(within(confirm).getByRole("button", { name: "Cancel" })));
    fireEvent.click(within(confirm).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(within(monitors).queryByText("A run takes over 12 s")).toBeNull());
  });

  it("A9 a viewer reads alerts and monitors, and gets no button to change them", async () => {
    await open({ screen: { name: "alerts", instanceId: seed.hubspot.id } }, viewer);
    const monitors = await screen.findByRole("region", { name: "Monitors" });
    await within(monitors).findByText("A run fails");
    await within(monitors).findByText("You have read-only access. An admin can change monitors.");
    expect(within(monitors).queryByRole("button", { name: /Add monitor|^Edit|^Delete/ })).toBeNull();
    const alerts = screen.getByRole("region", { name: "Alerts" });
    await within(alerts).findByText(/"Check the pipeline" \(deploy\) failed/);
    expect(within(alerts).queryByRole("button", { name: /^(Acknowledge|Resolve)$/ })).toBeNull();
  });
});

describe("usage, screen options, locales", () => {
  it("usage shows enabled time (billed) and paused time (not billed) per integration, with totals", async () => {
    await open({ screen: { name: "usage" } });
    const table = await screen.findByRole("table");
    const rows = within(table).getAllByRole("row");
    expect(rows[0].textContent).toContain("Enabled (billed)");
    expect(rows.some((r) => r.textContent?.includes("Stripe"))).toBe(true);
    expect(rows[rows.length - 1].textContent).toMatch(/^Total/);
    fireEvent.click(screen.getByRole("button", { name: "Previous period" }));
    await screen.findByText("No usage in this period.");
  });

  it("hides the tabs the host hides; asked for a hidden one, opens the first shown; unknown names are warnings", async () => {
    const { host } = await open({ screen: { name: "usage" }, screens: { activity: { hideTabs: ["usage", "alerts", "bogus"] }, other: {} } });
    const tabs = await screen.findAllByRole("tab");
    expect(tabs.map((t) => t.textContent)).toEqual(["Overview", "Logs"]);
    expect(tabs[0].getAttribute("aria-selected")).toBe("true");
    expect(host.of("warning").map((w) => w.payload.subject)).toEqual(expect.arrayContaining(["screens.activity.hideTabs: bogus", "screens.other", "screen: usage"]));
    // Arrow keys move between the tabs that are shown.
    fireEvent.keyDown(tabs[0], { key: "ArrowRight" });
    await waitFor(() => expect(screen.getAllByRole("tab")[1].getAttribute("aria-selected")).toBe("true"));
  });

  it("all tabs hidden: the screen says it is off", async () => {
    await open({ screen: { name: "dashboard" }, screens: { activity: { hideTabs: ["dashboard", "logs", "alerts", "usage"] } } });
    await screen.findByText("This screen is turned off here.");
  });

  it("speaks German", async () => {
    await open({ screen: { name: "dashboard" }, locale: "de" });
    await screen.findByRole("tab", { name: "Übersicht" });
    await screen.findByText("Neu verbinden", { selector: ".em-badge" });
  });
});
