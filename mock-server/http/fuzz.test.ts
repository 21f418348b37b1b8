/**
 * Fuzzing with generated inputs (issue 7): the JWT verifier, every route of the customer and
 * organization APIs and the webhook (through the real handlers, and the webhook also through
 * the HTTP server's fast path), and the contract's config validation. Runs are bounded so the
 * file stays well under 20 s; a failing run prints its seed and the shrunk input.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import { getResponse } from "msw";
import { createPlatform, type Platform } from "../domain/platform.ts";
import { createPlatformRoutes } from "./msw-handlers.ts";
import { matchRoute, routeTable } from "./route-table.ts";
import { startPlatformServer, type PlatformServer } from "../transports/http-server.ts";
import { createManualClock } from "../domain/clock.ts";
import { PlatformError } from "../domain/errors.ts";
import { createTestOrganization, type TestOrganization } from "../fixtures/test-organization.ts";
import { demoOrganization } from "../fixtures/demo-org.ts";
import { ApiErrorCode } from "../../contract/errors.ts";
import { connectionPaths, API_PREFIX, deployResponse, instance as instanceSchema, paths } from "../../contract/api.ts";
import { orgPaths } from "../../contract/org-api.ts";
import { notificationPaths } from "../../contract/org-notifications.ts";
import { configFieldProblems, configValueProblem } from "../../contract/validate-config.ts";
import type { ConfigVarDefinition } from "../../contract/config-vars.ts";
import * as z from "zod/mini";

const API_CODES = new Set<string>(Object.values(ApiErrorCode));
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64url");
/** JSON object text from entries, so `__proto__` stays an own key (as it would on the wire). */
const objectText = (entries: [string, unknown][]) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? "null"}`).join(",")}}`;

const PROTO_KEYS = ["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty"];
const weirdString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.constantFrom(...PROTO_KEYS, "", " ", "null", "..", "%", "%E0%A4%A", "a/b", "\u0000", "😀", "ﬀ"),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => "x".repeat(n)),
);
const weirdNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 53, 1e21, 0.1),
);
/** Any JSON value, including object values with prototype keys and values of the wrong type. */
const jsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    weirdNumber,
    weirdString,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.array(fc.tuple(fc.oneof(weirdString, fc.constantFrom(...PROTO_KEYS)), tie("value")), { maxLength: 4 }).map(
      (entries) => JSON.parse(objectText(entries)) as unknown,
    ),
  ),
})).value;

// -------------------------------------------------------------------------------------------
// (a) JWT verifier

describe("fuzz: customer JWT verification", () => {
  const clock = createManualClock();
  let platform: Platform;
  let org: TestOrganization;
  let fetchSpy: ReturnType<typeof vi.fn>;

  beforeAll(async () => {
    platform = createPlatform({ clock });
    org = await createTestOrganization({ platform });
  });
  afterAll(() => platform.dispose());
  beforeEach(() => {
    fetchSpy = vi.fn(() => Promise.reject(new Error("no outbound fetch allowed")));
    vi.stubGlobal("fetch", fetchSpy);
  });
  afterEach(() => {
    expect(fetchSpy).not.toHaveBeenCalled();
    vi.unstubAllGlobals();
  });

  /** "ACCEPTED", or the TOKEN_* code of the rejection; anything else thrown fails the property. */
  async function verdict(token: string): Promise<string> {
    try {
      await platform.access.authenticate(token);
      return "ACCEPTED";
    } catch (error) {
      if (!(error instanceof PlatformError)) throw new Error(`threw ${String(error)} instead of a PlatformError`, { cause: error });
      expect(error.code).toMatch(/^TOKEN_/);
      expect(error.status).toBe(401);
      return error.code;
    }
  }

  const now = () => Math.floor(clock.now() / 1000);
  const claimTime = fc.oneof(
    fc.constant(undefined),
    fc.integer({ min: -600, max: 600 }).map((d) => now() + d),
    weirdNumber,
    weirdString,
    fc.constantFrom(null, true, [], {}, Infinity),
  );
  const headerValue = (common: fc.Arbitrary<unknown>) => fc.oneof(common, jsonValue, fc.constant(undefined));
  const forgedHeader = fc.record({
    alg: headerValue(fc.constantFrom("none", "None", "NONE", "HS256", "HS512", "RS256", "ES256", "PS256", "EdDSA", "ES256K", "rs256", "")),
    typ: headerValue(fc.constantFrom("JWT", "jwt", "JOSE", "at+jwt")),
    kid: headerValue(fc.constantFrom("KID", "other", "../../etc/passwd", "")),
    extra: fc.array(fc.tuple(fc.constantFrom("jku", "x5u", "jwk", "x5c", "crit", "b64", "zip", ...PROTO_KEYS), jsonValue), { maxLength: 3 }),
  });
  const claims = fc.record({
    sub: headerValue(fc.constantFrom("user-1")),
    organization: headerValue(fc.constantFrom("ORG", "other-org", "__proto__", "constructor")),
    customer: headerValue(fc.constantFrom("customer-a")),
    iat: claimTime,
    exp: claimTime,
    nbf: claimTime,
    aud: headerValue(fc.constantFrom("emporium", "other", ["emporium", "x"])),
    iss: headerValue(fc.constantFrom("ORG", "other")),
    role: headerValue(fc.constantFrom("admin", "viewer", "root")),
    extra: fc.array(fc.tuple(fc.constantFrom(...PROTO_KEYS, "name", "customer_name", "external_id"), jsonValue), { maxLength: 3 }),
  });
  const withOrg = (v: unknown) => (v === "ORG" ? org.id : v === "KID" ? org.kid : v);
  const entriesOf = (record: Record<string, unknown> & { extra: [string, unknown][] }): [string, unknown][] => [
    ...Object.entries(record)
      .filter(([k, v]) => k !== "extra" && v !== undefined)
      .map(([k, v]): [string, unknown] => [k, withOrg(v)]),
    ...record.extra,
  ];

  it("A1 A5 random strings and random base64url segments are rejected with a TOKEN_* code", async () => {
    const segment = fc.oneof(fc.base64String({ maxLength: 60 }).map((s) => s.replace(/=+$/, "").replaceAll("+", "-").replaceAll("/", "_")), weirdString);
    await fc.assert(
      fc.asyncProperty(fc.oneof(weirdString, fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join("."))), async (token) => {
        expect(await verdict(token)).not.toBe("ACCEPTED");
      }),
      { numRuns: 500 },
    );
  });

  it("A1 A2 A3 A4 A5 structurally valid JWTs with random headers and claims and a forged signature are never accepted", async () => {
    await fc.assert(
      fc.asyncProperty(forgedHeader, claims, fc.oneof(fc.constant(""), fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b).toString("base64url"))), async (header, payload, signature) => {
        const token = `${b64(objectText(entriesOf(header)))}.${b64(objectText(entriesOf(payload)))}.${signature}`;
        expect(await verdict(token)).not.toBe("ACCEPTED");
      }),
      { numRuns: 500 },
    );
  });

  it("A3 A4 A5 correctly signed tokens with random claims are accepted only when every claim rule holds", async () => {
    await fc.assert(
      fc.asyncProperty(claims, fc.array(fc.tuple(fc.constantFrom("jku", "x5u", "jwk", "x5c", "cty", ...PROTO_KEYS), jsonValue), { maxLength: 2 }), async (payload, extraHeader) => {
        const claimsObject = JSON.parse(objectText(entriesOf(payload))) as Record<string, unknown>;
        const keys = Object.keys(claimsObject);
        // Claims the signer would fill in are removed explicitly (`undefined`) when not generated.
        const all = Object.fromEntries(["sub", "organization", "customer", "customer_name", "name", "role", "aud", "iat", "exp"].map((k) => [k, undefined]));
        const header = Object.fromEntries(extraHeader.filter(([k]) => k !== "__proto__"));
        let token: string;
        try {
          token = await org.signToken({ ...all, ...claimsObject }, header, clock.now());
        } catch {
          return; // jose refuses to sign this shape (e.g. a non-numeric exp); nothing to verify
        }
        const result = await verdict(token);
        if (result !== "ACCEPTED") return;
        const t = now();
        const c = claimsObject;
        expect(keys).toEqual(expect.arrayContaining(["sub", "organization", "customer", "iat", "exp"]));
        expect(c.organization).toBe(org.id);
        expect(typeof c.exp === "number" && c.exp > t - 60).toBe(true);
        expect(typeof c.iat === "number" && c.iat <= t + 60).toBe(true);
        expect(c.nbf === undefined || (typeof c.nbf === "number" && c.nbf <= t + 60)).toBe(true);
        expect(c.aud === undefined || c.aud === "emporium" || (Array.isArray(c.aud) && c.aud.includes("emporium"))).toBe(true);
        expect(c.iss === undefined || c.iss === org.id).toBe(true);
        expect(c.role === undefined || c.role === "admin" || c.role === "viewer").toBe(true);
        expect(Object.keys(header).some((k) => ["jku", "x5u", "jwk", "x5c"].includes(k))).toBe(false);
      }),
      { numRuns: 150 },
    );
  });
  /** Values of the wrong type or size for any header field or claim; objects carry prototype keys. */
  /** Text at the length limits (claims allow 64, 200 or 500 characters), non-ASCII and control characters. */
  const oddText = fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 30 }),
    fc.constantFrom(63, 64, 65, 199, 200, 201, 499, 500, 501, 2000).map((n) => "x".repeat(n)),
    fc.constantFrom("é", "😀", "\u202e", "\u0000", " ", "ＯＲＧ", "org\nx", "ES256", "JWT", "emporium"),
  );
  const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
    { arbitrary: jsonValue, weight: 2 },
    { arbitrary: oddText, weight: 2 },
    { arbitrary: fc.constantFrom(null, true, 0, -1, 1.5, 1e308, "", [], ["emporium"], [1, "a"], {}), weight: 1 },
    // An object whose toString / valueOf is not a function: String(value) or `${value}` throws on it.
    { arbitrary: fc.tuple(fc.constantFrom(...PROTO_KEYS), jsonValue).map(([k, v]) => JSON.parse(objectText([[k, v]])) as unknown), weight: 2 },
  );

  it("A1 A2 A3 A4 A5 a valid token with one header field, one claim or one whole segment bent: a TOKEN_* rejection, or an acceptance that keeps every claim rule", async () => {
    const valid = await org.signToken({}, {}, clock.now());
    const [validHeaderSegment, validPayload, validSignature] = valid.split(".");
    const validHeader = { alg: "ES256", kid: org.kid, typ: "JWT" };
    expect(validHeaderSegment).toBe(b64(JSON.stringify(validHeader)));
    const headerKeys = fc.oneof(
      { arbitrary: fc.constantFrom("alg", "typ", "kid", "crit"), weight: 4 },
      { arbitrary: fc.constantFrom("b64", "zip", "jku", "x5u", "jwk", "x5c"), weight: 2 },
      { arbitrary: fc.constantFrom(...PROTO_KEYS), weight: 1 },
    );
    const withHeader = (k: string, v: unknown) => `${b64(objectText([...Object.entries(validHeader).filter(([key]) => key !== k), [k, v]]))}.${validPayload}.${validSignature}`;
    const claimKeys = fc.oneof(
      { arbitrary: fc.constantFrom("sub", "organization", "customer", "customer_name", "name", "external_id", "role", "aud", "iss", "iat", "exp", "nbf", "jti"), weight: 6 },
      { arbitrary: fc.constantFrom(...PROTO_KEYS), weight: 1 },
    );
    // The signer writes alg, kid, typ: bending typ into "JWT" gives the valid token back, which is left out.
    const bentHeader = fc
      .tuple(headerKeys, hostileJson)
      .map(([k, v]) => withHeader(k, v))
      .filter((t) => t !== valid);
    const bentSegment = fc.tuple(
      fc.nat(2),
      fc.oneof(
        fc.constantFrom("null", "[]", "1", '"text"', "true", "{", "").map(b64),
        hostileJson.map((v) => b64(JSON.stringify(v) ?? "null")),
        fc.constantFrom("", "=", "a+b/", "%41", "é", "..", " ", "AAAA====", "\u0000"),
        fc.integer({ min: 1, max: 9000 }).map((n) => "A".repeat(n)),
      ),
    ).map(([i, segment]) => [validHeaderSegment, validPayload, validSignature].map((s, j) => (j === i ? segment : s)).join("."));
    const bentClaims = fc.tuple(claimKeys, hostileJson).map(([k, v]) => ({ [k]: v }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(bentHeader, bentSegment, bentClaims, bentClaims), async (bent) => {
        if (typeof bent === "string") {
          expect(await verdict(bent)).not.toBe("ACCEPTED");
          return;
        }
        let token: string;
        try {
          token = await org.signToken(JSON.parse(objectText(Object.entries(bent))) as Record<string, unknown>, {}, clock.now());
        } catch {
          return; // jose refuses to sign this shape
        }
        if ((await verdict(token)) !== "ACCEPTED") return;
        const [[k, v]] = Object.entries(bent) as [[string, unknown]];
        if (["sub", "customer", "customer_name", "name", "external_id"].includes(k)) expect(typeof v === "string" && v.length > 0 && v.length <= 200).toBe(true);
        if (k === "organization" || k === "iss") expect(v).toBe(org.id);
        if (k === "role") expect(["admin", "viewer"]).toContain(v);
        if (k === "aud") expect(v === "emporium" || (Array.isArray(v) && v.includes("emporium"))).toBe(true);
        if (k === "exp" || k === "iat") expect(typeof v).toBe("number");
      }),
      {
        numRuns: 800,
        // Boundary cases always tried first: claims one over their length limit, non-ASCII and wrong-typed ones.
        examples: [
          ...[["typ", { toString: 1 }], ["alg", { valueOf: 1 }], ["kid", { toString: {} }], ["typ", 7], ["crit", "b64"], ["crit", {}]].map(([k, v]): [string] => [withHeader(k as string, v)]),
          [`${validHeaderSegment}.${b64("null")}.${validSignature}`],
          [{ sub: "x".repeat(201) }], [{ customer: "x".repeat(201) }], [{ name: "x".repeat(201) }], [{ organization: "é" }], [{ organization: "x".repeat(65) }], [{ aud: 5 }], [{ role: {} }]],
      },
    );
  });
});

// -------------------------------------------------------------------------------------------
// (b) every route, through the real handlers

const ORIGIN = "http://platform.test";

describe("fuzz: the platform's routes", () => {
  let platform: Platform;
  let org: TestOrganization;
  let routes: ReturnType<typeof createPlatformRoutes>;
  let token: string;
  let instanceId: string;
  let webhookToken: string;

  const send = async (method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) => {
    const request = new Request(ORIGIN + path, { method, headers: init.headers, ...(init.body !== undefined && method !== "GET" && method !== "HEAD" ? { body: init.body } : {}) });
    const response = await getResponse(routes.handlers, request);
    if (response) return response;
    // Only a path that normalises to outside the API (e.g. `/api/v1/..`) is left unanswered; the
    // HTTP server answers those with its own 404 NOT_FOUND.
    expect(new URL(request.url).pathname.startsWith(`${API_PREFIX}/`)).toBe(false);
    return Response.json({ error: { code: ApiErrorCode.NotFound, message: "outside the API" } }, { status: 404 });
  };

  beforeAll(async () => {
    platform = createPlatform({ organizations: [demoOrganization()], autoSchedule: false });
    org = await createTestOrganization({ platform });
    routes = createPlatformRoutes(platform, { sleep: async () => undefined });
    token = await org.signToken();
    const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    const draft = z.parse(instanceSchema, await (await send("POST", paths.instances(), { headers, body: JSON.stringify({ integrationId: "stripe" }) })).json());
    instanceId = draft.id;
    await send("PUT", paths.instanceConfigPage(instanceId, "connect"), { headers, body: JSON.stringify({ values: { stripeKey: { kind: "api-key", apiKey: "rk_test_fuzz" } } }) });
    await send("PUT", paths.instanceConfigPage(instanceId, "payments"), { headers, body: JSON.stringify({ values: { currency: "usd", threshold: 100, metadata: "{}", liveMode: false } }) });
    const deployed = z.parse(deployResponse, await (await send("POST", paths.instanceDeploy(instanceId), { headers })).json());
    const url = deployed.instance.flows.find((f) => f.webhookUrl)!.webhookUrl!;
    webhookToken = decodeURIComponent(new URL(url).pathname.split("/").pop()!);
  });
  afterAll(() => platform.dispose());

  /** The response is a 2xx/3xx, or a 4xx with `{ error: { code, message } }` and a contract code. */
  async function expectWellFormed(response: Response, what: string, transport = false) {
    expect(response.status, what).toBeLessThan(500);
    // node:http itself refuses a request line over its 16 KiB header limit (431, no body) before
    // any platform code runs; only the HTTP transport can see this.
    if (transport && response.status === 431) return;
    if (response.status < 400) return;
    const type = response.headers.get("content-type") ?? "";
    if (type.startsWith("text/html")) return; // the OAuth callback answers a page by design
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    expect(API_CODES.has(String(body.error?.code)), `${what}: code ${String(body.error?.code)}`).toBe(true);
    expect(typeof body.error?.message, what).toBe("string");
  }

  const pathParam = (valid: () => string) =>
    fc.oneof(
      fc.constant("VALID").map(() => valid()),
      weirdString.map((s) => encodeURIComponent(s)),
      fc.constantFrom("%", "%E0%A4%A", "%2e%2e", "..", "%00", "__proto__", "constructor"),
    );
  const routeArb = fc.oneof(
    fc.tuple(fc.constantFrom("GET"), pathParam(() => "demo").map((o) => `${API_PREFIX}/embed/${o}`)),
    fc.constantFrom<[string, string]>(["POST", paths.session()], ["GET", paths.integrations()], ["GET", paths.instances()], ["POST", paths.instances()], ["GET", paths.usage()], ["GET", paths.oauthCallback()], ["GET", paths.dashboard()], ["GET", paths.executions()], ["GET", paths.executionChanges()], ["GET", paths.alerts()]),
    fc.tuple(fc.constantFrom("GET"), pathParam(() => "stripe").map((id) => `${API_PREFIX}/integrations/${id}`)),
    fc.tuple(
      fc.constantFrom("GET", "DELETE", "PUT", "POST", "PATCH"),
      pathParam(() => instanceId),
      fc.constantFrom("", "/deploy", "/pause", "/resume", "/executions", "/alerts", "/monitors", "/monitors/mon_1", "/config/", "/executions/", "/connections/stripeKey/test", "/connections/stripeKey/oauth", "/data-sources/"),
      pathParam(() => "connect"),
    ).map(([method, id, rest, tail]): [string, string] => [method, `${API_PREFIX}/instances/${id}${rest}${rest.endsWith("/") ? tail : ""}`]),
    fc.tuple(fc.constantFrom("POST", "GET"), pathParam(() => webhookToken).map((t) => `${API_PREFIX}/webhooks/${t}`)),
    fc.tuple(
      fc.constantFrom("GET", "POST", "PATCH", "DELETE"),
      fc.constantFrom(orgPaths.customers(), orgPaths.integrations(), orgPaths.instances(), orgPaths.customerInstances("x"), orgPaths.instance("y"), orgPaths.instancePause("y"), orgPaths.integration("stripe")),
    ),
    fc.tuple(fc.constantFrom("GET", "POST"), weirdString.map((s) => `${API_PREFIX}/${encodeURIComponent(s)}`)),
  );
  const query = fc.option(
    fc.array(fc.tuple(fc.oneof(weirdString, fc.constantFrom("q", "category", "label", "state", "from", "to", "limit", "cursor", "status", "period", "instance", "wait")), weirdString), { maxLength: 3 }).map(
      (pairs) => `?${new URLSearchParams(pairs).toString()}`,
    ),
    { nil: "" },
  );
  const body = fc.option(
    fc.oneof(
      jsonValue.map((v) => JSON.stringify(v)),
      fc.record({ values: jsonValue, integrationId: fc.oneof(fc.constant("stripe"), weirdString) }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 50 }),
      fc.constantFrom("{", "[1,", "1e400", "-1e400", '{"__proto__":{"admin":true}}', '{"values":{"__proto__":1}}', "\uFEFF{}", "null", "[]"),
      fc.integer({ min: 65, max: 5000 }).map((d) => "[".repeat(d) + "]".repeat(d)),
      fc.integer({ min: 65, max: 3000 }).map((d) => '{"a":'.repeat(d) + "1" + "}".repeat(d)),
    ),
    { nil: undefined },
  );
  const headers = fc.record({
    authorization: fc.oneof(fc.constant("VALID"), fc.constant("ORG"), fc.constant(undefined), weirdString.map((s) => `Bearer ${s}`.slice(0, 8000)), weirdString),
    contentType: fc.option(fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "application/json; charset=latin1", ""), { nil: undefined }),
    idempotencyKey: fc.option(weirdString, { nil: undefined }),
    prefer: fc.option(fc.constantFrom("respond-async", "wait=1", "respond-async, wait=5"), { nil: undefined }),
    origin: fc.option(fc.constantFrom("http://localhost:4000", "https://evil.example", "null"), { nil: undefined }),
  });
  const headerValue = (v: string) => v.replace(/[^\t\x20-\x7e]/g, "?"); // fetch Headers take ByteStrings only

  it("C6 generated bodies, query strings, path params and headers never get a 5xx; every error has a contract code", async () => {
    await fc.assert(
      fc.asyncProperty(routeArb, query, body, headers, async ([method, path], search, payload, h) => {
        const sent: Record<string, string> = {};
        if (h.authorization === "VALID") sent.Authorization = `Bearer ${token}`;
        else if (h.authorization === "ORG") sent.Authorization = `Bearer ${org.apiKey}`;
        else if (h.authorization !== undefined) sent.Authorization = headerValue(h.authorization);
        if (h.contentType !== undefined) sent["Content-Type"] = h.contentType;
        if (h.idempotencyKey !== undefined) sent["Idempotency-Key"] = headerValue(h.idempotencyKey);
        if (h.prefer !== undefined) sent.Prefer = h.prefer;
        if (h.origin !== undefined) sent.Origin = h.origin;
        const response = await send(method, path + search, { headers: sent, ...(payload !== undefined ? { body: payload } : {}) });
        await expectWellFormed(response, `${method} ${path.slice(0, 200)}${search.slice(0, 200)}`);
      }),
      { numRuns: 800 },
    );
    await platform.idle();
  }, 120_000); // a hang guard for 800 requests (7–8 s at load 14), not a speed check

  /**
   * One route, called as a well-behaved client would (valid credentials, the ids it owns, a
   * valid body), so every handler's own input checks are reached; the generator then bends
   * one or more of: the body (another JSON type, one field off, not JSON), the query (the
   * route's own parameter names, repeated, with odd values), a path parameter (odd text,
   * non-ASCII, prototype names), the Idempotency-Key (long, odd) and the content type.
   */
  interface RouteCase {
    method: string;
    path: (params: string[]) => string;
    params: (() => string)[];
    auth: "customer" | "org" | "none";
    body?: Record<string, unknown>;
    query?: readonly string[];
  }

  it("C6 every route called with valid credentials and ids, then one or more inputs bent: never a 5xx, every error has a contract code", async () => {
    const customerHeaders = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    const orgHeaders = { Authorization: `Bearer ${org.apiKey}`, "Content-Type": "application/json" };
    const customers = (await (await send("GET", orgPaths.customers(), { headers: orgHeaders })).json()) as { customers: { id: string }[] };
    const customerId = customers.customers[0]!.id;
    let live = instanceId;
    const id = () => live;
    const newEndpoint = async () =>
      ((await (await send("POST", notificationPaths.endpoints(), { headers: orgHeaders, body: JSON.stringify({ url: "https://hooks.example.com/fuzz", eventTypes: ["instance.paused"] }) })).json()) as { endpoint: { id: string } }).endpoint.id;
    let endpointId = await newEndpoint();
    const nep = () => endpointId;
    const p = (...names: string[]) => names.map((n) => () => n);
    const cases: RouteCase[] = [
      { method: "POST", path: () => paths.session(), params: [], auth: "customer" },
      { method: "GET", path: () => paths.integrations(), params: [], auth: "customer", query: ["q", "category", "label", "state"] },
      { method: "GET", path: ([i]) => `${API_PREFIX}/integrations/${i}`, params: p("stripe"), auth: "customer", query: ["version"] },
      { method: "GET", path: () => paths.instances(), params: [], auth: "customer", query: ["integration"] },
      { method: "PATCH", path: ([i]) => `${API_PREFIX}/instances/${i}`, params: [id], auth: "customer", body: { name: "Payments EU" } },
      { method: "POST", path: ([i]) => `${API_PREFIX}/instances/${i}/upgrade`, params: [id], auth: "customer", body: { toVersion: 2 } },
      { method: "DELETE", path: ([i]) => `${API_PREFIX}/instances/${i}/upgrade`, params: [id], auth: "customer" },
      { method: "POST", path: () => paths.instances(), params: [], auth: "customer", body: { integrationId: "stripe" } },
      { method: "GET", path: ([i]) => `${API_PREFIX}/instances/${i}`, params: [id], auth: "customer" },
      { method: "DELETE", path: ([i]) => `${API_PREFIX}/instances/${i}`, params: [id], auth: "customer" },
      { method: "PUT", path: ([i, page]) => `${API_PREFIX}/instances/${i}/config/${page}`, params: [id, ...p("connect")], auth: "customer", body: { values: { stripeKey: { kind: "api-key", apiKey: "rk_test_fuzz" } } } },
      { method: "PUT", path: ([i, page]) => `${API_PREFIX}/instances/${i}/config/${page}`, params: [id, ...p("payments")], auth: "customer", body: { values: { currency: "usd", threshold: 100, metadata: "{}", liveMode: false } } },
      { method: "POST", path: ([i]) => `${API_PREFIX}/instances/${i}/deploy`, params: [id], auth: "customer", body: { integrationVersion: 1 } },
      { method: "POST", path: ([i]) => `${API_PREFIX}/instances/${i}/pause`, params: [id], auth: "customer" },
      { method: "POST", path: ([i]) => `${API_PREFIX}/instances/${i}/resume`, params: [id], auth: "customer" },
      { method: "GET", path: ([i]) => `${API_PREFIX}/instances/${i}/executions`, params: [id], auth: "customer" },
      { method: "GET", path: ([i, e]) => `${API_PREFIX}/instances/${i}/executions/${e}`, params: [id, ...p("exe_1")], auth: "customer" },
      { method: "POST", path: ([i, f]) => `${API_PREFIX}/instances/${i}/flows/${f}/test`, params: [id, ...p("record-payment")], auth: "customer", body: { payload: { type: "charge.succeeded", amount: 4200 } } },
      { method: "POST", path: ([i, e]) => `${API_PREFIX}/instances/${i}/executions/${e}/replays`, params: [id, ...p("exe_1")], auth: "customer" },
      { method: "GET", path: ([i, e]) => `${API_PREFIX}/instances/${i}/executions/${e}/replays`, params: [id, ...p("exe_1")], auth: "customer" },
      { method: "GET", path: ([i]) => `${API_PREFIX}/instances/${i}/alerts`, params: [id], auth: "customer" },
      { method: "GET", path: ([i]) => `${API_PREFIX}/instances/${i}/monitors`, params: [id], auth: "customer" },
      { method: "POST", path: ([i]) => `${API_PREFIX}/instances/${i}/monitors`, params: [id], auth: "customer", body: { kind: "slow", thresholdSeconds: 5, occurrences: 2, windowMinutes: 10, quietMinutes: 30 } },
      { method: "PUT", path: ([i, m]) => `${API_PREFIX}/instances/${i}/monitors/${m}`, params: [id, ...p("mon_1")], auth: "customer", body: { kind: "no-success", periodMinutes: 60 } },
      { method: "DELETE", path: ([i, m]) => `${API_PREFIX}/instances/${i}/monitors/${m}`, params: [id, ...p("mon_1")], auth: "customer" },
      { method: "GET", path: () => paths.alerts(), params: [], auth: "customer", query: ["status", "instance", "limit", "cursor"] },
      { method: "POST", path: ([a]) => `${API_PREFIX}/alerts/${a}/acknowledge`, params: p("alr_1"), auth: "customer" },
      { method: "POST", path: ([a]) => `${API_PREFIX}/alerts/${a}/resolve`, params: p("alr_1"), auth: "customer" },
      { method: "GET", path: () => paths.dashboard(), params: [], auth: "customer" },
      { method: "GET", path: () => paths.executions(), params: [], auth: "customer", query: ["instance", "flow", "status", "trigger", "from", "to", "q", "limit", "cursor"] },
      { method: "GET", path: () => paths.executionChanges(), params: [], auth: "customer", query: ["instance", "flow", "status", "trigger", "from", "to", "q", "cursor", "wait"] },
      { method: "POST", path: ([i, k]) => `${API_PREFIX}/instances/${i}/connections/${k}/test`, params: [id, ...p("stripeKey")], auth: "customer", body: { value: { kind: "api-key", apiKey: "rk_test_fuzz" } } },
      { method: "POST", path: ([i, k]) => `${API_PREFIX}/instances/${i}/connections/${k}/oauth`, params: [id, ...p("stripeKey")], auth: "customer" },
      { method: "POST", path: ([i, k]) => `${API_PREFIX}/instances/${i}/data-sources/${k}`, params: [id, ...p("currency")], auth: "customer", body: { values: { currency: "usd" }, search: "u" } },
      { method: "GET", path: () => connectionPaths.connections(), params: [], auth: "customer", query: ["app"] },
      { method: "POST", path: () => connectionPaths.connections(), params: [], auth: "customer", body: { app: "Stripe", name: "Stripe fuzz", credentials: { kind: "api-key", apiKey: "rk_test_fuzz2" } } },
      { method: "GET", path: () => connectionPaths.connectionApps(), params: [], auth: "customer" },
      { method: "GET", path: ([c]) => `${API_PREFIX}/connections/${c}`, params: p("con_1"), auth: "customer" },
      { method: "PATCH", path: ([c]) => `${API_PREFIX}/connections/${c}`, params: p("con_1"), auth: "customer", body: { name: "n", credentials: { kind: "api-key", apiKey: "rk_test_fuzz3" } } },
      { method: "DELETE", path: ([c]) => `${API_PREFIX}/connections/${c}`, params: p("con_1"), auth: "customer" },
      { method: "POST", path: ([c]) => `${API_PREFIX}/connections/${c}/test`, params: p("con_1"), auth: "customer" },
      { method: "POST", path: () => connectionPaths.connectionOAuth(), params: [], auth: "customer", body: { app: "Slack" } },
      { method: "GET", path: ([s]) => `${API_PREFIX}/connections/oauth/${s}`, params: p("state_1"), auth: "customer" },
      { method: "GET", path: ([c]) => `${API_PREFIX}/org/customers/${c}/connections`, params: [() => encodeURIComponent(customerId)], auth: "org" },
      { method: "POST", path: ([c]) => `${API_PREFIX}/org/customers/${c}/connections`, params: [() => encodeURIComponent(customerId)], auth: "org", body: { app: "Stripe", credentials: { kind: "api-key", apiKey: "rk_test_org" } } },
      { method: "PATCH", path: ([c, k]) => `${API_PREFIX}/org/customers/${c}/connections/${k}`, params: [() => encodeURIComponent(customerId), ...p("con_1")], auth: "org", body: { name: "n" } },
      { method: "DELETE", path: ([c, k]) => `${API_PREFIX}/org/customers/${c}/connections/${k}`, params: [() => encodeURIComponent(customerId), ...p("con_1")], auth: "org" },
      { method: "GET", path: ([i, a]) => `${API_PREFIX}/integrations/${i}/assets/${a}`, params: p("zendesk", "zendesk-webhook.svg"), auth: "none" },
      { method: "GET", path: () => paths.usage(), params: [], auth: "customer", query: ["period", "from", "to"] },
      { method: "GET", path: () => paths.oauthCallback(), params: [], auth: "none", query: ["state", "code", "error"] },
      { method: "GET", path: ([o]) => `${API_PREFIX}/embed/${o}`, params: p("demo"), auth: "none" },
      { method: "POST", path: ([t]) => `${API_PREFIX}/webhooks/${t}`, params: [() => encodeURIComponent(webhookToken)], auth: "none", body: { amount: 1 } },
      { method: "GET", path: () => orgPaths.customers(), params: [], auth: "org", query: ["q"] },
      { method: "POST", path: ([c]) => `${API_PREFIX}/org/customers/${c}/instances`, params: [() => encodeURIComponent(customerId)], auth: "org", body: { integrationId: "stripe", values: { stripeKey: { kind: "api-key", apiKey: "rk_test_fuzz" }, currency: "usd", threshold: 1, metadata: "{}", liveMode: false }, name: "n", labels: ["a"] } },
      { method: "GET", path: () => orgPaths.integrations(), params: [], auth: "org" },
      { method: "GET", path: ([i]) => `${API_PREFIX}/org/integrations/${i}`, params: p("stripe"), auth: "org", query: ["version"] },
      { method: "GET", path: ([i]) => `${API_PREFIX}/org/integrations/${i}/versions`, params: p("stripe"), auth: "org" },
      { method: "POST", path: ([i]) => `${API_PREFIX}/org/integrations/${i}/versions`, params: p("stripe"), auth: "org", body: { id: "stripe", version: 2 } },
      { method: "POST", path: ([i]) => `${API_PREFIX}/org/integrations/${i}/upgrades`, params: p("stripe"), auth: "org", body: { dryRun: true, fromVersion: 1 } },
      { method: "POST", path: () => orgPaths.replays(), params: [], auth: "org", body: { dryRun: true, status: "failed", from: "2026-01-01T00:00:00Z" } },
      { method: "GET", path: () => orgPaths.instances(), params: [], auth: "org", query: ["q", "description", "integration", "version", "update", "label", "customer", "status", "limit", "cursor"] },
      { method: "GET", path: ([i]) => `${API_PREFIX}/org/instances/${i}`, params: [id], auth: "org" },
      { method: "PATCH", path: ([i]) => `${API_PREFIX}/org/instances/${i}`, params: [id], auth: "org", body: { description: "d", labels: ["a"] } },
      { method: "DELETE", path: ([i]) => `${API_PREFIX}/org/instances/${i}`, params: [id], auth: "org" },
      { method: "POST", path: ([i]) => `${API_PREFIX}/org/instances/${i}/pause`, params: [id], auth: "org" },
      { method: "POST", path: ([i]) => `${API_PREFIX}/org/instances/${i}/resume`, params: [id], auth: "org" },
      { method: "GET", path: ([i]) => `${API_PREFIX}/org/instances/${i}/executions`, params: [id], auth: "org" },
      { method: "GET", path: () => `${API_PREFIX}/org/executions`, params: [], auth: "org", query: ["customer", "instance", "flow", "status", "trigger", "from", "to", "q", "limit", "cursor"] },
      { method: "GET", path: () => `${API_PREFIX}/org/alerts`, params: [], auth: "org", query: ["customer", "status", "instance", "limit", "cursor"] },
      { method: "GET", path: ([c]) => `${API_PREFIX}/org/customers/${c}/usage`, params: [() => encodeURIComponent(customerId)], auth: "org", query: ["period", "from", "to"] },
      { method: "GET", path: () => notificationPaths.eventTypes(), params: [], auth: "org" },
      { method: "GET", path: () => notificationPaths.endpoints(), params: [], auth: "org" },
      { method: "POST", path: () => notificationPaths.endpoints(), params: [], auth: "org", body: { url: "https://hooks.example.com/x", eventTypes: ["alert.raised"], description: "d", enabled: false } },
      { method: "GET", path: ([e]) => `${API_PREFIX}/org/notification-endpoints/${e}`, params: [nep], auth: "org" },
      { method: "PATCH", path: ([e]) => `${API_PREFIX}/org/notification-endpoints/${e}`, params: [nep], auth: "org", body: { url: "https://hooks.example.com/y", enabled: true, eventTypes: ["instance.resumed"] } },
      { method: "DELETE", path: ([e]) => `${API_PREFIX}/org/notification-endpoints/${e}`, params: [nep], auth: "org" },
      { method: "GET", path: ([e]) => `${API_PREFIX}/org/notification-endpoints/${e}/secret`, params: [nep], auth: "org" },
      { method: "POST", path: ([e]) => `${API_PREFIX}/org/notification-endpoints/${e}/secret/rotate`, params: [nep], auth: "org", body: { rolloverHours: 2 } },
      { method: "GET", path: ([e]) => `${API_PREFIX}/org/notification-endpoints/${e}/deliveries`, params: [nep], auth: "org", query: ["status", "eventType", "limit", "cursor"] },
      { method: "POST", path: ([e, d]) => `${API_PREFIX}/org/notification-endpoints/${e}/deliveries/${d}/redeliver`, params: [nep, ...p("dlv_1")], auth: "org" },
    ];
    // Every route of the table that a client calls with a credential or a token is bent here.
    const fuzzed = new Set(cases.map((c) => matchRoute(c.method, c.path(c.params.map((valid) => valid())))));
    const missing = routeTable.filter((route) => !route.undocumented && !route.mockOnly && !fuzzed.has(route));
    expect(missing.map((route) => route.operationId)).toEqual([]);
    const oddText = fc.oneof(weirdString, fc.constantFrom("é", "😀", "\u202e", "%", "%zz", "../..", "a b", "__proto__", "1e400", "-1", "0", "2026-02-30T25:00:00Z"));
    const bodyFor = (valid: Record<string, unknown> | undefined) =>
      fc.oneof(
        fc.constant(valid === undefined ? undefined : JSON.stringify(valid)),
        fc.constant(undefined),
        fc.constantFrom("[]", "null", "1", '"text"', "true", "[{}]", "{}", "{", "", " ", '{"__proto__":null}'),
        jsonValue.map((v) => JSON.stringify(v)),
        // One field of the valid body (or a new or prototype key) set to any JSON value.
        fc.tuple(fc.constantFrom(...Object.keys(valid ?? {}), ...PROTO_KEYS, "extra"), jsonValue).map(([k, v]) => objectText([...Object.entries(valid ?? {}).filter(([key]) => key !== k), [k, v]])),
      );
    const queryFor = (names: readonly string[] | undefined) =>
      fc.oneof(
        fc.constant(""),
        fc.array(fc.tuple(names?.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: weirdString }) : weirdString, oddText), { minLength: 1, maxLength: 4 }).map(
          (pairs) => `?${new URLSearchParams(pairs).toString()}`,
        ),
      );
    const headerText = (v: string) => v.replace(/[^\t\x20-\x7e]/g, "?");
    for (const c of cases) {
      await fc.assert(
        fc.asyncProperty(
          bodyFor(c.body),
          queryFor(c.query),
          // Which path parameter to bend (none when it is past the end), and into what.
          fc.nat(c.params.length * 2),
          oddText.map((s) => encodeURIComponent(s)),
          fc.oneof(fc.constant(undefined), weirdString, fc.integer({ min: 200, max: 7000 }).map((n) => "k".repeat(n))),
          fc.constantFrom(undefined, "application/json", "text/plain", "application/json; charset=utf-16", ""),
          async (payload, search, bent, odd, idempotencyKey, contentType) => {
            const params = c.params.map((valid, i) => (i === bent ? odd : valid()));
            const headers: Record<string, string> = c.auth === "customer" ? { ...customerHeaders } : c.auth === "org" ? { ...orgHeaders } : {};
            if (contentType !== undefined) headers["Content-Type"] = contentType;
            if (idempotencyKey !== undefined) headers["Idempotency-Key"] = headerText(idempotencyKey);
            const path = c.path(params);
            const response = await send(c.method, path + search, { headers, ...(payload !== undefined ? { body: payload } : {}) });
            await expectWellFormed(response, `${c.method} ${path.slice(0, 200)}${search.slice(0, 200)} ${String(payload).slice(0, 200)}`);
            if (c.method === "DELETE" && response.ok && path.includes("/notification-endpoints/")) endpointId = await newEndpoint();
            else if (c.method === "DELETE" && response.ok) {
              live = z.parse(instanceSchema, await (await send("POST", paths.instances(), { headers: customerHeaders, body: JSON.stringify({ integrationId: "stripe" }) })).json()).id;
            }
          },
        ),
        { numRuns: 40 },
      );
    }
    await platform.idle();
    // ~85 routes × 40 bent calls in one test: 12–13 s on two cores at load 14, past the unit
    // project's 30 s hang guard at load 20 (seen in a full run). A hang guard sized for this
    // test's 3,400 requests, not a speed check.
  }, 180_000);

  it("C6 routes over the HTTP server, its own answers included (a path outside the API, a body over 1 MiB): never a 5xx; every error has a contract code", async () => {
    const server = await startPlatformServer({ port: 0, organizations: [org.registration] });
    try {
      const bearer = await org.signToken();
      const outside = fc.oneof(fc.constantFrom("/", "/api", "/api/v2/instances", "/favicon.ico", "/frame", "/%", "/api/v1"), weirdString.map((s) => `/${encodeURIComponent(s)}`));
      const big = "x".repeat(1024 * 1024 + 1);
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(routeArb, fc.tuple(fc.constantFrom("GET", "POST", "PUT", "DELETE"), outside)),
          body,
          fc.boolean(),
          async ([method, path], payload, authorized) => {
            const init: RequestInit = { method, headers: authorized ? { Authorization: `Bearer ${bearer}`, "Content-Type": "application/json" } : {} };
            if (payload !== undefined && method !== "GET" && method !== "HEAD") init.body = payload;
            const response = await fetch(server.url + path, init);
            await expectWellFormed(response, `${method} ${path.slice(0, 200)}`, true);
          },
        ),
        {
          numRuns: 150,
          endOnFailure: true, // shrinking a 1 MiB body would take minutes; the failing input is reported as generated
          examples: [
            [["GET", "/nothing-here"], undefined, false],
            [["POST", paths.instances()], big, true],
            [["PUT", `${API_PREFIX}/instances/x/config/connect`], big, true],
            [["POST", "/nothing-here"], big, false],
          ],
        },
      );
    } finally {
      await server.close();
    }
  });

  it("C6 webhook bodies over the HTTP server's fast path: 4xx with a code for bad input, 200/202 otherwise", async () => {
    let server: PlatformServer | undefined;
    try {
      server = await startPlatformServer({ port: 0, organizations: [org.registration] });
      const bearer = await org.signToken();
      const headers = { Authorization: `Bearer ${bearer}`, "Content-Type": "application/json" };
      const api = (path: string, init: RequestInit = {}) => fetch(server!.url + path, { ...init, headers: { ...headers, ...init.headers } });
      const draft = z.parse(instanceSchema, await (await api(paths.instances(), { method: "POST", body: JSON.stringify({ integrationId: "stripe" }) })).json());
      await api(paths.instanceConfigPage(draft.id, "connect"), { method: "PUT", body: JSON.stringify({ values: { stripeKey: { kind: "api-key", apiKey: "rk_test_fuzz" } } }) });
      await api(paths.instanceConfigPage(draft.id, "payments"), { method: "PUT", body: JSON.stringify({ values: { currency: "usd", threshold: 100, metadata: "{}", liveMode: false } }) });
      const deployed = z.parse(deployResponse, await (await api(paths.instanceDeploy(draft.id), { method: "POST" })).json());
      const hookPath = new URL(deployed.instance.flows.find((f) => f.webhookUrl)!.webhookUrl!).pathname;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.constant(hookPath), pathParam(() => "x").map((t) => `${API_PREFIX}/webhooks/${t}`)),
          body,
          fc.option(fc.constantFrom("respond-async", "nope"), { nil: undefined }),
          async (path, payload, prefer) => {
            const response = await fetch(server!.url + path, { method: "POST", ...(payload !== undefined ? { body: payload } : {}), headers: prefer ? { Prefer: prefer } : {} });
            await expectWellFormed(response, `POST ${path.slice(0, 100)}`, true);
          },
        ),
        { numRuns: 120 },
      );
      const huge = await fetch(server.url + hookPath, { method: "POST", body: "x".repeat(1024 * 1024 + 1) });
      expect(huge.status).toBe(413);
      expect(((await huge.json()) as { error: { code: string } }).error.code).toBe(ApiErrorCode.PayloadTooLarge);
      // The state is still serialisable after everything the fuzzer sent (a deep body once broke it).
      expect(() => JSON.stringify(server!.platform.snapshot())).not.toThrow();
    } finally {
      await server?.close();
    }
  });
});

// -------------------------------------------------------------------------------------------
// (c) contract config validation

describe("fuzz: contract config validation", () => {
  const base = { key: "k", label: "K" };
  const definitions: fc.Arbitrary<ConfigVarDefinition> = fc.oneof(
    fc.record({ type: fc.constant("string" as const), required: fc.boolean(), pattern: fc.option(fc.constantFrom("[A-Z]+", "(a+)+$", "[", "\\", ".*"), { nil: undefined }), maxLength: fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }), minLength: fc.option(fc.nat(10), { nil: undefined }) }),
    fc.record({ type: fc.constant("number" as const), min: fc.option(weirdNumber, { nil: undefined }), max: fc.option(weirdNumber, { nil: undefined }), step: fc.option(fc.oneof(weirdNumber, fc.constantFrom(0, -0.5, 1e-320)), { nil: undefined }) }),
    fc.constant({ type: "boolean" as const }),
    fc.record({ type: fc.constant("picklist" as const), multiple: fc.boolean(), options: fc.constant([{ value: "a", label: "A" }, { value: "__proto__", label: "P" }]) }),
    fc.record({ type: fc.constant("code" as const), language: fc.constantFrom("json" as const, "xml" as const, "html" as const) }),
    fc.constantFrom({ type: "date" as const }, { type: "timestamp" as const }, { type: "schedule" as const }, { type: "value-list" as const }, { type: "key-value-list" as const }),
    fc.record({ type: fc.constant("connection" as const), connection: fc.record({ kind: fc.constantFrom("api-key" as const, "basic" as const, "oauth2" as const), app: fc.constant("App") }) }),
  ).map((d) => ({ ...base, ...d }) as ConfigVarDefinition);
  const valueFor = fc.oneof(
    jsonValue,
    fc.constantFrom("<a><b></a>", "<?xml?>".repeat(50), "<".repeat(5000), "{".repeat(5000), "2026-02-30", "9999-99-99T99:99:99Z", "* * * * *", "61 * * * *"),
    fc.record({ kind: fc.constantFrom("api-key", "basic", "oauth2", "__proto__"), apiKey: jsonValue, username: jsonValue, password: jsonValue, grantId: jsonValue }),
    fc.record({ kind: fc.constantFrom("cron", "interval", "daily", "weekly"), cron: weirdString, every: weirdNumber, unit: weirdString, time: weirdString, timezone: weirdString }),
    fc.array(fc.record({ key: jsonValue, value: jsonValue }), { maxLength: 3 }),
  );

  it("C6 configValueProblem never throws for any field type and any value; it answers a string or undefined", () => {
    fc.assert(
      fc.property(definitions, valueFor, fc.boolean(), (def, value, stored) => {
        const problem = configValueProblem(def, value, stored ? { storedSecrets: new Set(["k"]) } : {});
        expect(problem === undefined || typeof problem === "string").toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it("C6 configFieldProblems never throws for generated value maps, prototype keys included", () => {
    fc.assert(
      fc.property(fc.array(definitions, { maxLength: 3 }), fc.array(fc.tuple(fc.oneof(fc.constant("k"), fc.constantFrom(...PROTO_KEYS), weirdString), valueFor), { maxLength: 4 }), (defs, entries) => {
        const values = JSON.parse(objectText(entries)) as Record<string, unknown>;
        const fields = defs.map((d, i) => ({ ...d, key: i === 0 ? "k" : `k${i}` }));
        const problems = configFieldProblems(fields, values);
        for (const value of Object.values(problems)) expect(typeof value).toBe("string");
      }),
      { numRuns: 500 },
    );
  });
});
