import { vi } from "vitest";
import { UNIT_WAIT_GUARD_MS } from "./wait-guard.ts";

/**
 * `vi.waitFor` with the hang guard, for tests without a DOM (testing-library's `waitFor` and
 * `findBy…` already have it). `vi.waitFor`'s own default is a 1 s deadline that cannot be
 * configured: do not call it directly (tests/repo/deterministic-tests.test.ts).
 */
export function waitUntil<T>(check: () => T | Promise<T>): Promise<T> {
  return vi.waitFor(check, { timeout: UNIT_WAIT_GUARD_MS, interval: 10 });
}
