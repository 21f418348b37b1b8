/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import preact from "@preact/preset-vite";
import { trimPenpal } from "./scripts/trim-penpal.ts";
import { trimKy } from "./scripts/trim-ky.ts";
import { trimZod } from "./scripts/trim-zod.ts";
import { inlineCodes } from "./scripts/inline-codes.ts";
import { join } from "node:path";
import { firstRoute } from "./scripts/first-route.ts";

const route = firstRoute(join(import.meta.dirname, "dist/frame-first-route"));

/**
 * One config for the frame build (vite build) and for vitest (two projects: `unit` runs in
 * Node/happy-dom with MSW; `browser` drives Debian's Chromium against the real servers).
 */
export default defineConfig({
  root: "marketplace-frame",
  base: "/frame/",
  publicDir: "public",
  plugins: [preact(), trimPenpal(), trimKy(), trimZod(), inlineCodes(), ...route.plugins],
  build: {
    outDir: "../dist/frame",
    emptyOutDir: true,
    target: "es2022",
    modulePreload: false,
    assetsInlineLimit: 0,
    rolldownOptions: {
      output: {
        codeSplitting: { groups: [{ name: "index", test: route.isFirstRoute }] },
        // V8's explicit compile hint (Chromium 136+; a plain comment elsewhere): nearly every
        // function of the first route runs while the list boots, so compile them all on the
        // streaming thread as the file arrives, instead of one by one on the main thread when
        // first called (a trace: ~16 ms of main-thread compiling gone, ~10 ms off the boot).
        postBanner: (chunk) => (chunk.isEntry ? "//# allFunctionsCalledOnLoad" : ""),
      },
    },
  },
  test: {
    root: ".",
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          root: ".",
          include: ["{contract,sdk,marketplace-frame,mock-server,examples,scripts}/**/*.test.{ts,tsx}"],
          environment: "node",
          setupFiles: ["tests/unit-setup.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "browser",
          root: ".",
          include: ["tests/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          // Real Chromium on a 2-core CI machine: one retry absorbs a scheduling hiccup; vitest
          // still reports every retried test, so a flaky one stays visible and gets fixed.
          retry: 1,
        },
      },
    ],
  },
});
