/**
 * Where a webhook request's time goes, by peeling the platform layer by layer in this process,
 * one call at a time (no concurrency, so each figure is a cost per call):
 * - the domain alone (`platform.webhooks.invoke`: run the flow, record the execution);
 * - the MSW layer with a trivial handler (routing, request clone, cookie parsing, HttpResponse);
 * - the platform's MSW handlers (`getResponse`) = MSW + body reading + zod response check + domain;
 * and the bare handler's and the platform's HTTP cost per request from the load runs.
 * The mock-server is only read and called through its public entry, never changed.
 */
import { getResponse, http, HttpResponse } from "msw";
import * as z from "zod/mini";
import { webhookResponse } from "../contract/api.ts";
import { createHandlers, startPlatformServer } from "../mock-server/index.ts";
import { deployStripeWebhook, STRIPE_EVENT } from "./deploy-webhook.ts";
import { median } from "./stats.ts";

async function perCall(n: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  for (let i = 0; i < Math.min(200, n); i++) await fn();
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n / 5; i++) await fn();
    rounds.push(((performance.now() - t0) * 1000) / (n / 5));
  }
  return median(rounds);
}

export interface Breakdown {
  domainUs: number;
  mswTrivialUs: number;
  zodResponseUs: number;
  handlersUs: number;
}

export async function webhookBreakdown(n = 1500): Promise<Breakdown> {
  const server = await startPlatformServer({ host: "127.0.0.1", port: 0 });
  try {
    const url = await deployStripeWebhook(server.url);
    const token = decodeURIComponent(new URL(url).pathname.split("/").pop()!);
    const payload = JSON.parse(STRIPE_EVENT) as unknown;
    const request = () => new Request(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: STRIPE_EVENT });
    const handlers = createHandlers(server.platform);
    const trivial = [http.post("*/api/v1/webhooks/:token", async ({ request: r }) => HttpResponse.json({ echo: (await r.text()).length }))];
    const sample = { executionId: "exe_1", status: "succeeded" as const, output: { recorded: true, amount: 4200 } };
    const mswTrivialUs = await perCall(n, async () => (await getResponse(trivial, request()))!.arrayBuffer());
    const domainUs = await perCall(n, () => server.platform.webhooks.invoke(token, payload, { async: false }));
    const zodResponseUs = await perCall(n * 4, () => z.safeParse(webhookResponse, sample));
    const handlersUs = await perCall(n, async () => (await getResponse(handlers, request()))!.arrayBuffer());
    return { domainUs, mswTrivialUs, zodResponseUs, handlersUs };
  } finally {
    await server.close();
  }
}
