/**
 * The platform's REST API as MSW handlers: each translates a request to a Platform method and
 * back, validating the request with the contract and the response too (a response that breaks
 * the contract is a platform bug: 500 SERVER_ERROR). The same handlers serve Node tests
 * (setupServer), the local HTTP server (getResponse) and a service worker.
 */
import { http, HttpResponse, type HttpHandler } from "msw";
import * as z from "zod/mini";
import {
  API_PREFIX,
  OAUTH_RESULT_MESSAGE_TYPE,
  alertList,
  alertMonitors,
  connectionTestRequest,
  connectionTestResult,
  createInstanceRequest,
  deleteInstanceResponse,
  deployResponse,
  embedConfig,
  execution,
  executionList,
  instance,
  instanceList,
  integrationDetail,
  integrationList,
  integrationListQuery,
  oauthResultMessage,
  oauthStartResponse,
  saveConfigPageRequest,
  session,
  usageReport,
  type OAuthResultMessage,
} from "../../contract/api.ts";
import { ApiErrorCode, PlatformError } from "../domain/errors.ts";
import { SCENARIO_HEADER, scenarioName, scenarioPath, scenarioRequest, scenarioState } from "../../contract/scenario.ts";
import { createOrgHandlers } from "./org-handlers.ts";
import type { OrganizationRecord } from "../domain/store.ts";
import { bearerToken, type Caller } from "../domain/sessions.ts";
import { MOCK_CLIENT_ID, MOCK_OAUTH_PREFIX } from "../domain/oauth.ts";
import { readBodyText, readJsonBody } from "./request-body.ts";
import { contractAnswer, errorAnswer, scenarioGate, type Answer } from "./answer.ts";
import { answerWebhook, type WebhookCall } from "./webhook-answer.ts";
import {
  CALLBACK_SCRIPT,
  OAUTH_CALLBACK_SCRIPT_PATH,
  OAUTH_PAGE_CSP,
  OAUTH_STYLESHEET_PATH,
  STYLESHEET,
  callbackPage,
  consentPage,
  messagePage,
} from "./oauth-pages.ts";
import type { Platform } from "../domain/platform.ts";

export interface HandlerOptions {
  /**
   * Origin the handlers answer for: "*" (default) matches any origin, which is what Node tests
   * and the HTTP server need; a service worker may pass its own origin.
   */
  origin?: string;
  /** Called when a response fails its contract schema (it is answered as a 500). */
  onContractViolation?: (detail: { path: string; issues: unknown }) => void;
  /**
   * Serve `GET/PUT /api/v1/_scenario` (demo and test mode only; default false). Without it the
   * scenario can still be set in code (`platform.scenario.set`) or at server start.
   */
  scenarioApi?: boolean;
  /** How the slow-network scenario waits (default: a real timer); tests pass a controllable one. */
  sleep?: (ms: number) => Promise<void>;
}

const CORS_ALLOW_HEADERS = "Authorization, Content-Type, Idempotency-Key, Prefer";
const CORS_EXPOSE_HEADERS = `Retry-After, Idempotent-Replayed, Preference-Applied, ${SCENARIO_HEADER}`;
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Schema<T> = z.ZodMiniType<T>;

export interface RouteContext {
  request: Request;
  params: Record<string, string>;
  /** The verified caller, once `caller()` was awaited. */
  caller(): Promise<Caller>;
  /** The organization of a verified organization API key (organization API only). */
  organization(): Promise<OrganizationRecord>;
  /** The origin webhook URLs and OAuth URLs are built from. */
  origin: string;
}

/** An Answer (answer.ts) as a fetch Response, for MSW and the service worker. */
function toResponse(answer: Answer): Response {
  return new HttpResponse(answer.body === "" ? null : answer.body, { status: answer.status, headers: answer.headers });
}

/** The JSON response after checking it against its contract schema (see contractAnswer). */
function contractJson<T>(
  schema: Schema<T>,
  body: T,
  init: { status?: number; headers?: Record<string, string> },
  onViolation: HandlerOptions["onContractViolation"],
  path: string,
): Response {
  return toResponse(contractAnswer(schema, body, init, onViolation, path));
}

function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** Parses a request body with a contract schema: 400 BAD_REQUEST naming the first bad field. */
function parseWith<T>(schema: Schema<T>, value: unknown, what: string): T {
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue.path.join(".");
  throw new PlatformError(ApiErrorCode.BadRequest, `Invalid ${what}${path ? ` at ${path}` : ""}: ${issue.message}`);
}

function html(body: string, status = 200): Response {
  return new HttpResponse(body, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": OAUTH_PAGE_CSP,
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "Cache-Control": "no-store",
    },
  });
}

function parseTime(value: string | null, fallback: number, name: string): number {
  if (value === null || value === "") return fallback;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new PlatformError(ApiErrorCode.BadRequest, `"${name}" must be an ISO date-time.`);
  return time;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export interface RouteOptions {
  /** Add CORS headers for allowed host origins (default true). */
  cors?: boolean;
  /** Apply the active scenario's latency and failures (default true). */
  scenario?: boolean;
}

export type RouteResolver = (info: { request: Request; params: Record<string, string | readonly string[] | undefined> }) => Promise<Response>;

/** What a group of routes (the organization API) needs from createHandlers. */
export interface RouteKit {
  /** Absolute handler path for a path under /api/v1. */
  api(path: string): string;
  route(handler: (ctx: RouteContext) => Promise<Response> | Response, opts?: RouteOptions): RouteResolver;
  json<T>(schema: Schema<T>, body: T, request: Request, init?: { status?: number; headers?: Record<string, string> }): Response;
}

/** The MSW handlers, plus the webhook route's resolver for transports that dispatch it directly. */
export interface PlatformRoutes {
  handlers: HttpHandler[];
  /**
   * `POST /api/v1/webhooks/:token` as a plain function (webhook-answer.ts), the one the MSW
   * handler wraps. The HTTP server calls it straight from node:http: msw's generic dispatch
   * and fetch Request/Response objects cost several times the work of the flow itself.
   */
  webhook(call: WebhookCall): Promise<Answer>;
}

/** The platform's MSW handlers: one set for every transport. */
export function createHandlers(platform: Platform, options: HandlerOptions = {}): HttpHandler[] {
  return createPlatformRoutes(platform, options).handlers;
}

/** Builds the handlers and exposes the webhook resolver they share (see `PlatformRoutes`). */
export function createPlatformRoutes(platform: Platform, options: HandlerOptions = {}): PlatformRoutes {
  const base = options.origin ?? "*";
  const api = (path: string) => `${base}${API_PREFIX}${path}`;
  const onViolation = options.onContractViolation;
  const sleep = options.sleep ?? realSleep;

  /**
   * Wraps a route: the active scenario is applied first (a flaky failure happens before the
   * platform sees the request, so a retry is always safe), typed errors become API errors,
   * CORS headers are added for allowed origins.
   */
  const route =
    (handler: (ctx: RouteContext) => Promise<Response> | Response, opts: RouteOptions = {}): RouteResolver =>
    async ({ request, params }) => {
      const cors = opts.cors ?? true;
      let caller: Caller | undefined;
      let callerPromise: Promise<Caller> | undefined;
      let orgPromise: Promise<OrganizationRecord> | undefined;
      const ctx: RouteContext = {
        request,
        params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : String(v ?? "")])),
        origin: new URL(request.url).origin,
        caller: () =>
          (callerPromise ??= Promise.resolve().then(() => {
            const token = bearerToken(request.headers.get("authorization"));
            platform.scenario.checkToken(token);
            return platform.authenticate(token).then((c) => (caller = c));
          })),
        organization: () => (orgPromise ??= platform.authenticateOrganization(request.headers.get("authorization"))),
      };
      let response: Response;
      try {
        const blocked = opts.scenario === false ? undefined : await scenarioGate(platform, sleep, onViolation, request.url);
        response = blocked ? toResponse(blocked) : await handler(ctx);
      } catch (error) {
        response = toResponse(errorAnswer(error, onViolation, request.url));
      }
      if (platform.scenario.name !== "none") response.headers.set(SCENARIO_HEADER, platform.scenario.name);
      const requestOrigin = request.headers.get("origin");
      if (cors && requestOrigin) {
        const allowed = caller
          ? caller.organization.allowedOrigins.includes(requestOrigin)
          : platform.isAllowedOriginOfAnyOrganization(requestOrigin);
        if (allowed) {
          response.headers.set("Access-Control-Allow-Origin", requestOrigin);
          response.headers.set("Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS);
        }
        response.headers.append("Vary", "Origin");
      }
      return response;
    };

  const json = <T>(schema: Schema<T>, body: T, request: Request, init: { status?: number; headers?: Record<string, string> } = {}) =>
    contractJson(schema, body, init, onViolation, new URL(request.url).pathname);

  const webhookOptions = { sleep, ...(onViolation ? { onViolation } : {}) };
  const webhook = (call: WebhookCall): Promise<Answer> => answerWebhook(platform, call, webhookOptions);

  const handlers: HttpHandler[] = [
    // ---------------------------------------------------------------- malformed paths
    // msw decodes path parameters with decodeURIComponent while matching and throws on a
    // malformed escape (`/instances/%`), which would fail the whole dispatch (a 500 over HTTP).
    // This guard runs first and answers such paths itself: they cannot name anything.
    http.all(({ request }) => {
      const url = new URL(request.url);
      return (base === "*" || url.origin === base) && url.pathname.startsWith(`${API_PREFIX}/`) && !decodable(url.pathname);
    }, route(() => {
      throw new PlatformError(ApiErrorCode.NotFound, "No route matches this path (its percent-encoding is malformed).");
    })),

    // ---------------------------------------------------------------- CORS preflight
    http.options(api("/*"), ({ request }) => {
      const origin = request.headers.get("origin");
      const headers = new Headers({ Vary: "Origin" });
      if (origin && platform.isAllowedOriginOfAnyOrganization(origin)) {
        headers.set("Access-Control-Allow-Origin", origin);
        headers.set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE");
        headers.set("Access-Control-Allow-Headers", CORS_ALLOW_HEADERS);
        headers.set("Access-Control-Max-Age", "600");
      }
      return new HttpResponse(null, { status: 204, headers });
    }),

    // ---------------------------------------------------------------- public
    http.get(
      api("/embed/:org"),
      route(({ request, params }) => {
        const response = json(embedConfig, platform.embedConfig(params.org), request, { headers: { "Cache-Control": "no-cache" } });
        response.headers.set("Access-Control-Allow-Origin", "*");
        return response;
      }, { cors: false }),
    ),

    http.post(api("/webhooks/:token"), async ({ request, params }) =>
      toResponse(await webhook({ token: String(params.token), prefer: request.headers.get("prefer"), readBody: () => readBodyText(request) })),
    ),

    // ---------------------------------------------------------------- session & marketplace
    http.post(
      api("/session"),
      route(async ({ request, caller }) => json(session, platform.session(await caller()), request)),
    ),

    http.get(
      api("/integrations"),
      route(async ({ request, caller }) => {
        const who = await caller();
        const search = new URL(request.url).searchParams;
        const raw: Record<string, string> = {};
        for (const [key, value] of search) {
          if (!["q", "category", "label", "state"].includes(key)) {
            throw new PlatformError(ApiErrorCode.BadRequest, `Unknown filter "${key}"; use q, category, label or state.`);
          }
          raw[key] = value;
        }
        const query = parseWith(integrationListQuery, raw, "filters");
        return json(integrationList, platform.listIntegrations(who, query), request);
      }),
    ),

    http.get(
      api("/integrations/:id"),
      route(async ({ request, params, caller }) => json(integrationDetail, platform.getIntegration(await caller(), params.id), request)),
    ),

    // ---------------------------------------------------------------- instances
    http.get(
      api("/instances"),
      route(async ({ request, caller, origin }) => json(instanceList, { instances: platform.listInstances(await caller(), origin) }, request)),
    ),

    http.post(
      api("/instances"),
      route(async ({ request, caller, origin }) => {
        const who = await caller();
        const body = parseWith(createInstanceRequest, (await readJsonBody(request)).value, "request body");
        const result = platform.createInstance(who, body.integrationId, origin);
        return json(instance, result.instance, request, { status: result.created ? 201 : 200 });
      }),
    ),

    http.get(
      api("/instances/:id"),
      route(async ({ request, params, caller, origin }) => json(instance, platform.getInstance(await caller(), params.id, origin), request)),
    ),

    http.delete(
      api("/instances/:id"),
      route(async ({ request, params, caller }) => json(deleteInstanceResponse, await platform.deleteInstance(await caller(), params.id), request)),
    ),

    http.put(
      api("/instances/:id/config/:page"),
      route(async ({ request, params, caller, origin }) => {
        const who = await caller();
        const { value } = await readJsonBody(request);
        const parsed = z.safeParse(saveConfigPageRequest, value);
        let values: Record<string, unknown>;
        if (parsed.success) {
          values = parsed.data.values;
        } else if (typeof value === "object" && value !== null && typeof (value as { values?: unknown }).values === "object" && (value as { values: unknown }).values !== null && !Array.isArray((value as { values: unknown }).values)) {
          // Shapes the contract refuses still get field-level messages from the shared validator.
          values = (value as { values: Record<string, unknown> }).values;
        } else {
          throw new PlatformError(ApiErrorCode.BadRequest, 'The body must be { "values": { <config key>: <value> } }.');
        }
        return json(instance, platform.saveConfigPage(who, params.id, params.page, values, origin), request);
      }),
    ),

    http.post(
      api("/instances/:id/deploy"),
      route(async ({ request, params, caller, origin }) => {
        const who = await caller();
        const { text, value } = await readJsonBody(request);
        if (value !== undefined && (typeof value !== "object" || value === null || Array.isArray(value))) {
          throw new PlatformError(ApiErrorCode.BadRequest, "The deploy body, when present, must be a JSON object.");
        }
        const key = request.headers.get("idempotency-key");
        const fingerprint = `POST ${new URL(request.url).pathname} ${await sha256(text.trim() === "" ? "{}" : JSON.stringify(value))}`;
        const result = await platform.deploy(who, params.id, {
          origin,
          ...(key !== null ? { idempotencyKey: key, fingerprint } : {}),
        });
        return json(deployResponse, result.body, request, {
          status: result.status,
          headers: result.replayed ? { "Idempotent-Replayed": "true" } : {},
        });
      }),
    ),

    http.post(
      api("/instances/:id/pause"),
      route(async ({ request, params, caller, origin }) => json(instance, platform.pause(await caller(), params.id, origin), request)),
    ),

    http.post(
      api("/instances/:id/resume"),
      route(async ({ request, params, caller, origin }) => json(instance, platform.resume(await caller(), params.id, origin), request)),
    ),

    http.get(
      api("/instances/:id/executions"),
      route(async ({ request, params, caller }) => json(executionList, { executions: platform.listExecutions(await caller(), params.id) }, request)),
    ),

    http.get(
      api("/instances/:id/executions/:executionId"),
      route(async ({ request, params, caller }) =>
        json(execution, platform.getExecution(await caller(), params.id, params.executionId), request),
      ),
    ),

    http.get(
      api("/instances/:id/alerts"),
      route(async ({ request, params, caller }) => json(alertList, { alerts: platform.listAlerts(await caller(), params.id) }, request)),
    ),

    http.get(
      api("/instances/:id/alert-monitors"),
      route(async ({ request, params, caller }) => json(alertMonitors, platform.getAlertMonitors(await caller(), params.id), request)),
    ),

    http.put(
      api("/instances/:id/alert-monitors"),
      route(async ({ request, params, caller }) => {
        const who = await caller();
        const body = parseWith(alertMonitors, (await readJsonBody(request)).value, "alert monitors");
        return json(alertMonitors, platform.setAlertMonitors(who, params.id, body), request);
      }),
    ),

    http.post(
      api("/instances/:id/connections/:key/test"),
      route(async ({ request, params, caller }) => {
        const who = await caller();
        const { value } = await readJsonBody(request);
        const body = parseWith(connectionTestRequest, value ?? {}, "request body");
        return json(connectionTestResult, platform.testConnection(who, params.id, params.key, body.value), request);
      }),
    ),

    http.post(
      api("/instances/:id/connections/:key/oauth"),
      route(async ({ request, params, caller, origin }) =>
        json(oauthStartResponse, platform.startOAuth(await caller(), params.id, params.key, origin), request),
      ),
    ),

    http.get(
      api("/usage"),
      route(async ({ request, caller }) => {
        const who = await caller();
        const search = new URL(request.url).searchParams;
        const now = platform.clock.now();
        const to = parseTime(search.get("to"), now, "to");
        const from = parseTime(search.get("from"), to - 30 * 24 * 3600 * 1000, "from");
        return json(usageReport, platform.usage(who, from, to), request);
      }),
    ),

    // ---------------------------------------------------------------- OAuth: platform callback
    http.get(
      api("/oauth/callback"),
      route(({ request }) => {
        const search = new URL(request.url).searchParams;
        const outcome = platform.oauthCallback({ state: search.get("state"), code: search.get("code"), error: search.get("error") });
        const message: OAuthResultMessage = outcome.ok
          ? { type: OAUTH_RESULT_MESSAGE_TYPE, ok: true, state: outcome.state, grantId: outcome.grantId, account: outcome.account }
          : {
              type: OAUTH_RESULT_MESSAGE_TYPE,
              ok: false,
              ...(outcome.state ? { state: outcome.state } : {}),
              error: { code: outcome.code, message: outcome.message },
            };
        z.parse(oauthResultMessage, message);
        return html(callbackPage(message), outcome.ok ? 200 : 400);
      }, { cors: false }),
    ),

    // ---------------------------------------------------------------- mock OAuth provider
    http.get(`${base}${OAUTH_CALLBACK_SCRIPT_PATH}`, () =>
      new HttpResponse(CALLBACK_SCRIPT, {
        headers: { "Content-Type": "text/javascript; charset=utf-8", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache" },
      }),
    ),
    http.get(`${base}${OAUTH_STYLESHEET_PATH}`, () =>
      new HttpResponse(STYLESHEET, {
        headers: { "Content-Type": "text/css; charset=utf-8", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache" },
      }),
    ),

    http.get(`${base}${MOCK_OAUTH_PREFIX}/authorize`, ({ request }) => {
      const search = new URL(request.url).searchParams;
      const auth = platform.oauthAuthorization(search.get("state") ?? "");
      if (!auth) return html(messagePage("Authorization expired", "This authorization request is unknown or expired. Close this window and try again."), 400);
      if (search.get("client_id") !== MOCK_CLIENT_ID || search.get("redirect_uri") !== auth.redirectUri || search.get("response_type") !== "code") {
        return html(messagePage("Invalid request", "The client id, redirect URI or response type does not match the request."), 400);
      }
      const customerName = platform.snapshot().customers[auth.customerId]?.name ?? "your company";
      return html(consentPage({ app: auth.app, scopes: auth.scopes, customerName, state: auth.state }));
    }),

    http.post(`${base}${MOCK_OAUTH_PREFIX}/authorize`, async ({ request }) => {
      const form = new URLSearchParams(await readBodyText(request));
      const decision = form.get("decision");
      const target = platform.oauthDecide(form.get("state") ?? "", decision === "allow");
      if (!target) return html(messagePage("Authorization expired", "This authorization request is unknown or expired. Close this window and try again."), 400);
      return new HttpResponse(null, { status: 303, headers: { Location: target, "Cache-Control": "no-store" } });
    }),

    http.post(`${base}${MOCK_OAUTH_PREFIX}/token`, async ({ request }) => {
      const form = new URLSearchParams(await readBodyText(request));
      if (form.get("grant_type") !== "authorization_code") {
        return HttpResponse.json({ error: "unsupported_grant_type" }, { status: 400 });
      }
      const result = platform.oauthToken(form.get("code") ?? "", form.get("redirect_uri") ?? "");
      if (!result.ok) return HttpResponse.json({ error: result.error, error_description: result.message }, { status: 400 });
      return HttpResponse.json(
        {
          access_token: result.grant.accessToken,
          refresh_token: result.grant.refreshToken,
          token_type: "Bearer",
          expires_in: 3600,
          scope: result.grant.scopes.join(" "),
        },
        { headers: { "Cache-Control": "no-store" } },
      );
    }),

    // ---------------------------------------------------------------- organization API
    ...createOrgHandlers(platform, { api, route, json }),

    // ---------------------------------------------------------------- scenario switch (demo/test mode)
    ...(options.scenarioApi
      ? [
          http.get(
            `${base}${scenarioPath()}`,
            route(({ request }) => json(scenarioState, platform.scenario.state(), request, { headers: { "Cache-Control": "no-store" } }), { scenario: false }),
          ),
          http.put(
            `${base}${scenarioPath()}`,
            route(async ({ request }) => {
              const fromQuery = new URL(request.url).searchParams.get("scenario");
              const { value } = await readJsonBody(request);
              const body =
                value === undefined && fromQuery !== null
                  ? { scenario: parseWith(scenarioName, fromQuery, "scenario") }
                  : parseWith(scenarioRequest, value, "scenario request");
              return json(scenarioState, platform.scenario.set(body), request, { headers: { "Cache-Control": "no-store" } });
            }, { scenario: false }),
          ),
        ]
      : []),

    // ---------------------------------------------------------------- anything else under the API
    http.all(
      api("/*"),
      route(({ request }) => {
        throw new PlatformError(ApiErrorCode.NotFound, `No route ${request.method} ${new URL(request.url).pathname}.`);
      }),
    ),
  ];
  return { handlers, webhook };
}
