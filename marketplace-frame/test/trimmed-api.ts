/**
 * The frame's API client bundled the way the frame build bundles it: ky trimmed by
 * build/trim-ky.ts. Unit tests run in Node, where ky is loaded as published; api.test.ts runs
 * its cases against both, so a trim that removed something the client relies on fails there
 * and not only in a browser test.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "vite";
import { trimKy } from "../../build/trim-ky.ts";

export type ApiModules = typeof import("./trimmed-api-entry.ts");

export async function loadTrimmedApi(): Promise<ApiModules> {
  const outDir = mkdtempSync(join(tmpdir(), "emporium-trimmed-api-"));
  await build({
    configFile: false,
    logLevel: "silent",
    plugins: [trimKy()],
    build: {
      outDir,
      minify: false,
      target: "es2022",
      lib: { entry: join(import.meta.dirname, "trimmed-api-entry.ts"), formats: ["es"], fileName: "api" },
    },
  });
  try {
    return (await import(/* @vite-ignore */ pathToFileURL(join(outDir, "api.js")).href)) as ApiModules;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
