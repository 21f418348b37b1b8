// @vitest-environment happy-dom
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { boot } from "./boot.ts";
import { early, inlineAllowedOrigins, openEarly, openHostChannel, readParams } from "./host-channel.ts";
import { ORIGIN } from "../test/fake-platform.ts";
import { connectFakePeer, type FakeRemoteWindow } from "../../contract/testing/fake-peer.ts";
import { waitUntil } from "../../tests/wait-until.ts";

const server = setupServer(
  http.get(`${ORIGIN}/api/v1/embed/:org`, ({ params }) =>
    params.org === "demo"
      ? HttpResponse.json({ organization: { id: "demo", name: "Demo" }, allowedOrigins: ["http://host.test"] })
      : HttpResponse.json({ error: { code: "NOT_FOUND", message: "no" } }, { status: 404 }),
  ),
);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function fakeWindow(search: string, framed = true, document?: Document) {
  const parent = { postMessage: vi.fn() };
  const win = { location: { search, origin: ORIGIN }, parent, document } as unknown as Window & { parent: typeof parent };
  if (!framed) (win as { parent: unknown }).parent = win;
  return { win, parent };
}

describe("frame boot", () => {
  it("reads only well-formed routing params", () => {
    expect(readParams("?org=demo&parent=http://host.test&channel=c1&v=1")).toEqual({ org: "demo", parent: "http://host.test", channel: "c1", v: "1" });
    for (const bad of [
      "?org=demo&parent=*&channel=c1&v=1",
      "?org=demo&parent=http://host.test/&channel=c1&v=1",
      "?org=demo&parent=javascript:alert(1)&channel=c1&v=1",
      "?org=../x&parent=http://host.test&channel=c1&v=1",
      "?org=demo&parent=http://host.test&channel=c1&v=2",
    ])
      expect(readParams(bad), bad).toBeUndefined();
  });

  it("E1 a parent origin that is not on the allow-list stops boot before any message is posted", async () => {
    const { win, parent } = fakeWindow("?org=demo&parent=http://evil.test&channel=c1&v=1");
    expect(await boot(win)).toEqual({ ok: false, reason: "originNotAllowed" });
    expect(parent.postMessage).not.toHaveBeenCalled();
  });

  it("E1 an allowed origin named in the URL is not enough when the frame is not framed", async () => {
    const { win } = fakeWindow("?org=demo&parent=http://host.test&channel=c1&v=1", false);
    expect(await boot(win)).toEqual({ ok: false, reason: "notFramed" });
  });

  it("an unknown organization or a broken URL is a clear blocked state", async () => {
    expect(await boot(fakeWindow("?org=nope&parent=http://host.test&channel=c1&v=1").win)).toEqual({ ok: false, reason: "unknownOrg" });
    expect(await boot(fakeWindow("?org=demo").win)).toEqual({ ok: false, reason: "badUrl" });
  });

  it("reads the allowed origins the platform wrote into the document for this organization, and nothing malformed", () => {
    const demo = '{"organization":{"id":"demo","name":"Demo"},"allowedOrigins":["http://host.test"]}';
    expect(inlineAllowedOrigins(embedDocument(demo), "demo")).toEqual(["http://host.test"]);
    expect(inlineAllowedOrigins(embedDocument(demo), "other")).toBeUndefined(); // a document cached for another org
    for (const bad of ["", "{", "null", "[]", '{"organization":{"id":"demo"},"allowedOrigins":"http://host.test"}', '{"organization":{"id":"demo"},"allowedOrigins":[1]}', '{"allowedOrigins":["http://host.test"]}'])
      expect(inlineAllowedOrigins(embedDocument(bad), "demo"), bad).toBeUndefined();
    expect(inlineAllowedOrigins(embedDocument(demo, "module"), "demo")).toBeUndefined(); // not a data block
    expect(inlineAllowedOrigins(undefined, "demo")).toBeUndefined();
  });

  it("E1 with the allow-list in the document, a parent not on it gets no message, and boot asks the platform nothing", async () => {
    let requests = 0;
    server.events.on("request:start", () => void requests++);
    try {
      const { win, parent } = fakeWindow("?org=demo&parent=http://evil.test&channel=c1&v=1", true, embedDocument(DEMO_CONFIG));
      openEarly(win);
      expect(await boot(win)).toEqual({ ok: false, reason: "originNotAllowed" });
      expect(parent.postMessage).not.toHaveBeenCalled();
      expect(requests).toBe(0);
    } finally {
      server.events.removeAllListeners();
    }
  });

  it("E1 an allowed origin in the document is not enough when the frame is not framed", async () => {
    const { win } = fakeWindow("?org=demo&parent=http://host.test&channel=c1&v=1", false, embedDocument(DEMO_CONFIG));
    const self = vi.fn();
    (win as unknown as { postMessage: unknown }).postMessage = self;
    openEarly(win);
    expect(early?.win).not.toBe(win);
    expect(await boot(win)).toEqual({ ok: false, reason: "notFramed" });
    expect(self).not.toHaveBeenCalled();
  });

  it("C3 the frame closes its channel when its parent window speaks from another origin", async () => {
    const { win, parent } = fakeWindow("?org=demo&parent=http://host.test&channel=c3&v=1");
    const host = connectFakeHost(parent, "c3", { init: () => ({}), getToken: () => "a.b.c", emit: () => {} });
    const channel = openHostChannel(win, readParams(win.location.search)!);
    try {
      const remote = await channel.host;
      expect(await remote.getToken()).toBe("a.b.c");
      window.dispatchEvent(
        new MessageEvent("message", { source: parent as never, origin: "http://evil.test", data: { namespace: "penpal", channel: "c3", type: "SYN", participantId: "evil" } }),
      );
      await expect(Promise.resolve().then(() => remote.getToken())).rejects.toBeTruthy();
    } finally {
      channel.destroy();
      host.destroy();
    }
  });

  it("C6 an init() the contract refuses stops boot with badInit: the host gets a typed error, and the token is never used", async () => {
    let requests = 0;
    server.events.on("request:start", () => void requests++);
    const { win, parent } = fakeWindow("?org=demo&parent=http://host.test&channel=c9&v=1", true, embedDocument(DEMO_CONFIG));
    const emitted: unknown[] = [];
    const host = connectFakeHost(parent, "c9", {
      init: () => ({ screen: { name: "nowhere" }, closable: "yes", theme: "red;}*{x:url(//evil)}" }),
      getToken: () => "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln",
      emit: (event: unknown) => void emitted.push(event),
    });
    try {
      expect(await boot(win)).toEqual({ ok: false, reason: "badInit" });
      await waitUntil(() => expect(emitted).toEqual([{ type: "error", payload: { code: "INVALID_MESSAGE", message: expect.any(String) } }]));
      expect(requests).toBe(0);
    } finally {
      host.destroy();
      server.events.removeAllListeners();
    }
  });

  it("init() is checked as soon as it is in, without waiting for a token still on its way: a bad one is reported at once", async () => {
    let tokenAsked = false;
    const { win, parent } = fakeWindow("?org=demo&parent=http://host.test&channel=c10&v=1", true, embedDocument(DEMO_CONFIG));
    const emitted: unknown[] = [];
    const host = connectFakeHost(parent, "c10", {
      init: () => ({ screen: { name: "nowhere" } }),
      // The host's backend never answers: boot must not need it to refuse this init().
      getToken: () => ((tokenAsked = true), new Promise<string>(() => {})),
      emit: (event: unknown) => void emitted.push(event),
    });
    try {
      expect(await boot(win)).toEqual({ ok: false, reason: "badInit" });
      expect(tokenAsked).toBe(true); // both were asked at the handshake, in one round trip
      await waitUntil(() => expect(emitted).toEqual([{ type: "error", payload: { code: "INVALID_MESSAGE", message: expect.any(String) } }]));
    } finally {
      host.destroy();
    }
  });

  it("an allowed parent gets the SYN while the modules are still evaluated, pinned to its origin, and boot reuses that channel", async () => {
    const { win, parent } = fakeWindow("?org=demo&parent=http://host.test&channel=c1&v=1", true, embedDocument(DEMO_CONFIG));
    openEarly(win);
    expect(parent.postMessage).toHaveBeenCalledTimes(1);
    expect(parent.postMessage.mock.calls[0]![0]).toMatchObject({ namespace: "penpal", channel: "c1", type: "SYN" });
    expect(parent.postMessage.mock.calls[0]![1]).toBe("http://host.test");
    void boot(win); // waits for a host that never answers; it must not start a second handshake
    await new Promise((r) => setTimeout(r, 10));
    expect(parent.postMessage).toHaveBeenCalledTimes(1);
    early?.channel.destroy();
  });
});

const DEMO_CONFIG = '{"organization":{"id":"demo","name":"Demo"},"allowedOrigins":["http://host.test"]}';

/** A host on the other end of the frame's channel, speaking real penpal from http://host.test. */
function connectFakeHost(parent: FakeRemoteWindow, channel: string, methods: Record<string, (...args: never[]) => unknown>) {
  return connectFakePeer(parent, "http://host.test", channel, methods);
}

function embedDocument(json: string, type = "application/json"): Document {
  const block = { getAttribute: (name: string) => (name === "type" ? type : null), textContent: json };
  return { getElementById: (id: string) => (id === "em-embed-config" ? block : null) } as unknown as Document;
}
