/**
 * `npx tsx bench/headless-import-ab.ts <baseline dist/sdk dir> [rounds]`: what importing
 * `emporium/headless` costs, for two builds interleaved: the time `await import()` of
 * `headless.js` takes (fetch, parse, evaluation; nothing is called; the module loader is started
 * first by an empty module's import), in Node (a fresh process per import) and in Chromium (a fresh page per import, the file served by a local server with
 * `no-store`). Each round imports both builds, in alternating order; it prints each build's
 * median and IQR, the paired ratio current / baseline, and the load average before and after.
 *
 * The current build is `dist/sdk`; the baseline is another build's, e.g. from
 * `git archive main | tar -x -C /tmp/base && ln -s "$PWD/node_modules" /tmp/base/ && (cd /tmp/base && npm run build:sdk)`.
 * Run it under `flock /work/bench.lock` on a shared machine.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { launchBrowser } from "../tests/harness.ts";
import { median, percentile, ratioSpread } from "./stats.ts";

const [baselineArg, roundsArg] = process.argv.slice(2);
if (!baselineArg) {
  console.error("usage: npx tsx bench/headless-import-ab.ts <baseline dist/sdk dir> [rounds]");
  process.exit(2);
}
const rounds = Number(roundsArg ?? 20);
const dirs = { baseline: resolve(baselineArg), current: resolve("dist/sdk") };
type Variant = keyof typeof dirs;
const order = (round: number): Variant[] => (round % 2 ? ["baseline", "current"] : ["current", "baseline"]);
const load = () => loadavg().map((l) => l.toFixed(1)).join(" ");

const report = (where: string, times: Record<Variant, number[]>) => {
  const ms = (v: number) => `${v.toFixed(2)} ms`;
  for (const variant of ["baseline", "current"] as const) {
    const t = times[variant];
    console.log(`${where} ${variant.padEnd(8)} median ${ms(median(t))} (IQR ${ms(percentile(t, 25))}–${ms(percentile(t, 75))})`);
  }
  console.log(`${where} current / baseline, paired: ${ratioSpread(times.current.map((t, i) => t / times.baseline[i]!))}`);
};

console.log(`load average before: ${load()}`);

// ---- Node: one fresh process per import; the time is taken inside it, around the import only.
const nodeTimes: Record<Variant, number[]> = { baseline: [], current: [] };
const inNode = (file: string) =>
  Number(
    execFileSync(process.execPath, [
      "--input-type=module",
      "-e",
      `await import("data:text/javascript,"); const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`,
    ]).toString(),
  );
for (const variant of ["baseline", "current"] as const) inNode(join(dirs[variant], "headless.js")); // warm the disk cache
for (let round = 0; round < rounds; round++) for (const variant of order(round)) nodeTimes[variant].push(inNode(join(dirs[variant], "headless.js")));
report("node    ", nodeTimes);

// ---- Chromium: one fresh page per import, from a local server (no HTTP cache).
const server = createServer((request, response) => {
  const [, variant, file] = /^\/(baseline|current)\/([\w.-]+\.js)$/.exec(request.url ?? "") ?? [];
  if (!variant || !file) {
    response.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>import</title>");
    return;
  }
  response.writeHead(200, { "content-type": "text/javascript", "cache-control": "no-store" }).end(readFileSync(join(dirs[variant as Variant], file)));
});
await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
const browser = await launchBrowser();
const browserTimes: Record<Variant, number[]> = { baseline: [], current: [] };
const inBrowser = async (variant: Variant) => {
  const page = await browser.context.newPage();
  await page.goto(`${origin}/`);
  const ms = await page.evaluate(async ([empty, url]) => {
    await import(empty); // the module loader's own start, apart
    const t = performance.now();
    await import(url);
    return performance.now() - t;
  }, ["data:text/javascript,", `${origin}/${variant}/headless.js`] as const);
  await page.close();
  return ms;
};
for (const variant of ["baseline", "current"] as const) await inBrowser(variant); // warm-up
for (let round = 0; round < rounds; round++) for (const variant of order(round)) browserTimes[variant].push(await inBrowser(variant));
report("chromium", browserTimes);
await browser.close();
server.close();
console.log(`load average after: ${load()}`);
