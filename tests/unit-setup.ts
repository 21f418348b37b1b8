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

if (typeof window !== "undefined") {
  const { configure } = await import("@testing-library/preact");
  configure({ asyncUtilTimeout: UNIT_WAIT_GUARD_MS });
}
