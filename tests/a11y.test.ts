/**
 * Accessibility in real Chromium: axe-core on every screen of the frame (marketplace, detail,
 * each wizard page, instance page) in light and dark, and a keyboard-only walk through the
 * popover: open, search, activate, complete the wizard, deploy, close with Esc, focus back on
 * the element that opened it.
 */
import { describe, expect, it, onTestFailed } from "vitest";
import type { Frame, Page } from "playwright-core";
import { connectThroughPopup, deleteAllInstances, openBlankHostPage, openPopoverHostPage, pressEscapeInClosingFrame } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";
import { axeViolations as axe } from "./axe.ts";

const { stack, browser } = useStackAndBrowser();

const marketplaceFrame = (page: Page): Frame => page.frames().find((f) => f.url().startsWith(`${stack.platformUrl}/frame/`))!;

async function embed(page: Page, mode: "light" | "dark", customer: string, target = `{ selector: "#slot" }`) {
  await openBlankHostPage(page, stack.hostUrl);
  await page.evaluate(`(() => {
    document.getElementById("slot").style.height = "760px";
    window.__m = window.Emporium.createMarketplace({
      frameUrl: ${JSON.stringify(stack.platformUrl + "/frame/")},
      organization: "demo",
      mode: ${JSON.stringify(mode)},
      getToken: () => window.demoToken(${JSON.stringify(customer)}),
    });
    window.__embed = window.__m.showMarketplace(${target});
  })()`);
}

describe("axe-core finds no violations", () => {
  for (const [mode, customer] of [
    ["light", "acme-corp"],
    ["dark", "globex"],
  ] as const) {
    it(`on the marketplace, detail, every wizard page and the instance page (${mode})`, async () => {
      const page = await browser.context.newPage();
      await embed(page, mode, customer);
      const frame = page.frameLocator("#slot iframe");
      await frame.getByRole("button", { name: /Jira/ }).waitFor();
      const results: Record<string, string[]> = {};
      results.marketplace = await axe(marketplaceFrame(page));

      await frame.getByRole("button", { name: /Jira/ }).click();
      await frame.getByRole("button", { name: "Activate" }).waitFor();
      results.detail = await axe(marketplaceFrame(page));

      await frame.getByRole("button", { name: "Activate" }).click();
      await frame.getByText("Step 1 of 2").waitFor();
      // With errors showing, too: invalid fields must stay accessible.
      await frame.getByRole("button", { name: "Next" }).click();
      await frame.getByText("This field is required.").first().waitFor();
      results["wizard page 1 with errors"] = await axe(marketplaceFrame(page));
      await frame.getByLabel("Username").fill("ada@acme.example");
      await frame.getByLabel("Password").fill("pw-a11y");
      await frame.getByRole("button", { name: "Next" }).click();
      await frame.getByText("Step 2 of 2").waitFor();
      results["wizard page 2"] = await axe(marketplaceFrame(page));

      await frame.getByRole("button", { name: "Save and deploy" }).click();
      await frame.getByRole("button", { name: "Pause" }).waitFor();
      results.instance = await axe(marketplaceFrame(page));

      await frame.getByRole("button", { name: "Deactivate" }).click();
      await frame.getByRole("button", { name: "Yes, deactivate" }).waitFor();
      results["deactivate confirm"] = await axe(marketplaceFrame(page));

      expect(results).toEqual({
        marketplace: [],
        detail: [],
        "wizard page 1 with errors": [],
        "wizard page 2": [],
        instance: [],
        "deactivate confirm": [],
      });
      await page.close();
    });
  }
});

describe("axe-core on the finished inputs", () => {
  for (const [mode, customer] of [
    ["light", "acme-corp"],
    ["dark", "globex"],
  ] as const) {
    it(`the code editor with an error marker, the time-zone combobox open, the schedule and its next runs (${mode})`, async () => {
      await deleteAllInstances(stack);
      const page = await browser.context.newPage();
      await embed(page, mode, customer);
      const frame = page.frameLocator("#slot iframe");
      const results: Record<string, string[]> = {};

      // Zendesk: an XML editor and a timestamp with its time-zone combobox.
      await frame.getByRole("button", { name: /Zendesk/ }).click();
      await frame.getByRole("button", { name: "Activate" }).click();
      await frame.locator("input[type=password]").fill("zd-a11y");
      await frame.getByRole("button", { name: "Next" }).click();
      const xml = frame.locator(".cm-content#em-field-template");
      await xml.waitFor();
      await xml.click();
      await page.keyboard.press("End");
      await page.keyboard.type("<oops>");
      await frame.getByRole("button", { name: "Save and deploy" }).click();
      await frame.locator(".cm-lintRange-error").waitFor();
      results["code editor with an error"] = await axe(marketplaceFrame(page));
      await frame.getByRole("combobox", { name: "Time zone" }).fill("Ber");
      await frame.getByRole("listbox").waitFor();
      results["time-zone combobox open"] = await axe(marketplaceFrame(page));
      await page.keyboard.press("Escape");
      await frame.getByRole("button", { name: "Cancel" }).click();

      // Slack: the schedule field and its next runs (after the OAuth popup).
      await frame.getByRole("button", { name: "Back" }).click();
      await frame.getByRole("button", { name: /Slack/ }).click();
      await frame.getByRole("button", { name: "Activate" }).click();
      await connectThroughPopup(page, frame, "Slack");
      await frame.getByRole("button", { name: "Next" }).click();
      await frame.getByRole("list", { name: "Next runs" }).waitFor();
      results["schedule with next runs"] = await axe(marketplaceFrame(page));

      expect(results).toEqual({ "code editor with an error": [], "time-zone combobox open": [], "schedule with next runs": [] });
      await page.close();
    });
  }
});

describe("axe-core on data-source picklists", () => {
  const scenario = (name: string) =>
    fetch(`${stack.platformUrl}/api/v1/_scenario`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ scenario: name }) });
  for (const [mode, customer] of [
    ["light", "acme-corp"],
    ["dark", "globex"],
  ] as const) {
    it(`chosen by keyboard alone, a value cleared by a new project, and the app's error with its retry (${mode})`, async () => {
      await deleteAllInstances(stack);
      const page = await browser.context.newPage();
      onTestFailed(async () => {
        await page.screenshot({ path: `test-results/a11y-data-source-${mode}.png` }).catch(() => {});
      });
      try {
        await embed(page, mode, customer);
        const frame = page.frameLocator("#slot iframe");
        await frame.getByRole("button", { name: /Jira/ }).click();
        await frame.getByRole("button", { name: "Activate" }).click();
        await frame.getByLabel("Username").fill("a11y@example.test");
        await frame.getByLabel("Password").fill("a11y-password");
        await frame.getByRole("button", { name: "Next" }).click();
        const issueType = frame.getByRole("combobox", { name: /^Issue type/ });
        await expect.poll(() => issueType.inputValue()).toBe("Task");
        const results: Record<string, string[]> = {};

        // Keyboard only: type to filter, ↓ to the option, Enter chooses it.
        await issueType.focus();
        await page.keyboard.press("ControlOrMeta+a");
        await page.keyboard.type("bu");
        await frame.getByRole("option", { name: /^Bug/ }).waitFor();
        results["issue types open"] = await axe(marketplaceFrame(page));
        await page.keyboard.press("ArrowDown");
        await page.keyboard.press("Enter");
        await expect.poll(() => issueType.inputValue()).toBe("Bug");

        const project = frame.getByRole("combobox", { name: /^Project/ });
        await project.focus();
        await page.keyboard.press("ControlOrMeta+a");
        await page.keyboard.type("support");
        await frame.getByRole("option", { name: /^Customer Support/ }).waitFor();
        await page.keyboard.press("ArrowDown");
        await page.keyboard.press("Enter");
        await frame.locator('[data-field="issueType"]').getByText(/“Bug” isn't available in Jira/).waitFor();
        results["a value cleared"] = await axe(marketplaceFrame(page));

        await scenario("data-source-down");
        await frame.locator('[data-field="projectKey"]').getByRole("button", { name: "Reload options" }).click();
        await frame.locator('[data-field="projectKey"]').getByRole("alert").waitFor();
        results["the app's error"] = await axe(marketplaceFrame(page));
        expect(results).toEqual({ "issue types open": [], "a value cleared": [], "the app's error": [] });
      } finally {
        await scenario("none");
        await page.close();
      }
    });
  }
});

describe("keyboard only", () => {
  it("opens the popover, searches, activates, completes the wizard, deploys, closes with Esc and returns focus", async () => {
    // Stripe starts at "Activate", whatever an earlier test in this file left behind.
    await deleteAllInstances(stack);
    const page = await browser.context.newPage();
    // Say where it failed, with a picture.
    let step = "open the popover";
    onTestFailed(async () => {
      console.error(`keyboard-only test failed at: ${step}`);
      await page.screenshot({ path: "test-results/a11y-keyboard-only.png" }).catch(() => {});
    });
    await openPopoverHostPage(page, stack);
    const events = () => page.evaluate(() => (window as unknown as { __events: string[] }).__events);
    const focused = (frame: Frame) => frame.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? `${el.tagName.toLowerCase()}|${el.getAttribute("aria-label") ?? ""}|${el.textContent?.trim().slice(0, 40) ?? ""}|${(el as HTMLInputElement).type ?? ""}` : "";
    });
    /**
     * Tabs until the focused element in the frame matches, failing after a bounded number of
     * presses. Call it only once the screen is drawn (wait for what the user sees first): Tab
     * presses made while a screen is still loading race its render, however many there are.
     */
    async function tabTo(frame: Frame, pattern: RegExp, key = "Tab") {
      for (let i = 0; i < 40; i++) {
        if (pattern.test(await focused(frame))) return;
        await page.keyboard.press(key);
      }
      throw new Error(`never reached ${pattern} with ${key}; focus is on ${await focused(frame)}`);
    }

    await page.focus("#opener");
    await page.keyboard.press("Enter");
    await expect.poll(events).toContain("ready");
    // A native modal dialog (the browser's own focus trap), in the SDK's shadow root.
    expect(await page.locator("dialog").evaluate((d) => d.matches(":modal"))).toBe(true);
    const frame = marketplaceFrame(page);

    // Search by typing into the search box, then open Stripe's card.
    step = "search and open Stripe";
    await tabTo(frame, /^input\|.*\|\|search$/);
    await page.keyboard.type("stripe");
    // The list shows Stripe alone once the search has been applied.
    await expect.poll(() => frame.locator(".em-card").count()).toBe(1);
    await tabTo(frame, /^button\|.*\|.*Stripe/);
    await page.keyboard.press("Enter");
    step = "activate";
    // The detail screen (a lazy chunk and a request) is drawn: its Activate button is there.
    await frame.getByRole("button", { name: "Activate" }).waitFor();
    await tabTo(frame, /^button\|\|Activate/);
    await page.keyboard.press("Enter");

    // Wizard page 1: the API key field, then Next.
    step = "wizard page 1";
    await frame.getByText("Step 1 of 2").waitFor();
    await tabTo(frame, /^input\|.*\|\|password$/);
    await page.keyboard.type("sk_keyboard_only");
    await tabTo(frame, /^button\|\|Next/);
    await page.keyboard.press("Enter");
    step = "wizard page 2";
    await frame.getByText("Step 2 of 2").waitFor();
    await tabTo(frame, /^button\|\|Save and deploy/);
    await page.keyboard.press("Enter");
    step = "deploy";
    await expect.poll(events).toContain("instance-deployed");

    // The host page behind the modal popover is inert: Tab never reaches the opener or the page.
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press("Tab");
      // body = focus passed to the browser's own UI between two rounds through the dialog.
      const where = await page.evaluate(() => {
        const a = document.activeElement;
        return a === document.body ? "browser" : a?.shadowRoot?.querySelector("dialog:modal") ? "dialog" : `host page: ${a?.outerHTML.slice(0, 60)}`;
      });
      expect(["dialog", "browser"]).toContain(where);
    }
    step = "close with Esc";
    pressEscapeInClosingFrame(page);
    await expect.poll(() => page.locator("dialog").count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("opener");
    await page.close();
  });
});
