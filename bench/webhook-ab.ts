/**
 * A/B of the webhook path: `npx tsx bench/webhook-ab.ts <other checkout> [rounds]` runs the bare
 * node:http floor, this checkout's platform and another checkout's (e.g. a `git worktree` of
 * main with node_modules linked), alternating in one run, with the webhook bench's load (64
 * keep-alive senders, state file). Per run it prints req/s, the ratio to the same round's floor,
 * and the server's CPU per request: the event loop's and the other threads' (writer, GC, JIT).
 * How every cut in docs/performance.md was measured.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startChildServer } from "./child-server.ts";
import { deployStripeWebhook, STRIPE_EVENT } from "./deploy-webhook.ts";
import { runLoad } from "./load.ts";
import { median } from "./stats.ts";
import { WEBHOOK_SENDERS } from "./webhook.ts";

const [other, roundsArg] = process.argv.slice(2);
if (!other) throw new Error("usage: npx tsx bench/webhook-ab.ts <other checkout> [rounds]");
const ROUNDS = Number(roundsArg ?? 3);
const LOAD = { count: 20_000, maxMs: 10_000, concurrency: WEBHOOK_SENDERS, warmup: 3000 };
const sides = { floor: resolve(import.meta.dirname), this: resolve(import.meta.dirname), other: resolve(other, "bench") };

interface Run {
  perSecond: number;
  mainUs: number;
  otherUs: number;
  perWrite: number;
}

async function measure(side: keyof typeof sides, stateDir: string): Promise<Run> {
  const server = await startChildServer(join(sides[side], "webhook-target.ts"), [side === "floor" ? "bare" : "platform", stateDir]);
  try {
    const url = side === "floor" ? `${server.url}/api/v1/webhooks/bare` : await deployStripeWebhook(server.url);
    let before: Record<string, number> = {};
    const result = await runLoad({ url, body: STRIPE_EVENT, ...LOAD, afterWarmup: async () => void (before = await server.stats()) });
    const after = await server.stats();
    if (result.errors > 0) throw new Error(`${side}: ${result.errors} errors ${JSON.stringify(result.statuses)}`);
    const per = (key: string) => (after[key] - before[key]) / result.requests;
    const writes = after.writes - before.writes;
    return { perSecond: result.perSecond, mainUs: per("mainCpuUs"), otherUs: per("cpuUs") - per("mainCpuUs"), perWrite: writes > 0 ? result.requests / writes : 0 };
  } finally {
    await server.stop();
  }
}

const dir = mkdtempSync(join(tmpdir(), "emporium-webhook-ab-"));
const runs: Record<keyof typeof sides, Run[]> = { floor: [], this: [], other: [] };
const ratios: Record<"this" | "other", number[]> = { this: [], other: [] };
const line = (side: string, r: Run, floor: Run) =>
  `${side.padEnd(5)} ${r.perSecond.toFixed(0).padStart(6)} req/s ${(r.perSecond / floor.perSecond).toFixed(2)}× · event loop ${r.mainUs.toFixed(0)} µs + other threads ${r.otherUs.toFixed(0)} µs = ${(r.mainUs + r.otherUs).toFixed(0)} µs per request${r.perWrite ? ` · ${r.perWrite.toFixed(1)} per write` : ""}`;
try {
  for (let round = 0; round < ROUNDS; round++) {
    const floor = await measure("floor", dir);
    runs.floor.push(floor);
    console.log(`round ${round + 1} (load ${(await import("node:os")).loadavg()[0].toFixed(1)})`);
    console.log(line("floor", floor, floor));
    // Which platform goes first alternates, so a slow spell does not always hit the same one.
    const order: Array<"this" | "other"> = round % 2 === 0 ? ["this", "other"] : ["other", "this"];
    for (const side of order) {
      const run = await measure(side, join(dir, `${side}-${round}`));
      runs[side].push(run);
      ratios[side].push(run.perSecond / floor.perSecond);
      console.log(line(side, run, floor));
    }
  }
  for (const side of ["this", "other"] as const) {
    const r = runs[side];
    console.log(
      `median ${side}: ${median(r.map((x) => x.perSecond)).toFixed(0)} req/s, ratio ${median(ratios[side]).toFixed(2)}×, event loop ${median(r.map((x) => x.mainUs)).toFixed(0)} µs, other threads ${median(r.map((x) => x.otherUs)).toFixed(0)} µs, ${median(r.map((x) => x.perWrite)).toFixed(1)} per write`,
    );
  }
  console.log(`median floor: ${median(runs.floor.map((x) => x.perSecond)).toFixed(0)} req/s, ${median(runs.floor.map((x) => x.mainUs + x.otherUs)).toFixed(0)} µs per request`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
