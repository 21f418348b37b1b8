/**
 * The org console's only way to the organization API: `/api/org/<rest>` on this backend is
 * forwarded to `<platform>/api/v1/org/<rest>` with the organization API key added here, so the
 * key never reaches a browser. Copy this into your own backend behind your staff login: whoever
 * may call it acts as the whole organization, for every customer.
 *
 * What it refuses: a request without a signed-in user (401) or from one who is not the
 * organization's staff (403) — the demo's session (session.ts) stands in for your login; requests
 * from another origin (CSRF: the Origin header must be this backend's own for anything but GET),
 * paths that resolve outside /api/v1/org/, other methods, bodies over 256 KiB. It forwards only Content-Type and Idempotency-Key, and answers with the
 * platform's status and JSON body (no platform headers, no cookies).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { DEMO_ORG_API_KEY } from "../../mock-server/index.ts";
import type { DemoSession } from "./session.ts";

const MAX_BODY = 256 * 1024;
const METHODS = new Set(["GET", "POST", "PATCH", "DELETE"]);
const ALLOW = [...METHODS].join(", ");

export interface OrgApiProxyOptions {
  /** This backend's origin (the org console's). */
  ownOrigin: string;
  platformOrigin: string;
  /** Default: EMPORIUM_ORG_API_KEY, else the public demo key. */
  apiKey?: string;
  /** The request's signed-in user, if any (your own login in production). */
  session: DemoSession | undefined;
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", ...headers });
  res.end(text);
}

/** Every refusal of the demo backend's API, the proxy's and the server's (server.ts), has this one shape: `{ error: { code, message } }`. */
export const refuse = (res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  answer(res, status, { error: { code, message } }, headers);
/** What a request without a live session is told (401 SIGN_IN_REQUIRED). */
export const SIGNED_OUT = "You are not signed in (or your session ended): reload the page to sign in again.";

export async function proxyOrgApi(req: IncomingMessage, res: ServerResponse, options: OrgApiProxyOptions): Promise<void> {
  const method = req.method ?? "GET";
  if (!options.session) return refuse(res, 401, "SIGN_IN_REQUIRED", SIGNED_OUT);
  if (!options.session.staff) return refuse(res, 403, "FORBIDDEN", "Only the organization's staff may use the org console.");
  // The platform's own answer to a method a path does not serve (docs/api.md): 405 with `Allow`.
  if (!METHODS.has(method)) return refuse(res, 405, "METHOD_NOT_ALLOWED", `${method} is not forwarded.`, { Allow: ALLOW });
  if (method !== "GET" && req.headers.origin !== options.ownOrigin) {
    return refuse(res, 403, "FORBIDDEN", "Only the org console's own pages may call this proxy.");
  }
  const incoming = new URL(req.url ?? "/", options.ownOrigin);
  const rest = incoming.pathname.slice("/api/org/".length);
  const target = new URL(`/api/v1/org/${rest}${incoming.search}`, options.platformOrigin);
  // `%2e%2e` segments are resolved by the URL parser: whatever they become must stay in the org API.
  if (target.origin !== new URL(options.platformOrigin).origin || !target.pathname.startsWith("/api/v1/org/")) {
    return refuse(res, 404, "NOT_FOUND", "No such organization API path.");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return refuse(res, 413, "PAYLOAD_TOO_LARGE", "The request body is too large.");
    chunks.push(chunk as Buffer);
  }
  const headers = new Headers({ Authorization: `Bearer ${options.apiKey ?? process.env.EMPORIUM_ORG_API_KEY ?? DEMO_ORG_API_KEY}` });
  for (const name of ["content-type", "idempotency-key"]) {
    const value = req.headers[name];
    if (typeof value === "string") headers.set(name, value);
  }
  let upstream: Response;
  try {
    upstream = await fetch(target, { method, headers, ...(size > 0 ? { body: Buffer.concat(chunks) } : {}), redirect: "error" });
  } catch {
    return refuse(res, 502, "SERVICE_UNAVAILABLE", "The platform did not answer.");
  }
  const text = await upstream.text();
  res.writeHead(upstream.status, {
    "Content-Type": upstream.headers.get("content-type") ?? "application/json",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  res.end(text);
}
