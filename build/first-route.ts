/**
 * The frame's first route — the JS needed to show the marketplace list — kept as one file and
 * written to its own folder, so the size-limit budget in package.json measures exactly that.
 *
 * - Every module the entry reaches through static imports stays in the entry chunk (a
 *   code-splitting group; `isFirstRoute` is its test). Left alone, the bundler may move modules
 *   the entry shares with a lazy screen into a common chunk: one more request, which the browser
 *   only discovers after parsing the entry, and two files compress worse than one. The build
 *   fails if the entry ever imports another chunk.
 * - Vite wraps every dynamic import in a preload helper that injects `<link rel=modulepreload>`
 *   and CSS links for the imported chunk's dependencies. The frame has one stylesheet (loaded by
 *   the document) and its lazy screens import only the entry, so the helper has nothing to do;
 *   a plain call keeps ~0.6 kB brotli out of the first route. The build fails if a lazy chunk
 *   ever carries CSS, which the plain call would not load.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Plugin } from "vite";

export function firstRoute(outDir: string): { plugins: Plugin[]; isFirstRoute: (id: string) => boolean } {
  const modules = new Set<string>();
  const collect: Plugin = {
    name: "emporium-collect-first-route",
    apply: "build",
    buildEnd() {
      modules.clear();
      const visit = (id: string) => {
        if (modules.has(id)) return;
        modules.add(id);
        for (const dep of this.getModuleInfo(id)?.importedIds ?? []) visit(dep);
      };
      for (const id of this.getModuleIds()) if (this.getModuleInfo(id)?.isEntry) visit(id);
    },
  };
  const plainDynamicImports: Plugin = {
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
  const write: Plugin = {
    name: "emporium-first-route",
    apply: "build",
    writeBundle(_options, bundle) {
      const entry = Object.values(bundle).find((c) => c.type === "chunk" && c.isEntry);
      if (!entry || entry.type !== "chunk") throw new Error("no entry chunk in the frame build");
      if (entry.imports.length) throw new Error(`the frame entry imports ${entry.imports.join(", ")}: the first route must be one chunk`);
      rmSync(outDir, { recursive: true, force: true });
      mkdirSync(outDir, { recursive: true });
      writeFileSync(join(outDir, entry.fileName.replace(/[\\/]/g, "_")), entry.code);
    },
  };
  return { plugins: [collect, plainDynamicImports, write], isFirstRoute: (id) => modules.has(id) };
}
