// @vitest-environment happy-dom
/**
 * Test runs and replays on the instance page (issue 15), against the real mock-platform
 * handlers: the Test panel's default example succeeds and shows the run inline; a payload that
 * is not JSON or is too large is a field error that keeps what was typed and sends nothing; a
 * replay links both ways; a viewer sees neither action (A9); the host can hide Test; a
 * deactivated instance says so. The code editor's chunk is made to fail here, so the payload
 * field is its textarea (the editor itself is exercised in real Chromium: tests/runs.test.ts).
 */
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHandlers, createPlatform, createTestOrganization, type Platform, type TestOrganization } from "../../../mock-server/index.ts";
import { editorChunk } from "../fields/code.tsx";
import { fakeHost, renderFrame } from "../../test/harness.tsx";
import type { FrameInit } from "../../../contract/protocol.ts";

const server = setupServer();
let platform: Platform;
let org: TestOrganization;
let customers = 0;
const load = editorChunk.load;

beforeAll(async () => {
  platform = createPlatform();
  org = await createTestOrganization({ platform, allowedOrigins: ["http://host.test"] });
  server.use(...createHandlers(platform));
  server.listen({ onUnhandledRequest: "error" });
  editorChunk.load = () => Promise.reject(new TypeError("no editor in this test"));
});
afterEach(cleanup);
afterAll(() => {
  editorChunk.load = load;
  server.close();
});

/** A customer with a deployed Stripe instance, the instance page open (as `role`). */
async function openStripe(role: "admin" | "viewer" = "admin", init: Partial<FrameInit> = {}) {
  const sub = { customer: `runs-frame-${++customers}`, customer_name: "Runs Co" };
  const caller = await platform.access.authenticate(await org.signToken(sub));
  const { instance } = platform.instances.create(caller, "stripe", "http://platform.test");
  await platform.instances.saveConfigPage(caller, instance.id, "connect", { stripeKey: { kind: "api-key", apiKey: "sk_test_frame_runs" } }, "http://platform.test");
  await platform.instances.saveConfigPage(caller, instance.id, "payments", { currency: "eur", threshold: 10 }, "http://platform.test");
  const deployed = (await platform.instances.deploy(caller, instance.id, { origin: "http://platform.test" })).body.instance;
  // One real webhook run to replay.
  const hook = deployed.flows.find((f) => f.webhookUrl)!.webhookUrl!;
  await platform.webhooks.invoke(new URL(hook).pathname.split("/").pop()!, { type: "charge.succeeded", amount: 1200 }, { async: false });
  const token = await org.signToken({ ...sub, role });
  const host = fakeHost(async () => org.signToken({ ...sub, role }));
  const rendered = await renderFrame({ host, token, init: { screen: { name: "instance", instanceId: instance.id }, ...init } });
  await screen.findByRole("heading", { level: 1, name: "Stripe" });
  return { ...rendered, caller, instanceId: instance.id };
}

const executionCount = (caller: Awaited<ReturnType<typeof openStripe>>["caller"], id: string) => platform.executions.list(caller, id).executions.length;

describe("test runs on the instance page", () => {
  it("the default example succeeds: status, output and logs inline; the run is listed as a test", async () => {
    await openStripe();
    fireEvent.click(await screen.findByRole("button", { name: "Test Record a payment" }));
    const panel = await screen.findByRole("region", { name: "Test “Record a payment”" });
    const area = (await within(panel).findByLabelText("Payload (JSON)")) as HTMLTextAreaElement;
    expect(JSON.parse(area.value)).toEqual({ type: "charge.succeeded", amount: 4200 });
    fireEvent.click(within(panel).getByRole("button", { name: "Run test" }));
    const result = await within(panel).findByRole("status");
    expect(result.textContent).toMatch(/The test run succeeded in/);
    expect(result.textContent).toContain('Flow "Record a payment" started by a test run.');
    expect(result.textContent).toContain("Output");
    const list = screen.getByRole("region", { name: "Executions" });
    await waitFor(() => expect(within(list).getAllByText("Test").length).toBe(1));
    expect(within(list).getAllByRole("listitem")).toHaveLength(2); // the test run, then the webhook run
  });

  it("a payload that is not JSON or is too large is a field error; what was typed stays and nothing is sent", async () => {
    const { caller, instanceId } = await openStripe();
    const before = executionCount(caller, instanceId);
    fireEvent.click(await screen.findByRole("button", { name: "Test Record a payment" }));
    const panel = await screen.findByRole("region", { name: "Test “Record a payment”" });
    const area = (await within(panel).findByLabelText("Payload (JSON)")) as HTMLTextAreaElement;
    fireEvent.input(area, { target: { value: '{ "type": "charge.succeeded",\n  "amount": }' } });
    fireEvent.click(within(panel).getByRole("button", { name: "Run test" }));
    expect((await within(panel).findByRole("alert")).textContent).toBe("This is not valid JSON: check line 2, column 13.");
    expect(area.value).toBe('{ "type": "charge.succeeded",\n  "amount": }');
    expect(area.getAttribute("aria-invalid")).toBe("true");

    fireEvent.input(area, { target: { value: JSON.stringify({ note: "x".repeat(40_000) }) } });
    fireEvent.click(within(panel).getByRole("button", { name: "Run test" }));
    expect((await within(panel).findByRole("alert")).textContent).toMatch(/^The payload is 40,011 characters of JSON; a test takes at most 32,768\.$/);
    expect(executionCount(caller, instanceId)).toBe(before);

    // Closing the panel and opening it again keeps what was typed.
    fireEvent.click(within(panel).getByRole("button", { name: "Close" }));
    fireEvent.click(screen.getByRole("button", { name: "Test Record a payment" }));
    expect(((await screen.findByLabelText("Payload (JSON)")) as HTMLTextAreaElement).value).toHaveLength(40_011);
  });
});

describe("replay on the instance page", () => {
  it("replays a run with its payload: the replay names the original, the original lists the replay", async () => {
    const { caller, instanceId } = await openStripe();
    const list = screen.getByRole("region", { name: "Executions" });
    await waitFor(() => expect(within(list).getAllByRole("button", { name: "Replay" }).length).toBe(1)); // the webhook run
    const [original] = platform.executions.list(caller, instanceId).executions;
    fireEvent.click(within(list).getByRole("button", { name: "Replay" }));
    await screen.findByText("The replay succeeded.");
    const replay = platform.executions.list(caller, instanceId).executions.find((x) => x.replayOf === original.id)!;
    expect(replay).toBeDefined();
    const link = within(list).getByRole("button", { name: `Show run ${original.id}` });
    expect(link.textContent).toBe(`Replay of …${original.id.slice(-6)}`);
    expect(within(list).getByText("Replayed 1 time:")).toBeTruthy();
    expect(within(list).getByRole("button", { name: `Show run ${replay.id}` })).toBeTruthy();
    // Following the link opens the original.
    fireEvent.click(link);
    await waitFor(() => expect(document.activeElement?.getAttribute("data-execution")).toBe(original.id));
  });

  it("A9 a viewer sees neither Test nor Replay; the host can hide Test", async () => {
    await openStripe("viewer");
    await screen.findByText("Flows");
    expect(screen.queryByRole("button", { name: /^Test / })).toBeNull();
    expect(screen.queryByRole("button", { name: "Replay" })).toBeNull();
    cleanup();
    await openStripe("admin", { screens: { instance: { hideSections: ["test"] } } });
    await waitFor(() => expect(screen.getAllByRole("button", { name: "Replay" }).length).toBeGreaterThan(0));
    expect(screen.queryByRole("button", { name: /^Test / })).toBeNull();
  });

  it("a deactivated instance says so, and offers its runs in the logs", async () => {
    const { caller, instanceId } = await openStripe();
    cleanup();
    await platform.instances.delete(caller, instanceId);
    const token = await org.signToken({ customer: caller.customer.externalId });
    await renderFrame({ token, host: fakeHost(async () => token), init: { screen: { name: "instance", instanceId } } });
    expect(await screen.findByText("This integration was deactivated")).toBeTruthy();
    expect(screen.getByRole("button", { name: "View logs" })).toBeTruthy();
  });

  it("says it was deactivated even when the instance's runs and alerts answer before the instance itself", async () => {
    const { caller, instanceId } = await openStripe();
    cleanup();
    await platform.instances.delete(caller, instanceId);
    // The instance's own GET waits until the two lists the page asks with it have answered
    // (a handler that returns nothing hands the request on to the platform's).
    let listsAnswered = 0;
    let release!: () => void;
    const lists = new Promise<void>((resolve) => (release = resolve));
    const onResponse = ({ request }: { request: Request }) => {
      const path = new URL(request.url).pathname;
      if (path.endsWith(`/instances/${instanceId}/executions`) || path.endsWith("/alerts")) if (++listsAnswered === 2) release();
    };
    server.events.on("response:mocked", onResponse);
    server.use(http.get(`*/api/v1/instances/${instanceId}`, async () => void (await lists)));
    try {
      const token = await org.signToken({ customer: caller.customer.externalId });
      await renderFrame({ token, host: fakeHost(async () => token), init: { screen: { name: "instance", instanceId } } });
      expect(await screen.findByText("This integration was deactivated")).toBeTruthy();
      expect(listsAnswered).toBe(2);
    } finally {
      server.events.removeListener("response:mocked", onResponse);
      server.resetHandlers(...createHandlers(platform));
    }
  });
});
