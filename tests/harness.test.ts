/**
 * The harness's guard on pointer actions in frames (docs/testing.md rule 8): each action first
 * scrolls its element into the host page's view with a trial of itself, so it accepts what the
 * action accepts. A hover needs no enabled element (a disabled control's tooltip), where a click
 * does: a trial click before a hover waited for a disabled button to become enabled, then failed.
 * And its input log, which a failed test prints: what each document saw of a click, and where it went.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser, recordInput, type Browser } from "./harness.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
  await recordInput(browser);
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

// A button that moves away as it is pressed: the release lands on the page below it.
const MOVES = `<body style="margin: 0"><div id="gap"></div><button onclick="this.dataset.clicked = 1">Deactivate</button><script>document.querySelector("button").addEventListener("pointerdown", () => (document.getElementById("gap").style.height = "100px"))</script></body>`;

it("logs where a click in a frame went: one whose button moved between press and release reached the page, and Playwright reported it done", async () => {
  const { page, inputLog } = browser;
  await page.setContent(`<iframe style="height: 300px" srcdoc='${MOVES}'></iframe>`);
  const button = page.frameLocator("iframe").getByRole("button", { name: "Deactivate" });
  const from = inputLog.length;
  await button.click();
  expect(await button.evaluate((b) => b.dataset.clicked)).toBeUndefined();
  const seen = inputLog.slice(from);
  expect(seen).toContainEqual(expect.stringMatching(/ frame about:srcdoc pointerdown at \d+,\d+ on <button> "Deactivate"$/));
  expect(seen).toContainEqual(expect.stringMatching(/ frame about:srcdoc click at \d+,\d+ on <body> "Deactivate/));
});
