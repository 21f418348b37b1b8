/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import preact from "@preact/preset-vite";

/**
 * One config for the frame build (vite build) and for vitest (two projects: `unit` runs in
 * Node/happy-dom with MSW; `browser` drives Debian's Chromium against the real servers).
 */
export default defineConfig({
  root: "marketplace-frame",
  base: "/frame/",
  publicDir: "public",
  plugins: [preact()],
  build: {
    outDir: "../dist/frame",
    emptyOutDir: true,
    target: "es2022",
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
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
          setupFiles: [],
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
        },
      },
    ],
  },
});
