// @vitest-environment happy-dom
/**
 * The frame against the real mock-platform handlers (createHandlers over createPlatform):
 * list → detail → wizard → deploy → instance page → webhook POST → the execution shows up.
 */
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHandlers, createPlatform, createTestOrganization, type TestOrganization } from "../../mock-server/index.ts";
import { ORIGIN } from "../test/fake-platform.ts";
import { fakeHost, renderFrame } from "../test/harness.tsx";

const server = setupServer();
let org: TestOrganization;

beforeAll(async () => {
  const platform = createPlatform();
  org = await createTestOrganization({ platform, allowedOrigins: ["http://host.test"] });
  server.use(...createHandlers(platform));
  server.listen({ onUnhandledRequest: "error" });
});
afterEach(cleanup);
afterAll(() => server.close());

describe("frame on the real platform handlers", () => {
  it("activates HubSpot through the wizard, deploys, and shows a webhook execution", async () => {
    const token = await org.signToken({ customer: "customer-real", customer_name: "Real Co" });
    const host = fakeHost(async () => org.signToken({ customer: "customer-real", customer_name: "Real Co" }));
    await renderFrame({ host, token });

    const available = await screen.findByRole("region", { name: /^Available/ });
    fireEvent.click(within(available).getByText("HubSpot"));
    fireEvent.click(await screen.findByRole("button", { name: "Activate" }));

    await screen.findByText("Step 1 of 2");
    fireEvent.input(document.getElementById("em-field-hubspotKey")!, { target: { value: "pat-na1-secret-9876" } });
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    await screen.findByText("Step 2 of 2");
    // The pipeline comes from the customer's HubSpot account: its default shows by the name HubSpot gives it.
    await waitFor(() => expect((document.getElementById("em-field-pipeline") as HTMLInputElement).value).toBe("Sales pipeline"));
    await waitFor(() => expect((document.getElementById("em-field-dealStage") as HTMLInputElement).value).toBe("Appointment scheduled"));
    fireEvent.click(screen.getByRole("button", { name: "Save and deploy" }));

    const url = (await screen.findByLabelText(/Webhook URL/)) as HTMLInputElement;
    expect(url.value).toMatch(new RegExp(`^${ORIGIN}/api/v1/webhooks/`));
    expect(host.of("instance-deployed")).toHaveLength(1);
    expect(JSON.stringify(host.events)).not.toContain("pat-na1-secret-9876");

    const response = await fetch(url.value, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ dealName: "Big one", amount: 5000 }) });
    expect(response.status).toBeLessThan(300);
    fireEvent.click(screen.getByRole("button", { name: "Refresh" }));
    await waitFor(() => expect(screen.getAllByText("Create a deal").length).toBeGreaterThan(1));

    fireEvent.click(screen.getByRole("button", { name: /Back/ }));
    const activated = await screen.findByRole("region", { name: /^Activated/ });
    expect(within(activated).getByText("HubSpot")).toBeTruthy();
  });

  it("D1 a double click on Save and deploy sends one deploy and leaves one instance", async () => {
    const sub = { customer: "customer-d1", customer_name: "D1 Co" };
    const token = await org.signToken(sub);
    const deploys: string[] = [];
    const listener = ({ request }: { request: Request }) => {
      if (request.method === "POST" && request.url.endsWith("/deploy")) deploys.push(request.headers.get("idempotency-key") ?? "");
    };
    server.events.on("request:start", listener);
    try {
      await renderFrame({ host: fakeHost(async () => org.signToken(sub)), token, init: { screen: { name: "configure", integrationId: "hubspot" } } });
      await screen.findByText("Step 1 of 2");
      fireEvent.input(document.getElementById("em-field-hubspotKey")!, { target: { value: "pat-na1-secret-1111" } });
      fireEvent.click(screen.getByRole("button", { name: "Next" }));
      await screen.findByText("Step 2 of 2");
      const deploy = screen.getByRole("button", { name: "Save and deploy" });
      fireEvent.click(deploy);
      fireEvent.click(deploy);
      await screen.findByLabelText(/Webhook URL/);
      expect(deploys).toHaveLength(1);
      const list = await (await fetch(`${ORIGIN}/api/v1/instances`, { headers: { Authorization: `Bearer ${token}` } })).json();
      expect(list.instances.filter((i: { integrationId: string }) => i.integrationId === "hubspot")).toHaveLength(1);
    } finally {
      server.events.removeListener("request:start", listener);
    }
  });

  it("D8 a failing activation flow still deploys; the host hears execution-failed and the user sees why", async () => {
    const sub = { customer: "customer-d8", customer_name: "D8 Co" };
    const host = fakeHost(async () => org.signToken(sub));
    await renderFrame({ host, token: await org.signToken(sub), init: { screen: { name: "configure", integrationId: "hubspot" } } });
    await screen.findByText("Step 1 of 2");
    fireEvent.input(document.getElementById("em-field-hubspotKey")!, { target: { value: "pat-na1-secret-8888" } });
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    await screen.findByText("Step 2 of 2");
    const pipeline = document.getElementById("em-field-pipeline") as HTMLInputElement;
    await waitFor(() => expect(pipeline.value).toBe("Sales pipeline"));
    fireEvent.input(pipeline, { target: { value: "archived" } });
    fireEvent.click(await screen.findByRole("option", { name: /Old pipeline \(archived\)/ }));
    expect(pipeline.value).toBe("Old pipeline (archived)");
    // The stages follow the pipeline: the archived one's are fetched, and the chosen stage is one of them.
    await waitFor(() => expect(document.getElementById("em-field-dealStage")!.getAttribute("aria-busy")).toBeNull());
    fireEvent.click(screen.getByRole("button", { name: "Save and deploy" }));
    expect(await screen.findByText(/is active, but "Check the pipeline" failed/)).toBeTruthy();
    expect(await screen.findByText("Active")).toBeTruthy();
    expect(host.of("execution-failed")).toEqual([
      { type: "execution-failed", payload: expect.objectContaining({ integrationId: "hubspot", flowId: "verify-pipeline" }) },
    ]);
    expect(host.of("instance-deployed")).toHaveLength(1);
    // The instance page shows the deploy failure's alert with its execution id, and does not
    // announce the failure a second time (the wizard already did).
    const [{ payload }] = host.of("execution-failed");
    const alerts = await screen.findByRole("region", { name: "Alerts" });
    await within(alerts).findByText(`Execution ${payload.executionId}`);
    expect(within(alerts).getByText(/is archived and cannot receive deals/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Refresh" }));
    await waitFor(() => expect(screen.getByRole("button", { name: "Refresh" }).hasAttribute("disabled")).toBe(false));
    expect(host.of("execution-failed")).toHaveLength(1);
  });

  it("S2 reconfigure shows the stored secret masked and does not re-send it", async () => {
    const sub = { customer: "customer-s2", customer_name: "S2 Co" };
    const host = fakeHost(async () => org.signToken(sub));
    const bodies: string[] = [];
    const listener = ({ request }: { request: Request }) => {
      if (request.method === "PUT") void request.clone().text().then((t) => bodies.push(t));
    };
    server.events.on("request:start", listener);
    try {
      await renderFrame({ host, token: await org.signToken(sub), init: { screen: { name: "configure", integrationId: "hubspot" } } });
      await screen.findByText("Step 1 of 2");
      fireEvent.input(document.getElementById("em-field-hubspotKey")!, { target: { value: "pat-na1-secret-5555" } });
      fireEvent.click(screen.getByRole("button", { name: "Next" }));
      await screen.findByText("Step 2 of 2");
      fireEvent.click(screen.getByRole("button", { name: "Save and deploy" }));
      fireEvent.click(await screen.findByRole("button", { name: "Reconfigure" }));
      expect(await screen.findByText("Settings for HubSpot")).toBeTruthy();
      expect(screen.getByText("••• set")).toBeTruthy();
      expect(document.querySelector('input[type="password"]')).toBeNull();
      fireEvent.click(screen.getByRole("button", { name: "Next" }));
      await screen.findByText("Step 2 of 2");
      await waitFor(() => expect(bodies.length).toBeGreaterThanOrEqual(3));
      // The saved connection goes back by reference: the platform keeps its secret, and nothing re-sends it.
      expect(JSON.parse(bodies[2]).values.hubspotKey).toEqual({ connectionId: expect.stringMatching(/^con_/) });
      expect(bodies.slice(2).join("")).not.toContain("pat-na1-secret-5555");
      expect(JSON.stringify(host.events)).not.toContain("pat-na1-secret-5555");
    } finally {
      server.events.removeListener("request:start", listener);
    }
  });
});
