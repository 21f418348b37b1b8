/**
 * Requests that must not steer the platform, on the real HTTP server and raw sockets (fetch would
 * normalise what an attacker sends): absolute URLs come from the configured public URL, never from
 * `Host` or an absolute-form request line (P4); methods it does not serve get a 405 with `Allow`,
 * never a 5xx, and the log gets one line without a stack (P5).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { connect } from "node:net";
import { request as httpRequest } from "node:http";
import { paths } from "../../contract/api.ts";
import { startPlatformServer, type PlatformServer } from "./http-server.ts";
import { createTestOrganization, type TestOrganization } from "../fixtures/test-organization.ts";
import { waitUntil } from "../../tests/wait-until.ts";

const PUBLIC = "https://platform.example.com";
let server: PlatformServer;
let plain: PlatformServer;
let org: TestOrganization;
let token: string;

beforeAll(async () => {
  org = await createTestOrganization();
  server = await startPlatformServer({ port: 0, publicUrl: PUBLIC, organizations: [org.registration] });
  plain = await startPlatformServer({ port: 0, organizations: [org.registration] });
  token = await org.signToken();
});
afterAll(async () => {
  await server.close();
  await plain.close();
});
afterEach(() => vi.restoreAllMocks());

/** An HTTP/1.1 request as given: `target` goes into the request line unchanged, `Host` is whatever we say. */
function raw(base: string, method: string, target: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method, path: target, headers: { ...headers, ...(body ? { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) } : {}) }, setHost: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Bytes written straight to the socket; resolves with the whole answer the server sent before closing. */
function rawSocket(base: string, text: string): Promise<string> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(text));
    let answer = "";
    socket.setEncoding("utf8");
    socket.on("data", (c: string) => (answer += c));
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
    setTimeout(() => socket.end(), 2000).unref();
  });
}

async function deployJira(base: string, headers: Record<string, string>) {
  const auth = { ...headers, Authorization: `Bearer ${token}` };
  const draft = JSON.parse((await raw(base, "POST", paths.instances(), auth, JSON.stringify({ integrationId: "jira" }))).body) as { id: string };
  await raw(base, "PUT", paths.instanceConfigPage(draft.id, "connect"), auth, JSON.stringify({ values: { site: "acme.atlassian.net", jiraConnection: { kind: "basic", username: "ada", password: "pw-1234567" } } }));
  await raw(base, "PUT", paths.instanceConfigPage(draft.id, "issues"), auth, JSON.stringify({ values: { projectKey: "OPS" } }));
  return raw(base, "POST", paths.instanceDeploy(draft.id), auth);
}

describe("P4 Host header and absolute-form request lines", () => {
  it("P4 webhook URLs in every answer use the configured public URL, whatever Host or the request line names", async () => {
    const deployed = await deployJira(server.url, { Host: "attacker.example" });
    expect(deployed.status).toBe(200);
    const instance = (JSON.parse(deployed.body) as { instance: { id: string; flows: Array<{ webhookUrl?: string }> } }).instance;
    const hook = instance.flows.find((f) => f.webhookUrl)!.webhookUrl!;
    expect(hook.startsWith(`${PUBLIC}/api/v1/webhooks/`)).toBe(true);

    // An absolute-form request line naming the attacker, with a matching Host.
    const again = await raw(server.url, "GET", `http://attacker.example${paths.instance(instance.id)}`, { Host: "attacker.example", Authorization: `Bearer ${token}` });
    expect(again.status).toBe(200);
    expect(again.body).not.toContain("attacker.example");
    expect(again.body).toContain(`${PUBLIC}/api/v1/webhooks/`);
  });

  it("P4 the OAuth authorize URL and its redirect_uri use the public URL", async () => {
    const auth = { Host: "attacker.example", Authorization: `Bearer ${token}` };
    const draft = JSON.parse((await raw(server.url, "POST", paths.instances(), auth, JSON.stringify({ integrationId: "slack" }))).body) as { id: string };
    const started = await raw(server.url, "POST", paths.oauthStart(draft.id, "slackConnection"), auth);
    expect(started.status).toBe(200);
    const authorize = new URL((JSON.parse(started.body) as { authorizeUrl: string }).authorizeUrl);
    expect(authorize.origin).toBe(PUBLIC);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${PUBLIC}${paths.oauthCallback()}`);
  });

  it("P4 without a public URL, absolute URLs use the listen address, not Host", async () => {
    const deployed = await deployJira(plain.url, { Host: "attacker.example:4100" });
    const hook = (JSON.parse(deployed.body) as { instance: { flows: Array<{ webhookUrl?: string }> } }).instance.flows.find((f) => f.webhookUrl)!.webhookUrl!;
    expect(new URL(hook).origin).toBe(plain.url);
  });

  it("refuses a public URL that is not an origin", async () => {
    await expect(startPlatformServer({ port: 0, publicUrl: "https://platform.example.com/base" })).rejects.toThrow(/must be an http\(s\) origin/);
    await expect(startPlatformServer({ port: 0, publicUrl: "javascript:alert(1)" })).rejects.toThrow(/must be an http\(s\) origin/);
  });
});

describe("P5 methods the server does not serve", () => {
  it("P5 TRACE, CONNECT, an unknown method token and PROPFIND get a 405 with Allow, never a 5xx, and the log has no stack", async () => {
    const lines: string[] = [];
    for (const level of ["error", "warn", "log", "info"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(" ")));
    }
    const answers = [
      await rawSocket(plain.url, "TRACE /api/v1/integrations HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
      await rawSocket(plain.url, "TRACE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
      await rawSocket(plain.url, "CONNECT attacker.example:443 HTTP/1.1\r\nHost: attacker.example:443\r\n\r\n"),
      await rawSocket(plain.url, "FROB9 /api/v1/integrations HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
      await rawSocket(plain.url, "PROPFIND /api/v1/integrations HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
      await rawSocket(plain.url, "TRACK /frame/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
    ];
    for (const answer of answers) {
      expect(answer.split("\r\n")[0]).toBe("HTTP/1.1 405 Method Not Allowed");
      expect(answer).toMatch(/\r\nallow: [A-Z, ]+\r\n/i);
      expect(answer).toContain('"code":"METHOD_NOT_ALLOWED"');
    }
    // The server still answers, and nothing it logged is a stack trace.
    expect((await fetch(plain.url + paths.embedConfig(org.id))).status).toBe(200);
    expect(lines.join("\n")).not.toMatch(/\n\s+at /);
  });

  it("P5 a client that goes away in the middle of its body gets one log line without a stack, on the webhook path and the API's", async () => {
    const deployed = await deployJira(plain.url, { Host: "x" });
    const hook = new URL((JSON.parse(deployed.body) as { instance: { flows: Array<{ webhookUrl?: string }> } }).instance.flows.find((f) => f.webhookUrl)!.webhookUrl!);
    const lines: string[] = [];
    for (const level of ["error", "warn", "log", "info"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(" ")));
    }
    const url = new URL(plain.url);
    const halfSent = (path: string, auth: string) =>
      new Promise<void>((resolve) => {
        const socket = connect(Number(url.port), url.hostname, () => {
          socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"half":`);
          // The server has read the head and part of the body when the client goes.
          setTimeout(() => socket.destroy(), 50);
        });
        socket.on("close", () => resolve());
        socket.on("error", () => resolve());
      });
    await halfSent(hook.pathname, "");
    await waitUntil(() => expect(lines.filter((line) => line.includes("went away"))).toHaveLength(1));
    await halfSent(paths.instances(), `Authorization: Bearer ${token}\r\n`);
    await waitUntil(() => expect(lines.filter((line) => line.includes("went away"))).toHaveLength(2));
    // One line each: no "unexpected error" or "request failed" with a stack after it, and no
    // webhook token (a capability) in the log.
    expect(lines, lines.join("\n")).toHaveLength(2);
    expect(lines.join("\n")).not.toMatch(/\n\s+at /);
    expect(lines.join("\n")).not.toContain(hook.pathname.split("/").pop()!);
    // The server still answers.
    expect((await fetch(plain.url + paths.embedConfig(org.id))).status).toBe(200);
  });

  it("a request target that is not a path is a 400, not a 5xx", async () => {
    const answer = await rawSocket(plain.url, "GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(answer.split("\r\n")[0]).toBe("HTTP/1.1 400 Bad Request");
  });
});
