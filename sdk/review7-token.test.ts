// @vitest-environment happy-dom
// @vitest-environment-options {"settings": {"disableIframePageLoading": true}}
/**
 * Review of 297a01a (issue 18): the SDK now calls the host's getToken synchronously as an embed
 * opens. The callbacks hosts really write: one that returns a string (no promise), a thenable that
 * is not a Promise, one that throws a non-Error, one whose promise settles after the embed closed,
 * and two embeds opened in one tick.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMarketplace, type MarketplaceOptions } from "./index.ts";
import { connectFakeFrame, fakeContentWindows, flush, frameOrigin } from "./testing/fake-frame.ts";

const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl";
const UNAVAILABLE = { code: "TOKEN_UNAVAILABLE", message: "getToken() gave no JWT" };
const open = (getToken: () => unknown, selector = "#a") =>
  createMarketplace({ frameUrl: frameOrigin + "/frame/", organization: "org_demo", getToken } as MarketplaceOptions).showMarketplace({ selector });
const unhandled = vi.fn();

beforeEach(() => {
  document.body.innerHTML = '<div id="a"></div><div id="b"></div>';
  fakeContentWindows();
  process.on("unhandledRejection", unhandled);
});
afterEach(() => {
  process.off("unhandledRejection", unhandled);
  unhandled.mockReset();
  vi.restoreAllMocks();
});

describe("review7: getToken as hosts write it", () => {
  it("a callback that returns the token itself (no promise) works; one that returns a non-JWT string is the typed error", async () => {
    const frame = await connectFakeFrame(open(() => JWT).frame);
    expect(await frame.host.getToken()).toBe(JWT);
    const other = await connectFakeFrame(open(() => "not-a-jwt", "#b").frame);
    await expect(other.host.getToken()).rejects.toEqual(UNAVAILABLE);
  });

  it("a thenable that is not a Promise is followed; one whose then throws is the typed error", async () => {
    const thenable = { then: (resolve: (value: string) => void) => setTimeout(() => resolve(JWT), 1) };
    const frame = await connectFakeFrame(open(() => thenable).frame);
    expect(await frame.host.getToken()).toBe(JWT);
    const broken = {
      then: () => {
        throw new Error("broken thenable at https://internal.example/");
      },
    };
    const other = await connectFakeFrame(open(() => broken, "#b").frame);
    await expect(other.host.getToken()).rejects.toEqual(UNAVAILABLE);
  });

  it("C9 a callback that throws a non-Error (a string with a secret, undefined) still opens the embed and gives only the typed error", async () => {
    for (const [thrown, selector] of [["session sk_live_123 expired", "#a"], [undefined, "#b"]] as const) {
      const embed = open(() => {
        throw thrown;
      }, selector);
      expect(embed.frame.isConnected).toBe(true);
      const frame = await connectFakeFrame(embed.frame);
      const error = await frame.host.getToken().catch((reason: unknown) => reason);
      expect(error).toEqual(UNAVAILABLE);
      expect(JSON.stringify(error)).not.toContain("sk_live");
    }
    await flush();
    expect(unhandled).not.toHaveBeenCalled();
  });

  it("an embed closed while its token is on the way: a later rejection is not left unhandled, and a later token is not given to the next embed", async () => {
    const answers: Array<{ resolve: (t: string) => void; reject: (e: Error) => void }> = [];
    const getToken = vi.fn(() => new Promise<string>((resolve, reject) => answers.push({ resolve, reject })));
    const marketplace = createMarketplace({ frameUrl: frameOrigin + "/frame/", organization: "org_demo", getToken });
    marketplace.showMarketplace({ selector: "#a" }).close();
    answers[0].reject(new Error("backend down"));
    await flush();
    await flush();
    expect(unhandled).not.toHaveBeenCalled();

    marketplace.showMarketplace({ selector: "#a" }).close();
    const next = marketplace.showMarketplace({ selector: "#b" });
    // The second embed's ask was shared with the closed one (one host call while pending) …
    expect(getToken).toHaveBeenCalledTimes(2);
    answers[1].resolve(JWT);
    const frame = await connectFakeFrame(next.frame);
    // … and the open embed gets it: one token, asked once, to the embed that is still there.
    expect(await frame.host.getToken()).toBe(JWT);
    expect(getToken).toHaveBeenCalledTimes(2);
  });

  it("A7 two embeds opened in one tick ask the host once, and each frame gets the token; the next ask (a refresh) asks again", async () => {
    let release!: (token: string) => void;
    const getToken = vi.fn(() => new Promise<string>((resolve) => (release = resolve)));
    const marketplace = createMarketplace({ frameUrl: frameOrigin + "/frame/", organization: "org_demo", getToken });
    const a = marketplace.showMarketplace({ selector: "#a" });
    const b = marketplace.showMarketplace({ selector: "#b" });
    expect(getToken).toHaveBeenCalledTimes(1);
    release(JWT);
    const [frameA, frameB] = [await connectFakeFrame(a.frame), await connectFakeFrame(b.frame)];
    expect([await frameA.host.getToken(), await frameB.host.getToken()]).toEqual([JWT, JWT]);
    expect(getToken).toHaveBeenCalledTimes(1);
    getToken.mockImplementation(async () => JWT);
    await frameA.host.getToken();
    expect(getToken).toHaveBeenCalledTimes(2);
  });
});
