// @vitest-environment happy-dom
/**
 * Review of 297a01a (issue 18): boot now checks init() as soon as it is in and awaits the token on
 * its own. The edges: the token fails before init() is in, init() fails while the token is on its
 * way (or fails too), the token arrives first, and the host goes away between the handshake and
 * its answers. In none may the token be used before init() passed (C6), a rejection be left
 * unhandled, or the host be left without a typed error.
 */
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { boot } from "./boot.ts";
import { ORIGIN } from "../test/fake-platform.ts";
import { connectFakePeer } from "../../contract/testing/fake-peer.ts";
import { waitUntil } from "../../tests/wait-until.ts";

const HOST = "http://host.test";
const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln";
let requests: string[] = [];
const platform = setupServer(http.all(`${ORIGIN}/*`, ({ request }) => (requests.push(request.url), HttpResponse.json({ error: { code: "NOT_FOUND", message: "no" } }, { status: 404 }))));
const unhandled = vi.fn();
beforeAll(() => {
  platform.listen({ onUnhandledRequest: "error" });
  process.on("unhandledRejection", unhandled);
});
afterEach(() => {
  requests = [];
  unhandled.mockReset();
});
afterAll(() => {
  platform.close();
  process.off("unhandledRejection", unhandled);
});

/** A framed window of the frame's origin whose embed config (allowing HOST) is in the document, and a host speaking penpal on `channel`. */
function framedWith(channel: string, methods: Record<string, (...args: never[]) => unknown>) {
  const parent = { postMessage: vi.fn() };
  const config = { getAttribute: (name: string) => (name === "type" ? "application/json" : null), textContent: JSON.stringify({ organization: { id: "demo", name: "Demo" }, allowedOrigins: [HOST] }) };
  const document = { getElementById: (id: string) => (id === "em-embed-config" ? config : null) };
  const win = { location: { search: `?org=demo&parent=${HOST}&channel=${channel}&v=1`, origin: ORIGIN }, parent, document } as unknown as Window;
  const emitted: unknown[] = [];
  const host = connectFakePeer(parent, HOST, channel, { emit: (event: unknown) => void emitted.push(event), ...methods });
  return { win, host, emitted };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
/** The host got exactly this one typed error, no request left for the platform, and no rejection was left unhandled. */
async function refusedWith(emitted: unknown[], code: string, message: unknown = expect.any(String)) {
  await waitUntil(() => expect(emitted).toEqual([{ type: "error", payload: { code, message } }]));
  await settle();
  expect(requests).toEqual([]);
  expect(unhandled).not.toHaveBeenCalled();
}

describe("review7: boot with init() and the token apart", () => {
  it("C6 the token fails before init() is in: a valid init() then ends boot with noToken and a typed error, no request, nothing unhandled", async () => {
    let answerInit!: (value: unknown) => void;
    const { win, host, emitted } = framedWith("r1", {
      init: () => new Promise((resolve) => (answerInit = resolve)),
      getToken: () => Promise.reject(new Error("backend down")),
    });
    try {
      const booted = boot(win);
      await waitUntil(() => expect(answerInit).toBeTypeOf("function"));
      await settle(); // the token's rejection has arrived and waits
      answerInit({ screen: { name: "marketplace" }, closable: false });
      expect(await booted).toEqual({ ok: false, reason: "noToken" });
      await refusedWith(emitted, "TOKEN_UNAVAILABLE");
    } finally {
      host.destroy();
    }
  });

  it("C6 init() fails while the token is on its way, and the token fails later: badInit, one typed error, no request, nothing unhandled", async () => {
    let failToken!: (error: Error) => void;
    const { win, host, emitted } = framedWith("r2", {
      init: () => Promise.reject(new Error("host bug")),
      getToken: () => new Promise((_, reject) => (failToken = reject)),
    });
    try {
      expect(await boot(win)).toEqual({ ok: false, reason: "badInit" });
      failToken(new Error("and no token either"));
      await refusedWith(emitted, "INVALID_MESSAGE", "init() failed");
    } finally {
      host.destroy();
    }
  });

  it("C6 the token arrives first and init() is refused after: the token is never used (no request leaves)", async () => {
    let answerInit!: (value: unknown) => void;
    let tokenGiven = false;
    const { win, host, emitted } = framedWith("r3", {
      init: () => new Promise((resolve) => (answerInit = resolve)),
      getToken: () => ((tokenGiven = true), JWT),
    });
    try {
      const booted = boot(win);
      await waitUntil(() => expect(tokenGiven && answerInit !== undefined).toBe(true));
      await settle();
      answerInit({ screen: { name: "nowhere" } });
      expect(await booted).toEqual({ ok: false, reason: "badInit" });
      await refusedWith(emitted, "INVALID_MESSAGE");
    } finally {
      host.destroy();
    }
  });

  it("the host goes away after the handshake, before init() or the token answer: boot does not start the catalog request, and leaves nothing unhandled", async () => {
    let asked = 0;
    const { win, host } = framedWith("r4", {
      init: () => (asked++, new Promise(() => {})),
      getToken: () => (asked++, new Promise(() => {})),
    });
    const booted = boot(win).then((result) => result, (error: unknown) => ({ threw: String(error) }));
    await waitUntil(() => expect(asked).toBe(2));
    host.destroy();
    const outcome = await Promise.race([booted, settle().then(() => "still waiting")]);
    // Either boot waits (the host may come back: a reload re-handshakes) or it ends with a failure; never a frame.
    expect(outcome === "still waiting" || (typeof outcome === "object" && "ok" in outcome && outcome.ok === false)).toBe(true);
    await settle();
    expect(requests).toEqual([]);
    expect(unhandled).not.toHaveBeenCalled();
  });
});
