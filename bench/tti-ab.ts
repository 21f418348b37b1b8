/**
 * `npx tsx bench/tti-ab.ts <baseline frame dir> [rounds]`: time to interactive of two builds of the
 * frame against the floor, interleaved in one browser session, for an A/B of a change on the
 * boot path. The ratio between two separate `npm run bench -- tti` runs moves by ±0.2 on a shared
 * machine; rounds that each hold a floor run, a baseline run and a current run, in a rotating
 * order, see the same slow spells.
 *
 * The current build is `dist/frame`; the baseline is another build's `dist/frame` (for example
 * `git worktree add /tmp/base main && cd /tmp/base && npm ci && npm run build`), served by a second
 * platform on 127.0.0.1, so both frames have the same origin kind, headers and embed config. It
 * prints, per variant, the median and IQR of its runs and its paired ratio to the floor of the
 * same round, then current over baseline, with the load average before and after.
 *
 * `--trace` records a Chromium trace of the measured rounds and adds, per variant, the medians of
 * the frame renderer's own CPU clock (boot-trace.ts): the entry's module evaluation, evaluation
 * start → catalog `GET`, catalog answer → next paint. Those move far less with the machine's
 * load than wall time, so they tell a change of a millisecond on the boot path (tracing costs
 * every variant alike).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPlatformServer } from "../mock-server/index.ts";
import { launchBrowser } from "../tests/harness.ts";
import { startBenchPages } from "./bench-pages.ts";
import { bootRuns, type BootRun } from "./boot-trace.ts";
import { median, percentile, ratioSpread } from "./stats.ts";

const traced = process.argv.includes("--trace");
const [baseline, roundsArg] = process.argv.slice(2).filter((a) => a !== "--trace");
const rounds = Number(roundsArg ?? 30);
if (!baseline) {
  console.error("usage: npx tsx bench/tti-ab.ts <baseline dist/frame dir> [rounds] [--trace]");
  process.exit(2);
}
const WARMUP = 2;
/** Idle before each run, as in the bench's TTI part. */
const SETTLE_MS = 250;

type Bench = { __bench: { floor(): Promise<number>; marketplace(from?: string): Promise<number>; close(): void } };
const load = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

const pages = await startBenchPages();
// The baseline's frame over a copy of the current one (so floor.html and the bench scripts are there too).
const baseDir = mkdtempSync(join(tmpdir(), "emporium-tti-ab-"));
cpSync(pages.frameDir, baseDir, { recursive: true });
cpSync(baseline, baseDir, { recursive: true, force: true });
const options = { host: "127.0.0.1", port: 0, allowedOrigins: [pages.hostUrl] };
const current = await startPlatformServer({ ...options, frameDir: pages.frameDir });
const base = await startPlatformServer({ ...options, frameDir: baseDir });
const browser = await launchBrowser();
const loadBefore = load();
const runs = { floor: [] as number[], base: [] as number[], current: [] as number[] };
const traceEvents: Parameters<typeof bootRuns>[0] = [];
try {
  const { page } = browser;
  await page.goto(`${pages.hostUrl}/?platform=${encodeURIComponent(current.url)}`);
  await page.waitForFunction(() => "__bench" in window);
  const once = (which: keyof typeof runs) =>
    page.evaluate(
      async ([w, baseUrl, settle]) => {
        await new Promise((resolve) => setTimeout(resolve, settle));
        const b = (window as unknown as Bench).__bench;
        const t = await (w === "floor" ? b.floor() : w === "base" ? b.marketplace(baseUrl) : b.marketplace());
        b.close();
        return t;
      },
      [which, base.url, SETTLE_MS] as const,
    );
  const order: (keyof typeof runs)[] = ["floor", "base", "current"];
  const cdp = traced ? await browser.context.newCDPSession(page) : undefined;
  cdp?.on("Tracing.dataCollected", (e) => void traceEvents.push(...(e.value as unknown as typeof traceEvents)));
  for (let i = 0; i < WARMUP + rounds; i++) {
    if (i === WARMUP) await cdp?.send("Tracing.start", { categories: "devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,loading,toplevel", transferMode: "ReportEvents" });
    const round: Partial<Record<keyof typeof runs, number>> = {};
    // Each variant takes each place in the order in turn, so none always follows another's teardown.
    for (let k = 0; k < order.length; k++) {
      const which = order[(i + k) % order.length]!;
      round[which] = await once(which);
    }
    if (i < WARMUP) continue;
    for (const w of order) runs[w].push(round[w]!);
  }
  if (cdp) {
    const complete = new Promise<void>((resolve) => cdp.once("Tracing.tracingComplete", () => resolve()));
    await cdp.send("Tracing.end");
    await complete;
  }
} finally {
  await browser.close();
  await current.close();
  await base.close();
  await pages.close();
  rmSync(baseDir, { recursive: true, force: true });
}

const ms = (v: number[]) => `median ${median(v).toFixed(1)} ms, IQR ${percentile(v, 25).toFixed(0)}–${percentile(v, 75).toFixed(0)}`;
const over = (a: number[], b: number[]) => a.map((v, i) => v / b[i]!);
console.log(`TTI A/B, ${rounds} rounds after ${WARMUP} warm-up, load average ${loadBefore} before, ${load()} after`);
console.log(`  floor:    ${ms(runs.floor)}`);
console.log(`  baseline: ${ms(runs.base)}; over the floor of its round: ${ratioSpread(over(runs.base, runs.floor))}; ratio of medians ${(median(runs.base) / median(runs.floor)).toFixed(2)}×`);
console.log(`  current:  ${ms(runs.current)}; over the floor of its round: ${ratioSpread(over(runs.current, runs.floor))}; ratio of medians ${(median(runs.current) / median(runs.floor)).toFixed(2)}×`);
console.log(`  current over baseline, paired: ${ratioSpread(over(runs.current, runs.base))}`);

if (traced) {
  const variantOf = (url: string): keyof typeof runs => (url.includes("/floor.html") ? "floor" : url.startsWith(base.url) ? "base" : "current");
  const boots = bootRuns(traceEvents);
  const row = (label: string, pick: (r: BootRun) => number) =>
    `  ${label.padEnd(34)}` + (["floor", "base", "current"] as const).map((w) => median(boots.filter((r) => variantOf(r.url) === w).map(pick)).toFixed(1).padStart(9)).join("");
  console.log(`Traced, medians in ms (${boots.length} runs found; columns: floor, baseline, current):`);
  console.log(row("document request → evaluation, wall", (r) => r.navToEval));
  console.log(row("compile (or code cache), CPU", (r) => r.compileCpu));
  console.log(row("module evaluation, CPU", (r) => r.evalCpu));
  console.log(row("evaluation start → GET, CPU", (r) => r.evalToGetCpu));
  console.log(row("evaluation start → GET, wall", (r) => r.evalToGetWall));
  console.log(row("document request → GET, wall", (r) => r.navToGet));
  console.log(row("answer → next paint, CPU", (r) => r.answerToPaintCpu));
  console.log(row("answer → next paint, wall", (r) => r.answerToPaintWall));
}
