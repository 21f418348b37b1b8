/**
 * A closed-loop HTTP load generator on a keep-alive agent: `concurrency` workers each send one
 * request, wait for the whole answer, record its latency, and send the next, until `count`
 * requests are done or `maxMs` has passed. Written with node:http on purpose (no dependency),
 * and run in a different process from the server it measures so the two do not share an
 * event loop.
 */
import { Agent, request } from "node:http";
import { percentile } from "./stats.ts";

export interface LoadOptions {
  url: string;
  body: string;
  count: number;
  maxMs: number;
  concurrency: number;
  /** Requests sent first and not recorded (JIT, connection setup). */
  warmup: number;
  /** Called between the warm-up and the measured phase (e.g. to start a profiler). */
  afterWarmup?: () => Promise<void> | void;
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** Status codes seen, e.g. { 200: 5000 }. */
  statuses: Record<number, number>;
  elapsedMs: number;
  perSecond: number;
  p50: number;
  p99: number;
}

function once(agent: Agent, url: URL, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", agent, headers: { "Content-Type": "application/json", "Content-Length": body.length } },
      (res) => {
        res.on("data", () => {});
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** `count` requests, `concurrency` at a time, on `agent` (its connections kept for the next call). */
export async function phase(agent: Agent, url: URL, body: Buffer, count: number, maxMs: number, concurrency: number, record: boolean) {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let errors = 0;
  let started = 0;
  const t0 = performance.now();
  const deadline = t0 + maxMs;
  const worker = async () => {
    while (started < count && performance.now() < deadline) {
      started += 1;
      const s = performance.now();
      try {
        const status = await once(agent, url, body);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status >= 400) errors += 1;
      } catch {
        errors += 1;
      }
      if (record) latencies.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, statuses, errors, elapsedMs: performance.now() - t0 };
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const url = new URL(options.url);
  const body = Buffer.from(options.body);
  try {
    await phase(agent, url, body, options.warmup, options.maxMs, options.concurrency, false);
    await options.afterWarmup?.();
    const { latencies, statuses, errors, elapsedMs } = await phase(agent, url, body, options.count, options.maxMs, options.concurrency, true);
    return {
      requests: latencies.length,
      errors,
      statuses,
      elapsedMs,
      perSecond: (latencies.length / elapsedMs) * 1000,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    };
  } finally {
    agent.destroy();
  }
}
