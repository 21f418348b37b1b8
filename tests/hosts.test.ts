/**
 * Host pages on strict rules, in real Chromium (host on localhost, platform on 127.0.0.1), every
 * page served with the demo host's CSP (no unsafe-inline, Trusted Types required):
 * - H2: the demo host's popover, marketplace → wizard → deploy, with no CSP violation (the
 *   page's `securitypolicyviolation` events and Chromium's console reports);
 * - `<emporium-marketplace>` on a plain HTML page: created before and after its properties,
 *   events as DOM events, removal leaves nothing;
 * - H1 a page written as Prismatic's docs show with only the import changed: events arrive as
 *   `message` events posted to the page's own origin only, ids and names only.
 * - axe-core on the example host pages (demo host, React, Vue, custom UI), light and dark, wide and phone.
 * Needs `npm run build` (dist/sdk is served by the demo host at /sdk/).
 */
import { expect, it } from "vitest";
import type { Page } from "playwright-core";
import { hostPageCsp } from "../examples/demo-backend/server.ts";
import { deleteAllInstances, demoTokenScript, deployStripe, hostEvents, signInDemoUser } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";
import { axeViolations } from "./axe.ts";

const { stack, browser } = useStackAndBrowser();

/** A page that records CSP violations (its own events and Chromium's console reports) and every postMessage target. */
async function strictPage(): Promise<{ page: Page; violations: string[] }> {
  const page = await browser.context.newPage();
  const violations: string[] = [];
  page.on("console", (m) => /Content Security Policy|Trusted Type|TrustedHTML|TrustedScript/i.test(m.text()) && violations.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => /Trusted|Content Security/i.test(e.message) && violations.push(`pageerror: ${e.message}`));
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[]; __targets: unknown[] };
    w.__csp = [];
    w.__targets = [];
    addEventListener("securitypolicyviolation", (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
    const post = window.postMessage.bind(window);
    window.postMessage = ((data: unknown, target: unknown, transfer?: unknown) => (w.__targets.push(typeof target == "string" ? target : (target as { targetOrigin?: string })?.targetOrigin ?? "(none)"), post(data as never, target as never, transfer as never))) as typeof window.postMessage;
  });
  return { page, violations };
}
const pageViolations = async (page: Page, console: string[]) => [...console, ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp))];

/** Serves `body` and its module script `script` at `path` on the host origin, under the host CSP; the script has `window.demoToken`. */
async function servePage(page: Page, path: string, body: string, script: string) {
  await signInDemoUser(page, stack.hostUrl);
  await page.route(`${stack.hostUrl}${path}`, (route) =>
    route.fulfill({ contentType: "text/html", headers: { "Content-Security-Policy": hostPageCsp(stack.platformUrl) }, body: `<!doctype html><html lang="en"><title>host</title>${body}<script type="module" src="${path}.js"></script>` }),
  );
  await page.route(`${stack.hostUrl}${path}.js`, (route) => route.fulfill({ contentType: "text/javascript", body: `${demoTokenScript}\n${script}` }));
}

it("H2 a strict-CSP host page (no unsafe-inline, Trusted Types) runs the popover through marketplace → wizard → deploy with no violation", async () => {
  await deleteAllInstances(stack);
  const { page, violations } = await strictPage();
  try {
    const response = await page.goto(`${stack.hostUrl}/?customer=globex`);
    const csp = response!.headers()["content-security-policy"]!;
    expect(csp).toContain("require-trusted-types-for 'script'");
    expect(csp).not.toContain("unsafe-inline");
    await page.click("#open-popover");
    const frame = page.frameLocator("dialog iframe");
    await deployStripe(frame, "sk_test_h2_strict_csp", '{"source":"h2"}');
    await frame.getByLabel(/Webhook URL/).first().waitFor();
    await expect.poll(async () => (await hostEvents(page)).some((e) => e.name === "instance-deployed")).toBe(true);
    await page.locator("dialog button[aria-label=Close]").click();
    await expect.poll(() => page.locator("dialog").count()).toBe(0);
    expect(await pageViolations(page, violations)).toEqual([]);
  } finally {
    await page.close();
  }
});

it("<emporium-marketplace> on a plain HTML page: properties before or after it is defined, DOM events, removal leaves nothing, no CSP violation", async () => {
  const { page, violations } = await strictPage();
  // One element in the markup gets its getToken before the element is defined; one is created
  // by script after, and gets its attributes last.
  const body = `<emporium-marketplace id="early" frame-url="${stack.platformUrl}/frame/" organization="demo"></emporium-marketplace><div id="later"></div>`;
  const script = `
    import { defineMarketplaceElement } from "/sdk/element.js";
    const events = (window.__events = []);
    const getToken = () => window.demoToken("globex");
    const early = document.getElementById("early");
    early.getToken = getToken;
    early.addEventListener("ready", () => events.push("early:ready"));
    defineMarketplaceElement();
    const later = document.createElement("emporium-marketplace");
    later.getToken = getToken;
    later.addEventListener("ready", (e) => events.push("later:ready:" + e.detail.screen));
    document.getElementById("later").append(later);
    later.setAttribute("organization", "demo");
    later.setAttribute("integration", "slack");
    later.setAttribute("frame-url", "${stack.platformUrl}/frame/");
  `;
  await servePage(page, "/element-host", body, script);
  try {
    await page.goto(`${stack.hostUrl}/element-host`);
    const events = () => page.evaluate(() => (window as unknown as { __events: string[] }).__events);
    await expect.poll(events).toEqual(expect.arrayContaining(["early:ready", "later:ready:configure"]));
    expect(await page.locator("#early iframe").count()).toBe(1);
    expect(await page.locator("#later iframe").count()).toBe(1);
    await page.evaluate(() => document.getElementById("early")!.setAttribute("mode", "dark"));
    await expect.poll(() => page.frameLocator("#early iframe").locator("html").getAttribute("data-mode")).toBe("dark");
    await page.evaluate(() => document.querySelectorAll("emporium-marketplace").forEach((e) => e.remove()));
    expect(await page.locator("iframe").count()).toBe(0);
    expect(await pageViolations(page, violations)).toEqual([]);
  } finally {
    await page.close();
  }
});

it("H1 a host page written as Prismatic's docs show, only the import changed: marketplace, wizard, deploy; events reach it as message events posted to its own origin, ids and names only", async () => {
  await deleteAllInstances(stack);
  const { page, violations } = await strictPage();
  const body = `<div id="embedded-marketplace-container"></div>`;
  // As in Prismatic's docs (embed/marketplace, embed/authenticate-users), but for the import.
  const script = `
    import prismatic, { PrismaticMessageEvent } from "/sdk/prismatic.js"; // was "@prismatic-io/embedded"
    const { platformOrigin } = await (await fetch("/api/demo-config")).json();
    window.__messages = [];
    window.addEventListener("message", (event) => {
      if (Object.values(PrismaticMessageEvent).includes(event.data?.event)) window.__messages.push({ origin: event.origin, data: event.data });
      if (event.data?.event === PrismaticMessageEvent.INSTANCE_CONFIGURATION_LOADED) {
        prismatic.setConfigVars({ iframe: prismatic.getMessageIframe(event), configVars: { channel: { value: "#from-host" } } });
      }
    });
    prismatic.init({ prismaticUrl: platformOrigin, theme: "LIGHT" });
    const token = await window.demoToken("globex");
    await prismatic.authenticate({ token });
    prismatic.showMarketplace({ selector: "#embedded-marketplace-container", usePopover: false });
  `;
  await servePage(page, "/prismatic-host", body, script);
  try {
    await page.goto(`${stack.hostUrl}/prismatic-host`);
    const frame = page.frameLocator("#embedded-marketplace-container iframe");
    await deployStripe(frame, "sk_test_prismatic_dropin", '{"source":"prismatic"}');
    const messages = () => page.evaluate(() => (window as unknown as { __messages: { origin: string; data: { event: string; data: Record<string, unknown> } }[] }).__messages);
    await expect.poll(async () => (await messages()).map((m) => m.data.event)).toEqual(
      expect.arrayContaining(["INSTANCE_CONFIGURATION_OPENED", "INSTANCE_CONFIGURATION_LOADED", "INSTANCE_DEPLOYED"]),
    );
    for (const message of await messages()) {
      expect(message.origin).toBe(stack.hostUrl);
      expect(Object.keys(message.data.data).sort()).toEqual(["instanceId", "integrationId", "integrationName"]);
      expect(JSON.stringify(message)).not.toContain("sk_test_prismatic_dropin");
    }
    expect((await messages()).find((m) => m.data.event === "INSTANCE_DEPLOYED")!.data.data).toMatchObject({ integrationId: "stripe", integrationName: "Stripe" });
    // Every message the page posted went to its own origin: never "*".
    const targets = await page.evaluate(() => (window as unknown as { __targets: string[] }).__targets);
    expect(targets.length).toBeGreaterThan(0);
    expect(new Set(targets)).toEqual(new Set([stack.hostUrl]));
    // Calls with no Emporium counterpart throw the typed error.
    // (A string: vitest would rewrite an import() written in a function.)
    const code = await page.evaluate(`import("/sdk/prismatic.js").then(({ default: prismatic }) => {
      try { prismatic.graphqlRequest({ query: "{ x }" }); } catch (error) { return error.code; }
    })`);
    expect(code).toBe("NOT_SUPPORTED");
    expect(await pageViolations(page, violations)).toEqual([]);
  } finally {
    await page.close();
  }
});

it("axe finds nothing on the example host pages (the demo host, React, Vue, the custom UI) in light and dark, at 1280 and 375 px", async () => {
  const pages: Array<[path: string, drawn: string]> = [
    ["/", "#marketplace iframe"],
    ["/react-host/", "iframe"],
    ["/vue-host/", '[data-event="ready"]'],
    ["/custom-ui/", "#cards .card"],
  ];
  const found: Record<string, string[]> = {};
  for (const scheme of ["light", "dark"] as const) {
    for (const width of [1280, 375]) {
      const page = await browser.context.newPage();
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 800 });
      for (const [path, drawn] of pages) {
        await page.goto(`${stack.hostUrl}${path}`);
        await page.locator(drawn).first().waitFor();
        // The Vue page has its own Dark mode button rather than following the system.
        if (path === "/vue-host/" && scheme === "dark") await page.getByTestId("dark").click();
        const violations = await axeViolations(page);
        if (violations.length) found[`${path} ${scheme} ${width} px`] = violations;
      }
      await page.close();
    }
  }
  expect(found).toEqual({});
});
