/**
 * A/B of the webhook path: `npx tsx bench/webhook-ab.ts <other checkout> [rounds]` runs the bare
 * node:http floor, this checkout's platform and another checkout's (e.g. a `git worktree` of
 * main with node_modules linked), alternating in one run, with the webhook bench's load (64
 * keep-alive senders, state file). Per run it prints req/s, the ratio to the same round's floor,
 * and the server's CPU per request: the event loop's and the other threads' (writer, GC, JIT).
 * How every cut in docs/performance.md was measured.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { median } from "./stats.ts";
import { measureWebhook } from "./webhook.ts";

const [other, roundsArg] = process.argv.slice(2);
if (!other) throw new Error("usage: npx tsx bench/webhook-ab.ts <other checkout> [rounds]");
const ROUNDS = Number(roundsArg ?? 3);
const sides = { floor: resolve(import.meta.dirname), this: resolve(import.meta.dirname), other: resolve(other, "bench") };

interface Run {
  perSecond: number;
  mainUs: number;
  otherUs: number;
  perWrite: number;
}

/** One run of the webhook bench's own (bench/webhook.ts: its load, its counters), on the side's server. */
async function measure(side: keyof typeof sides, stateDir: string): Promise<Run> {
  const run = await measureWebhook(side === "floor" ? "bare" : "platform", stateDir, { target: join(sides[side], "webhook-target.ts") });
  if (run.errors > 0) throw new Error(`${side}: ${run.errors} errors ${JSON.stringify(run.statuses)}`);
  return { perSecond: run.perSecond, mainUs: run.mainUsPerRequest, otherUs: run.cpuUsPerRequest - run.mainUsPerRequest, perWrite: run.requestsPerWrite };
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
    console.log(`round ${round + 1} (load ${loadavg()[0].toFixed(1)})`);
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
