/**
 * One stack (platform + frame + demo host) and one Chromium per test file: started before the
 * file's tests, stopped after them, handed to the file through `use`.
 */
import { afterAll, beforeAll } from "vitest";
import { launchBrowser, startStack, type Browser, type Stack } from "./harness.ts";

export function useStackAndBrowser(use: (stack: Stack, browser: Browser) => void | Promise<void>): void {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    await use(stack, browser);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
}
