// @vitest-environment happy-dom
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { boot, readParams } from "./boot.ts";
import { prefetchEmbed } from "./embed-prefetch.ts";
import { ORIGIN } from "../test/fake-platform.ts";

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

function fakeWindow(search: string, framed = true) {
  const parent = { postMessage: vi.fn() };
  const win = { location: { search, origin: ORIGIN }, parent } as unknown as Window & { parent: typeof parent };
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

  it("E1 with GET embed started early (before the modules ran), a parent not on the allow-list still gets no message", async () => {
    let requests = 0;
    server.events.on("request:start", () => void requests++);
    try {
      const search = "?org=demo&parent=http://evil.test&channel=c1&v=1";
      prefetchEmbed(search, ORIGIN);
      const { win, parent } = fakeWindow(search);
      expect(await boot(win)).toEqual({ ok: false, reason: "originNotAllowed" });
      expect(requests).toBe(1); // boot validated the early response instead of asking again
      expect(parent.postMessage).not.toHaveBeenCalled();
    } finally {
      server.events.removeAllListeners();
    }
  });
});
