/**
 * A/B of node/V8 flags for the platform process: `npx tsx bench/webhook-flags-ab.ts "<flags A>"
 * "<flags B>" [rounds]` (e.g. `"" "--max-semi-space-size=32"`) runs this checkout's platform
 * server (bench/webhook-target.ts, state file) once per side per round, with the webhook bench's
 * load (64 keep-alive senders), the side that goes first alternating by round (a position bias
 * is seen in every A/B tool here). Per run: req/s, the server's CPU per request (all threads and
 * the event loop, from its own counters), its RSS and, from a `--trace-gc-nvp` run of each side made
 * after the timed rounds, scavenges, mark-compacts, GC pause and promoted bytes per 1,000
 * webhooks (tracing costs CPU, so the timed runs have it off). What it measured: docs/performance.md,
 * "V8's young generation for the platform process".
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { deployStripeWebhook, STRIPE_EVENT } from "./deploy-webhook.ts";
import { runLoad } from "./load.ts";
import { median } from "./stats.ts";

const [flagsA = "", flagsB = "", roundsArg] = process.argv.slice(2);
const ROUNDS = Number(roundsArg ?? 4);
const LOAD = { count: 20_000, maxMs: 10_000, concurrency: Number(process.env.WEBHOOK_SENDERS ?? 64), warmup: 3000 };
const target = fileURLToPath(new URL("./webhook-target.ts", import.meta.url));
const split = (flags: string) => flags.split(" ").filter(Boolean);

interface Gc {
  scavenges: number;
  markCompacts: number;
  pauseMs: number;
  promoted: number;
}
interface Run {
  perSecond: number;
  cpuUs: number;
  mainUs: number;
  /** The server's resident memory at the end of the measured phase. */
  rssMiB: number;
  gc?: Gc;
}

async function measure(flags: string, dir: string, trace: boolean): Promise<Run> {
  const child = spawn(process.execPath, [...split(flags), ...(trace ? ["--trace-gc-nvp"] : []), "--import", "tsx", target, "platform", dir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  let counting = false;
  const gc: Gc = { scavenges: 0, markCompacts: 0, pauseMs: 0, promoted: 0 };
  let onStats: ((s: Record<string, number>) => void) | undefined;
  const ready = new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
    lines.on("line", (line) => {
      if (line.startsWith("{")) {
        const msg = JSON.parse(line) as { ready?: boolean; url?: string; stats?: Record<string, number> };
        if (msg.ready && msg.url) resolve(msg.url);
        if (msg.stats) onStats?.(msg.stats);
        return;
      }
      // The writer thread's isolate traces too; its heap (a few MB, scavenged in < 0.3 ms) is not
      // what is measured here. Its isolate sits in a thread's malloc arena (0x7f…), the main one's not.
      if (!counting || !line.includes("gc=") || /^\[\d+:0x7f/.test(line)) return;
      const kind = / gc=(\w+)/.exec(line)?.[1];
      if (kind === "s") gc.scavenges++;
      else if (kind === "ms" || kind === "mc") gc.markCompacts++;
      gc.pauseMs += Number(/pause=([\d.]+)/.exec(line)?.[1] ?? 0);
      gc.promoted += Number(/promoted=(\d+)/.exec(line)?.[1] ?? 0);
    });
  });
  const stats = () =>
    new Promise<Record<string, number>>((resolve) => {
      onStats = resolve;
      child.kill("SIGUSR1");
    });
  try {
    const url = await deployStripeWebhook(await ready);
    let before: Record<string, number> = {};
    const result = await runLoad({
      url,
      body: STRIPE_EVENT,
      ...LOAD,
      afterWarmup: async () => {
        before = await stats();
        counting = true;
      },
    });
    counting = false;
    const after = await stats();
    const rssMiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;
    if (result.errors > 0) throw new Error(`${result.errors} errors ${JSON.stringify(result.statuses)}`);
    const per = (v: number) => (v * 1000) / result.requests;
    return {
      perSecond: result.perSecond,
      cpuUs: (after.cpuUs - before.cpuUs) / result.requests,
      mainUs: (after.mainCpuUs - before.mainCpuUs) / result.requests,
      rssMiB,
      ...(trace ? { gc: { scavenges: per(gc.scavenges), markCompacts: per(gc.markCompacts), pauseMs: per(gc.pauseMs), promoted: per(gc.promoted) } } : {}),
    };
  } finally {
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  }
}

const dir = mkdtempSync(join(tmpdir(), "emporium-webhook-flags-"));
const sides = { A: flagsA, B: flagsB } as const;
const runs: Record<"A" | "B", Run[]> = { A: [], B: [] };
const show = (side: string, r: Run) =>
  `${side} ${r.perSecond.toFixed(0).padStart(6)} req/s · all threads ${r.cpuUs.toFixed(0)} µs · event loop ${r.mainUs.toFixed(0)} µs per request · RSS ${r.rssMiB.toFixed(0)} MiB` +
  (r.gc
    ? ` · per 1,000 webhooks: ${r.gc.scavenges.toFixed(1)} scavenges, ${r.gc.markCompacts.toFixed(2)} mark-compacts, ${r.gc.pauseMs.toFixed(1)} ms paused, ${(r.gc.promoted / 1024).toFixed(0)} KiB promoted`
    : "");
try {
  console.log(`A: "${flagsA}"  B: "${flagsB}"`);
  for (let round = 0; round < ROUNDS; round++) {
    console.log(`round ${round + 1} (load ${loadavg()[0].toFixed(1)})`);
    for (const side of round % 2 === 0 ? (["A", "B"] as const) : (["B", "A"] as const)) {
      const run = await measure(sides[side], join(dir, `${side}-${round}`), false);
      runs[side].push(run);
      console.log(show(side, run));
    }
  }
  const ratios = runs.A.map((a, i) => ({ rps: runs.B[i].perSecond / a.perSecond, cpu: runs.B[i].cpuUs / a.cpuUs, main: runs.B[i].mainUs / a.mainUs }));
  for (const side of ["A", "B"] as const) {
    const r = runs[side];
    console.log(`median ${side}: ${median(r.map((x) => x.perSecond)).toFixed(0)} req/s, all threads ${median(r.map((x) => x.cpuUs)).toFixed(0)} µs, event loop ${median(r.map((x) => x.mainUs)).toFixed(0)} µs`);
  }
  console.log(`B/A per round: req/s ${ratios.map((x) => x.rps.toFixed(3)).join(" ")}; all threads ${ratios.map((x) => x.cpu.toFixed(3)).join(" ")}; event loop ${ratios.map((x) => x.main.toFixed(3)).join(" ")}`);
  console.log(`gc traced (load ${loadavg()[0].toFixed(1)}):`);
  for (const side of ["A", "B"] as const) console.log(show(side, await measure(sides[side], join(dir, `${side}-trace`), true)));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
