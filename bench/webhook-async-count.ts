/**
 * What a webhook call creates of node's async machinery, counted exactly rather than timed:
 * `npx tsx bench/webhook-async-count.ts <checkout>…` starts each checkout's platform server (a
 * state file, its writer; this same script with `--serve`), deploys a Stripe instance, sends the
 * webhook bench's load (64 keep-alive senders) and, over 5,000 calls after a warm-up, counts with
 * `async_hooks` every async resource the server's process creates, by type, per call: PROMISE
 * (each promise, an async function's own included), TickObject (`process.nextTick`), Timeout.
 * The counts do not move with the machine's load, so they tell whether a cut removed promises or
 * ticks even where its time is inside the noise (docs/performance.md, the HTTP part of the path).
 */
import { createHook } from "node:async_hooks";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const CALLS = 5000;
const [first, ...rest] = process.argv.slice(2);

if (first === "--serve") {
  // The server: the checkout's platform; counting between SIGUSR2 and the stats request (SIGUSR1).
  const [checkout, stateDir] = rest;
  const { startPlatformServer } = (await import(join(checkout, "mock-server/index.ts"))) as typeof import("../mock-server/index.ts");
  const server = await startPlatformServer({ host: "127.0.0.1", port: 0, stateFile: join(stateDir, "platform.db"), policy: { webhookRateLimit: null } });
  const counts: Record<string, number> = {};
  const hook = createHook({
    init(_id, type) {
      counts[type] = (counts[type] ?? 0) + 1;
    },
  });
  process.on("SIGUSR2", () => hook.enable());
  process.on("SIGUSR1", () => {
    hook.disable();
    console.log(JSON.stringify({ stats: counts }));
  });
  process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
  console.log(JSON.stringify({ ready: true, url: server.url }));
} else {
  if (!first) throw new Error("usage: npx tsx bench/webhook-async-count.ts <checkout>…");
  const { startChildServer } = await import("./child-server.ts");
  const { deployStripeWebhook, STRIPE_EVENT } = await import("./deploy-webhook.ts");
  const { phase } = await import("./load.ts");
  const body = Buffer.from(STRIPE_EVENT);
  for (const checkout of [first, ...rest]) {
    const dir = mkdtempSync(join(tmpdir(), "emporium-webhook-async-count-"));
    const server = await startChildServer("./webhook-async-count.ts", ["--serve", resolve(checkout), dir]);
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    try {
      const url = new URL(await deployStripeWebhook(server.url));
      await phase(agent, url, body, 3000, 60_000, 64, false);
      process.kill(server.pid, "SIGUSR2");
      await new Promise((done) => setTimeout(done, 100));
      const run = await phase(agent, url, body, CALLS, 60_000, 64, false);
      if (run.statuses[200] !== CALLS) throw new Error(`${checkout}: ${JSON.stringify(run.statuses)}`);
      const counts = await server.stats();
      const perCall = Object.entries(counts)
        .sort((a, b) => b[1] - a[1])
        .map(([type, n]) => `${type} ${(n / CALLS).toFixed(2)}`);
      console.log(`${checkout}: per webhook call ${perCall.join(", ")}`);
    } finally {
      agent.destroy();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
