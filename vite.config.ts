/// <reference types="vitest/config" />
/**
 * What the whole repository shares: the vitest projects. Each app builds with its own config
 * (marketplace-frame/vite.config.ts, examples/static-demo/vite.config.ts,
 * examples/react-host/vite.config.ts; the SDK in build/build-sdk.ts).
 *
 * - `unit` runs in Node (happy-dom where a file asks for it) with MSW, beside the code it tests,
 *   plus tests/repo/ (rules about the whole repository: its import graph, its Node versions);
 * - `browser` drives Debian's Chromium against the real servers and the built files.
 */
import { availableParallelism } from "node:os";
import { defineConfig } from "vite";
import { configDefaults } from "vitest/config";
import preact from "@preact/preset-vite";
import { BROWSER_WAIT_GUARD_MS, UNIT_WAIT_GUARD_MS } from "./tests/wait-guard.ts";

export default defineConfig({
  // The frame's components are Preact JSX. No react → preact/compat aliases: nothing of ours
  // imports React but the React entry (sdk/react.ts), whose tests need the real React.
  plugins: [preact({ reactAliasesEnabled: false })],
  test: {
    root: ".",
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          root: ".",
          // Beside the code they test, plus tests/repo/: rules about the repository as a whole.
          include: ["{contract,client,sdk,marketplace-frame,mock-server,examples,build,scripts}/**/*.test.{ts,tsx}", "tests/repo/**/*.test.ts"],
          environment: "node",
          setupFiles: ["tests/unit-setup.ts"],
          // vitest's default (one file per core but one), yet at least two files at a time: the
          // default is ONE worker on the 2-core CI machine, where each file's fork start and
          // imports then ran end to end (docs/testing.md#two-workers-for-the-unit-suite).
          maxWorkers: Math.max(2, availableParallelism() - 1),
          // A hang guard, not a speed check: the fast-check suites (hundreds of runs each) take
          // 4–5 s on 2 busy cores, where vitest's 5 s default failed them (seen in .ci/run).
          testTimeout: 30_000,
          // expect.poll's own default deadline is 1 s: a speed check in disguise (docs/testing.md).
          expect: { poll: { timeout: UNIT_WAIT_GUARD_MS } },
        },
      },
      {
        extends: true,
        test: {
          name: "browser",
          root: ".",
          include: ["tests/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "tests/repo/**"],
          environment: "node",
          // Three guards: a poll whose callback itself waits (a missing field's inputValue) takes
          // two before it fails naming what it awaited; at 60 s that ended as an unnamed timeout.
          testTimeout: 3 * BROWSER_WAIT_GUARD_MS,
          hookTimeout: 120_000,
          // Every wait has one deadline, a hang guard (Playwright's own default is the same 30 s);
          // expect.poll's 1 s default made "the frame is ready within 1 s" an assertion that the
          // machine's load decided (the keyboard-only test's flake; docs/testing.md).
          expect: { poll: { timeout: BROWSER_WAIT_GUARD_MS } },
          fileParallelism: false,
          // No retry: a test that passes only on its second try hides a bug (the last one was a
          // click lost to a layout shift, tests/walking-skeleton.test.ts). Fix the cause
          // (docs/testing.md).
          retry: 0,
        },
      },
    ],
  },
});
