/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import preact from "@preact/preset-vite";
import { trimPenpal } from "./scripts/trim-penpal.ts";
import { trimKy } from "./scripts/trim-ky.ts";
import { trimZod } from "./scripts/trim-zod.ts";
import { inlineCodes } from "./scripts/inline-codes.ts";
import type { Plugin } from "vite";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Writes the frame's first route — the entry chunk and every chunk it imports statically,
 * i.e. the JS needed to show the marketplace list — to dist/frame-first-route/, so the
 * size-limit budget in package.json measures exactly that and not the lazy wizard/instance
 * chunks.
 */
function firstRoute(): Plugin {
  return {
    name: "emporium-first-route",
    apply: "build",
    writeBundle(_options, bundle) {
      const out = join(import.meta.dirname, "dist/frame-first-route");
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out, { recursive: true });
      const entry = Object.values(bundle).find((c) => c.type === "chunk" && c.isEntry);
      if (!entry || entry.type !== "chunk") throw new Error("no entry chunk in the frame build");
      // One file: a chunk the entry imports is a request the browser only discovers after parsing
      // the entry (modulePreload is off), and two files compress worse than one.
      if (entry.imports.length) throw new Error(`the frame entry imports ${entry.imports.join(", ")}: the first route must be one chunk`);
      const seen = new Set<string>();
      const visit = (fileName: string) => {
        if (seen.has(fileName)) return;
        seen.add(fileName);
        const chunk = bundle[fileName];
        if (chunk?.type === "chunk") chunk.imports.forEach(visit);
      };
      visit(entry.fileName);
      for (const fileName of seen) {
        const chunk = bundle[fileName];
        if (chunk?.type === "chunk") writeFileSync(join(out, fileName.replace(/[\\/]/g, "_")), chunk.code);
      }
    },
  };
}

/**
 * One config for the frame build (vite build) and for vitest (two projects: `unit` runs in
 * Node/happy-dom with MSW; `browser` drives Debian's Chromium against the real servers).
 */
/**
 * Vite wraps every dynamic import in a preload helper that injects `<link rel=modulepreload>`
 * and CSS links for the imported chunk's dependencies. The frame has one stylesheet (loaded by
 * the document) and its lazy screens import only the entry chunk, so the helper has nothing to
 * preload; replacing it with a plain call keeps ~0.8 kB brotli out of the first route.
 */
function plainDynamicImports(): Plugin {
  return {
    name: "emporium-plain-dynamic-imports",
    apply: "build",
    enforce: "pre",
    load(id) {
      if (id === "\0vite/preload-helper.js") return "export const __vitePreload = (load) => load();";
    },
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        const css = chunk.type === "chunk" && !chunk.isEntry ? chunk.viteMetadata?.importedCss : undefined;
        if (css?.size) throw new Error(`${chunk.fileName} imports CSS, which plain dynamic imports would not load: import it from the entry`);
      }
    },
  };
}

/**
 * The modules the entry reaches through static imports: the first route. They are kept in the
 * entry chunk (see `codeSplitting` below); left alone, the bundler may move modules the entry
 * shares with a lazy screen into a common chunk, one more request the browser only discovers
 * after parsing the entry. The build fails if the entry ever imports another chunk.
 */
const firstRouteModules = new Set<string>();
function collectFirstRoute(): Plugin {
  return {
    name: "emporium-collect-first-route",
    apply: "build",
    buildEnd() {
      firstRouteModules.clear();
      const visit = (id: string) => {
        if (firstRouteModules.has(id)) return;
        firstRouteModules.add(id);
        for (const dep of this.getModuleInfo(id)?.importedIds ?? []) visit(dep);
      };
      for (const id of this.getModuleIds()) if (this.getModuleInfo(id)?.isEntry) visit(id);
    },
  };
}

export default defineConfig({
  root: "marketplace-frame",
  base: "/frame/",
  publicDir: "public",
  plugins: [preact(), trimPenpal(), trimKy(), trimZod(), inlineCodes(), collectFirstRoute(), firstRoute(), plainDynamicImports()],
  build: {
    outDir: "../dist/frame",
    emptyOutDir: true,
    target: "es2022",
    modulePreload: false,
    assetsInlineLimit: 0,
    rolldownOptions: {
      output: {
        codeSplitting: { groups: [{ name: "index", test: (id: string) => firstRouteModules.has(id) }] },
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
