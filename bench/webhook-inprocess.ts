/**
 * The webhook's cost without HTTP, for A/B runs of the domain and the store on a loaded machine
 * (where req/s swings by 2× between runs but CPU time per call much less):
 * `npx tsx bench/webhook-inprocess.ts [checkout…]` runs, for this checkout and each other one
 * given (e.g. a `git worktree` of main with node_modules linked), alternating, in a fresh process
 * each: the real platform on a state file (SQLite and its writer thread), one deployed Stripe
 * instance, and 25 callers (`CALLERS`; over HTTP 64 senders make batches of ~25) each sending its next call through the HTTP server's own webhook entry
 * (`createPlatformRoutes(…).webhook`: the flow, the execution, retention, the contract check,
 * and the wait for the group commit) as soon as the last is answered. Prints per call the event
 * loop's CPU and the other threads' (the writer, GC and JIT helpers) with the writer's own (the busiest of them),
 * from /proc, the requests per durable write and the load average.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { median } from "./stats.ts";
import { webhookCallers } from "./webhook-callers.ts";
import { busiestOtherThreadUs, mainThreadCpuUs, threadCpuUs } from "./thread-cpu.ts";

const CALLERS = Number(process.env.CALLERS ?? 25);
const WARMUP = 3000;
const CALLS = 20_000;
const ROUNDS = Number(process.env.ROUNDS ?? 3);

interface Run {
  main: number;
  /** The busiest other thread: the SQLite writer. */
  writer: number;
  other: number;
  perWrite: number;
  perSecond: number;
}

async function child(checkout: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "emporium-webhook-inprocess-"));
  const { server, store, run } = await webhookCallers(checkout, join(dir, "platform.db"), CALLERS);
  try {
    await run(WARMUP);
    const cpu0 = process.cpuUsage();
    const main0 = mainThreadCpuUs() ?? Number.NaN;
    const threads0 = threadCpuUs();
    const writes0 = store.durableWrites;
    const t0 = performance.now();
    await run(CALLS);
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const main = ((mainThreadCpuUs() ?? Number.NaN) - main0) / CALLS;
    const writer = busiestOtherThreadUs(threads0, threadCpuUs()) / CALLS;
    const all = (cpu.user + cpu.system) / CALLS;
    console.log(JSON.stringify({ main, writer, other: all - main, perWrite: CALLS / (store.durableWrites - writes0), perSecond: (CALLS / wall) * 1000 }));
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function measure(checkout: string): Promise<Run> {
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--child", checkout], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    proc.stdout.on("data", (chunk: Buffer) => (out += chunk));
    proc.on("exit", (code) => (code === 0 ? done(JSON.parse(out.trim().split("\n").pop()!)) : fail(new Error(`${checkout}: exit ${code}`))));
  });
}

const args = process.argv.slice(2);
if (args[0] === "--child") await child(args[1]);
else {
  const checkouts = [resolve(import.meta.dirname, ".."), ...args];
  const results = new Map<string, Run[]>(checkouts.map((c) => [c, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // The order rotates each round, so a slow spell does not always hit the same checkout.
    for (let i = 0; i < checkouts.length; i++) {
      const checkout = checkouts[(i + round) % checkouts.length];
      const r = await measure(checkout);
      results.get(checkout)!.push(r);
      console.log(`${checkout}: event loop ${r.main.toFixed(1)} µs + other threads ${r.other.toFixed(1)} µs (writer ${r.writer.toFixed(1)}) per call, ${r.perWrite.toFixed(1)} per write, ${r.perSecond.toFixed(0)} calls/s (load ${loadavg()[0].toFixed(1)})`);
    }
  }
  for (const [checkout, rs] of results) {
    console.log(
      `median ${checkout}: event loop ${median(rs.map((r) => r.main)).toFixed(1)} µs (min ${Math.min(...rs.map((r) => r.main)).toFixed(1)}), other threads ${median(rs.map((r) => r.other)).toFixed(1)} µs (min ${Math.min(...rs.map((r) => r.other)).toFixed(1)}), writer ${median(rs.map((r) => r.writer)).toFixed(1)} µs (min ${Math.min(...rs.map((r) => r.writer)).toFixed(1)}), ${median(rs.map((r) => r.perWrite)).toFixed(1)} per write`,
    );
  }
}
