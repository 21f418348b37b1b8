/**
 * Bad input from the host, in real Chromium: each gives a clear, typed error where the user
 * looks (in the frame) and where the developer looks (the host's events and console).
 */
import { expect, it } from "vitest";
import type { Page } from "playwright-core";
import { openBlankHostPage } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";

const { stack, browser } = useStackAndBrowser();

/** Embeds with a host-chosen token source; events land in window.__events. */
async function embed(page: Page, tokenSource: "valid" | "malformed" | "expired", what: string) {
  await openBlankHostPage(page, stack.hostUrl);
  await page.evaluate(`(() => {
    window.__events = [];
    const tokens = {
      valid: () => window.demoToken("globex"),
      malformed: async () => "not-a-jwt",
      // A well-formed token whose signature does not verify: the platform answers 401.
      expired: async () => "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImRlbW8tMjAyNi0xMSJ9.eyJzdWIiOiJ4Iiwib3JnYW5pemF0aW9uIjoiZGVtbyIsImN1c3RvbWVyIjoieCIsImlhdCI6MSwiZXhwIjoyfQ.c2lnbmF0dXJl",
    };
    const m = window.Emporium.createMarketplace({ frameUrl: ${JSON.stringify(stack.platformUrl + "/frame/")}, organization: "demo", getToken: tokens[${JSON.stringify(tokenSource)}] });
    for (const name of ["ready", "error", "warning"]) m.on(name, (p) => window.__events.push({ name, p }));
    ${what}
  })()`);
  return page.frameLocator("#slot iframe");
}
const events = (page: Page) => page.evaluate(() => (window as unknown as { __events: { name: string; p: { code?: string } }[] }).__events);

it("an unknown integration in configureInstance says so in the frame", async () => {
  const page = await browser.context.newPage();
  const frame = await embed(page, "valid", `m.configureInstance({ integration: "no-such-integration" }, { selector: "#slot" });`);
  await frame.getByText(/doesn't exist or is no longer available/).waitFor();
  await page.close();
});

it("a token that is not a JWT is a typed TOKEN_UNAVAILABLE error for the host, and the frame says the app didn't sign the user in", async () => {
  const page = await browser.context.newPage();
  const frame = await embed(page, "malformed", `m.showMarketplace({ selector: "#slot" });`);
  await frame.getByText(/didn't sign you in/).waitFor();
  await expect.poll(async () => (await events(page)).some((e) => e.name === "error" && e.p.code === "TOKEN_UNAVAILABLE")).toBe(true);
  await page.close();
});

it("a token the platform rejects leads to a sign-in-again state, not a blank frame", async () => {
  const page = await browser.context.newPage();
  const frame = await embed(page, "expired", `m.showMarketplace({ selector: "#slot" });`);
  await frame.getByText(/session has expired|sign in again/i).first().waitFor();
  await page.close();
});

it("a screen whose code cannot load (a flaky network) shows a retry, and once the network is back the retry loads it in the same frame", async () => {
  const page = await browser.context.newPage();
  // The detail screen's chunk fails (the frame's idle prefetch of it too) until the network is back.
  let networkBack = false;
  let fetchedAfter = 0;
  await page.route(/\/frame\/assets\/integration-detail-[\w-]+\.js$/, (route) => {
    if (!networkBack) return route.abort("connectionreset");
    fetchedAfter++;
    return route.continue();
  });
  const frame = await embed(page, "valid", `m.showMarketplace({ selector: "#slot" });`);
  await frame.locator(".em-card").first().click();
  await frame.getByText("Something went wrong. Please try again.").waitFor();
  networkBack = true;
  await frame.getByRole("button", { name: "Try again" }).click();
  await frame.getByRole("button", { name: "Activate" }).waitFor();
  // Chromium fetched the failed module again rather than replaying the failure.
  expect(fetchedAfter).toBe(1);
  await page.close();
});
