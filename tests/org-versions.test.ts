/**
 * The organization's side of integration versions in real Chromium (issue 15): the org console
 * shows each instance's version and the update it can take, filters by both, lists the versions
 * with their release notes, and upgrades in bulk — a dry run first, then the run, once.
 */
import { expect, it } from "vitest";
import type { Request } from "playwright-core";
import { signDemoToken } from "../examples/demo-backend/token.ts";
import { DEMO_ORG_API_KEY, seedVersions, type VersionsSeed } from "../mock-server/index.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";

let seed: VersionsSeed;
const { stack, browser } = useStackAndBrowser(async (s) => {
  seed = (await seedVersions({ platformUrl: s.platformUrl, orgApiKey: DEMO_ORG_API_KEY, tokens: [await signDemoToken("acme-corp"), await signDemoToken("globex")] }))!;
});

const orgGet = async <T>(path: string): Promise<T> =>
  (await (await fetch(`${stack.platformUrl}/api/v1/org${path}`, { headers: { Authorization: `Bearer ${DEMO_ORG_API_KEY}` } })).json()) as T;
const versionOf = async (id: string) => (await orgGet<{ integrationVersion: number }>(`/instances/${id}`)).integrationVersion;

it("shows each instance's version and filters by it and by the update it needs", async () => {
  const page = await browser.context.newPage();
  await page.goto(`${stack.hostUrl}/org-console/#/instances?integration=jira`);
  const row = (id: string) => page.locator(`tr[data-instance="${id}"]`);
  await expect.poll(() => row(seed.jira.upgrades).locator(".version-cell").textContent()).toBe("v1v2 available");
  expect(await row(seed.jira.needsInput).locator(".version-cell").textContent()).toBe("v1v2: needs customer input");

  const filters = page.getByRole("search", { name: "Filter instances" });
  await filters.getByLabel("Update").selectOption({ label: "Needs customer input" });
  await filters.getByRole("button", { name: "Search" }).click();
  await expect.poll(() => page.locator("tbody tr").count()).toBe(1);
  expect(await page.locator("tbody tr").getAttribute("data-instance")).toBe(seed.jira.needsInput);

  await filters.getByLabel("Update").selectOption({ label: "Any" });
  await filters.getByLabel("Version").fill("2");
  await filters.getByRole("button", { name: "Search" }).click();
  await page.getByText("No instance matches these filters.").waitFor();
  await page.close();
});

it("lists the versions with release notes, then a dry run says what a bulk upgrade would do and the run does it once", async () => {
  const page = await browser.context.newPage();
  const runs: Request[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && r.url().endsWith("/api/org/integrations/jira/upgrades")) runs.push(r);
  });
  await page.goto(`${stack.hostUrl}/org-console/#/instances`);
  await page.getByRole("link", { name: "Versions" }).click();
  await page.getByRole("form", { name: "Choose an integration" }).locator("select").selectOption({ label: "Jira · latest v2" });
  const versions = page.getByRole("table", { name: "Versions of Jira" });
  await versions.locator('tr[data-version="2"]').getByText("Issues get a priority, and issue types are work types.").waitFor();
  expect(await versions.locator('tr[data-version="2"]').getByText("latest").count()).toBe(1);
  expect(await versions.locator('tr[data-version="1"]').getByRole("link").textContent()).toBe("3 instances");

  const bulk = page.getByRole("form", { name: "Bulk upgrade" });
  await bulk.getByRole("button", { name: "Preview upgrade" }).click();
  await page.getByText("Dry run: 1 will be upgraded · 1 needs customer input · 1 skipped. Nothing has changed yet.").waitFor();
  const outcome = (id: string) => page.locator(`.upgrade-items tr[data-instance="${id}"]`);
  expect(await outcome(seed.jira.upgrades).getAttribute("data-outcome")).toBe("would-upgrade");
  // What changes, in the fields' own names: the rename, the dropped field, the new one with its default.
  const changes = await outcome(seed.jira.upgrades).locator("td").last().textContent();
  expect(changes).toContain("Issue type → Work type");
  expect(changes).toContain("adds Priority (default)");
  // The customer who picked Story is asked again: Work type names the reason.
  expect(await outcome(seed.jira.needsInput).getAttribute("data-outcome")).toBe("needs-input");
  expect(await outcome(seed.jira.needsInput).getByText(/Work type:/).count()).toBe(1);
  expect(await outcome(seed.jira.paused).getAttribute("data-outcome")).toBe("skipped");
  expect(await versionOf(seed.jira.upgrades)).toBe(1);

  await page.getByRole("button", { name: "Upgrade 1 instance to v2" }).click();
  await page.getByText("Done: 1 upgraded · 1 needs customer input · 1 skipped.").waitFor();
  expect(await outcome(seed.jira.upgrades).getAttribute("data-outcome")).toBe("upgraded");
  expect(await outcome(seed.jira.upgrades).getByText(/Deploy flows: register-webhook succeeded/).count()).toBe(1);
  expect([await versionOf(seed.jira.upgrades), await versionOf(seed.jira.needsInput), await versionOf(seed.jira.paused)]).toEqual([2, 1, 1]);

  // The run carried one Idempotency-Key: sent again (a retry after a lost answer), it answers the
  // stored result and upgrades nothing twice.
  const run = runs.find((r) => r.postDataJSON().dryRun === false)!;
  const key = (await run.allHeaders())["idempotency-key"];
  expect(key).toMatch(/^[0-9a-f-]{36}$/);
  const again = await page.request.post(run.url(), { headers: { "Content-Type": "application/json", "Idempotency-Key": key, Origin: stack.hostUrl }, data: run.postData()! });
  expect(((await again.json()) as { counts: { upgraded: number } }).counts.upgraded).toBe(1);
  expect((await orgGet<{ versions: { version: number; instanceCount: number }[] }>("/integrations/jira/versions")).versions.map((v) => v.instanceCount)).toEqual([2, 1]);
  await page.close();
});
