/**
 * The Connections screen in real Chromium (host on localhost, frame + platform on 127.0.0.1: two
 * sites), on connections made through the REST APIs (tests/connections-seed.ts): a connection
 * used by two instances lists both and cannot be deleted (the platform's words name them); a
 * connection the host provides shows "Provided by" and its secret is nowhere in the frame or the
 * host page (S4); the revoke rehearsal puts the screen and the instance page in "needs
 * reconnect", the host hears `connection-needs-reconnect` with ids only, and a reconnect from the
 * screen makes it active with every config value kept; `showConnections` of `emporium/prismatic`.
 * Needs `npm run build`.
 */
import { describe, expect, it } from "vitest";
import type { FrameLocator, Page } from "playwright-core";
import { demoTokenScript, embedMarketplace, openBlankHostPage, signInDemoUser, withPage } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";
import { axeViolations } from "./axe.ts";
import { JIRA_INSTANCES, PROVIDED_SECRET, seedConnections, type ConnectionsSeed } from "./connections-seed.ts";

let acme: ConnectionsSeed;
let globex: ConnectionsSeed;
const { stack, browser } = useStackAndBrowser(async (s) => {
  acme = await seedConnections(s, "acme-corp");
  globex = await seedConnections(s, "globex");
});

const customerApi = async (seed: ConnectionsSeed, path: string) => {
  const answer = await fetch(`${stack.platformUrl}/api/v1${path}`, { headers: { Authorization: `Bearer ${seed.token}` } });
  return { status: answer.status, body: (await answer.json()) as any };
};
const row = (frame: FrameLocator, name: string) => frame.getByRole("listitem").filter({ has: frame.locator(".em-flow-name", { hasText: name }) });

/** The Connections screen for `customer` on a blank host page that records every SDK event in `window.__hostEvents`. */
async function openConnections(page: Page, customer: string): Promise<FrameLocator> {
  await openBlankHostPage(page, stack.hostUrl);
  await page.evaluate(`(() => {
    const m = window.Emporium.createMarketplace({
      frameUrl: ${JSON.stringify(`${stack.platformUrl}/frame/`)},
      organization: "demo",
      getToken: () => window.demoToken(${JSON.stringify(customer)}),
    });
    window.__hostEvents = [];
    for (const name of ["ready", "connection-needs-reconnect", "warning", "error"]) m.on(name, (payload) => window.__hostEvents.push({ name, payload }));
    document.getElementById("slot").style.height = "900px";
    m.showMarketplace({ selector: "#slot", screen: "connections" });
  })()`);
  const frame = page.frameLocator("#slot iframe");
  await frame.getByRole("heading", { level: 1, name: "Connections" }).waitFor();
  return frame;
}
const recorded = (page: Page) => page.evaluate(() => (window as unknown as { __hostEvents: { name: string; payload: any }[] }).__hostEvents);

describe("the Connections screen", () => {
  it("lists a connection used by two instances with both names; deleting it is refused with the names, and nothing is deleted", async () => {
    await withPage(browser, async (page) => {
      const frame = await embedMarketplace(page, stack, { screen: "connections" });
      const jira = row(frame, "Ops Jira");
      for (const name of JIRA_INSTANCES) await jira.getByRole("button", { name }).waitFor();
      await jira.getByRole("button", { name: "Delete" }).click();
      const dialog = frame.getByRole("alertdialog");
      await dialog.getByRole("button", { name: "Delete connection" }).click();
      const refusal = dialog.getByRole("alert");
      await refusal.waitFor();
      for (const name of JIRA_INSTANCES) expect(await refusal.textContent()).toContain(`"${name}"`);
      expect((await customerApi(acme, `/connections/${acme.jira.id}`)).body).toMatchObject({ id: acme.jira.id, usedBy: [expect.anything(), expect.anything()] });
      // Keyboard: Esc closes the dialog and focus is back on Delete.
      await page.keyboard.press("Escape");
      await expect.poll(() => dialog.count()).toBe(0);
      expect(await jira.getByRole("button", { name: "Delete" }).evaluate((el) => el === document.activeElement)).toBe(true);
    });
  });

  it("S4 a connection the host provides shows Provided by; its secret, and its last four characters, are nowhere in the frame or the host page", async () => {
    await withPage(browser, async (page) => {
      const frame = await openConnections(page, "acme-corp");
      const provided = row(frame, "Billing (provided)");
      await provided.getByText(/^Provided by /).waitFor();
      expect(await provided.getByRole("button").count()).toBe(0);
      const frameHtml = await frame.locator("html").evaluate((el) => el.outerHTML);
      const hostHtml = await page.content();
      const events = JSON.stringify(await recorded(page));
      for (const text of [frameHtml, hostHtml, events]) {
        expect(text).not.toContain(PROVIDED_SECRET);
        expect(text).not.toContain(PROVIDED_SECRET.slice(-4));
      }
    });
  });

  it("A9 with the session's answer held, nobody gets a live button and an admin's hold their place; when it lands an admin's appear where they were, and a viewer never sees one", async () => {
    const MANAGE = /^(Add connection|Test|Reconnect|Rename|Delete)$/;
    for (const role of ["admin", "viewer"])
      await withPage(browser, async (page) => {
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        await page.route(`${stack.platformUrl}/api/v1/session`, async (route) => {
          await held;
          await route.continue();
        });
        // `ready` comes with the list, the session still held.
        const frame = await embedMarketplace(page, stack, { screen: "connections", role });
        const jira = row(frame, "Ops Jira");
        await jira.waitFor();
        expect(await frame.getByRole("button", { name: MANAGE }).count()).toBe(0);
        const placeholder = jira.locator("[data-em-role-pending] button", { hasText: /^Test$/ });
        expect(await placeholder.evaluate((b) => [b.closest("[inert]") !== null, getComputedStyle(b).color])).toEqual([true, "rgba(0, 0, 0, 0)"]);
        const before = await placeholder.boundingBox();
        // From here on, every change to the frame's page is checked for a viewer's button; until
        // now the role could not be known, and none was live (above).
        const inFrame = page.frames().find((f) => f.url().startsWith(`${stack.platformUrl}/frame/`))!;
        await inFrame.evaluate((source) => {
          const manage = new RegExp(source);
          const w = window as unknown as { __live: string[] };
          w.__live = [];
          const check = () => {
            for (const b of document.querySelectorAll("button")) if (manage.test(b.textContent!.trim()) && !b.closest("[inert]")) w.__live.push(b.textContent!.trim());
          };
          new MutationObserver(check).observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
        }, MANAGE.source);
        release();
        if (role === "admin") {
          const test = jira.getByRole("button", { name: "Test" });
          await test.waitFor();
          expect(await test.boundingBox()).toEqual(before);
          await frame.getByRole("button", { name: "Add connection" }).waitFor();
        } else {
          await frame.getByText("You have read-only access: an admin can add, change or delete connections.").waitFor();
          expect(await frame.locator("[data-em-role-pending]").count()).toBe(0);
          expect(await frame.getByRole("button", { name: MANAGE }).count()).toBe(0);
          expect(await inFrame.evaluate(() => (window as unknown as { __live: string[] }).__live)).toEqual([]);
        }
      });
  });

  it("revoked: the screen and the instance page need a reconnect, the host hears it with ids only, and a reconnect from the screen keeps every config value", async () => {
    await withPage(browser, async (page) => {
      const instanceId = globex.instances[0]!.id;
      const before = (await customerApi(globex, `/instances/${instanceId}`)).body.configValues;
      const revoke = await fetch(`${stack.platformUrl}/api/v1/_scenario`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ scenario: "connections-revoked", app: "Jira" }) });
      expect(revoke.ok).toBe(true);
      try {
        const frame = await openConnections(page, "globex");
        await frame.getByText(/1 connection needs reconnecting/).waitFor();
        const jira = row(frame, "Ops Jira");
        await jira.getByText("Needs reconnect").waitFor();
        // The host heard it once, with ids only.
        await expect.poll(async () => (await recorded(page)).filter((e) => e.name === "connection-needs-reconnect")).toEqual([
          { name: "connection-needs-reconnect", payload: { connectionId: globex.jira.id, app: "Jira", instanceIds: globex.instances.map((i) => i.id) } },
        ]);
        // The instance page says so too; Back returns here.
        await jira.getByRole("button", { name: globex.instances[0]!.name }).click();
        await frame.getByText(/no longer accepts a connection this instance uses/).waitFor();
        await frame.getByRole("button", { name: /Back/ }).click();
        // Reconnect with the current password: active again.
        await row(frame, "Ops Jira").getByRole("button", { name: "Reconnect" }).click();
        await frame.getByLabel("Password").fill("token-9876");
        await frame.getByRole("form").getByRole("button", { name: "Reconnect" }).click();
        await row(frame, "Ops Jira").getByText("Active").waitFor();
        expect(await frame.getByText(/needs reconnecting/).count()).toBe(0);
        const after = (await customerApi(globex, `/instances/${instanceId}`)).body.configValues;
        const { jiraConnection: was, ...rest } = before;
        expect(after).toEqual({ ...rest, jiraConnection: { ...was } });
        expect(after.jiraConnection.needsReconnect).toBeUndefined();
        expect((await recorded(page)).filter((e) => e.name === "connection-needs-reconnect")).toHaveLength(1);
      } finally {
        await fetch(`${stack.platformUrl}/api/v1/_scenario`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ scenario: "none" }) });
      }
    });
  });

  it("OAuth: Add connection signs in to Slack in a popup; a reconnect whose popup the user closes changes nothing; one they allow keeps the connection", async () => {
    await withPage(browser, async (page) => {
      const frame = await openConnections(page, "acme-corp");
      await frame.getByRole("button", { name: "Add connection" }).click();
      let popup = page.context().waitForEvent("page");
      await frame.getByRole("button", { name: /^Slack/ }).click();
      await (await popup).getByRole("button", { name: "Allow" }).click();
      const slack = row(frame, "Slack");
      await slack.getByText("Active").waitFor();
      const list = async () => (await customerApi(acme, "/connections?app=Slack")).body.connections as { id: string; updatedAt: string }[];
      const [made] = await list();
      expect(made).toBeDefined();
      // Reconnect, then close the sign-in window: nothing changes.
      popup = page.context().waitForEvent("page");
      await slack.getByRole("button", { name: "Reconnect" }).click();
      await (await popup).close();
      await slack.getByText("The sign-in window was closed before finishing. Nothing was changed.").waitFor();
      expect(await list()).toEqual([made]);
      // Reconnect and allow: the same connection, active.
      popup = page.context().waitForEvent("page");
      await slack.getByRole("button", { name: "Reconnect" }).click();
      await (await popup).getByRole("button", { name: "Allow" }).click();
      await frame.getByText("“Slack” is connected again").waitFor();
      expect((await list()).map((c) => c.id)).toEqual([made!.id]);
    });
  });

  it("showConnections of emporium/prismatic opens the screen inline, and in a popover by default", async () => {
    await withPage(browser, async (page) => {
      await signInDemoUser(page, stack.hostUrl);
      await page.route(`${stack.hostUrl}/prismatic-connections`, (route) =>
        route.fulfill({ contentType: "text/html", body: `<!doctype html><title>host</title><div id="connections"></div><script type="module" src="/prismatic-connections.js"></script>` }),
      );
      await page.route(`${stack.hostUrl}/prismatic-connections.js`, (route) =>
        route.fulfill({
          contentType: "text/javascript",
          body: `import prismatic from "/sdk/prismatic.js";
            const { platformOrigin } = await (await fetch("/api/demo-config")).json();
            prismatic.init({ prismaticUrl: platformOrigin });
            ${demoTokenScript}
            const token = await window.demoToken("acme-corp");
            await prismatic.authenticate({ token });
            prismatic.showConnections({ selector: "#connections" });
            window.__prismatic = prismatic;`,
        }),
      );
      await page.goto(`${stack.hostUrl}/prismatic-connections`);
      const inline = page.frameLocator("#connections iframe");
      await row(inline, "Ops Jira").getByRole("button", { name: JIRA_INSTANCES[1] }).waitFor();
      await page.waitForFunction(() => "__prismatic" in window);
      await page.evaluate(() => (window as unknown as { __prismatic: { showConnections(): void } }).__prismatic.showConnections());
      const popover = page.frameLocator("dialog iframe");
      await popover.getByRole("heading", { level: 1, name: "Connections" }).waitFor();
    });
  });

  for (const mode of ["light", "dark"] as const)
    it(`axe finds no violations on the screen, its Add connection panel and key form, and the delete dialog (${mode})`, async () => {
      await withPage(browser, async (page) => {
        const frame = await embedMarketplace(page, stack, { screen: "connections", mode });
        const real = page.frames().find((f) => f.url().startsWith(`${stack.platformUrl}/frame/`))!;
        await row(frame, "Ops Jira").getByRole("button", { name: "Delete" }).waitFor();
        const results: Record<string, string[]> = { list: await axeViolations(real) };
        await frame.getByRole("button", { name: "Add connection" }).click();
        await frame.getByRole("button", { name: /^Zendesk/ }).waitFor();
        results.apps = await axeViolations(real);
        await frame.getByRole("button", { name: /^Zendesk/ }).click();
        await frame.getByRole("button", { name: "Save" }).click();
        await frame.getByText("This field is required.").waitFor();
        results["key form with an error"] = await axeViolations(real);
        await frame.getByRole("button", { name: "Cancel" }).click();
        await frame.getByRole("button", { name: "Cancel" }).click();
        await row(frame, "Helpdesk key").getByRole("button", { name: "Delete" }).click();
        await frame.getByRole("alertdialog").waitFor();
        results["delete dialog"] = await axeViolations(real);
        expect(results).toEqual({ list: [], apps: [], "key form with an error": [], "delete dialog": [] });
      });
    });
});
