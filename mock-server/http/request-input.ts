/**
 * Checking what a request carries besides its body's bytes (request-body.ts reads those): a value
 * against a contract schema, query parameters, times, and the fingerprint an Idempotency-Key is
 * bound to. Each failure is a 400 BAD_REQUEST that says what was expected.
 */
import * as z from "zod/mini";
import type { usageQuery } from "../../contract/api-observe.ts";
import { ApiErrorCode, PlatformError } from "../domain/errors.ts";

/** `value` checked with a contract schema: 400 BAD_REQUEST naming the first bad field. */
export function parseWith<T>(schema: z.ZodMiniType<T>, value: unknown, what: string): T {
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue.path.join(".");
  throw new PlatformError(ApiErrorCode.BadRequest, `Invalid ${what}${path ? ` at ${path}` : ""}: ${issue.message}`);
}

/** For endpoints that take no query parameters: any one is refused by name. */
export function refuseQuery(request: Request): void {
  const keys = [...new URL(request.url).searchParams.keys()];
  if (keys.length > 0) throw new PlatformError(ApiErrorCode.BadRequest, `This endpoint takes no query parameters; got "${keys[0]}".`);
}

/**
 * A page query (`limit`, `cursor`) of a list that takes nothing else: any other or repeated
 * parameter, or a limit out of range, is a 400 that says what is allowed.
 */
export function readPageQuery(request: Request, maxLimit: number): { limit?: number; cursor?: string } {
  const page: { limit?: number; cursor?: string } = {};
  const seen = new Set<string>();
  for (const [key, value] of new URL(request.url).searchParams) {
    if (key !== "limit" && key !== "cursor") throw new PlatformError(ApiErrorCode.BadRequest, `Unknown query parameter "${key}"; use limit and cursor.`);
    if (seen.has(key)) throw new PlatformError(ApiErrorCode.BadRequest, `"${key}" is given more than once.`);
    seen.add(key);
    if (key === "limit") {
      if (!/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > maxLimit) {
        throw new PlatformError(ApiErrorCode.BadRequest, `"limit" must be a whole number from 1 to ${maxLimit}.`);
      }
      page.limit = Number(value);
    } else if (value !== "") page.cursor = value;
  }
  return page;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * The span a usage report covers (the customer's and the organization's), from its parsed query:
 * a billing `period`, or `from`–`to` (ISO times; default the last 30 days up to now). Both at
 * once is a 400.
 */
export function usageSpan(query: z.infer<typeof usageQuery>, now: number): "current" | "previous" | { from: number; to: number } {
  if (query.period !== undefined) {
    if (query.from !== undefined || query.to !== undefined) throw new PlatformError(ApiErrorCode.BadRequest, "Ask for a period or for from/to, not both.");
    return query.period;
  }
  const to = parseTime(query.to ?? null, now, "to");
  return { from: parseTime(query.from ?? null, to - 30 * DAY_MS, "from"), to };
}

/** An ISO date-time query parameter; `fallback` when absent or empty. */
function parseTime(value: string | null, fallback: number, name: string): number {
  if (value === null || value === "") return fallback;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new PlatformError(ApiErrorCode.BadRequest, `"${name}" must be an ISO date-time.`);
  return time;
}

/**
 * What an Idempotency-Key is bound to: method, path and a digest of the body (an empty body counts
 * as `{}`), so a retry matches and the same key with another body is told apart.
 */
export async function requestFingerprint(request: Request, body: { text: string; value: unknown }): Promise<string> {
  const canonical = body.text.trim() === "" ? "{}" : JSON.stringify(body.value);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${request.method} ${new URL(request.url).pathname} ${hex}`;
}

/** A query schema's number parameters (each a whole number in the contract: `limit`, `wait`), which the URL gives as text. */
const numberKeys = (schema: z.ZodMiniObject): string[] =>
  Object.keys(schema.shape).filter((key) => {
    let def = schema.shape[key]._zod.def;
    while (def.type === "optional") def = (def as z.core.$ZodOptionalDef).innerType._zod.def;
    return def.type === "number";
  });

/**
 * The query parameters of `request` checked with a contract schema (a strict object: an unknown
 * parameter is refused by name). Its number parameters must be whole numbers; a parameter given
 * twice keeps its last value.
 */
export function parseQuery<S extends z.ZodMiniObject>(request: Request, schema: S): z.infer<S> {
  const integers = numberKeys(schema);
  const raw: Record<string, unknown> = {};
  for (const [key, value] of new URL(request.url).searchParams) {
    if (!integers.includes(key)) raw[key] = value;
    else if (/^\d{1,9}$/.test(value)) raw[key] = Number(value);
    else throw new PlatformError(ApiErrorCode.BadRequest, `"${key}" must be a whole number.`);
  }
  return parseWith(schema, raw, "query") as z.infer<S>;
}

/** The query parameters of an endpoint that takes only `allowed` ones, each at most once; anything else is refused by name. */
export function readQuery(request: Request, allowed: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URL(request.url).searchParams) {
    if (!allowed.includes(key)) {
      throw new PlatformError(ApiErrorCode.BadRequest, allowed.length ? `Unknown query parameter "${key}"; use ${allowed.join(", ")}.` : `This endpoint takes no query parameters; got "${key}".`);
    }
    if (Object.hasOwn(out, key)) throw new PlatformError(ApiErrorCode.BadRequest, `"${key}" is given more than once.`);
    out[key] = value;
  }
  return out;
}

/** `?version=`, the only query of a definition read: its schema (for the OpenAPI) and its reading. */
export const versionQuery = z.object({ version: z.optional(z.int()) });
export const readVersionQuery = (request: Request): number | undefined => parseVersion(readQuery(request, ["version"]).version);

/** An optional version number from a query parameter: a whole number from 1. */
export function parseVersion(value: string | undefined, name = "version"): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^[1-9]\d{0,6}$/.test(value)) throw new PlatformError(ApiErrorCode.BadRequest, `"${name}" must be a whole number from 1.`);
  return Number(value);
}
