/**
 * The platform as a real HTTP server on loopback: node:http in front of the same MSW handlers
 * (msw `getResponse`), records and executions in a SQLite database (persistence/sqlite-backend.ts:
 * an answer leaves once what it reports is fsync'd, many requests sharing one fsync), secrets
 * sealed with a key from EMPORIUM_SECRET_KEY or a key file beside the database, and the built
 * marketplace frame served under /frame/ with its security headers. `curl` works against it.
 *
 * Run standalone: `tsx mock-server/transports/http-server.ts [--port 4100] [--host 127.0.0.1]
 * [--state-file .data/platform.db] [--frame-dir dist/frame] [--allowed-origin http://localhost:4000]
 * [--organization org.json] [--scenario flaky] [--scenario-api] [--development] [policy flags, see policyArguments]`
 *
 * `--scenario <name>` starts with a scenario active (see contract/scenario.ts); `--scenario-api`
 * (demo/test mode) serves `GET/PUT /api/v1/_scenario` so tests and the demo page can switch it;
 * `--development` (local development mode) lets notification endpoints be http and on loopback.
 * The demo organization's API key is EMPORIUM_ORG_API_KEY, or the public demo key
 * (DEMO_ORG_API_KEY in fixtures/demo-org.ts) when unset.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { createHash } from "node:crypto";
import * as z from "zod/mini";
import { scenarioRequest, type ScenarioName, type ScenarioRequest } from "../../contract/scenario.ts";
import { once } from "node:events";
import { dirname, resolve } from "node:path";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { getResponse } from "msw";
import { API_PREFIX } from "../../contract/api.ts";
import { ApiErrorCode } from "../../contract/errors.ts";
import type { PlatformError } from "../domain/errors.ts";
import { createPlatform, type Platform } from "../domain/platform.ts";
import { UnstorableChangeError } from "../domain/changes.ts";
import { logFailure, logPath, logReason } from "../domain/log-text.ts";
import { createPlatformRoutes } from "../http/msw-handlers.ts";

import { demoOrganization } from "../fixtures/demo-org.ts";
import { SqliteBackend } from "../persistence/sqlite-backend.ts";
import { loadSecretKeys, type SecretKeys } from "../persistence/secret-box.ts";
import type { PolicyOptions } from "../domain/policy.ts";
import { MAX_BODY_BYTES, bodyCutShort, decodeUtf8, tooLarge } from "../http/request-body.ts";
import type { Answer } from "../http/answer.ts";
import type { WebhookCall } from "../http/webhook-answer.ts";
import { serveFrame } from "./frame-files.ts";
import { sendNotification } from "./notification-sender.ts";
import type { Clock } from "../domain/clock.ts";
import type { OrganizationRegistration } from "../domain/organizations.ts";

export interface PlatformServerOptions {
  /** Default 127.0.0.1: the mock is for loopback use. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /**
   * The platform's public URL (an origin such as https://platform.example.com): every absolute
   * URL in an answer (webhook URLs, the OAuth redirect_uri, links) is built on it, never on the
   * request's Host header or an absolute-form request line. Default: the listen address.
   */
  publicUrl?: string;
  /**
   * The SQLite database the state is kept in (created when missing; a JSON state file of an
   * earlier version at this path is imported, and kept beside it as `<path>.v1.json`); omitted =
   * memory only. Secrets in it are sealed with EMPORIUM_SECRET_KEY, or the key file `<path>.key`.
   */
  stateFile?: string;
  /** Retention, webhook rate limit and token lifetime (domain/policy.ts). */
  policy?: PolicyOptions;
  /** The built frame (vite build output) served under /frame/; omitted = no frame. */
  frameDir?: string;
  /** Host origins allowed to embed the demo organization; default ["http://localhost:4000"]. */
  allowedOrigins?: string[];
  /** Extra organizations to register (tests). */
  organizations?: OrganizationRegistration[];
  clock?: Clock;
  /** Integration definitions instead of the built-in catalog. */
  catalog?: readonly unknown[];
  /** Start with this scenario active (name, or a full request with its options). */
  scenario?: ScenarioName | ScenarioRequest;
  /** Demo/test mode: serve `GET/PUT /api/v1/_scenario` (default false). */
  scenarioApi?: boolean;
  /**
   * Local development mode (the demo): notification endpoints may be http and on loopback or
   * private addresses (checklist N2 refuses them otherwise). Default false.
   */
  developmentMode?: boolean;
  /**
   * The demo organization's API key for the organization API; only its SHA-256 is kept.
   * Default: DEMO_ORG_API_KEY (public, demo only).
   */
  demoOrgApiKey?: string;
}

export interface PlatformServer {
  /** Where it listens, e.g. http://127.0.0.1:4100 */
  url: string;
  /** The origin absolute URLs in answers are built on (the `publicUrl` option, else `url`). */
  publicUrl: string;
  port: number;
  platform: Platform;
  close(): Promise<void>;
}

const WEBHOOK_PREFIX = `${API_PREFIX}/webhooks/`;
/** What every API answer carries (checklist P8): never cached by a browser or proxy, never sniffed. */
const API_HEADERS = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" } as const;
const API_HEADER_LIST: readonly string[] = Object.entries(API_HEADERS).flat();
/**
 * Methods fetch refuses to build a Request for (so they cannot reach the handlers): answered 405
 * before anything else, as are method tokens the HTTP parser does not know (P5).
 */
const FORBIDDEN_METHODS = new Set(["TRACE", "TRACK", "CONNECT"]);
const SERVED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

function errorJson(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) {
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), Connection: "close", ...API_HEADERS, ...headers });
  res.end(body);
}

/** A whole 405 answer written straight to a socket (CONNECT, or a request line the parser refused). */
function methodNotAllowedRaw(message: string): string {
  const body = JSON.stringify({ error: { code: ApiErrorCode.MethodNotAllowed, message } });
  return [
    "HTTP/1.1 405 Method Not Allowed",
    `Allow: ${SERVED_METHODS}`,
    "Content-Type: application/json",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Cache-Control: no-store",
    "X-Content-Type-Options: nosniff",
    "Connection: close",
    "",
    body,
  ].join("\r\n");
}

/**
 * The path and query of a request line, whatever its form: an absolute-form line
 * (`GET http://attacker.example/api/v1/… HTTP/1.1`) names a host that must not steer anything,
 * so only its path and query are kept (P4). Undefined when it has none (`*`, garbage).
 */
function pathAndQuery(target: string): string | undefined {
  if (target.startsWith("/")) return target.startsWith("//") ? undefined : target;
  try {
    const url = new URL(target);
    return url.pathname + url.search;
  } catch {
    return undefined;
  }
}


/** The one check of a start-up scenario: a typo fails the start, naming what is allowed. */
function parseScenario(value: unknown): ScenarioRequest {
  const result = z.safeParse(scenarioRequest, value);
  if (!result.success) {
    throw new TypeError(`Invalid scenario ${JSON.stringify(value)}: ${result.error.issues[0].message} (see contract/scenario.ts for the names).`);
  }
  return result.data;
}

/**
 * Buffers a request body, refusing it as soon as it passes the limit (413, `tooLarge`); a client
 * that goes away mid-body is a 400 (`bodyCutShort`): the same errors as the webhook path's.
 */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) break;
      chunks.push(chunk);
    }
  } catch {
    // The only error a request stream emits: its client went away mid-body ("aborted").
    throw bodyCutShort();
  }
  if (size > MAX_BODY_BYTES) throw tooLarge();
  return Buffer.concat(chunks);
}

/**
 * A webhook call read from node:http: its body is buffered as it streams in and refused (413
 * PAYLOAD_TOO_LARGE) as soon as it passes the limit, declared or streamed; the rest is drained,
 * not kept. The text is decoded once the body has ended and handed to `readBody()`'s promise,
 * made only when the answer asks for the body (an unknown token is refused without one, so a
 * refused body never becomes a promise nobody awaits). (Listeners are inline anonymous
 * functions: this runs once per webhook call, and a named closure costs a keep-names
 * defineProperty under tsx.)
 */
class NodeWebhookCall implements WebhookCall {
  /** The body passed the limit: the answer closes the connection (the rest was not read). */
  refused = false;
  #text: string | undefined;
  #error: unknown;
  #waiter: { resolve: (text: string) => void; reject: (error: unknown) => void } | undefined;

  constructor(
    readonly token: string,
    readonly prefer: string | null,
    req: IncomingMessage,
  ) {
    if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) {
      req.resume();
      this.#fail(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      if (this.refused) return; // the rest of a refused body is drained, not kept
      size += chunk.length;
      if (size > MAX_BODY_BYTES) this.#fail(tooLarge());
      else chunks.push(chunk);
    });
    // `on`, not `once`: each `once` wraps its listener in a bound function per call, and a
    // request ends once (an error after the end or the refusal changes nothing).
    req.on("end", () => {
      if (this.refused) return;
      let text: string;
      try {
        text = decodeUtf8(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
      } catch (error) {
        return this.#settle(undefined, error);
      }
      this.#settle(text, undefined);
    });
    // The only error a request stream emits: its client went away mid-body ("aborted").
    req.on("error", () => this.#settle(undefined, bodyCutShort()));
  }

  #fail(error: unknown): void {
    this.refused = true;
    this.#settle(undefined, error);
  }

  #settle(text: string | undefined, error: unknown): void {
    if (this.#text !== undefined || this.#error !== undefined) return;
    this.#text = text;
    this.#error = error;
    const waiter = this.#waiter;
    if (!waiter) return;
    if (error === undefined) waiter.resolve(text!);
    else waiter.reject(error);
  }

  readBody(): Promise<string> {
    if (this.#error !== undefined) return Promise.reject(this.#error);
    if (this.#text !== undefined) return Promise.resolve(this.#text);
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }
}

/** Writes an Answer; `close` ends the connection (a body was refused half-read). */
function writeAnswer(res: ServerResponse, answer: Answer, close: boolean): void {
  // A flat [name, value, …] list, which node takes as it is: no headers object copied and merged
  // per call (in the same order as before: the answer's, the length, the API's own).
  const headers: Array<string | number> = [];
  for (const name of Object.keys(answer.headers)) headers.push(name, answer.headers[name]);
  headers.push("Content-Length", Buffer.byteLength(answer.body));
  if (close) headers.push("Connection", "close");
  for (let i = 0; i < API_HEADER_LIST.length; i++) headers.push(API_HEADER_LIST[i]);
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}

/** A request that failed on the platform's side: logged, and a 500 if nothing was sent yet. */
function failed(res: ServerResponse, error: unknown): void {
  console.error(`[emporium platform] request failed: ${logFailure(error)}`);
  if (!res.headersSent) errorJson(res, 500, ApiErrorCode.ServerError, "Something went wrong on the platform.");
  else res.destroy();
}

/**
 * The webhook fast path: from IncomingMessage to the shared webhook answer (webhook-answer.ts,
 * the same function the MSW handler wraps) and back, with no fetch Request/Response objects and
 * no async function of its own (one promise reaction between the answer and its write).
 */
function serveWebhook(req: IncomingMessage, res: ServerResponse, encodedToken: string, webhook: (call: WebhookCall) => Promise<Answer>): void {
  let token = encodedToken;
  if (encodedToken.includes("%")) {
    try {
      token = decodeURIComponent(encodedToken);
    } catch {
      // not valid percent-encoding: cannot be a token, answered 404
    }
  }
  const prefer = req.headers.prefer;
  const call = new NodeWebhookCall(token, Array.isArray(prefer) ? prefer.join(", ") : (prefer ?? null), req);
  webhook(call).then(
    (answer) => writeAnswer(res, answer, call.refused),
    (error) => failed(res, error),
  );
}

/** `POST <WEBHOOK_PREFIX><token>`: the token segment of a webhook path, or undefined. */
function webhookToken(path: string): string | undefined {
  if (path.length <= WEBHOOK_PREFIX.length || !path.startsWith(WEBHOOK_PREFIX) || path.indexOf("/", WEBHOOK_PREFIX.length) >= 0) return undefined;
  return path.slice(WEBHOOK_PREFIX.length);
}

/** The public URL option as an origin, or a TypeError saying what is expected. */
function checkPublicUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || url.origin !== value.replace(/\/$/, "")) {
    throw new TypeError(`publicUrl (--public-url) must be an http(s) origin such as https://platform.example.com, without a path; got "${value}".`);
  }
  return url.origin;
}

function toRequest(req: IncomingMessage, body: Buffer | undefined, url: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  const init: RequestInit = { method: req.method, headers };
  if (body && body.length > 0) init.body = new Uint8Array(body) as Uint8Array<ArrayBuffer>;
  return new Request(url, init);
}

/**
 * Writes a handler's Response. `Server-Timing: app;dur=<ms>` says how long the platform took from
 * the request's arrival to the answer's body in hand (routing, the handler, its commit and the
 * JSON), so a client can tell the server's time from the network's and its own (the scale bench
 * reports both); a browser shows it to a cross-origin page only with Timing-Allow-Origin, which is
 * never sent.
 */
async function writeResponse(res: ServerResponse, response: Response, arrived: number): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name === "set-cookie") return;
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  if (body) headers["content-length"] = String(body.length);
  headers["server-timing"] = `app;dur=${(performance.now() - arrived).toFixed(2)}`;
  res.writeHead(response.status, headers);
  res.end(body);
}

/**
 * Opens the state database at `path` (its folder and key file created when missing). A JSON
 * state file of an earlier version found at `path` is moved aside and read for import; the caller
 * renames it to `<path>.v1.json` once the import is on disk.
 */
function openStateDatabase(path: string): { backend: SqliteBackend; keys: SecretKeys; legacy?: unknown; legacyFile: string; legacyDone: string } {
  mkdirSync(dirname(path), { recursive: true });
  let legacy: unknown;
  const legacyFile = `${path}.importing`;
  if (existsSync(path)) {
    const fd = openSync(path, "r");
    const first = Buffer.alloc(1);
    const read = readSync(fd, first, 0, 1, 0);
    closeSync(fd);
    if (read === 1 && first[0] === 0x7b) {
      let text: string;
      try {
        text = readFileSync(path, "utf8");
        legacy = JSON.parse(text);
      } catch (error) {
        throw new TypeError(`${path} is neither a state database nor a valid JSON state file (${(error as Error).message}); refusing to start over it. Move it away to start fresh.`);
      }
      renameSync(path, legacyFile);
    }
  }
  // An import killed half-way: the database may be partial, the JSON file is whole (imports are upserts).
  if (legacy === undefined && existsSync(legacyFile)) legacy = JSON.parse(readFileSync(legacyFile, "utf8"));
  const keys = loadSecretKeys(`${path}.key`);
  const backend = new SqliteBackend(path, { secrets: keys.box });
  return { backend, keys, ...(legacy !== undefined ? { legacy } : {}), legacyFile, legacyDone: `${path}.v1.json` };
}

export async function startPlatformServer(options: PlatformServerOptions): Promise<PlatformServer> {
  const host = options.host ?? "127.0.0.1";
  if (options.demoOrgApiKey !== undefined && !/^org_[A-Za-z0-9_-]{16,200}$/.test(options.demoOrgApiKey)) {
    throw new TypeError("demoOrgApiKey (EMPORIUM_ORG_API_KEY) must be org_ followed by 16–200 letters, digits, _ or -.");
  }
  const opened = options.stateFile ? openStateDatabase(resolve(options.stateFile)) : undefined;
  const platform = createPlatform({
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.catalog ? { catalog: options.catalog } : {}),
    ...(opened ? { backend: opened.backend } : {}),
    ...(opened?.legacy !== undefined ? { snapshot: opened.legacy } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    notifications: { send: sendNotification, development: options.developmentMode ?? false },
    organizations: [
      demoOrganization({
        ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
        ...(options.demoOrgApiKey !== undefined ? { apiKeySha256: createHash("sha256").update(options.demoOrgApiKey).digest("hex") } : {}),
      }),
      ...(options.organizations ?? []),
    ],
  });
  // Loading the records sealed every secret under an old key with the new one, durably (after
  // a key rotation), so the old key can go.
  opened?.keys.dropPrevious();
  const live = platform;
  if (options.scenario !== undefined) {
    live.scenario.set(parseScenario(typeof options.scenario === "string" ? { scenario: options.scenario } : options.scenario));
  }
  // The registrations and any recovery after a restart are on disk before the first answer.
  await live.commit();
  if (opened?.legacy !== undefined) renameSync(opened.legacyFile, opened.legacyDone);
  const { handlers, webhook } = createPlatformRoutes(live, { scenarioApi: options.scenarioApi ?? false });
  const frameDir = options.frameDir ? resolve(options.frameDir) : undefined;
  let publicOrigin = "";
  if (options.publicUrl !== undefined) publicOrigin = checkPublicUrl(options.publicUrl);

  /** Every request but a webhook's: the frame's files, or a fetch Request through the MSW handlers. */
  async function serveOther(req: IncomingMessage, res: ServerResponse, method: string, url: string, path: string, arrived: number): Promise<void> {
    if (path === "/frame" || path.startsWith("/frame/")) {
      if (!frameDir) return errorJson(res, 404, ApiErrorCode.NotFound, "This server was started without a frame directory.");
      return await serveFrame(req, res, frameDir, live);
    }
    let body: Buffer | undefined;
    if (method !== "GET" && method !== "HEAD") {
      try {
        body = await readBody(req);
      } catch (error) {
        // 413, or 400 to a client gone mid-body (its one log line is the parser's clientError, P5).
        const refused = error as PlatformError;
        return errorJson(res, refused.status, refused.code, refused.message);
      }
    }
    // Absolute URLs in answers are built on the request URL's origin: the configured public one.
    let request: Request;
    try {
      request = toRequest(req, body, new URL(url, publicOrigin).href);
    } catch (error) {
      // A request fetch cannot even represent (a malformed header, say): the client's fault.
      console.warn(`[emporium platform] refused ${method} ${logPath(path)}: ${logReason(error)}`);
      return errorJson(res, 400, ApiErrorCode.BadRequest, "The request cannot be read.");
    }
    const response =
      (await getResponse(handlers, request)) ??
      new Response(JSON.stringify({ error: { code: ApiErrorCode.NotFound, message: `No route ${method} ${path}.` } }), {
        status: 404,
        headers: { "Content-Type": "application/json", ...API_HEADERS },
      });
    // Every API answer left the handlers after its changes were durable (http/answer.ts `unsaved`).
    await writeResponse(res, response, arrived);
  }

  // Not an async function: a webhook's request goes to its fast path with no promise of the
  // handler's own per request; every other request is served by `serveOther`.
  const server = createServer((req, res) => {
    const arrived = performance.now();
    try {
      const method = req.method ?? "GET";
      if (FORBIDDEN_METHODS.has(method)) {
        return errorJson(res, 405, ApiErrorCode.MethodNotAllowed, `${method} is not served here.`, { Allow: SERVED_METHODS });
      }
      const url = pathAndQuery(req.url ?? "/");
      if (url === undefined) return errorJson(res, 400, ApiErrorCode.BadRequest, "The request target must be a path.");
      const query = url.indexOf("?");
      const path = query < 0 ? url : url.slice(0, query);
      // Webhooks skip msw's generic dispatch and fetch objects (see serveWebhook); they are
      // matched first because they are the one route called at volume.
      const token = method === "POST" ? webhookToken(path) : undefined;
      if (token !== undefined) return serveWebhook(req, res, token, webhook);
      serveOther(req, res, method, url, path, arrived).catch((error: unknown) => failed(res, error));
    } catch (error) {
      failed(res, error);
    }
  });
  // CONNECT never reaches the request handler; a request line the parser refuses (an unknown
  // method token) neither. Both get a 405 and one log line, never a stack (P5).
  server.on("connect", (req: IncomingMessage, socket: Duplex) => {
    console.warn(`[emporium platform] refused CONNECT ${logPath(String(req.url)).slice(0, 200)}`);
    socket.end(methodNotAllowedRaw("CONNECT is not served here."));
  });
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    const code = error.code ?? "unknown";
    // A client that closes or resets its connection in the middle of a request is not malformed.
    if (code === "HPE_INVALID_EOF_STATE" || code === "ECONNRESET") console.warn(`[emporium platform] a client went away in the middle of a request (${code})`);
    else console.warn(`[emporium platform] refused a malformed request (${code})`);
    if (!socket.writable) return void socket.destroy();
    if (code === "HPE_INVALID_METHOD") return void socket.end(methodNotAllowedRaw("This method is not served here."));
    const body = JSON.stringify({ error: { code: ApiErrorCode.BadRequest, message: "The request is malformed." } });
    socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`);
  });
  server.keepAliveTimeout = 5000;
  server.listen(options.port, host);
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const hostForUrl = host.includes(":") ? `[${host}]` : host;
  const listenOrigin = `http://${hostForUrl}:${port}`;
  publicOrigin ||= listenOrigin;

  return {
    url: listenOrigin,
    publicUrl: publicOrigin,
    port,
    platform: live,
    async close() {
      // No new connection, and the idle keep-alive ones close now. A connection whose request is
      // in flight stays open so that its client gets the answer (a 2xx once its change is on
      // disk: the platform's stop waits for admitted requests), not a reset that a webhook sender
      // would retry, running the flow a second time. A request arriving on it meanwhile is
      // refused with a 503 (Platform.admitRequest).
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeIdleConnections();
      try {
        await live.close();
      } finally {
        await drainConnections(server, DRAIN_GRACE_MS);
        await closed;
      }
    },
  };
}

/**
 * How long a stopping server lets connections finish writing their answers once the platform
 * has stopped (a slow reader, a request whose body never finished arriving): then they are cut.
 */
const DRAIN_GRACE_MS = 5_000;

/**
 * Closes each connection once it is idle (its answer written), checking every 10 ms, and cuts
 * whatever is still open after `graceMs`: a client that stops reading cannot hold the stop.
 */
async function drainConnections(server: Server, graceMs: number): Promise<void> {
  let late = false;
  const grace = setTimeout(() => (late = true), graceMs);
  try {
    for (;;) {
      server.closeIdleConnections();
      const open = await new Promise<number>((resolve) => server.getConnections((error, count) => resolve(error ? 0 : count)));
      if (open === 0) return;
      if (late) return void server.closeAllConnections();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    clearTimeout(grace);
  }
}

/**
 * SIGINT and SIGTERM stop the process through `close` (the platform's, or scripts/start.ts's of
 * the whole demo): exit code 0 once everything is on disk. When the close fails, one line says
 * what was not stored and why, and the exit code is 1, without a stack: a change refused as the
 * last write was made (UnstorableChangeError: everything else of it is on disk and the state is
 * closed), or a failed write. Another signal while it stops changes nothing.
 */
export function stopOnSignals(close: () => Promise<void>): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(stoppedLine(error));
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

/** The one line a stop that failed with `error` prints (no value from user data in it: log-text.ts). */
export function stoppedLine(error: unknown): string {
  return error instanceof UnstorableChangeError
    ? `[emporium platform] stopped; not stored: ${error.refused.join("; ")} (everything else is on disk)`
    : `[emporium platform] stopped; the last changes may not be stored: ${logReason(error)}`;
}

function argument(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

/**
 * The policy flags (domain/policy.ts): `--retention-days <n>`, `--retention-per-instance <n>`,
 * `--webhook-rate <per second>/<burst>` or `--webhook-rate off`, `--max-token-lifetime <seconds>`.
 */
export function policyArguments(args: string[]): PolicyOptions {
  const policy: PolicyOptions = {};
  const number = (name: string) => {
    const value = argument(args, name);
    if (value === undefined) return undefined;
    if (!/^\d+(\.\d+)?$/.test(value)) throw new TypeError(`--${name} takes a number; got "${value}".`);
    return Number(value);
  };
  const days = number("retention-days");
  const perInstance = number("retention-per-instance");
  if (days !== undefined || perInstance !== undefined) policy.retention = { ...(days !== undefined ? { maxAgeDays: days } : {}), ...(perInstance !== undefined ? { maxPerInstance: perInstance } : {}) };
  const rate = argument(args, "webhook-rate");
  if (rate === "off") policy.webhookRateLimit = null;
  else if (rate !== undefined) {
    const match = /^(\d+(?:\.\d+)?)\/(\d+)$/.exec(rate);
    if (!match) throw new TypeError(`--webhook-rate takes <per second>/<burst> (e.g. 100/200) or off; got "${rate}".`);
    policy.webhookRateLimit = { perSecond: Number(match[1]), burst: Number(match[2]) };
  }
  const lifetime = number("max-token-lifetime");
  if (lifetime !== undefined) policy.maxTokenLifetimeSeconds = lifetime;
  return policy;
}

// Standalone: `tsx mock-server/transports/http-server.ts`
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const origins = args.flatMap((a, i) => (args[i - 1] === "--allowed-origin" ? [a] : []));
  // `--organization <file>`: an extra organization registration (public keys only) as JSON.
  const organizations = args.flatMap((a, i) =>
    args[i - 1] === "--organization" ? [JSON.parse(readFileSync(a, "utf8")) as OrganizationRegistration] : [],
  );
  const server = await startPlatformServer({
    host: argument(args, "host") ?? "127.0.0.1",
    ...(argument(args, "public-url") ? { publicUrl: argument(args, "public-url") } : {}),
    port: Number(argument(args, "port") ?? 4100),
    stateFile: argument(args, "state-file") ?? ".data/platform.db",
    frameDir: argument(args, "frame-dir") ?? "dist/frame",
    ...(origins.length ? { allowedOrigins: origins } : {}),
    organizations,
    ...(argument(args, "scenario") ? { scenario: argument(args, "scenario") as ScenarioName } : {}),
    scenarioApi: args.includes("--scenario-api"),
    developmentMode: args.includes("--development"),
    ...(process.env.EMPORIUM_ORG_API_KEY ? { demoOrgApiKey: process.env.EMPORIUM_ORG_API_KEY } : {}),
    policy: policyArguments(args),
  });
  // One machine-readable line first (tests read it), then a human one.
  console.log(JSON.stringify({ ready: true, url: server.url, pid: process.pid }));
  console.log(`Emporium mock platform on ${server.url} (API ${server.url}${API_PREFIX}, frame ${server.url}/frame/)`);
  stopOnSignals(() => server.close());
}
