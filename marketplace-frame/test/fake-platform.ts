/**
 * A small in-memory stand-in for the platform API, as MSW handlers, for component tests that
 * need to steer one response (a lost deploy, a 401 wave, an outage). It validates config pages
 * with the same contract rules the real platform uses.
 */
import type { Connection, OAuthStatus } from "../../contract/api-types.ts";
import { http, HttpResponse, delay } from "msw";
import type { Execution, Instance, IntegrationDetail } from "../../contract/api.ts";
import type { Alert } from "../../contract/api-observe.ts";
import type { ConfigValues } from "../../contract/config-vars.ts";
import { configPageProblems } from "../../contract/validate-config.ts";

export const ORIGIN = "http://platform.test";
const api = (path: string) => `${ORIGIN}/api/v1${path}`;

export function integration(over: Partial<IntegrationDetail> & { id: string }): IntegrationDetail {
  return {
    name: over.id[0].toUpperCase() + over.id.slice(1),
    summary: `Sync ${over.id}`,
    category: "CRM",
    labels: [],
    icon: "",
    vendor: "Acme",
    version: 1,
    allowMultipleInstances: false,
    activation: { state: "available", instanceCount: 0, activeCount: 0, updateAvailable: false },
    description: "Connects things.",
    configPages: [],
    flows: [],
    ...over,
  };
}

export interface FakePlatformState {
  integrations: IntegrationDetail[];
  instances: Map<string, Instance>;
  executions: Map<string, Execution[]>;
  /** Per instance, newest first (like the platform). */
  alerts: Map<string, Alert[]>;
  alertRequests: number;
  deployCalls: number;
  deployKeys: string[];
  savedPages: { page: string; values: Record<string, unknown> }[];
  /** What GET /connections/oauth/{state} answers (default: pending). */
  oauthStatus?: OAuthStatus;
  /** The customer's connections (GET /connections, filtered by `?app=`). */
  connections: Connection[];
  role: "admin" | "viewer";
}

export function fakePlatform(integrations: IntegrationDetail[], role: "admin" | "viewer" = "admin") {
  const state: FakePlatformState = { integrations, instances: new Map(), executions: new Map(), alerts: new Map(), alertRequests: 0, deployCalls: 0, deployKeys: [], savedPages: [], connections: [], role };
  const idempotent = new Map<string, { instance: Instance; executions: Execution[] }>();
  let seq = 0;
  const summary = ({ description: _d, configPages: _c, flows: _f, ...rest }: IntegrationDetail) => rest;
  const err = (status: number, code: string, message: string, extra: object = {}) =>
    HttpResponse.json({ error: { code, message, ...extra } }, { status });
  const find = (id: string) => state.instances.get(id);

  const handlers = [
    http.get(api("/embed/:org"), ({ params }) =>
      HttpResponse.json({ organization: { id: String(params.org), name: "Demo" }, allowedOrigins: ["http://host.test"] }),
    ),
    http.post(api("/session"), () =>
      HttpResponse.json({
        organization: { id: "org", name: "Demo" },
        customer: { id: "c1", externalId: "c1", name: "Customer" },
        user: { id: "u1", externalId: "u1", name: "User", role: state.role },
        expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      }),
    ),
    http.get(api("/integrations"), () =>
      HttpResponse.json({
        integrations: state.integrations.map(summary),
        categories: [...new Set(state.integrations.map((i) => i.category))],
        labels: [...new Set(state.integrations.flatMap((i) => i.labels))],
      }),
    ),
    http.get(api("/integrations/:id"), ({ params }) => {
      const i = state.integrations.find((x) => x.id === params.id);
      return i ? HttpResponse.json(i) : err(404, "NOT_FOUND", "No such integration");
    }),
    http.post(api("/instances"), async ({ request }) => {
      const { integrationId } = (await request.json()) as { integrationId: string };
      const i = state.integrations.find((x) => x.id === integrationId)!;
      const id = `inst-${++seq}`;
      const now = new Date().toISOString();
      const inst: Instance = {
        id, integrationId, integrationName: i.name, customerId: "c1", name: i.name, description: "", labels: [],
        status: "draft", configValues: {}, completedPages: [], flows: [], createdAt: now, updatedAt: now, integrationVersion: 1,
      };
      state.instances.set(id, inst);
      i.activation = { state: "needs-configuration", instanceId: id, instanceCount: 0, activeCount: 0, updateAvailable: false };
      return HttpResponse.json(inst, { status: 201 });
    }),
    http.get(api("/instances"), ({ request }) => {
      const only = new URL(request.url).searchParams.get("integration");
      return HttpResponse.json({ instances: [...state.instances.values()].filter((i) => !only || i.integrationId === only).reverse() });
    }),
    http.patch(api("/instances/:id"), async ({ params, request }) => {
      const inst = find(String(params.id));
      if (!inst) return err(404, "NOT_FOUND", "No such instance");
      if (state.role === "viewer") return err(403, "FORBIDDEN", "Read-only");
      const name = ((await request.json()) as { name: string }).name.trim();
      const taken = [...state.instances.values()].some((i) => i.id !== inst.id && i.integrationId === inst.integrationId && i.name === name);
      if (!name || taken) {
        const message = name ? `You already have an instance named "${name}"; choose another name.` : "Enter a name for this instance.";
        return err(422, "VALIDATION_FAILED", message, { fields: { name: message } });
      }
      inst.name = name;
      return HttpResponse.json(inst);
    }),
    http.get(api("/instances/:id"), ({ params }) => {
      const inst = find(String(params.id));
      return inst ? HttpResponse.json(inst) : err(404, "NOT_FOUND", "No such instance");
    }),
    http.put(api("/instances/:id/config/:page"), async ({ params, request }) => {
      const inst = find(String(params.id));
      if (!inst) return err(404, "NOT_FOUND", "No such instance");
      const i = state.integrations.find((x) => x.id === inst.integrationId)!;
      const page = i.configPages.find((p) => p.name === params.page);
      if (!page) return err(404, "NOT_FOUND", "No such page");
      const { values } = (await request.json()) as { values: Record<string, unknown> };
      state.savedPages.push({ page: page.name, values });
      const stored = new Set(Object.entries(inst.configValues).filter(([, v]) => v && typeof v === "object" && "kind" in v).map(([k]) => k));
      const problems = configPageProblems(page, values, { storedSecrets: stored });
      if (Object.keys(problems).length) return err(422, "VALIDATION_FAILED", "Some values are invalid", { fields: problems, page: page.name });
      const masked: ConfigValues = {};
      for (const [k, v] of Object.entries(values)) {
        if (v && typeof v === "object" && "kind" in (v as object)) {
          const c = v as { kind: string; apiKey?: string; username?: string; password?: string };
          const prev = inst.configValues[k] as { apiKey?: unknown; password?: unknown } | undefined;
          masked[k] =
            c.kind === "api-key"
              ? { kind: "api-key", ...(c.apiKey || prev?.apiKey ? { apiKey: { secret: "set" as const } } : {}) }
              : { kind: "basic", username: c.username ?? "", ...(c.password || prev?.password ? { password: { secret: "set" as const } } : {}) };
        } else if (v && typeof v === "object" && "connectionId" in (v as object)) {
          // One of the customer's connections (picked, or an OAuth flow's): shown as the platform shows it.
          const connectionId = (v as { connectionId: string }).connectionId;
          const c = state.connections.find((x) => x.id === connectionId);
          masked[k] =
            c && c.kind !== "oauth2"
              ? { kind: c.kind, ...(c.providedBy ? { providedBy: c.providedBy } : { apiKey: { secret: "set" as const } }), connectionId }
              : { kind: "oauth2", status: "active", connectionId };
        } else masked[k] = v as ConfigValues[string];
      }
      inst.configValues = { ...inst.configValues, ...masked };
      if (!inst.completedPages.includes(page.name)) inst.completedPages = [...inst.completedPages, page.name];
      return HttpResponse.json(inst);
    }),
    http.post(api("/instances/:id/deploy"), async ({ params, request }) => {
      state.deployCalls++;
      const key = request.headers.get("Idempotency-Key") ?? "";
      state.deployKeys.push(key);
      if (state.role === "viewer") return err(403, "FORBIDDEN", "Read-only");
      if (key && idempotent.has(key)) return HttpResponse.json(idempotent.get(key));
      await delay(20);
      const inst = find(String(params.id))!;
      inst.status = "deployed";
      inst.deployedAt = new Date().toISOString();
      inst.flows = [{ id: "on-order", name: "On order", trigger: { kind: "webhook" }, webhookUrl: `${ORIGIN}/api/v1/webhooks/tok-${inst.id}` }];
      const i = state.integrations.find((x) => x.id === inst.integrationId)!;
      i.activation = { state: "activated", instanceId: inst.id, instanceCount: 1, activeCount: 1, updateAvailable: false };
      const body = { instance: inst, executions: [] };
      if (key) idempotent.set(key, body);
      return HttpResponse.json(body);
    }),
    http.post(api("/instances/:id/connections/:key/oauth"), ({ params }) =>
      HttpResponse.json({ authorizeUrl: `${ORIGIN}/api/v1/mock-oauth/authorize?for=${String(params.key)}`, state: `state-${String(params.key)}` }),
    ),
    http.get(api("/connections/oauth/:state"), () => HttpResponse.json(state.oauthStatus ?? { status: "pending" })),
    http.get(api("/connections"), ({ request }) => {
      const app = new URL(request.url).searchParams.get("app");
      return HttpResponse.json({ connections: state.connections.filter((c) => !app || c.app === app) });
    }),
    http.post(api("/instances/:id/connections/:key/test"), async ({ request }) => {
      const { value } = (await request.json()) as { value?: { apiKey?: string } };
      const ok = !!value?.apiKey && value.apiKey.length >= 4;
      return HttpResponse.json({ ok, message: ok ? "Connected" : "Acme refused the API key", state: { kind: "api-key" } });
    }),
    // Pages of 50, newest first, as the platform answers; the cursor is the offset here.
    http.get(api("/instances/:id/executions"), ({ params, request }) => {
      const all = [...(state.executions.get(String(params.id)) ?? [])].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
      const from = Number(new URL(request.url).searchParams.get("cursor") ?? 0);
      return HttpResponse.json({ executions: all.slice(from, from + 50), nextCursor: from + 50 < all.length ? String(from + 50) : null });
    }),
    http.get(api("/instances/:id/alerts"), ({ params }) => {
      state.alertRequests++;
      return HttpResponse.json({ alerts: state.alerts.get(String(params.id)) ?? [], nextCursor: null });
    }),
    http.post(api("/instances/:id/pause"), ({ params }) => {
      const inst = find(String(params.id))!;
      inst.status = "paused";
      return HttpResponse.json(inst);
    }),
    http.post(api("/instances/:id/resume"), ({ params }) => {
      const inst = find(String(params.id))!;
      inst.status = "deployed";
      return HttpResponse.json(inst);
    }),
    http.delete(api("/instances/:id"), ({ params }) => {
      state.instances.delete(String(params.id));
      return HttpResponse.json({ instanceId: String(params.id), executions: [] });
    }),
  ];
  return { state, handlers };
}
