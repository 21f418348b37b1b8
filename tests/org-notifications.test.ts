/**
 * The org console's notifications, runs and usage in real Chromium, on the demo stack (the
 * platform in local development mode, the demo backend's inbox registered): an endpoint added
 * through the dialog (a refused URL keeps what was typed and says why beside the field), its
 * delivery log with filters, pages and an attempt that failed, redelivery once the receiver is
 * fixed, the secret rotated through a dialog, disabling through an accessible confirmation that
 * Escape cancels, what the backend received (verified), runs filtered by customer, and the usage
 * CSV that a spreadsheet cannot read as a formula.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import { readFileSync } from "node:fs";
import { signDemoToken } from "../examples/demo-backend/token.ts";
import { DEMO_ORG_API_KEY } from "../mock-server/index.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";

/**
 * A receiver the test controls: it answers 500 until `healthy`, then 204. Its 500 asks for the
 * next attempt in 10 hours (`Retry-After`), which the platform honours: no retry comes while the
 * test runs, whatever the machine's load. (With the default schedule the first retry came 4-6 s
 * after each first attempt; on a loaded machine it came while the test was clicking its row's
 * "1 attempt", which then read "2 attempts", and the click waited 30 s for a text that was gone.)
 */
let receiver: Server;
let receiverUrl = "";
let healthy = false;

const { stack, browser } = useStackAndBrowser(async (s) => {
  for (const customer of ["acme-corp", "globex"] as const) {
    const res = await fetch(`${s.platformUrl}/api/v1/session`, { method: "POST", headers: { Authorization: `Bearer ${await signDemoToken(customer)}` } });
    expect(res.status).toBe(200);
  }
  await s.notifications.ensureEndpoint();
});

beforeAll(async () => {
  receiver = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (healthy) res.writeHead(204).end();
      else res.writeHead(500, { "Retry-After": String(10 * 3600) }).end("receiver down");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const address = receiver.address();
  receiverUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/emporium/hook`;
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

const org = (path: string, init: RequestInit = {}) =>
  fetch(`${stack.platformUrl}/api/v1/org${path}`, { ...init, headers: { Authorization: `Bearer ${DEMO_ORG_API_KEY}`, "Content-Type": "application/json" } });

async function deployFor(externalId: string, name: string): Promise<string> {
  const { customers } = (await (await org("/customers")).json()) as { customers: Array<{ id: string; externalId: string }> };
  const customer = customers.find((c) => c.externalId === externalId)!;
  const response = await org(`/customers/${customer.id}/instances`, {
    method: "POST",
    body: JSON.stringify({ integrationId: "jira", name, values: { site: "acme.atlassian.net", jiraConnection: { kind: "basic", username: "ops@acme.example", password: "console-pw-1" }, projectKey: "OPS" } }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { instance: { id: string } }).instance.id;
}

/** The deliveries of an endpoint once none is waiting for its first attempt (the condition the log shows). */
async function settled(endpointId: string, count: number) {
  await expect
    .poll(async () => {
      const { deliveries } = (await (await org(`/notification-endpoints/${endpointId}/deliveries?limit=100`)).json()) as { deliveries: Array<{ attempts: unknown[] }> };
      return deliveries.length === count && deliveries.every((d) => d.attempts.length > 0);
    })
    .toBe(true);
}

it("adds an endpoint through the dialog, reads its delivery log with filters and pages, redelivers, rotates the secret and disables it with a confirmation", async () => {
  const page = await browser.context.newPage();
  const acme = await deployFor("acme-corp", "Ops Jira");
  await page.goto(`${stack.hostUrl}/org-console/#/notifications`);
  await page.getByRole("heading", { name: "Notifications" }).waitFor();
  // The demo backend's own inbox is there, and what it received verified.
  await page.getByRole("article", { name: `${stack.hostUrl}/api/notifications` }).waitFor();
  const receivedTable = page.getByRole("table", { name: "Notifications received by your backend" });
  await expect.poll(() => receivedTable.getByRole("row", { name: /instance\.deployed.*Verified/ }).count()).toBeGreaterThan(0);

  // A URL the platform refuses: the reason beside the field, the text kept.
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a notification endpoint" });
  await dialog.getByLabel("URL").fill("ftp://files.example.com/hook");
  await dialog.getByLabel("Description").fill("Pager bridge");
  for (const box of await dialog.getByRole("checkbox").all()) await box.setChecked(false);
  await dialog.getByRole("checkbox", { name: /instance\.paused/ }).check();
  await dialog.getByRole("checkbox", { name: /instance\.resumed/ }).check();
  await dialog.getByRole("button", { name: "Add endpoint" }).click();
  await expect.poll(() => dialog.locator(".field-error:not([hidden])").first().textContent()).toMatch(/must start with https:\/\/ or http:\/\//);
  expect(await dialog.getByLabel("URL").inputValue()).toBe("ftp://files.example.com/hook");
  expect(await dialog.getByLabel("URL").getAttribute("aria-invalid")).toBe("true");
  expect(await dialog.getByLabel("Description").inputValue()).toBe("Pager bridge");
  await dialog.getByLabel("URL").fill(receiverUrl);
  await dialog.getByRole("button", { name: "Add endpoint" }).click();
  await page.getByRole("heading", { name: receiverUrl }).waitFor();
  const endpointId = decodeURIComponent(new URL(page.url()).hash.split("/")[2].split("?")[0]);

  // 22 events while the receiver is down: every first attempt fails.
  for (let i = 0; i < 11; i++) {
    expect((await org(`/instances/${acme}/pause`, { method: "POST" })).status).toBe(200);
    expect((await org(`/instances/${acme}/resume`, { method: "POST" })).status).toBe(200);
  }
  await settled(endpointId, 22);
  await page.reload();
  const log = page.getByRole("table", { name: "Delivery log" });
  await expect.poll(() => log.getByRole("row", { name: /Retrying/ }).count()).toBe(20);
  // Pages of 20: Next shows the two oldest, Previous comes back.
  await page.getByRole("button", { name: "Next" }).click();
  await expect.poll(() => log.getByRole("row", { name: /Retrying/ }).count()).toBe(2);
  await page.getByRole("button", { name: "Previous" }).click();
  await expect.poll(() => log.getByRole("row", { name: /Retrying/ }).count()).toBe(20);
  // Filters: only pauses; then only delivered ones (none yet).
  const filters = page.getByRole("search", { name: "Filter deliveries" });
  await filters.getByLabel("Event").selectOption("instance.paused");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect.poll(() => log.getByRole("row", { name: /instance\.paused/ }).count()).toBe(11);
  expect(await log.getByRole("row", { name: /instance\.resumed/ }).count()).toBe(0);
  await filters.getByLabel("Status").selectOption("succeeded");
  await filters.getByRole("button", { name: "Filter" }).click();
  await page.getByText("No delivery matches these filters.").waitFor();
  await filters.getByLabel("Status").selectOption("");
  await filters.getByRole("button", { name: "Filter" }).click();
  // The failed attempt, in words, with the receiver's answer.
  const first = log.getByRole("row", { name: /instance\.paused/ }).first();
  await first.getByText(/1 attempt/).click();
  await first.getByText("The endpoint answered 500.").waitFor();
  await first.getByText("receiver down").waitFor();

  // The receiver is fixed: a redelivery succeeds, same webhook-id, logged as a redelivery.
  healthy = true;
  await first.getByRole("button", { name: /Redeliver instance\.paused/ }).click();
  await page.getByText("Redelivered: answered 204.").waitFor();
  await expect.poll(() => first.getByText("Delivered").count()).toBe(1);
  await first.getByText(/2 attempts/).click();
  await first.getByText(/204 · \d+ ms · redelivery/).waitFor();

  // Rotating the secret: a dialog, then both secrets shown (the previous one until the rollover ends).
  await page.getByRole("button", { name: "Rotate secret" }).click();
  const rotate = page.getByRole("dialog", { name: "Rotate the signing secret?" });
  await rotate.getByRole("button", { name: "Rotate" }).click();
  await expect.poll(() => page.locator(".secret-value").textContent()).toMatch(/^whsec_\S+\nwhsec_\S+ {2}\(previous, signs until/);

  // Disabling asks first; Escape keeps it enabled, Disable turns it off.
  await page.getByRole("link", { name: "← All endpoints" }).click();
  await page.getByRole("button", { name: `Disable ${receiverUrl}` }).click();
  const confirm = page.getByRole("dialog", { name: "Disable this endpoint?" });
  await confirm.waitFor();
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Cancel");
  await page.keyboard.press("Escape");
  await confirm.waitFor({ state: "detached" });
  await page.getByRole("button", { name: `Disable ${receiverUrl}` }).click();
  await page.getByRole("dialog", { name: "Disable this endpoint?" }).getByRole("button", { name: "Disable" }).click();
  await page.getByText(`${receiverUrl} is disabled.`).waitFor();
  await page.getByRole("article", { name: receiverUrl }).getByText("Disabled").waitFor();
  await page.close();
});

it("lists runs across customers with a customer filter, and exports usage as CSV no spreadsheet reads as a formula", async () => {
  await deployFor("acme-corp", "Acme escalations");
  await deployFor("globex", '=HYPERLINK("http://evil.example","Click")');
  const page = await browser.context.newPage();
  await page.goto(`${stack.hostUrl}/org-console/#/runs`);
  const runs = page.getByRole("table", { name: "Runs" });
  await expect.poll(() => runs.getByRole("row", { name: /Globex/ }).count()).toBeGreaterThan(0);
  await expect.poll(() => runs.getByRole("row", { name: /Acme Corp/ }).count()).toBeGreaterThan(0);
  const filters = page.getByRole("search", { name: "Filter runs" });
  await filters.getByLabel("Customer").selectOption({ label: "Globex Inc (globex)" });
  await filters.getByRole("button", { name: "Filter" }).click();
  // Loaded (not the skeleton): Globex's runs, and no one else's.
  await expect.poll(async () => [await runs.getByRole("row", { name: /Acme Corp/ }).count(), (await runs.getByRole("row", { name: /Globex/ }).count()) > 0]).toEqual([0, true]);

  // A time range after every run: none match, and the inputs keep what was picked.
  await filters.getByLabel("Started from").fill("2099-01-01T09:30");
  await filters.getByRole("button", { name: "Filter" }).click();
  await page.getByText("No run matches these filters.").waitFor();
  expect(await filters.getByLabel("Started from").inputValue()).toBe("2099-01-01T09:30");
  expect(new URLSearchParams(new URL(page.url()).hash.split("?")[1]).get("from")).toBe(new Date("2099-01-01T09:30").toISOString());

  await page.goto(`${stack.hostUrl}/org-console/#/alerts?status=open`);
  await page.getByText(/No alert matches these filters\.|Raised/).first().waitFor();

  await page.goto(`${stack.hostUrl}/org-console/#/usage`);
  const form = page.getByRole("form", { name: "Usage report" });
  await form.getByLabel("Customer").selectOption({ label: "Globex Inc (globex)" });
  await form.getByRole("button", { name: "Show" }).click();
  await page.getByRole("heading", { name: /Globex Inc ·/ }).waitFor();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
  const csv = readFileSync((await download.path())!, "utf8");
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toBe("customer,customer_external_id,period_from,period_to,instance_id,instance,integration,still_exists,enabled_hours,paused_hours");
  expect(lines.slice(1).every((line) => line.startsWith("Globex Inc,globex,"))).toBe(true);
  expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""Click"")"`);
  expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
  await page.close();
});
