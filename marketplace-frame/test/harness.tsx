/**
 * Renders the frame App with a fake host (no penpal): what the host would see is recorded in
 * `host.events`, and `host.getToken` counts token requests.
 */
import { cleanup, render } from "@testing-library/preact";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, vi } from "vitest";
import type { FrameEvent, FrameInit } from "../../contract/protocol.ts";
import { App } from "../src/app.tsx";
import { createFrame, type Frame } from "../src/frame.ts";
import { ORIGIN } from "./fake-platform.ts";

/**
 * The msw server of a component test file: an unhandled request fails the test; after each test
 * the rendered frame is unmounted, the test's handlers are dropped, and what it changed on the
 * globals (spies, stubbed globals, a fake clock) is put back, so no test sees another's.
 */
export function setupFrameServer() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => {
    cleanup();
    server.resetHandlers();
    vi.useRealTimers();
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });
  afterAll(() => server.close());
  return server;
}

export function fakeJwt(expSecondsFromNow = 3600, n = 0): string {
  const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  return `${b64({ alg: "RS256", typ: "JWT" })}.${b64({ sub: "u1", n, exp: Math.floor(Date.now() / 1000) + expSecondsFromNow })}.sig`;
}

export function fakeHost(tokens: () => Promise<string> = async () => fakeJwt()) {
  const events: FrameEvent[] = [];
  const getToken = vi.fn(tokens);
  return {
    events,
    getToken,
    emit: (e: FrameEvent) => void events.push(structuredClone(e)),
    of: <T extends FrameEvent["type"]>(type: T) => events.filter((e) => e.type === type) as Extract<FrameEvent, { type: T }>[],
  };
}
export type FakeHost = ReturnType<typeof fakeHost>;

export async function renderFrame(opts: { init?: Partial<FrameInit>; host?: FakeHost; token?: string } = {}) {
  const host = opts.host ?? fakeHost();
  const init: FrameInit = { screen: { name: "marketplace" }, closable: false, autoHeight: false, ...opts.init };
  const frame: Frame = createFrame({ host, init, origin: ORIGIN, token: opts.token ?? fakeJwt(), retryDelay: () => 1 });
  for (const w of await frame.applyInit()) frame.emit("warning", w);
  const view = render(<App frame={frame} />);
  return { frame, host, view };
}
