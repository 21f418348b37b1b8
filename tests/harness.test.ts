/**
 * The harness's guard on pointer actions in frames (docs/testing.md rule 8): each action first
 * scrolls its element into the host page's view with a trial of itself, so it accepts what the
 * action accepts. A hover needs no enabled element (a disabled control's tooltip), where a click
 * does: a trial click before a hover waited for a disabled button to become enabled, then failed.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser, type Browser } from "./harness.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser.close());

const FRAME = `<button disabled title="Only admins can remove it">Remove</button><label><input type="checkbox" checked> Notify</label>`;

it("hovers a disabled button in a frame below the fold, and sets a checkbox there with setChecked's boolean", async () => {
  const { page } = browser;
  await page.setContent(`<div style="height: 1600px"></div><iframe style="height: 200px" srcdoc='${FRAME}'></iframe>`);
  const frame = page.frameLocator("iframe");
  const remove = frame.getByRole("button", { name: "Remove" });
  await remove.hover();
  expect(await remove.evaluate((button) => button.matches(":hover"))).toBe(true);
  const notify = frame.getByRole("checkbox", { name: "Notify" });
  await notify.setChecked(false);
  expect(await notify.isChecked()).toBe(false);
});
