/**
 * `npm run screenshots`: screenshots of the real frame (built dist/), light and dark, for the
 * README and for eyeballing changes. Writes docs/screenshots/<screen>-<mode>.png.
 */
import { mkdirSync } from "node:fs";
import { launchBrowser, openBlankHostPage, startStack } from "../tests/harness.ts";

const out = "docs/screenshots";
mkdirSync(out, { recursive: true });
const stack = await startStack();
const browser = await launchBrowser();
try {
  for (const mode of ["light", "dark"] as const) {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1100, height: 820 });
    await page.emulateMedia({ colorScheme: mode });
    await openBlankHostPage(page, stack.hostUrl);
    await page.evaluate(
      `(() => {
        const m = window.Emporium.createMarketplace({
          frameUrl: ${JSON.stringify(stack.platformUrl + "/frame/")},
          organization: "demo",
          mode: "auto",
          getToken: async () => {
            const r = await fetch("/api/emporium-token", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ customer: ${JSON.stringify(mode === "light" ? "acme-corp" : "globex")} }) });
            return (await r.json()).token;
          },
        });
        document.body.style.margin = "0";
        document.getElementById("slot").style.height = "100vh";
        m.showMarketplace({ selector: "#slot" });
      })()`,
    );
    const frame = page.frameLocator("#slot iframe");
    await frame.getByRole("button", { name: /Stripe/ }).waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${out}/marketplace-${mode}.png` });
    await frame.getByRole("button", { name: /Stripe/ }).click();
    await frame.getByRole("button", { name: "Activate" }).waitFor();
    await page.screenshot({ path: `${out}/detail-${mode}.png` });
    await frame.getByRole("button", { name: "Activate" }).click();
    await frame.getByLabel("API key").fill("sk_test_screenshot");
    await frame.getByRole("button", { name: "Next" }).click();
    await frame.getByText("Step 2 of 2").waitFor();
    await page.screenshot({ path: `${out}/wizard-${mode}.png` });
    await frame.getByRole("button", { name: "Save and deploy" }).click();
    const url = await frame.getByLabel(/Webhook URL/).first().inputValue({ timeout: 20_000 });
    await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ type: "charge.succeeded", amount: 4200 }) });
    await frame.getByRole("button", { name: "Refresh" }).click();
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${out}/instance-${mode}.png` });
    await page.close();
  }
  console.log(`screenshots written to ${out}/`);
} finally {
  await browser.close();
  await stack.close();
}
