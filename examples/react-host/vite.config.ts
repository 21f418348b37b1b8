/**
 * Builds the React host example (`vite build -c examples/react-host/vite.config.ts`) to
 * dist/examples/react-host, served by the demo backend at /react-host/.
 *
 * "emporium/react" resolves to the BUILT entry (dist/sdk/react.js, which imports the built core
 * ./emporium.js: what npm consumers get), so `npm run build:sdk` must run first. JSX goes through vite 8's own transform (oxc): no
 * React plugin needed, since the example has no fast refresh to offer in a static build.
 */
import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";
import { htmlDocumentPlugin } from "../../build/html-document.ts";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// `--mode development` builds React's development bundle, where StrictMode really mounts,
// unmounts and remounts (a quick way to check `<Marketplace>` leaves exactly one embed).
export default defineConfig(({ mode }) => ({
  root: here("."),
  base: "/react-host/",
  publicDir: false,
  plugins: [htmlDocumentPlugin()],
  resolve: { alias: [{ find: /^emporium\/react$/, replacement: here("../../dist/sdk/react.js") }] },
  oxc: { jsx: { runtime: "automatic", importSource: "react" } },
  define: { "process.env.NODE_ENV": JSON.stringify(mode === "development" ? "development" : "production") },
  build: {
    outDir: here("../../dist/examples/react-host"),
    emptyOutDir: true,
    target: "es2022",
    modulePreload: { polyfill: false },
  },
}));
