/**
 * Setup for the `unit` vitest project. testing-library's waits (`waitFor`, `findBy…`) get the
 * one hang guard instead of their 1 s default (tests/wait-guard.ts): a component test waits for
 * lazily loaded screens, whose first import on a loaded 2-core machine can take seconds. Nothing
 * here changes what a test asserts.
 *
 * Only a file with a DOM (`// @vitest-environment happy-dom`) loads testing-library: without a
 * `window` its queries and waits cannot run at all (they throw "Could not find default
 * container"), and its import costs 0.3–0.7 s per file, which the ~90 files that run in plain
 * Node used to pay for nothing (docs/testing.md#two-workers-for-the-unit-suite).
 */
import { UNIT_WAIT_GUARD_MS } from "./wait-guard.ts";

/** The end of happy-dom's message for an iframe whose page it does not load. */
const HAPPY_DOM_NO_IFRAME_LOAD = "Iframe page loading is disabled.";

if (typeof window !== "undefined") {
  const { configure } = await import("@testing-library/preact");
  configure({ asyncUtilTimeout: UNIT_WAIT_GUARD_MS });
}

/**
 * happy-dom does not load an iframe's page, and says so on Node's own console (not the one
 * vitest captures, so `onConsoleLog` never sees it) with 10 lines of stack, for every frame the
 * SDK's tests create: ~2,800 lines that buried what a failing test prints. Only that one message
 * is dropped; anything else logged there still prints.
 */
if (typeof window !== "undefined") {
  const { default: nodeConsole } = await import("node:console");
  const printError = nodeConsole.error.bind(nodeConsole);
  nodeConsole.error = (...args: unknown[]) => {
    const [first] = args;
    if (args.length === 1 && first instanceof Error && first.name === "NotSupportedError" && first.message.endsWith(HAPPY_DOM_NO_IFRAME_LOAD)) return;
    printError(...args);
  };
}
