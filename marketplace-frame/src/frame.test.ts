// @vitest-environment happy-dom
import { http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { FrameInit } from "../../contract/protocol.ts";
import { ORIGIN, fakePlatform, integration } from "../test/fake-platform.ts";
import { fakeHost, fakeJwt, setupFrameServer } from "../test/harness.tsx";
import { createFrame, SHELL_AFTER_MS, SKELETON_AFTER_MS } from "./frame.ts";
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
  // The 100 ms deadline runs on the test's clock, not the machine's: a catalog answer that takes
  // longer than 100 ms of wall time on a loaded machine must not change what is drawn here.
  beforeEach(() => void vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] }));
  afterEach(() => void vi.useRealTimers());

  /** A frame whose catalog answers only when `answer()` is called, past SHELL_AFTER_MS: the shell is drawn. */
  async function slowCatalogShellDrawn() {
    const p = fakePlatform([integration({ id: "crm", name: "Acme CRM" })]);
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    server.use(http.get(`${ORIGIN}/api/v1/integrations`, async () => (await answered, HttpResponse.json({ integrations: [], categories: [], labels: [] }))), ...p.handlers);
    const { frame } = frameWith();
    const drawn = frame.untilFirstRender();
    await vi.advanceTimersByTimeAsync(SHELL_AFTER_MS);
    await drawn;
    return { frame, answer };
  }

  it("draws the marketplace once, whole, when its catalog is in quickly: no shell or skeleton first", async () => {
    server.use(...fakePlatform([integration({ id: "crm", name: "Acme CRM" })]).handlers);
    const { frame } = frameWith();
    await frame.untilFirstRender();
    expect(frame.catalog.status.value).toBe("ready");
  });

  it("draws the shell after SHELL_AFTER_MS when the catalog is slow, the skeleton at SKELETON_AFTER_MS, and the list when it lands", async () => {
    const { frame, answer } = await slowCatalogShellDrawn();
    // Drawn without the catalog: the shell, its skeleton held back for now.
    expect(frame.catalog.status.value).toBe("loading");
    expect(frame.skeletonHeld.value).toBe(true);
    await vi.advanceTimersByTimeAsync(SKELETON_AFTER_MS - SHELL_AFTER_MS - 1);
    expect(frame.skeletonHeld.value).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(frame.skeletonHeld.value).toBe(false); // the skeleton shows
    answer();
    await frame.startLoading();
    expect(frame.catalog.status.value).toBe("ready");
  });

  it("a catalog in before SKELETON_AFTER_MS releases the hold at once, and the skeleton never shows", async () => {
    const { frame, answer } = await slowCatalogShellDrawn();
    answer();
    await frame.startLoading();
    await vi.advanceTimersByTimeAsync(0);
    expect(frame.catalog.status.value).toBe("ready");
    expect(frame.skeletonHeld.value).toBe(false);
  });

  it("another first screen (a wizard) is drawn at once, without waiting for the catalog", async () => {
    const p = fakePlatform([integration({ id: "crm", name: "Acme CRM" })]);
    server.use(http.get(`${ORIGIN}/api/v1/integrations`, () => new Promise<never>(() => {})), ...p.handlers);
    const { frame } = frameWith({ screen: { name: "configure", integrationId: "crm" } });
    const drawn = frame.untilFirstRender();
    await vi.advanceTimersByTimeAsync(0);
    await drawn;
    expect(frame.catalog.status.value).not.toBe("ready");
  });
});

describe("ready", () => {
  // The test drives both clocks itself: the frames it draws and the 100 ms fallback.
  afterEach(() => void vi.useRealTimers());

  it("goes out once, after the next frame is drawn, not when the screen's data arrived", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal("requestAnimationFrame", (cb: FrameRequestCallback) => frames.push(cb));
    const { host, frame } = frameWith();
    frame.markReady("marketplace");
    frame.markReady("marketplace");
    await vi.advanceTimersByTimeAsync(50);
    expect(host.of("ready")).toEqual([]);
    frames.splice(0).forEach((cb) => cb(performance.now()));
    await vi.advanceTimersByTimeAsync(0);
    expect(host.of("ready")).toEqual([{ type: "ready", payload: { screen: "marketplace" } }]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(host.of("ready")).toHaveLength(1);
  });

  it("goes out after 100 ms where no frame is drawn (a hidden frame)", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    vi.stubGlobal("requestAnimationFrame", () => 0);
    const { host, frame } = frameWith();
    frame.markReady("marketplace");
    await vi.advanceTimersByTimeAsync(99);
    expect(host.of("ready")).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(host.of("ready")).toHaveLength(1);
  });
});
