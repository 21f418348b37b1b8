/**
 * The host pre-fills the wizard: values it sets are validated like typed ones, fields can be
 * hidden or read-only, and a config variable name that does not exist is a typed warning in
 * the host console, not a silent drop.
 */
import { expect, it } from "vitest";
import { openBlankHostPage, type SdkPageWindow } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";

const { stack, browser } = useStackAndBrowser();

it("configureInstance pre-fills values, hides and locks fields, and warns in the host console about unknown ones", async () => {
  const page = await browser.context.newPage();
  const warnings: string[] = [];
  page.on("console", (msg) => msg.type() === "warning" && warnings.push(msg.text()));
  await openBlankHostPage(page, stack.hostUrl);
  await page.evaluate(
    ([frameUrl]) => {
      const { Emporium, demoToken } = window as unknown as SdkPageWindow;
      const m = Emporium.createMarketplace({ frameUrl, organization: "demo", getToken: () => demoToken("globex") });
      m.configureInstance(
        {
          integration: "stripe",
          configVars: {
            stripeKey: { value: { kind: "api-key", apiKey: "sk_host_known_key" }, hidden: true },
            currency: { value: "eur", readOnly: true },
            threshold: { value: 5_000_000 },
            notAField: { value: 1 },
          },
        },
        { selector: "#slot" },
      );
    },
    [`${stack.platformUrl}/frame/`],
  );
  const frame = page.frameLocator("#slot iframe");
  // The unknown name is reported, by name, with a typed code.
  await expect.poll(() => warnings.join("\n")).toMatch(/UNKNOWN_CONFIG_VAR/);
  // The out-of-range value set by the host is rejected like a typed one (its default is kept).
  await expect.poll(() => warnings.join("\n")).toMatch(/INVALID_CONFIG_VALUE/);

  // The connection page is entirely host-set and hidden: the customer never sees the key.
  await frame.getByText(/Step \d of 2/).waitFor();
  await expect.poll(() => frame.getByLabel("API key").count()).toBe(0);
  if (await frame.getByText("Step 1 of 2").count()) await frame.getByRole("button", { name: "Next" }).click();
  await frame.getByText("Step 2 of 2").waitFor();
  const currency = frame.getByLabel(/^Currency/);
  await expect.poll(() => currency.inputValue()).toBe("eur");
  expect(await currency.isDisabled()).toBe(true);
  await expect.poll(() => frame.getByLabel(/^Threshold/).inputValue()).toBe("100");
  await page.close();
});
