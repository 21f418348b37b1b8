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

/**
 * A flake hunt, off by default: `EMPORIUM_TEST_JITTER_MS=60 npx vitest run --project unit
 * marketplace-frame` makes every request of a rendered frame wait a random 0–60 ms first, so the
 * screen's requests answer in every order. A test that then fails depends on one order (or the
 * screen does: the instance page once showed "doesn't exist" for a deactivated instance when its
 * runs answered first). docs/testing.md rule 7.
 */
const jitterMs = Number(process.env.EMPORIUM_TEST_JITTER_MS) || 0;
const realSetTimeout = globalThis.setTimeout;
const jitterFetch = async (...args: Parameters<typeof fetch>) => {
  await new Promise((r) => realSetTimeout(r, Math.random() * jitterMs));
  return globalThis.fetch(...args);
};
export async function renderFrame(opts: { init?: Partial<FrameInit>; host?: FakeHost; token?: string } = {}) {
  const host = opts.host ?? fakeHost();
  const init: FrameInit = { screen: { name: "marketplace" }, closable: false, autoHeight: false, ...opts.init };
  const frame: Frame = createFrame({ host, init, origin: ORIGIN, token: opts.token ?? fakeJwt(), fetch: jitterMs ? jitterFetch : undefined, retryDelay: () => 1 });
  for (const w of await frame.applyInit()) frame.emit("warning", w);
  const view = render(<App frame={frame} />);
  return { frame, host, view };
}
