/**
 * Deploys one Stripe instance for the demo customer through the public REST API, with a token
 * the demo host backend signs, exactly as the marketplace frame would, and returns the
 * instance's webhook URL. Going through HTTP keeps the bench honest: it cannot reach a shortcut
 * a real client does not have.
 */
import { deployResponse, instance as instanceSchema, integrationDetail, paths } from "../contract/api.ts";
import { signDemoToken } from "../examples/demo-backend/token.ts";
import * as z from "zod/mini";

export const STRIPE_EVENT = JSON.stringify({ type: "charge.succeeded", amount: 4200 });

export async function deployStripeWebhook(platformUrl: string): Promise<string> {
  const token = await signDemoToken("acme-corp");
  const call = async <T>(path: string, schema: z.ZodMiniType<T> | null, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(platformUrl + path, {
      ...init,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...init.headers },
    });
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path} answered ${res.status}: ${JSON.stringify(body)}`);
    return schema ? z.parse(schema, body) : (body as T);
  };
  await call(paths.session(), null, { method: "POST" });
  const detail = await call(paths.integration("stripe"), integrationDetail);
  const draft = await call(paths.instances(), instanceSchema, { method: "POST", body: JSON.stringify({ integrationId: detail.id }) });
  await call(paths.instanceConfigPage(draft.id, "connect"), null, {
    method: "PUT",
    body: JSON.stringify({ values: { stripeKey: { kind: "api-key", apiKey: "rk_test_bench" } } }),
  });
  await call(paths.instanceConfigPage(draft.id, "payments"), null, {
    method: "PUT",
    body: JSON.stringify({ values: { currency: "usd", threshold: 100, metadata: '{"source":"bench"}', liveMode: false } }),
  });
  const deployed = await call(paths.instanceDeploy(draft.id), deployResponse, {
    method: "POST",
    headers: { "Idempotency-Key": `bench-${draft.id}` },
  });
  const url = deployed.instance.flows.find((f) => f.webhookUrl)?.webhookUrl;
  if (!url) throw new Error("the deployed Stripe instance has no webhook URL");
  // One call outside the measurement: the flow must really succeed, or the bench measures errors.
  const check = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: STRIPE_EVENT });
  const result = (await check.json()) as { status?: string };
  if (check.status !== 200 || result.status !== "succeeded") throw new Error(`webhook check answered ${check.status} ${JSON.stringify(result)}`);
  return url;
}
