/**
 * One stack (platform + frame + demo host) and one Chromium per test file: started before the
 * file's tests, stopped after them.
 *
 *   const { stack, browser } = useStackAndBrowser();
 *
 * The two are declared at module level but exist only once `beforeAll` has run, so what this
 * returns are stand-ins that forward to them then (reading one earlier throws, saying so). That
 * spares each of the twenty-odd browser test files the same `let` + assignment preamble. A file
 * that needs more set-up (a signed-in customer, an init script) passes `setUp`, run after both
 * have started.
 */
import { afterAll, beforeAll, beforeEach } from "vitest";
import { launchBrowser, recordInput, startStack, type Browser, type Stack } from "./harness.ts";

export function useStackAndBrowser(setUp?: (stack: Stack, browser: Browser) => void | Promise<void>): { stack: Stack; browser: Browser } {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    await recordInput(browser);
    await setUp?.(stack, browser);
  });
  // A failed test prints what the pages saw of its input (harness.ts, `inputLog`): a click that
  // did nothing shows whether it reached the frame, on which element, and what changed.
  beforeEach(({ onTestFailed }) => {
    const from = browser?.inputLog.length ?? 0;
    onTestFailed(() => {
      const lines = browser?.inputLog.slice(from) ?? [];
      const shown = lines.slice(-INPUT_LINES_SHOWN);
      if (shown.length) process.stderr.write(`Input the pages saw in this test (the last ${shown.length} of ${lines.length}):\n  ${shown.join("\n  ")}\n`);
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  return { stack: lateBound("stack", () => stack), browser: lateBound("browser", () => browser) };
}

/** How many of a failed test's input lines are printed: its last steps, where it went wrong. */
const INPUT_LINES_SHOWN = 80;

/** A stand-in for an object that exists only later: property reads go to it (methods bound to it). */
function lateBound<T extends object>(name: string, current: () => T | undefined): T {
  const target = () => current() ?? fail(`the test file's ${name} is read before beforeAll started it`);
  return new Proxy({} as T, {
    get(_, key) {
      const real = target();
      const value: unknown = Reflect.get(real, key, real);
      return typeof value === "function" ? value.bind(real) : value;
    },
    has: (_, key) => key in target(),
  });
}

function fail(message: string): never {
  throw new Error(message);
}
