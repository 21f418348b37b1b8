import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { once } from "node:events";
import fc from "fast-check";
import { startPlatformServer, type PlatformServer } from "./http-server.ts";
import { frameContentSecurityPolicy } from "./frame-files.ts";
import { createTestOrganization, type TestOrganization } from "../fixtures/test-organization.ts";
import { runCrashBurst } from "../fixtures/crash-burst.ts";
import type { Clock } from "../domain/clock.ts";
import { API_PREFIX, deployResponse, paths, executionList, instance as instanceSchema } from "../../contract/api.ts";
import * as z from "zod/mini";
import { waitUntil } from "../../tests/wait-until.ts";

let dir: string;
let org: TestOrganization;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "emporium-server-test-"));
  org = await createTestOrganization({ id: "persist-org", allowedOrigins: ["http://localhost:4000"] });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function deployJira(baseUrl: string, token: string) {
  const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
  const draft = z.parse(instanceSchema, await (await fetch(baseUrl + paths.instances(), { method: "POST", headers, body: JSON.stringify({ integrationId: "jira" }) })).json());
  await fetch(baseUrl + paths.instanceConfigPage(draft.id, "connect"), {
    method: "PUT",
    headers,
    body: JSON.stringify({ values: { site: "acme.atlassian.net", jiraConnection: { kind: "basic", username: "ada", password: "pw-12345" } } }),
  });
  await fetch(baseUrl + paths.instanceConfigPage(draft.id, "issues"), { method: "PUT", headers, body: JSON.stringify({ values: {} }) });
  return z.parse(deployResponse, await (await fetch(baseUrl + paths.instanceDeploy(draft.id), { method: "POST", headers })).json());
}

describe("HTTP server persistence", () => {
  it("D9 a restarted server still has the deployed instance, its webhook URL, executions and config", async () => {
    const stateFile = join(dir, "restart", "platform.db");
    let server: PlatformServer = await startPlatformServer({ port: 0, stateFile, organizations: [org.registration] });
    const token = await org.signToken();
    const deployed = await deployJira(server.url, token);
    const hook = deployed.instance.flows.find((f) => f.webhookUrl)!.webhookUrl!;
    expect((await fetch(hook, { method: "POST", body: JSON.stringify({ message: "one" }) })).status).toBe(200);
    await server.close();

    server = await startPlatformServer({ port: 0, stateFile, organizations: [org.registration] });
    try {
      const auth = { Authorization: `Bearer ${token}` };
      const again = z.parse(instanceSchema, await (await fetch(server.url + paths.instance(deployed.instance.id), { headers: auth })).json());
      expect(again.status).toBe("deployed");
      expect(again.configValues.projectKey).toBe("OPS");
      expect(new URL(again.flows.find((f) => f.webhookUrl)!.webhookUrl!).pathname).toBe(new URL(hook).pathname);
      const executions = z.parse(executionList, await (await fetch(server.url + paths.instanceExecutions(deployed.instance.id), { headers: auth })).json());
      expect(executions.executions.map((e) => e.trigger).sort()).toEqual(["deploy", "webhook"]);
    } finally {
      await server.close();
    }
  });

  it("P10 a stop lets a webhook already in flight finish: its sender gets the 200 (not a reset it would retry, running the flow twice) and the run is on disk", async () => {
    const stateFile = join(dir, "drain", "platform.db");
    // The mocked Jira answers when the test lets it (the platform's clock sleeps until then): the run is in flight till then.
    let answerJira!: () => void;
    const jiraAnswers = new Promise<void>((resolve) => (answerJira = resolve));
    const clock: Clock = { now: () => Date.now(), sleep: () => jiraAnswers };
    let server: PlatformServer = await startPlatformServer({ port: 0, stateFile, organizations: [org.registration], clock });
    const token = await org.signToken();
    const deployed = await deployJira(server.url, token);
    const hook = deployed.instance.flows.find((f) => f.webhookUrl)!.webhookUrl!;
    const instanceId = deployed.instance.id;
    const webhookRuns = () => server.platform.executions.listOf(server.platform.snapshot().instances[instanceId], { limit: 10 }).executions.filter((e) => e.trigger === "webhook");
    server.platform.apps.latency.set("Jira", 60_000);

    const answered = fetch(hook, { method: "POST", body: JSON.stringify({ message: "in flight at the stop" }) });
    await expect.poll(() => webhookRuns().map((e) => e.status)).toEqual(["running"]);
    const stopped = server.close();
    answerJira();
    const response = await answered;
    expect(response.status).toBe(200);
    const { executionId } = (await response.json()) as { executionId: string };
    await stopped;

    server = await startPlatformServer({ port: 0, stateFile, organizations: [org.registration] });
    try {
      expect(webhookRuns().map((e) => [e.id, e.status])).toEqual([[executionId, "succeeded"]]);
    } finally {
      await server.close();
    }
  });

  it("P10 a webhook reaching a stopping server gets 503 with Retry-After before any lookup or rate-limit token: an unknown token too (not 404), and a known one's calls never 429 (no token taken for a call that never ran)", async () => {
    const stateFile = join(dir, "refused-first", "platform.db");
    // A webhook in flight holds the stop (its mocked Jira answers when the test lets it); the
    // limit lets it and one more call through.
    let answerJira!: () => void;
    const jiraAnswers = new Promise<void>((resolve) => (answerJira = resolve));
    const clock: Clock = { now: () => Date.now(), sleep: () => jiraAnswers };
    const server = await startPlatformServer({ port: 0, stateFile, organizations: [org.registration], clock, policy: { webhookRateLimit: { perSecond: 0.001, burst: 2 } } });
    const deployed = await deployJira(server.url, await org.signToken());
    const hook = new URL(deployed.instance.flows.find((f) => f.webhookUrl)!.webhookUrl!);
    const instanceId = deployed.instance.id;
    server.platform.apps.latency.set("Jira", 60_000);
    // One connection: the call in flight, then, once the stop began, three more on it (pipelined:
    // a stopping server takes no new connection). Node answers them in order.
    const socket = connect(Number(new URL(server.url).port), "127.0.0.1");
    let received = "";
    socket.setEncoding("utf8").on("data", (chunk: string) => (received += chunk));
    const ended = once(socket, "close");
    const post = (path: string) => `POST ${path} HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{"message":"x"}`;
    socket.write(post(hook.pathname));
    await expect.poll(() => server.platform.executions.listOf(server.platform.snapshot().instances[instanceId], { limit: 10 }).executions.filter((e) => e.trigger === "webhook").map((e) => e.status)).toEqual(["running"]);
    const stopped = server.close();
    socket.write(post(`${API_PREFIX}/webhooks/${"x".repeat(43)}`) + post(hook.pathname) + post(hook.pathname));
    answerJira();
    await stopped;
    await ended;
    const answers = received.split(/(?=HTTP\/1\.1 )/).map((answer) => `${/^HTTP\/1\.1 (\d+)/.exec(answer)?.[1]} ${/\r\nRetry-After: (\d+)/i.exec(answer)?.[1] ?? "-"} ${/"code":"([A-Z_]+)"/.exec(answer)?.[1] ?? "-"}`);
    // Before: 404 NOT_FOUND for the unknown token, and the second known call 429 (the first took the last token).
    expect(answers).toEqual(["200 - -", "503 1 SERVICE_UNAVAILABLE", "503 1 SERVICE_UNAVAILABLE", "503 1 SERVICE_UNAVAILABLE"]);
  });

  it("P10 a webhook whose body stops arriving does not hold the stop: the stop ends (the stalled connection is cut after the drain's grace)", async () => {
    const stateFile = join(dir, "stalled", "platform.db");
    const server = await startPlatformServer({ port: 0, stateFile, organizations: [org.registration] });
    const token = await org.signToken();
    const deployed = await deployJira(server.url, token);
    const hook = new URL(deployed.instance.flows.find((f) => f.webhookUrl)!.webhookUrl!);
    const instanceId = deployed.instance.id;
    // Its headers and the first bytes of a 64-byte body, then nothing (a slow or hostile sender).
    const stalled = connect(Number(new URL(server.url).port), "127.0.0.1");
    stalled.on("error", () => undefined);
    stalled.write(`POST ${hook.pathname} HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\nContent-Type: application/json\r\nContent-Length: 64\r\n\r\n{"message":`);
    // A whole request on another connection, answered after the stalled one's headers were read.
    expect((await fetch(`${server.url}/api/v1/instances/${instanceId}`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    let stopped = false;
    void server.close().then(() => (stopped = true));
    await waitUntil(() => expect(stopped).toBe(true));
    stalled.destroy();
  });

  it("P1 SIGKILL during a burst of mixed writes: after a restart on the same state, every write answered 2xx is there", async () => {
    const result = await runCrashBurst({ stateDir: join(dir, "crash"), organization: org, requests: 180, concurrency: 12, killAfterAcknowledged: 60 });
    expect(result.missing).toEqual([]);
    // The kill came mid-burst (requests were cut off) after writes of every kind were acknowledged.
    expect(result.cutOff).toBeGreaterThan(0);
    for (const kind of Object.keys(result.acknowledged) as Array<keyof typeof result.acknowledged>) {
      expect(result.acknowledged[kind], kind).toBeGreaterThan(0);
      expect(result.found[kind], kind).toBe(result.acknowledged[kind]);
    }
  }, 120_000);

  it("P1 SIGKILL while retention trims the busy instance: after a restart every run answered 2xx answers 200, or 410 EXECUTION_EXPIRED once retention removed it (never 404)", async () => {
    // 3 runs kept per instance: nearly every webhook write trims, and moves the instance's retention mark.
    const result = await runCrashBurst({ stateDir: join(dir, "crash-trim"), organization: org, requests: 60, concurrency: 6, killAfterAcknowledged: 30, retentionPerInstance: 3 });
    expect(result.missing).toEqual([]);
    const runs = result.acknowledged.webhook + result.acknowledged["webhook-async"];
    expect(result.found.webhook + result.found["webhook-async"]).toBe(runs);
    // Retention removed acknowledged runs before the kill (the 3 newest may be ones the kill cut off).
    expect(result.expired).toBeGreaterThan(0);
  }, 120_000);

  it("refuses to start over a file that is neither a state database nor a JSON state file, and leaves it as it is", async () => {
    const stateFile = join(dir, "corrupt.db");
    writeFileSync(stateFile, '{"version":1,"organi');
    await expect(startPlatformServer({ port: 0, stateFile })).rejects.toThrow(/neither a state database nor a valid JSON state file/);
    expect(readFileSync(stateFile, "utf8")).toBe('{"version":1,"organi');
    const garbage = join(dir, "garbage.db");
    writeFileSync(garbage, "this is not SQLite at all, not even close".repeat(40));
    await expect(startPlatformServer({ port: 0, stateFile: garbage })).rejects.toThrow(/not a platform state database/);
    expect(readFileSync(garbage, "utf8")).toBe("this is not SQLite at all, not even close".repeat(40));
  });

  it("imports a JSON state file of the earlier version and keeps the file beside the database", async () => {
    const stateFile = join(dir, "legacy", "platform.json");
    mkdirSync(join(dir, "legacy"), { recursive: true });
    const memory = await startPlatformServer({ port: 0, organizations: [org.registration] });
    const token = await org.signToken();
    const deployed = await deployJira(memory.url, token);
    // What an earlier version wrote: the whole state as one JSON object, executions and intervals inside.
    const tables = memory.platform.snapshot();
    const executions = Object.fromEntries(deployed.executions.map((e) => [e.id, { ...e, organizationId: org.id, customerId: deployed.instance.customerId }]));
    writeFileSync(stateFile, JSON.stringify({ version: 1, ...tables, executions, enabledIntervals: Object.values(tables.enabledIntervals).map(({ id: _id, ...rest }) => rest) }));
    await memory.close();

    const server = await startPlatformServer({ port: 0, stateFile, organizations: [org.registration] });
    try {
      const auth = { Authorization: `Bearer ${token}` };
      const again = z.parse(instanceSchema, await (await fetch(server.url + paths.instance(deployed.instance.id), { headers: auth })).json());
      expect(again.status).toBe("deployed");
      const list = z.parse(executionList, await (await fetch(server.url + paths.instanceExecutions(deployed.instance.id), { headers: auth })).json());
      expect(list.executions.map((e) => e.id)).toEqual(deployed.executions.map((e) => e.id));
      expect(readdirSync(join(dir, "legacy"))).toEqual(expect.arrayContaining(["platform.json", "platform.json.key", "platform.json.v1.json"]));
      expect(readFileSync(stateFile).subarray(0, 15).toString()).toBe("SQLite format 3");
    } finally {
      await server.close();
    }
  });
});

describe("Server-Timing", () => {
  it("an API answer says how long the platform itself took (app;dur in ms), so a client can tell it from the network", async () => {
    const server = await startPlatformServer({ port: 0 });
    try {
      const response = await fetch(`${server.url}/api/v1/org/instances`);
      expect(response.status).toBe(401);
      const timing = response.headers.get("server-timing") ?? "";
      expect(timing).toMatch(/^app;dur=\d+\.\d{2}$/);
      expect(Number(timing.slice("app;dur=".length))).toBeGreaterThanOrEqual(0);
      // Never readable by a cross-origin page: no Timing-Allow-Origin.
      expect(response.headers.get("timing-allow-origin")).toBeNull();
    } finally {
      await server.close();
    }
  });
});

describe("frame files", () => {
  let server: PlatformServer;
  beforeAll(async () => {
    const frameDir = join(dir, "frame");
    mkdirSync(join(frameDir, "assets"), { recursive: true });
    writeFileSync(join(frameDir, "index.html"), "<!doctype html><title>frame</title>");
    writeFileSync(join(frameDir, "assets", "app-1234.js"), "console.log(1)");
    writeFileSync(join(dir, "secret.txt"), "top secret");
    server = await startPlatformServer({ port: 0, frameDir, allowedOrigins: ["http://localhost:4000"] });
  });
  afterAll(() => server.close());

  it("E1 serves the frame with frame-ancestors limited to the organization's allowed origins", async () => {
    const response = await fetch(`${server.url}/frame/?org=demo&parent=http://localhost:4000`);
    expect(response.status).toBe(200);
    const csp = response.headers.get("content-security-policy")!;
    expect(csp).toContain("frame-ancestors http://localhost:4000;");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    const unknown = await fetch(`${server.url}/frame/?org=nobody`);
    expect(unknown.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    // Every file of the frame carries it, not only the document.
    const asset = await fetch(`${server.url}/frame/assets/app-1234.js?org=demo`);
    expect(asset.headers.get("content-security-policy")).toContain("frame-ancestors http://localhost:4000;");
  });

  it("E1 the frame's CSP is exactly: scripts, styles and connections from the platform only, no unsafe-inline or unsafe-eval, no plugins, no base or form retargeting", async () => {
    const csp = (await fetch(`${server.url}/frame/?org=demo`)).headers.get("content-security-policy")!;
    const directives = Object.fromEntries(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name, sources]));
    expect(directives).toEqual({
      "default-src": ["'self'"],
      "script-src": ["'self'"],
      "style-src": ["'self'"],
      "img-src": ["'self'", "data:", "https:"],
      "connect-src": ["'self'"],
      "frame-ancestors": ["http://localhost:4000"],
      "base-uri": ["'none'"],
      "form-action": ["'self'"],
      "object-src": ["'none'"],
    });
    expect(csp).not.toMatch(/unsafe-|\*/);
  });

  it("E1 C6 generated /frame/ paths, queries and methods: never a 5xx, never a file outside the frame directory, and every answer (404, 405, 301, 400 included) carries the frame's CSP", async () => {
    const { port } = new URL(server.url);
    /** A raw request (fetch would resolve `..` and re-encode the path before sending it). */
    const raw = (method: string, path: string) =>
      new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: "127.0.0.1", port, method, path }, (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (body += chunk));
          res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        });
        req.on("error", reject);
        req.end();
      });
    const segment = fc.oneof(
      fc.constantFrom("..", ".", "%2e%2e", "%2E%2e", "%", "%zz", "%E0%A4%A", "%00", "%5c", "\\", "%2f", "..%2f..%2fsecret.txt", "secret.txt", "assets", "app-1234.js", "index.html", "instances", "x.js", "", "%C0%AE%C0%AE"),
      fc.string({ unit: "grapheme", maxLength: 12 }).map(encodeURIComponent),
    );
    const orgParam = fc.oneof(fc.constantFrom("demo", "nobody", "", "%", "demo%00", "__proto__"), fc.string({ maxLength: 12 }).map(encodeURIComponent));
    const demoCsp = frameContentSecurityPolicy(["http://localhost:4000"]);
    const noneCsp = frameContentSecurityPolicy([]);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"),
        fc.oneof(fc.constant("/frame"), fc.array(segment, { maxLength: 4 }).map((s) => `/frame/${s.join("/")}`)),
        fc.option(orgParam, { nil: undefined }),
        async (method, path, orgId) => {
          const response = await raw(method, orgId === undefined ? path : `${path}?org=${orgId}`);
          expect(response.status, `${method} ${path}`).toBeLessThan(500);
          const named = orgId === undefined ? null : new URLSearchParams(`org=${orgId}`).get("org");
          expect(response.headers["content-security-policy"], `${method} ${path} → ${response.status}`).toBe(named === "demo" ? demoCsp : noneCsp);
          expect(response.headers["x-content-type-options"]).toBe("nosniff");
          expect(response.body).not.toContain("top secret");
        },
      ),
      { numRuns: 300, examples: [["GET", "/frame/%", "demo"], ["POST", "/frame/", "demo"], ["GET", "/frame", "demo"], ["GET", "/frame/missing.js", "demo"], ["GET", "/frame/%00", "demo"]] },
    );
  });

  it("E1 frame-ancestors lists only well-formed origins: a value with a ; a space, a path or * cannot widen the policy", () => {
    const csp = frameContentSecurityPolicy(["http://localhost:4000", "https://a.test; script-src *", "https://b.test https://evil.test", "*", "https://c.test/path", "https://[::1]:8443"]);
    expect(csp).toContain("frame-ancestors http://localhost:4000 https://[::1]:8443;");
    expect(csp).not.toContain("evil");
    expect(csp.split("; ").filter((directive) => directive.startsWith("script-src"))).toEqual(["script-src 'self'"]);
    expect(frameContentSecurityPolicy(["*", "javascript:alert(1)"])).toContain("frame-ancestors 'none';");
  });

  it("falls back to index.html for routes, 404s missing files and never leaves the frame directory", async () => {
    expect(await (await fetch(`${server.url}/frame/instances/ins_1`)).text()).toContain("<title>frame</title>");
    const asset = await fetch(`${server.url}/frame/assets/app-1234.js`);
    expect(asset.headers.get("content-type")).toContain("text/javascript");
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect((await fetch(`${server.url}/frame/assets/missing.js`)).status).toBe(404);
    for (const evil of ["/frame/../secret.txt", "/frame/%2e%2e/secret.txt", "/frame/..%2fsecret.txt", "/frame/%2e%2e%5csecret.txt"]) {
      const response = await fetch(server.url + evil);
      expect(await response.text()).not.toContain("top secret");
    }
  });
});
