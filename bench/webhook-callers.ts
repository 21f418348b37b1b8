/**
 * The in-process webhook load shared by bench/webhook-inprocess.ts and bench/writer-pages.ts: the
 * real platform of a checkout on a state file (SQLite and its writer thread), one deployed Stripe
 * instance, and `callers` callers each sending its next call through the HTTP server's own
 * webhook entry (`createPlatformRoutes(…).webhook`) as soon as the last is answered.
 */
import { join, resolve } from "node:path";

export async function webhookCallers(checkout: string, stateFile: string, callers: number) {
  const root = resolve(checkout);
  const { startPlatformServer, Store } = (await import(join(root, "mock-server/index.ts"))) as typeof import("../mock-server/index.ts");
  const { createPlatformRoutes } = (await import(join(root, "mock-server/http/msw-handlers.ts"))) as typeof import("../mock-server/http/msw-handlers.ts");
  const { deployStripeWebhook, STRIPE_EVENT } = await import("./deploy-webhook.ts");
  const server = await startPlatformServer({ host: "127.0.0.1", port: 0, stateFile, policy: { webhookRateLimit: null } });
  try {
    const url = await deployStripeWebhook(server.url);
    const token = decodeURIComponent(new URL(url).pathname.split("/").pop()!);
    const { webhook } = createPlatformRoutes(server.platform, { scenarioApi: false });
    const call = { token, prefer: null, readBody: () => Promise.resolve(STRIPE_EVENT) };
    /** Sends `count` calls, `callers` at a time; every one must answer 200. */
    const run = async (count: number) => {
      let started = 0;
      await Promise.all(
        Array.from({ length: callers }, async () => {
          while (started++ < count) {
            const answer = await webhook(call);
            if (answer.status !== 200) throw new Error(`answered ${answer.status}: ${answer.body}`);
          }
        }),
      );
    };
    return { server, store: Store.of(server.platform.snapshot()), run };
  } catch (error) {
    await server.close();
    throw error;
  }
}
