/**
 * A/B of the webhook path over HTTP, paired: `npx tsx bench/webhook-http-paired.ts <checkout A>
 * <checkout B>` starts each checkout's platform server as its own process (bench/webhook-target.ts
 * of that checkout: a state file, the writer thread), deploys a Stripe instance on each, and then
 * sends the webhook bench's load (64 keep-alive senders, the same connections all along) in short
 * alternating slices (`SLICES` × `SLICE` calls per side). Per slice it reads each server's event
 * loop CPU from /proc/<pid>/task/<pid>/schedstat (ns) and all its threads' from every task's
 * schedstat, so a slow spell of the shared machine lands on both sides of a pair. Unlike
 * bench/webhook-interleaved.ts (in-process, no HTTP) it counts node:http's parsing, the body's
 * stream and the answer's write; unlike bench/webhook-ab.ts it pairs slices seconds apart instead
 * of whole runs.
 *
 * Two server processes of the SAME code differ by a few percent for their whole life (where V8
 * inlined, the heap's layout): A/A runs read 0.93–1.05 with one process per side. So the pair is
 * started afresh `ROUNDS` times (which side starts first alternates), and the figure to read is
 * the median of the per-round ratios, with each round's printed to show the spread.
 *
 * `UNKNOWN_TOKEN=1` calls a webhook URL whose token names nothing instead: every call is answered
 * 404 before a flow runs, so what is measured is the HTTP path alone (parsing, the body's stream,
 * the route, the typed error, the answer's write), where a cut there is a larger share of the whole.
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startChildServer, type ChildServer } from "./child-server.ts";
import { deployStripeWebhook, STRIPE_EVENT } from "./deploy-webhook.ts";
import { phase } from "./load.ts";
import { median } from "./stats.ts";

const SENDERS = Number(process.env.WEBHOOK_SENDERS ?? 64);
const SLICE = Number(process.env.SLICE ?? 3000);
const SLICES = Number(process.env.SLICES ?? 8);
const ROUNDS = Number(process.env.ROUNDS ?? 4);
const WARMUP = 4000;
const UNKNOWN_TOKEN = process.env.UNKNOWN_TOKEN === "1";
const expected = UNKNOWN_TOKEN ? 404 : 200;
const checkouts = process.argv.slice(2);
if (checkouts.length !== 2) throw new Error("usage: npx tsx bench/webhook-http-paired.ts <checkout A> <checkout B>");

const schedNs = (pid: number, task: string | number) => Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
/** The server's event loop and all its threads, in ns so far. */
function cpuNs(pid: number): { main: number; all: number } {
  let all = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      all += schedNs(pid, task);
    } catch {
      // a thread that ended between the listing and the read
    }
  }
  return { main: schedNs(pid, pid), all };
}

interface Side {
  server: ChildServer;
  agent: Agent;
  url: URL;
}
/** Per side (A, B): µs per call of each recorded slice, over all rounds, and req/s. */
const results = [0, 1].map(() => ({ main: [] as number[], all: [] as number[], perSecond: [] as number[] }));

const body = Buffer.from(STRIPE_EVENT);
async function slice(side: Side, count: number) {
  const before = cpuNs(side.server.pid);
  const run = await phase(side.agent, side.url, body, count, 60_000, SENDERS, false);
  if (run.statuses[expected] !== count) throw new Error(`expected ${count} answers ${expected}, got ${JSON.stringify(run.statuses)}`);
  const after = cpuNs(side.server.pid);
  return { main: (after.main - before.main) / 1000 / count, all: (after.all - before.all) / 1000 / count, perSecond: (count / run.elapsedMs) * 1000 };
}

async function start(checkout: string, stateDir: string): Promise<Side> {
  const server = await startChildServer(join(resolve(checkout), "bench/webhook-target.ts"), ["platform", stateDir]);
  try {
    const url = new URL(UNKNOWN_TOKEN ? `${server.url}/api/v1/webhooks/whk_unknown` : await deployStripeWebhook(server.url));
    return { server, agent: new Agent({ keepAlive: true, maxSockets: SENDERS }), url };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

const ratio = (a: number[], b: number[]) => a.map((v, i) => v / b[i]);
const dir = mkdtempSync(join(tmpdir(), "emporium-webhook-http-paired-"));
const roundRatios: number[] = [];
const loads: number[] = [loadavg()[0]];
try {
  for (let round = 0; round < ROUNDS; round++) {
    const sides: Side[] = [];
    try {
      // Which side starts (and warms up) first alternates by round.
      for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) sides[i] = await start(checkouts[i], join(dir, `r${round}-side-${i}`));
      for (const side of sides) await slice(side, WARMUP);
      const main: number[][] = [[], []];
      for (let s = 0; s < SLICES; s++) {
        // The order alternates, so neither side always runs right after the other.
        for (let k = 0; k < 2; k++) {
          const i = (k + s) % 2;
          const r = await slice(sides[i], SLICE);
          main[i].push(r.main);
          results[i].main.push(r.main);
          results[i].all.push(r.all);
          results[i].perSecond.push(r.perSecond);
        }
      }
      const r = ratio(main[0], main[1]);
      roundRatios.push(median(r));
      loads.push(loadavg()[0]);
      console.log(`round ${round + 1}: event loop A ${median(main[0]).toFixed(1)} / B ${median(main[1]).toFixed(1)} µs per call, A/B ${median(r).toFixed(3)} (A lower in ${r.filter((x) => x < 1).length} of ${SLICES}); load ${loads.at(-1)!.toFixed(1)}`);
    } finally {
      for (const side of sides) {
        if (!side) continue;
        side.agent.destroy();
        await side.server.stop();
      }
    }
  }
  for (const [i, checkout] of checkouts.entries()) {
    const r = results[i];
    console.log(`${checkout}: event loop ${median(r.main).toFixed(1)} µs per call (min ${Math.min(...r.main).toFixed(1)}), all threads ${median(r.all).toFixed(1)} µs (min ${Math.min(...r.all).toFixed(1)}), ${median(r.perSecond).toFixed(0)} req/s`);
  }
  const main = ratio(results[0].main, results[1].main);
  const all = ratio(results[0].all, results[1].all);
  console.log(
    `A/B: event loop, median of the rounds ${median(roundRatios).toFixed(3)} (rounds ${roundRatios.map((x) => x.toFixed(3)).join(", ")}); all slices ${median(main).toFixed(3)} (A lower in ${main.filter((x) => x < 1).length} of ${main.length}); all threads ${median(all).toFixed(3)}; req/s ${median(ratio(results[0].perSecond, results[1].perSecond)).toFixed(3)}; load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
