/**
 * The client core bundled the way the frame and the headless builds bundle it: ky and zod
 * trimmed by build/trim-ky.ts and build/trim-zod.ts. Unit tests run in Node, where ky is
 * loaded as published; call.test.ts runs its cases against both, so a trim that removed
 * something the client relies on fails there and not only in a browser test.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "vite";
import { trimKy } from "../../build/trim-ky.ts";
import { trimZod } from "../../build/trim-zod.ts";

export type ClientModules = typeof import("./trimmed-entry.ts");

export async function loadTrimmedClient(): Promise<ClientModules> {
  const outDir = mkdtempSync(join(tmpdir(), "emporium-trimmed-client-"));
  await build({
    configFile: false,
    logLevel: "silent",
    plugins: [trimKy(), trimZod()],
    build: {
      outDir,
      minify: false,
      target: "es2022",
      lib: { entry: join(import.meta.dirname, "trimmed-entry.ts"), formats: ["es"], fileName: "client" },
    },
  });
  try {
    return (await import(/* @vite-ignore */ pathToFileURL(join(outDir, "client.js")).href)) as ClientModules;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
