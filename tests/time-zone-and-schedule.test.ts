/**
 * The time-zone combobox by keyboard alone, and the schedule preview in the user's own time zone
 * (a browser in New York configuring a Berlin schedule), in real Chromium.
 */
import { describe, expect, it } from "vitest";
import type { Frame, Page } from "playwright-core";
import { connectThroughPopup, deleteAllInstances, launchBrowser } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";

const { stack, browser } = useStackAndBrowser();

const frameOf = (page: Page): Frame => page.frames().find((f) => f.url().startsWith(`${stack.platformUrl}/frame/`))!;

async function openWizard(page: Page, customer: string, integration: string) {
  await page.goto(`${stack.hostUrl}/?customer=${customer}`);
  const frame = page.frameLocator("#marketplace iframe");
  await frame.getByRole("searchbox").fill(integration);
  await frame.getByRole("button", { name: new RegExp(integration) }).first().click();
  await frame.getByRole("button", { name: "Activate" }).click();
  await frame.getByText("Step 1 of 2").waitFor();
  return frame;
}

describe("time zone combobox", () => {
  it('by keyboard: type "Ber", arrows, Enter chooses Europe/Berlin; a search with no match says so; Esc twice restores; Tab leaves', async () => {
    await deleteAllInstances(stack);
    const page = await browser.context.newPage();
    const frame = await openWizard(page, "acme-corp", "Zendesk");
    await frame.locator("input[type=password]").fill("zd_token");
    await frame.getByRole("button", { name: "Next" }).click();
    await frame.getByText("Step 2 of 2").waitFor();

    const box = frame.getByRole("combobox", { name: "Time zone" });
    await box.focus();
    const f = frameOf(page);
    const active = () =>
      f.evaluate(() => {
        const id = document.activeElement?.getAttribute("aria-activedescendant");
        return id ? document.getElementById(id)!.querySelector(".em-combobox-label")!.textContent : undefined;
      });
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("Ber");
    expect(await box.getAttribute("aria-expanded")).toBe("true");
    expect(await active()).toBe("Europe/Berlin");
    await expect.poll(() => frame.locator(".em-combobox [role=status]").textContent()).toMatch(/^\d+ results?$/);
    await page.keyboard.press("ArrowDown");
    expect(await active()).not.toBe("Europe/Berlin");
    await page.keyboard.press("ArrowUp");
    expect(await active()).toBe("Europe/Berlin");
    await page.keyboard.press("Enter");
    expect(await box.getAttribute("aria-expanded")).toBe("false");
    expect(await box.inputValue()).toBe("Europe/Berlin");
    // The stored timestamp now carries Berlin's offset (the default is 1 January: winter time).
    await expect.poll(() => frame.getByText("Time zone: Europe/Berlin (UTC+01:00)").count()).toBe(1);

    await page.keyboard.type("Atlantis");
    await expect.poll(() => frame.locator(".em-combobox [role=status]").textContent()).toBe("No time zone matches.");
    await page.keyboard.press("Escape");
    expect(await box.getAttribute("aria-expanded")).toBe("false");
    expect(await box.inputValue()).toBe("Europe/BerlinAtlantis");
    await page.keyboard.press("Escape");
    expect(await box.inputValue()).toBe("Europe/Berlin");
    // Esc stayed the combobox's: the wizard is still open.
    await frame.getByText("Step 2 of 2").waitFor();
    await page.keyboard.press("Tab");
    expect(await f.evaluate(() => document.activeElement?.getAttribute("role"))).not.toBe("combobox");
    await page.close();
  });
});

describe("schedule preview", () => {
  it("a user in New York sees a Berlin schedule's runs at 09:00 Berlin time and in their own time; an interval of 0 is refused", async () => {
    await deleteAllInstances(stack);
    const ny = await launchBrowser([], { timezoneId: "America/New_York", locale: "en-US" });
    try {
      const page = ny.context.pages()[0] ?? (await ny.context.newPage());
      const frame = await openWizard(page, "globex", "Slack");
      await connectThroughPopup(page, frame, "Slack");
      await frame.getByRole("button", { name: "Next" }).click();
      await frame.getByText("Step 2 of 2").waitFor();

      const runs = frame.getByRole("list", { name: "Next runs" }).locator("li");
      await expect.poll(() => runs.count()).toBe(3);
      for (const run of await runs.allTextContents()) {
        // "Mon, Dec 7, 2026, 09:00 AM GMT+1 · Mon 03:00 AM EST your time" (04:00 in the weeks the two switch to summer time apart)
        expect(run).toMatch(/^[A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}, \d{4}, 09:00 AM GMT\+[12] · [A-Z][a-z]{2},? 0[34]:00 AM E[SD]T your time$/);
      }
      // Not raw ISO strings: the machine-readable form is only in the <time> element's attribute.
      expect(await runs.first().locator("time").getAttribute("datetime")).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);

      await frame.getByLabel("Repeat").selectOption("interval");
      await frame.getByLabel("Every", { exact: true }).fill("0");
      await frame.getByRole("button", { name: "Save and deploy" }).click();
      await expect.poll(() => frame.locator("#em-field-digestSchedule-error").textContent()).toBe("Enter an interval of 1 or more.");
      await frame.getByText("No upcoming runs.").waitFor();
      await frame.getByLabel("Every", { exact: true }).fill("30");
      await expect.poll(() => frame.locator("#em-field-digestSchedule-error").count()).toBe(0);
      await expect.poll(() => runs.count()).toBe(3);
    } finally {
      await ny.close();
    }
  });
});
