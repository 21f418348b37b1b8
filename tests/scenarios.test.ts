/**
 * Rehearsed failures, switched from the demo host page exactly as an integrator would: the
 * frame keeps working and keeps what the customer typed.
 */
import { expect, it } from "vitest";
import { deployStripe } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";

const { stack, browser } = useStackAndBrowser();

const scenario = async () => ((await (await fetch(`${stack.platformUrl}/api/v1/_scenario`)).json()) as { scenario: string; tokenExpired: boolean }).scenario;

it("with intermittent 500/503s switched on from the demo page, activating still succeeds (idempotent retries honour Retry-After)", async () => {
  const page = await browser.context.newPage();
  await page.goto(`${stack.hostUrl}/?customer=globex`);
  const frame = page.frameLocator("#marketplace iframe");
  await frame.getByRole("searchbox").waitFor();
  await page.selectOption("#scenario", "flaky");
  await expect.poll(scenario).toBe("flaky");
  await frame.getByRole("searchbox").fill("Stripe");
  await deployStripe(frame, "sk_flaky_scenario");
  await frame.getByLabel(/Webhook URL/).first().waitFor();
  await page.selectOption("#scenario", "none");
  await expect.poll(scenario).toBe("none");
  await page.close();
});

it("when the token expires mid-wizard the frame asks the host for a new one and the typed input survives", async () => {
  const page = await browser.context.newPage();
  let tokenRequests = 0;
  page.on("request", (r) => r.url().endsWith("/api/emporium-token") && tokenRequests++);
  await page.goto(`${stack.hostUrl}/?customer=acme-corp`);
  const frame = page.frameLocator("#marketplace iframe");
  await frame.getByRole("searchbox").fill("Jira");
  await frame.getByRole("button", { name: /Jira/ }).click();
  await frame.getByRole("button", { name: "Activate" }).click();
  await frame.getByLabel("Username").fill("ada@acme.example");
  await frame.getByLabel("Password").fill("pw-token-expiry");
  const before = tokenRequests;
  await page.selectOption("#scenario", "token-expires-now");
  await expect.poll(scenario).toBe("token-expires-now");
  await frame.getByRole("button", { name: "Next" }).click();
  await frame.getByText("Step 2 of 2").waitFor();
  expect(tokenRequests).toBeGreaterThan(before);
  await frame.getByRole("button", { name: "Back" }).click();
  await expect.poll(() => frame.getByLabel("Username").inputValue()).toBe("ada@acme.example");
  await page.selectOption("#scenario", "none");
  await page.close();
});
