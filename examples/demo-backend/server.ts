/**
 * The demo host app's backend: serves the example host pages and the SDK bundle, and signs
 * customer JWTs (POST /api/emporium-token). Copy the token endpoint into your own backend;
 * everything else here is demo scaffolding.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { demoCustomers, signDemoToken, type DemoCustomerId } from "./token.ts";
import { proxyOrgApi } from "./org-api-proxy.ts";
import { themeTokens } from "../../contract/theme.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".map": "application/json",
};

/** URL prefix → folder (relative to the repo root) served as static files. */
const mounts: Array<[prefix: string, dir: string]> = [
  ["/sdk/", "dist/sdk"],
  ["/custom-ui/", "examples/custom-ui"],
  ["/org-console/", "examples/org-console"],
  ["/react-host/", "dist/examples/react-host"],
  ["/vue-host/", "dist/examples/vue-host"],
  ["/", "examples/plain"],
];

export interface HostServerOptions {
  /** Port to listen on; 0 picks a free one. */
  port: number;
  host?: string;
  /** Origin of the platform that serves the marketplace frame, e.g. http://127.0.0.1:4100. */
  platformOrigin: string;
  /** Organization id of this host app on the platform. */
  organization?: string;
  /**
   * The organization API key the org console's proxy (/api/org/*) adds server-side; default
   * EMPORIUM_ORG_API_KEY, else the public demo key. It never reaches the browser.
   */
  orgApiKey?: string;
}

/** The Content-Security-Policy the demo host pages are served with (docs/security.md, "CSP for the host page"). */
export function hostPageCsp(platformOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${platformOrigin}`,
    `frame-src ${platformOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    // No string reaches a script sink (innerHTML, eval, script src from a string) without a
    // Trusted Types policy; the SDK, its entries and these pages use none.
    "require-trusted-types-for 'script'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}) {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", ...extra });
  res.end(body);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 4096) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
}

/** Starts the demo host server; resolves with its URL and a close function. */
export async function startHostServer(options: HostServerOptions): Promise<{ url: string; close(): Promise<void> }> {
  const organization = options.organization ?? "demo";
  let origin = "";
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", origin);
      if (url.pathname === "/api/demo-config" && req.method === "GET") {
        return send(res, 200, JSON.stringify({
          frameUrl: `${options.platformOrigin}/frame/`,
          platformOrigin: options.platformOrigin,
          organization,
          customers: Object.values(demoCustomers).map((c) => ({ id: c.customer, name: c.customer_name, user: c.name })),
        }), "application/json");
      }
      // The demo page's theme editor lists the tokens from the contract, so it never drifts.
      if (url.pathname === "/api/theme-tokens" && req.method === "GET") {
        return send(res, 200, JSON.stringify(themeTokens), "application/json");
      }
      if (url.pathname === "/api/emporium-token" && req.method === "POST") {
        // Only this app's own pages may mint tokens (a real backend would use its session cookie).
        if (req.headers.origin !== origin) return send(res, 403, JSON.stringify({ error: "cross-origin token request refused" }), "application/json");
        const body = (await readJson(req)) as { customer?: string; role?: string; ttlSeconds?: number };
        const customer = body.customer as DemoCustomerId;
        if (!Object.hasOwn(demoCustomers, customer)) return send(res, 400, JSON.stringify({ error: "unknown demo customer" }), "application/json");
        const role = body.role === "viewer" ? "viewer" : "admin";
        const ttl = Number.isInteger(body.ttlSeconds) && body.ttlSeconds! >= 5 && body.ttlSeconds! <= 3600 ? body.ttlSeconds : 600;
        const token = await signDemoToken(customer, { role, ttlSeconds: ttl });
        return send(res, 200, JSON.stringify({ token }), "application/json");
      }
      if (url.pathname.startsWith("/api/org/")) {
        return await proxyOrgApi(req, res, { ownOrigin: origin, platformOrigin: options.platformOrigin, ...(options.orgApiKey ? { apiKey: options.orgApiKey } : {}) });
      }
      if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "Method not allowed", "text/plain");
      const mount = mounts.find(([prefix]) => url.pathname.startsWith(prefix));
      if (!mount) return send(res, 404, "Not found", "text/plain");
      const [prefix, dir] = mount;
      let rel = decodeURIComponent(url.pathname.slice(prefix.length));
      if (rel === "" || rel.endsWith("/")) rel += "index.html";
      const base = join(root, dir);
      const file = normalize(join(base, rel));
      if (!file.startsWith(base + sep)) return send(res, 404, "Not found", "text/plain");
      const body = await readFile(file).catch(() => null);
      if (!body) return send(res, 404, "Not found", "text/plain");
      const type = types[extname(file)] ?? "application/octet-stream";
      const extra: Record<string, string> = type.startsWith("text/html")
        ? { "Content-Security-Policy": hostPageCsp(options.platformOrigin), "Referrer-Policy": "strict-origin-when-cross-origin" }
        : {};
      return send(res, 200, body, type, extra);
    } catch (error) {
      return send(res, 500, JSON.stringify({ error: (error as Error).message }), "application/json");
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? "localhost", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  origin = `http://${options.host ?? "localhost"}:${port}`;
  return {
    url: origin,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const platformOrigin = process.env.EMPORIUM_PLATFORM_ORIGIN ?? "http://127.0.0.1:4100";
  const { url } = await startHostServer({ port: Number(process.env.PORT ?? 4000), platformOrigin });
  console.log(`demo host app on ${url}`);
}
