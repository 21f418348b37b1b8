/**
 * The platform's promises (checklist P2–P8), on both transports that serve the route table to
 * clients: the MSW handlers (setupServer, as in tests and the service worker) and the real HTTP
 * server. Time is a manual clock, so retention ages and rate-limit refills are exact; the policy
 * is small (3 executions per instance, 3 webhook calls per burst) so its edges are a few calls away.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { apiError, deployResponse, executionList, paths, type Instance } from "../../contract/api.ts";
import { createManualClock, type ManualClock } from "../domain/clock.ts";
import { createTestOrganization, type TestOrganization } from "../fixtures/test-organization.ts";
import { setupMockPlatform } from "../transports/setup-server.ts";
import { startPlatformServer } from "../transports/http-server.ts";
import type { Platform } from "../domain/platform.ts";
import type { PolicyOptions } from "../domain/policy.ts";

const DAY = 24 * 60 * 60 * 1000;
const POLICY: PolicyOptions = { retention: { maxAgeDays: 7, maxPerInstance: 3 }, webhookRateLimit: { perSecond: 1, burst: 3 } };

interface Target {
  baseUrl: string;
  platform: Platform;
  close(): Promise<void>;
}

const transports: Array<{ name: string; start(org: TestOrganization, clock: ManualClock): Promise<Target> }> = [
  {
    name: "MSW handlers (setupServer)",
    async start(org, clock) {
      const mock = setupMockPlatform({ clock, organizations: [org.registration], policy: POLICY });
      mock.listen();
      return { baseUrl: "http://platform.test", platform: mock.platform, close: () => mock.close() };
    },
  },
  {
    name: "HTTP server",
    async start(org, clock) {
      const server = await startPlatformServer({ port: 0, clock, organizations: [org.registration], policy: POLICY });
      return { baseUrl: server.url, platform: server.platform, close: () => server.close() };
    },
  },
];

for (const transport of transports) {
  describe(`platform promises — ${transport.name}`, () => {
    let t: Target;
    let org: TestOrganization;
    let clock: ManualClock;
    let token: string;

    beforeAll(async () => {
      clock = createManualClock();
      org = await createTestOrganization({ clock });
      t = await transport.start(org, clock);
      token = await org.signToken({}, {}, clock.now());
    });
    afterAll(() => t.close());

    const call = (path: string, init: RequestInit = {}) =>
      fetch(t.baseUrl + path, { ...init, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...init.headers } });
    const errorOf = async (response: Response) => z.parse(apiError(), await response.json()).error;

    async function deployJira(): Promise<Instance> {
      const draft = (await (await call(paths.instances(), { method: "POST", body: JSON.stringify({ integrationId: "jira" }) })).json()) as Instance;
      await call(paths.instanceConfigPage(draft.id, "connect"), {
        method: "PUT",
        body: JSON.stringify({ values: { site: "acme.atlassian.net", jiraConnection: { kind: "basic", username: "ada", password: "pw-1234567" } } }),
      });
      await call(paths.instanceConfigPage(draft.id, "issues"), { method: "PUT", body: JSON.stringify({ values: { projectKey: "OPS" } }) });
      return z.parse(deployResponse, await (await call(paths.instanceDeploy(draft.id), { method: "POST" })).json()).instance;
    }
    const hookOf = (instance: Instance) => t.baseUrl + new URL(instance.flows.find((f) => f.webhookUrl)!.webhookUrl!).pathname;
    const invoke = (instance: Instance, payload: unknown) => fetch(hookOf(instance), { method: "POST", body: JSON.stringify(payload) });

    it("P2 an execution removed by the retention policy answers 410 EXECUTION_EXPIRED, and an alert that refers to it says so", async () => {
      const instance = await deployJira(); // one deploy execution
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        clock.advance(2000); // one call per refill: the rate limit stays out of this case
        // A missing "message" fails the flow: each run raises an alert pointing at it.
        const body = (await (await invoke(instance, i === 0 ? {} : { message: `run ${i}` })).json()) as { executionId: string };
        ids.push(body.executionId);
      }
      // 4 executions, 3 kept: the deploy run went. The list is the newest 3, newest first.
      const list = z.parse(executionList, await (await call(paths.instanceExecutions(instance.id))).json());
      expect(list.executions.map((e) => e.id)).toEqual([...ids].reverse());
      const expired = await call(paths.instanceExecution(instance.id, "exe_" + "0".repeat(21)));
      expect(expired.status).toBe(410);
      expect((await errorOf(expired)).code).toBe("EXECUTION_EXPIRED");

      // Age: a week later the failed run goes too; its alert stays, marked, and its id answers 410.
      clock.advance(8 * DAY);
      token = await org.signToken({}, {}, clock.now());
      t.platform.executions.sweep();
      const gone = await call(paths.instanceExecution(instance.id, ids[0]));
      expect(gone.status).toBe(410);
      expect((await errorOf(gone)).code).toBe("EXECUTION_EXPIRED");
      const alerts = (await (await call(paths.instanceAlerts(instance.id))).json()) as { alerts: Array<{ executionId: string; executionExpired?: boolean }> };
      expect(alerts.alerts.find((a) => a.executionId === ids[0])?.executionExpired).toBe(true);
      // An id that never existed is still a 404, not a 410.
      const never = await call(paths.instanceExecution(instance.id, "exe_zzzzzzzzz000000000000"));
      expect(never.status).toBe(404);
    });

    it("P2 executions are paginated newest first with an opaque cursor; a forged cursor is a 400 INVALID_CURSOR", async () => {
      const instance = await deployJira();
      const seen: string[] = [];
      for (let i = 0; i < 2; i++) {
        clock.advance(2000);
        seen.unshift(((await (await invoke(instance, { message: `page ${i}` })).json()) as { executionId: string }).executionId);
      }
      const first = z.parse(executionList, await (await call(`${paths.instanceExecutions(instance.id)}?limit=2`)).json());
      expect(first.executions.map((e) => e.id)).toEqual(seen);
      expect(first.nextCursor).not.toBeNull();
      const second = z.parse(executionList, await (await call(`${paths.instanceExecutions(instance.id)}?limit=2&cursor=${first.nextCursor}`)).json());
      expect(second.executions.map((e) => e.trigger)).toEqual(["deploy"]);
      expect(second.nextCursor).toBeNull();
      const forged = await call(`${paths.instanceExecutions(instance.id)}?cursor=not-a-cursor!`);
      expect(forged.status).toBe(400);
      expect((await errorOf(forged)).code).toBe("INVALID_CURSOR");
      expect((await call(`${paths.instanceExecutions(instance.id)}?limit=0`)).status).toBe(400);
    });

    it("P3 one caller flooding one instance's webhook gets 429 RATE_LIMITED with Retry-After, nothing runs past the limit, other instances are not affected", async () => {
      const flooded = await deployJira();
      const other = await deployJira();
      clock.advance(10_000);
      const before = z.parse(executionList, await (await call(paths.instanceExecutions(flooded.id))).json()).executions.length;
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 6; i++) {
        const response = await invoke(flooded, { message: `flood ${i}` });
        statuses.push(response.status);
        if (response.status === 429) {
          retryAfter = response.headers.get("retry-after");
          expect((await errorOf(response)).code).toBe("RATE_LIMITED");
        } else await response.arrayBuffer();
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      // Only the 3 admitted calls ran (retention keeps 3: those; the deploy run went).
      const after = z.parse(executionList, await (await call(paths.instanceExecutions(flooded.id))).json()).executions;
      expect(before).toBe(1);
      expect(after.map((e) => e.trigger)).toEqual(["webhook", "webhook", "webhook"]);
      expect((await invoke(other, { message: "unaffected" })).status).toBe(200);
      // After Retry-After, the instance's webhook answers again.
      clock.advance(Number(retryAfter) * 1000);
      expect((await invoke(flooded, { message: "later" })).status).toBe(200);
    });

    it("P6 a token whose lifetime (exp − iat) exceeds the maximum is a 401 TOKEN_LIFETIME_TOO_LONG", async () => {
      const now = Math.floor(clock.now() / 1000);
      const long = await org.signToken({ iat: now, exp: now + 3601 }, {}, clock.now());
      const response = await fetch(t.baseUrl + paths.session(), { method: "POST", headers: { Authorization: `Bearer ${long}` } });
      expect(response.status).toBe(401);
      expect((await errorOf(response)).code).toBe("TOKEN_LIFETIME_TOO_LONG");
      expect(response.headers.get("www-authenticate")).toContain("TOKEN_LIFETIME_TOO_LONG");
      const hour = await org.signToken({ iat: now, exp: now + 3600 }, {}, clock.now());
      expect((await fetch(t.baseUrl + paths.session(), { method: "POST", headers: { Authorization: `Bearer ${hour}` } })).status).toBe(200);
    });

    it("P8 every API answer carries Cache-Control: no-store and X-Content-Type-Options: nosniff", async () => {
      const instance = await deployJira();
      clock.advance(10_000);
      const answers = [
        await call(paths.integrations()),
        await call(paths.instance(instance.id)),
        await call(paths.instanceExecutions(instance.id)),
        await call(paths.session(), { method: "POST" }),
        await fetch(t.baseUrl + paths.embedConfig(org.id)),
        await invoke(instance, { message: "headers" }),
        await call(paths.instance("ins_missing")),
        await fetch(t.baseUrl + paths.session(), { method: "POST" }),
        await call(paths.integrations(), { method: "DELETE" }),
        await fetch(t.baseUrl + paths.instances(), { method: "OPTIONS", headers: { Origin: "http://localhost:4000", "Access-Control-Request-Method": "POST" } }),
      ];
      for (const response of answers) {
        expect({ url: response.url, cache: response.headers.get("cache-control"), sniff: response.headers.get("x-content-type-options") }).toEqual({
          url: response.url,
          cache: "no-store",
          sniff: "nosniff",
        });
      }
    });

    it("P5 a method a path does not serve is a 405 with Allow naming the ones it does", async () => {
      const response = await call(paths.integrations(), { method: "DELETE" });
      expect(response.status).toBe(405);
      expect((await errorOf(response)).code).toBe("METHOD_NOT_ALLOWED");
      expect(response.headers.get("allow")).toBe("GET, OPTIONS");
      const instance = await call(paths.instance("ins_any"), { method: "PUT" });
      expect(instance.status).toBe(405);
      expect(instance.headers.get("allow")).toBe("GET, PATCH, DELETE, OPTIONS");
      // A path that exists under no method stays a 404.
      expect((await call("/api/v1/nothing-here", { method: "DELETE" })).status).toBe(404);
    });
  });
}
