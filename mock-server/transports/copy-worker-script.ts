/**
 * Copies msw's service-worker script (node_modules/msw/lib/mockServiceWorker.js) into a folder
 * served next to the page that starts the browser platform, e.g. after the frame build:
 *
 *   tsx mock-server/transports/copy-worker-script.ts dist/frame
 *
 * (instead of `msw init --save`, which would edit package.json). The script's version must
 * match the installed msw, so it is copied at build time rather than committed.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";

export const WORKER_SCRIPT_NAME = "mockServiceWorker.js";

export function copyWorkerScript(targetDir: string): string {
  const require = createRequire(import.meta.url);
  const source = join(dirname(require.resolve("msw/package.json")), "lib", WORKER_SCRIPT_NAME);
  const target = join(resolve(targetDir), WORKER_SCRIPT_NAME);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
  return target;
}

if (process.argv[1] && resolve(process.argv[1]).endsWith("copy-worker-script.ts")) {
  const dir = process.argv[2];
  if (!dir) {
    console.error("usage: tsx mock-server/transports/copy-worker-script.ts <target dir>");
    process.exit(2);
  }
  console.log(`copied ${copyWorkerScript(dir)}`);
}
