/**
 * What one route of the platform is: its method and contract path, what it takes and answers
 * (by schema name, see schemas.ts), which credential it needs, its documentation, and the
 * handler. The MSW registration (msw-handlers.ts) and the OpenAPI generator (openapi.ts) both
 * read the same entries (route-table.ts), so a documented answer, credential or body schema is
 * also the one that runs: the wrapper verifies the declared credential before the handler, and
 * checks every JSON answer against the schema documented for its status.
 */
import type * as z from "zod/mini";
import type { ApiErrorCode } from "../../contract/errors.ts";
import type { Platform } from "../domain/platform.ts";
import type { Caller } from "../domain/sessions.ts";
import type { OrganizationRecord } from "../domain/store.ts";
import type { ContractViolationListener } from "./answer.ts";
import type { SchemaName, SchemaValue } from "./schemas.ts";

export type Method = "get" | "post" | "put" | "patch" | "delete";

/** The credential a route takes: a customer JWT, an organization API key, or none. */
export type Auth = "customer" | "org" | "none";

export type Tag = "public" | "customer" | "organization" | "mock platform" | "mock OAuth provider";

export interface ResponseSpec {
  status: number;
  description: string;
  /** The JSON body's schema, by name. */
  schema?: SchemaName;
  html?: true;
  /** An image (the body is its bytes). */
  image?: true;
  headers?: Record<string, string>;
}

export type BodySpec = { schema: SchemaName; required?: boolean; description?: string } | { any: true; description: string };

export interface RouteInfo {
  method: Method;
  /** A path function of the contract and the names of its parameters, in order. */
  path: (...args: string[]) => string;
  params?: readonly string[];
  operationId: string;
  summary: string;
  tag: Tag;
  auth: Auth;
  /** A zod object whose properties are the query parameters. */
  query?: z.ZodMiniObject;
  body?: BodySpec;
  headers?: ReadonlyArray<{ name: string; description: string }>;
  responses: readonly ResponseSpec[];
  errors: readonly ApiErrorCode[];
  /** Served only in demo/test mode (HandlerOptions.scenarioApi); marked so in the OpenAPI document. */
  mockOnly?: true;
  /** Not part of the platform API, so left out of the OpenAPI document (the stand-in OAuth provider). */
  undocumented?: true;
  /** No CORS headers (the route sets its own, or is not for browsers). Organization routes never have them. */
  cors?: false;
  /** The failure-rehearsal scenario does not apply (the scenario switch itself). */
  scenario?: false;
}

/** The Idempotency-Key request header, as the deploy routes document it. */
export const IDEMPOTENCY_KEY = {
  name: "Idempotency-Key",
  description: "1–255 visible ASCII characters. A retry with the same key and body gets the stored answer (header Idempotent-Replayed: true); the same key with another body is 422 IDEMPOTENCY_KEY_REUSED; while the first is running, 409 IDEMPOTENCY_IN_PROGRESS.",
};

/** What every handler gets. */
export interface RequestContext {
  platform: Platform;
  request: Request;
  /** Path parameters by the route's names, decoded. */
  params: Record<string, string>;
  /** The origin webhook URLs and OAuth URLs are built from. */
  origin: string;
}

export type Credential<A extends Auth> = A extends "customer"
  ? { /** The verified customer. */ caller: Caller }
  : A extends "org"
    ? { /** The organization of the verified API key. */ organization: OrganizationRecord }
    : object;

/** The JSON bodies a route documents, by status. */
export type ReplyBody<R extends readonly ResponseSpec[]> = {
  [K in keyof R]: R[K] extends { schema: infer N extends SchemaName } ? SchemaValue<N> : never;
}[number];

type BodyValue<B> = B extends { schema: infer N extends SchemaName } ? SchemaValue<N> : unknown;

export type ApiContext<A extends Auth, R extends readonly ResponseSpec[], B> = RequestContext &
  Credential<A> & {
    /** A JSON answer, checked against the schema the route documents for `status` (default 200). */
    reply(body: ReplyBody<R>, init?: { status?: number; headers?: Record<string, string> }): Response;
    /** `value` checked with the route's body schema: 400 BAD_REQUEST naming the first bad field. */
    parseBody(value: unknown, what: string): BodyValue<B>;
  };

/**
 * A route behind the API wrapper: the scenario applies first, then the credential is verified,
 * typed errors become API errors, CORS headers are added for allowed origins.
 */
export interface ApiRoute extends RouteInfo {
  handle(ctx: ApiContext<Auth, readonly ResponseSpec[], unknown>): Response | Promise<Response>;
}

/** What a route that answers everything itself gets: the options its answers depend on. */
export interface RawContext extends RequestContext {
  sleep: (ms: number) => Promise<void>;
  onViolation?: ContractViolationListener;
}

/** A route that answers everything itself (the webhook's shared answer, the OAuth provider's pages). */
export interface RawRoute extends RouteInfo {
  serve(ctx: RawContext): Response | Promise<Response>;
}

export type Route = ApiRoute | RawRoute;

/** Declares an API route; the handler's context is typed from its credential, answers and body. */
export function apiRoute<const A extends Auth, const R extends readonly ResponseSpec[], const B extends BodySpec | undefined = undefined>(
  route: RouteInfo & { auth: A; responses: R; body?: B; handle(ctx: ApiContext<A, R, B>): Response | Promise<Response> },
): ApiRoute {
  return route as unknown as ApiRoute;
}

export function rawRoute(route: RawRoute): RawRoute {
  return route;
}

/** `paths.instance` → "/api/v1/instances/{instanceId}": the contract's own function builds the template. */
export function pathTemplate(fn: (...args: string[]) => string, params: readonly string[] = []): string {
  const marks = params.map((_, i) => `@@${i}@@`);
  let template = fn(...marks);
  params.forEach((name, i) => (template = template.replace(encodeURIComponent(marks[i]), `{${name}}`).replace(marks[i], `{${name}}`)));
  return template;
}

export const routeTemplate = (route: RouteInfo): string => pathTemplate(route.path, route.params);

/** The route's path as an MSW pattern: "/api/v1/instances/:instanceId". */
export const mswPattern = (route: RouteInfo): string => routeTemplate(route).replace(/\{([^}]+)\}/g, ":$1");
