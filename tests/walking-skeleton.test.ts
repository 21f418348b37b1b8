/**
 * The whole flow in real Chromium, host and frame on two different sites: the host page embeds
 * the marketplace, the customer activates Stripe through the wizard, the host hears
 * `instance-deployed`, a webhook POST over HTTP runs the flow, and the execution shows up in
 * the frame.
 */
import { describe, expect, it } from "vitest";
import { hostEvents } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";
import { hostPageCsp } from "../examples/demo-backend/server.ts";

const { stack, browser } = useStackAndBrowser();

const SECRET = "sk_test_walking_skeleton_51HxYz";

describe("walking skeleton", () => {
  it("activates an integration, deploys it, runs its webhook and shows the execution", async () => {
    const { page } = browser;
    // Every document (host page and frame) records CSP violations.
    await page.addInitScript(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      addEventListener("securitypolicyviolation", (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
    });
    const response = await page.goto(`${stack.hostUrl}/?customer=acme-corp`);
    // The host page runs under the strict policy docs/security.md gives (no unsafe-inline, frame-src the platform only).
    const hostCsp = response!.headers()["content-security-policy"];
    expect(hostCsp).toContain("script-src 'self'");
    expect(hostCsp).toContain(`frame-src ${stack.platformUrl}`);
    expect(hostCsp).not.toContain("unsafe-inline");
    // …exactly that policy (examples/demo-backend/host-csp.test.ts checks it against docs/security.md).
    expect(hostCsp).toBe(hostPageCsp(stack.platformUrl));
    const frame = page.frameLocator("#marketplace iframe");

    // The frame is on the platform's origin, not the host's, and its URL carries no token.
    const src = await page.locator("#marketplace iframe").getAttribute("src");
    expect(new URL(src!).origin).toBe(stack.platformUrl);
    expect(src).not.toMatch(/eyJ/);

    // 2. The marketplace appears, with search.
    await frame.getByRole("button", { name: /Stripe/ }).waitFor();
    await frame.getByRole("searchbox").fill("strip");
    await expect.poll(() => frame.locator(".em-card").count()).toBe(1);
    await frame.getByRole("button", { name: /Stripe/ }).click();

    // 3. Activate, fill the wizard, deploy.
    await frame.getByRole("button", { name: "Activate" }).click();
    await frame.getByLabel("API key").fill(SECRET);
    await frame.getByRole("button", { name: "Next" }).click();
    // The code editor (a lazy chunk) has replaced the textarea: typing over its text must not
    // make Chromium write a style attribute (the frame's CSP refuses those), and the first click
    // on "Save and deploy" after it must count (the page must not shift when focus leaves).
    await frame.locator(".cm-content").waitFor();
    const metadata = frame.getByLabel(/Metadata/);
    await metadata.fill("{ not json");
    await frame.getByRole("button", { name: "Save and deploy" }).click();
    await expect.poll(() => frame.getByText(/not valid JSON/).count()).toBeGreaterThan(0);
    await metadata.fill('{"source":"e2e"}');
    await frame.getByRole("button", { name: "Save and deploy" }).click();

    // The instance page shows the webhook URL.
    const webhookInput = frame.getByLabel(/Webhook URL/).first();
    await webhookInput.waitFor();
    const webhookUrl = await webhookInput.inputValue();
    expect(new URL(webhookUrl).origin).toBe(stack.platformUrl);

    // 4. The host page received instance-deployed, with ids and names only.
    await expect.poll(async () => (await hostEvents(browser.page)).some((e) => e.name === "instance-deployed")).toBe(true);
    const deployed = (await hostEvents(browser.page)).find((e) => e.name === "instance-deployed")!;
    expect(deployed.payload).toMatchObject({ integrationId: "stripe", integrationName: "Stripe" });
    expect(typeof deployed.payload.instanceId).toBe("string");

    // 5. POST to the webhook over HTTP.
    const res = await fetch(webhookUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ type: "charge.succeeded", amount: 4200 }),
    });
    expect(res.status).toBe(200);
    const result = (await res.json()) as { executionId: string; status: string };
    expect(result.status).toBe("succeeded");

    // 6. The new execution shows in the frame after a refresh.
    await frame.getByRole("button", { name: "Refresh" }).click();
    await expect
      .poll(() => frame.getByText("Record a payment").count())
      .toBeGreaterThan(1);
    await expect.poll(() => frame.getByText("Succeeded").count()).toBeGreaterThan(0);

    // Neither the host page nor the frame broke its CSP.
    const violations = async (f: { evaluate: (fn: () => string[]) => Promise<string[]> }) => f.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
    expect(await violations(page)).toEqual([]);
    const frameDoc = page.frames().find((f) => f.url().startsWith(`${stack.platformUrl}/frame/`))!;
    expect(await violations(frameDoc)).toEqual([]);

    // The secret typed into the wizard never reached the host page.
    const everything = JSON.stringify(await hostEvents(browser.page)) + browser.consoleLines.join("\n");
    expect(everything).not.toContain(SECRET);

    // The frame document's Link header preloads its entry script and stylesheet: the document's
    // own requests used them (same credentials mode), so Chromium warns about none, neither a
    // mismatch at once nor an unused preload a few seconds after load.
    const navigation = await frameDoc.evaluate(() => performance.getEntriesByType("resource").map((e) => `${(e as PerformanceResourceTiming).initiatorType} ${e.name}`));
    expect(navigation.some((line) => /^link .*\/frame\/assets\/index-.*\.js$/.test(line))).toBe(true);
    await page.waitForTimeout(3500); // quiet period: Chromium warns of an unused preload ~3 s after load; no such warning comes
    expect(browser.consoleLines.filter((line) => /preload/i.test(line))).toEqual([]);
  });
});
