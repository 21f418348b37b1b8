// @vitest-environment happy-dom
import { fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import type { Execution, Instance } from "../../../contract/api.ts";
import { fakePlatform, integration, ORIGIN } from "../../test/fake-platform.ts";
import { renderFrame, setupFrameServer } from "../../test/harness.tsx";

const server = setupFrameServer();

const WEBHOOK = `${ORIGIN}/api/v1/webhooks/tok-123`;

function deployed(role: "admin" | "viewer" = "admin") {
  const p = fakePlatform([integration({ id: "slack", name: "Slack", activation: { state: "activated", instanceId: "i1", instanceCount: 1, activeCount: 1, updateAvailable: false } })], role);
  const now = Date.now();
  const inst: Instance = {
    id: "i1", integrationId: "slack", integrationName: "Slack", customerId: "c1", name: "Slack", description: "", labels: [],
    status: "deployed", integrationVersion: 1, configValues: {}, completedPages: [], createdAt: new Date(now).toISOString(), updatedAt: new Date(now).toISOString(),
    flows: [
      { id: "alert", name: "Post an alert", trigger: { kind: "webhook" }, webhookUrl: WEBHOOK },
      { id: "digest", name: "Daily digest", trigger: { kind: "schedule" }, nextRunAt: new Date(now + 3 * 3600_000).toISOString() },
    ],
  };
  const exec = (id: string, minutesAgo: number, status: Execution["status"]): Execution => ({
    id, instanceId: "i1", flowId: "alert", flowName: `Run ${id}`, trigger: "webhook", status,
    startedAt: new Date(now - minutesAgo * 60_000).toISOString(), durationMs: 42,
    logs: [{ at: new Date(now).toISOString(), level: "info", step: "post", message: `log of ${id}` }], stepResults: {},
  });
  p.state.instances.set("i1", inst);
  p.state.executions.set("i1", [exec("old", 30, "succeeded"), exec("new", 1, "failed")]);
  server.use(...p.handlers);
  return p;
}

const open = async (role: "admin" | "viewer" = "admin") => {
  const p = deployed(role);
  const r = await renderFrame({ init: { screen: { name: "instance", instanceId: "i1" } } });
  await screen.findByRole("heading", { level: 1, name: "Slack" });
  if (role === "viewer") await waitFor(() => expect(r.frame.session.session.value?.user.role).toBe("viewer"));
  return { ...r, p };
};

describe("instance page", () => {
  it("shows flows with trigger kinds, the webhook URL with a curl example, and the next run", async () => {
    await open();
    expect((screen.getByLabelText(/Webhook URL/) as HTMLInputElement).value).toBe(WEBHOOK);
    expect(screen.getByText(/curl -X POST/).textContent).toContain(WEBHOOK);
    expect(screen.getAllByText("Webhook").length).toBeGreaterThan(0);
    expect(screen.getByText("Schedule")).toBeTruthy();
    expect(screen.getByText("Next run in 3 hours")).toBeTruthy();
  });

  it("copies the webhook URL with the clipboard API", async () => {
    await open();
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    fireEvent.click(screen.getByRole("button", { name: "Copy" }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(WEBHOOK));
    expect(await screen.findByText("Copied to clipboard")).toBeTruthy();
  });

  it("lists executions newest first with status, duration and expandable logs; Refresh picks up new ones", async () => {
    const { p } = await open();
    const items = screen.getAllByRole("listitem").filter((li) => li.className.includes("em-execution"));
    expect(items.map((li) => within(li).getByText(/^Run /).textContent)).toEqual(["Run new", "Run old"]);
    expect(within(items[0]).getByText("Failed")).toBeTruthy();
    expect(within(items[0]).getByText("Duration 42 ms")).toBeTruthy();
    expect(screen.queryByText("log of new")).toBeNull();
    fireEvent.click(within(items[0]).getByRole("button", { name: "Show logs" }));
    expect(screen.getByText(/log of new/)).toBeTruthy();

    p.state.executions.get("i1")!.push({ ...p.state.executions.get("i1")![0], id: "newest", flowName: "Run newest", startedAt: new Date().toISOString() });
    fireEvent.click(screen.getByRole("button", { name: "Refresh" }));
    expect(await screen.findByText("Run newest")).toBeTruthy();
  });

  it("P2 shows the newest page of executions and loads older ones on demand, keeping what is shown", async () => {
    const p = deployed();
    const template = p.state.executions.get("i1")![0];
    p.state.executions.set("i1", Array.from({ length: 60 }, (_, i) => ({ ...template, id: `r${i}`, flowName: `Run r${i}`, startedAt: new Date(Date.now() - i * 60_000).toISOString() })));
    await renderFrame({ init: { screen: { name: "instance", instanceId: "i1" } } });
    await screen.findByRole("heading", { level: 1, name: "Slack" });
    const runs = () => screen.getAllByRole("listitem").filter((li) => li.className.includes("em-execution") && !li.className.includes("em-alert"));
    expect(runs()).toHaveLength(50);
    expect(screen.queryByText("Run r50")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Show older runs" }));
    expect(await screen.findByText("Run r59")).toBeTruthy();
    expect(runs()).toHaveLength(60);
    expect(runs()[0].textContent).toContain("Run r0");
    expect(screen.queryByRole("button", { name: "Show older runs" })).toBeNull();
  });

  it("pauses and resumes, telling the host", async () => {
    const { host } = await open();
    fireEvent.click(await screen.findByRole("button", { name: "Pause" }));
    fireEvent.click(await screen.findByRole("button", { name: "Resume" }));
    await screen.findByRole("button", { name: "Pause" });
    expect(host.events.filter((e) => e.type.startsWith("instance-")).map((e) => e.type)).toEqual(["instance-paused", "instance-resumed"]);
  });

  it("a pause the platform cannot answer (a proxy's HTML 502) is a toast in the user's language, and the instance stays as it was", async () => {
    deployed();
    const { host } = await renderFrame({ init: { screen: { name: "instance", instanceId: "i1" }, locale: "de" } });
    await screen.findByRole("heading", { level: 1, name: "Slack" });
    server.use(
      http.post(`${ORIGIN}/api/v1/instances/:id/pause`, () => new HttpResponse("<html><body>Bad gateway</body></html>", { status: 502, headers: { "Content-Type": "text/html" } })),
    );
    fireEvent.click(await screen.findByRole("button", { name: "Pausieren" }));
    expect(await screen.findByText("Das hat nicht funktioniert: Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.")).toBeTruthy();
    expect((screen.getByRole("button", { name: "Pausieren" }) as HTMLButtonElement).disabled).toBe(false);
    expect(host.of("instance-paused")).toEqual([]);
  });

  it("the rename field takes focus as it opens (autoFocus does nothing in a cross-origin frame)", async () => {
    await open();
    fireEvent.click(await screen.findByRole("button", { name: "Rename" }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole("textbox", { name: "Name" })));
  });

  it("deactivates only after an in-frame confirm step", async () => {
    const { host, p } = await open();
    fireEvent.click(await screen.findByRole("button", { name: "Deactivate" }));
    const dialog = screen.getByRole("alertdialog", { name: "Deactivate Slack?" });
    await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByRole("button", { name: "Cancel" })));
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(p.state.instances.has("i1")).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: "Deactivate" }));
    fireEvent.click(screen.getByRole("button", { name: "Yes, deactivate" }));
    await screen.findByRole("searchbox");
    expect(p.state.instances.has("i1")).toBe(false);
    expect(host.of("instance-deleted")).toEqual([{ type: "instance-deleted", payload: { integrationId: "slack", instanceId: "i1" } }]);
  });

  it("A9 a viewer sees that an update is available, but no button to update, continue or cancel it", async () => {
    for (const upgrade of [undefined, { toVersion: 2, startedAt: new Date().toISOString(), plan: { fromVersion: 1, toVersion: 2, kept: [], renamed: [], removed: [], added: ["digest"], asks: [], pages: ["notifications"], needsInput: true } }]) {
      const p = deployed("viewer");
      Object.assign(p.state.instances.get("i1")!, { availableUpdate: { version: 2, needsInput: true }, ...(upgrade ? { upgrade } : {}) });
      const r = await renderFrame({ init: { screen: { name: "instance", instanceId: "i1" } } });
      await screen.findByRole("heading", { level: 1, name: "Slack" });
      await waitFor(() => expect(r.frame.session.session.value?.user.role).toBe("viewer"));
      await screen.findByText(upgrade ? "Update to version 2 in progress" : "Version 2 is available");
      expect(screen.getByText("An admin can update it.")).toBeTruthy();
      for (const name of ["Update to version 2", "Continue update", "Cancel update"]) expect(screen.queryByRole("button", { name })).toBeNull();
      r.view.unmount();
    }
    // An admin gets the button the viewer does not.
    const p = deployed("admin");
    Object.assign(p.state.instances.get("i1")!, { availableUpdate: { version: 2, needsInput: true } });
    await renderFrame({ init: { screen: { name: "instance", instanceId: "i1" } } });
    expect(await screen.findByRole("button", { name: "Update to version 2" })).toBeTruthy();
  });

  it("a connection the app no longer accepts: a needs-reconnect banner whose Reconnect opens the setup", async () => {
    const p = deployed();
    p.state.instances.get("i1")!.configValues = { slackConnection: { kind: "oauth2", status: "error", connectionId: "con_1", needsReconnect: true }, channel: "#ops" };
    await renderFrame({ init: { screen: { name: "instance", instanceId: "i1" } } });
    expect(await screen.findByText(/no longer accepts a connection this instance uses/)).toBeTruthy();
    fireEvent.click(await screen.findByRole("button", { name: "Reconnect" }));
    expect(await screen.findByText("Settings for Slack")).toBeTruthy();
  });

  it("no needs-reconnect banner while every connection works", async () => {
    await open();
    expect(screen.queryByText(/no longer accepts a connection/)).toBeNull();
  });

  it("A8 a viewer sees the instance but no pause, reconfigure or deactivate", async () => {
    await open("viewer");
    expect(screen.getByLabelText(/Webhook URL/)).toBeTruthy();
    for (const name of ["Pause", "Resume", "Reconfigure", "Deactivate"]) expect(screen.queryByRole("button", { name })).toBeNull();
  });
});
