/**
 * Builds the Vue host example (`vite build -c examples/vue-host/vite.config.ts`) to
 * dist/examples/vue-host, served by the demo backend at /vue-host/ under the host CSP.
 *
 * "emporium/element" resolves to the BUILT entry (dist/sdk/element.js, which imports
 * ./emporium.js beside it), so `npm run build:sdk` must run first. @vitejs/plugin-vue 6.0.11
 * (vite 8, Node ^20.19) compiles the single-file component at build time, so the page ships
 * Vue's runtime only (no template compiler, no eval: fine under `script-src 'self'`).
 * `isCustomElement` tells Vue that <emporium-marketplace> is not a Vue component.
 */
import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";
import { fileURLToPath } from "node:url";
import { htmlDocumentPlugin } from "../../build/html-document.ts";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here("."),
  base: "/vue-host/",
  publicDir: false,
  plugins: [htmlDocumentPlugin(), vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith("emporium-") } } })],
  resolve: { alias: { "emporium/element": here("../../dist/sdk/element.js") } },
  define: { __VUE_OPTIONS_API__: "false", __VUE_PROD_DEVTOOLS__: "false", __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: "false" },
  build: {
    outDir: here("../../dist/examples/vue-host"),
    emptyOutDir: true,
    target: "es2022",
    modulePreload: { polyfill: false },
  },
});
