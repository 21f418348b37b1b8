/**
 * Part 1 (issue 4): webhook throughput. The same closed-loop load (fixed count, max duration,
 * bounded concurrency, keep-alive) against the bare node:http floor and against a deployed
 * instance's webhook on the real local HTTP platform server, each in its own process.
 * `--profile` also writes a CPU profile of the platform process during the measured phase (not
 * start-up or warm-up) and prints where its time goes.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startChildServer, type ChildServer } from "./child-server.ts";
import { deployStripeWebhook, STRIPE_EVENT } from "./deploy-webhook.ts";
import { runLoad, type LoadResult } from "./load.ts";
import { summariseProfile } from "./cpu-profile.ts";
import { webhookBreakdown } from "./webhook-breakdown.ts";
import type { Section } from "./report.ts";

const LOAD = { count: 5000, maxMs: 10_000, concurrency: 16, warmup: 400 };

const describe = (r: LoadResult) => `${r.requests} req in ${(r.elapsedMs / 1000).toFixed(1)} s, ${r.errors} errors`;

async function measure(mode: "bare" | "platform" | "platform-memory", stateDir: string, profileFile?: string) {
  let server: ChildServer | undefined;
  try {
    server = await startChildServer("./webhook-target.ts", [mode, stateDir], [], profileFile ? { EMPORIUM_PROFILE_FILE: profileFile } : {});
    const url = mode === "bare" ? `${server.url}/api/v1/webhooks/bare` : await deployStripeWebhook(server.url);
    const pid = server.pid;
    // The profile covers the measured phase only: start-up, deploy and warm-up stay out of it.
    const afterWarmup = profileFile
      ? async () => {
          process.kill(pid, "SIGUSR2");
          await new Promise((done) => setTimeout(done, 50));
        }
      : undefined;
    return await runLoad({ url, body: STRIPE_EVENT, ...LOAD, ...(afterWarmup ? { afterWarmup } : {}) });
  } finally {
    await server?.stop();
  }
}

export async function benchWebhook(options: { profile: boolean }): Promise<Section> {
  const dir = mkdtempSync(join(tmpdir(), "emporium-bench-webhook-"));
  // Kept after the run (outside `dir`) so it can be opened in a viewer.
  const profileFile = options.profile ? join(tmpdir(), `emporium-webhook-${Date.now()}.cpuprofile`) : undefined;
  try {
    // Floor first, product second, then the floor again: a machine that slows down during the
    // run shows up as two different floors rather than as a product regression.
    const bare = await measure("bare", dir);
    const platform = await measure("platform", dir, profileFile);
    const memory = await measure("platform-memory", dir);
    const bare2 = await measure("bare", dir);
    const floor = bare.perSecond >= bare2.perSecond ? bare : bare2;
    const notes = [
      `load: ${LOAD.count} requests (after ${LOAD.warmup} warm-up) or ${LOAD.maxMs / 1000} s, ${LOAD.concurrency} concurrent, keep-alive, loopback; the faster of two floor runs is kept (floor runs: ${bare.perSecond.toFixed(0)} and ${bare2.perSecond.toFixed(0)} req/s)`,
      `platform (state file): ${describe(platform)}, statuses ${JSON.stringify(platform.statuses)}`,
      `platform without state file: ${memory.perSecond.toFixed(0)} req/s, p50 ${memory.p50.toFixed(2)} ms, p99 ${memory.p99.toFixed(2)} ms (${describe(memory)})`,
      `floor: ${describe(floor)}`,
    ];
    const b = await webhookBreakdown();
    const us = (v: number) => `${v.toFixed(0)} µs`;
    const httpUs = 1e6 / platform.perSecond;
    const floorUs = 1e6 / floor.perSecond;
    notes.push(
      `where a request's time goes (one call at a time, in-process): domain alone (run flow + record execution) ${us(b.domainUs)}; ` +
        `MSW getResponse with a trivial handler ${us(b.mswTrivialUs)}; zod response check ${us(b.zodResponseUs)}; ` +
        `the platform's MSW handlers end to end ${us(b.handlersUs)}; over HTTP at load ${us(httpUs)} per request vs the floor's ${us(floorUs)}`,
      `so MSW request dispatch costs ≈ ${((b.mswTrivialUs / b.handlersUs) * 100).toFixed(0)}% of the handler time and the domain ≈ ${((b.domainUs / b.handlersUs) * 100).toFixed(0)}%; ` +
        `the rest of the HTTP cost (${us(Math.max(0, httpUs - b.handlersUs - floorUs))}) is node:http ⇄ fetch Request/Response conversion and GC`,
    );
    if (profileFile && existsSync(profileFile)) {
      notes.push(`platform CPU profile of the measured phase only (after warm-up): ${profileFile}`);
      notes.push(...summariseProfile(JSON.parse(readFileSync(profileFile, "utf8"))));
    }
    return {
      title: "1. Webhook throughput (issue 4)",
      product: "POST /api/v1/webhooks/:token of a deployed Stripe instance (sync run of its flow), platform HTTP server with state file",
      floor: "bare node:http handler: read the body, JSON.parse it, answer 200 with a small JSON body",
      rows: [
        { metric: "requests/s", product: platform.perSecond, floor: floor.perSecond, unit: "req/s", better: "higher", targetRatio: 0.5 },
        { metric: "latency p50", product: platform.p50, floor: floor.p50, unit: "ms", better: "lower" },
        { metric: "latency p99", product: platform.p99, floor: floor.p99, unit: "ms", better: "lower" },
      ],
      notes,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
