/**
 * Checklist rows that only a real browser can observe: two real sites (host on localhost,
 * platform + frame on 127.0.0.1), real postMessage/MessagePort, real CSP and sandbox.
 * Attacker pages live on made-up origins served by Playwright routes.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Frame, Page, Request, Route } from "playwright-core";
import { openBlankHostPage as openHostPage, sdkPage, type SdkPageWindow } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";

let page: Page;

const EVIL = "http://evil.test:8080";

const { stack, browser } = useStackAndBrowser();
beforeEach(async () => {
  page = await browser.context.newPage();
});
afterEach(async () => {
  await page.close();
});

/** A blank page on the host's origin that loads the built SDK. */
const openBlankHostPage = (p: Page = page) => openHostPage(p, stack.hostUrl);

/** Adds an iframe named `name` showing `src` to the host page, once it has loaded. */
const appendFrame = (name: string, src: string) =>
  page.evaluate(
    ([name, src]) => {
      const f = document.createElement("iframe");
      f.src = src;
      f.name = name;
      document.body.append(f);
      return new Promise((r) => (f.onload = r));
    },
    [name, src] as const,
  );

/** Creates a marketplace in the page; its events land in window.__events, token requests count in window.__tokens. */
async function embed(p: Page, options: { timeout?: number; frameUrl?: string; popover?: boolean } = {}) {
  await p.evaluate(
    async ({ frameUrl, timeout, popover }) => {
      const { createMarketplace } = (window as unknown as { Emporium: { createMarketplace: (o: object) => any } }).Emporium;
      const w = window as unknown as Record<string, unknown>;
      w.__events = [];
      w.__tokens = 0;
      w.__issued = [];
      const m = createMarketplace({
        frameUrl,
        organization: "demo",
        timeout,
        getToken: async () => {
          (w.__tokens as number)++;
          const token = await (window as unknown as SdkPageWindow).demoToken("acme-corp");
          (w.__issued as string[]).push(token);
          return token;
        },
      });
      for (const name of ["ready", "error", "warning", "close", "instance-deployed"]) m.on(name, (payload: unknown) => (w.__events as unknown[]).push({ name, payload }));
      const e = m.showMarketplace(popover ? { popover: true } : { selector: "#slot" });
      w.__m = m;
      w.__embed = e;
      // Whether the frame document had loaded when the embed failed: the SDK's diagnosis of a
      // silent frame depends on it (see watchdogCode).
      w.__loaded = false;
      e.frame.addEventListener("load", () => (w.__loaded = true));
      w.__ready = e.ready.then(
        () => "ready",
        (err: { code: string; message: string }) => ({ code: err.code, message: err.message, loaded: w.__loaded }),
      );
    },
    { frameUrl: options.frameUrl ?? `${stack.platformUrl}/frame/`, timeout: options.timeout ?? 10_000, popover: options.popover ?? false },
  );
}
/**
 * What the SDK's watchdog must report for a frame that never completes the handshake: a
 * document that loaded but stayed silent is FRAME_LOAD_FAILED, one that had not even loaded is
 * CONNECTION_TIMEOUT. Which one happened depends on how fast the machine served the document
 * before the (short) test timeout, so the test checks the diagnosis against what it observed.
 */
const watchdogCode = (result: { loaded: boolean }) => (result.loaded ? "FRAME_LOAD_FAILED" : "CONNECTION_TIMEOUT");
const readyResult = (p: Page = page) => p.evaluate(() => (window as unknown as { __ready: Promise<unknown> }).__ready);
const events = (p: Page = page) => p.evaluate(() => (window as unknown as { __events: { name: string; payload: Record<string, unknown> }[] }).__events);
const tokenCalls = (p: Page = page) => p.evaluate(() => (window as unknown as { __tokens: number }).__tokens);

/**
 * Records, in the host page, everything it sends on a MessagePort: after the handshake the
 * channel's calls and answers (the token among them) travel only there. Window-level messages to
 * the cross-origin frame cannot be wrapped from page script; C4 checks what the frame receives.
 */
const watchPorts = (p: Page = page) =>
  p.evaluate(() => {
    const w = window as unknown as { __portSent?: string[] };
    if (w.__portSent) return;
    const sent: string[] = (w.__portSent = []);
    const original = MessagePort.prototype.postMessage;
    MessagePort.prototype.postMessage = function (this: MessagePort, data: unknown, ...rest: unknown[]) {
      sent.push(JSON.stringify(data) ?? "");
      return (original as (...a: unknown[]) => void).call(this, data, ...rest);
    };
  });
/** How many tokens `getToken` returned in this page that were then sent on a port (handed over). */
const tokensHandedOver = (p: Page = page) =>
  p.evaluate(() => {
    const w = window as unknown as { __portSent: string[]; __issued: string[] };
    return w.__issued.filter((token) => w.__portSent.some((m) => m.includes(token))).length;
  });
const marketplaceFrame = (p: Page = page): Frame => p.frames().find((f) => f.url().startsWith(`${stack.platformUrl}/frame/`))!;
const frameBackground = (f: Frame) => f.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--em-color-primary").trim());

describe("channel", () => {
  it("C1 messages from another origin, or from the right origin but another window, are ignored", async () => {
    await openBlankHostPage();
    await embed(page);
    expect(await readyResult()).toBe("ready");
    const frame = marketplaceFrame();
    const primaryBefore = await frameBackground(frame);
    const eventsBefore = (await events()).length;

    // A hostile page on another origin, framed by the host page (an ad, say), forges penpal traffic
    // towards both the marketplace frame and the host.
    await page.route(`${EVIL}/attacker.html`, (route) =>
      route.fulfill({ contentType: "text/html", body: "<!doctype html><title>evil</title>" }),
    );
    await appendFrame("attacker", `${EVIL}/attacker.html`);
    const forge = (f: Frame) =>
      f.evaluate(() => {
        const target = window.parent.frames[0]; // the marketplace iframe
        const base = { namespace: "penpal", channel: undefined };
        const forged = [
          { ...base, type: "SYN", participantId: "evil" },
          { ...base, type: "ACK1", methodPaths: [["setTheme"]] },
          { ...base, type: "CALL", id: "1", methodPath: ["setTheme"], args: [{ theme: { colorPrimary: "#ff0000" } }] },
          { ...base, type: "CALL", id: "2", methodPath: ["emit"], args: [{ type: "instance-deployed", payload: { integrationId: "x", integrationName: "X", instanceId: "forged" } }] },
        ];
        for (const message of forged) {
          target.postMessage(message, "*");
          window.parent.postMessage(message, "*");
        }
      });
    await forge(page.frame({ name: "attacker" })!);

    // Same origin as the host, but another window: a second same-origin iframe of the host.
    await appendFrame("sibling", `${stack.hostUrl}/blank.html`);
    await forge(page.frame({ name: "sibling" })!);

    // Nothing changed: no theme applied in the frame, no event reached the host's handlers…
    await page.waitForTimeout(300); // quiet period: a forged message, had it been accepted, would have been handled by now
    expect(await frameBackground(frame)).toBe(primaryBefore);
    expect((await events()).length).toBe(eventsBefore);
    // …and the real channel still works.
    await page.evaluate(() => (window as unknown as { __m: { setTheme(t: object): Promise<void> } }).__m.setTheme({ colorPrimary: "#123456" }));
    await expect.poll(() => frameBackground(frame)).toBe("#123456");
  });

  it("C2 a frame answering from another port than the pinned frame URL is refused; the token is never handed over", async () => {
    await openBlankHostPage();
    // The host pins http://127.0.0.1:<other port>; that URL redirects to the real frame on the platform port.
    const lookalike = stack.platformUrl.replace(/:(\d+)$/, (_, port) => `:${Number(port) === 65535 ? 65534 : Number(port) + 1}`);
    await page.route(`${lookalike}/frame/**`, (route: Route) => {
      const url = new URL(route.request().url());
      return route.fulfill({ status: 302, headers: { Location: `${stack.platformUrl}/frame/${url.search}` } });
    });
    await watchPorts();
    await embed(page, { frameUrl: `${lookalike}/frame/`, timeout: 4000 });
    const result = (await readyResult()) as { code: string };
    // Refused at the handshake (CONNECTION_CLOSED) or, on a slow machine, by the watchdog first.
    expect(result.code).toMatch(/CONNECTION_CLOSED|CONNECTION_TIMEOUT|FRAME_LOAD_FAILED/);
    // The SDK asked the host once, as the embed opened (to overlap its backend with the frame's
    // load); the token stayed in the page.
    expect(await tokenCalls()).toBe(1);
    expect(await tokensHandedOver()).toBe(0);
  });

  it("C3 a frame that navigates to an attacker origin gets no new handshake and no token; the host is told the channel closed", async () => {
    await openBlankHostPage();
    await watchPorts();
    await embed(page, { timeout: 6000 });
    expect(await readyResult()).toBe("ready");
    // The legitimate frame did get its token, on the port (what C2, E1 and E3 check never happens).
    expect(await tokensHandedOver()).toBeGreaterThan(0);
    const tokensBefore = await tokenCalls();
    // The attacker page records everything the host ever posts to it.
    await page.route(`${EVIL}/took-over.html`, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><script>
          window.received = [];
          addEventListener("message", (e) => window.received.push(JSON.stringify(e.data)));
          const base = { namespace: "penpal", channel: undefined };
          parent.postMessage({ ...base, type: "SYN", participantId: "evil" }, "*");
          parent.postMessage({ ...base, type: "CALL", id: "1", methodPath: ["getToken"], args: [] }, "*");
        </script>`,
      }),
    );
    await marketplaceFrame().evaluate((url) => (location.href = url), `${EVIL}/took-over.html`);
    await expect.poll(async () => (await events()).some((e) => e.name === "error" && e.payload.code === "CONNECTION_CLOSED")).toBe(true);
    const attacker = page.frames().find((f) => f.url().startsWith(EVIL))!;
    await page.waitForTimeout(300); // quiet period: the host posts nothing to the page that took over
    expect(await attacker.evaluate(() => (window as unknown as { received: string[] }).received)).toEqual([]);
    expect(await tokenCalls()).toBe(tokensBefore);
  });

  it("C4 the token is never in a URL nor in any window-level message; each side only hears the other's exact origin", async () => {
    // Cross-origin WindowProxy.postMessage cannot be wrapped from page script, so the browser test
    // records what every document RECEIVES (the unit test in sdk/marketplace.test.ts asserts the
    // targetOrigin argument of every postMessage call).
    const spyPage = await browser.context.newPage();
    await spyPage.addInitScript(() => {
      const log: { origin: string; data: string }[] = [];
      (window as unknown as { __received: unknown[] }).__received = log;
      addEventListener("message", (e) => log.push({ origin: e.origin, data: JSON.stringify(e.data) }), true);
    });
    const urls: string[] = [];
    spyPage.on("request", (request) => urls.push(request.url()));
    try {
      await openBlankHostPage(spyPage);
      await embed(spyPage);
      expect(await readyResult(spyPage)).toBe("ready");
      const token = await spyPage.evaluate(() => (window as unknown as SdkPageWindow).demoToken("acme-corp"));
      const received = (p: Page | Frame) => p.evaluate(() => (window as unknown as { __received: { origin: string; data: string }[] }).__received);
      const atHost = await received(spyPage);
      const atFrame = await received(marketplaceFrame(spyPage));
      expect(atHost.length).toBeGreaterThan(0);
      expect(atFrame.length).toBeGreaterThan(0);
      for (const m of atHost) expect(m.origin).toBe(stack.platformUrl);
      for (const m of atFrame) expect(m.origin).toBe(stack.hostUrl);
      // Same issuer, same header: the first JWT segment identifies any token of this backend.
      const tokenHead = token.split(".")[0];
      for (const m of [...atHost, ...atFrame]) expect(m.data).not.toContain(tokenHead);
      for (const url of urls) expect(url).not.toContain(tokenHead);
    } finally {
      await spyPage.close();
    }
  });

  it("C6 C9 malformed payloads get typed errors carrying only { code, message }, and the channel keeps working", async () => {
    await openBlankHostPage();
    await embed(page);
    expect(await readyResult()).toBe("ready");
    const outcomes = await page.evaluate(async () => {
      const m = (window as unknown as { __m: Record<string, (...a: unknown[]) => Promise<void>> }).__m;
      const attempt = async (fn: () => Promise<void> | void) => {
        try {
          await fn();
          return { ok: true };
        } catch (error) {
          const e = error as Error & { code?: string };
          return { ok: false, name: e.name, code: e.code, message: e.message, keys: Object.keys(e).sort() };
        }
      };
      return [
        // Huge string, extra keys, wrong types: the frame validates against the contract.
        await attempt(() => m.setConfigVars({ apiKey: { value: "x".repeat(300_000) } })),
        await attempt(() => m.setConfigVars({ apiKey: { value: 1, unexpected: true } })),
        await attempt(() => m.setConfigVars({ apiKey: { hidden: "yes" } })),
        // Non-clonable value: refused on the host before anything is posted.
        await attempt(() => m.setConfigVars({ apiKey: { value: () => 1 } })),
        // Wrong shapes at the SDK's own edge.
        await attempt(() => m.setTheme("red" as unknown as object)),
        await attempt(() => m.setLocale({} as unknown as string)),
      ];
    });
    for (const outcome of outcomes) {
      expect(outcome.ok).toBe(false);
      expect(outcome.name).toBe("EmporiumError");
      expect(outcome.code).toMatch(/^[A-Z_]+$/);
      // Only { code, message } crossed: no stack, no script URL of the frame, no echo of the payload.
      expect(outcome.message).not.toContain(stack.platformUrl);
      expect(outcome.message).not.toContain("xxxxxxxxxx");
      expect(outcome.keys).toEqual(["code", "name"]);
    }
    // Still connected and working.
    await page.evaluate(() => (window as unknown as { __m: { setTheme(t: object): Promise<void> } }).__m.setTheme({ colorPrimary: "#abcdef" }));
    await expect.poll(() => frameBackground(marketplaceFrame())).toBe("#abcdef");
  });

  it("C8 a frame reload reconnects, and dispose() leaves no iframe behind", async () => {
    await openBlankHostPage();
    await embed(page);
    expect(await readyResult()).toBe("ready");
    await marketplaceFrame().evaluate(() => location.reload());
    await expect.poll(async () => (await events()).filter((e) => e.name === "ready").length).toBe(2);
    await page.evaluate(() => (window as unknown as { __m: { setTheme(t: object): Promise<void> } }).__m.setTheme({ colorPrimary: "#0f766e" }));
    await expect.poll(() => frameBackground(marketplaceFrame())).toBe("#0f766e");
    await page.evaluate(() => (window as unknown as { __m: { dispose(): void } }).__m.dispose());
    expect(await page.locator("iframe").count()).toBe(0);
  });

  it("C8 a frame URL that never answers gives a typed timeout", async () => {
    await openBlankHostPage();
    await page.route(`${EVIL}/silent/**`, (route) => route.fulfill({ contentType: "text/html", body: "<!doctype html><title>silent</title>" }));
    await embed(page, { frameUrl: `${EVIL}/silent/`, timeout: 1500 });
    const result = (await readyResult()) as { code: string; loaded: boolean };
    expect(result.code).toBe(watchdogCode(result));
  });

  it("D7 the frame's script failing to load once is a typed load error, and a second show succeeds", async () => {
    await openBlankHostPage();
    let failed = false;
    await page.route(`${stack.platformUrl}/frame/assets/index-*.js`, (route) => {
      if (failed) return route.continue();
      failed = true;
      return route.abort("connectionreset");
    });
    await embed(page, { timeout: 3000 });
    const result = (await readyResult()) as { code: string; loaded: boolean };
    expect(result.code).toBe(watchdogCode(result));
    expect(failed).toBe(true);
    await page.evaluate(() => (window as unknown as { __m: { dispose(): void } }).__m.dispose());
    await embed(page);
    expect(await readyResult()).toBe("ready");
  });
});

describe("embedding", () => {
  it("E1 a host origin that is not on the allow-list cannot frame the marketplace: CSP header and a refusing frame", async () => {
    // The frame document's header lists only the allowed host origins.
    const res = await fetch(`${stack.platformUrl}/frame/?org=demo`);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(new RegExp(`frame-ancestors ${stack.hostUrl.replace(/[.:/]/g, "\\$&")}(;|$)`));
    expect(csp).not.toContain(EVIL);

    // An attacker page embeds the marketplace: the browser refuses to render it, the SDK reports a typed error, no token is asked.
    await page.route(`${EVIL}/host.html`, (route) => route.fulfill({ contentType: "text/html", body: sdkPage("/sdk.js") }));
    await page.route(`${EVIL}/sdk.js`, async (route) => route.fulfill({ contentType: "text/javascript", body: await (await fetch(`${stack.hostUrl}/sdk/emporium.js`)).text() }));
    await page.goto(`${EVIL}/host.html`);
    await page.waitForFunction(() => "Emporium" in window);
    await watchPorts();
    const outcome = await page.evaluate(async (frameUrl) => {
      const { createMarketplace } = (window as unknown as { Emporium: { createMarketplace: (o: object) => any } }).Emporium;
      const w = window as unknown as { __issued: string[] };
      w.__issued = [];
      const m = createMarketplace({ frameUrl, organization: "demo", timeout: 3000, getToken: async () => (w.__issued.push("x.y.z"), "x.y.z") });
      const e = m.showMarketplace({ selector: "#slot" });
      const result = await e.ready.then(() => "ready", (err: { code: string }) => err.code);
      return { result };
    }, `${stack.platformUrl}/frame/`);
    expect(outcome.result).not.toBe("ready");
    expect(await tokensHandedOver()).toBe(0);

    // Even with the header out of the way (a proxy stripped it), the frame itself refuses a parent that is not allowed.
    await page.route(`${stack.platformUrl}/frame/**`, async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers["content-security-policy"];
      return route.fulfill({ response, headers });
    });
    await page.goto(`${EVIL}/host.html`);
    await page.waitForFunction(() => "Emporium" in window);
    await watchPorts();
    await page.evaluate(async (frameUrl) => {
      const { createMarketplace } = (window as unknown as { Emporium: { createMarketplace: (o: object) => any } }).Emporium;
      const w = window as unknown as Record<string, unknown>;
      w.__tokens = 0;
      w.__issued = [];
      const m = createMarketplace({ frameUrl, organization: "demo", timeout: 5000, getToken: async () => ((w.__tokens as number)++, (w.__issued as string[]).push("x.y.z"), "x.y.z") });
      const e = m.showMarketplace({ selector: "#slot" });
      w.__loaded = false;
      e.frame.addEventListener("load", () => (w.__loaded = true));
      w.__ready = e.ready.then(() => "ready", (err: { code: string }) => ({ code: err.code, loaded: w.__loaded }));
    }, `${stack.platformUrl}/frame/`);
    // The frame never even handshakes with a parent it does not allow, so the host only sees silence.
    const silence = (await readyResult()) as { code: string; loaded: boolean };
    expect(silence.code).toBe(watchdogCode(silence));
    expect(await tokenCalls()).toBe(1); // asked as the embed opened, never handed over:
    expect(await tokensHandedOver()).toBe(0);
    const frame = marketplaceFrame();
    await expect.poll(() => frame.evaluate(() => document.body.innerText)).toContain("can't be shown here");
  });

  it("E2 the iframe is sandboxed without top navigation, and a top.location write from the frame fails", async () => {
    await page.goto(`${stack.hostUrl}/?customer=acme-corp`);
    const iframe = page.locator("#marketplace iframe");
    await page.frameLocator("#marketplace iframe").getByRole("searchbox").waitFor();
    const sandbox = (await iframe.getAttribute("sandbox"))!.split(/\s+/);
    expect(sandbox).toContain("allow-scripts");
    expect(sandbox).not.toContain("allow-top-navigation");
    expect(sandbox).not.toContain("allow-top-navigation-by-user-activation");
    expect(await iframe.getAttribute("referrerpolicy")).toBeTruthy();
    const allow = (await iframe.getAttribute("allow")) ?? "";
    expect(allow.split(/[;\s]+/).filter(Boolean).every((feature) => feature === "clipboard-write")).toBe(true);
    const hostUrl = page.url();
    const attempt = await marketplaceFrame().evaluate(() => {
      try {
        window.top!.location.href = "http://evil.test:8080/phish";
        return "navigated";
      } catch {
        return "blocked";
      }
    });
    expect(attempt).toBe("blocked");
    await page.waitForTimeout(300); // quiet period: the host page does not navigate
    expect(page.url()).toBe(hostUrl);
  });

  it("E3 a sandbox without allow-same-origin fails closed with a clear error, never a fallback to '*'", async () => {
    await openBlankHostPage();
    // A host (or a meddling script) strips allow-same-origin before the frame loads.
    await page.evaluate(() => {
      const original = Element.prototype.setAttribute;
      Element.prototype.setAttribute = function (this: Element, name: string, value: string) {
        if (name === "sandbox") value = value.replace("allow-same-origin", "").trim();
        return original.call(this, name, value);
      };
    });
    await watchPorts();
    await embed(page, { timeout: 4000 });
    const result = (await readyResult()) as { code: string };
    expect(result.code).toMatch(/SANDBOX_BLOCKED|FRAME_LOAD_FAILED|CONNECTION_TIMEOUT/);
    expect(await tokenCalls()).toBe(1); // asked as the embed opened, never handed over:
    expect(await tokensHandedOver()).toBe(0);
  });

  it("E4 no host method can deploy: the frame exposes no deploy method and host calls leave nothing deployed", async () => {
    // Every platform request the frame sends, and those still travelling.
    const sent: string[] = [];
    const travelling = new Set<Request>();
    page.on("request", (request) => {
      if (!request.url().startsWith(`${stack.platformUrl}/api/`)) return;
      sent.push(`${request.method()} ${new URL(request.url()).pathname}`);
      travelling.add(request);
    });
    page.on("requestfinished", (request) => travelling.delete(request));
    page.on("requestfailed", (request) => travelling.delete(request));
    await openBlankHostPage();
    await page.evaluate(async (frameUrl) => {
      const { Emporium, demoToken } = window as unknown as SdkPageWindow;
      const w = window as unknown as Record<string, unknown>;
      const m = Emporium.createMarketplace({ frameUrl, organization: "demo", getToken: () => demoToken("globex") });
      // Every required value is given, the connection's secret included: only a user's click in
      // the frame is missing, so nothing but E4's guard stands between the host and a deploy.
      const configVars = { stripeKey: { value: { kind: "api-key", apiKey: "sk_host_known_key" }, hidden: true }, currency: { value: "eur" } };
      const e = m.configureInstance({ integration: "stripe", configVars }, { selector: "#slot" });
      await e.ready;
      w.__m = m;
      w.__methods = Object.keys(m).sort();
    }, `${stack.platformUrl}/frame/`);
    const methods = await page.evaluate(() => (window as unknown as { __methods: string[] }).__methods);
    expect(methods.filter((name) => /deploy|save|submit/i.test(name))).toEqual([]);
    // Every host-callable method, driven as hard as a host can: still nothing deployed.
    await page.evaluate(async () => {
      const m = (window as unknown as { __m: Record<string, (...a: unknown[]) => Promise<unknown>> }).__m;
      await m.setConfigVars({ stripeKey: { value: { kind: "api-key", apiKey: "sk_host_known_key" } }, currency: { value: "gbp" }, threshold: { value: 1 } }).catch(() => undefined);
      await m.setTheme({ colorPrimary: "#000000" }).catch(() => undefined);
    });
    // The calls were answered: the frame has handled them. Once every request the frame sent is
    // answered too, none of them was a deploy and the platform holds no deployed instance.
    await expect.poll(() => travelling.size).toBe(0);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((request) => /deploy/i.test(request))).toEqual([]);
    const token = await page.evaluate(() => (window as unknown as SdkPageWindow).demoToken("globex"));
    const list = (await (await fetch(`${stack.platformUrl}/api/v1/instances`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { instances: { status: string }[] };
    expect(list.instances.filter((i) => i.status === "deployed")).toEqual([]);
  });
});
