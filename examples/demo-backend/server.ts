/**
 * The demo host app's backend: serves the example host pages and the SDK bundle, signs
 * customer JWTs for its signed-in user (POST /api/emporium-token) and forwards the org console to
 * the organization API (/api/org/*). Copy the token endpoint's checks into your own backend, behind
 * your own login; the fake sign-in (session.ts) is demo scaffolding, like the rest.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { demoCustomers, signDemoToken } from "./token.ts";
import { proxyOrgApi, refuse, SIGNED_OUT } from "./org-api-proxy.ts";
import { INBOX_PATH, NotificationInbox } from "./notification-inbox.ts";
import { DEMO_ORG_API_KEY, logFailure, logPath } from "../../mock-server/index.ts";
import { DemoSessions, defaultDemoUser, signInRequest, tokenGrant } from "./session.ts";
import { themeTokens } from "../../contract/theme.ts";
import { htmlDocument } from "../../build/html-document.ts";

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
  /**
   * Development only: a host page served without a live session signs in as the default demo
   * user (session.ts), so the demo opens at once. The token endpoint and the org proxy still
   * refuse any request without the session. Default: on, unless EMPORIUM_DEMO_AUTO_SIGN_IN=0.
   */
  autoSignIn?: boolean;
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

const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, JSON.stringify(body), "application/json");
/** The path with its %-escapes decoded, or undefined when one is malformed. */
function decodedPath(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

/** A small JSON body; undefined when it is too large or not JSON (the caller answers 400). */
async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 4096) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
  } catch {
    return undefined;
  }
}

/**
 * The signed-in users, one store for every demo backend in this process (as a shared session
 * store would be): cookies are not kept apart by port, so two demo backends on one host name
 * must agree on them.
 */
const sessions = new DemoSessions();

/**
 * Starts the demo host server; resolves with its URL, its notification inbox (call
 * `notifications.ensureEndpoint()` once the platform runs, to register it) and a close function.
 */
export async function startHostServer(options: HostServerOptions): Promise<{ url: string; notifications: NotificationInbox; close(): Promise<void> }> {
  const organization = options.organization ?? "demo";
  const autoSignIn = options.autoSignIn ?? process.env.EMPORIUM_DEMO_AUTO_SIGN_IN !== "0";
  let origin = "";
  let inbox: NotificationInbox | undefined;
  const secure = () => origin.startsWith("https:");
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", origin);
      // Everything that signs in, mints a token or writes must come from this app's own pages
      // (CSRF); the session cookie's SameSite=Strict is the first line, this is the second.
      const ownPage = req.headers.origin === origin;
      if (url.pathname === "/api/demo/sign-in" && req.method === "POST") {
        if (!ownPage) return refuse(res, 403, "FORBIDDEN", "Sign-in is only accepted from this app's own pages.");
        const user = signInRequest(await readJson(req));
        if (!user) return refuse(res, 400, "BAD_REQUEST", 'Not a demo sign-in: { customers?: ["acme-corp" | "globex"], role?: "admin" | "viewer", staff?: boolean }.');
        const session = sessions.signIn(req, res, user, secure());
        return json(res, 200, { memberships: session.memberships, staff: session.staff });
      }
      if (url.pathname === "/api/demo/sign-out" && req.method === "POST") {
        if (!ownPage) return refuse(res, 403, "FORBIDDEN", "Sign-out is only accepted from this app's own pages.");
        sessions.signOut(req, res, secure());
        return json(res, 200, {});
      }
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
        // The token is the user's key to the marketplace: only for this app's own pages, only for
        // its signed-in user, only for a workspace they belong to, with no more than their role.
        if (!ownPage) return refuse(res, 403, "FORBIDDEN", "Tokens are only given to this app's own pages.");
        const session = sessions.of(req);
        if (!session) return refuse(res, 401, "SIGN_IN_REQUIRED", SIGNED_OUT);
        const body = await readJson(req);
        if (typeof body !== "object" || body === null) return refuse(res, 400, "BAD_REQUEST", "The body must be a JSON object.");
        const { customer, role, ttlSeconds } = body as { customer?: unknown; role?: unknown; ttlSeconds?: unknown };
        const grant = tokenGrant(session, customer, role);
        if ("code" in grant) return refuse(res, grant.status, grant.code, grant.message);
        // Short-lived: 10 minutes unless the page asks for 5 s to 1 h (the platform's default maximum).
        const ttl = Number.isInteger(ttlSeconds) && (ttlSeconds as number) >= 5 && (ttlSeconds as number) <= 3600 ? (ttlSeconds as number) : 600;
        return json(res, 200, { token: await signDemoToken(grant.customer, { role: grant.role, ttlSeconds: ttl }) });
      }
      // Server to server: the platform's signed notifications (no session, no Origin: the signature authenticates).
      if (url.pathname === INBOX_PATH && req.method === "POST") return await inbox!.handle(req, res);
      if (url.pathname === `${INBOX_PATH}/received` && req.method === "GET") {
        const session = sessions.of(req);
        if (!session) return refuse(res, 401, "SIGN_IN_REQUIRED", SIGNED_OUT);
        if (!session.staff) return refuse(res, 403, "FORBIDDEN", "Only the organization's staff may see what the backend received.");
        return json(res, 200, { url: inbox!.url, received: inbox!.received() });
      }
      if (url.pathname.startsWith("/api/org/")) {
        await proxyOrgApi(req, res, {
          ownOrigin: origin,
          platformOrigin: options.platformOrigin,
          session: sessions.of(req),
          ...(options.orgApiKey ? { apiKey: options.orgApiKey } : {}),
        });
        // The console rotated a secret: the inbox takes the live ones (a real backend is redeployed with the new one).
        if (req.method === "POST" && url.pathname.endsWith("/secret/rotate") && res.statusCode === 200) await inbox!.refresh().catch(() => undefined);
        return;
      }
      if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "Method not allowed", "text/plain", { Allow: "GET, HEAD" });
      const mount = mounts.find(([prefix]) => url.pathname.startsWith(prefix));
      if (!mount) return send(res, 404, "Not found", "text/plain");
      const [prefix, dir] = mount;
      // A malformed escape (`/%E0`) is the client's mistake: 400, not the catch's 500.
      let rel = decodedPath(url.pathname.slice(prefix.length));
      if (rel === undefined) return send(res, 400, "Bad request: the path is not valid percent-encoding", "text/plain");
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
      // Development: opening a page signs in as the demo user (a page load, never an API call).
      if (type.startsWith("text/html") && autoSignIn && !sessions.of(req)) sessions.signIn(req, res, defaultDemoUser(), secure());
      // Pages served from source are page files: written into the one document here (built ones already are).
      return send(res, 200, type.startsWith("text/html") ? htmlDocument(body.toString("utf8")) : body, type, extra);
    } catch (error) {
      // An error's message can quote a file path, SQL, an upstream answer's body or a secret: the
      // browser gets a fixed body, typed as the proxy's refusals are, and the log the route, the
      // error's class and code and where it was thrown, never its message (log-text.ts).
      console.error(`[demo backend] ${req.method} ${logPath(req.url ?? "/")} failed: ${logFailure(error)}`);
      return refuse(res, 500, "SERVER_ERROR", "Something went wrong in the demo backend.");
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? "localhost", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  origin = `http://${options.host ?? "localhost"}:${port}`;
  inbox = new NotificationInbox({ ownOrigin: origin, platformOrigin: options.platformOrigin, apiKey: options.orgApiKey ?? process.env.EMPORIUM_ORG_API_KEY ?? DEMO_ORG_API_KEY });
  return {
    url: origin,
    notifications: inbox,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const platformOrigin = process.env.EMPORIUM_PLATFORM_ORIGIN ?? "http://127.0.0.1:4100";
  const { url } = await startHostServer({ port: Number(process.env.PORT ?? 4000), platformOrigin });
  console.log(`demo host app on ${url}`);
}
