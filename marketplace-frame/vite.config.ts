/**
 * The frame's build (`npm run build:frame` = `vite build -c marketplace-frame/vite.config.ts`):
 * dist/frame, plus dist/frame-first-route (the entry chunk alone, which the size budget measures).
 * The vitest projects live in the root vite.config.ts; tests run the source as written.
 */
import { defineConfig } from "vite";
import preact from "@preact/preset-vite";
import { join } from "node:path";
import { trimPenpal } from "../build/trim-penpal.ts";
import { trimKy } from "../build/trim-ky.ts";
import { trimZod } from "../build/trim-zod.ts";
import { inlineCodes } from "../build/inline-codes.ts";
import { firstRoute } from "../build/first-route.ts";
import { htmlDocumentPlugin } from "../build/html-document.ts";

const route = firstRoute(join(import.meta.dirname, "../dist/frame-first-route"));

export default defineConfig({
  root: import.meta.dirname,
  base: "/frame/",
  publicDir: "public",
  plugins: [htmlDocumentPlugin(), preact(), trimPenpal(), trimKy(), trimZod({ safeParseOnly: true }), inlineCodes(), ...route.plugins],
  build: {
    outDir: join(import.meta.dirname, "../dist/frame"),
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
});
