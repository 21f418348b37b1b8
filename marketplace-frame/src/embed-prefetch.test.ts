import { afterEach, describe, expect, it, vi } from "vitest";
import { embedFetch, prefetchEmbed } from "./embed-prefetch.ts";

const ORIGIN = "https://platform.test";
const EMBED = `${ORIGIN}/api/v1/embed/demo`;
const response = (body: string) => new Response(body, { headers: { "content-type": "application/json" } });

afterEach(() => void embedFetch(vi.fn())(EMBED)); // drops anything a test left pending

describe("embed prefetch", () => {
  it("starts GET embed for a well-formed org only, on the document's own origin", () => {
    const fetcher = vi.fn(async () => response("{}"));
    for (const bad of ["", "?org=", "?org=../x", "?org=a%2Fb", `?org=${"x".repeat(65)}`]) prefetchEmbed(bad, ORIGIN, fetcher);
    expect(fetcher).not.toHaveBeenCalled();
    prefetchEmbed("?org=demo&parent=http://host.test&channel=c&v=1", ORIGIN, fetcher);
    expect(fetcher).toHaveBeenCalledExactlyOnceWith(EMBED);
  });

  it("answers boot's request with the prefetched response once; a retry or another URL goes to the network", async () => {
    const early = response('{"early":true}');
    prefetchEmbed("?org=demo", ORIGIN, async () => early);
    const network = vi.fn(async () => response('{"network":true}'));
    const f = embedFetch(network);
    expect(await f(`${ORIGIN}/api/v1/embed/other`)).not.toBe(early); // another org: not this one
    expect(network).toHaveBeenCalledTimes(1);

    prefetchEmbed("?org=demo", ORIGIN, async () => early);
    expect(await f(new Request(EMBED))).toBe(early);
    expect(await (await f(new Request(EMBED))).json()).toEqual({ network: true }); // the retry
    expect(network).toHaveBeenCalledTimes(2);
  });

  it("a failed prefetch is reported to the caller that takes it, never as an unhandled rejection", async () => {
    prefetchEmbed("?org=demo", ORIGIN, () => Promise.reject(new TypeError("offline")));
    await new Promise((r) => setTimeout(r, 0));
    await expect(embedFetch(vi.fn())(EMBED)).rejects.toThrow("offline");
  });
});
