/**
 * Review of how the webhook fast path reads a body (http-server.ts), over raw node:http so the
 * body can be streamed in chunks with no length, cut short, or sent to an unknown token: each gets
 * its typed error (413 PAYLOAD_TOO_LARGE for a body streamed past 1 MiB, with the connection
 * closed; 400 INVALID_JSON for bytes that are not UTF-8; 404 NOT_FOUND for an unknown token
 * whatever its body), no run is made for any of them, nothing is left unhandled, and the webhook
 * answers the next call 200 with the run stored. The route, matched without a regular expression
 * since 9d640d2: a query string and a percent-encoded token still reach the webhook; bad
 * percent-encoding and a path beyond the token are 404.
 */
import { request, type ClientRequest, type IncomingMessage } from "node:http";
import { afterEach, expect, it } from "vitest";
import { startPlatformServer, type PlatformServer } from "./http-server.ts";
import { createTestOrganization } from "../fixtures/test-organization.ts";
import { deployWith } from "../testing/deploy-with.ts";
import { jiraValues } from "../testing/jira-values.ts";
import { Store } from "../domain/changes.ts";
import { MAX_BODY_BYTES } from "../http/request-body.ts";

let server: PlatformServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Answer {
  status: number;
  connection: string | undefined;
  code: string | undefined;
}

/** A POST whose body `write` sends (in chunks, no Content-Length unless given); its answer, its error code. */
function post(url: string, headers: Record<string, string | number>, write: (req: ClientRequest) => void): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { "Content-Type": "application/json", ...headers } }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const code = text === "" ? undefined : (JSON.parse(text) as { error?: { code?: string } }).error?.code;
        resolve({ status: res.statusCode!, connection: res.headers.connection, code });
      });
    });
    // The server may answer and close before a refused body is all sent: that is not a failure here.
    req.on("error", (error: NodeJS.ErrnoException) => (error.code === "EPIPE" || error.code === "ECONNRESET" ? undefined : reject(error)));
    write(req);
  });
}

async function webhook(): Promise<{ url: string; runs: () => string[] }> {
  const org = await createTestOrganization({ id: "review8-body" });
  server = await startPlatformServer({ port: 0, organizations: [org.registration] });
  const caller = await server.platform.access.authenticate(await org.signToken({ customer: "acme" }));
  const { body } = await deployWith(server.platform, caller, "jira", jiraValues(), server.url);
  const platform = server.platform;
  const runs = () =>
    Store.of(platform.snapshot())
      .executions.page({ organizationId: org.registration.id, instanceId: body.instance.id }, { limit: 50 })
      // A payload past 32 KiB is kept as the start of its text; the deploy's own run has no summary.
      .map((e) => (typeof e.payload === "string" ? `${e.payload.slice(0, 20)}…` : (e.payload as { summary?: string } | null)?.summary))
      .filter((summary) => summary !== undefined);
  return { url: server.url + new URL(body.instance.flows.find((flow) => flow.webhookUrl)!.webhookUrl!).pathname, runs };
}

const kib = (n: number, fill = 0x20) => Buffer.alloc(n * 1024, fill);

it("review8: a body streamed past the limit with no length is 413 PAYLOAD_TOO_LARGE on a closed connection, and makes no run", async () => {
  const { url, runs } = await webhook();
  const answer = await post(url, {}, (req) => {
    req.write("{\"summary\":\"");
    for (let sent = 0; sent <= MAX_BODY_BYTES; sent += 64 * 1024) req.write(kib(64, 0x61));
    req.end("\"}");
  });
  expect(answer).toEqual({ status: 413, connection: "close", code: "PAYLOAD_TOO_LARGE" });
  const next = await post(url, {}, (req) => req.end(JSON.stringify({ summary: "after" })));
  expect(next.status).toBe(200);
  expect(runs()).toEqual(["after"]);
});

it("review8: a body of bytes that are not UTF-8 is 400 INVALID_JSON and makes no run; one just under the limit in many chunks is 200", async () => {
  const { url, runs } = await webhook();
  const broken = await post(url, {}, (req) => {
    req.write("{\"summary\":\"");
    req.write(Buffer.from([0xc3]));
    req.end(Buffer.from([0x28, 0x22, 0x7d]));
  });
  expect(broken).toMatchObject({ status: 400, code: "INVALID_JSON" });
  expect(runs()).toEqual([]);

  const head = Buffer.from("{\"summary\":\"big\",\"pad\":\"");
  const tail = Buffer.from("\"}");
  const pad = MAX_BODY_BYTES - head.length - tail.length;
  const full = await post(url, {}, (req) => {
    req.write(head);
    for (let sent = 0; sent < pad; sent += 4096) req.write(Buffer.alloc(Math.min(4096, pad - sent), 0x62));
    req.end(tail);
  });
  expect(full.status).toBe(200);
  expect(runs()).toEqual(['{"summary":"big","pa…']);
});

it("review8: an unknown token is 404 NOT_FOUND whatever its body (declared too large, streamed too large, not UTF-8), and the webhook still answers 200", async () => {
  const { url, runs } = await webhook();
  const unknown = url.replace(/[^/]+$/, "whk_no_such_token");
  const declared = await post(unknown, { "Content-Length": MAX_BODY_BYTES + 1 }, (req) => req.end(kib(1)));
  expect(declared).toMatchObject({ status: 404, code: "NOT_FOUND" });
  const streamed = await post(unknown, {}, (req) => {
    for (let sent = 0; sent <= MAX_BODY_BYTES; sent += 64 * 1024) req.write(kib(64));
    req.end();
  });
  expect(streamed).toMatchObject({ status: 404, code: "NOT_FOUND" });
  const notUtf8 = await post(unknown, {}, (req) => req.end(Buffer.from([0xff, 0xfe])));
  expect(notUtf8).toMatchObject({ status: 404, code: "NOT_FOUND" });
  const next = await post(url, {}, (req) => req.end(JSON.stringify({ summary: "still" })));
  expect(next.status).toBe(200);
  expect(runs()).toEqual(["still"]);
});

it("review8: a client that goes away halfway through its body makes no run, and the webhook answers the next call 200", async () => {
  const { url, runs } = await webhook();
  await new Promise<void>((resolve) => {
    const req = request(url, { method: "POST", headers: { "Content-Type": "application/json", "Content-Length": 1000 } });
    req.on("error", () => resolve());
    req.write("{\"summary\":\"cut", () => setImmediate(() => req.destroy()));
    req.on("close", () => resolve());
  });
  const next = await post(url, {}, (req) => req.end(JSON.stringify({ summary: "next" })));
  expect(next.status).toBe(200);
  expect(runs()).toEqual(["next"]);
});

it("review8: the webhook route as matched without a regular expression: a query string, a token written percent-encoded, and a path beyond the token", async () => {
  const { url, runs } = await webhook();
  const path = new URL(url);
  const token = path.pathname.slice(path.pathname.lastIndexOf("/") + 1);
  const encoded = [...token].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`).join("");
  const withQuery = await post(`${url}?source=review8`, {}, (req) => req.end(JSON.stringify({ summary: "query" })));
  expect(withQuery.status).toBe(200);
  const percent = await post(url.slice(0, url.length - token.length) + encoded, {}, (req) => req.end(JSON.stringify({ summary: "percent" })));
  expect(percent.status).toBe(200);
  const badPercent = await post(`${url}%E0%A4%A`, {}, (req) => req.end("{}"));
  expect(badPercent).toMatchObject({ status: 404, code: "NOT_FOUND" });
  const beyond = await post(`${url}/more`, {}, (req) => req.end("{}"));
  expect(beyond.status).toBe(404);
  expect(runs().sort()).toEqual(["percent", "query"]);
});
