/**
 * The route table (route-table.ts) as MSW handlers: one set for every transport — Node tests
 * (setupServer), the local HTTP server (getResponse) and the service worker. Around the table:
 * a guard for malformed paths, the CORS preflight, and a typed 404 for anything else under the
 * API. API routes run behind one wrapper: the scenario applies first, then the declared
 * credential is verified, typed errors become API errors, answers are checked against the
 * contract (a response that breaks it is a platform bug: 500 SERVER_ERROR), CORS headers are
 * added for allowed host origins.
 */
import { http, HttpResponse, type HttpHandler } from "msw";
import { API_PREFIX } from "../../contract/api.ts";
import { SCENARIO_HEADER } from "../../contract/scenario.ts";
import { ApiErrorCode, PlatformError } from "../domain/errors.ts";
import { bearerToken, type Caller } from "../domain/sessions.ts";
import type { OrganizationRecord } from "../domain/store.ts";
import type { Platform } from "../domain/platform.ts";
import { answerResponse, contractAnswer, contractViolation, errorAnswer, scenarioGate, unsaved, type Answer, type ContractViolationListener } from "./answer.ts";
import { answerWebhook, type WebhookCall } from "./webhook-answer.ts";
import { parseWith } from "./request-input.ts";
import { schemaOf } from "./schemas.ts";
import { allowedMethods, routeTable } from "./route-table.ts";
import { mswPattern, type ApiRoute, type RawContext, type RequestContext, type Route } from "./route.ts";

export interface HandlerOptions {
  /**
   * Origin the handlers answer for: "*" (default) matches any origin, which is what Node tests
   * and the HTTP server need; a service worker may pass its own origin.
   */
  origin?: string;
  /** Called when a response fails its contract schema (it is answered as a 500). */
  onContractViolation?: ContractViolationListener;
  /**
   * Serve the mock-only routes, `GET/PUT /api/v1/_scenario` (demo and test mode only; default
   * false). Without it the scenario can still be set in code (`platform.scenario.set`) or at
   * server start.
   */
  scenarioApi?: boolean;
  /** How the slow-network scenario waits (default: a real timer); tests pass a controllable one. */
  sleep?: (ms: number) => Promise<void>;
}

/** The MSW handlers, plus the webhook route's answer for transports that dispatch it directly. */
export interface PlatformRoutes {
  handlers: HttpHandler[];
  /**
   * `POST /api/v1/webhooks/:token` as a plain function (webhook-answer.ts), the one its route
   * wraps. The HTTP server calls it straight from node:http: msw's generic dispatch and fetch
   * Request/Response objects cost several times the work of the flow itself.
   */
  webhook(call: WebhookCall): Promise<Answer>;
}

const CORS_ALLOW_HEADERS = "Authorization, Content-Type, Idempotency-Key, Prefer";
const CORS_EXPOSE_HEADERS = `Retry-After, Idempotent-Replayed, Preference-Applied, ${SCENARIO_HEADER}`;
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Params = Record<string, string | readonly string[] | undefined>;

function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** What the API wrapper needs of a route. */
type Wrapped = Pick<ApiRoute, "auth" | "operationId" | "responses" | "body" | "cors" | "scenario" | "handle">;

/** Not a route of the table: what answers a path no route matches (through the same wrapper). */
const notFound = (message: (request: Request) => string, served: (route: Route) => boolean): Wrapped => ({
  auth: "none",
  operationId: "notFound",
  responses: [],
  handle({ request }) {
    // A path that exists with other methods: 405 naming them (P5), not a 404 that says it does not exist.
    const allowed = allowedMethods(new URL(request.url).pathname, served);
    if (allowed.length > 0) throw new MethodNotAllowed(request.method, allowed);
    throw new PlatformError(ApiErrorCode.NotFound, message(request));
  },
});

class MethodNotAllowed extends PlatformError {
  constructor(
    method: string,
    readonly allowed: string[],
  ) {
    super(ApiErrorCode.MethodNotAllowed, `${method} is not served on this path; it takes ${allowed.join(", ")}.`);
  }
}

/** What every API answer carries (checklist P8): never cached by a browser or proxy, never sniffed. */
function apiHeaders(response: Response): Response {
  response.headers.set("Cache-Control", "no-store");
  response.headers.set("X-Content-Type-Options", "nosniff");
  return response;
}

/** The platform's MSW handlers: one set for every transport. */
export function createHandlers(platform: Platform, options: HandlerOptions = {}): HttpHandler[] {
  return createPlatformRoutes(platform, options).handlers;
}

/** Builds the handlers and exposes the webhook answer they share (see `PlatformRoutes`). */
export function createPlatformRoutes(platform: Platform, options: HandlerOptions = {}): PlatformRoutes {
  const base = options.origin ?? "*";
  const api = (path: string) => `${base}${API_PREFIX}${path}`;
  const onViolation = options.onContractViolation;
  const sleep = options.sleep ?? realSleep;

  const requestContext = (request: Request, params: Params): RequestContext => ({
    platform,
    request,
    params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : String(v ?? "")])),
    origin: new URL(request.url).origin,
  });

  /**
   * The API wrapper (see the file header). A stopping platform refuses the request first (503
   * SERVICE_UNAVAILABLE, Retry-After: nothing of it applied); an admitted one is work its stop
   * waits for until the answer is built (`admitted`: it called requestDone once).
   */
  const wrap =
    (route: Wrapped) =>
    async (info: { request: Request; params: Params }): Promise<Response> => {
      const admitted = { yes: false };
      try {
        return await answer(route, info, admitted);
      } finally {
        if (admitted.yes) platform.requestDone();
      }
    };

  const answer = async (route: Wrapped, { request, params }: { request: Request; params: Params }, admitted: { yes: boolean }): Promise<Response> => {
    const base = requestContext(request, params);
    const path = new URL(request.url).pathname;
    let caller: Caller | undefined;
    let response: Response;
    try {
      platform.admitRequest();
      admitted.yes = true;
      const blocked = route.scenario === false ? undefined : await scenarioGate(platform, sleep, onViolation, request.url);
      if (blocked) {
        response = answerResponse(blocked);
      } else {
        const credential: { caller?: Caller; organization?: OrganizationRecord } = {};
        if (route.auth === "customer") {
          const token = bearerToken(request.headers.get("authorization"));
          platform.scenario.checkToken(token);
          credential.caller = caller = await platform.access.authenticate(token);
        } else if (route.auth === "org") {
          credential.organization = await platform.access.authenticateOrganization(request.headers.get("authorization"));
        }
        response = await route.handle({
          ...base,
          ...(credential as { caller: Caller; organization: OrganizationRecord }),
          reply(body, init = {}) {
            const status = init.status ?? 200;
            const documented = route.responses.find((r) => r.status === status && r.schema);
            // A status the table does not document breaks the contract as much as a wrong body.
            if (!documented?.schema) return answerResponse(contractViolation([{ message: `${status} is not a documented answer of ${route.operationId}` }], onViolation, path));
            return answerResponse(contractAnswer(schemaOf(documented.schema), body, { ...init, status }, onViolation, path));
          },
          parseBody(value, what) {
            if (!route.body || !("schema" in route.body)) throw new Error(`${route.operationId} declares no body schema`);
            return parseWith(schemaOf(route.body.schema), value, what);
          },
        });
      }
    } catch (error) {
      response = answerResponse(errorAnswer(error, onViolation, request.url));
      if (error instanceof MethodNotAllowed) response.headers.set("Allow", [...error.allowed, "OPTIONS"].join(", "));
    }
    // Whatever the answer, nothing it reports may be lost: it leaves once the changes are durable.
    const refused = await unsaved(platform, onViolation, path);
    if (refused) response = answerResponse(refused);
    if (platform.scenario.name !== "none") response.headers.set(SCENARIO_HEADER, platform.scenario.name);
    const requestOrigin = request.headers.get("origin");
    if (route.cors !== false && route.auth !== "org" && requestOrigin) {
      const allowed = caller ? caller.organization.allowedOrigins.includes(requestOrigin) : platform.access.isAllowedOriginOfAnyOrganization(requestOrigin);
      if (allowed) {
        response.headers.set("Access-Control-Allow-Origin", requestOrigin);
        response.headers.set("Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS);
      }
      response.headers.append("Vary", "Origin");
    }
    return apiHeaders(response);
  };

  /** The routes this set of handlers serves (mock-only ones in demo/test mode only). */
  const served = (route: Route) => !route.mockOnly || options.scenarioApi === true;
  const rawContext = (request: Request, params: Params): RawContext => ({ ...requestContext(request, params), sleep, ...(onViolation ? { onViolation } : {}) });
  const resolver = (route: Route) =>
    "serve" in route
      ? async ({ request, params }: { request: Request; params: Params }) => {
          const path = new URL(request.url).pathname;
          try {
            platform.admitRequest();
          } catch (error) {
            return apiHeaders(answerResponse(errorAnswer(error, onViolation, path)));
          }
          try {
            const response = await route.serve(rawContext(request, params));
            const refused = await unsaved(platform, onViolation, path);
            return apiHeaders(refused ? answerResponse(refused) : response);
          } finally {
            platform.requestDone();
          }
        }
      : wrap(route);

  const handlers: HttpHandler[] = [
    // msw decodes path parameters with decodeURIComponent while matching and throws on a
    // malformed escape (`/instances/%`), which would fail the whole dispatch (a 500 over HTTP).
    // This guard runs first and answers such paths itself: they cannot name anything.
    http.all(({ request }) => {
      const url = new URL(request.url);
      return (base === "*" || url.origin === base) && url.pathname.startsWith(`${API_PREFIX}/`) && !decodable(url.pathname);
    }, wrap(notFound(() => "No route matches this path (its percent-encoding is malformed).", served)),
    ),

    http.options(api("/*"), ({ request }) => {
      const origin = request.headers.get("origin");
      const headers = new Headers({ Vary: "Origin" });
      if (origin && platform.access.isAllowedOriginOfAnyOrganization(origin)) {
        headers.set("Access-Control-Allow-Origin", origin);
        headers.set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE");
        headers.set("Access-Control-Allow-Headers", CORS_ALLOW_HEADERS);
        headers.set("Access-Control-Max-Age", "600");
      }
      return apiHeaders(new HttpResponse(null, { status: 204, headers }));
    }),

    ...routeTable.filter(served).map((route) => http[route.method](`${base}${mswPattern(route)}`, resolver(route))),

    http.all(api("/*"), wrap(notFound((request) => `No route ${request.method} ${new URL(request.url).pathname}.`, served))),
  ];

  const webhookOptions = { sleep, ...(onViolation ? { onViolation } : {}) };
  return { handlers, webhook: (call) => answerWebhook(platform, call, webhookOptions) };
}
