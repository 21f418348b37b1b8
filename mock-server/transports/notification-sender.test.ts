/**
 * Both senders of outgoing notifications — node:http (the Node platform) and fetch (the
 * in-browser platform, run here on Node's fetch) — against real local servers: a redirect is
 * answered back as a failure and never followed, loopback is refused outside development mode
 * whether it is written as an IP or reached through a name, a silent endpoint times out, and a
 * 500's body is kept (its start only). Node's fetch hands a redirect back with its status; a
 * browser's is opaque, which tests/static-frame.test.ts covers in Chromium.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { sendNotification } from "./notification-sender.ts";
import { sendNotificationWithFetch } from "./fetch-notification-sender.ts";
import type { NotificationSender, OutgoingRequest } from "../domain/notifications.ts";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ port: number; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits += 1;
    handle(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return { port: typeof address === "object" && address ? address.port : 0, hits: () => hits };
}

const request = (url: string, extra: Partial<OutgoingRequest> = {}): OutgoingRequest => ({
  url,
  headers: { "content-type": "application/json", "webhook-id": "msg_test" },
  body: '{"type":"instance.paused"}',
  timeoutMs: 5000,
  signal: new AbortController().signal,
  allowPrivateNetwork: true,
  ...extra,
});

/** Each sender, with the words it has for a name it may not call and a connection refused. */
const senders: Array<{ name: string; send: NotificationSender; localName: RegExp; refused: RegExp }> = [
  { name: "node:http", send: sendNotification, localName: /private, loopback or reserved address/, refused: /^The connection was refused \(nothing listens there\)\.$/ },
  // A browser cannot resolve a name to check it: a local name is refused by the URL rules instead.
  { name: "fetch", send: sendNotificationWithFetch, localName: /https:\/\//, refused: /^The request failed: the endpoint is unreachable/ },
];

describe.each(senders)("notification sender ($name)", ({ send: sendNotification, localName, refused }) => {
  it("N2 a redirect is not followed: the 3xx and its Location come back, the target is never called", async () => {
    const target = await serve((_req, res) => res.end("should not be reached"));
    const redirecting = await serve((_req, res) => {
      res.writeHead(307, { Location: `http://127.0.0.1:${target.port}/internal` });
      res.end();
    });
    const result = await sendNotification(request(`http://127.0.0.1:${redirecting.port}/hook`));
    expect(result).toMatchObject({ status: 307, location: `http://127.0.0.1:${target.port}/internal` });
    expect(target.hits()).toBe(0);
  });

  it("N2 loopback is refused outside development mode, as an IP and through a name that resolves to it", async () => {
    const endpoint = await serve((_req, res) => res.end("ok"));
    expect(await sendNotification(request(`http://127.0.0.1:${endpoint.port}/hook`, { allowPrivateNetwork: false }))).toEqual({ error: expect.stringMatching(/private, loopback or reserved address/) });
    expect(await sendNotification(request(`http://localhost:${endpoint.port}/hook`, { allowPrivateNetwork: false }))).toEqual({ error: expect.stringMatching(localName) });
    expect(endpoint.hits()).toBe(0);
    expect(await sendNotification(request(`http://localhost:${endpoint.port}/hook`))).toMatchObject({ status: 200, body: "ok" });
  });

  it("sends the headers and body, keeps the start of a 500's answer and a numeric Retry-After", async () => {
    let seen: { headers: IncomingMessage["headers"]; body: string } | undefined;
    const endpoint = await serve((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        seen = { headers: req.headers, body };
        res.writeHead(503, { "Retry-After": "30" });
        res.end("x".repeat(10_000));
      });
    });
    const result = await sendNotification(request(`http://127.0.0.1:${endpoint.port}/hook`));
    expect(result).toMatchObject({ status: 503, retryAfterSeconds: 30 });
    expect("body" in result && result.body.length).toBe(2048);
    expect(seen).toMatchObject({ headers: { "webhook-id": "msg_test", "content-type": "application/json" }, body: '{"type":"instance.paused"}' });
  });

  it("an endpoint that never answers fails as timed out; a refused connection says so", async () => {
    const silent = await serve(() => undefined);
    expect(await sendNotification(request(`http://127.0.0.1:${silent.port}/hook`, { timeoutMs: 300 }))).toEqual({ error: "No answer within 0.3 s (timed out)." });
    const gone = await serve((_req, res) => res.end());
    const port = gone.port;
    servers.pop()!.close();
    expect(await sendNotification(request(`http://127.0.0.1:${port}/hook`))).toEqual({ error: expect.stringMatching(refused) });
  });
});
