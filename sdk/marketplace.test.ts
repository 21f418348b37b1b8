// @vitest-environment happy-dom
// @vitest-environment-options {"settings": {"disableIframePageLoading": true}}
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMarketplace, EmporiumError, type MarketplaceOptions } from "./index.ts";
import { connectFakeFrame, fakeContentWindows, flush, frameOrigin, type FakeWindow } from "./testing/fake-frame.ts";
import { waitUntil } from "../tests/wait-until.ts";

const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl";
let windows: FakeWindow[];
let getToken: ReturnType<typeof vi.fn>;
const options = (extra: Partial<MarketplaceOptions> = {}): MarketplaceOptions => ({
  frameUrl: frameOrigin + "/frame/",
  organization: "org_demo",
  getToken: getToken as unknown as () => Promise<string>,
  ...extra,
});

beforeEach(() => {
  document.body.innerHTML = '<div id="slot"></div><div id="slot2"></div>';
  document.body.style.overflow = "";
  windows = fakeContentWindows();
  getToken = vi.fn(async () => jwt);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("the iframe", () => {
  it("E2 is sandboxed without allow-top-navigation, allows only clipboard-write, sends no referrer and has a title", () => {
    const { frame } = createMarketplace(options()).showMarketplace({ selector: "#slot" });
    expect(frame.getAttribute("sandbox")!.split(" ").sort()).toEqual(
      ["allow-forms", "allow-popups", "allow-popups-to-escape-sandbox", "allow-same-origin", "allow-scripts"].sort(),
    );
    expect(frame.getAttribute("sandbox")).not.toContain("top-navigation");
    expect(frame.getAttribute("allow")).toBe("clipboard-write");
    expect(frame.getAttribute("referrerpolicy")).toBe("no-referrer");
    expect(frame.title).toBe("Integration marketplace");
    expect(frame.parentElement!.id).toBe("slot");
  });

  it("C4 its URL carries only org, parent, channel and v, and never the token", async () => {
    const embed = createMarketplace(options()).showMarketplace({ selector: "#slot" });
    const frame = await connectFakeFrame(embed.frame);
    await frame.host.getToken();
    const url = new URL(embed.frame.src);
    expect(url.origin + url.pathname).toBe(frameOrigin + "/frame/");
    expect([...url.searchParams.keys()].sort()).toEqual(["channel", "org", "parent", "v"]);
    expect(url.searchParams.get("org")).toBe("org_demo");
    expect(url.searchParams.get("parent")).toBe(location.origin);
    expect(url.searchParams.get("v")).toBe("1");
    expect(embed.frame.src).not.toContain(jwt);
  });

  it("C7 each embed gets its own channel id", () => {
    const marketplace = createMarketplace(options());
    const a = marketplace.showMarketplace({ selector: "#slot" });
    const b = marketplace.showMarketplace({ selector: "#slot2" });
    expect(new URL(a.frame.src).searchParams.get("channel")).not.toBe(new URL(b.frame.src).searchParams.get("channel"));
  });
});

describe("the channel", () => {
  it("C4 every postMessage to the frame window targets the exact frame origin, and the token only travels on the port", async () => {
    const embed = createMarketplace(options()).showMarketplace({ selector: "#slot" });
    const frame = await connectFakeFrame(embed.frame);
    expect(await frame.host.getToken()).toBe(jwt);
    const posts = windows[0].postMessage.mock.calls;
    expect(posts.length).toBeGreaterThan(0);
    for (const [data, targetOrigin] of posts) {
      expect(targetOrigin).toBe(frameOrigin);
      expect(JSON.stringify(data)).not.toContain(jwt);
    }
  });

  it("init() gives the frame its screen and display options, and nothing else of the host's", async () => {
    const marketplace = createMarketplace(options({ theme: { colorPrimary: "#123456" }, mode: "dark", locale: "de", autoHeight: true }));
    const embed = marketplace.configureInstance({ integration: "slack", configVars: { apiKey: { value: "k", hidden: true } } }, { popover: true });
    const frame = await connectFakeFrame(embed.frame);
    const init = await frame.host.init();
    expect(init).toEqual({
      screen: { name: "configure", integrationId: "slack" },
      closable: true,
      autoHeight: true,
      theme: { colorPrimary: "#123456" },
      mode: "dark",
      locale: "de",
      hostPrefersDark: false,
      configVars: { apiKey: { value: "k", hidden: true } },
      externalUrls: false,
    });
  });

  it("S5 openExternalUrl: the frame learns there is a hook, not the hook; asking opens the URL through it and answers nothing of the host's", async () => {
    const opened: string[] = [];
    // A host returning what window.open returns: a Window cannot cross the channel, so none is sent.
    const hook = vi.fn((url: string) => (opened.push(url), window));
    const embed = createMarketplace(options({ openExternalUrl: hook as never, oauthPopup: { width: 640, height: 720 } })).showMarketplace({ selector: "#slot" });
    const frame = await connectFakeFrame(embed.frame);
    const init = await frame.host.init();
    expect(init).toMatchObject({ externalUrls: true, oauthPopup: { width: 640, height: 720 } });
    expect(JSON.stringify(init)).not.toContain("function");
    const url = "https://platform.example/api/v1/mock-oauth/authorize?state=opaque";
    await expect(frame.host.openExternalUrl(url)).resolves.toBeUndefined();
    expect(opened).toEqual([url]);

    // Without a hook the frame is told nothing, and the method is not there.
    const plain = createMarketplace(options()).showMarketplace({ selector: "#slot2" });
    const other = await connectFakeFrame(plain.frame);
    expect(await other.host.init()).not.toHaveProperty("externalUrls", true);
    await expect(other.host.openExternalUrl(url)).rejects.toMatchObject({ code: "METHOD_NOT_FOUND" });
  });

  it("showMarketplace({ screen }) opens a tab of the activity screen; the screen options go to the frame", async () => {
    const screens = { activity: { hideTabs: ["usage" as const] } };
    const embed = createMarketplace(options({ screens })).showMarketplace({ selector: "#slot", screen: "logs" });
    const frame = await connectFakeFrame(embed.frame);
    const init = await frame.host.init();
    expect(init.screen).toEqual({ name: "logs" });
    expect(init.screens).toEqual(screens);
  });

  it("a screen that is not a name, or options that are not objects, are INVALID_OPTION at the call", () => {
    const marketplace = createMarketplace(options());
    expect(() => marketplace.showMarketplace({ selector: "#slot", screen: "<script>" as never })).toThrow(expect.objectContaining({ code: "INVALID_OPTION", message: expect.stringContaining("screen") }));
    expect(() => createMarketplace(options({ screens: "all" as never }))).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
  });

  it("configureInstance({ instanceId }) opens reconfiguration", async () => {
    const embed = createMarketplace(options()).configureInstance({ instanceId: "inst_1" }, { selector: "#slot" });
    const frame = await connectFakeFrame(embed.frame);
    expect((await frame.host.init()).screen).toEqual({ name: "reconfigure", instanceId: "inst_1" });
  });

  it("C5 a remote call to constructor, __proto__, toString or hasOwnProperty is method-not-found", async () => {
    const embed = createMarketplace(options()).showMarketplace({ selector: "#slot" });
    const frame = await connectFakeFrame(embed.frame);
    const host = frame.host as unknown as Record<string, () => Promise<unknown>>;
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"]) {
      await expect(host[name](), name).rejects.toMatchObject({ code: "METHOD_NOT_FOUND" });
    }
  });

  it("C3 a handshake from another origin in the same iframe is refused, closes the channel and never reaches getToken", async () => {
    const marketplace = createMarketplace(options());
    const errors: unknown[] = [];
    marketplace.on("error", (payload) => errors.push(payload));
    const embed = marketplace.showMarketplace({ selector: "#slot" });
    const legit = await connectFakeFrame(embed.frame);
    await legit.host.getToken();
    // The frame navigates to an attacker page, which starts a new handshake.
    const attacker = connectFakeFrame(embed.frame, "https://platform.example.evil.io");
    await flush();
    await flush();
    expect(errors).toEqual([{ code: "CONNECTION_CLOSED", message: expect.stringContaining("platform.example.evil.io") }]);
    await expect(Promise.race([attacker, new Promise((resolve) => setTimeout(() => resolve("no handshake"), 50))])).resolves.toBe("no handshake");
    expect(getToken).toHaveBeenCalledTimes(1);
    // The old channel is closed too: the legitimate frame's port no longer reaches the host.
    const outcome = await Promise.race([
      Promise.resolve()
        .then(() => legit.host.getToken())
        .then(
        () => "answered",
        () => "failed",
      ),
      new Promise((resolve) => setTimeout(() => resolve("no answer"), 50)),
    ]);
    expect(outcome).not.toBe("answered");
    expect(getToken).toHaveBeenCalledTimes(1);
  });

  /** An embed with a 500 ms handshake timeout on faked timers, its iframe loaded once, and the `error` events it sends. */
  const loadedWithFakeTimers = () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const marketplace = createMarketplace(options({ timeout: 500 }));
    const errors: unknown[] = [];
    marketplace.on("error", (payload) => errors.push(payload));
    const embed = marketplace.showMarketplace({ selector: "#slot" });
    embed.frame.dispatchEvent(new Event("load"));
    return { embed, errors };
  };

  it("C3 a frame that navigates to a page that never speaks is reported closed once the timeout passes, and its old channel is closed", async () => {
    const { embed, errors } = loadedWithFakeTimers();
    // The page's one init() is its handshake's end (connectFakeFrame calls it, as the real frame does).
    const legit = await connectFakeFrame(embed.frame);
    await legit.host.getToken();
    // A second load with no handshake after it: the frame navigated to a silent page.
    embed.frame.dispatchEvent(new Event("load"));
    await vi.advanceTimersByTimeAsync(500);
    await waitUntil(() => expect(errors).toEqual([{ code: "CONNECTION_CLOSED", message: expect.any(String) }]));
    await expect(Promise.resolve().then(() => legit.host.getToken())).rejects.toBeTruthy();
    expect(getToken).toHaveBeenCalledTimes(1);
  });

  it("C8 a reload whose new page connects before the iframe's load event fires stays connected after the timeout", async () => {
    const { embed, errors } = loadedWithFakeTimers();
    await connectFakeFrame(embed.frame);
    // The reloaded page's handshake and its init() arrive first (its load event waits for its images).
    const reloaded = await connectFakeFrame(embed.frame);
    embed.frame.dispatchEvent(new Event("load"));
    await vi.advanceTimersByTimeAsync(500);
    expect(errors).toEqual([]);
    expect(await reloaded.host.getToken()).toBe(jwt);
  });

  it("E3 a frame running at origin null (sandbox without allow-same-origin) fails closed with SANDBOX_BLOCKED", async () => {
    const embed = createMarketplace(options()).showMarketplace({ selector: "#slot" });
    void connectFakeFrame(embed.frame, "null").catch(() => {});
    await expect(embed.ready).rejects.toMatchObject({ code: "SANDBOX_BLOCKED" });
    expect(windows[0].postMessage.mock.calls.every(([, target]) => target == frameOrigin)).toBe(true);
  });

  it("C8 a frame reload re-handshakes on the same embed and can ask for init and the token again", async () => {
    const embed = createMarketplace(options()).showMarketplace({ selector: "#slot" });
    const first = await connectFakeFrame(embed.frame);
    await first.host.init();
    const second = await connectFakeFrame(embed.frame);
    expect((await second.host.init()).screen).toEqual({ name: "marketplace" });
    expect(await second.host.getToken()).toBe(jwt);
  });
});

describe("getToken", () => {
  it("asks the host as the embed opens, so its backend round trip overlaps the frame's load; the frame's first ask takes that token, a later one asks again", async () => {
    const embed = createMarketplace(options()).showMarketplace({ selector: "#slot" });
    await flush();
    expect(getToken).toHaveBeenCalledTimes(1); // before any frame exists
    const frame = await connectFakeFrame(embed.frame);
    expect(await frame.host.getToken()).toBe(jwt);
    expect(getToken).toHaveBeenCalledTimes(1);
    expect(await frame.host.getToken()).toBe(jwt);
    expect(getToken).toHaveBeenCalledTimes(2);
  });

  it("asks before the iframe is created, in the same call: the backend round trip is not held behind the frame's creation", () => {
    let framesWhenAsked = -1;
    getToken.mockImplementation(async () => ((framesWhenAsked = document.querySelectorAll("iframe").length), jwt));
    createMarketplace(options()).showMarketplace({ selector: "#slot" });
    // No await: a microtask later, the iframe (and its browsing context) would already exist.
    expect(getToken).toHaveBeenCalledTimes(1);
    expect(framesWhenAsked).toBe(0);
    expect(document.querySelectorAll("iframe")).toHaveLength(1);
  });

  it("a getToken that throws instead of rejecting is the same typed error, and does not break the embed", async () => {
    getToken.mockImplementation(() => {
      throw new Error("no session");
    });
    const embed = createMarketplace(options()).showMarketplace({ selector: "#slot" });
    const frame = await connectFakeFrame(embed.frame);
    await expect(frame.host.getToken()).rejects.toEqual({ code: "TOKEN_UNAVAILABLE", message: "getToken() gave no JWT" });
  });

  it("a token asked for an embed that closed before its frame asked goes with it: the next embed asks again", async () => {
    const issued = [jwt, `${jwt.split(".")[0]}.second.sig`];
    getToken.mockImplementation(async () => issued[getToken.mock.calls.length - 1]);
    const marketplace = createMarketplace(options());
    marketplace.showMarketplace({ selector: "#slot" }).close();
    await flush(); // its ask has settled: a later embed does not share it
    await flush();
    const embed = marketplace.showMarketplace({ selector: "#slot" });
    const frame = await connectFakeFrame(embed.frame);
    expect(await frame.host.getToken()).toBe(issued[1]);
    expect(getToken).toHaveBeenCalledTimes(2);
  });

  it("a failed early ask is not left unhandled, and the frame's ask gets the typed error", async () => {
    getToken.mockImplementation(() => Promise.reject(new Error("backend down")));
    const unhandled = vi.fn();
    process.on("unhandledRejection", unhandled);
    const embed = createMarketplace(options()).showMarketplace({ selector: "#slot" });
    await flush();
    const frame = await connectFakeFrame(embed.frame);
    await expect(frame.host.getToken()).rejects.toEqual({ code: "TOKEN_UNAVAILABLE", message: "getToken() gave no JWT" });
    await flush();
    process.off("unhandledRejection", unhandled);
    expect(unhandled).not.toHaveBeenCalled();
  });

  it("A7 concurrent calls share one call of the host callback", async () => {
    let release!: (token: string) => void;
    getToken.mockImplementation(() => new Promise((resolve) => (release = resolve)));
    const embed = createMarketplace(options()).showMarketplace({ selector: "#slot" });
    const frame = await connectFakeFrame(embed.frame);
    const tokens = Promise.all([1, 2, 3, 4, 5].map(() => frame.host.getToken()));
    // `release` is already set by the token the SDK fetches when it shows the frame; release it
    // only once all five calls are in. The port delivers in order, so when a later call (init)
    // is answered, the five have reached the SDK. (Releasing after one timer turn raced them on a
    // loaded machine: a late call asked the host again and waited for a release that never came.)
    await frame.host.init();
    release(jwt);
    expect(await tokens).toEqual([jwt, jwt, jwt, jwt, jwt]);
    expect(getToken).toHaveBeenCalledTimes(1);
    // Once settled, the next call asks the host again (the frame decides when to refresh).
    getToken.mockImplementation(async () => jwt);
    await frame.host.getToken();
    expect(getToken).toHaveBeenCalledTimes(2);
  });

  it.each([
    ["rejects", () => Promise.reject(new Error("backend down at https://internal.example/secret"))],
    ["throws", () => {
      throw new Error("boom");
    }],
    ["resolves to a non-JWT", async () => "not a jwt"],
    ["resolves to a number", async () => 42],
  ])("C9 a callback that %s becomes { code: TOKEN_UNAVAILABLE, message } with no stack or URL", async (_, implementation) => {
    getToken.mockImplementation(implementation as never);
    const embed = createMarketplace(options()).showMarketplace({ selector: "#slot" });
    const frame = await connectFakeFrame(embed.frame);
    const error = await frame.host.getToken().catch((reason: unknown) => reason);
    expect(error).toEqual({ code: "TOKEN_UNAVAILABLE", message: "getToken() gave no JWT" });
  });
});

describe("events", () => {
  it("dispatches known events with a plain payload to on() handlers with the embed, and ignores the rest", async () => {
    const marketplace = createMarketplace(options());
    const seen: unknown[] = [];
    const stop = marketplace.on("instance-deployed", (payload, embed) => seen.push([payload, embed]));
    const embed = marketplace.showMarketplace({ selector: "#slot" });
    const frame = await connectFakeFrame(embed.frame);
    const payload = { integrationId: "slack", integrationName: "Slack", instanceId: "i1" };
    await frame.host.emit({ type: "instance-deployed", payload });
    await frame.host.emit({ type: "toString", payload } as never);
    await frame.host.emit({ type: "instance-deployed", payload: [1] } as never);
    await frame.host.emit({ type: "instance-deployed" } as never);
    await frame.host.emit(null as never);
    await flush();
    expect(seen).toEqual([[payload, embed]]);
    stop();
    await frame.host.emit({ type: "instance-deployed", payload });
    await flush();
    expect(seen).toHaveLength(1);
  });

  it("off() removes exactly that handler", async () => {
    const marketplace = createMarketplace(options());
    const a = vi.fn();
    const b = vi.fn();
    marketplace.on("ready", a);
    marketplace.on("ready", b);
    marketplace.off("ready", a);
    const embed = marketplace.showMarketplace({ selector: "#slot" });
    const frame = await connectFakeFrame(embed.frame);
    await frame.host.emit({ type: "ready", payload: { screen: "marketplace" } });
    await flush();
    expect(a).not.toHaveBeenCalled();
    expect(b).toHaveBeenCalledOnce();
  });

  it("a throwing handler does not break the channel", async () => {
    const marketplace = createMarketplace(options());
    const after = vi.fn();
    marketplace.on("ready", () => {
      throw new Error("host bug");
    });
    marketplace.on("ready", after);
    // The handler's error surfaces as an uncaught error of its own task (as in a browser), not
    // as a failed emit() in the frame; hold vitest's own uncaught-error listeners meanwhile.
    const vitestListeners = process.listeners("uncaughtException");
    process.removeAllListeners("uncaughtException");
    const uncaught: unknown[] = [];
    process.on("uncaughtException", (error) => uncaught.push(error));
    const embed = marketplace.showMarketplace({ selector: "#slot" });
    const frame = await connectFakeFrame(embed.frame);
    try {
      await expect(frame.host.emit({ type: "ready", payload: { screen: "marketplace" } })).resolves.toBeUndefined();
      await flush();
    } finally {
      process.removeAllListeners("uncaughtException");
      vitestListeners.forEach((listener) => process.on("uncaughtException", listener));
    }
    expect(uncaught).toEqual([new Error("host bug")]);
    expect(after).toHaveBeenCalledOnce();
    await expect(frame.host.init()).resolves.toBeTruthy();
  });

  it("C7 two embeds on one page (inline + popover) never cross-talk", async () => {
    const marketplace = createMarketplace(options());
    const seen: [string, HTMLIFrameElement][] = [];
    marketplace.on("instance-deployed", (payload, embed) => seen.push([payload.instanceId, embed.frame]));
    const inline = marketplace.showMarketplace({ selector: "#slot" });
    const popover = marketplace.configureInstance({ integration: "slack" }, { popover: true });
    const a = await connectFakeFrame(inline.frame);
    const b = await connectFakeFrame(popover.frame);
    await a.host.emit({ type: "instance-deployed", payload: { integrationId: "x", integrationName: "X", instanceId: "from-inline" } });
    await b.host.emit({ type: "instance-deployed", payload: { integrationId: "y", integrationName: "Y", instanceId: "from-popover" } });
    await flush();
    expect(seen).toEqual([
      ["from-inline", inline.frame],
      ["from-popover", popover.frame],
    ]);
    expect((await a.host.init()).closable).toBe(false);
    expect((await b.host.init()).closable).toBe(true);
  });

  it("C7 two marketplaces keep their handlers apart", async () => {
    const one = createMarketplace(options());
    const two = createMarketplace(options());
    const heardByTwo = vi.fn();
    two.on("ready", heardByTwo);
    const frame = await connectFakeFrame(one.showMarketplace({ selector: "#slot" }).frame);
    await frame.host.emit({ type: "ready", payload: { screen: "marketplace" } });
    await flush();
    expect(heardByTwo).not.toHaveBeenCalled();
  });

  it("resize sets the iframe height only with autoHeight", async () => {
    const grow = createMarketplace(options({ autoHeight: true })).showMarketplace({ selector: "#slot" });
    const fixed = createMarketplace(options()).showMarketplace({ selector: "#slot2" });
    for (const embed of [grow, fixed]) {
      const frame = await connectFakeFrame(embed.frame);
      await frame.host.emit({ type: "resize", payload: { height: 640 } });
      await frame.host.emit({ type: "resize", payload: { height: "1px;background:red" } } as never);
    }
    expect(grow.frame.style.height).toBe("640px");
    expect(fixed.frame.style.height).toBe("100%");
  });
  it("a shrink never makes a scrolled page shorter than its scroll position (which would clamp it and move the frame under the pointer)", async () => {
    const embed = createMarketplace(options({ autoHeight: true })).showMarketplace({ selector: "#slot" });
    const frame = await connectFakeFrame(embed.frame);
    await frame.host.emit({ type: "resize", payload: { height: 1400 } });
    // happy-dom lays nothing out: the page's geometry as a browser would give it. The page is
    // 2000 px tall in an 800 px window, scrolled to 1000: it can still scroll 200 px down.
    Object.defineProperty(embed.frame, "offsetHeight", { configurable: true, get: () => parseFloat(embed.frame.style.height) });
    Object.defineProperty(document.documentElement, "scrollHeight", { configurable: true, get: () => 600 + parseFloat(embed.frame.style.height) });
    vi.stubGlobal("innerHeight", 800);
    // [scrolled to, height asked, height applied]
    const steps: [number, number, number][] = [
      // 1000 of at most 1200: 200 px can go now, the rest waits.
      [1000, 500, 1200],
      // The user scrolled up by 300: 300 px more can go (the frame asks again as the user scrolls).
      [700, 500, 900],
      // At the top of the page no scroll position can clamp: all of it.
      [0, 500, 500],
      // Growing is never held back.
      [400, 1600, 1600],
    ];
    try {
      for (const [scrollY, height, applied] of steps) {
        vi.stubGlobal("scrollY", scrollY);
        await frame.host.emit({ type: "resize", payload: { height } });
        expect(embed.frame.style.height).toBe(`${applied}px`);
      }
    } finally {
      vi.unstubAllGlobals();
      delete (document.documentElement as { scrollHeight?: number }).scrollHeight;
    }
  });
  it("C6 a resize with a height out of range or of the wrong type leaves the iframe as it was", async () => {
    const embed = createMarketplace(options({ autoHeight: true })).showMarketplace({ selector: "#slot" });
    const frame = await connectFakeFrame(embed.frame);
    await frame.host.emit({ type: "resize", payload: { height: 640 } });
    for (const height of [-10, 1e9, Number.NaN, Infinity, "1px;background:red", "700", null, [700]])
      await frame.host.emit({ type: "resize", payload: { height } } as never);
    expect(embed.frame.style.height).toBe("640px");
  });
});

describe("the SDK's own words", () => {
  it("an inline embed takes the frame's title; with a locale, ready asks the frame for it (a language switch), without one it asks nothing", async () => {
    const embed = createMarketplace(options({ locale: "de-AT", phrases: { "embed.title": "Integrationen" } })).showMarketplace({ selector: "#slot" });
    const frame = await connectFakeFrame(embed.frame);
    await frame.host.emit({ type: "ready", payload: { screen: "marketplace" } });
    await flush();
    expect(frame.calls).toEqual([{ method: "setLocale", args: ["de-AT", { "embed.title": "Integrationen" }] }]);
    await frame.host.emit({ type: "labels", payload: { title: "Integrationen", close: "Schließen" } });
    expect(embed.frame.title).toBe("Integrationen");

    const english = createMarketplace(options()).showMarketplace({ selector: "#slot" });
    const other = await connectFakeFrame(english.frame);
    await other.host.emit({ type: "ready", payload: { screen: "marketplace" } });
    await flush();
    expect(other.calls).toEqual([]);
    expect(english.frame.title).toBe("Integration marketplace");
  });
});

describe("ready", () => {
  it("resolves when the frame emits ready", async () => {
    const embed = createMarketplace(options()).showMarketplace({ selector: "#slot" });
    const frame = await connectFakeFrame(embed.frame);
    await frame.host.emit({ type: "ready", payload: { screen: "marketplace" } });
    await expect(embed.ready).resolves.toBeUndefined();
  });

  it("rejects with ORIGIN_NOT_ALLOWED when the frame reports it, and the error event carries it", async () => {
    const marketplace = createMarketplace(options());
    const errors = vi.fn();
    marketplace.on("error", errors);
    const embed = marketplace.showMarketplace({ selector: "#slot" });
    const frame = await connectFakeFrame(embed.frame);
    await frame.host.emit({ type: "error", payload: { code: "ORIGIN_NOT_ALLOWED", message: "not allowed here" } });
    const error = await embed.ready.catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(EmporiumError);
    expect(error).toMatchObject({ code: "ORIGIN_NOT_ALLOWED", message: "not allowed here" });
    await flush();
    expect(errors).toHaveBeenCalledOnce();
  });

  it("C8 rejects with CONNECTION_TIMEOUT when the frame never loads nor answers", async () => {
    vi.useFakeTimers();
    const embed = createMarketplace(options({ timeout: 500 })).showMarketplace({ selector: "#slot" });
    vi.advanceTimersByTime(500);
    await expect(embed.ready).rejects.toMatchObject({ code: "CONNECTION_TIMEOUT" });
  });

  it("C8 once the frame has called init(), the handshake timer is gone: no timeout later, the channel stays open", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const marketplace = createMarketplace(options({ timeout: 500 }));
    const errors = vi.fn();
    marketplace.on("error", errors);
    const embed = marketplace.showMarketplace({ selector: "#slot" });
    let settled: unknown;
    embed.ready.then(
      () => (settled = "ready"),
      (error: EmporiumError) => (settled = error.code),
    );
    const frame = await connectFakeFrame(embed.frame);
    await frame.host.init();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(settled).toBeUndefined();
    expect(errors).not.toHaveBeenCalled();
    await frame.host.emit({ type: "ready", payload: { screen: "marketplace" } });
    await expect(embed.ready).resolves.toBeUndefined();
    expect(await frame.host.getToken()).toBe(jwt);
  });

  it("D7 rejects with FRAME_LOAD_FAILED when the frame loaded but its script never connected", async () => {
    vi.useFakeTimers();
    const embed = createMarketplace(options({ timeout: 500 })).showMarketplace({ selector: "#slot" });
    embed.frame.dispatchEvent(new Event("load"));
    vi.advanceTimersByTime(500);
    await expect(embed.ready).rejects.toMatchObject({ code: "FRAME_LOAD_FAILED" });
  });

  it("D7 after FRAME_LOAD_FAILED the failed embed's channel is closed: a script that connects late gets no handshake", async () => {
    const embed = createMarketplace(options({ timeout: 50 })).showMarketplace({ selector: "#slot" });
    embed.frame.dispatchEvent(new Event("load"));
    await expect(embed.ready).rejects.toMatchObject({ code: "FRAME_LOAD_FAILED" });
    const late = connectFakeFrame(embed.frame);
    late.catch(() => {});
    await expect(Promise.race([late, new Promise((resolve) => setTimeout(() => resolve("no handshake"), 50))])).resolves.toBe("no handshake");
    expect(getToken).toHaveBeenCalledTimes(1); // the early ask as the embed opened; nothing more
  });

  it("rejects with DISPOSED when closed first", async () => {
    const embed = createMarketplace(options()).showMarketplace({ selector: "#slot" });
    embed.close();
    await expect(embed.ready).rejects.toMatchObject({ code: "DISPOSED" });
  });
});

describe("live updates", () => {
  it("setTheme, setLocale and setConfigVars reach every open embed, and a reloaded frame gets the latest in init()", async () => {
    const marketplace = createMarketplace(options({ mode: "light" }));
    const embed = marketplace.configureInstance({ integration: "slack" }, { selector: "#slot" });
    const frame = await connectFakeFrame(embed.frame);
    await marketplace.setTheme({ colorPrimary: "#000000" }, "dark");
    await marketplace.setLocale("fr", { "search.placeholder": "Chercher" });
    await marketplace.setConfigVars({ channel: { value: "#ops", readOnly: true } });
    expect(frame.calls).toEqual([
      { method: "setTheme", args: [{ theme: { colorPrimary: "#000000" }, mode: "dark", hostPrefersDark: false }] },
      { method: "setLocale", args: ["fr", { "search.placeholder": "Chercher" }] },
      { method: "setConfigVars", args: [{ channel: { value: "#ops", readOnly: true } }] },
    ]);
    const reloaded = await connectFakeFrame(embed.frame);
    expect(await reloaded.host.init()).toMatchObject({
      theme: { colorPrimary: "#000000" },
      mode: "dark",
      locale: "fr",
      configVars: { channel: { value: "#ops", readOnly: true } },
    });
  });

  it("C6 C9 a value the channel cannot carry rejects with EmporiumError INVALID_MESSAGE, never the transport's own error", async () => {
    const marketplace = createMarketplace(options());
    const frame = await connectFakeFrame(marketplace.showMarketplace({ selector: "#slot" }).frame);
    const error = await marketplace.setConfigVars({ apiKey: { value: (() => 1) as never } }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(EmporiumError);
    expect(error).toMatchObject({ code: "INVALID_MESSAGE" });
    expect(frame.calls).toEqual([]);
    // The channel keeps working.
    await expect(marketplace.setTheme({ colorPrimary: "#000000" })).resolves.toBeUndefined();
  });

  it("a frame that refuses an update rejects the promise with its typed error", async () => {
    const marketplace = createMarketplace(options());
    const frame = await connectFakeFrame(marketplace.showMarketplace({ selector: "#slot" }).frame);
    frame.answer = { ok: false, error: { code: "UNKNOWN_LOCALE", message: "no locale xx" } };
    await expect(marketplace.setLocale("xx")).rejects.toMatchObject({ code: "UNKNOWN_LOCALE" });
  });

  it('mode "auto" pushes the host colour scheme to the frame when it changes', async () => {
    const scheme = Object.assign(new EventTarget(), { matches: false, media: "(prefers-color-scheme: dark)" });
    vi.spyOn(window, "matchMedia").mockReturnValue(scheme as unknown as MediaQueryList);
    const marketplace = createMarketplace(options({ mode: "auto" }));
    const frame = await connectFakeFrame(marketplace.showMarketplace({ selector: "#slot" }).frame);
    expect((await frame.host.init()).hostPrefersDark).toBe(false);
    scheme.matches = true;
    scheme.dispatchEvent(new Event("change"));
    await flush();
    await flush();
    expect(frame.calls).toEqual([{ method: "setTheme", args: [{ mode: "auto", hostPrefersDark: true }] }]);
  });
});

describe("cleanup", () => {
  it("C8 dispose() leaves no listener, timer or DOM node, and the marketplace refuses to show again", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const scheme = Object.assign(new EventTarget(), { matches: false });
    const schemeAdd = vi.spyOn(scheme, "addEventListener");
    const schemeRemove = vi.spyOn(scheme, "removeEventListener");
    vi.spyOn(window, "matchMedia").mockReturnValue(scheme as unknown as MediaQueryList);
    const targets = [window, document];
    const added = targets.map((target) => vi.spyOn(target, "addEventListener"));
    const removed = targets.map((target) => vi.spyOn(target, "removeEventListener"));
    const bodyBefore = document.body.innerHTML;

    const marketplace = createMarketplace(options());
    marketplace.showMarketplace({ selector: "#slot" });
    marketplace.configureInstance({ integration: "slack" }, { popover: true });
    expect(added.reduce((sum, spy) => sum + spy.mock.calls.length, 0)).toBeGreaterThan(0);
    expect(vi.getTimerCount()).toBe(2);
    marketplace.dispose();

    for (const [index] of targets.entries()) {
      const listeners = (spy: (typeof added)[number]) => spy.mock.calls.map(([type, listener]) => [type, listener]);
      expect(listeners(removed[index]).sort()).toEqual(listeners(added[index]).sort());
    }
    expect(schemeRemove.mock.calls).toEqual(schemeAdd.mock.calls);
    expect(vi.getTimerCount()).toBe(0);
    expect(document.body.innerHTML).toBe(bodyBefore);
    expect(document.body.style.overflow).toBe("");
    expect(() => marketplace.showMarketplace({ popover: true })).toThrow(expect.objectContaining({ code: "DISPOSED" }));
  });

  it("C8 close() of a connected embed closes the channel: the frame's calls fail afterwards", async () => {
    const embed = createMarketplace(options()).showMarketplace({ selector: "#slot" });
    const frame = await connectFakeFrame(embed.frame);
    embed.close();
    expect(embed.frame.isConnected).toBe(false);
    const outcome = await Promise.race([
      frame.host.getToken().then(
        () => "answered",
        () => "failed",
      ),
      new Promise((resolve) => setTimeout(() => resolve("no answer"), 50)),
    ]);
    expect(outcome).not.toBe("answered");
    // The host was asked when the embed opened (see "getToken"), but the token never crossed.
  });
});
