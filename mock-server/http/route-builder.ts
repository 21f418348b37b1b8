/**
 * The route table's rows, each saying only what is its own: `customerApi` and `orgApi` give a
 * side's tag and credential once, and a row names its path, operation, summary, answers and the
 * handler. What a kind of route always does is done here, once, instead of in every handler:
 *
 * - `body`: the JSON body is read and checked with its schema before the handler (400 naming the
 *   first bad field); the handler gets `body`. `{ optional }`: an empty body reads as `{}`.
 * - `query` (a schema): the handler's `query` is the parameters parsed with it (`parseQuery`:
 *   strict, number parameters as whole numbers; 400 naming the first bad one), parsed when the
 *   handler first reads it, so a row that reads its query its own way (`readQuery`,
 *   `readPageQuery`: a repeat refused, an empty value skipped) and documents it here keeps doing so.
 * - `query: "none"`: any query parameter is refused by name (400).
 * - `idempotent`: the Idempotency-Key header is documented, the handler gets the key and the
 *   request's fingerprint (`idempotency`) and returns the domain's stored answer, which is sent
 *   with its status and `Idempotent-Replayed`.
 * - the handler returns the answer's value; it is sent with the first documented status, checked
 *   against its schema by the route wrapper (msw-handlers.ts). A handler that picks among several
 *   statuses returns `reply(value, { status })`.
 * - the error codes these imply (BAD_REQUEST for a query or a body, INVALID_JSON, the two
 *   idempotency conflicts) are documented without being listed.
 *
 * The result is an ordinary route (route.ts): MSW registration, the OpenAPI generator and the
 * conformance suite read it like any other. Routes that do something else keep `apiRoute`.
 */
import type * as z from "zod/mini";
import { ApiErrorCode as C } from "../../contract/errors.ts";
import { readJsonBody } from "./request-body.ts";
import { parseQuery, refuseQuery } from "./request-input.ts";
import { idempotency, replayInit } from "./idempotent.ts";
import { IDEMPOTENCY_KEY, type ApiRoute, type Auth, type BodySpec, type Credential, type Method, type RequestContext, type Tag } from "./route.ts";
import type { SchemaName, SchemaValue } from "./schemas.ts";
import type { Idempotency, StoredAnswer } from "../domain/idempotency.ts";

/** A documented answer: its status, what it means and its body's schema. */
type Answer = readonly [status: number, description: string, schema: SchemaName];

export interface RouteSpec {
  /** The operationId. */
  id: string;
  /** The names of the path function's parameters, in order. */
  params?: readonly string[];
  summary: string;
  query?: z.ZodMiniObject | "none";
  body?: SchemaName | { optional: SchemaName; description?: string };
  /** `"unless dry run"`: the key may be left out of a request with `dryRun: true`. */
  idempotent?: true | "unless dry run";
  /** One answer, or several (the first is the one a plain value is sent with). */
  ok: Answer | readonly Answer[];
  /** The error codes besides the implied ones, in the order the document lists them. */
  errors?: readonly C[];
}

type AnswerSchema<O> = O extends Answer ? O[2] : O extends readonly Answer[] ? O[number][2] : never;
type Value<S extends RouteSpec> = SchemaValue<AnswerSchema<S["ok"]>>;
type QueryOf<S extends RouteSpec> = S extends { query: infer Q extends z.ZodMiniObject } ? z.infer<Q> : undefined;
type BodyOf<S extends RouteSpec> = S extends { body: infer N extends SchemaName } ? SchemaValue<N> : S extends { body: { optional: infer N extends SchemaName } } ? SchemaValue<N> : undefined;
type Stored<S extends RouteSpec> = StoredAnswer<Value<S>>;
type Output<S extends RouteSpec> = S extends { idempotent: true | "unless dry run" } ? Stored<S> : Value<S> | Response;

export type RouteContext<A extends Auth, S extends RouteSpec> = RequestContext &
  Credential<A> & {
    body: BodyOf<S>;
    /** The query parameters, parsed with the row's `query` schema (on first read). */
    query: QueryOf<S>;
    /** What an idempotent write is bound to (only for `idempotent` routes). */
    idempotency: S extends { idempotent: true | "unless dry run" } ? Idempotency : undefined;
    /** An answer with another documented status than the first. */
    reply(value: Value<S>, init: { status: number }): Response;
  };

const UNLESS_DRY_RUN = { ...IDEMPOTENCY_KEY, description: `Required unless \`dryRun\` is true. ${IDEMPOTENCY_KEY.description}` };

function define<A extends Auth>(tag: Tag, auth: A) {
  const route =
    (method: Method) =>
    <const S extends RouteSpec>(path: (...args: string[]) => string, spec: S, handler: (ctx: RouteContext<A, S>) => Output<S> | Promise<Output<S>>): ApiRoute => {
      const answers = (typeof spec.ok[0] === "number" ? [spec.ok] : spec.ok) as readonly Answer[];
      const given: RouteSpec["body"] = spec.body;
      const optional = typeof given === "object";
      const bodySchema = optional ? given.optional : given;
      const body: BodySpec | undefined = optional ? { schema: given.optional, required: false, ...(given.description ? { description: given.description } : {}) } : given && { schema: given };
      const implied = [
        ...(spec.query || bodySchema ? [C.BadRequest] : []),
        ...(bodySchema ? [C.InvalidJson] : []),
      ];
      return {
        method, path, tag, auth, operationId: spec.id, summary: spec.summary,
        ...(spec.params && { params: spec.params }),
        ...(typeof spec.query === "object" && { query: spec.query }),
        ...(spec.idempotent && { headers: [spec.idempotent === true ? IDEMPOTENCY_KEY : UNLESS_DRY_RUN] }),
        ...(body && { body }),
        responses: answers.map(([status, description, schema]) => ({ status, description, schema })),
        errors: [...new Set([...implied, ...(spec.errors ?? []), ...(spec.idempotent ? [C.IdempotencyKeyReused, C.IdempotencyInProgress] : [])])],
        async handle(ctx) {
          if (spec.query === "none") refuseQuery(ctx.request);
          const raw = bodySchema || spec.idempotent ? await readJsonBody(ctx.request) : undefined;
          const value = bodySchema ? ctx.parseBody(optional ? (raw?.value ?? {}) : raw?.value, "request body") : undefined;
          const stored = spec.idempotent && raw ? await idempotency(ctx.request, raw) : undefined;
          const schema = typeof spec.query === "object" ? spec.query : undefined;
          let query: unknown;
          const given = {
            ...ctx,
            body: value,
            idempotency: stored,
            get query() {
              return schema && (query ??= parseQuery(ctx.request, schema));
            },
          };
          const out: unknown = await handler(given as unknown as RouteContext<A, S>);
          // The wrapper checks the value against the schema documented for its status.
          const reply = ctx.reply as (value: unknown, init: { status: number; headers?: Record<string, string> }) => Response;
          if (out instanceof Response) return out;
          if (spec.idempotent) return reply((out as Stored<S>).body, replayInit(out as Stored<S>));
          return reply(out, { status: answers[0][0] });
        },
      };
    };
  return { get: route("get"), post: route("post"), put: route("put"), patch: route("patch"), delete: route("delete") };
}

/** Customer-scoped routes: a customer JWT, verified before the handler; the handler gets `caller`. */
export const customerApi = define("customer", "customer");

/** Organization API routes: an organization API key, server to server; the handler gets `organization`. */
export const orgApi = define("organization", "org");
