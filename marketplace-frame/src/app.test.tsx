// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { getResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { App } from "./app.tsx";
import { createFrame } from "./frame.ts";
import { fakePlatform, integration, ORIGIN } from "../test/fake-platform.ts";
import { fakeHost, fakeJwt, renderFrame, setupFrameServer } from "../test/harness.tsx";

const server = setupFrameServer();

describe("app shell", () => {
  it("the marketplace's catalog request leaves before the first render, its session request once `ready` is out, and mounting the App repeats neither", async () => {
    server.use(...fakePlatform([integration({ id: "slack" })]).handlers);
    const sent: string[] = [];
    server.events.on("request:start", ({ request }) => void sent.push(`${request.method} ${new URL(request.url).pathname}`));
    try {
      const host = fakeHost();
      const frame = createFrame({ host, init: { screen: { name: "marketplace" }, closable: false, autoHeight: false }, origin: ORIGIN, token: fakeJwt() });
      frame.startLoading(); // what main.tsx does as soon as boot has the token
      await new Promise((r) => setTimeout(r, 0)); // main.tsx yields once before rendering
      expect(sent).toEqual(["GET /api/v1/integrations"]);
      render(<App frame={frame} />);
      await screen.findByText("Slack");
      await waitFor(() => expect(host.of("ready")).toHaveLength(1));
      await waitFor(() => expect(sent).toEqual(["GET /api/v1/integrations", "POST /api/v1/session"]));
      await waitFor(() => expect(frame.session.session.value).toBeDefined());
      expect(sent).toHaveLength(2);
    } finally {
      server.events.removeAllListeners();
    }
  });

  it("the marketplace list is drawn, and `ready` sent, while POST /session is held unanswered", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let asked = 0;
    const platform = fakePlatform([integration({ id: "slack" }), integration({ id: "jira", name: "Jira" })]);
    server.use(
      http.post(`${ORIGIN}/api/v1/session`, async ({ request }) => {
        asked++;
        await held;
        return getResponse(platform.handlers, request); // the fake platform's own answer, late
      }),
      ...platform.handlers,
    );
    const { frame, host } = await renderFrame();
    await screen.findByText("Jira");
    await waitFor(() => expect(host.of("ready")).toHaveLength(1));
    await waitFor(() => expect(asked).toBe(1));
    expect(screen.getAllByRole("button", { name: /Slack|Jira/ })).toHaveLength(2);
    expect(frame.session.session.value).toBeUndefined();
    release();
    await waitFor(() => expect(frame.session.session.value).toBeDefined());
  });

  it("any other first screen, which reads the session (a viewer's limits), sends it with the catalog before the first render", async () => {
    server.use(...fakePlatform([integration({ id: "slack" })]).handlers);
    const sent: string[] = [];
    server.events.on("request:start", ({ request }) => void sent.push(`${request.method} ${new URL(request.url).pathname}`));
    try {
      const frame = createFrame({ host: fakeHost(), init: { screen: { name: "integration", integrationId: "slack" }, closable: false, autoHeight: false }, origin: ORIGIN, token: fakeJwt() });
      frame.startLoading();
      await new Promise((r) => setTimeout(r, 0));
      expect(sent.sort()).toEqual(["GET /api/v1/integrations", "POST /api/v1/session"]);
    } finally {
      server.events.removeAllListeners();
    }
  });

  it("reports its content height when the host asks for autoHeight", async () => {
    const observers: ResizeObserverCallback[] = [];
    vi.stubGlobal(
      "ResizeObserver",
      class {
        constructor(cb: ResizeObserverCallback) {
          observers.push(cb);
        }
        observe() {}
        disconnect() {}
      },
    );
    server.use(...fakePlatform([integration({ id: "slack" })]).handlers);
    const { host } = await renderFrame({ init: { autoHeight: true } });
    await screen.findByText("Slack");
    // The observers live in a chunk of their own, loaded once autoHeight is asked for.
    await waitFor(() => expect(observers).toHaveLength(1));
    // The height is the root element's own box (ui/auto-height.ts), reported once per change;
    // with no pointer over the frame a shrink is reported in full (the shrink rules: auto-height.test.ts).
    const box = vi.spyOn(document.documentElement, "getBoundingClientRect").mockReturnValue({ height: 639.5 } as DOMRect);
    try {
      observers[0]([], {} as ResizeObserver);
      observers[0]([], {} as ResizeObserver);
      expect(host.of("resize")).toEqual([{ type: "resize", payload: { height: 640 } }]);
      box.mockReturnValue({ height: 300 } as DOMRect);
      observers[0]([], {} as ResizeObserver);
      // A shrink is asked for once the content has stayed short a moment (ui/auto-height.ts).
      expect(host.of("resize")).toHaveLength(1);
      await waitFor(() => expect(host.of("resize")).toHaveLength(2));
      expect(host.of("resize")).toEqual([
        { type: "resize", payload: { height: 640 } },
        { type: "resize", payload: { height: 300 } },
      ]);
    } finally {
      box.mockRestore();
    }
  });

  it("a closable embed closes on Escape and leaves the close button to the SDK's popover", async () => {
    server.use(...fakePlatform([integration({ id: "slack" })]).handlers);
    const { host } = await renderFrame({ init: { closable: true } });
    await screen.findByText("Slack");
    expect(screen.queryByRole("button", { name: "Close" })).toBeNull();
    fireEvent.keyDown(document, { key: "Escape" });
    expect(host.of("close")).toHaveLength(1);
  });

  it("closing the wizard tells the host with ids only; Cancel is reported as canceled", async () => {
    const p = fakePlatform([
      integration({ id: "crm", name: "Acme CRM", configPages: [{ name: "one", title: "One", fields: [{ key: "k", label: "K", type: "string" }] }] }),
    ]);
    server.use(...p.handlers);
    const { host } = await renderFrame({ init: { screen: { name: "configure", integrationId: "crm" } } });
    fireEvent.input(await screen.findByLabelText("K"), { target: { value: "typed" } });
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    await screen.findByRole("heading", { level: 1, name: "Acme CRM" });
    await waitFor(() => expect(host.of("instance-configuration-closed")).toHaveLength(1));
    expect(host.of("instance-configuration-canceled")).toEqual([
      { type: "instance-configuration-canceled", payload: { integrationId: "crm", instanceId: "inst-1" } },
    ]);
    expect(JSON.stringify(host.events)).not.toContain("typed");
  });

  it("an unknown integration shows a clear not-found state", async () => {
    server.use(...fakePlatform([]).handlers);
    await renderFrame({ init: { screen: { name: "integration", integrationId: "ghost" } } });
    expect(await screen.findByText("This integration doesn't exist or is no longer available.")).toBeTruthy();
  });
});
