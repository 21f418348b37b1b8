/**
 * P9: the platform's log lines never carry a secret. A webhook's path holds its token (anyone
 * holding it can run the flow), an OAuth flow's record id and status path hold its `state`, and
 * Node's errors quote the value they failed on (`Received type string ('<a connection secret>')`).
 * Each is driven through the real HTTP server on a state file, along every path that logs: a
 * change refused as unstorable, a request refused, a save that failed, an unexpected error, and
 * the stop; everything the platform printed meanwhile is captured and searched.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:net";
import { format, inspect } from "node:util";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { connectionPaths } from "../../contract/connection-paths.ts";
import { executionRefusal, recordRefusal, Store, UnstorableChangeError } from "../domain/changes.ts";
import type { StoredExecution } from "../domain/store.ts";
import { poisonedWebhooks, type PoisonedWebhooks } from "./poisoned-webhooks.ts";
import { SqliteBackend } from "../persistence/sqlite-backend.ts";
import { stoppedLine } from "./http-server.ts";

/** A connection secret as a customer typed it. */
const CANARY = "sk_live_P9canary7f3a9c1e";
/** A value whose JSON throws what Node throws when given a secret where it wanted a number: its message quotes the secret. */
const quotesTheSecret = { toJSON: () => Buffer.alloc(CANARY as unknown as number) };

let platform: PoisonedWebhooks | undefined;
const dir = mkdtempSync(join(tmpdir(), "emporium-log-secrets-"));
let printed: string[] = [];

beforeEach(() => {
  printed = [];
  for (const method of ["log", "info", "warn", "error", "debug"] as const) vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(format(...args)));
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => (printed.push(String(chunk)), true));
  }
});
afterEach(async () => {
  await platform?.server.close().catch(() => undefined);
  platform = undefined;
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw request line, for what fetch will not send (CONNECT); resolves with the answer's status line. */
function rawRequest(url: string, requestLine: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1", () => socket.write(`${requestLine}\r\nHost: 127.0.0.1\r\n\r\n`));
    let answer = "";
    socket.on("data", (chunk: Buffer) => (answer += chunk.toString()));
    socket.on("close", () => resolve(answer.split("\r\n")[0]!));
    socket.on("error", reject);
  });
}

it("P9 a canary secret, a webhook token and an OAuth state driven through a refused change, a refused request, a failed save, an unexpected error and the stop never appear in what the platform prints", async () => {
  platform = await poisonedWebhooks(join(dir, "platform.db"), "p9-org", quotesTheSecret);
  const { server, webhookPath, customerToken } = platform;
  const token = decodeURIComponent(webhookPath.split("/").pop()!);
  const api = (path: string, init: RequestInit = {}) => fetch(server.url + path, { ...init, headers: { Authorization: `Bearer ${customerToken}`, "Content-Type": "application/json" } });
  const start = await api(connectionPaths.connectionOAuth(), { method: "POST", body: JSON.stringify({ app: "Slack" }) });
  expect(start.status).toBe(200);
  const { state } = (await start.json()) as { state: string };
  const store = Store.of(server.platform.snapshot());
  const poisonTheFlow = () => {
    store.tables.oauthAuthorizations[state] = { ...store.tables.oauthAuthorizations[state]!, poison: quotesTheSecret } as never;
    store.changed("oauthAuthorizations", state);
  };

  // A refused change: a webhook's run whose JSON throws, quoting the secret.
  expect((await platform.post("poison")).status).toBe(503);
  // A refused change of a record whose id is an OAuth state.
  poisonTheFlow();
  await expect(store.commit()).rejects.toThrow(UnstorableChangeError);
  // A request refused before it reaches a route: CONNECT to the webhook's path, its query a secret.
  expect(await rawRequest(server.url, `CONNECT ${webhookPath}?code=${CANARY} HTTP/1.1`)).toMatch(/^HTTP\/1\.1 405/);
  // A save that failed, for a webhook and on the flow's status path (which holds the state): the
  // write rejects with an error whose message quotes the secret.
  const failedWrite = new TypeError(`Headers.set: "${CANARY}" is an invalid header value.`);
  // (Every write fails meanwhile: the run's changes are pending again when the status is asked.)
  const failing = vi.spyOn(SqliteBackend.prototype, "write").mockRejectedValue(failedWrite);
  expect((await platform.post("fails to save")).status).toBe(503);
  expect((await api(connectionPaths.connectionOAuthStatus(state))).status).toBe(503);
  failing.mockRestore();
  await server.platform.commit();
  // An unexpected error in a route, quoting the secret.
  vi.spyOn(server.platform.webhooks, "invoke").mockRejectedValueOnce(new TypeError(`The "secret" argument must be of type number. Received type string ('${CANARY}')`));
  expect((await platform.post("throws")).status).toBe(500);
  // The stop with a refused change pending: the line it prints.
  poisonTheFlow();
  const stopped = await server.close().then(() => undefined, (error: unknown) => error);
  platform = undefined;
  expect(stopped).toBeInstanceOf(UnstorableChangeError);
  printed.push(stoppedLine(stopped));

  const all = printed.join("\n");
  // None of the lines holds a secret, in whole or in its encoded form…
  for (const secret of [CANARY, token, encodeURIComponent(token), state, encodeURIComponent(state)]) expect(all).not.toContain(secret);
  // …and every path logged its line (so the search above saw each of them).
  for (const line of ["could not store this change", "could not save the changes of", "refused CONNECT", "could not save the state", "unexpected error", "stopped; not stored: oauthAuthorizations/"]) expect(all).toContain(line);
});

it("P9 an unexpected error whose message spans lines, one of them shaped like a stack frame and quoting a secret, is logged with its frames alone", async () => {
  platform = await poisonedWebhooks(join(dir, "platform.db"), "p9-frames-org");
  // What undici throws for a header value holding a line break: its message quotes the value.
  let quoting: unknown;
  try {
    new Headers().set("x-connection", `ok\n    at ${CANARY}`);
  } catch (error) {
    quoting = error;
  }
  expect((quoting as Error).message).toContain(`\n    at ${CANARY}`);
  vi.spyOn(platform.server.platform.webhooks, "invoke").mockRejectedValueOnce(quoting);
  expect((await platform.post("throws")).status).toBe(500);

  const all = printed.join("\n");
  expect(all).not.toContain(CANARY);
  // The line still says where it was thrown: the frames that follow the message, down to this file.
  expect(all).toMatch(/unexpected error: TypeError \(its message is not logged: it may quote a value\)\n(?: {4}at .*\n)* {4}at .*log-secrets\.test\.ts:\d+/);
});

it("P9 a refusal printed whole (as an unhandled rejection or console.error(error) prints an error: its own properties too) shows no OAuth state and no run's data", () => {
  const state = "Zq3v0P9stateCanary_8xJ2mKd4LrT6wYbNcHsFgAe1uIo";
  const run = { id: "exe_0p9cut000000000000", status: "succeeded", payload: { apiKey: CANARY } } as unknown as StoredExecution;
  const refused = new UnstorableChangeError([recordRefusal("oauthAuthorizations", state, new RangeError("Invalid string length")), executionRefusal(run, new RangeError("Invalid string length"))]);
  // What the platform's own code reads from it is still there.
  expect(refused.changes.has(`oauthAuthorizations/${state}`)).toBe(true);
  expect(refused.executions).toEqual([run]);
  for (const printed of [inspect(refused, { depth: Infinity, showHidden: false }), format("%o", refused), format(refused)]) {
    expect(printed).toContain("could not store 2 changes");
    expect(printed).not.toContain(state);
    expect(printed).not.toContain(CANARY);
  }
});
