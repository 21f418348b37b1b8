/**
 * `emporium/react` in real Chromium with React 18 and React 19: the same host page
 * (tests/fixtures/react-app) is rendered on the server in Node (importing the entry without a
 * DOM), served under the demo host's CSP, and hydrated under StrictMode. Checked: no hydration
 * warning and no CSP violation, one frame for the inline `<Marketplace>`, a live mode change
 * without a reload, a popover deep link that closes through `onClose`, and nothing left after
 * unmount. Built from the BUILT entry (dist/sdk/react.js on top of dist/sdk/emporium.js).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build } from "vite";
import type { Frame, Page } from "playwright-core";
import { hostPageCsp } from "../examples/demo-backend/server.ts";
import { signInDemoUser } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";

const { stack, browser } = useStackAndBrowser();

const root = resolve(import.meta.dirname, "..");
const out = mkdtempSync(join(tmpdir(), "emporium-react-entry-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Where each React version's packages are: the repository's 19, the fixture workspace's 18. */
const reactDirs = { 19: join(root, "node_modules"), 18: join(root, "tests/fixtures/react-18/node_modules") } as const;

/** Builds the fixture for one React version: the browser bundle and the server module. */
async function buildApp(version: 18 | 19): Promise<{ client: string; render: (frameUrl: string) => string }> {
  const modules = reactDirs[version];
  const alias = [
    { find: /^emporium\/react$/, replacement: join(root, "dist/sdk/react.js") },
    { find: /^react-dom\/(.*)$/, replacement: join(modules, "react-dom/$1") },
    { find: /^react\/(.*)$/, replacement: join(modules, "react/$1") },
    { find: /^react$/, replacement: join(modules, "react") },
    { find: /^scheduler$/, replacement: join(modules, "scheduler") },
  ];
  const dir = join(out, String(version));
  const common = { configFile: false as const, root, logLevel: "warn" as const, resolve: { alias }, define: { "process.env.NODE_ENV": '"development"' } };
  await build({
    ...common,
    build: { outDir: join(dir, "client"), emptyOutDir: true, minify: false, lib: { entry: join(root, "tests/fixtures/react-app/client.ts"), formats: ["es"], fileName: () => "client.js" } },
  });
  await build({
    ...common,
    ssr: { noExternal: true },
    build: { outDir: join(dir, "server"), emptyOutDir: true, minify: false, ssr: join(root, "tests/fixtures/react-app/server.ts"), rolldownOptions: { output: { entryFileNames: "server.mjs" } } },
  });
  const server = (await import(pathToFileURL(join(dir, "server/server.mjs")).href)) as { render: (frameUrl: string) => string };
  return { client: readFileSync(join(dir, "client/client.js"), "utf8"), render: server.render };
}

const apps: Partial<Record<18 | 19, Awaited<ReturnType<typeof buildApp>>>> = {};
beforeAll(async () => {
  apps[19] = await buildApp(19);
  apps[18] = await buildApp(18);
}, 180_000);

const frames = (page: Page): Frame[] => page.frames().filter((f) => f.url().startsWith(`${stack.platformUrl}/frame/`));
const events = (page: Page) => page.evaluate(() => (window as unknown as { __events?: string[] }).__events ?? []);

describe.each([18, 19] as const)("React %i", (version) => {
  it("hydrates the server's placeholder without a warning or CSP violation, one frame under StrictMode, live mode, popover deep link, clean unmount", async () => {
    const app = apps[version]!;
    const frameUrl = `${stack.platformUrl}/frame/`;
    // The bundle really is this React (react-dom states its version).
    expect(app.client).toContain(`"${version === 18 ? "18.3.1" : "19.3.1"}"`);
    const html = app.render(frameUrl);
    expect(html).toContain('<div id="inline" class="marketplace"></div>');
    expect(html).not.toContain("iframe");

    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => ["error", "warning"].includes(m.type()) && problems.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    await page.addInitScript(() =>
      document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)),
    );
    const base = `${stack.hostUrl}/react-${version}`;
    await signInDemoUser(page, stack.hostUrl);
    await page.route(`${base}/`, (route) =>
      route.fulfill({
        contentType: "text/html",
        headers: { "Content-Security-Policy": hostPageCsp(stack.platformUrl) },
        body: `<!doctype html><html lang="en"><title>React ${version} host</title><div id="root" data-frame-url="${frameUrl}">${html}</div><script type="module" src="${base}/client.js"></script>`,
      }),
    );
    await page.route(`${base}/client.js`, (route) => route.fulfill({ contentType: "text/javascript", body: app.client }));
    try {
      await page.goto(`${base}/`);
      await expect.poll(() => events(page)).toContain("ready");
      // StrictMode mounted, unmounted and mounted again: one frame, in the server's placeholder.
      expect(await page.locator("#inline iframe").count()).toBe(1);
      // Playwright learns that the first (removed) frame is gone from its own process's events,
      // which may come after `ready` on a loaded machine: wait until its frame tree says so, or a
      // frame picked now may be the removed one.
      await expect.poll(() => frames(page).length).toBe(1);
      const frame = frames(page)[0]!;
      await frame.evaluate(() => ((window as unknown as { __marker: number }).__marker = 1));
      await page.click("#dark");
      await expect.poll(() => frame.evaluate(() => document.documentElement.dataset.mode)).toBe("dark");
      expect(await frame.evaluate(() => (window as unknown as { __marker: number }).__marker)).toBe(1);

      // A popover deep link: the Slack wizard; closing it reaches onClose, which unmounts it.
      await page.click("#open");
      await expect.poll(() => events(page)).toContain("popover-ready");
      const popover = page.frameLocator("dialog iframe");
      await popover.getByText("Step 1 of").waitFor();
      await page.locator("dialog button[aria-label=Close]").click();
      await expect.poll(() => events(page)).toContain("close");
      await expect.poll(() => page.locator("dialog").count()).toBe(0);

      await page.click("#remove");
      await expect.poll(() => page.locator("iframe").count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
