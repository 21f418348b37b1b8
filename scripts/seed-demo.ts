/**
 * Makes sure the demo has something to curl: Acme Corp gets one deployed instance with a
 * webhook flow. It goes through the public REST API with a token signed by the demo host
 * backend, exactly as the marketplace frame would, so the seed cannot drift from the API.
 */
import {
  paths,
  instanceList,
  integrationList,
  integrationDetail,
  deployResponse,
  type ConfigVarDefinition,
  type ConfigValueInput,
  type Instance,
} from "../contract/index.ts";
import { signDemoToken } from "../examples/demo-backend/token.ts";

/** A value for a field the customer would fill; defaults win, connections get demo credentials. */
function demoValue(field: ConfigVarDefinition): ConfigValueInput | undefined {
  if ("default" in field && field.default !== undefined) return field.default as ConfigValueInput;
  switch (field.type) {
    case "string":
      return field.pattern ? undefined : "demo";
    case "number":
      return field.min ?? 1;
    case "boolean":
      return false;
    case "picklist":
      // A data source's options are the customer's; only its default (handled above) is known here.
      if (!field.options) return undefined;
      return field.multiple ? [field.options[0].value] : field.options[0].value;
    case "code":
      return field.language === "json" ? "{}" : field.language === "xml" ? "<root/>" : "<p></p>";
    case "value-list":
      return ["demo"];
    case "key-value-list":
      return [{ key: "source", value: "demo" }];
    case "connection":
      if (field.connection.kind === "api-key") return { kind: "api-key", apiKey: "demo-api-key" };
      if (field.connection.kind === "basic") return { kind: "basic", username: "demo", password: "demo-password" };
      return undefined;
    default:
      return undefined;
  }
}

export async function seedDemo(platformOrigin: string): Promise<{ integration: string; url: string; samplePayload: string }> {
  const token = await signDemoToken("acme-corp");
  const call = async <T>(path: string, schema: { parse(v: unknown): T } | null, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(platformOrigin + path, {
      ...init,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...init.headers },
    });
    const body = await res.json().catch(() => undefined);
    if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path} answered ${res.status}: ${JSON.stringify(body)}`);
    return schema ? schema.parse(body) : (body as T);
  };
  await call(paths.session(), null, { method: "POST" });

  const withWebhook = (i: Instance) => i.status === "deployed" && i.flows.some((f) => f.webhookUrl);
  const existing = (await call(paths.instances(), instanceList)).instances.find(withWebhook);
  let instance = existing;
  if (!instance) {
    const { integrations } = await call(paths.integrations(), integrationList());
    for (const summary of integrations) {
      if (summary.activation.state !== "available") continue;
      const detail = await call(paths.integration(summary.id), integrationDetail);
      if (!detail.flows.some((f) => f.trigger.kind === "webhook")) continue;
      const fields = detail.configPages.flatMap((p) => p.fields);
      if (fields.some((f) => f.required && demoValue(f) === undefined)) continue;
      const draft = await call<Instance>(paths.instances(), null, {
        method: "POST",
        body: JSON.stringify({ integrationId: detail.id }),
      });
      for (const page of detail.configPages) {
        const values = Object.fromEntries(
          page.fields.flatMap((f) => {
            const v = demoValue(f);
            return v === undefined ? [] : [[f.key, v]];
          }),
        );
        await call(paths.instanceConfigPage(draft.id, page.name), null, { method: "PUT", body: JSON.stringify({ values }) });
      }
      const deployed = await call(paths.instanceDeploy(draft.id), deployResponse, {
        method: "POST",
        headers: { "Idempotency-Key": `seed-${draft.id}` },
      });
      instance = deployed.instance;
      break;
    }
  }
  const flow = instance?.flows.find((f) => f.webhookUrl);
  if (!instance || !flow?.webhookUrl) throw new Error("the catalog has no integration the demo can deploy with a webhook flow");
  return {
    integration: `${instance.integrationName} · ${flow.name}`,
    url: flow.webhookUrl,
    samplePayload: JSON.stringify({ event: "demo", message: "Hello from curl" }),
  };
}
