/**
 * The marketplace list's boot order, in real Chromium (issue 18, time to interactive). The list
 * is drawn from the catalog GET alone, which needs only the token: it never waits for
 * `POST /session`, whose answer (the user's role, the customer's name) only screens past the list
 * read. A session that fails once the list is drawn still ends in a typed state: a refused token
 * is the sign-in-again banner over the intact list, a platform error leaves the list whole and
 * working, and the next screen asks for the session again.
 */
import { expect, it } from "vitest";
import type { Page, Route } from "playwright-core";
import { embedMarketplace } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";

const { stack, browser } = useStackAndBrowser();

/** Answers the frame's `POST /session` with `answer` (called once per request), counting the requests. */
async function routeSession(page: Page, answer: (route: Route, n: number) => Promise<void>) {
  let asked = 0;
  await page.route(`${stack.platformUrl}/api/v1/session`, (route) => answer(route, ++asked));
  return { asked: () => asked };
}

const error = (status: number, code: string, message: string) => ({ status, contentType: "application/json", body: JSON.stringify({ error: { code, message } }) });

it("the list is drawn and `ready` sent while POST /session is held unanswered", async () => {
  const page = await browser.context.newPage();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const session = await routeSession(page, async (route) => {
    await held;
    await route.continue().catch(() => undefined); // the page may be gone by then
  });
  try {
    // embedMarketplace resolves on the host's `ready`: a list that waited for the session never sends it.
    const frame = await embedMarketplace(page, stack);
    const card = frame.locator(".em-card").first();
    await card.waitFor();
    expect(await card.isEnabled()).toBe(true);
    // The session was asked (once `ready` was out) and is still unanswered while the list is usable.
    await expect.poll(session.asked).toBe(1);
    await card.click();
    await frame.getByRole("heading", { level: 1 }).waitFor();
  } finally {
    release();
    await page.close();
  }
});

it("a session refused (401) after the list is drawn shows the sign-in-again banner over the intact list", async () => {
  const page = await browser.context.newPage();
  // Refused every time, also after the frame asked the host for a fresh token and tried again.
  const session = await routeSession(page, (route) => route.fulfill(error(401, "TOKEN_EXPIRED", "The token has expired")));
  try {
    const frame = await embedMarketplace(page, stack);
    await frame.getByRole("alert").getByText(/session has expired/).waitFor();
    await frame.getByRole("button", { name: "Sign in again" }).waitFor();
    expect(session.asked()).toBe(2);
    // The list is still there, whole: the banner sits above it.
    expect(await frame.locator(".em-card").count()).toBeGreaterThan(1);
    await expect.poll(() => frame.locator(".em-card").first().isEnabled()).toBe(true);
  } finally {
    await page.close();
  }
});

it("a session that fails (500) after the list is drawn leaves the list whole and working, and the next screen works once the platform is back", async () => {
  const page = await browser.context.newPage();
  const session = await routeSession(page, (route, n) => (n === 1 ? route.fulfill(error(500, "SERVER_ERROR", "The platform failed")) : route.continue()));
  try {
    const failed = page.waitForResponse((r) => r.url() === `${stack.platformUrl}/api/v1/session` && r.status() === 500);
    const frame = await embedMarketplace(page, stack);
    await failed;
    expect(session.asked()).toBe(1);
    expect(await frame.locator(".em-card").count()).toBeGreaterThan(1);
    await frame.getByRole("button", { name: /Stripe/ }).click();
    await frame.getByRole("heading", { name: "Stripe", level: 1 }).waitFor();
    await frame.getByRole("button", { name: "Activate" }).waitFor();
  } finally {
    await page.close();
  }
});
