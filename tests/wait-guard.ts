/**
 * The one deadline of every wait in the tests. A wait's deadline is a hang guard, never a speed
 * check: it only turns "this will never happen" into a failure that says what was awaited, well
 * before the test's own timeout. A test that passes only on a fast or idle machine is a flaky
 * test (docs/testing.md). Set once here and read by vite.config.ts (expect.poll), the unit
 * setup (testing-library) and `waitUntil`; tests pass no deadlines of their own.
 */

/** Unit tests: testTimeout is 30 s. */
export const UNIT_WAIT_GUARD_MS = 20_000;
/** Browser tests: Playwright's default for its own waits; testTimeout is three of these (vite.config.ts). */
export const BROWSER_WAIT_GUARD_MS = 30_000;
