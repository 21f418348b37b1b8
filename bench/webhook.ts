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
import { median } from "./stats.ts";
import type { Section } from "./report.ts";

/**
 * How many webhook calls are in flight at once, for the platform and the floor alike. A platform
 * that receives webhooks for thousands of customers' instances is called by many senders at once
 * (Stripe alone delivers from a fleet of workers, each event on its own connection), so the
 * figure is taken with 64 keep-alive connections, each sending its next call as soon as the last
 * is answered. (Earlier runs used 16, which on a disk whose fsync takes milliseconds bounds a
 * group commit to ~8 calls: the `WEBHOOK_SENDERS` environment variable runs the bench with
 * another figure.)
 */
export const WEBHOOK_SENDERS = Number(process.env.WEBHOOK_SENDERS ?? 64);
/**
 * The second figure the bench takes, platform and floor alike: 64 closed-loop senders leave the
 * platform's cores idle while a group's fsync is in flight (each sender waits for its answer before
 * it sends again), so they measure its latency as much as its capacity. With 256 the next groups
 * are queued while one syncs: what the server sustains when it is kept busy
 * (`WEBHOOK_SENDERS_HIGH`; 0 skips it).
 */
export const WEBHOOK_SENDERS_HIGH = Number(process.env.WEBHOOK_SENDERS_HIGH ?? 256);
/**
 * Each load run is long enough (20 000 requests, ~2 s at floor speed) that a scheduler hiccup on
 * a shared 2-core machine is a small part of it, after a warm-up long enough for the platform's
 * hot functions to be optimised by V8 (a few hundred calls leave them in the baseline tier).
 */
const LOAD = { count: 20_000, maxMs: 10_000, warmup: 3000 };
/** Floor and product alternate, round after round, so a slow spell of the machine hits both. */
const ROUNDS = 3;
/** The run with the median throughput (its latencies come with it, from the same run). */
function medianRun<T extends LoadResult>(results: T[]): T {
  return [...results].sort((a, b) => a.perSecond - b.perSecond)[Math.floor((results.length - 1) / 2)];
}

const cpu = (results: Measured[]) =>
  `${median(results.map((r) => r.cpuUsPerRequest)).toFixed(0)} µs (event loop ${median(results.map((r) => r.mainUsPerRequest)).toFixed(0)} µs)`;

const runs = (results: LoadResult[]) => results.map((r) => r.perSecond.toFixed(0)).join(", ");

const describe = (r: LoadResult) => `${r.requests} req in ${(r.elapsedMs / 1000).toFixed(1)} s, ${r.errors} errors`;

/** A load run and what the server spent on it: CPU per request, requests per durable write. */
export interface Measured extends LoadResult {
  cpuUsPerRequest: number;
  /** Of which the main thread's (the event loop), from /proc; NaN where there is none. */
  mainUsPerRequest: number;
  requestsPerWrite: number;
}

/**
 * One load run against a fresh server process. `target` is the server script (another
 * checkout's for bench/webhook-ab.ts; this one's by default).
 */
export async function measureWebhook(
  mode: "bare" | "platform" | "platform-memory",
  stateDir: string,
  { profileFile, target = "./webhook-target.ts", senders = WEBHOOK_SENDERS }: { profileFile?: string; target?: string; senders?: number } = {},
): Promise<Measured> {
  let server: ChildServer | undefined;
  try {
    server = await startChildServer(target, [mode, stateDir], [], profileFile ? { EMPORIUM_PROFILE_FILE: profileFile } : {});
    const child = server;
    const url = mode === "bare" ? `${child.url}/api/v1/webhooks/bare` : await deployStripeWebhook(child.url);
    let before: Record<string, number> = {};
    // The counters and the profile cover the measured phase only: start-up, deploy and warm-up stay out.
    const afterWarmup = async () => {
      before = await child.stats();
      if (!profileFile) return;
      process.kill(child.pid, "SIGUSR2");
      await new Promise((done) => setTimeout(done, 50));
    };
    const result = await runLoad({ url, body: STRIPE_EVENT, ...LOAD, concurrency: senders, afterWarmup });
    const after = await child.stats();
    const writes = after.writes - before.writes;
    return {
      ...result,
      cpuUsPerRequest: (after.cpuUs - before.cpuUs) / result.requests,
      mainUsPerRequest: (after.mainCpuUs - before.mainCpuUs) / result.requests,
      requestsPerWrite: writes > 0 ? result.requests / writes : 0 };
  } finally {
    await server?.stop();
  }
}

export async function benchWebhook(options: { profile: boolean }): Promise<Section> {
  const dir = mkdtempSync(join(tmpdir(), "emporium-bench-webhook-"));
  // Kept after the run (outside `dir`) so it can be opened in a viewer.
  const profileFile = options.profile ? join(tmpdir(), `emporium-webhook-${Date.now()}.cpuprofile`) : undefined;
  try {
    // Rounds of floor, product (state file), product (memory): each figure is the median of its
    // runs, so one run disturbed by another process on the machine moves neither side much.
    const bares: Measured[] = [];
    const platforms: Measured[] = [];
    const memories: Measured[] = [];
    const baresHigh: Measured[] = [];
    const platformsHigh: Measured[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      bares.push(await measureWebhook("bare", dir));
      // Profile one product run only (the middle one), after its warm-up.
      // A fresh state file per run, so every product run starts from the same (empty) state.
      platforms.push(await measureWebhook("platform", join(dir, `round-${round}`), { profileFile: round === 1 ? profileFile : undefined }));
      memories.push(await measureWebhook("platform-memory", dir));
      if (WEBHOOK_SENDERS_HIGH > 0) {
        baresHigh.push(await measureWebhook("bare", dir, { senders: WEBHOOK_SENDERS_HIGH }));
        platformsHigh.push(await measureWebhook("platform", join(dir, `round-${round}-high`), { senders: WEBHOOK_SENDERS_HIGH }));
      }
    }
    const bare = medianRun(bares);
    const platform = medianRun(platforms);
    const memory = medianRun(memories);
    const floor = bare;
    const notes = [
      `load: ${LOAD.count} requests (after ${LOAD.warmup} warm-up) or ${LOAD.maxMs / 1000} s, ${WEBHOOK_SENDERS} concurrent (and ${WEBHOOK_SENDERS_HIGH} for the last rows), keep-alive, loopback; ${ROUNDS} alternating rounds, each figure is the run with the median req/s`,
      `all runs, req/s: floor ${runs(bares)}; platform (state file) ${runs(platforms)}; platform without state file ${runs(memories)}; ratio vs the fastest floor run ${(platform.perSecond / Math.max(...bares.map((r) => r.perSecond))).toFixed(2)}×`,
      `platform (state file): ${describe(platform)}, statuses ${JSON.stringify(platform.statuses)}, ${platform.requestsPerWrite.toFixed(1)} requests per durable write (group commit; all runs: ${platforms.map((r) => r.requestsPerWrite.toFixed(1)).join(", ")})`,
      `server CPU per request (user + system, measured phase), medians of the runs: platform (state file) ${cpu(platforms)}, platform without state file ${cpu(memories)}, floor ${cpu(bares)}`,
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
      `on MSW transports (tests, service worker) MSW request dispatch costs ≈ ${((b.mswTrivialUs / b.handlersUs) * 100).toFixed(0)}% of the handler time and the domain ≈ ${((b.domainUs / b.handlersUs) * 100).toFixed(0)}%; ` +
        `the HTTP server answers webhooks without MSW (node:http straight to the shared webhook answer), so over HTTP the platform costs ${us(Math.max(0, httpUs - floorUs))} per request more than the floor, of which the domain is ≈ ${us(b.domainUs)} measured one call at a time`,
    );
    if (profileFile && existsSync(profileFile)) {
      notes.push(`platform CPU profile of the measured phase only (after warm-up): ${profileFile}`);
      notes.push(...summariseProfile(JSON.parse(readFileSync(profileFile, "utf8"))));
    }
    const high: Section["rows"] = [];
    if (WEBHOOK_SENDERS_HIGH > 0) {
      const [bareHigh, platformHigh] = [medianRun(baresHigh), medianRun(platformsHigh)];
      const tag = `${WEBHOOK_SENDERS_HIGH} senders`;
      high.push(
        { metric: `requests/s, ${tag}`, product: platformHigh.perSecond, floor: bareHigh.perSecond, unit: "req/s", better: "higher", targetRatio: 0.5 },
        { metric: `latency p99, ${tag}`, product: platformHigh.p99, floor: bareHigh.p99, unit: "ms", better: "lower" },
      );
      notes.push(
        `${tag}: all runs, req/s: floor ${runs(baresHigh)}; platform (state file) ${runs(platformsHigh)}; ${platformHigh.requestsPerWrite.toFixed(1)} requests per durable write (all runs: ${platformsHigh.map((r) => r.requestsPerWrite.toFixed(1)).join(", ")}); server CPU per request: platform ${cpu(platformsHigh)}, floor ${cpu(baresHigh)}`,
      );
    }
    return {
      title: "1. Webhook throughput (issue 4)",
      product: "POST /api/v1/webhooks/:token of a deployed Stripe instance (sync run of its flow), platform HTTP server with state file",
      floor: "bare node:http handler: read the body, JSON.parse it, answer 200 with a small JSON body",
      rows: [
        { metric: "requests/s", product: platform.perSecond, floor: floor.perSecond, unit: "req/s", better: "higher", targetRatio: 0.5 },
        { metric: "latency p50", product: platform.p50, floor: floor.p50, unit: "ms", better: "lower" },
        { metric: "latency p99", product: platform.p99, floor: floor.p99, unit: "ms", better: "lower" },
        ...high,
      ],
      notes,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
