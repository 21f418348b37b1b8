/**
 * The code editor of JSON/XML/HTML fields in real Chromium, in the frame as the platform serves
 * it (its real CSP): styled with no CSP violation, typing, the error marker where the shared
 * validation finds the problem, Tab leaving it, and the textarea it falls back to when its chunk
 * cannot load.
 */
import { describe, expect, it } from "vitest";
import type { Frame, FrameLocator, Page } from "playwright-core";
import { deleteAllInstances } from "./harness.ts";
import { useStackAndBrowser } from "./stack-and-browser.ts";

const { stack, browser } = useStackAndBrowser(async (_, b) => {
  // Every document (the frame included) records the CSP violations it reports.
  await b.context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => w.__csp.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
});

const frameOf = (page: Page): Frame => page.frames().find((f) => f.url().startsWith(`${stack.platformUrl}/frame/`))!;

/** Opens Stripe's wizard at its second page, where the JSON field is. */
async function stripePayments(customer: string, before?: (page: Page) => Promise<void>, editor = true): Promise<{ page: Page; frame: FrameLocator; csp: () => string | undefined }> {
  // Each test starts from "Activate", whatever an earlier test (or a retry) deployed.
  await deleteAllInstances(stack);
  const page = await browser.context.newPage();
  await before?.(page);
  let csp: string | undefined;
  page.on("response", (r) => {
    if (r.request().resourceType() === "document" && r.url().startsWith(`${stack.platformUrl}/frame/`)) csp = r.headers()["content-security-policy"];
  });
  await page.goto(`${stack.hostUrl}/?customer=${customer}`);
  const frame = page.frameLocator("#marketplace iframe");
  await frame.getByRole("searchbox").fill("Stripe");
  await frame.getByRole("button", { name: /Stripe/ }).first().click();
  await frame.getByRole("button", { name: "Activate" }).click();
  await frame.getByText("Step 1 of 2").waitFor();
  await frame.locator("input[type=password]").fill("rk_test_editor");
  await frame.getByRole("button", { name: "Next" }).click();
  await frame.getByText("Step 2 of 2").waitFor();
  // The field is a textarea until the editor's chunk has loaded.
  if (editor) await frame.locator(".cm-content#em-field-metadata").waitFor();
  return { page, frame, csp: () => csp };
}

describe("code editor", () => {
  it("renders styled under the frame's real CSP (style-src 'self', no nonce): its styles are an adopted stylesheet, no violation", async () => {
    const { page, frame, csp } = await stripePayments("acme-corp");
    const content = frame.locator("#em-field-metadata");
    await content.waitFor();
    expect(await content.getAttribute("class")).toContain("cm-content");
    expect(csp()).toMatch(/(^|; )style-src 'self'(;|$)/);
    expect(csp()).not.toMatch(/unsafe-inline|nonce-/);

    const f = frameOf(page);
    const styled = await f.evaluate(() => {
      const editor = document.querySelector(".cm-editor")!;
      const css = (sel: string) => getComputedStyle(document.querySelector(sel)!);
      return {
        // CodeMirror's own base theme…
        editorPosition: css(".cm-editor").position,
        scrollerDisplay: css(".cm-scroller").display,
        guttersDisplay: css(".cm-gutters").display,
        lineNumbers: document.querySelectorAll(".cm-lineNumbers .cm-gutterElement").length > 1,
        // …and the frame's theme tokens through it: the editor's background is an input's.
        background: getComputedStyle(editor).backgroundColor === css("#em-field-threshold").backgroundColor,
        font: css(".cm-scroller").fontFamily === getComputedStyle(document.documentElement).getPropertyValue("--em-font-family-mono").trim(),
        highlighted: [...document.querySelectorAll(".cm-line span")].some((s) => getComputedStyle(s).color !== getComputedStyle(editor).color),
        styleElements: document.querySelectorAll("style").length,
        adopted: document.adoptedStyleSheets.length,
        violations: (window as unknown as { __csp: string[] }).__csp,
      };
    });
    expect(styled).toEqual({
      editorPosition: "relative",
      scrollerDisplay: "flex",
      guttersDisplay: "flex",
      lineNumbers: true,
      background: true,
      font: true,
      highlighted: true,
      styleElements: 0,
      adopted: 1,
      violations: [],
    });
    // The policy is in force: a <style> element the frame's code did not ship is refused.
    const refused = await f.evaluate(async () => {
      const style = document.createElement("style");
      style.textContent = ".cm-editor { position: absolute !important; }";
      document.head.append(style);
      await new Promise((r) => setTimeout(r, 50));
      return { position: getComputedStyle(document.querySelector(".cm-editor")!).position, violations: (window as unknown as { __csp: string[] }).__csp };
    });
    expect(refused).toEqual({ position: "relative", violations: ["style-src-elem inline"] });
    await page.close();
  });

  it("typing JSON: a mistake is marked where the shared validation finds it, with the field's message; fixing it clears both", async () => {
    const { page, frame } = await stripePayments("globex");
    const content = frame.locator("#em-field-metadata");
    await content.click();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type('{"tier": "gold",}');
    expect(await content.textContent()).toBe('{"tier": "gold",}');
    // Typing over the selected lines left the browser no style attribute to write (the CSP would refuse it).
    expect(await frameOf(page).evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
    await frame.getByRole("button", { name: "Save and deploy" }).click();
    const error = frame.locator("#em-field-metadata-error");
    await expect.poll(() => error.textContent()).toBe("This is not valid JSON: unexpected character at line 1, column 17.");
    expect(await content.getAttribute("aria-invalid")).toBe("true");
    expect(await content.getAttribute("aria-describedby")).toContain("em-field-metadata-error");
    // The marker sits on the "}" the validation points at, and the gutter shows it on that line.
    await expect.poll(() => frame.locator(".cm-lintRange-error").textContent()).toBe("}");
    expect(await frame.locator(".cm-gutter-lint .cm-lint-marker-error").count()).toBe(1);
    // Fixed as typed (errors follow the text after the first attempt).
    await page.keyboard.press("End");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("Backspace");
    await expect.poll(() => error.count()).toBe(0);
    await expect.poll(() => frame.locator(".cm-lintRange-error").count()).toBe(0);
    expect(await content.getAttribute("aria-invalid")).toBe("false");
    await frame.getByRole("button", { name: "Save and deploy" }).click();
    await frame.getByRole("button", { name: "Pause" }).waitFor();
    await page.close();
  });

  it("the editor takes the textarea's place without moving anything below it", async () => {
    // The editor's chunk is held until the textarea has been typed in and measured.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { page, frame } = await stripePayments("acme-corp", async (p) => void (await p.route("**/frame/assets/code-editor-*.js", async (route) => (await held, route.continue()))), false);
    const next = frame.locator("#em-field-liveMode");
    // Ten lines: taller than the field's least height, shorter than its greatest.
    await frame.locator("textarea#em-field-metadata").fill(`{\n${Array.from({ length: 8 }, (_, i) => `  "key${i}": ${i},`).join("\n").slice(0, -1)}\n}`);
    const before = (await next.boundingBox())!.y;
    release();
    await frame.locator(".cm-content#em-field-metadata").waitFor();
    // Within half a pixel (the editor's line boxes round differently from the textarea's lines).
    expect((await next.boundingBox())!.y).toBeCloseTo(before, 0);
    await page.close();
  });

  it("Tab leaves the editor (no tab is typed), Shift+Tab comes back", async () => {
    const { page, frame } = await stripePayments("acme-corp");
    const content = frame.locator("#em-field-metadata");
    await content.click();
    const before = await content.textContent();
    const focused = () => frameOf(page).evaluate(() => document.activeElement?.id || document.activeElement?.getAttribute("role") || document.activeElement?.tagName);
    expect(await focused()).toBe("em-field-metadata");
    await page.keyboard.press("Tab");
    // The next field: the "Live mode" switch.
    expect(await focused()).toBe("em-field-liveMode");
    expect(await content.textContent()).toBe(before);
    await page.keyboard.press("Shift+Tab");
    expect(await focused()).toBe("em-field-metadata");
    await page.close();
  });

  it("its chunk fails to load: the field is a labelled textarea that keeps the text, and the wizard deploys", async () => {
    const { page, frame } = await stripePayments("globex", async (p) => void (await p.route("**/frame/assets/code-editor-*.js", (route) => route.abort("failed"))), false);
    const area = frame.getByLabel("Metadata (JSON)");
    await frame.locator("textarea[data-fallback]").waitFor();
    expect(await area.evaluate((e) => e.tagName)).toBe("TEXTAREA");
    expect(await frame.locator(".cm-editor").count()).toBe(0);
    await area.fill('{"tier": }');
    await frame.getByRole("button", { name: "Save and deploy" }).click();
    await expect.poll(() => frame.locator("#em-field-metadata-error").textContent()).toBe("This is not valid JSON: unexpected character at line 1, column 10.");
    await area.fill('{"tier": "silver"}');
    await frame.getByRole("button", { name: "Save and deploy" }).click();
    await frame.getByRole("button", { name: "Pause" }).waitFor();
    await page.close();
  });
});
