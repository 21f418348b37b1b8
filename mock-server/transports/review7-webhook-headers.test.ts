/**
 * Review of the webhook fast path's answer writing (issue 18, fa0fa7c): headers now go to node as
 * a flat [name, value, …] list, which — unlike an object — can carry a name twice. Every kind of
 * webhook answer (200, 202 respond-async, 404, 409, 429 with Retry-After, 413, 400, a scenario's
 * 503) must carry each header once: Cache-Control no-store, nosniff, its Content-Type, a
 * Content-Length that is the body's byte length; and the methods the path does not serve stay 405.
 * Read from the raw header lines (fetch would merge a repeated header into one value).
 */
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { startPlatformServer, type PlatformServer } from "./http-server.ts";
import { createTestOrganization } from "../fixtures/test-organization.ts";
import { deployWith } from "../testing/deploy-with.ts";
import { jiraValues } from "../testing/jira-values.ts";
import type { ScenarioRequest } from "../../contract/scenario.ts";

let server: PlatformServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Raw {
  status: number;
  /** Header name (lower case) → every value sent under it, in order. */
  headers: Map<string, string[]>;
  body: Buffer;
}

function send(url: string, method: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const named = new Map<string, string[]>();
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i].toLowerCase();
          named.set(name, [...(named.get(name) ?? []), res.rawHeaders[i + 1]]);
        }
        resolve({ status: res.statusCode!, headers: named, body: Buffer.concat(chunks) });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** A server with the given webhook rate limit and scenario, and a deployed Jira instance's webhook URL. */
async function webhookOn(options: { perSecond?: number; burst?: number; scenario?: ScenarioRequest } = {}): Promise<string> {
  const org = await createTestOrganization({ id: "rev7-headers" });
  server = await startPlatformServer({
    port: 0,
    organizations: [org.registration],
    policy: { webhookRateLimit: { perSecond: options.perSecond ?? 1000, burst: options.burst ?? 1000 } },
  });
  const caller = await server.platform.access.authenticate(await org.signToken({ customer: "acme" }));
  const { body } = await deployWith(server.platform, caller, "jira", jiraValues(), server.url);
  const hook = body.instance.flows.find((flow) => flow.webhookUrl)!.webhookUrl!;
  if (options.scenario) server.platform.scenario.set(options.scenario);
  return server.url + new URL(hook).pathname;
}

/** Each header at most once; the API's own two; a Content-Length that is the body's length. */
function expectOneOfEach(answer: Raw, what: string): void {
  for (const [name, values] of answer.headers) expect(values, `${what}: ${name}`).toHaveLength(1);
  expect(answer.headers.get("cache-control"), what).toEqual(["no-store"]);
  expect(answer.headers.get("x-content-type-options"), what).toEqual(["nosniff"]);
  expect(answer.headers.get("content-length"), what).toEqual([String(answer.body.length)]);
  if (answer.body.length > 0) expect(answer.headers.get("content-type"), what).toEqual(["application/json"]);
}

describe("review7: the webhook fast path's headers", () => {
  it("P8 200, 202 respond-async, 404, 400 and 413 each carry every header once, with its exact length", async () => {
    const url = await webhookOn();
    const json = { "Content-Type": "application/json" };
    const ok = await send(url, "POST", json, JSON.stringify({ summary: "é😀 headers" }));
    expect(ok.status).toBe(200);
    expectOneOfEach(ok, "200");
    const later = await send(url, "POST", { ...json, Prefer: "respond-async" }, "{}");
    expect(later.status).toBe(202);
    expect(later.headers.get("preference-applied")).toEqual(["respond-async"]);
    expectOneOfEach(later, "202");
    const unknown = await send(url.replace(/[^/]+$/, "no-such-token"), "POST", json, "{}");
    expect(unknown.status).toBe(404);
    expectOneOfEach(unknown, "404");
    const broken = await send(url, "POST", json, "{not json");
    expect(broken.status).toBe(400);
    expectOneOfEach(broken, "400");
    const large = await send(url, "POST", json, Buffer.alloc(1024 * 1024 + 10, 0x20));
    expect(large.status).toBe(413);
    expectOneOfEach(large, "413");
    expect(large.headers.get("connection")).toEqual(["close"]);
  });

  it("P8 a 429 past the rate limit carries one Retry-After, and the headers once each", async () => {
    // One call per ~3 hours: the second is refused however slow the machine is between the two.
    const url = await webhookOn({ perSecond: 1e-4, burst: 1 });
    const answers = [await send(url, "POST", {}, "{}"), await send(url, "POST", {}, "{}")];
    expect(answers.map((a) => a.status)).toEqual([200, 429]);
    expect(answers[1].headers.get("retry-after")).toHaveLength(1);
    expect(Number(answers[1].headers.get("retry-after")![0])).toBeGreaterThan(0);
    expectOneOfEach(answers[1], "429");
  });

  it("P8 a scenario's failure and its name header on the fast path: once each", async () => {
    const url = await webhookOn({ scenario: { scenario: "flaky", failEvery: 1, retryAfterSeconds: 7 } as ScenarioRequest });
    const answer = await send(url, "POST", {}, "{}");
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toEqual(["7"]);
    expect([...answer.headers.keys()].filter((name) => name.includes("scenario"))).toHaveLength(1);
    expectOneOfEach(answer, "scenario");
  });

  it("P5 HEAD, PUT and TRACE on a webhook URL are 405 as before, with the API's headers", async () => {
    const url = await webhookOn();
    for (const method of ["HEAD", "PUT", "TRACE", "DELETE"]) {
      const answer = await send(url, method);
      expect(answer.status, method).toBe(405);
      expect(answer.headers.get("cache-control"), method).toEqual(["no-store"]);
      expect(answer.headers.get("x-content-type-options"), method).toEqual(["nosniff"]);
    }
  });
});
