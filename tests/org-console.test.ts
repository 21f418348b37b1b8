/**
 * The organization's side in real Chromium: staff deploy an instance for a customer through the
 * org console (same config pages as the wizard), find it with search and filters, and manage it.
 * The org API key stays on the console's backend.
 */
import { expect, it } from "vitest";
import { signDemoToken } from "../examples/demo-backend/token.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";

const { stack, browser } = useStackAndBrowser(async () => {
  // A customer exists once it has signed in.
  const token = await signDemoToken("globex");
  const res = await fetch(`${stack.platformUrl}/api/v1/session`, { method: "POST", headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
});

it("deploys for a customer with field errors first, then finds, filters and pauses it; the key never reaches the browser", async () => {
  const page = await browser.context.newPage();
  const seen: string[] = [];
  page.on("request", (r) => seen.push(`${r.url()} ${JSON.stringify(r.headers())} ${r.postData() ?? ""}`));
  await page.goto(`${stack.hostUrl}/org-console/#/deploy`);
  const chooser = page.getByRole("form", { name: "What to deploy" });
  await chooser.getByLabel("Customer").selectOption({ label: "Globex Inc (globex)" });
  await chooser.getByLabel("Integration").selectOption({ label: "Stripe" });
  await chooser.getByRole("button", { name: "Configure" }).click();

  const form = page.getByRole("form", { name: "Configure Stripe" });
  await form.getByLabel("Labels").fill("vip, emea");
  await form.getByLabel(/^Description/).fill("Payments for the EMEA team");
  // The API key is required: the platform answers with a field error, shown next to the field.
  await form.getByRole("button", { name: "Deploy" }).click();
  await expect.poll(() => form.locator(".field-error:not([hidden])").count()).toBeGreaterThan(0);
  await form.getByLabel(/Restricted API key/).fill("sk_org_console_key");
  await form.getByRole("button", { name: "Deploy" }).click();

  // It lands on that customer's view, with the new instance in it.
  await page.getByRole("heading", { name: "Customer: Globex Inc" }).waitFor();
  await expect.poll(() => page.getByRole("cell", { name: /Globex/ }).count()).toBeGreaterThan(0);
  // In the cross-customer Instances view, a label filter finds it and another hides it.
  await page.getByRole("link", { name: "Instances" }).click();
  await page.getByRole("heading", { name: "Instances" }).waitFor();
  const filters = page.getByRole("search", { name: "Filter instances" });
  await filters.getByLabel("Label").fill("vip");
  await filters.getByRole("button", { name: "Search" }).click();
  await expect.poll(() => page.getByRole("button", { name: /Pause Stripe of Globex/ }).count()).toBe(1);
  await filters.getByLabel("Label").fill("apac");
  await filters.getByRole("button", { name: "Search" }).click();
  await expect.poll(() => page.getByRole("button", { name: /Pause Stripe of Globex/ }).count()).toBe(0);
  await filters.getByLabel("Label").fill("");
  await filters.getByRole("button", { name: "Search" }).click();

  await page.getByRole("button", { name: /Pause Stripe of Globex/ }).click();
  await page.getByRole("button", { name: /Resume Stripe of Globex/ }).waitFor();

  // The customer sees the instance deployed by the organization, paused.
  const token = await signDemoToken("globex");
  const list = (await (await fetch(`${stack.platformUrl}/api/v1/instances`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
    instances: { integrationId: string; status: string; labels: string[] }[];
  };
  expect(list.instances.find((i) => i.integrationId === "stripe")).toMatchObject({ status: "paused", labels: ["vip", "emea"] });

  expect(seen.join("\n")).not.toContain("org_demo_local_only");
  await page.close();
});
