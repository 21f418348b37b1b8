/**
 * The platform API conformance suite: the same cases run against the MSW handlers in Node
 * (setupServer) and against the real HTTP server on 127.0.0.1. A team building a real backend
 * can run it against theirs:
 *
 *   EMPORIUM_API_URL=https://api.example.test \
 *   EMPORIUM_TEST_ORG=acme EMPORIUM_TEST_PRIVATE_JWK='{"kty":"EC",…,"d":"…","kid":"…"}' \
 *   npx vitest run --project unit mock-server/http/api.conformance.test.ts
 *
 * (the organization must exist there with that key's public half and allow
 * http://localhost:4000). Add EMPORIUM_TEST_ORG_API_KEY=org_… (an organization API key of the
 * same organization) to run the organization API cases too. Cases that need to rehearse timing inside the platform (D4) run only
 * where the suite owns the platform.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SignJWT, importJWK, type CryptoKey, type JWK } from "jose";
import * as z from "zod/mini";
import { connectionPaths, paths, type Instance } from "../../contract/api.ts";
import { orgPaths } from "../../contract/org-api.ts";
import { notificationPaths } from "../../contract/org-notifications.ts";
import { orgActivityPaths } from "../../contract/org-activity.ts";
import { SCENARIO_HEADER, scenarioPath } from "../../contract/scenario.ts";
import { createHash } from "node:crypto";
import { setupMockPlatform } from "../transports/setup-server.ts";
import { startPlatformServer } from "../transports/http-server.ts";
import { createTestOrganization } from "../fixtures/test-organization.ts";
import { catalogUpdatesFixture } from "../fixtures/catalog-updates.ts";
import type { Platform } from "../domain/platform.ts";
import { matchRoute, routeTable } from "./route-table.ts";
import { routeTemplate, type Route } from "./route.ts";
import { schemaOf, type SchemaName, type SchemaValue } from "./schemas.ts";

const HOST_ORIGIN = "http://localhost:4000";

interface Target {
  baseUrl: string;
  orgId: string;
  /** Signs a customer JWT (claims/header overrides; `undefined` removes one). */
  sign(claims?: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  /** The organization's API key (org_…) for the organization API; absent = those cases do not run. */
  orgApiKey?: string;
  /** Present when the suite runs the platform itself. */
  platform?: Platform;
  close(): Promise<void>;
}

async function ownOrganization() {
  return createTestOrganization({ id: "conformance", name: "Conformance Org", allowedOrigins: [HOST_ORIGIN] });
}

const transports: Array<{ name: string; ownsPlatform: boolean; hasOrgApiKey: boolean; start(): Promise<Target> }> = [];

if (process.env.EMPORIUM_API_URL) {
  transports.push({
    name: `external backend ${process.env.EMPORIUM_API_URL}`,
    ownsPlatform: false,
    hasOrgApiKey: Boolean(process.env.EMPORIUM_TEST_ORG_API_KEY),
    async start() {
      const jwk = JSON.parse(process.env.EMPORIUM_TEST_PRIVATE_JWK ?? "{}") as JWK & { kid: string; alg?: string };
      const alg = jwk.alg ?? (jwk.kty === "RSA" ? "RS256" : "ES256");
      const key = (await importJWK(jwk, alg)) as CryptoKey;
      const orgId = process.env.EMPORIUM_TEST_ORG ?? "conformance";
      return {
        baseUrl: process.env.EMPORIUM_API_URL!.replace(/\/$/, ""),
        orgId,
        sign: (claims = {}, header = {}) => signWith(key, orgId, jwk.kid, alg, claims, header),
        ...(process.env.EMPORIUM_TEST_ORG_API_KEY ? { orgApiKey: process.env.EMPORIUM_TEST_ORG_API_KEY } : {}),
        close: async () => undefined,
      };
    },
  });
} else {
  transports.push(
    {
      name: "MSW handlers (setupServer)",
      ownsPlatform: true,
      hasOrgApiKey: true,
      async start() {
        const org = await ownOrganization();
        const mock = setupMockPlatform({ organizations: [org.registration] });
        mock.listen();
        return {
          baseUrl: "http://platform.test",
          orgId: org.id,
          sign: (c, h) => org.signToken(c, h),
          orgApiKey: org.apiKey,
          platform: mock.platform,
          close: async () => {
            await mock.platform.idle();
            await mock.close();
          },
        };
      },
    },
    {
      name: "HTTP server on 127.0.0.1",
      ownsPlatform: true,
      hasOrgApiKey: true,
      async start() {
        const org = await ownOrganization();
        const server = await startPlatformServer({ port: 0, organizations: [org.registration], scenarioApi: true });
        return { baseUrl: server.url, orgId: org.id, sign: (c, h) => org.signToken(c, h), orgApiKey: org.apiKey, platform: server.platform, close: () => server.close() };
      },
    },
  );
}

async function signWith(key: CryptoKey, orgId: string, kid: string, alg: string, claims: Record<string, unknown>, header: Record<string, unknown>) {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = { sub: "user-1", organization: orgId, customer: "customer-a", customer_name: "Customer A", role: "admin", aud: "emporium", iat: now, exp: now + 600, ...claims };
  for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k];
  const h: Record<string, unknown> = { alg, kid, typ: "JWT", ...header };
  for (const k of Object.keys(h)) if (h[k] === undefined) delete h[k];
  return new SignJWT(payload).setProtectedHeader(h as { alg: string }).sign(key);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

for (const transport of transports) {
  describe(`platform API — ${transport.name}`, () => {
    let t: Target;
    let tokenA: string;
    let tokenB: string;
    let viewerA: string;

    beforeAll(async () => {
      t = await transport.start();
      tokenA = await t.sign({ customer: "customer-a", customer_name: "Customer A" });
      tokenB = await t.sign({ customer: "customer-b", customer_name: "Customer B", sub: "user-b" });
      viewerA = await t.sign({ customer: "customer-a", sub: "viewer-a", role: "viewer" });
    });
    afterAll(async () => {
      await t.close();
    });

    /** Which request each response answered, and the table's routes the suite reached. */
    const sentBy = new WeakMap<Response, { method: string; path: string }>();
    const exercised = new Set<Route>();
    // Every request of this suite goes through this `fetch` (it shadows the global one), so the
    // suite knows the route behind each answer: expectOk checks the answer is the one the route
    // table documents, and the last case checks that every route of the table was exercised.
    const fetch = async (url: string, init: RequestInit = {}): Promise<Response> => {
      const response = await globalThis.fetch(url, init);
      const sent = { method: init.method ?? "GET", path: new URL(url).pathname };
      sentBy.set(response, sent);
      const route = matchRoute(sent.method, sent.path);
      if (route) exercised.add(route);
      return response;
    };

    const call = (path: string, init: RequestInit & { token?: string | null } = {}) => {
      const headers = new Headers(init.headers);
      const token = init.token === undefined ? tokenA : init.token;
      if (token) headers.set("Authorization", `Bearer ${token}`);
      if (init.body !== undefined && !headers.has("content-type")) headers.set("Content-Type", "application/json");
      return fetch(t.baseUrl + path, { ...init, headers });
    };
    /** Calls the organization API with the organization key (or `key`: another credential, null = none). */
    const orgCall = (path: string, init: RequestInit & { key?: string | null } = {}) =>
      call(path, { ...init, token: init.key === undefined ? t.orgApiKey! : init.key });
    /** Marks what one run of the suite creates (labels, names), so a reused platform's leftovers never match. */
    const run = Math.random().toString(36).slice(2, 8);
    /** A `status` answer whose body is the named schema, which the route table documents for that request. */
    async function expectOk<N extends SchemaName>(response: Response, name: N, status = 200): Promise<SchemaValue<N>> {
      const body: unknown = await response.json();
      expect(response.status, JSON.stringify(body)).toBe(status);
      const sent = sentBy.get(response)!;
      const documented = matchRoute(sent.method, sent.path)?.responses.some((r) => r.status === status && r.schema === name);
      expect(documented, `the route table documents ${status} ${name} for ${sent.method} ${sent.path}`).toBe(true);
      return z.parse(schemaOf(name), body) as SchemaValue<N>;
    }
    async function expectError(response: Response, status: number, code: string) {
      const body = z.parse(schemaOf("ApiError"), await response.json()) as SchemaValue<"ApiError">;
      expect({ status: response.status, code: body.error.code }, body.error.message).toEqual({ status, code });
      return body.error;
    }
    /** Each of these requests (path and method, no body), sent with `token`, is refused with `status` and `code`. */
    async function expectRefused(token: string, status: number, code: string, requests: ReadonlyArray<readonly [string, string]>) {
      for (const [path, method] of requests) await expectError(await call(path, { method, token }), status, code);
    }

    /** Activates an integration for a customer with valid values on every page, then deploys. */
    /** A draft of the integration: a new one (201) or the customer's unfinished one (200). */
    /** A customer of its own, for a first instance of an integration that allows one per customer. */
    const newCustomer = (id: string) => t.sign({ customer: id, customer_name: `Customer ${id}`, sub: `user-${id}` });
    async function draftOf(integrationId: string, token = tokenA) {
      const response = await call(paths.instances(), { method: "POST", body: JSON.stringify({ integrationId }), token });
      expect([200, 201]).toContain(response.status);
      const draft = await expectOk(response, "Instance", response.status);
      expect(draft.status).toBe("draft");
      return draft;
    }
    async function activate(integrationId: string, values: Record<string, Record<string, unknown>>, token = tokenA) {
      const draft = await draftOf(integrationId, token);
      for (const [page, pageValues] of Object.entries(values)) {
        await expectOk(await call(paths.instanceConfigPage(draft.id, page), { method: "PUT", body: JSON.stringify({ values: pageValues }), token }), "Instance");
      }
      return expectOk(await call(paths.instanceDeploy(draft.id), { method: "POST", token }), "DeployResponse");
    }
    const jiraValues = (password = "api-token-1234") => ({
      connect: { site: "acme.atlassian.net", jiraConnection: { kind: "basic", username: "ada@acme.example", password } },
      issues: { projectKey: "OPS", issueType: "Bug", labels: ["from-test"] },
    });
    const webhookOf = (i: Instance) => i.flows.find((f) => f.webhookUrl)!.webhookUrl!;
    /** Webhook URLs are absolute on the request's origin; the suite reaches them through its base URL. */
    const viaBase = (url: string) => t.baseUrl + new URL(url).pathname;

    describe("public endpoints", () => {
      it("serves the organization's embed config and 404s an unknown organization", async () => {
        const config = await expectOk(await call(paths.embedConfig(t.orgId), { token: null }), "EmbedConfig");
        expect(config.allowedOrigins).toContain(HOST_ORIGIN);
        await expectError(await call(paths.embedConfig("no-such-org"), { token: null }), 404, "NOT_FOUND");
      });

      it("answers an unknown API route with a typed 404", async () => {
        await expectError(await call(`${paths.instances()}/x/y/z/w`), 404, "NOT_FOUND");
      });
    });

    describe("authentication", () => {
      it("creates the customer and the user on first authenticate", async () => {
        const s = await expectOk(await call(paths.session(), { method: "POST", token: await t.sign({ customer: "fresh-co", customer_name: "Fresh Co", name: "Frida" }) }), "Session");
        expect(s.customer).toMatchObject({ externalId: "fresh-co", name: "Fresh Co" });
        expect(s.user).toMatchObject({ externalId: "user-1", name: "Frida", role: "admin" });
        expect(s.organization.id).toBe(t.orgId);
      });

      it("A1 alg none is rejected with TOKEN_ALG_NOT_ALLOWED", async () => {
        const now = Math.floor(Date.now() / 1000);
        const token = `${b64({ alg: "none", typ: "JWT", kid: "x" })}.${b64({ sub: "u", organization: t.orgId, customer: "c", iat: now, exp: now + 60 })}.`;
        await expectError(await call(paths.session(), { method: "POST", token }), 401, "TOKEN_ALG_NOT_ALLOWED");
      });

      it("A2 an HS256 token is rejected with TOKEN_ALG_NOT_ALLOWED", async () => {
        const now = Math.floor(Date.now() / 1000);
        const token = await new SignJWT({ organization: t.orgId, customer: "c" })
          .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: "x" })
          .setSubject("u")
          .setIssuedAt(now)
          .setExpirationTime(now + 60)
          .sign(new TextEncoder().encode("public-key-as-secret"));
        await expectError(await call(paths.session(), { method: "POST", token }), 401, "TOKEN_ALG_NOT_ALLOWED");
      });

      it("A3 missing exp or iat is a 401 TOKEN_CLAIM_MISSING", async () => {
        await expectError(await call(paths.session(), { method: "POST", token: await t.sign({ exp: undefined }) }), 401, "TOKEN_CLAIM_MISSING");
        await expectError(await call(paths.session(), { method: "POST", token: await t.sign({ iat: undefined }) }), 401, "TOKEN_CLAIM_MISSING");
      });

      it("A4 expired beyond the skew or not yet valid is a 401", async () => {
        const now = Math.floor(Date.now() / 1000);
        await expectError(await call(paths.session(), { method: "POST", token: await t.sign({ iat: now - 900, exp: now - 120 }) }), 401, "TOKEN_EXPIRED");
        await expectError(await call(paths.session(), { method: "POST", token: await t.sign({ nbf: now + 600 }) }), 401, "TOKEN_NOT_YET_VALID");
      });

      it("A5 wrong aud, iss, organization, unknown kid and jku/x5u headers are 401s", async () => {
        const cases: Array<[Record<string, unknown>, Record<string, unknown>, string]> = [
          [{ aud: "other" }, {}, "TOKEN_CLAIM_INVALID"],
          [{ iss: "other-org" }, {}, "TOKEN_CLAIM_INVALID"],
          [{ organization: "other-org" }, {}, "TOKEN_CLAIM_INVALID"],
          [{}, { kid: "unknown-kid" }, "TOKEN_KID_UNKNOWN"],
          [{}, { jku: "https://attacker.example/jwks" }, "TOKEN_HEADER_FORBIDDEN"],
          [{}, { x5u: "https://attacker.example/cert" }, "TOKEN_HEADER_FORBIDDEN"],
        ];
        for (const [claims, header, code] of cases) {
          const response = await call(paths.integrations(), { token: await t.sign(claims, header) });
          await expectError(response, 401, code);
          expect(response.headers.get("www-authenticate")).toContain(code);
        }
      });

      it("refuses a missing or malformed Authorization header", async () => {
        await expectError(await call(paths.integrations(), { token: null }), 401, "TOKEN_MISSING");
        await expectError(await call(paths.integrations(), { token: null, headers: { Authorization: "Basic abc" } }), 401, "TOKEN_MALFORMED");
      });
    });

    describe("marketplace", () => {
      it("lists at least 6 integrations in at least 3 categories, with search and filters", async () => {
        const all = await expectOk(await call(paths.integrations()), "IntegrationList");
        expect(all.integrations.length).toBeGreaterThanOrEqual(6);
        expect(all.categories.length).toBeGreaterThanOrEqual(3);
        const search = await expectOk(await call(`${paths.integrations()}?q=issues`), "IntegrationList");
        expect(search.integrations.map((i) => i.id)).toContain("jira");
        expect(search.integrations.length).toBeLessThan(all.integrations.length);
        const crm = await expectOk(await call(`${paths.integrations()}?category=CRM`), "IntegrationList");
        expect(crm.integrations.length).toBeGreaterThan(0);
        expect(crm.integrations.every((i) => i.category === "CRM")).toBe(true);
        await expectError(await call(`${paths.integrations()}?sort=name`), 400, "BAD_REQUEST");
        await expectError(await call(`${paths.integrations()}?q=${"x".repeat(201)}`), 400, "BAD_REQUEST");
      });

      it("shows an integration's config pages and flows, and 404s an unknown one", async () => {
        const detail = await expectOk(await call(paths.integration("jira")), "IntegrationDetail");
        expect(detail.configPages.map((p) => p.name)).toEqual(["connect", "issues"]);
        expect(detail.flows.map((f) => f.trigger.kind).sort()).toEqual(["deploy", "removal", "webhook"]);
        await expectError(await call(paths.integration("nope")), 404, "NOT_FOUND");
      });
    });

    describe("instances", () => {
      it("creates a draft once, saves config page by page with field errors, deploys with absolute webhook URLs", async () => {
        const create = () => call(paths.instances(), { method: "POST", body: JSON.stringify({ integrationId: "zendesk" }) });
        const draft = await expectOk(await create(), "Instance", 201);
        expect(draft.status).toBe("draft");
        expect((await expectOk(await create(), "Instance", 200)).id).toBe(draft.id);
        const list = await expectOk(await call(`${paths.integrations()}?state=needs-configuration`), "IntegrationList");
        expect(list.integrations.find((i) => i.id === "zendesk")?.activation).toEqual({ state: "needs-configuration", instanceId: draft.id, instanceCount: 0, activeCount: 0, updateAvailable: false });

        const bad = await expectError(
          await call(paths.instanceConfigPage(draft.id, "tickets"), {
            method: "PUT",
            body: JSON.stringify({ values: { priority: "asap", template: "<ticket><open></ticket>", tags: ["ok", ""], importSince: "yesterday" } }),
          }),
          422,
          "VALIDATION_FAILED",
        );
        expect(bad.page).toBe("tickets");
        expect(Object.keys(bad.fields ?? {}).sort()).toEqual(["importSince", "priority", "tags", "template"]);
        await expectError(await call(paths.instanceDeploy(draft.id), { method: "POST" }), 409, "INSTANCE_NOT_CONFIGURED");

        await expectOk(await call(paths.instanceConfigPage(draft.id, "connect"), { method: "PUT", body: JSON.stringify({ values: { subdomain: "acme", zendeskKey: { kind: "api-key", apiKey: "zd-secret-7731" } } }) }), "Instance");
        const saved = await expectOk(await call(paths.instanceConfigPage(draft.id, "tickets"), { method: "PUT", body: JSON.stringify({ values: { priority: "high" } }) }), "Instance");
        expect(saved.completedPages).toEqual(["connect", "tickets"]);
        expect(saved.configValues.zendeskKey).toEqual({ kind: "api-key", apiKey: { secret: "set" }, connectionId: expect.stringMatching(/^con_/) });

        const deployed = await expectOk(await call(paths.instanceDeploy(draft.id), { method: "POST" }), "DeployResponse");
        expect(deployed.instance.status).toBe("deployed");
        expect(deployed.executions.map((e) => [e.flowId, e.status])).toEqual([["create-trigger", "succeeded"]]);
        const url = webhookOf(deployed.instance);
        expect(url).toMatch(/^https?:\/\/[^/]+\/api\/v1\/webhooks\/[A-Za-z0-9_-]{40,}$/);
        expect(new URL(url).origin).toBe(new URL(t.baseUrl).origin);

        const listed = await expectOk(await call(paths.instances()), "InstanceList");
        expect(listed.instances.find((i) => i.id === draft.id)?.flows.find((f) => f.webhookUrl)?.webhookUrl).toBe(url);
        const state = await expectOk(await call(paths.integrations()), "IntegrationList");
        expect(state.integrations.find((i) => i.id === "zendesk")?.activation.state).toBe("activated");
      });

      it("S2 never returns a stored secret; an omitted secret is kept on reconfigure", async () => {
        const deployed = await activate("jira", jiraValues("jira-secret-4242"));
        const id = deployed.instance.id;
        await expectOk(await call(paths.instanceConfigPage(id, "connect"), { method: "PUT", body: JSON.stringify({ values: { site: "acme.atlassian.net", jiraConnection: { kind: "basic", username: "ada@acme.example" } } }) }), "Instance");
        const redeployed = await expectOk(await call(paths.instanceDeploy(id), { method: "POST" }), "DeployResponse");
        expect(redeployed.executions[0].status).toBe("succeeded");
        const run = await expectOk(await call(viaBase(webhookOf(redeployed.instance)).slice(t.baseUrl.length), { method: "POST", token: null, body: JSON.stringify({ message: "hello" }) }), "WebhookResponse");
        expect(run.status).toBe("succeeded");
        const texts = await Promise.all([call(paths.instance(id)), call(paths.instances()), call(paths.instanceExecutions(id))].map(async (r) => (await r).text()));
        for (const text of texts) expect(text).not.toContain("jira-secret-4242");
        expect(texts.join("")).toContain("[redacted]");
      });

      it("A6 another customer's instance ids answer 404, never 403", async () => {
        const { instance: mine } = await activate("jira", jiraValues());
        await expectRefused(tokenB, 404, "NOT_FOUND", [
          [paths.instance(mine.id), "GET"],
          [paths.instanceExecutions(mine.id), "GET"],
          [paths.instanceAlerts(mine.id), "GET"],
          [paths.instanceDeploy(mine.id), "POST"],
          [paths.instancePause(mine.id), "POST"],
          [paths.instance(mine.id), "DELETE"],
        ]);
        await expectError(await call(paths.instanceConfigPage(mine.id, "issues"), { method: "PUT", token: tokenB, body: JSON.stringify({ values: {} }) }), 404, "NOT_FOUND");
        const [firstRun] = (await expectOk(await call(paths.instanceExecutions(mine.id)), "ExecutionList")).executions;
        await expectError(await call(paths.instanceExecution(mine.id, firstRun.id), { token: tokenB }), 404, "NOT_FOUND");
        await expectError(await call(paths.instanceResume(mine.id), { method: "POST", token: tokenB }), 404, "NOT_FOUND");
        await expectError(await call(paths.instanceMonitors(mine.id), { token: tokenB }), 404, "NOT_FOUND");
        await expectError(await call(paths.instanceMonitors(mine.id), { method: "POST", token: tokenB, body: JSON.stringify({ kind: "failure" }) }), 404, "NOT_FOUND");
        await expectError(await call(paths.connectionTest(mine.id, "jiraConnection"), { method: "POST", token: tokenB, body: JSON.stringify({}) }), 404, "NOT_FOUND");
        const slack = await draftOf("slack");
        await expectError(await call(paths.oauthStart(slack.id, "slackConnection"), { method: "POST", token: tokenB }), 404, "NOT_FOUND");
        const theirs = await expectOk(await call(paths.instances(), { token: tokenB }), "InstanceList");
        expect(theirs.instances.map((i) => i.id)).not.toContain(mine.id);
        expect((await expectOk(await call(paths.instance(mine.id)), "Instance")).id).toBe(mine.id);
      });

      it("A8 a viewer can look but not deploy, pause, resume, delete, change config or alert monitors, test or connect accounts", async () => {
        const { instance: inst } = await activate("jira", jiraValues());
        await expectOk(await call(paths.instance(inst.id), { token: viewerA }), "Instance");
        await expectOk(await call(paths.instanceExecutions(inst.id), { token: viewerA }), "ExecutionList");
        await expectRefused(viewerA, 403, "FORBIDDEN", [
          [paths.instanceDeploy(inst.id), "POST"],
          [paths.instancePause(inst.id), "POST"],
          [paths.instanceResume(inst.id), "POST"],
          [paths.instance(inst.id), "DELETE"],
        ]);
        await expectError(await call(paths.instanceConfigPage(inst.id, "issues"), { method: "PUT", token: viewerA, body: JSON.stringify({ values: {} }) }), 403, "FORBIDDEN");
        await expectError(await call(paths.instances(), { method: "POST", token: viewerA, body: JSON.stringify({ integrationId: "stripe" }) }), 403, "FORBIDDEN");
        // The other writes a viewer could reach from an instance page: alert monitors, testing and connecting accounts.
        const before = await expectOk(await call(paths.instanceMonitors(inst.id), { token: viewerA }), "AlertMonitorList");
        await expectError(await call(paths.instanceMonitors(inst.id), { method: "POST", token: viewerA, body: JSON.stringify({ kind: "failure" }) }), 403, "FORBIDDEN");
        const connection = JSON.stringify({ value: { kind: "basic", username: "ada@acme.example", password: "guess" } });
        await expectError(await call(paths.connectionTest(inst.id, "jiraConnection"), { method: "POST", token: viewerA, body: connection }), 403, "FORBIDDEN");
        const slack = await draftOf("slack");
        await expectError(await call(paths.oauthStart(slack.id, "slackConnection"), { method: "POST", token: viewerA }), 403, "FORBIDDEN");
        expect(await expectOk(await call(paths.instanceMonitors(inst.id)), "AlertMonitorList")).toEqual(before);
        expect((await expectOk(await call(paths.instance(inst.id)), "Instance")).status).toBe("deployed");
      });

      it("pauses (webhook answers 409 INSTANCE_PAUSED), resumes, and deletes after running removal flows", async () => {
        const { instance: inst } = await activate("jira", jiraValues());
        const hook = viaBase(webhookOf(inst)).slice(t.baseUrl.length);
        expect((await expectOk(await call(paths.instancePause(inst.id), { method: "POST" }), "Instance")).status).toBe("paused");
        expect((await expectOk(await call(paths.instance(inst.id)), "Instance")).status).toBe("paused");
        const before = (await expectOk(await call(paths.instanceExecutions(inst.id)), "ExecutionList")).executions.length;
        await expectError(await call(hook, { method: "POST", token: null, body: JSON.stringify({ message: "x" }) }), 409, "INSTANCE_PAUSED");
        expect((await expectOk(await call(paths.instanceExecutions(inst.id)), "ExecutionList")).executions.length).toBe(before);
        expect((await expectOk(await call(paths.instanceResume(inst.id), { method: "POST" }), "Instance")).status).toBe("deployed");
        expect((await expectOk(await call(hook, { method: "POST", token: null, body: JSON.stringify({ message: "x" }) }), "WebhookResponse")).status).toBe("succeeded");

        const removed = await expectOk(await call(paths.instance(inst.id), { method: "DELETE" }), "DeleteInstanceResponse");
        expect(removed.executions.map((e) => [e.flowId, e.status])).toEqual([["unregister-webhook", "succeeded"]]);
        // Its own customer hears it is gone; anyone else that it never was.
        await expectError(await call(paths.instance(inst.id)), 410, "INSTANCE_DELETED");
        await expectError(await call(paths.instance(inst.id), { token: tokenB }), 404, "NOT_FOUND");
        await expectError(await call(hook, { method: "POST", token: null, body: "{}" }), 404, "NOT_FOUND");
      });

      it("reports usage of the caller's instances", async () => {
        const report = await expectOk(await call(`${paths.usage()}?from=2000-01-01T00:00:00Z`), "UsageReport");
        expect(report.instances.length).toBeGreaterThan(0);
        expect(report.customer.enabledSeconds).toBeGreaterThanOrEqual(0);
        await expectError(await call(`${paths.usage()}?from=yesterday`), 400, "BAD_REQUEST");
      });
    });

    describe("deploy idempotency and failing deploy triggers", () => {
      async function configuredDraft(integrationId = "jira", token = tokenA) {
        const draft = await draftOf(integrationId, token);
        for (const [page, values] of Object.entries(jiraValues())) {
          await expectOk(await call(paths.instanceConfigPage(draft.id, page), { method: "PUT", body: JSON.stringify({ values }), token }), "Instance");
        }
        return draft;
      }

      it("D2 a retry with the same Idempotency-Key returns the stored result and deploys once", async () => {
        const draft = await configuredDraft();
        const headers = { "Idempotency-Key": `d2-${draft.id}` };
        const first = await expectOk(await call(paths.instanceDeploy(draft.id), { method: "POST", headers }), "DeployResponse");
        const retry = await call(paths.instanceDeploy(draft.id), { method: "POST", headers });
        expect(retry.headers.get("idempotent-replayed")).toBe("true");
        expect(await expectOk(retry, "DeployResponse")).toEqual(first);
        const executions = await expectOk(await call(paths.instanceExecutions(draft.id)), "ExecutionList");
        expect(executions.executions.filter((e) => e.trigger === "deploy")).toHaveLength(1);
      });

      it("D2 a deploy that failed did nothing, so a retry with the same Idempotency-Key runs it", async () => {
        const draft = await draftOf("jira");
        const headers = { "Idempotency-Key": `d2-failed-${draft.id}` };
        await expectError(await call(paths.instanceDeploy(draft.id), { method: "POST", headers }), 409, "INSTANCE_NOT_CONFIGURED");
        for (const [page, values] of Object.entries(jiraValues())) {
          await expectOk(await call(paths.instanceConfigPage(draft.id, page), { method: "PUT", body: JSON.stringify({ values }) }), "Instance");
        }
        const retry = await call(paths.instanceDeploy(draft.id), { method: "POST", headers });
        expect(retry.headers.get("idempotent-replayed")).toBeNull();
        expect((await expectOk(retry, "DeployResponse")).instance.status).toBe("deployed");
      });

      it("D2 D3 Idempotency-Keys are per customer: another customer's identical key deploys its own instance", async () => {
        const mine = await configuredDraft();
        const theirs = await configuredDraft("jira", tokenB);
        const headers = { "Idempotency-Key": "same-key-on-two-customers" };
        const first = await expectOk(await call(paths.instanceDeploy(mine.id), { method: "POST", headers }), "DeployResponse");
        const second = await call(paths.instanceDeploy(theirs.id), { method: "POST", headers, token: tokenB });
        expect(second.headers.get("idempotent-replayed")).toBeNull();
        const body = await expectOk(second, "DeployResponse");
        expect(body.instance.id).toBe(theirs.id);
        expect(body.instance.id).not.toBe(first.instance.id);
      });

      it("D3 the same key with a different body is a 422 IDEMPOTENCY_KEY_REUSED", async () => {
        const draft = await configuredDraft();
        const headers = { "Idempotency-Key": `d3-${draft.id}` };
        await expectOk(await call(paths.instanceDeploy(draft.id), { method: "POST", headers }), "DeployResponse");
        await expectError(await call(paths.instanceDeploy(draft.id), { method: "POST", headers, body: JSON.stringify({ note: "different" }) }), 422, "IDEMPOTENCY_KEY_REUSED");
        const other = await configuredDraft();
        await expectError(await call(paths.instanceDeploy(other.id), { method: "POST", headers }), 422, "IDEMPOTENCY_KEY_REUSED");
        await expectOk(await call(paths.instanceDeploy(other.id), { method: "POST" }), "DeployResponse");
      });

      it("D8 a failing deploy trigger still deploys, records a failed execution and raises an alert", async () => {
        const { instance: inst, executions } = await activate("hubspot", {
          connect: { hubspotKey: { kind: "api-key", apiKey: "pat-na1-1234" } },
          deals: { pipeline: "archived" },
        });
        expect(inst.status).toBe("deployed");
        expect(executions).toHaveLength(1);
        expect(executions[0]).toMatchObject({ flowId: "verify-pipeline", trigger: "deploy", status: "failed" });
        expect(executions[0].error).toMatch(/archived/);
        const alerts = await expectOk(await call(paths.instanceAlerts(inst.id)), "AlertPage");
        expect(alerts.alerts).toEqual([expect.objectContaining({ kind: "execution-failed", executionId: executions[0].id, flowId: "verify-pipeline" })]);
        const recorded = await expectOk(await call(paths.instanceExecution(inst.id, executions[0].id)), "Execution");
        expect(recorded.logs.some((l) => l.level === "error" && l.step === "refuse")).toBe(true);
      });

      if (transport.ownsPlatform) {
        it("D4 a concurrent request with the same key gets 409 IDEMPOTENCY_IN_PROGRESS", async () => {
          if (!t.platform) throw new Error("this transport should own its platform");
          const draft = await configuredDraft();
          // The first deploy is held inside its (slow) Jira call until the second has been
          // answered: "concurrent" by construction, not by a 50 ms head start on a busy machine.
          const clock = t.platform.clock;
          const sleep = clock.sleep;
          let inFlight!: () => void;
          const started = new Promise<void>((resolve) => (inFlight = resolve));
          let release!: () => void;
          const held = new Promise<void>((resolve) => (release = resolve));
          clock.sleep = () => (inFlight(), held);
          t.platform.apps.latency.set("Jira", 300);
          try {
            const headers = { "Idempotency-Key": `d4-${draft.id}` };
            const a = call(paths.instanceDeploy(draft.id), { method: "POST", headers });
            await started;
            const b = await call(paths.instanceDeploy(draft.id), { method: "POST", headers });
            release();
            expect((await a).status).toBe(200);
            await expectError(b, 409, "IDEMPOTENCY_IN_PROGRESS");
          } finally {
            release();
            clock.sleep = sleep;
            t.platform.apps.latency.delete("Jira");
          }
        });
      }
    });

    describe("webhooks", () => {
      let hook: string;
      let instanceId: string;
      beforeAll(async () => {
        const deployed = await activate("jira", jiraValues());
        instanceId = deployed.instance.id;
        hook = viaBase(webhookOf(deployed.instance)).slice(t.baseUrl.length);
      });
      const executionCount = async () => (await expectOk(await call(paths.instanceExecutions(instanceId)), "ExecutionList")).executions.length;

      it("runs the flow synchronously and returns its output", async () => {
        const result = await expectOk(await call(hook, { method: "POST", token: null, body: JSON.stringify({ message: "Disk full" }) }), "WebhookResponse");
        expect(result.status).toBe("succeeded");
        expect(result.output).toMatchObject({ project: "OPS", issueId: expect.stringMatching(/^rec_/) });
        const recorded = await expectOk(await call(paths.instanceExecution(instanceId, result.executionId)), "Execution");
        expect(recorded.stepResults.create).toMatchObject({ status: "succeeded", result: { request: { body: { summary: "Disk full" } } } });
        expect(recorded.logs.filter((l) => l.step).map((l) => l.step)).toEqual(["event", "issue", "create", "result"]);
      });

      it("answers 202 with an execution id when the caller prefers respond-async", async () => {
        const response = await call(hook, { method: "POST", token: null, headers: { Prefer: "respond-async" }, body: JSON.stringify({ message: "later" }) });
        const accepted = await expectOk(response, "WebhookResponse", 202);
        expect(response.headers.get("preference-applied")).toBe("respond-async");
        // Until it has finished, however long that takes on a loaded machine (the one hang guard).
        const status = async () => (await expectOk(await call(paths.instanceExecution(instanceId, accepted.executionId)), "Execution")).status;
        await expect.poll(status, { interval: 20 }).not.toBe("running");
        expect(await status()).toBe("succeeded");
      });

      it("accepts an empty body (the flow sees no payload)", async () => {
        const result = await expectOk(await call(hook, { method: "POST", token: null }), "WebhookResponse");
        expect(result.status).toBe("failed");
        expect(result.error).toMatch(/payload has no "message"/);
      });

      it("refuses non-JSON with 400 INVALID_JSON and records nothing", async () => {
        const before = await executionCount();
        const error = await expectError(await call(hook, { method: "POST", token: null, body: "{not json", headers: { "Content-Type": "application/json" } }), 400, "INVALID_JSON");
        expect(await executionCount()).toBe(before);
        // The message never quotes the body back: it may hold a secret.
        expect(error.message).not.toContain("not json");
        const quoted = await expectError(await call(hook, { method: "POST", token: null, body: "hunter2-secret", headers: { "Content-Type": "application/json" } }), 400, "INVALID_JSON");
        expect(quoted.message).not.toContain("hunter2");
      });

      it("refuses a body over 1 MB with 413 PAYLOAD_TOO_LARGE and records nothing", async () => {
        const before = await executionCount();
        const big = JSON.stringify({ message: "x".repeat(1024 * 1024) });
        await expectError(await call(hook, { method: "POST", token: null, body: big }), 413, "PAYLOAD_TOO_LARGE");
        expect(await executionCount()).toBe(before);
      });

      it("answers an unknown token with 404", async () => {
        await expectError(await call(paths.webhook("not-a-real-token"), { method: "POST", token: null, body: "{}" }), 404, "NOT_FOUND");
      });

      it("gives each of many concurrent calls its own execution; customers never mix", async () => {
        const other = await activate("jira", jiraValues(), tokenB);
        const otherHook = viaBase(webhookOf(other.instance)).slice(t.baseUrl.length);
        const before = await executionCount();
        const results = await Promise.all(
          Array.from({ length: 24 }, (_, i) =>
            call(i % 3 === 0 ? otherHook : hook, { method: "POST", token: null, body: JSON.stringify({ message: `event ${i}` }) }).then((r) => expectOk(r, "WebhookResponse")),
          ),
        );
        expect(new Set(results.map((r) => r.executionId)).size).toBe(24);
        expect(await executionCount()).toBe(before + 16);
        const mine = await expectOk(await call(paths.instanceExecutions(instanceId)), "ExecutionList");
        const theirs = await expectOk(await call(paths.instanceExecutions(other.instance.id), { token: tokenB }), "ExecutionList");
        const summaries = (list: typeof mine) => list.executions.flatMap((e) => (e.trigger === "webhook" && e.status === "succeeded" ? [(e.stepResults.issue as { result: { summary: string } }).result.summary] : []));
        expect(summaries(theirs).sort()).toEqual(Array.from({ length: 8 }, (_, k) => `event ${k * 3}`).sort());
        const theirEvents = new Set(summaries(theirs));
        expect(summaries(mine).filter((summary) => theirEvents.has(summary))).toEqual([]);
      });
    });

    describe("connections and OAuth", () => {
      it("tests a connection: a refused key fails, a good one passes", async () => {
        const draft = await draftOf("stripe");
        const test = (apiKey: string) => call(paths.connectionTest(draft.id, "stripeKey"), { method: "POST", body: JSON.stringify({ value: { kind: "api-key", apiKey } }) });
        expect(await (await test("bad-key-000")).json()).toMatchObject({ ok: false, state: { kind: "api-key" } });
        expect(await (await test("rk_test_12345678")).json()).toMatchObject({ ok: true, state: { kind: "api-key", apiKey: { secret: "set" } } });
      });

      it("runs the OAuth authorization-code dance; a state mismatch and a denial are errors", async () => {
        const draft = await draftOf("slack");
        const start = await expectOk(await call(paths.oauthStart(draft.id, "slackConnection"), { method: "POST" }), "OAuthStartResponse");
        const authorize = new URL(start.authorizeUrl);
        const page = await fetch(t.baseUrl + authorize.pathname + authorize.search);
        expect(page.status).toBe(200);
        expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
        const html = await page.text();
        expect(html).toContain('<form method="post"');
        expect(html).not.toMatch(/<script>|\son\w+=/i);
        const decision = await fetch(t.baseUrl + "/mock-oauth/authorize", {
          method: "POST",
          redirect: "manual",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ state: start.state, decision: "allow" }).toString(),
        });
        expect(decision.status).toBe(303);
        const callback = new URL(decision.headers.get("location")!);
        expect(callback.pathname).toBe(paths.oauthCallback());
        const done = await fetch(t.baseUrl + callback.pathname + callback.search);
        const resultAttr = /data-result="([^"]*)"/.exec(await done.text())![1].replaceAll("&quot;", '"').replaceAll("&amp;", "&");
        const result = JSON.parse(resultAttr);
        expect(result).toMatchObject({ type: "emporium:oauth-result", ok: true, state: start.state, grantId: expect.any(String) });
        const saved = await expectOk(await call(paths.instanceConfigPage(draft.id, "connect"), { method: "PUT", body: JSON.stringify({ values: { slackConnection: { kind: "oauth2", grantId: result.grantId } } }) }), "Instance");
        expect(saved.configValues.slackConnection).toMatchObject({ kind: "oauth2", status: "active" });
        const tokenB_grant = await call(paths.instanceConfigPage(draft.id, "connect"), { method: "PUT", body: JSON.stringify({ values: { slackConnection: { kind: "oauth2", grantId: "grt_forged" } } }) });
        await expectError(tokenB_grant, 422, "VALIDATION_FAILED");

        const replay = await fetch(t.baseUrl + callback.pathname + callback.search);
        expect(replay.status).toBe(400);
        expect(await replay.text()).toContain("OAUTH_ALREADY_USED");

        const again = await expectOk(await call(paths.oauthStart(draft.id, "slackConnection"), { method: "POST" }), "OAuthStartResponse");
        const denied = await fetch(t.baseUrl + "/mock-oauth/authorize", {
          method: "POST",
          redirect: "manual",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ state: again.state, decision: "deny" }).toString(),
        });
        const deniedUrl = new URL(denied.headers.get("location")!);
        expect(await (await fetch(t.baseUrl + deniedUrl.pathname + deniedUrl.search)).text()).toContain("OAUTH_DENIED");
      });
    });

    describe("connections as first-class objects", () => {
      const run = Math.random().toString(36).slice(2, 8);
      /** Walks the mock provider's consent page: Allow (or Deny), then the platform's callback; returns the callback URL. */
      async function consent(start: { state: string }, decision: "allow" | "deny" = "allow") {
        const answer = await fetch(t.baseUrl + "/mock-oauth/authorize", {
          method: "POST",
          redirect: "manual",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ state: start.state, decision }).toString(),
        });
        const callback = new URL(answer.headers.get("location")!);
        const page = await fetch(t.baseUrl + callback.pathname + callback.search);
        return { callback: callback.pathname + callback.search, status: page.status, html: await page.text() };
      }

      it("one connection serves two instances; it lists them, and deleting it while they use it answers 409 naming them", async () => {
        const refused = await expectError(await call(connectionPaths.connections(), { method: "POST", body: JSON.stringify({ app: "Jira", credentials: { kind: "basic", username: "ada", password: "bad-password" } }) }), 422, "VALIDATION_FAILED");
        expect(refused.fields).toEqual({ password: expect.stringContaining("Jira refused") });
        await expectError(await call(connectionPaths.connections(), { method: "POST", body: JSON.stringify({ app: "Nowhere", credentials: { kind: "api-key", apiKey: "k-1234" } }) }), 422, "VALIDATION_FAILED");
        const jira = await expectOk(await call(connectionPaths.connections(), { method: "POST", body: JSON.stringify({ app: "Jira", name: `Jira ${run}`, credentials: { kind: "basic", username: "ada@acme.example", password: "api-token-1234" } }) }), "Connection", 201);
        expect(jira).toMatchObject({ app: "Jira", kind: "basic", status: "active", usedBy: [], credentials: { kind: "basic", username: "ada@acme.example", password: { secret: "set" } } });
        await expectError(await call(connectionPaths.connections(), { method: "POST", body: JSON.stringify({ app: "Jira", name: `jira ${run}`, credentials: { kind: "basic", username: "a", password: "p-1234" } }) }), 422, "VALIDATION_FAILED");
        const values = { connect: { site: "acme.atlassian.net", jiraConnection: { connectionId: jira.id } }, issues: { projectKey: "OPS", issueType: "Bug" } };
        const first = await activate("jira", values);
        const second = await activate("jira", values);
        expect(first.instance.configValues.jiraConnection).toEqual({ kind: "basic", username: "ada@acme.example", password: { secret: "set" }, connectionId: jira.id });
        const listed = await expectOk(await call(`${connectionPaths.connections()}?app=Jira`), "ConnectionList");
        const mine = listed.connections.find((c) => c.id === jira.id)!;
        expect(mine.usedBy.map((u) => u.instanceId).sort()).toEqual([first.instance.id, second.instance.id].sort());
        expect(listed.connections.every((c) => c.app === "Jira")).toBe(true);
        const inUse = await expectError(await call(connectionPaths.connection(jira.id), { method: "DELETE" }), 409, "CONNECTION_IN_USE");
        expect(inUse.message).toContain(`"${first.instance.name}"`);
        expect(inUse.message).toContain(`"${second.instance.name}"`);
        // A9: a viewer cannot remove or change it; another customer cannot see or use it (404, no existence leak).
        await expectRefused(viewerA, 403, "FORBIDDEN", [[connectionPaths.connection(jira.id), "DELETE"], [connectionPaths.connectionCheck(jira.id), "POST"]]);
        await expectRefused(tokenB, 404, "NOT_FOUND", [[connectionPaths.connection(jira.id), "GET"], [connectionPaths.connection(jira.id), "DELETE"], [connectionPaths.connectionCheck(jira.id), "POST"]]);
        const theirs = await draftOf("jira", tokenB);
        const stolen = await expectError(await call(paths.instanceConfigPage(theirs.id, "connect"), { method: "PUT", token: tokenB, body: JSON.stringify({ values: { site: "x.atlassian.net", jiraConnection: { connectionId: jira.id } } }) }), 422, "VALIDATION_FAILED");
        expect(stolen.fields).toEqual({ jiraConnection: "This Jira connection no longer exists; choose another one." });
        // Rename, check, reconnect (a refused password changes nothing), then remove once nothing uses it.
        expect((await expectOk(await call(connectionPaths.connection(jira.id), { method: "PATCH", body: JSON.stringify({ name: `Jira ops ${run}` }) }), "Connection")).name).toBe(`Jira ops ${run}`);
        expect(await expectOk(await call(connectionPaths.connectionCheck(jira.id), { method: "POST" }), "ConnectionCheck")).toMatchObject({ ok: true, message: "Connected to Jira as ada@acme.example." });
        await expectError(await call(connectionPaths.connection(jira.id), { method: "PATCH", body: JSON.stringify({ credentials: { kind: "basic", username: "ada@acme.example", password: "revoked-1" } }) }), 422, "VALIDATION_FAILED");
        await expectError(await call(connectionPaths.connection(jira.id), { method: "PATCH", body: JSON.stringify({ credentials: { kind: "api-key", apiKey: "k-1234" } }) }), 400, "BAD_REQUEST");
        const renewed = await expectOk(await call(connectionPaths.connection(jira.id), { method: "PATCH", body: JSON.stringify({ credentials: { kind: "basic", username: "ada@acme.example", password: "api-token-5678" } }) }), "Connection");
        expect(renewed.usedBy).toHaveLength(2);
        for (const i of [first.instance, second.instance]) expect((await call(paths.instance(i.id), { method: "DELETE" })).status).toBe(200);
        expect(await expectOk(await call(connectionPaths.connection(jira.id), { method: "DELETE" }), "DeleteConnectionResponse")).toEqual({ connectionId: jira.id });
        await expectError(await call(connectionPaths.connection(jira.id)), 404, "NOT_FOUND");
      });

      it("lists the apps a connection can be added for, with their kind, icon and integrations; a viewer may read them", async () => {
        const { apps } = await expectOk(await call(connectionPaths.connectionApps()), "ConnectionAppList");
        expect(apps.map((a) => a.app)).toEqual([...apps.map((a) => a.app)].sort((a, b) => a.localeCompare(b, "en")));
        expect(apps.find((a) => a.app === "Slack")).toEqual({ app: "Slack", kind: "oauth2", icon: expect.stringMatching(/^(https:|data:image)/), integrations: ["slack"] });
        expect(apps.find((a) => a.app === "Jira")).toMatchObject({ kind: "basic", integrations: expect.arrayContaining(["jira"]) });
        expect((await expectOk(await call(connectionPaths.connectionApps(), { token: viewerA }), "ConnectionAppList")).apps).toEqual(apps);
        await expectError(await call(connectionPaths.connectionApps(), { token: null }), 401, "TOKEN_MISSING");
      });

      it("typed credentials saved in a wizard become a connection the customer can reuse; re-typing them updates it in place", async () => {
        const token = await newCustomer(`typed-${run}`);
        const draft = await draftOf("stripe", token);
        const saved = await expectOk(await call(paths.instanceConfigPage(draft.id, "connect"), { method: "PUT", token, body: JSON.stringify({ values: { stripeKey: { kind: "api-key", apiKey: "rk_test_1111" } } }) }), "Instance");
        const { connectionId } = saved.configValues.stripeKey as { connectionId: string };
        const retyped = await expectOk(await call(paths.instanceConfigPage(draft.id, "connect"), { method: "PUT", token, body: JSON.stringify({ values: { stripeKey: { kind: "api-key", apiKey: "rk_test_2222" } } }) }), "Instance");
        expect((retyped.configValues.stripeKey as { connectionId: string }).connectionId).toBe(connectionId);
        const { connections } = await expectOk(await call(connectionPaths.connections(), { token }), "ConnectionList");
        expect(connections).toEqual([expect.objectContaining({ id: connectionId, app: "Stripe", name: "Stripe", account: "Stripe workspace (key …2222)", usedBy: [expect.objectContaining({ instanceId: draft.id, fieldKey: "stripeKey" })] })]);
        // The organization's instance list counts customers A and B only.
        expect((await call(paths.instance(draft.id), { method: "DELETE", token })).status).toBe(200);
      });

      it("S5 an OAuth connection: its status only for the user who started it, a replayed callback refused, a reconnect keeps the connection", async () => {
        await expectError(await call(connectionPaths.connectionOAuth(), { method: "POST", body: JSON.stringify({ app: "Nowhere" }) }), 404, "NOT_FOUND");
        const start = await expectOk(await call(connectionPaths.connectionOAuth(), { method: "POST", body: JSON.stringify({ app: "Slack" }) }), "OAuthStartResponse");
        expect(new URL(start.authorizeUrl).searchParams.get("state")).toBe(start.state);
        expect(await expectOk(await call(connectionPaths.connectionOAuthStatus(start.state)), "OAuthStatus")).toEqual({ status: "pending" });
        await expectError(await call(connectionPaths.connectionOAuthStatus(start.state), { token: tokenB }), 404, "NOT_FOUND");
        const done = await consent(start);
        expect(done.status).toBe(200);
        const status = await expectOk(await call(connectionPaths.connectionOAuthStatus(start.state)), "OAuthStatus");
        if (status.status !== "connected") throw new Error(`not connected: ${JSON.stringify(status)}`);
        expect(status.connection).toMatchObject({ app: "Slack", kind: "oauth2", status: "active", account: "Customer A on Slack" });
        const replay = await fetch(t.baseUrl + done.callback);
        expect(replay.status).toBe(400);
        const html = await replay.text();
        expect(html).toContain("OAUTH_ALREADY_USED");
        expect(html).not.toContain(start.state);
        expect(await expectOk(await call(connectionPaths.connectionOAuthStatus(start.state)), "OAuthStatus")).toEqual(status);
        // A reconnect is the same connection with a new grant; a denied one changes nothing.
        const denied = await expectOk(await call(connectionPaths.connectionOAuth(), { method: "POST", body: JSON.stringify({ app: "Slack", connectionId: status.connection.id }) }), "OAuthStartResponse");
        await consent(denied, "deny");
        expect(await expectOk(await call(connectionPaths.connectionOAuthStatus(denied.state)), "OAuthStatus")).toMatchObject({ status: "failed", error: { code: "OAUTH_DENIED" } });
        const again = await expectOk(await call(connectionPaths.connectionOAuth(), { method: "POST", body: JSON.stringify({ app: "Slack", connectionId: status.connection.id }) }), "OAuthStartResponse");
        await consent(again);
        const reconnected = await expectOk(await call(connectionPaths.connectionOAuthStatus(again.state)), "OAuthStatus");
        expect(reconnected).toMatchObject({ status: "connected", connection: { id: status.connection.id, status: "active" } });
        await expectError(await call(connectionPaths.connectionOAuth(), { method: "POST", body: JSON.stringify({ app: "Salesforce", connectionId: status.connection.id }) }), 400, "BAD_REQUEST");
      });
    });

    describe("data sources, conditional fields and display elements", () => {
      async function jiraConnected(token = tokenA) {
        const draft = await draftOf("jira", token);
        await expectOk(await call(paths.instanceConfigPage(draft.id, "connect"), { method: "PUT", body: JSON.stringify({ values: jiraValues().connect }), token }), "Instance");
        return draft.id;
      }
      const options = (id: string, key: string, body: unknown = {}, token = tokenA) =>
        call(paths.dataSourceOptions(id, key), { method: "POST", body: JSON.stringify(body), token });

      it("answers a data source's options from the customer's account; a dependent field follows the chosen value", async () => {
        const id = await jiraConnected();
        const projects = await expectOk(await options(id, "projectKey"), "DataSourceResult");
        expect(projects.truncated).toBe(false);
        expect(projects.options.map((o) => o.value)).toEqual(expect.arrayContaining(["OPS", "ENG", "SUP"]));
        expect(projects.options.find((o) => o.value === "SUP")).toEqual({ value: "SUP", label: "Customer Support", description: "SUP" });
        const eng = await expectOk(await options(id, "issueType", { values: { projectKey: "ENG" } }), "DataSourceResult");
        const sup = await expectOk(await options(id, "issueType", { values: { projectKey: "SUP" } }), "DataSourceResult");
        expect(eng.options.map((o) => o.value)).toContain("Bug");
        expect(sup.options.map((o) => o.value)).not.toContain("Bug");
        const searched = await expectOk(await options(id, "projectKey", { search: "support" }), "DataSourceResult");
        expect(searched.options.map((o) => o.value)).toEqual(["SUP"]);
        // No body at all is a request for every option.
        await expectOk(await call(paths.dataSourceOptions(id, "projectKey"), { method: "POST" }), "DataSourceResult");
      });

      it("refuses what it cannot answer: a missing dependency, no saved connection, a field that is no data source, bad input", async () => {
        const id = await jiraConnected();
        const dep = await expectError(await options(id, "issueType", { values: { projectKey: "" } }), 422, "VALIDATION_FAILED");
        expect(dep.fields).toEqual({ projectKey: "Choose Project first." });
        const token = await newCustomer("data-source-first");
        const fresh = await draftOf("hubspot", token);
        await expectError(await options(fresh.id, "pipeline", {}, token), 409, "CONNECTION_REQUIRED");
        // The organization's instance list counts customers A and B only.
        expect((await call(paths.instance(fresh.id), { method: "DELETE", token })).status).toBe(200);
        await expectError(await options(id, "labels"), 404, "NOT_FOUND");
        await expectError(await options(id, "projectKey", { search: "x".repeat(201) }), 400, "BAD_REQUEST");
        await expectError(await call(paths.dataSourceOptions(id, "projectKey"), { method: "POST", body: "{" }), 400, "INVALID_JSON");
      });

      it("S3 a data-source request naming another customer's instance answers 404; options come from the caller's own account", async () => {
        const a = await jiraConnected();
        await expectError(await options(a, "projectKey", {}, tokenB), 404, "NOT_FOUND");
        await expectError(await options("ins_unknown", "projectKey", {}, tokenB), 404, "NOT_FOUND");
        const b = await jiraConnected(tokenB);
        const mine = await expectOk(await options(a, "projectKey"), "DataSourceResult");
        const theirs = await expectOk(await options(b, "projectKey", {}, tokenB), "DataSourceResult");
        const own = (r: typeof mine) => r.options.filter((o) => o.label.endsWith(" internal")).map((o) => o.label);
        expect(own(mine)).toEqual(["Customer A internal"]);
        expect(own(theirs)).toEqual(["Customer B internal"]);
      });

      it("checks a newly chosen value against the source; a hidden field may not be set, a required visible one not skipped", async () => {
        const id = await jiraConnected();
        const wrong = await expectError(await call(paths.instanceConfigPage(id, "issues"), { method: "PUT", body: JSON.stringify({ values: { projectKey: "SUP", issueType: "Bug" } }) }), 422, "VALIDATION_FAILED");
        expect(wrong.fields).toEqual({ issueType: '"Bug" is not available in Jira; choose one of the options.' });
        const sf = await draftOf("salesforce");
        const hidden = await expectError(await call(paths.instanceConfigPage(sf.id, "sync"), { method: "PUT", body: JSON.stringify({ values: { sobject: "Lead", customObject: "Invoice__c" } }) }), 422, "VALIDATION_FAILED");
        expect(hidden.fields).toEqual({ customObject: "This field is hidden by the other choices, so it cannot be set." });
        const skipped = await expectError(await call(paths.instanceConfigPage(sf.id, "sync"), { method: "PUT", body: JSON.stringify({ values: { sobject: "Custom" } }) }), 422, "VALIDATION_FAILED");
        expect(skipped.fields).toEqual({ customObject: "This field is required." });
      });

      it("shows the displayed webhook URL and the generated key from the draft on, and serves the page's image", async () => {
        const first = await newCustomer("zendesk-first");
        const draft = await draftOf("zendesk", first);
        expect(draft.configValues.zendeskWebhookToken).toMatch(/^emk_/);
        const url = draft.flows.find((f) => f.id === "ticket-updated")?.webhookUrl;
        expect(new URL(url!).origin).toBe(new URL(t.baseUrl).origin);
        const early = await call(viaBase(url!).slice(t.baseUrl.length), { method: "POST", token: null, body: "{}" });
        await expectError(early, 409, "CONFLICT");
        const detail = await expectOk(await call(paths.integration("zendesk")), "IntegrationDetail");
        const image = detail.configPages.flatMap((p) => p.content ?? []).find((e) => e.kind === "image");
        expect(image).toMatchObject({ asset: "zendesk-webhook.svg" });
        const served = await call(paths.integrationAsset("zendesk", "zendesk-webhook.svg"), { token: null });
        expect(served.status).toBe(200);
        expect(served.headers.get("content-type")).toBe("image/svg+xml");
        expect(served.headers.get("x-content-type-options")).toBe("nosniff");
        expect(served.headers.get("content-security-policy")).toContain("default-src 'none'");
        expect(await served.text()).toMatch(/^<svg /);
        await expectError(await call(paths.integrationAsset("zendesk", "nope.svg"), { token: null }), 404, "NOT_FOUND");
        expect((await call(paths.instance(draft.id), { method: "DELETE", token: first })).status).toBe(200);
      });

      if (transport.ownsPlatform) {
        it("turns the app's faults into typed answers: down and garbage 502, thousands of options truncated", async () => {
          const id = await jiraConnected();
          try {
            t.platform!.scenario.set({ scenario: "data-source-down" });
            await expectError(await options(id, "projectKey"), 502, "DATA_SOURCE_FAILED");
            t.platform!.scenario.set({ scenario: "data-source-garbage" });
            await expectError(await options(id, "projectKey"), 502, "DATA_SOURCE_FAILED");
            t.platform!.scenario.set({ scenario: "data-source-huge" });
            const huge = await expectOk(await options(id, "projectKey"), "DataSourceResult");
            expect({ count: huge.options.length, truncated: huge.truncated }).toEqual({ count: 1000, truncated: true });
          } finally {
            t.platform!.scenario.set({ scenario: "none" });
          }
        });
      }
    });

    if (transport.hasOrgApiKey) {
      describe("organization API", () => {
        let customerA: string;
        let customerB: string;
        const jiraFlat = (password = "org-secret-9911") => ({
          site: "acme.atlassian.net",
          jiraConnection: { kind: "basic", username: "ops@acme.example", password },
          projectKey: "OPS",
          issueType: "Bug",
        });
        const deployFor = async (customerId: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
          orgCall(orgPaths.customerInstances(customerId), { method: "POST", body: JSON.stringify(body), headers });
        const search = async (params: Record<string, string | string[]>) => {
          const query = new URLSearchParams();
          for (const [k, v] of Object.entries(params)) for (const one of [v].flat()) query.append(k, one);
          return expectOk(await orgCall(`${orgPaths.instances()}?${query}`), "OrgInstancePage");
        };

        beforeAll(async () => {
          // Customers come into existence when one of their users first signs in.
          await expectOk(await call(paths.session(), { method: "POST", token: tokenA }), "Session");
          await expectOk(await call(paths.session(), { method: "POST", token: tokenB }), "Session");
          const list = await expectOk(await orgCall(orgPaths.customers()), "OrgCustomerList");
          customerA = list.customers.find((c) => c.externalId === "customer-a")!.id;
          customerB = list.customers.find((c) => c.externalId === "customer-b")!.id;
        });

        it("S4 a connection the organization provides: the customer uses it and sees who provides it, never its secret, and cannot change it", async () => {
          const canary = `sk_live_canary_${run}_9f3e`;
          await expectError(await orgCall(orgPaths.customerConnections(customerA), { method: "POST", body: JSON.stringify({ app: "Stripe", credentials: { kind: "api-key", apiKey: "invalid-key" } }) }), 422, "VALIDATION_FAILED");
          await expectError(await orgCall(orgPaths.customerConnections("cus_nobody"), { method: "POST", body: JSON.stringify({ app: "Stripe", credentials: { kind: "api-key", apiKey: canary } }) }), 404, "NOT_FOUND");
          const provided = await expectOk(await orgCall(orgPaths.customerConnections(customerA), { method: "POST", body: JSON.stringify({ app: "Stripe", name: `Stripe by us ${run}`, credentials: { kind: "api-key", apiKey: canary } }) }), "Connection", 201);
          expect(provided.providedBy).toEqual(expect.any(String));
          expect(provided.credentials).toBeUndefined();
          const seen: string[] = [];
          const read = async (response: Response) => {
            const text = await response.clone().text();
            seen.push(text);
            return response;
          };
          const mine = await expectOk(await read(await call(connectionPaths.connection(provided.id))), "Connection");
          expect(mine).toMatchObject({ id: provided.id, providedBy: provided.providedBy, status: "active" });
          expect(mine.credentials).toBeUndefined();
          expect(mine.account).toBeUndefined();
          await expectError(await read(await call(connectionPaths.connection(provided.id), { method: "PATCH", body: JSON.stringify({ name: "mine now" }) })), 403, "CONNECTION_PROVIDED");
          await expectError(await read(await call(connectionPaths.connection(provided.id), { method: "DELETE" })), 403, "CONNECTION_PROVIDED");
          await expectOk(await read(await call(connectionPaths.connectionCheck(provided.id), { method: "POST" })), "ConnectionCheck");
          const draft = await draftOf("stripe", tokenA);
          const saved = await expectOk(await read(await call(paths.instanceConfigPage(draft.id, "connect"), { method: "PUT", body: JSON.stringify({ values: { stripeKey: { connectionId: provided.id } } }) })), "Instance");
          expect(saved.configValues.stripeKey).toEqual({ kind: "api-key", connectionId: provided.id, providedBy: provided.providedBy });
          // A typed key with the secret left out does not borrow the provided one.
          await expectError(await read(await call(paths.instanceConfigPage(draft.id, "connect"), { method: "PUT", body: JSON.stringify({ values: { stripeKey: { kind: "api-key" } } }) })), 422, "VALIDATION_FAILED");
          await read(await call(paths.connectionTest(draft.id, "stripeKey"), { method: "POST", body: "{}" }));
          await read(await call(paths.instance(draft.id)));
          await read(await call(connectionPaths.connections()));
          expect(seen.filter((text) => text.includes(canary) || text.includes(canary.slice(-4)))).toEqual([]);
          // The organization sees and manages it; withdrawing it while used is refused.
          const listed = await expectOk(await orgCall(orgPaths.customerConnections(customerA)), "ConnectionList");
          expect(listed.connections.find((c) => c.id === provided.id)?.usedBy).toEqual([expect.objectContaining({ instanceId: draft.id })]);
          expect(JSON.stringify(listed)).not.toContain(canary);
          await expectOk(await orgCall(orgPaths.customerConnection(customerA, provided.id), { method: "PATCH", body: JSON.stringify({ credentials: { kind: "api-key", apiKey: `${canary}_2` } }) }), "Connection");
          await expectError(await orgCall(orgPaths.customerConnection(customerA, provided.id), { method: "DELETE" }), 409, "CONNECTION_IN_USE");
          await expectError(await orgCall(orgPaths.customerConnection(customerB, provided.id), { method: "DELETE" }), 404, "NOT_FOUND");
          expect((await call(paths.instance(draft.id), { method: "DELETE" })).status).toBe(200);
          expect(await expectOk(await orgCall(orgPaths.customerConnection(customerA, provided.id), { method: "DELETE" }), "DeleteConnectionResponse")).toEqual({ connectionId: provided.id });
        });

        it("a customer JWT on an organization endpoint answers 401 ORG_KEY_INVALID", async () => {
          for (const [path, method] of [
            [orgPaths.customers(), "GET"],
            [orgPaths.instances(), "GET"],
            [orgPaths.integrations(), "GET"],
            [orgPaths.customerInstances(customerA), "POST"],
            [orgPaths.instancePause("ins_x"), "POST"],
          ] as const) {
            const response = await orgCall(path, { method, key: tokenA, ...(method === "POST" ? { body: "{}" } : {}) });
            await expectError(response, 401, "ORG_KEY_INVALID");
            expect(response.headers.get("www-authenticate")).toContain("ORG_KEY_INVALID");
          }
        });

        it("an organization API key on customer endpoints answers 401", async () => {
          await expectRefused(t.orgApiKey!, 401, "TOKEN_MALFORMED", [
            [paths.session(), "POST"],
            [paths.integrations(), "GET"],
            [paths.instances(), "GET"],
          ]);
        });

        it("a missing, malformed or wrong organization key answers 401 ORG_KEY_INVALID", async () => {
          await expectError(await orgCall(orgPaths.customers(), { key: null }), 401, "ORG_KEY_INVALID");
          await expectError(await orgCall(orgPaths.customers(), { key: null, headers: { Authorization: "Basic abc" } }), 401, "ORG_KEY_INVALID");
          await expectError(await orgCall(orgPaths.customers(), { key: `${t.orgApiKey!}x` }), 401, "ORG_KEY_INVALID");
          await expectError(await orgCall(orgPaths.customers(), { key: "org_short" }), 401, "ORG_KEY_INVALID");
        });

        it("lists the organization's customers with their instance counts", async () => {
          const list = await expectOk(await orgCall(orgPaths.customers()), "OrgCustomerList");
          expect(list.customers.map((c) => c.externalId)).toEqual(expect.arrayContaining(["customer-a", "customer-b"]));
          const a = list.customers.find((c) => c.id === customerA)!;
          const mine = await expectOk(await call(paths.instances()), "InstanceList");
          expect(a).toMatchObject({ name: "Customer A", instanceCount: mine.instances.length });
          await expectError(await orgCall(`${orgPaths.customers()}?page=2`), 400, "BAD_REQUEST");
        });

        it("serves the catalog with the same config pages the customer's wizard shows", async () => {
          const list = await expectOk(await orgCall(orgPaths.integrations()), "OrgIntegrationList");
          expect(list.integrations.map((i) => i.id)).toContain("jira");
          const detail = await expectOk(await orgCall(orgPaths.integration("jira")), "OrgIntegration");
          const customerView = await expectOk(await call(paths.integration("jira")), "IntegrationDetail");
          expect(detail.configPages).toEqual(customerView.configPages);
          await expectError(await orgCall(orgPaths.integration("nope")), 404, "NOT_FOUND");
        });

        it("deploys an instance for a customer with config values; the customer sees it, secrets masked", async () => {
          const response = await deployFor(customerA, { integrationId: "jira", values: jiraFlat(), description: `ops alerts ${run}`, labels: [`deploy-${run}`] });
          const deployed = await expectOk(response, "OrgDeployResponse", 201);
          expect(deployed.instance).toMatchObject({ status: "deployed", integrationId: "jira", customerId: customerA, description: `ops alerts ${run}`, labels: [`deploy-${run}`] });
          expect(deployed.instance.customer).toEqual({ id: customerA, externalId: "customer-a", name: "Customer A" });
          expect(deployed.instance.configValues.jiraConnection).toEqual({ kind: "basic", username: "ops@acme.example", password: { secret: "set" }, connectionId: expect.stringMatching(/^con_/) });
          expect(deployed.instance.configValues.labels).toEqual(["from-emporium"]);
          expect(deployed.executions.map((e) => [e.flowId, e.status])).toEqual([["register-webhook", "succeeded"]]);
          const seen = await expectOk(await call(paths.instance(deployed.instance.id)), "Instance");
          expect(seen.status).toBe("deployed");
          await expectError(await call(paths.instance(deployed.instance.id), { token: tokenB }), 404, "NOT_FOUND");
          const hook = viaBase(webhookOf(seen)).slice(t.baseUrl.length);
          expect((await expectOk(await call(hook, { method: "POST", token: null, body: JSON.stringify({ message: "org" }) }), "WebhookResponse")).status).toBe("succeeded");
          const text = await (await orgCall(orgPaths.instance(deployed.instance.id))).text();
          expect(text).not.toContain("org-secret-9911");
        });

        it("refuses bad config values with field errors like the wizard does, and creates nothing", async () => {
          const before = (await search({ customer: customerA })).total;
          const bad = await expectError(
            await deployFor(customerA, {
              integrationId: "jira",
              values: { ...jiraFlat(), labels: [""], issueType: "Epic-ish", nonsense: 1 },
            }),
            422,
            "VALIDATION_FAILED",
          );
          expect(bad.page).toBe("issues");
          // The issue type is checked against the project's types in Jira, as the wizard's save is.
          expect(Object.keys(bad.fields ?? {}).sort()).toEqual(["issueType", "labels", "nonsense"]);
          const site = await expectError(await deployFor(customerA, { integrationId: "jira", values: { ...jiraFlat(), site: "not a site" } }), 422, "VALIDATION_FAILED");
          expect(site).toMatchObject({ page: "connect", fields: { site: expect.any(String) } });
          const missing = await expectError(await deployFor(customerA, { integrationId: "jira", values: { site: "acme.atlassian.net" } }), 422, "VALIDATION_FAILED");
          // Omitted fields take their defaults, as in the wizard; a required one without a default is missing.
          expect(missing).toMatchObject({ page: "connect", fields: { jiraConnection: expect.any(String) } });
          expect(Object.keys(missing.fields ?? {})).toEqual(["jiraConnection"]);
          expect((await search({ customer: customerA })).total).toBe(before);
          await expectError(await deployFor(customerA, { integrationId: "jira" }), 400, "BAD_REQUEST");
          await expectError(await deployFor(customerA, { integrationId: "nope", values: {} }), 404, "NOT_FOUND");
        });

        it("answers 404 when deploying for a customer that does not exist", async () => {
          await expectError(await deployFor("cus_doesnotexist", { integrationId: "jira", values: jiraFlat() }), 404, "NOT_FOUND");
          await expectError(await deployFor("customer-a", { integrationId: "jira", values: jiraFlat() }), 404, "NOT_FOUND");
        });

        it("D2 D3 honours Idempotency-Key on deploy for a customer", async () => {
          const body = { integrationId: "jira", values: jiraFlat(), labels: [`idem-${run}`] };
          const headers = { "Idempotency-Key": `org-idem-${run}` };
          const first = await expectOk(await deployFor(customerB, body, headers), "OrgDeployResponse", 201);
          const retry = await deployFor(customerB, body, headers);
          expect(retry.headers.get("idempotent-replayed")).toBe("true");
          expect(await expectOk(retry, "OrgDeployResponse", 201)).toEqual(first);
          expect((await search({ label: `idem-${run}` })).instances.map((i) => i.id)).toEqual([first.instance.id]);
          await expectError(await deployFor(customerB, { ...body, description: "other" }, headers), 422, "IDEMPOTENCY_KEY_REUSED");
        });

        it("sets labels and description; searches by name, description, integration, labels and customer", async () => {
          const a = await expectOk(await deployFor(customerA, { integrationId: "jira", values: jiraFlat(), name: `Jira for ${run}` }), "OrgDeployResponse", 201);
          const b = await expectOk(
            await deployFor(customerB, {
              integrationId: "hubspot",
              values: { hubspotKey: { kind: "api-key", apiKey: "pat-na1-5678" }, pipeline: "default" },
            }),
            "OrgDeployResponse",
            201,
          );
          const updated = await expectOk(
            await orgCall(orgPaths.instance(a.instance.id), { method: "PATCH", body: JSON.stringify({ labels: [`tier-${run}`, "vip"], description: `Escalations for the ${run} team` }) }),
            "OrgInstance",
          );
          expect(updated).toMatchObject({ labels: [`tier-${run}`, "vip"], description: `Escalations for the ${run} team` });
          await expectOk(await orgCall(orgPaths.instance(b.instance.id), { method: "PATCH", body: JSON.stringify({ labels: [`tier-${run}`] }) }), "OrgInstance");
          expect((await expectOk(await call(paths.instance(a.instance.id)), "Instance")).labels).toEqual([`tier-${run}`, "vip"]);

          const ids = (page: { instances: Array<{ id: string }> }) => page.instances.map((i) => i.id).sort();
          expect(ids(await search({ label: `tier-${run}` }))).toEqual([a.instance.id, b.instance.id].sort());
          expect(ids(await search({ label: [`tier-${run}`, "vip"] }))).toEqual([a.instance.id]);
          expect(ids(await search({ label: `tier-${run}`, customer: customerB }))).toEqual([b.instance.id]);
          expect(ids(await search({ label: `tier-${run}`, integration: "hubspot" }))).toEqual([b.instance.id]);
          expect(ids(await search({ q: `jira FOR ${run}` }))).toEqual([a.instance.id]);
          expect(ids(await search({ description: `escalations for the ${run}` }))).toEqual([a.instance.id]);
          expect((await search({ q: `no-such-name-${run}` })).total).toBe(0);
          const everyone = await search({ limit: "100" });
          expect(new Set(everyone.instances.map((i) => i.customerId))).toEqual(new Set([customerA, customerB]));

          await expectError(await orgCall(orgPaths.instance(a.instance.id), { method: "PATCH", body: JSON.stringify({}) }), 400, "BAD_REQUEST");
          await expectError(await orgCall(orgPaths.instance(a.instance.id), { method: "PATCH", body: JSON.stringify({ labels: ["<script>"] }) }), 400, "BAD_REQUEST");
        });

        it("paginates with an opaque cursor: every instance once, in a stable order", async () => {
          const label = `page-${run}`;
          const created: string[] = [];
          for (let i = 0; i < 5; i++) {
            const d = await expectOk(await deployFor(i % 2 ? customerB : customerA, { integrationId: "jira", values: jiraFlat(), labels: [label] }), "OrgDeployResponse", 201);
            created.push(d.instance.id);
          }
          const seen: string[] = [];
          let cursor: string | null = null;
          let pages = 0;
          do {
            const page: { instances: Array<{ id: string }>; total: number; nextCursor: string | null } = await search({ label, limit: "2", ...(cursor ? { cursor } : {}) });
            expect(page.total).toBe(5);
            expect(page.instances.length).toBeLessThanOrEqual(2);
            seen.push(...page.instances.map((i) => i.id));
            cursor = page.nextCursor;
            pages += 1;
          } while (cursor && pages < 10);
          expect(pages).toBe(3);
          expect([...seen].sort()).toEqual([...created].sort());
          expect(new Set(seen).size).toBe(5);
        });

        it("refuses unknown filters, malformed or foreign cursors and oversized searches with 400 and a reason", async () => {
          const first = await search({ limit: "1" });
          expect(first.nextCursor).not.toBeNull();
          const bad = async (query: string, code: string) => {
            const error = await expectError(await orgCall(`${orgPaths.instances()}?${query}`), 400, code);
            expect(error.message.length).toBeGreaterThan(10);
            return error;
          };
          expect((await bad("sort=name", "BAD_REQUEST")).message).toContain("sort");
          await bad(`q=${"x".repeat(201)}`, "BAD_REQUEST");
          await bad(`description=${"x".repeat(201)}`, "BAD_REQUEST");
          await bad("limit=0", "BAD_REQUEST");
          await bad("limit=abc", "BAD_REQUEST");
          await bad("q=a&q=b", "BAD_REQUEST");
          await bad("status=sleeping", "BAD_REQUEST");
          await bad("cursor=not-a-cursor", "INVALID_CURSOR");
          await bad("cursor=%%%", "INVALID_CURSOR");
          await bad(`cursor=${Buffer.from(JSON.stringify({ v: 1, c: "x" })).toString("base64url")}`, "INVALID_CURSOR");
          await bad(`limit=1&q=other&cursor=${first.nextCursor}`, "INVALID_CURSOR");
        });

        it("pauses, resumes and deletes any customer's instance and lists its executions", async () => {
          const { instance: inst } = await activate("jira", jiraValues(), tokenB);
          const hook = viaBase(webhookOf(inst)).slice(t.baseUrl.length);
          const paused = await expectOk(await orgCall(orgPaths.instancePause(inst.id), { method: "POST" }), "OrgInstance");
          expect(paused.status).toBe("paused");
          expect((await expectOk(await call(paths.instance(inst.id), { token: tokenB }), "Instance")).status).toBe("paused");
          await expectError(await call(hook, { method: "POST", token: null, body: JSON.stringify({ message: "x" }) }), 409, "INSTANCE_PAUSED");
          expect((await expectOk(await orgCall(orgPaths.instanceResume(inst.id), { method: "POST" }), "OrgInstance")).status).toBe("deployed");
          await expectOk(await call(hook, { method: "POST", token: null, body: JSON.stringify({ message: "via org" }) }), "WebhookResponse");
          const executions = await expectOk(await orgCall(orgPaths.instanceExecutions(inst.id)), "ExecutionList");
          expect(executions.executions.map((e) => e.trigger).sort()).toEqual(["deploy", "webhook"]);
          const removed = await expectOk(await orgCall(orgPaths.instance(inst.id), { method: "DELETE" }), "OrgDeleteResponse");
          expect(removed.executions.map((e) => e.flowId)).toEqual(["unregister-webhook"]);
          // The organization still sees it, as deleted by itself, and cannot act on it any more.
          const kept = await expectOk(await orgCall(orgPaths.instance(inst.id)), "OrgInstance");
          expect(kept).toMatchObject({ status: "deleted", deletedBy: { kind: "organization", id: t.orgId } });
          await expectError(await orgCall(orgPaths.instancePause(inst.id), { method: "POST" }), 410, "INSTANCE_DELETED");
          await expectError(await call(paths.instance(inst.id), { token: tokenB }), 410, "INSTANCE_DELETED");
          await expectError(await call(paths.instance(inst.id), { token: tokenA }), 404, "NOT_FOUND");
          await expectError(await orgCall(orgPaths.instancePause("ins_nope"), { method: "POST" }), 404, "NOT_FOUND");
        });

        it("A10 runs, alerts and usage across customers: every row says whose it is; a customer filter or a customer's usage holds that customer's data only", async () => {
          await expectOk(await deployFor(customerA, { integrationId: "jira", values: jiraFlat(), labels: [`a10-${run}`] }), "OrgDeployResponse", 201);
          const b = await expectOk(await deployFor(customerB, { integrationId: "jira", values: jiraFlat(), labels: [`a10-${run}`] }), "OrgDeployResponse", 201);
          const all = await expectOk(await orgCall(`${orgActivityPaths.executions()}?limit=200`), "OrgExecutionPage");
          expect(new Set(all.executions.map((e) => e.customer.id))).toEqual(new Set([customerA, customerB]));
          for (const [customer, other] of [[customerA, customerB], [customerB, customerA]]) {
            const page = await expectOk(await orgCall(`${orgActivityPaths.executions()}?customer=${customer}&limit=200`), "OrgExecutionPage");
            expect(page.executions.length).toBeGreaterThan(0);
            expect(page.executions.every((e) => e.customer.id === customer)).toBe(true);
            expect(JSON.stringify(page)).not.toContain(other);
            const alerts = await expectOk(await orgCall(`${orgActivityPaths.alerts()}?customer=${customer}&limit=200`), "OrgAlertPage");
            expect(alerts.alerts.every((a) => a.customer.id === customer)).toBe(true);
            const usage = await expectOk(await orgCall(`${orgActivityPaths.customerUsage(customer)}?period=current`), "OrgUsageReport");
            expect(usage).toMatchObject({ period: "current", customer: { id: customer }, customerRef: { id: customer } });
            const theirs = new Set((await search({ customer, limit: "100" })).instances.map((i) => i.id));
            expect(usage.instances.filter((i) => i.exists).every((i) => theirs.has(i.instanceId))).toBe(true);
          }
          // Another customer's instance under a customer filter is a 404, as is an unknown customer.
          await expectError(await orgCall(`${orgActivityPaths.executions()}?customer=${customerA}&instance=${b.instance.id}`), 404, "NOT_FOUND");
          await expectError(await orgCall(`${orgActivityPaths.alerts()}?customer=${customerA}&instance=${b.instance.id}`), 404, "NOT_FOUND");
          await expectError(await orgCall(`${orgActivityPaths.executions()}?customer=cus_nope`), 404, "NOT_FOUND");
          await expectError(await orgCall(orgActivityPaths.customerUsage("cus_nope")), 404, "NOT_FOUND");
          // Filters and pages are the logs' own.
          const deploys = await expectOk(await orgCall(`${orgActivityPaths.executions()}?trigger=deploy&instance=${b.instance.id}`), "OrgExecutionPage");
          expect(deploys.executions.map((e) => [e.instanceId, e.trigger, e.customer.externalId])).toEqual([[b.instance.id, "deploy", "customer-b"]]);
          const first = await expectOk(await orgCall(`${orgActivityPaths.executions()}?limit=1`), "OrgExecutionPage");
          const second = await expectOk(await orgCall(`${orgActivityPaths.executions()}?limit=1&cursor=${first.nextCursor}`), "OrgExecutionPage");
          expect(second.executions[0].id).not.toBe(first.executions[0].id);
          await expectError(await orgCall(`${orgActivityPaths.executions()}?cursor=nope`), 400, "INVALID_CURSOR");
          await expectError(await orgCall(`${orgActivityPaths.alerts()}?status=sleeping`), 400, "BAD_REQUEST");
          await expectError(await orgCall(`${orgActivityPaths.customerUsage(customerA)}?period=current&from=2026-01-01T00:00:00Z`), 400, "BAD_REQUEST");
          const custom = await expectOk(await orgCall(`${orgActivityPaths.customerUsage(customerA)}?from=2020-01-01T00:00:00Z`), "OrgUsageReport");
          expect(custom.period).toBe("custom");
        });

        it("registers notification endpoints, rotates their secret, logs deliveries and redelivers; N2 refuses private addresses", async () => {
          const types = await expectOk(await orgCall(notificationPaths.eventTypes()), "NotificationEventTypeList");
          expect(types.eventTypes.map((e) => e.type)).toEqual(expect.arrayContaining(["instance.deployed", "execution.failed", "alert.raised", "connection.reconnect_needed"]));
          const url = `https://hooks-${run}.invalid/emporium`;
          const created = await expectOk(
            await orgCall(notificationPaths.endpoints(), { method: "POST", body: JSON.stringify({ url, description: "ops", eventTypes: ["instance.paused", "instance.resumed"] }) }),
            "CreatedNotificationEndpoint",
            201,
          );
          expect(created.secret).toMatch(/^whsec_/);
          expect(created.endpoint).toMatchObject({ url, enabled: true, eventTypes: ["instance.paused", "instance.resumed"], consecutiveFailures: 0 });
          const id = created.endpoint.id;
          expect((await expectOk(await orgCall(notificationPaths.endpoints()), "NotificationEndpointList")).endpoints.map((e) => e.id)).toContain(id);
          expect(await expectOk(await orgCall(notificationPaths.endpoint(id)), "NotificationEndpoint")).toMatchObject({ id, description: "ops" });

          // N2: a loopback or private address is refused with a field error (this platform is not in development mode).
          for (const bad of ["https://127.0.0.1/hook", "https://10.1.2.3/hook", "https://[::1]/hook", "http://hooks.example.com/"]) {
            const refused = await expectError(await orgCall(notificationPaths.endpoints(), { method: "POST", body: JSON.stringify({ url: bad, eventTypes: ["instance.paused"] }) }), 422, "VALIDATION_FAILED");
            expect(refused.fields?.url).toEqual(expect.any(String));
          }
          await expectError(await orgCall(notificationPaths.endpoint(id), { method: "PATCH", body: JSON.stringify({ url: "https://192.168.0.1/" }) }), 422, "VALIDATION_FAILED");
          await expectError(await orgCall(notificationPaths.endpoints(), { method: "POST", body: JSON.stringify({ url, eventTypes: [] }) }), 400, "BAD_REQUEST");
          await expectError(await orgCall(notificationPaths.endpoints(), { method: "POST", body: JSON.stringify({ url, eventTypes: ["instance.exploded"] }) }), 400, "BAD_REQUEST");

          // Rotation: the new secret first, the previous one beside it until the rollover ends.
          const rotated = await expectOk(await orgCall(notificationPaths.endpointSecretRotation(id), { method: "POST", body: JSON.stringify({ rolloverHours: 1 }) }), "EndpointSecrets");
          expect(rotated.secrets.map((x) => x.secret)).toEqual([expect.stringMatching(/^whsec_/), created.secret]);
          expect(await expectOk(await orgCall(notificationPaths.endpointSecret(id)), "EndpointSecrets")).toEqual(rotated);
          await expectError(await orgCall(notificationPaths.endpointSecretRotation(id), { method: "POST", body: JSON.stringify({ rolloverHours: 1000 }) }), 400, "BAD_REQUEST");

          // An event queues a delivery in the log.
          const { instance: inst } = await activate("jira", jiraValues(), tokenA);
          await expectOk(await orgCall(orgPaths.instancePause(inst.id), { method: "POST" }), "OrgInstance");
          if (t.platform) {
            await t.platform.notifications.runDue();
            await t.platform.idle();
          }
          const log = await expectOk(await orgCall(`${notificationPaths.endpointDeliveries(id)}?eventType=instance.paused`), "NotificationDeliveryPage");
          expect(log.deliveries).toHaveLength(1);
          const [delivery] = log.deliveries;
          expect(JSON.parse(delivery.payload)).toMatchObject({ type: "instance.paused", data: { instance: { id: inst.id }, customer: { externalId: "customer-a" } } });
          expect(delivery.payload).not.toContain("api-token-1234");
          await expectError(await orgCall(`${notificationPaths.endpointDeliveries(id)}?status=lost`), 400, "BAD_REQUEST");
          await expectError(await orgCall(`${notificationPaths.endpointDeliveries(id)}?cursor=nope`), 400, "INVALID_CURSOR");
          const redelivery = await orgCall(notificationPaths.redelivery(id, delivery.id), { method: "POST" });
          if (redelivery.status === 503) {
            // This transport has no way out (the MSW handlers in a test): deliveries wait as pending.
            await expectError(redelivery, 503, "SERVICE_UNAVAILABLE");
            expect(delivery.status).toBe("pending");
          } else {
            const again = await expectOk(redelivery, "NotificationDelivery");
            expect(again.messageId).toBe(delivery.messageId);
            expect(again.attempts.at(-1)).toMatchObject({ manual: true, error: expect.any(String) });
          }
          await expectError(await orgCall(notificationPaths.redelivery(id, "dlv_nope"), { method: "POST" }), 404, "NOT_FOUND");

          // Disable, enable, delete; another organization sees nothing of it.
          expect(await expectOk(await orgCall(notificationPaths.endpoint(id), { method: "PATCH", body: JSON.stringify({ enabled: false }) }), "NotificationEndpoint")).toMatchObject({ enabled: false, disabled: { reason: "manual" } });
          await expectError(await orgCall(notificationPaths.redelivery(id, delivery.id), { method: "POST" }), 409, "CONFLICT");
          expect((await expectOk(await orgCall(notificationPaths.endpoint(id), { method: "PATCH", body: JSON.stringify({ enabled: true }) }), "NotificationEndpoint")).enabled).toBe(true);
          if (t.platform) {
            const other = await createTestOrganization({ id: `notify-org-${run}`, platform: t.platform });
            await expectError(await orgCall(notificationPaths.endpoint(id), { key: other.apiKey }), 404, "NOT_FOUND");
            await expectError(await orgCall(notificationPaths.endpointSecret(id), { key: other.apiKey }), 404, "NOT_FOUND");
            expect((await expectOk(await orgCall(notificationPaths.endpoints(), { key: other.apiKey }), "NotificationEndpointList")).endpoints).toEqual([]);
          }
          expect(await expectOk(await orgCall(notificationPaths.endpoint(id), { method: "DELETE" }), "DeletedNotificationEndpoint")).toEqual({ id, deleted: true });
          await expectError(await orgCall(notificationPaths.endpointDeliveries(id)), 404, "NOT_FOUND");
        });

        if (transport.ownsPlatform) {
          it("another organization's key sees none of these instances; an expired key answers 401", async () => {
            const other = await createTestOrganization({ id: `other-org-${run}`, platform: t.platform! });
            const page = await expectOk(await orgCall(orgPaths.instances(), { key: other.apiKey }), "OrgInstancePage");
            expect(page.total).toBe(0);
            const mine = await search({ limit: "1" });
            await expectError(await orgCall(orgPaths.instance(mine.instances[0].id), { key: other.apiKey }), 404, "NOT_FOUND");
            await expectError(await orgCall(orgPaths.customerInstances(customerA), { method: "POST", key: other.apiKey, body: JSON.stringify({ integrationId: "jira", values: jiraFlat() }) }), 404, "NOT_FOUND");

            const expiredKey = `org_expired_${run}_0123456789abcdef`;
            t.platform!.access.registerOrganization({
              ...other.registration,
              apiKeys: [{ id: "old", sha256: createHash("sha256").update(expiredKey).digest("hex"), expiresAt: t.platform!.clock.now() - 1000 }],
            });
            const expired = await expectError(await orgCall(orgPaths.customers(), { key: expiredKey }), 401, "ORG_KEY_INVALID");
            expect(expired.message).toMatch(/expired/);
          });
        }
      });
    }

    describe("CORS for host pages", () => {
      it("answers a preflight only for an allowed host origin", async () => {
        const allowed = await fetch(t.baseUrl + paths.integrations(), {
          method: "OPTIONS",
          headers: { Origin: HOST_ORIGIN, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" },
        });
        expect(allowed.headers.get("access-control-allow-origin")).toBe(HOST_ORIGIN);
        expect(allowed.headers.get("access-control-allow-headers")).toMatch(/authorization/i);
        const evil = await fetch(t.baseUrl + paths.integrations(), {
          method: "OPTIONS",
          headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "GET" },
        });
        expect(evil.headers.get("access-control-allow-origin")).toBeNull();
        const get = await call(paths.integrations(), { headers: { Origin: HOST_ORIGIN } });
        expect(get.headers.get("access-control-allow-origin")).toBe(HOST_ORIGIN);
        const evilGet = await call(paths.integrations(), { headers: { Origin: "https://evil.example" } });
        expect(evilGet.headers.get("access-control-allow-origin")).toBeNull();
      });
    });

    if (transport.ownsPlatform) {
      describe("what only the mock platform serves", () => {
        const form = { "Content-Type": "application/x-www-form-urlencoded" };

        it("the mock OAuth provider's token endpoint exchanges a code once, for its redirect URI only", async () => {
          const draft = await draftOf("slack");
          const start = await expectOk(await call(paths.oauthStart(draft.id, "slackConnection"), { method: "POST" }), "OAuthStartResponse");
          const decision = await fetch(t.baseUrl + "/mock-oauth/authorize", {
            method: "POST",
            redirect: "manual",
            headers: form,
            body: new URLSearchParams({ state: start.state, decision: "allow" }).toString(),
          });
          const callback = new URL(decision.headers.get("location")!);
          const code = callback.searchParams.get("code")!;
          const redirectUri = new URL(start.authorizeUrl).searchParams.get("redirect_uri")!;
          const token = (fields: Record<string, string>) => fetch(t.baseUrl + "/mock-oauth/token", { method: "POST", headers: form, body: new URLSearchParams(fields).toString() });

          const unsupported = await token({ grant_type: "client_credentials", code, redirect_uri: redirectUri });
          expect({ status: unsupported.status, body: await unsupported.json() }).toEqual({ status: 400, body: { error: "unsupported_grant_type" } });
          const elsewhere = await token({ grant_type: "authorization_code", code, redirect_uri: "https://evil.example/callback" });
          expect({ status: elsewhere.status, body: await elsewhere.json() }).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
          const granted = await token({ grant_type: "authorization_code", code, redirect_uri: redirectUri });
          expect(granted.status).toBe(200);
          expect(granted.headers.get("cache-control")).toBe("no-store");
          expect(await granted.json()).toMatchObject({ access_token: expect.stringMatching(/^at_/), refresh_token: expect.stringMatching(/^rt_/), token_type: "Bearer", expires_in: 3600 });
          const again = await token({ grant_type: "authorization_code", code, redirect_uri: redirectUri });
          expect({ status: again.status, body: await again.json() }).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
        });

        it("serves the OAuth pages' script and stylesheet as files of their type, never sniffed", async () => {
          for (const [path, type] of [["/mock-oauth/callback.js", "text/javascript"], ["/mock-oauth/style.css", "text/css"]]) {
            const response = await fetch(t.baseUrl + path);
            expect(response.status, path).toBe(200);
            expect(response.headers.get("content-type"), path).toContain(type);
            expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
            expect((await response.text()).length, path).toBeGreaterThan(0);
          }
        });

        it("switches the failure-rehearsal scenario by body or by query, and says so on every answer", async () => {
          expect(await expectOk(await call(scenarioPath(), { token: null }), "ScenarioState")).toMatchObject({ scenario: "none" });
          const slow = await expectOk(await call(scenarioPath(), { method: "PUT", token: null, body: JSON.stringify({ scenario: "slow-network", latencyMs: 1 }) }), "ScenarioState");
          expect(slow).toMatchObject({ scenario: "slow-network", latencyMs: 1 });
          expect((await call(paths.session(), { method: "POST" })).headers.get(SCENARIO_HEADER)).toBe("slow-network");
          await expectOk(await call(`${scenarioPath()}?scenario=none`, { method: "PUT", token: null }), "ScenarioState");
          const after = await call(paths.session(), { method: "POST" });
          expect(after.headers.get(SCENARIO_HEADER)).toBeNull();
          expect(await expectOk(await call(scenarioPath(), { token: null }), "ScenarioState")).toMatchObject({ scenario: "none" });
        });
      });
    }

    describe("observability: dashboard, logs, live tail, usage, monitors and alerts", () => {
      // Customers of their own, so other cases' runs never show up in these lists.
      let ops: string;
      let opsViewer: string;
      let other: string;
      let zendesk: Instance;
      let jira: Instance;
      const post = (instance: Instance, body: unknown) =>
        call(viaBase(webhookOf(instance)).slice(t.baseUrl.length), { method: "POST", token: null, body: JSON.stringify(body) });
      const zendeskValues = {
        connect: { subdomain: "acme", zendeskKey: { kind: "api-key", apiKey: "zd-ops-secret-5150" } },
        tickets: { priority: "high" },
      };
      beforeAll(async () => {
        ops = await t.sign({ customer: "customer-ops", customer_name: "Ops Co", sub: "ops-admin", name: "Ada Ops" });
        opsViewer = await t.sign({ customer: "customer-ops", sub: "ops-viewer", role: "viewer" });
        other = await t.sign({ customer: "customer-other", customer_name: "Other Co", sub: "other-admin" });
        zendesk = (await activate("zendesk", zendeskValues, ops)).instance;
        jira = (await activate("jira", jiraValues(), ops)).instance;
        await activate("zendesk", zendeskValues, other);
        for (const message of ["printer on fire", "disk full", "coffee machine down"]) expect((await post(zendesk, { message })).status).toBe(200);
        expect((await post(zendesk, { nothing: true })).status).toBe(200);
        expect((await post(jira, { message: "checkout is down", apiKey: "sk_live_leaked_1234" })).status).toBe(200);
      });

      it("lists every instance's runs newest first, a page at a time, each run once", async () => {
        const first = await expectOk(await call(`${paths.executions()}?limit=3`, { token: ops }), "ExecutionPage");
        expect(first.executions).toHaveLength(3);
        expect(first.nextCursor).toEqual(expect.any(String));
        const seen = [...first.executions];
        let cursor = first.nextCursor;
        while (cursor) {
          const page = await expectOk(await call(`${paths.executions()}?limit=3&cursor=${cursor}`, { token: ops }), "ExecutionPage");
          seen.push(...page.executions);
          cursor = page.nextCursor;
        }
        // Two deploy runs, four zendesk webhooks, one jira webhook.
        expect(seen).toHaveLength(7);
        expect(new Set(seen.map((e) => e.id)).size).toBe(7);
        const starts = seen.map((e) => e.startedAt);
        expect([...starts].sort().reverse()).toEqual(starts);
        expect(new Set(seen.map((e) => e.instanceId))).toEqual(new Set([zendesk.id, jira.id]));
        // The jira webhook was sent last, so it is the newest run: first, or tied with a zendesk run
        // that started in the same millisecond (a fast machine), whose order between them is free.
        const jiraRun = seen.find((e) => e.instanceId === jira.id && e.trigger === "webhook")!;
        expect(jiraRun.startedAt).toBe(seen[0].startedAt);
        expect(jiraRun).toMatchObject({ instanceName: jira.name, integrationId: "jira", flowId: "create-issue", trigger: "webhook", status: "succeeded" });
        expect(jiraRun.logCount).toBeGreaterThan(0);
        expect(jiraRun.lastLog?.message).toMatch(/succeeded/);
      });

      it("filters by instance, flow, status, trigger and time, and finds text in log lines", async () => {
        const list = async (query: string) => (await expectOk(await call(`${paths.executions()}?${query}`, { token: ops }), "ExecutionPage")).executions;
        expect((await list(`instance=${zendesk.id}`)).every((e) => e.instanceId === zendesk.id)).toBe(true);
        expect(await list(`instance=${zendesk.id}`)).toHaveLength(5);
        expect(await list("flow=create-ticket")).toHaveLength(4);
        const failed = await list("status=failed");
        expect(failed).toEqual([expect.objectContaining({ instanceId: zendesk.id, status: "failed", error: 'The payload has no "message".' })]);
        expect((await list("trigger=deploy")).map((e) => e.flowId).sort()).toEqual(["create-trigger", "register-webhook"]);
        const found = await list("q=DISK");
        expect(found).toHaveLength(1);
        expect(found[0].matches).toEqual([expect.objectContaining({ message: "New ticket: disk full" })]);
        const future = new Date(Date.now() + 3_600_000).toISOString();
        expect(await list(`from=${future}`)).toEqual([]);
        expect(await list(`to=${encodeURIComponent(new Date(Date.parse(found[0].startedAt)).toISOString())}&instance=${zendesk.id}&flow=create-ticket`)).toHaveLength(
          (await list(`instance=${zendesk.id}&flow=create-ticket`)).filter((e) => e.startedAt < found[0].startedAt).length,
        );
        await expectError(await call(`${paths.executions()}?sort=asc`, { token: ops }), 400, "BAD_REQUEST");
        await expectError(await call(`${paths.executions()}?limit=0`, { token: ops }), 400, "BAD_REQUEST");
        await expectError(await call(`${paths.executions()}?from=yesterday`, { token: ops }), 400, "BAD_REQUEST");
        await expectError(await call(`${paths.executions()}?cursor=not-a-cursor!`, { token: ops }), 400, "INVALID_CURSOR");
        await expectError(await call(`${paths.executions()}?q=${"x".repeat(201)}`, { token: ops }), 400, "BAD_REQUEST");
      });

      it("expands a run: steps with timings, the payload with secrets redacted, the output", async () => {
        const [run] = (await expectOk(await call(`${paths.executions()}?instance=${jira.id}&trigger=webhook`, { token: ops }), "ExecutionPage")).executions;
        const full = await expectOk(await call(paths.instanceExecution(jira.id, run.id), { token: ops }), "Execution");
        expect(full.payload).toEqual({ message: "checkout is down", apiKey: "[redacted]" });
        expect(JSON.stringify(full)).not.toContain("sk_live_leaked_1234");
        expect(full.stepResults.create).toMatchObject({ status: "succeeded", startedAt: expect.any(String), durationMs: expect.any(Number) });
        expect(full.output).toMatchObject({ project: "OPS" });
      });

      it("the live tail: a cursor, then the runs that started or changed since, waiting for one when asked", async () => {
        const start = await expectOk(await call(paths.executionChanges(), { token: ops }), "ExecutionChanges");
        expect(start).toEqual({ executions: [], cursor: expect.any(String), reset: false });
        const quiet = await expectOk(await call(`${paths.executionChanges()}?cursor=${start.cursor}&wait=0`, { token: ops }), "ExecutionChanges");
        expect(quiet.executions).toEqual([]);
        // A long poll answers as soon as a matching run comes in.
        const waiting = call(`${paths.executionChanges()}?cursor=${start.cursor}&wait=20&instance=${zendesk.id}`, { token: ops });
        await new Promise((resolve) => setTimeout(resolve, 100));
        const posted = (await (await post(zendesk, { message: "tail me" })).json()) as { executionId: string };
        const changed = await expectOk(await waiting, "ExecutionChanges");
        expect(changed.executions.map((e) => e.id)).toContain(posted.executionId);
        expect(changed.executions.find((e) => e.id === posted.executionId)).toMatchObject({ status: expect.stringMatching(/running|succeeded/) });
        // Another customer's tail sees none of it.
        const theirs = await expectOk(await call(`${paths.executionChanges()}?cursor=${start.cursor}&wait=0`, { token: other }), "ExecutionChanges");
        expect(theirs.executions).toEqual([]);
        // A cursor the platform does not know: load the first page again.
        expect(await expectOk(await call(`${paths.executionChanges()}?cursor=zz.1`, { token: ops }), "ExecutionChanges")).toMatchObject({ executions: [], reset: true });
        await expectError(await call(`${paths.executionChanges()}?cursor=${start.cursor}&wait=26`, { token: ops }), 400, "BAD_REQUEST");
      });

      it("A9 monitors: an admin creates, edits and deletes them; a viewer reads but changes nothing (403); bad settings are 422 per field", async () => {
        const defaults = await expectOk(await call(paths.instanceMonitors(jira.id), { token: opsViewer }), "AlertMonitorList");
        expect(defaults.monitors.map((m) => m.kind)).toEqual(["failure", "slow"]);
        const created = await expectOk(
          await call(paths.instanceMonitors(jira.id), { method: "POST", token: ops, body: JSON.stringify({ kind: "no-success", periodMinutes: 120, flowId: "create-issue", name: "Quiet issues" }) }),
          "AlertMonitor",
          201,
        );
        expect(created).toMatchObject({ kind: "no-success", periodMinutes: 120, flowId: "create-issue", name: "Quiet issues", quietMinutes: 60, enabled: true });
        const edited = await expectOk(
          await call(paths.instanceMonitor(jira.id, created.id), { method: "PUT", token: ops, body: JSON.stringify({ kind: "slow", thresholdSeconds: 10, occurrences: 3, windowMinutes: 5, quietMinutes: 0 }) }),
          "AlertMonitor",
        );
        expect(edited).toMatchObject({ id: created.id, kind: "slow", thresholdSeconds: 10, occurrences: 3, windowMinutes: 5, quietMinutes: 0, name: "" });
        expect(edited.periodMinutes).toBeUndefined();
        const invalid = await expectError(
          await call(paths.instanceMonitors(jira.id), { method: "POST", token: ops, body: JSON.stringify({ kind: "slow", occurrences: 0, quietMinutes: 1.5, flowId: "nope" }) }),
          422,
          "VALIDATION_FAILED",
        );
        expect(Object.keys(invalid.fields ?? {}).sort()).toEqual(["flowId", "occurrences", "quietMinutes", "thresholdSeconds"]);
        await expectError(await call(paths.instanceMonitors(jira.id), { method: "POST", token: ops, body: JSON.stringify({ kind: "sometimes" }) }), 400, "BAD_REQUEST");
        for (const [path, method, body] of [
          [paths.instanceMonitors(jira.id), "POST", { kind: "failure" }],
          [paths.instanceMonitor(jira.id, created.id), "PUT", { kind: "failure" }],
          [paths.instanceMonitor(jira.id, created.id), "DELETE", undefined],
        ] as const) {
          await expectError(await call(path, { method, token: opsViewer, ...(body ? { body: JSON.stringify(body) } : {}) }), 403, "FORBIDDEN");
        }
        await expectError(await call(paths.instanceMonitor(jira.id, created.id), { method: "DELETE", token: other }), 404, "NOT_FOUND");
        const left = await expectOk(await call(paths.instanceMonitor(jira.id, created.id), { method: "DELETE", token: ops }), "AlertMonitorList");
        expect(left.monitors.map((m) => m.id)).toEqual(defaults.monitors.map((m) => m.id));
        await expectError(await call(paths.instanceMonitor(jira.id, created.id), { method: "DELETE", token: ops }), 404, "NOT_FOUND");
      });

      it("P3 one caller flooding an instance's webhook raises one alert per monitor and quiet period; it is acknowledged and resolved", async () => {
        const flooded = (await activate("jira", jiraValues(), other)).instance;
        for (let i = 0; i < 40; i++) expect((await post(flooded, { junk: i })).status).toBe(200);
        const page = await expectOk(await call(`${paths.alerts()}?instance=${flooded.id}`, { token: other }), "AlertPage");
        expect(page.alerts).toHaveLength(1);
        const [alert] = page.alerts;
        expect(alert).toMatchObject({ kind: "execution-failed", status: "open", occurrences: 40, flowId: "create-issue" });
        expect(alert.lastExecutionId).not.toBe(alert.executionId);
        const acked = await expectOk(await call(paths.alertAcknowledge(alert.id), { method: "POST", token: other }), "Alert");
        expect(acked).toMatchObject({ status: "acknowledged", acknowledgedAt: expect.any(String), acknowledgedBy: expect.any(String) });
        const resolved = await expectOk(await call(paths.alertResolve(alert.id), { method: "POST", token: other }), "Alert");
        expect(resolved).toMatchObject({ status: "resolved", resolvedAt: expect.any(String) });
        await expectError(await call(paths.alertAcknowledge(alert.id), { method: "POST", token: other }), 409, "CONFLICT");
        // Still within the quiet period: more junk is counted in, no new alert.
        await post(flooded, { junk: "again" });
        const after = await expectOk(await call(`${paths.alerts()}?instance=${flooded.id}`, { token: other }), "AlertPage");
        expect(after.alerts.map((a) => [a.id, a.occurrences, a.status])).toEqual([[alert.id, 41, "resolved"]]);
        expect((await expectOk(await call(`${paths.instanceAlerts(flooded.id)}?status=unresolved`, { token: other }), "AlertPage")).alerts).toEqual([]);
        await expectError(await call(`${paths.alerts()}?status=maybe`, { token: other }), 400, "BAD_REQUEST");
      });

      it("A10 the dashboard, logs, usage and alerts never hold another customer's data; their alerts cannot be touched", async () => {
        const theirs = await expectOk(await call(`${paths.alerts()}?status=unresolved`, { token: other }), "AlertPage");
        const mine = [
          JSON.stringify(await expectOk(await call(paths.dashboard(), { token: ops }), "Dashboard")),
          JSON.stringify(await expectOk(await call(`${paths.executions()}?limit=200`, { token: ops }), "ExecutionPage")),
          JSON.stringify(await expectOk(await call(`${paths.usage()}?period=current`, { token: ops }), "UsageReport")),
          JSON.stringify(await expectOk(await call(`${paths.alerts()}?limit=200`, { token: ops }), "AlertPage")),
        ].join("");
        const otherInstances = (await expectOk(await call(paths.instances(), { token: other }), "InstanceList")).instances;
        expect(otherInstances.length).toBeGreaterThan(0);
        for (const instance of otherInstances) expect(mine).not.toContain(instance.id);
        const otherRuns = await expectOk(await call(`${paths.executions()}?limit=200`, { token: other }), "ExecutionPage");
        for (const run of otherRuns.executions) expect(mine).not.toContain(run.id);
        await expectError(await call(`${paths.executions()}?instance=${otherInstances[0].id}`, { token: ops }), 404, "NOT_FOUND");
        await expectError(await call(`${paths.alerts()}?instance=${otherInstances[0].id}`, { token: ops }), 404, "NOT_FOUND");
        await expectError(await call(paths.alertResolve("alr_does_not_exist"), { method: "POST", token: ops }), 404, "NOT_FOUND");
        const alertTheirs = (await expectOk(await call(`${paths.alerts()}`, { token: other }), "AlertPage")).alerts[0] ?? theirs.alerts[0];
        await expectError(await call(paths.alertAcknowledge(alertTheirs.id), { method: "POST", token: ops }), 404, "NOT_FOUND");
        await expectError(await call(paths.alertResolve(alertTheirs.id), { method: "POST", token: ops }), 404, "NOT_FOUND");
      });

      it("the dashboard: each activated instance with its health, recent failures and usage; paused time shown, not billed", async () => {
        await expectOk(await call(paths.instancePause(jira.id), { method: "POST", token: ops }), "Instance");
        const board = await expectOk(await call(paths.dashboard(), { token: ops }), "Dashboard");
        const byId = new Map(board.instances.map((i) => [i.id, i]));
        expect(byId.get(zendesk.id)).toMatchObject({ status: "deployed", health: ["active"], runs24h: 6, failures24h: 1, reconnect: [] });
        expect(byId.get(jira.id)).toMatchObject({ status: "paused", health: ["paused"] });
        expect(byId.get(zendesk.id)?.lastRun).toMatchObject({ status: "succeeded", flowName: "Create a ticket" });
        expect(board.recentFailures).toEqual([expect.objectContaining({ instanceId: zendesk.id, status: "failed" })]);
        expect(board.usage.current).toMatchObject({ period: "current", customer: { id: expect.any(String) } });
        expect(board.usage.previous.period).toBe("previous");
        expect(Date.parse(board.usage.previous.to)).toBe(Date.parse(board.usage.current.from));
        const usage = await expectOk(await call(`${paths.usage()}?period=current`, { token: ops }), "UsageReport");
        expect(usage.instances.map((i) => i.instanceId).sort()).toEqual([zendesk.id, jira.id].sort());
        expect(usage.instances.find((i) => i.instanceId === jira.id)).toMatchObject({ instanceName: jira.name, integrationName: "Jira", exists: true });
        await expectError(await call(`${paths.usage()}?period=current&from=2026-01-01T00:00:00Z`, { token: ops }), 400, "BAD_REQUEST");
        await expectError(await call(`${paths.usage()}?period=next`, { token: ops }), 400, "BAD_REQUEST");
        await expectOk(await call(paths.instanceResume(jira.id), { method: "POST", token: ops }), "Instance");
      });
    });

    // Publishing a version changes what every later new instance of that integration is set up
    // with, for the whole organization: this block runs after the others that activate Jira.
    if (transport.hasOrgApiKey) {
      describe("organization API: several instances, versions and upgrades", () => {

        // A customer of its own, so counts and bulk upgrades see only this block's instances.
        let tokenV: string;
        let viewerV: string;
        let customerV: string;
        let ops: Instance;
        let web: Instance;
        const jiraPages = (issueType: string) => ({
          connect: { site: "acme.atlassian.net", jiraConnection: { kind: "basic", username: "v@acme.example", password: "token-v-5150" } },
          issues: { projectKey: "OPS", issueType },
        });
        const jiraCard = async () =>
          (await expectOk(await call(paths.integrations(), { token: tokenV }), "IntegrationList")).integrations.find((i) => i.id === "jira")!;

        beforeAll(async () => {
          tokenV = await t.sign({ customer: `customer-v-${run}`, customer_name: "Customer V", sub: "user-v" });
          viewerV = await t.sign({ customer: `customer-v-${run}`, customer_name: "Customer V", sub: "viewer-v", role: "viewer" });
          customerV = (await expectOk(await call(paths.session(), { method: "POST", token: tokenV }), "Session")).customer.id;
        });

        it("two instances of one integration, each named and listed; the card counts them and names none", async () => {
          ops = (await activate("jira", jiraPages("Bug"), tokenV)).instance;
          const renamed = await expectOk(await call(paths.instance(ops.id), { method: "PATCH", body: JSON.stringify({ name: "Ops project" }), token: tokenV }), "Instance");
          expect(renamed.name).toBe("Ops project");
          const second = await draftOf("jira", tokenV);
          expect(second.id).not.toBe(ops.id);
          expect(second.name).toBe("Jira");
          const taken = await expectError(await call(paths.instance(second.id), { method: "PATCH", body: JSON.stringify({ name: "ops PROJECT" }), token: tokenV }), 422, "VALIDATION_FAILED");
          expect(taken.fields?.name).toMatch(/already have a Jira instance/);
          await expectError(await call(paths.instance(second.id), { method: "PATCH", body: JSON.stringify({ name: "Web" }), token: viewerV }), 403, "FORBIDDEN");
          await expectOk(await call(paths.instance(second.id), { method: "PATCH", body: JSON.stringify({ name: "Web project" }), token: tokenV }), "Instance");
          for (const [page, values] of Object.entries(jiraPages("Story"))) {
            await expectOk(await call(paths.instanceConfigPage(second.id, page), { method: "PUT", body: JSON.stringify({ values, integrationVersion: 1 }), token: tokenV }), "Instance");
          }
          web = (await expectOk(await call(paths.instanceDeploy(second.id), { method: "POST", body: JSON.stringify({ integrationVersion: 1 }), token: tokenV }), "DeployResponse")).instance;
          const listed = await expectOk(await call(`${paths.instances()}?integration=jira`, { token: tokenV }), "InstanceList");
          expect(listed.instances.map((i) => i.name).sort()).toEqual(["Ops project", "Web project"]);
          expect(listed.instances.every((i) => i.integrationVersion === 1)).toBe(true);
          const card = await jiraCard();
          expect(card).toMatchObject({ allowMultipleInstances: true, version: 1, activation: { state: "activated", instanceCount: 2, activeCount: 2, updateAvailable: false } });
          expect(card.activation.instanceId).toBeUndefined();
        });

        it("the organization publishes version 2 (idempotently); instances stay on version 1 with an update available", async () => {
          const body = JSON.stringify(catalogUpdatesFixture.find((d) => d.id === "jira"));
          const key = `publish-jira-${run}`;
          const published = await expectOk(await orgCall(orgPaths.integrationVersions("jira"), { method: "POST", body, headers: { "Idempotency-Key": key } }), "OrgIntegration", 201);
          expect(published.version).toBe(2);
          const replay = await orgCall(orgPaths.integrationVersions("jira"), { method: "POST", body, headers: { "Idempotency-Key": key } });
          expect(replay.headers.get("idempotent-replayed")).toBe("true");
          await expectOk(replay, "OrgIntegration", 201);
          await expectError(await orgCall(orgPaths.integrationVersions("jira"), { method: "POST", body }), 409, "CONFLICT");
          await expectError(await orgCall(orgPaths.integrationVersions("jira"), { method: "POST", body: JSON.stringify({ id: "jira", version: 3 }) }), 422, "VALIDATION_FAILED");
          const versions = await expectOk(await orgCall(orgPaths.integrationVersions("jira")), "OrgIntegrationVersionList");
          expect(versions.versions.map((v) => v.version)).toEqual([1, 2]);
          expect((await expectOk(await orgCall(`${orgPaths.integration("jira")}?version=1`), "OrgIntegration")).version).toBe(1);
          expect((await expectOk(await call(`${paths.integration("jira")}?version=1`, { token: tokenV }), "IntegrationDetail")).configPages[1].fields.map((f) => f.key)).toContain("issueType");
          await expectError(await call(`${paths.integration("jira")}?version=9`, { token: tokenV }), 404, "NOT_FOUND");
          await expectError(await call(`${paths.integration("jira")}?version=two`, { token: tokenV }), 400, "BAD_REQUEST");

          expect((await jiraCard()).activation.updateAvailable).toBe(true);
          const opsNow = await expectOk(await call(paths.instance(ops.id), { token: tokenV }), "Instance");
          expect(opsNow).toMatchObject({ integrationVersion: 1, availableUpdate: { version: 2, needsInput: false } });
          const webNow = await expectOk(await call(paths.instance(web.id), { token: tokenV }), "Instance");
          expect(webNow.availableUpdate).toEqual({ version: 2, needsInput: true });
          const ids = async (query: string) =>
            (await expectOk(await orgCall(`${orgPaths.instances()}?customer=${customerV}&${query}`), "OrgInstancePage")).instances.map((i) => i.id).sort();
          expect(await ids("integration=jira&version=1")).toEqual([ops.id, web.id].sort());
          expect(await ids("update=needs-input")).toEqual([web.id]);
          expect(await ids("version=2")).toEqual([]);
        });

        it("A9 a viewer cannot start or cancel an upgrade; the customer starts, rejoins and cancels one, version 1 untouched", async () => {
          await expectError(await call(paths.instanceUpgrade(web.id), { method: "POST", token: viewerV }), 403, "FORBIDDEN");
          const started = await expectOk(await call(paths.instanceUpgrade(web.id), { method: "POST", body: "{}", token: tokenV }), "Instance", 201);
          expect(started.upgrade?.plan.asks.find((a) => a.key === "workType")).toMatchObject({ reason: "invalid", problem: expect.stringMatching(/Story/) });
          expect(started.configValues).toMatchObject({ workType: "Story", priority: "Medium" });
          expect((await expectOk(await call(paths.instanceUpgrade(web.id), { method: "POST", token: tokenV }), "Instance", 200)).upgrade?.toVersion).toBe(2);
          await expectError(await call(paths.instanceUpgrade(web.id), { method: "DELETE", token: viewerV }), 403, "FORBIDDEN");
          const stale = await expectError(await call(paths.instanceConfigPage(web.id, "issues"), { method: "PUT", body: JSON.stringify({ values: { projectKey: "WEB", issueType: "Bug" }, integrationVersion: 1 }), token: tokenV }), 409, "VERSION_CONFLICT");
          expect(stale.message).toMatch(/upgraded to version 2/);
          const canceled = await expectOk(await call(paths.instanceUpgrade(web.id), { method: "DELETE", token: tokenV }), "Instance");
          expect(canceled.upgrade).toBeUndefined();
          expect(canceled).toMatchObject({ integrationVersion: 1, configValues: { issueType: "Story" } });
        });

        it("the organization's bulk upgrade: a dry run lists, a run (Idempotency-Key required) upgrades what needs no input", async () => {
          const bulk = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
            orgCall(orgPaths.integrationUpgrades("jira"), { method: "POST", body: JSON.stringify({ customer: customerV, ...body }), headers });
          const dry = await expectOk(await bulk({ dryRun: true }), "OrgBulkUpgradeResult");
          expect(Object.fromEntries(dry.items.map((i) => [i.instance.id, i.outcome]))).toEqual({ [ops.id]: "would-upgrade", [web.id]: "needs-input" });
          expect((await expectOk(await call(paths.instance(ops.id), { token: tokenV }), "Instance")).integrationVersion).toBe(1);
          await expectError(await bulk({}), 400, "BAD_REQUEST");
          const key = `bulk-${run}`;
          const done = await expectOk(await bulk({}, { "Idempotency-Key": key }), "OrgBulkUpgradeResult");
          expect(done.counts).toMatchObject({ upgraded: 1, needsInput: 1 });
          const replay = await bulk({}, { "Idempotency-Key": key });
          expect(replay.headers.get("idempotent-replayed")).toBe("true");
          expect(await expectOk(replay, "OrgBulkUpgradeResult")).toEqual(done);
          const upgraded = await expectOk(await orgCall(orgPaths.instance(ops.id)), "OrgInstance");
          expect(upgraded).toMatchObject({ integrationVersion: 2, configValues: { workType: "Bug", priority: "Medium" } });
          expect(upgraded.availableUpdate).toBeUndefined();
          await expectError(await orgCall(orgPaths.integrationUpgrades("jira"), { method: "POST", body: JSON.stringify({ dryRun: true, instanceIds: ["ins_nope"] }) }), 404, "NOT_FOUND");
        });

        it("the customer fixes what the upgrade asks and deploys it: the new version's flow runs only from then", async () => {
          const before = await expectOk(await call(viaBase(webhookOf(web)).slice(t.baseUrl.length), { method: "POST", token: null, body: JSON.stringify({ message: "v1" }) }), "WebhookResponse");
          expect(before.output).not.toHaveProperty("priority");
          await expectOk(await call(paths.instanceUpgrade(web.id), { method: "POST", token: tokenV }), "Instance", 201);
          await expectError(await call(paths.instanceDeploy(web.id), { method: "POST", body: JSON.stringify({ integrationVersion: 2 }), token: tokenV }), 409, "INSTANCE_NOT_CONFIGURED");
          await expectOk(await call(paths.instanceConfigPage(web.id, "issues"), { method: "PUT", body: JSON.stringify({ values: { projectKey: "WEB", workType: "Feature", priority: "High" }, integrationVersion: 2 }), token: tokenV }), "Instance");
          const deployed = await expectOk(await call(paths.instanceDeploy(web.id), { method: "POST", body: JSON.stringify({ integrationVersion: 2 }), token: tokenV }), "DeployResponse");
          expect(deployed.instance).toMatchObject({ integrationVersion: 2, configValues: { workType: "Feature", priority: "High" } });
          const after = await expectOk(await call(viaBase(webhookOf(deployed.instance)).slice(t.baseUrl.length), { method: "POST", token: null, body: JSON.stringify({ message: "v2" }) }), "WebhookResponse");
          expect(after.output).toMatchObject({ priority: "High", project: "WEB" });
        });
      });
    }

    describe("test runs, replays and the history a deactivated instance leaves", () => {
      const flowOf = (i: Instance) => i.flows.find((f) => f.id === "create-issue")!;
      // Values every Jira version accepts (another case may have published version 2 by now).
      const jira = () => ({ connect: jiraValues().connect, issues: { projectKey: "OPS" } });

      it("a test run with the flow's example succeeds, recorded as a test; bad JSON, an oversized payload, a viewer (A9) and another customer are refused", async () => {
        const { instance: inst } = await activate("jira", jira());
        const example = flowOf(inst).example;
        expect(example).toMatchObject({ message: expect.any(String) });
        const run = await expectOk(await call(paths.flowTest(inst.id, "create-issue"), { method: "POST", body: JSON.stringify({ payload: example }) }), "Execution", 201);
        expect(run).toMatchObject({ test: true, status: "succeeded", payload: example });
        expect(run.logs.length).toBeGreaterThan(1);
        await expectError(await call(paths.flowTest(inst.id, "create-issue"), { method: "POST", body: "{ not json" }), 400, "INVALID_JSON");
        const big = await expectError(await call(paths.flowTest(inst.id, "create-issue"), { method: "POST", body: JSON.stringify({ payload: { message: "x".repeat(40_000) } }) }), 422, "VALIDATION_FAILED");
        expect(big.fields?.payload).toMatch(/32768/);
        await expectError(await call(paths.flowTest(inst.id, "create-issue"), { method: "POST", body: "{}", token: viewerA }), 403, "FORBIDDEN");
        await expectError(await call(paths.flowTest(inst.id, "create-issue"), { method: "POST", body: "{}", token: tokenB }), 404, "NOT_FOUND");
      });

      it("A9 replay: the replay links to the original and the original lists it; a viewer cannot (403), another customer gets 404", async () => {
        const { instance: inst } = await activate("jira", jira());
        const hook = viaBase(webhookOf(inst)).slice(t.baseUrl.length);
        const original = await expectOk(await call(hook, { method: "POST", token: null, body: JSON.stringify({ message: "Replay me" }) }), "WebhookResponse");
        const replay = await expectOk(await call(paths.executionReplays(inst.id, original.executionId), { method: "POST", headers: { "Idempotency-Key": `replay-${original.executionId}` } }), "Execution", 201);
        expect(replay).toMatchObject({ replayOf: original.executionId, payload: { message: "Replay me" } });
        const again = await call(paths.executionReplays(inst.id, original.executionId), { method: "POST", headers: { "Idempotency-Key": `replay-${original.executionId}` } });
        expect(again.headers.get("Idempotent-Replayed")).toBe("true");
        expect((await expectOk(again, "Execution", 201)).id).toBe(replay.id);
        const listed = await expectOk(await call(paths.executionReplays(inst.id, original.executionId)), "ExecutionReplays");
        expect(listed.executions.map((x) => x.id)).toEqual([replay.id]);
        expect((await expectOk(await call(paths.instanceExecution(inst.id, original.executionId)), "Execution")).replays).toEqual([replay.id]);
        await expectError(await call(paths.executionReplays(inst.id, original.executionId), { method: "POST", token: viewerA }), 403, "FORBIDDEN");
        await expectError(await call(paths.executionReplays(inst.id, original.executionId), { method: "POST", token: tokenB }), 404, "NOT_FOUND");
        await expectError(await call(paths.executionReplays(inst.id, original.executionId), { token: tokenB }), 404, "NOT_FOUND");
        // A payload with a secret in it was stored redacted: it cannot be replayed as it was.
        const secret = await expectOk(await call(hook, { method: "POST", token: null, body: JSON.stringify({ message: "m", password: "hunter22" }) }), "WebhookResponse");
        await expectError(await call(paths.executionReplays(inst.id, secret.executionId), { method: "POST" }), 410, "PAYLOAD_EVICTED");
      });

      if (transport.hasOrgApiKey) {

        it("deactivating keeps the record: its customer gets 410 INSTANCE_DELETED, others 404, the organization sees it and its removal run", async () => {
          const { instance: inst } = await activate("jira", jira());
          await expectOk(await call(paths.instance(inst.id), { method: "DELETE" }), "DeleteInstanceResponse");
          await expectError(await call(paths.instance(inst.id)), 410, "INSTANCE_DELETED");
          await expectError(await call(paths.instance(inst.id), { token: tokenB }), 404, "NOT_FOUND");
          const kept = await expectOk(await orgCall(orgPaths.instance(inst.id)), "OrgInstance");
          expect(kept).toMatchObject({ status: "deleted", deletedBy: { kind: "user" } });
          const runs = await expectOk(await orgCall(orgPaths.instanceExecutions(inst.id)), "ExecutionList");
          expect(runs.executions.map((x) => x.trigger)).toContain("removal");
        });

        it("the organization replays in bulk: a dry run lists, a run needs an Idempotency-Key and replays each once", async () => {
          const { instance: inst } = await activate("jira", jira());
          const hook = viaBase(webhookOf(inst)).slice(t.baseUrl.length);
          const failed = await expectOk(await call(hook, { method: "POST", token: null, body: JSON.stringify({ severity: "no message" }) }), "WebhookResponse");
          expect(failed.status).toBe("failed");
          const body = { instance: inst.id, status: "failed" };
          const dry = await expectOk(await orgCall(orgPaths.replays(), { method: "POST", body: JSON.stringify({ ...body, dryRun: true }) }), "OrgBulkReplayResult");
          expect(dry.items.map((i) => [i.execution.id, i.outcome])).toEqual([[failed.executionId, "would-replay"]]);
          await expectError(await orgCall(orgPaths.replays(), { method: "POST", body: JSON.stringify(body) }), 400, "BAD_REQUEST");
          const headers = { "Idempotency-Key": `bulk-replay-${inst.id}` };
          const done = await expectOk(await orgCall(orgPaths.replays(), { method: "POST", body: JSON.stringify(body), headers }), "OrgBulkReplayResult");
          expect(done.items).toMatchObject([{ execution: { id: failed.executionId }, outcome: "failed", replay: { status: "failed" } }]);
          const retry = await orgCall(orgPaths.replays(), { method: "POST", body: JSON.stringify(body), headers });
          expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
          await expectError(await orgCall(orgPaths.replays(), { method: "POST", body: JSON.stringify({ from: "yesterday", dryRun: true }) }), 400, "BAD_REQUEST");
        });
      }
    });

    describe("the route table", () => {
      it("every route a backend must serve was exercised by this suite (the mock platform's own too, where the suite runs it)", () => {
        const expected = routeTable.filter(
          (route) => (transport.ownsPlatform || (!route.mockOnly && !route.undocumented)) && (transport.hasOrgApiKey || route.auth !== "org"),
        );
        expect(expected.length).toBeGreaterThan(30);
        expect(expected.filter((route) => !exercised.has(route)).map((route) => `${route.method.toUpperCase()} ${routeTemplate(route)}`)).toEqual([]);
      });
    });
  });
}
