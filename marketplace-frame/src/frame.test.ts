// @vitest-environment happy-dom
import { delay, http, HttpResponse } from "msw";
import { describe, expect, it, vi } from "vitest";
import type { FrameInit } from "../../contract/protocol.ts";
import { ORIGIN, fakePlatform, integration } from "../test/fake-platform.ts";
import { fakeHost, fakeJwt, setupFrameServer } from "../test/harness.tsx";
import { createFrame, SKELETON_AFTER_MS } from "./frame.ts";
import { createNetworkState } from "./state/network.ts";

const server = setupFrameServer();

function frameWith(init: Partial<FrameInit> = {}) {
  const host = fakeHost();
  const frame = createFrame({ host, init: { screen: { name: "marketplace" }, closable: false, autoHeight: false, ...init }, origin: ORIGIN, token: fakeJwt(), retryDelay: () => 1 });
  return { host, frame };
}

describe("D6 network state", () => {
  it("D6 the browser's offline and online events raise and clear the offline state", () => {
    const network = createNetworkState(window);
    try {
      expect(network.online.value).toBe(true);
      window.dispatchEvent(new Event("offline"));
      expect(network.online.value).toBe(false);
      window.dispatchEvent(new Event("online"));
      expect(network.online.value).toBe(true);
    } finally {
      network.dispose();
    }
    window.dispatchEvent(new Event("offline"));
    expect(network.online.value).toBe(true); // disposed: no listener left
  });
});

describe("first render", () => {
  it("draws the marketplace once its catalog is in, when that is quick: no skeleton is drawn first", async () => {
    server.use(...fakePlatform([integration({ id: "crm", name: "Acme CRM" })]).handlers);
    const { frame } = frameWith();
    await frame.untilFirstRender();
    expect(frame.catalog.status.value).toBe("ready");
  });

  it("draws the skeleton after SKELETON_AFTER_MS when the catalog is slow, and the list when it lands", async () => {
    const p = fakePlatform([integration({ id: "crm", name: "Acme CRM" })]);
    server.use(http.get(`${ORIGIN}/api/v1/integrations`, async () => (await delay(SKELETON_AFTER_MS * 4), HttpResponse.json({ integrations: [], categories: [], labels: [] }))), ...p.handlers);
    const { frame } = frameWith();
    await frame.untilFirstRender();
    expect(frame.catalog.status.value).toBe("loading"); // drawn without it: the skeleton shows
  });

  it("another first screen (a wizard) is drawn at once, without waiting for the catalog", async () => {
    const p = fakePlatform([integration({ id: "crm", name: "Acme CRM" })]);
    server.use(http.get(`${ORIGIN}/api/v1/integrations`, () => new Promise<never>(() => {})), ...p.handlers);
    const { frame } = frameWith({ screen: { name: "configure", integrationId: "crm" } });
    await frame.untilFirstRender();
    expect(frame.catalog.status.value).not.toBe("ready");
  });
});

describe("ready", () => {
  it("goes out once, after the next frame is drawn, not when the screen's data arrived", async () => {
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal("requestAnimationFrame", (cb: FrameRequestCallback) => frames.push(cb));
    const { host, frame } = frameWith();
    frame.markReady("marketplace");
    frame.markReady("marketplace");
    await new Promise((r) => setTimeout(r, 10));
    expect(host.of("ready")).toEqual([]);
    frames.splice(0).forEach((cb) => cb(performance.now()));
    await vi.waitFor(() => expect(host.of("ready")).toEqual([{ type: "ready", payload: { screen: "marketplace" } }]));
  });

  it("goes out after 100 ms where no frame is drawn (a hidden frame)", async () => {
    vi.stubGlobal("requestAnimationFrame", () => 0);
    const { host, frame } = frameWith();
    frame.markReady("marketplace");
    await vi.waitFor(() => expect(host.of("ready")).toHaveLength(1), { timeout: 1000 });
  });
});
