/**
 * Real-browser test harness: Debian's Chromium driven by playwright-core, against the real
 * servers (platform + frame on 127.0.0.1, host pages on localhost: two different sites, like
 * production). Tests run against the built artifacts in dist/ (`npm run build` first).
 */
import { chromium, type BrowserContext, type Frame, type FrameLocator, type Locator, type Page } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { DEMO_ORG_API_KEY, startPlatformServer } from "../mock-server/index.ts";
import { startHostServer } from "../examples/demo-backend/server.ts";
import type { NotificationInbox } from "../examples/demo-backend/notification-inbox.ts";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** A free TCP port on this machine (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Stack {
  platformUrl: string;
  hostUrl: string;
  /** The demo backend's notification inbox (registered as an endpoint only when a test asks: `ensureEndpoint()`). */
  notifications: NotificationInbox;
  stateFile: string;
  close(): Promise<void>;
}

/** Starts the platform (serving the built frame) and the demo host app on free ports. */
export async function startStack(options: { allowedOrigins?: (hostUrl: string) => string[]; stateDir?: string } = {}): Promise<Stack> {
  const [platformPort, hostPort] = [await freePort(), await freePort()];
  const platformUrl = `http://127.0.0.1:${platformPort}`;
  const hostUrl = `http://localhost:${hostPort}`;
  const dir = options.stateDir ?? mkdtempSync(join(tmpdir(), "emporium-state-"));
  const stateFile = join(dir, "platform.db");
  const platform = await startPlatformServer({
    host: "127.0.0.1",
    port: platformPort,
    stateFile,
    frameDir: "dist/frame",
    allowedOrigins: options.allowedOrigins?.(hostUrl) ?? [hostUrl],
    scenarioApi: true,
    // As the demo runs: the demo backend's notification inbox is on localhost.
    developmentMode: true,
  });
  const host = await startHostServer({ port: hostPort, host: "localhost", platformOrigin: platformUrl });
  return {
    platformUrl,
    hostUrl,
    notifications: host.notifications,
    stateFile,
    async close() {
      await host.close();
      await platform.close();
      if (!options.stateDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console lines of every page, for leak scans. */
  consoleLines: string[];
  /** What its documents saw of the input, once `recordInput` has started it (else empty). */
  inputLog: string[];
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with a fresh profile; always close it in `afterAll`/`finally`.
 * `extraArgs` are added to the flags below (the bench adds frame-rate flags); `emulate` sets the
 * browser's time zone and language (a user in another zone than the machine's).
 */
export async function launchBrowser(extraArgs: readonly string[] = [], emulate: { timezoneId?: string; locale?: string } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "emporium-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    ...emulate,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // Attacker pages in the tests are served by Playwright routes on made-up public origins;
      // Chromium's Local Network Access checks would block them from loading the frame on
      // 127.0.0.1 before our own defences are even reached, and the tests would pass for the
      // wrong reason. In production every origin involved is public, so the checks don't apply.
      "--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults",
      ...extraArgs,
    ],
  });
  const consoleLines: string[] = [];
  context.on("console", (msg) => consoleLines.push(msg.text()));
  const page = context.pages()[0] ?? (await context.newPage());
  guardPointerActionsInFrames(page);
  return {
    context,
    page,
    consoleLines,
    inputLog: [],
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The binding through which every document reports its input to `Browser.inputLog`. */
const INPUT_BINDING = "__emporiumTestInput";
const inputLogs = new WeakMap<BrowserContext, string[]>();

/**
 * Starts `browser.inputLog`: what every document of the browser opened from now on (host pages and
 * frames) sees of the user's input, one line each: trusted pointer events and their target, a
 * dialog added or removed, a scroll or resize of a page or frame, an uncaught error, between the
 * test's own pointer actions (the guard's trial and the action). `useStackAndBrowser` starts it
 * and prints a failed test's part (docs/testing.md, "The browser harness"): a click that did
 * nothing shows where it went. Tests only: the benches and screenshots measure and draw pages
 * without it.
 */
export async function recordInput(browser: Browser): Promise<void> {
  const { context, inputLog } = browser;
  inputLogs.set(context, inputLog);
  await context.exposeBinding(INPUT_BINDING, ({ frame }, line: unknown) => {
    const origin = frame.url().startsWith("http") ? new URL(frame.url()).host : frame.url() || "about:blank";
    logInput(context, `${frame.parentFrame() ? "frame" : "page "} ${origin} ${String(line)}`);
  });
  await context.addInitScript(reportInput, INPUT_BINDING);
}

/** Adds a line, stamped with the time, to the input log of the browser that `context` belongs to. */
function logInput(context: BrowserContext, line: string): void {
  inputLogs.get(context)?.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
}

/**
 * Runs in every document of the browser (an init script, serialized: no outside names). Reports
 * through the harness's binding each trusted pointer event (its target: tag, class, text,
 * disabled), a dialog or alertdialog added or removed, a scroll or resize of the viewport, and an
 * uncaught error or rejection. Capturing listeners on the window, added before any of the page's,
 * so no handler of the page hides an event (Playwright's hit-target check, which stops a trial
 * action's events, runs after them).
 */
function reportInput(binding: string): void {
  const send = (line: string) => (globalThis as unknown as Record<string, ((line: string) => void) | undefined>)[binding]?.(line);
  const describe = (node: EventTarget | null): string => {
    if (!(node instanceof Element)) return node === window ? "window" : node instanceof Document ? "document" : String(node);
    const text = (node.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 30);
    const classes = typeof node.className === "string" && node.className ? `.${node.className.trim().split(/\s+/).join(".")}` : "";
    return `<${node.tagName.toLowerCase()}${node.id ? `#${node.id}` : ""}${classes}${(node as HTMLButtonElement).disabled ? " disabled" : ""}> "${text}"`;
  };
  for (const type of ["pointerdown", "pointerup", "click"])
    addEventListener(
      type,
      (event) => {
        if (!event.isTrusted) return;
        const { clientX, clientY } = event as MouseEvent;
        send(`${type} at ${Math.round(clientX)},${Math.round(clientY)} on ${describe(event.target)}`);
      },
      true,
    );
  let scrolled = -1;
  addEventListener("scroll", () => scrollY !== scrolled && send(`scroll to ${(scrolled = Math.round(scrollY))}`), true);
  addEventListener("resize", () => send(`viewport ${innerWidth}x${innerHeight}`));
  addEventListener("error", (event) => send(`error: ${event.message}`));
  addEventListener("unhandledrejection", (event) => send(`unhandled rejection: ${String(event.reason)}`));
  const dialogs = "dialog, [role=dialog], [role=alertdialog]";
  const watch = () =>
    new MutationObserver((records) => {
      for (const record of records)
        for (const [nodes, what] of [[record.addedNodes, "added"], [record.removedNodes, "removed"]] as const)
          for (const node of nodes)
            if (node instanceof Element)
              for (const dialog of node.matches(dialogs) ? [node] : node.querySelectorAll(dialogs)) send(`${what} ${describe(dialog)}`);
    }).observe(document, { childList: true, subtree: true });
  if (document.readyState === "loading") addEventListener("DOMContentLoaded", watch);
  else watch();
}

/**
 * Presses Esc while focus is inside a frame that Esc removes (a popover's frame). Not awaited:
 * when the frame is gone before Chromium acknowledges the key, CDP's dispatch never answers
 * (seen about one run in three), though the page itself handled the key. Callers wait for what
 * Esc does instead.
 */
export function pressEscapeInClosingFrame(page: Page): void {
  void page.keyboard.press("Escape").catch(() => {});
}

/**
 * Every pointer action on an element of a frame (click, check, hover, …) first scrolls it into the
 * host page's view and waits until the host page has drawn two frames there; `launchBrowser`
 * installs this once for the process. Chromium routes a pointer event for an out-of-process
 * iframe by the hit-test data of the frames it has drawn, and Playwright sends its click right
 * after its own scroll into view (8 ms after, in a failing run): the click can reach the host
 * page's <iframe> element instead of the frame. The frame saw no pointerdown ("Clicking the
 * checkbox did not change its state"; a wizard's Back button below the fold that did nothing, the
 * test then waiting 60 s for page 1). A person sees the page scrolled before they click.
 * docs/testing.md rule 8.
 */
let pointerActionsGuarded = false;
function guardPointerActionsInFrames(page: Page): void {
  if (pointerActionsGuarded) return;
  pointerActionsGuarded = true;
  const prototype = Object.getPrototypeOf(page.locator("html")) as Record<string, (this: Locator, ...args: unknown[]) => Promise<unknown>>;
  const click = prototype.click!;
  for (const name of ["click", "dblclick", "check", "uncheck", "setChecked", "hover", "tap"]) {
    const act = prototype[name]!;
    prototype[name] = async function (this: Locator, ...args: unknown[]) {
      // The options object is the last argument (setChecked's first one is its boolean).
      const last = args.at(-1);
      const options = (typeof last === "object" && last !== null ? last : {}) as { force?: boolean; trial?: boolean; timeout?: number };
      const context = this.page().context();
      logInput(context, `test  ${name} ${String(this)}`);
      if (inChildFrame(this) && !options.force && !options.trial) {
        // A trial action scrolls as the action will, without the wait for a stable element that
        // scrollIntoViewIfNeeded does first (which never ends for a frame wholly out of view:
        // Chromium runs no animation frames there). A hover's own trial, as a hover needs no
        // enabled element (a disabled control's tooltip); the caller's timeout bounds it too.
        await (name === "hover" ? act : click).call(this, { trial: true, ...(options.timeout === undefined ? {} : { timeout: options.timeout }) });
        await this.page().evaluate(() => new Promise((drawn) => requestAnimationFrame(() => requestAnimationFrame(drawn))));
        logInput(context, `test  trial done, ${name} now`);
      }
      return act.apply(this, args);
    };
  }
}

/** A locator of an element in a frame (a frame locator's, or a child Frame's); unknown internals count as one. */
function inChildFrame(locator: Locator): boolean {
  const { _frame, _selector } = locator as unknown as { _frame?: Frame; _selector?: string };
  return !_frame || typeof _selector !== "string" || _frame !== locator.page().mainFrame() || _selector.includes("internal:control=enter-frame");
}

/**
 * Connects an OAuth connection field of the open wizard as a customer does: "Connect <vendor>"
 * opens the mock provider's consent popup, "Allow" closes it, the field says it is connected.
 */
export async function connectThroughPopup(page: Page, frame: Frame | FrameLocator, vendor: string): Promise<void> {
  const popupPromise = page.context().waitForEvent("page");
  await frame.getByRole("button", { name: `Connect ${vendor}` }).click();
  const popup = await popupPromise;
  await popup.getByRole("button", { name: "Allow" }).click();
  await frame.getByText(new RegExp(`Connected to ${vendor}`)).waitFor();
}

/**
 * Activates Stripe in the marketplace shown in `frame` and deploys it as a customer does: its
 * card, "Activate", the API key on page 1, "Next", the metadata (when given) on page 2, "Save and
 * deploy". Returns once that click is made; the caller waits for what it tests (a toast, an event).
 */
export async function deployStripe(frame: Frame | FrameLocator, apiKey: string, metadata?: string): Promise<void> {
  await frame.getByRole("button", { name: /Stripe/ }).click();
  await frame.getByRole("button", { name: "Activate" }).click();
  // Exact: once the customer has a Stripe connection, the picker's radio group is labelled "Restricted API key" too.
  await frame.getByLabel("API key", { exact: true }).fill(apiKey);
  await frame.getByRole("button", { name: "Next" }).click();
  await frame.getByText("Step 2 of 2").waitFor();
  if (metadata !== undefined) await frame.getByLabel(/Metadata/).fill(metadata);
  await frame.getByRole("button", { name: "Save and deploy" }).click();
}

/** An SDK event as the demo host page (examples/plain/main.js) records it in `window.__emporiumEvents`. */
export interface HostEvent {
  name: string;
  payload: Record<string, unknown>;
}

/** The SDK events the demo host page has recorded so far, oldest first. */
export const hostEvents = (page: Page): Promise<HostEvent[]> =>
  page.evaluate(() => (window as unknown as { __emporiumEvents?: HostEvent[] }).__emporiumEvents ?? []);

/**
 * Script text that gives a host page `window.demoToken(customer, role?)`: a customer token from
 * the demo backend (the page must be signed in: signInDemoUser), what a host's `getToken` asks
 * its own backend for. The one token fetch of the browser tests: `sdkPage` has it, and a page a
 * test writes itself puts it in its own module script (a strict-CSP page allows no inline one).
 */
export const demoTokenScript = `window.demoToken = async (customer, role) => (await (await fetch("/api/emporium-token", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ customer, role }) })).json()).token;`;

/** The same customer token for the test itself (its calls to the REST API), through the page's signed-in session. */
export async function demoToken(page: Page, hostUrl: string, customer: string): Promise<string> {
  const grant = await page.context().request.post(`${hostUrl}/api/emporium-token`, { headers: { Origin: hostUrl }, data: { customer } });
  return ((await grant.json()) as { token: string }).token;
}

/**
 * A page that loads the built SDK module and exposes it as `window.Emporium` (vitest rewrites
 * `import()` inside `evaluate`), with `window.demoToken` (demoTokenScript).
 */
export const sdkPage = (sdkPath: string, body = "<div id=slot></div>"): string =>
  `<!doctype html><title>host</title>${body}<script type=module>import * as E from "${sdkPath}"; window.Emporium = E;
  ${demoTokenScript}</script>`;

/** What a page from `sdkPage` has on `window`, for code a test runs in it. */
export interface SdkPageWindow {
  Emporium: { createMarketplace(options: object): any };
  demoToken(customer: string, role?: string): Promise<string>;
}

/**
 * Signs the browser in to the demo host app as its default user, as opening one of its own pages
 * does in development: for pages a test serves itself, whose token requests need the session.
 */
export async function signInDemoUser(page: Page, hostUrl: string): Promise<void> {
  const response = await page.context().request.post(`${hostUrl}/api/demo/sign-in`, { headers: { Origin: hostUrl }, data: {} });
  if (!response.ok()) throw new Error(`demo sign-in answered ${response.status()}`);
}

/** Runs `use` on a new page of `browser` and closes the page after, whether `use` passed or threw. */
export async function withPage<T>(browser: Browser, use: (page: Page) => Promise<T>): Promise<T> {
  const page = await browser.context.newPage();
  try {
    return await use(page);
  } finally {
    await page.close();
  }
}

/** Opens a blank page on the host's origin with the SDK loaded, for tests that drive the SDK directly. */
export async function openBlankHostPage(page: Page, hostUrl: string): Promise<void> {
  await signInDemoUser(page, hostUrl);
  await page.route(`${hostUrl}/blank.html`, (route) => route.fulfill({ contentType: "text/html", body: sdkPage("/sdk/emporium.js") }));
  await page.goto(`${hostUrl}/blank.html`);
  await page.waitForFunction(() => "Emporium" in window);
}

/**
 * Opens a blank host page (as `openBlankHostPage`) in `mode` and embeds the marketplace in `#slot`
 * for a demo customer (acme-corp, admin unless told), on `screen` and in `locale` when given; `fill` makes the
 * slot the whole viewport (for screenshots). Resolves with the frame once the SDK said `ready`.
 */
export async function embedMarketplace(
  page: Page,
  stack: Stack,
  options: { screen?: string; customer?: string; role?: string; mode?: "light" | "dark"; fill?: boolean; locale?: string } = {},
): Promise<FrameLocator> {
  await page.emulateMedia({ colorScheme: options.mode ?? "light" });
  await openBlankHostPage(page, stack.hostUrl);
  const { screen, customer = "acme-corp", role = "admin", fill } = options;
  // A script as text, not a function: tsx (scripts/screenshots.ts) would wrap a function's inner
  // functions in a `__name` helper that the page does not have.
  await page.evaluate(`(() => {
    const m = window.Emporium.createMarketplace({
      frameUrl: ${JSON.stringify(`${stack.platformUrl}/frame/`)},
      organization: "demo",
      mode: "auto",
      ${options.locale ? `locale: ${JSON.stringify(options.locale)},` : ""}
      getToken: () => window.demoToken(${JSON.stringify(customer)}, ${JSON.stringify(role)}),
    });
    ${fill ? 'document.body.style.margin = "0";' : ""}
    document.getElementById("slot").style.height = ${JSON.stringify(fill ? "100vh" : "900px")};
    window.__events = [];
    m.on("ready", (p) => window.__events.push(p));
    m.showMarketplace({ selector: "#slot", screen: ${JSON.stringify(screen)} });
  })()`);
  await page.waitForFunction(() => (window as unknown as { __events: unknown[] }).__events.length > 0);
  return page.frameLocator("#slot iframe");
}

/**
 * Opens a blank host page (as `openBlankHostPage`) with an "Integrations" button, `#opener`, that
 * opens the marketplace in a popover. The marketplace is `window.__m`; its `ready`, `close` and
 * `instance-deployed` events land in `window.__events` by name. `options` go to
 * `createMarketplace`, except `tokenNeverComes`: a `getToken` that never answers.
 */
export async function openPopoverHostPage(page: Page, stack: Stack, options: Record<string, unknown> & { tokenNeverComes?: boolean } = {}, hostileCss?: string): Promise<void> {
  await openBlankHostPage(page, stack.hostUrl);
  if (hostileCss) await page.addStyleTag({ content: hostileCss });
  await page.evaluate(
    ([frameUrl, { tokenNeverComes, ...opts }]) => {
      const w = window as unknown as SdkPageWindow & { __m: any; __events: string[] };
      const opener = document.createElement("button");
      opener.id = "opener";
      opener.textContent = "Integrations";
      document.body.prepend(opener);
      w.__events = [];
      w.__m = w.Emporium.createMarketplace({
        frameUrl,
        organization: "demo",
        getToken: () => (tokenNeverComes ? new Promise(() => {}) : w.demoToken("globex")),
        ...opts,
      });
      for (const name of ["ready", "close", "instance-deployed"]) w.__m.on(name, () => w.__events.push(name));
      opener.addEventListener("click", () => w.__m.showMarketplace({ popover: true }));
    },
    [`${stack.platformUrl}/frame/`, options] as const,
  );
}

/**
 * Deletes every instance of the stack's organization through the organization API, so a test
 * that activates an integration starts from "Activate" whatever an earlier test in the file (or
 * an earlier run against the same stack) created or deployed.
 */
export async function deleteAllInstances(stack: Stack): Promise<void> {
  const headers = { Authorization: `Bearer ${DEMO_ORG_API_KEY}` };
  for (;;) {
    const res = await fetch(`${stack.platformUrl}/api/v1/org/instances?limit=100`, { headers });
    if (!res.ok) throw new Error(`listing instances answered ${res.status}`);
    const { instances } = (await res.json()) as { instances: { id: string }[] };
    if (instances.length === 0) return;
    for (const { id } of instances) {
      const gone = await fetch(`${stack.platformUrl}/api/v1/org/instances/${encodeURIComponent(id)}`, { method: "DELETE", headers });
      if (!gone.ok) throw new Error(`deleting ${id} answered ${gone.status}`);
    }
  }
}
