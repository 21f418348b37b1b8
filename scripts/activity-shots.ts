/** Dev: screenshots of the activity screens (light and dark) with a seeded customer. */
import { launchBrowser, openBlankHostPage, startStack } from "../tests/harness.ts";
import { DEMO_ORG_API_KEY, seedActivity } from "../mock-server/index.ts";
import { signDemoToken } from "../examples/demo-backend/token.ts";

const out = process.argv[2] ?? "/tmp/shots";
const stack = await startStack();
const browser = await launchBrowser();
try {
  const seed = await seedActivity({ platformUrl: stack.platformUrl, token: await signDemoToken("acme-corp"), orgApiKey: DEMO_ORG_API_KEY });
  void seed;
  for (const mode of ["light", "dark"] as const) {
    for (const screen of ["dashboard", "logs", "alerts", "usage"] as const) {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 1100, height: 900 });
      await page.emulateMedia({ colorScheme: mode });
      await openBlankHostPage(page, stack.hostUrl);
      await page.evaluate(
        `(() => {
          const m = window.Emporium.createMarketplace({
            frameUrl: ${JSON.stringify(stack.platformUrl + "/frame/")},
            organization: "demo",
            mode: "auto",
            getToken: async () => {
              const r = await fetch("/api/emporium-token", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ customer: "acme-corp" }) });
              return (await r.json()).token;
            },
          });
          document.body.style.margin = "0";
          document.getElementById("slot").style.height = "100vh";
          window.__embed = m.showMarketplace({ selector: "#slot", screen: ${JSON.stringify(screen)} });
        })()`,
      );
      await page.waitForFunction(() => (window as any).__embed).catch(() => {});
      await page.evaluate(() => (window as any).__embed.ready).catch((e) => console.log("ready failed", e));
      await page.waitForTimeout(800);
      const frame = page.frameLocator("#slot iframe");
      if (screen === "logs") {
        await frame.getByRole("button", { name: "Details" }).first().click();
        await page.waitForTimeout(600);
      }
      await page.screenshot({ path: `${out}/${screen}-${mode}.png`, fullPage: false });
      await page.close();
    }
  }
  console.log("written to", out);
} finally {
  await browser.close();
  await stack.close();
}
