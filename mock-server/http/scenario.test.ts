/**
 * Scenarios (issue 4): each one switched through the platform's own endpoint
 * (`PUT /api/v1/_scenario`, body or `?scenario=`) or at server start, and observed from the
 * outside the way a client would see it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { alertPage } from "../../contract/api-observe.ts";
import { apiError, deployResponse, instance, instanceList, integrationList, oauthStartResponse, paths, session } from "../../contract/api.ts";
import { SCENARIO_HEADER, scenarioPath, scenarioState } from "../../contract/scenario.ts";
import { setupMockPlatform, type MockPlatform } from "../transports/setup-server.ts";
import { createTestOrganization, type TestOrganization } from "../fixtures/test-organization.ts";

const BASE = "http://platform.test";

let org: TestOrganization;
let mock: MockPlatform;
/** Sleeps the slow-network scenario asked for; each resolves only when the test says so. */
const sleeps: Array<{ ms: number; release(): void }> = [];

beforeAll(async () => {
  org = await createTestOrganization({ id: "scenario-org" });
  mock = setupMockPlatform({
    organizations: [org.registration],
    handlers: { sleep: (ms) => new Promise<void>((release) => sleeps.push({ ms, release })) },
  });
  mock.listen();
});
afterEach(async () => {
  for (const s of sleeps.splice(0)) s.release();
  await fetch(`${BASE}${scenarioPath()}?scenario=none`, { method: "PUT" });
  await mock.platform.idle();
});
afterAll(() => mock.close());

const call = async (path: string, init: RequestInit & { token?: string | null } = {}) => {
  const headers = new Headers(init.headers);
  const token = init.token === undefined ? await org.signToken() : init.token;
  if (token) headers.set("Authorization", `Bearer ${token}`);
  if (init.body !== undefined) headers.set("Content-Type", "application/json");
  return fetch(BASE + path, { ...init, headers });
};
const setScenario = async (body: Record<string, unknown>) => {
  const response = await call(scenarioPath(), { method: "PUT", token: null, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  return z.parse(scenarioState, await response.json());
};
const errorOf = async (response: Response) => z.parse(apiError(), await response.json()).error;

async function deployJira(token: string) {
  const draft = z.parse(instance, await (await call(paths.instances(), { method: "POST", token, body: JSON.stringify({ integrationId: "jira" }) })).json());
  await call(paths.instanceConfigPage(draft.id, "connect"), {
    method: "PUT",
    token,
    body: JSON.stringify({ values: { site: "acme.atlassian.net", jiraConnection: { kind: "basic", username: "ada", password: "pw-123456" } } }),
  });
  await call(paths.instanceConfigPage(draft.id, "issues"), { method: "PUT", token, body: JSON.stringify({ values: {} }) });
  return z.parse(deployResponse, await (await call(paths.instanceDeploy(draft.id), { method: "POST", token })).json());
}

describe("scenario endpoint", () => {
  it("reports and switches the scenario, by body or by ?scenario=, and refuses unknown names", async () => {
    expect(z.parse(scenarioState, await (await call(scenarioPath(), { token: null })).json()).scenario).toBe("none");
    const state = await setScenario({ scenario: "slow-network", latencyMs: 250 });
    expect(state).toMatchObject({ scenario: "slow-network", latencyMs: 250 });
    const byQuery = await call(`${scenarioPath()}?scenario=flaky`, { method: "PUT", token: null });
    expect(z.parse(scenarioState, await byQuery.json())).toMatchObject({ scenario: "flaky", failEvery: 3, retryAfterSeconds: 1 });
    const bad = await call(scenarioPath(), { method: "PUT", token: null, body: JSON.stringify({ scenario: "chaos-monkey" }) });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).code).toBe("BAD_REQUEST");
    const badQuery = await call(`${scenarioPath()}?scenario=chaos-monkey`, { method: "PUT", token: null });
    expect(badQuery.status).toBe(400);
    expect(z.parse(scenarioState, await (await call(scenarioPath(), { token: null })).json()).scenario).toBe("flaky");
  });
});

describe("slow-network", () => {
  it("holds every API response for the set latency and marks it with the scenario header", async () => {
    await setScenario({ scenario: "slow-network", latencyMs: 1234 });
    let settled = false;
    const pending = call(paths.integrations()).then((r) => {
      settled = true;
      return r;
    });
    await expect.poll(() => sleeps.length).toBe(1);
    expect(sleeps[0].ms).toBe(1234);
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    sleeps[0].release();
    const response = await pending;
    expect(response.status).toBe(200);
    expect(response.headers.get(SCENARIO_HEADER)).toBe("slow-network");
    z.parse(integrationList(), await response.json());
  });
});

describe("flaky", () => {
  it("fails every 3rd request, alternating 503 and 500, each with Retry-After; deterministic", async () => {
    await setScenario({ scenario: "flaky", retryAfterSeconds: 2 });
    const token = await org.signToken();
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) {
      const response = await call(paths.integrations(), { token });
      statuses.push(response.status);
      if (response.status >= 500) {
        expect(response.headers.get("retry-after")).toBe("2");
        expect((await errorOf(response)).code).toBe(response.status === 503 ? "SERVICE_UNAVAILABLE" : "SERVER_ERROR");
      } else {
        await response.text();
      }
    }
    expect(statuses).toEqual([200, 200, 503, 200, 200, 500, 200, 200, 503]);
  });

  it("D5 a failed write did nothing, so retrying it is safe", async () => {
    const token = await org.signToken({ customer: "flaky-co", customer_name: "Flaky Co" });
    await setScenario({ scenario: "flaky", failEvery: 2 });
    expect((await call(paths.session(), { method: "POST", token })).status).toBe(200);
    const failed = await call(paths.instances(), { method: "POST", token, body: JSON.stringify({ integrationId: "stripe" }) });
    expect(failed.status).toBe(503);
    expect((await call(paths.instances(), { token })).status).toBe(200);
    await setScenario({ scenario: "none" });
    const list = z.parse(instanceList, await (await call(paths.instances(), { token })).json());
    expect(list.instances).toEqual([]);
  });
});

describe("token-expires-now", () => {
  it("A7 the next request's token answers 401 TOKEN_EXPIRED (and keeps doing so); a fresh token works", async () => {
    const old = await org.signToken({ sub: "user-old" });
    expect((await call(paths.session(), { method: "POST", token: old })).status).toBe(200);
    const armed = await setScenario({ scenario: "token-expires-now" });
    expect(armed.tokenExpired).toBe(false);
    const first = await call(paths.integrations(), { token: old });
    expect(first.status).toBe(401);
    expect((await errorOf(first)).code).toBe("TOKEN_EXPIRED");
    expect(first.headers.get("www-authenticate")).toContain("TOKEN_EXPIRED");
    expect((await call(paths.instances(), { token: old })).status).toBe(401);
    const fresh = await org.signToken({ sub: "user-old", jti: "refreshed" });
    expect(fresh).not.toBe(old);
    z.parse(session(), await (await call(paths.session(), { method: "POST", token: fresh })).json());
    expect((await call(paths.integrations(), { token: fresh })).status).toBe(200);
    expect(z.parse(scenarioState, await (await call(scenarioPath(), { token: null })).json()).tokenExpired).toBe(true);
  });
});

describe("deploy-triggers-fail", () => {
  it("D8 every deploy trigger fails; the instance is still deployed and an alert is raised", async () => {
    const put = await call(`${scenarioPath()}?scenario=deploy-triggers-fail`, { method: "PUT", token: null });
    expect(put.status).toBe(200);
    const token = await org.signToken({ customer: "deploy-fail-co" });
    const deployed = await deployJira(token);
    expect(deployed.instance.status).toBe("deployed");
    expect(deployed.executions.map((e) => [e.trigger, e.status])).toEqual([["deploy", "failed"]]);
    const alerts = z.parse(alertPage, await (await call(paths.instanceAlerts(deployed.instance.id), { token })).json());
    expect(alerts.alerts.map((a) => a.kind)).toEqual(["execution-failed"]);
    await setScenario({ scenario: "none" });
    const again = await deployJira(await org.signToken({ customer: "deploy-ok-co" }));
    expect(again.executions.map((e) => e.status)).toEqual(["succeeded"]);
  });
});

describe("oauth-denies", () => {
  it("the mock OAuth provider denies even when the user clicks Allow", async () => {
    await setScenario({ scenario: "oauth-denies" });
    const token = await org.signToken({ customer: "oauth-co" });
    const draft = z.parse(instance, await (await call(paths.instances(), { method: "POST", token, body: JSON.stringify({ integrationId: "slack" }) })).json());
    const start = z.parse(oauthStartResponse, await (await call(paths.oauthStart(draft.id, "slackConnection"), { method: "POST", token })).json());
    const decision = await fetch(`${BASE}/mock-oauth/authorize`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ state: start.state, decision: "allow" }).toString(),
    });
    const callback = new URL(decision.headers.get("location")!);
    const page = await fetch(BASE + callback.pathname + callback.search);
    expect(await page.text()).toContain("OAUTH_DENIED");
  });
});
