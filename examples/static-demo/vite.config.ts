/**
 * The static demo (dist/static-demo): the normal frame plus the mock platform in the browser
 * (issue 4, "a service worker inside the frame, for a static deployment with no server"). An app
 * of its own, on top of the frame and the platform, so the frame's source never reaches into
 * mock-server/. Its entry is examples/static-demo/index.html; msw's worker script is copied next
 * to it after the bundle is written. Build: `npm run build:static-demo`
 * (`vite build -c examples/static-demo/vite.config.ts`). Serve the folder at /frame/ (the base)
 * on any static server.
 */
import { defineConfig } from "vite";
import preact from "@preact/preset-vite";
import type { Plugin } from "vite";
import { join } from "node:path";
import { trimPenpal } from "../../build/trim-penpal.ts";
import { htmlDocumentPlugin } from "../../build/html-document.ts";
import { copyWorkerScript } from "../../mock-server/transports/copy-worker-script.ts";

const outDir = join(import.meta.dirname, "../../dist/static-demo");

/** msw's worker script, whose version must match the bundled msw, beside index.html. */
function workerScript(): Plugin {
  return { name: "emporium-msw-worker-script", apply: "build", writeBundle: () => void copyWorkerScript(outDir) };
}

/**
 * package.json says `"sideEffects": false`, which is true of every module except the frame's
 * entry: this build loads it with a bare `import()` after the platform starts, and without this
 * the bundler keeps none of its start-up code.
 */
function frameEntryRuns(): Plugin {
  const entry = /[\\/]marketplace-frame[\\/]src[\\/](main\.tsx|host-channel\.ts)$/;
  return { name: "emporium-frame-entry-runs", apply: "build", transform: (code, id) => (entry.test(id) ? { code, moduleSideEffects: true } : undefined) };
}

export default defineConfig({
  root: import.meta.dirname,
  base: "/frame/",
  publicDir: "public",
  plugins: [htmlDocumentPlugin(), preact(), trimPenpal(), workerScript(), frameEntryRuns()],
  build: {
    outDir,
    emptyOutDir: true,
    target: "es2022",
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    // The demo's platform (msw and the whole mock domain, ~550 kB, one lazy chunk) is bigger than
    // vite's 500 kB hint by design; the frame's own code is held to the size budgets instead.
    chunkSizeWarningLimit: 1024,
  },
});
