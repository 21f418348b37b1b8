/**
 * Review of the webhook's event-loop path (issue 18): the flow runner now keeps per-run copies of
 * cleaned values and a memo of secret-looking keys. A stored secret (a canary) must still never
 * reach an execution — its logs, step results, output or kept payload — nor the state file's
 * executions, including after the connection is reconnected with a new secret, and one instance's
 * secret must not follow into another instance's runs.
 *
 * The caches the event-loop pass added (the secret-key memo, the mocked app's split paths) are
 * filled with what callers send, so they must not keep long keys or paths; nor may a payload cut
 * to 32 KiB keep the caller's whole body alive.
 */
import Database from "libsql";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { customerPlatform } from "../fixtures/customer-platform.ts";
import { SqliteBackend } from "../persistence/sqlite-backend.ts";
import { createSecretBox } from "../persistence/secret-box.ts";
import { createPlatform, type Platform } from "./platform.ts";
import { createManualClock } from "./clock.ts";
import { callMockApp, type AppRequest } from "./third-party-apps.ts";
import type { Caller } from "./sessions.ts";
import type { Instance } from "../../contract/api.ts";

const ORIGIN = "http://platform.test";
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
/** The heap in use after two full collections: what the platform still keeps. */
function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
let platform: Platform | undefined;
let dir: string | undefined;
afterEach(async () => {
  await platform?.commit();
  platform?.dispose();
  platform = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function deployJira(p: Platform, caller: Caller, password: string): Promise<Instance> {
  const { instance } = p.instances.create(caller, "jira", ORIGIN);
  await p.instances.saveConfigPage(caller, instance.id, "connect", { site: "acme.atlassian.net", jiraConnection: { kind: "basic", username: "ada@acme.example", password } }, ORIGIN);
  await p.instances.saveConfigPage(caller, instance.id, "issues", { projectKey: "OPS", issueType: "Bug", labels: ["kept"] }, ORIGIN);
  return (await p.instances.deploy(caller, instance.id, { origin: ORIGIN })).body.instance;
}

/** Calls the instance's "create issue" webhook; answers the stored execution, whole. */
async function hook(p: Platform, instance: Instance, payload: unknown): Promise<string> {
  const url = instance.flows.find((f) => f.id === "create-issue")!.webhookUrl!;
  const result = await p.webhooks.invoke(new URL(url).pathname.split("/").pop()!, payload, { async: false });
  if (result.mode !== "sync") throw new Error("expected a synchronous answer");
  return JSON.stringify(p.executions.stored(result.response.executionId));
}

/** Payloads that carry the secret everywhere a caller can put it. */
const leaky = (secret: string) => [
  { message: `pasted ${secret} by mistake` },
  { message: secret, severity: secret },
  { message: "nested", details: { deep: [{ note: `x${secret}x` }, secret] } },
  { message: "keys", api_key: "not the secret", token: secret, Authorization: `Bearer ${secret}` },
  { message: "twice", a: { b: `${secret}${secret}` }, same: [secret, secret] },
];

describe("review: secrets on the webhook path", () => {
  it("P7 canary: a stored secret never appears in an execution (logs, step results, output, payload), whatever the caller sends", async () => {
    const env = await customerPlatform();
    platform = env.platform;
    const canary = "canary-Secret-4f1d9a";
    const instance = await deployJira(platform, env.caller, canary);
    for (const payload of leaky(canary)) {
      const stored = await hook(platform, instance, payload);
      expect(stored).toContain('"status":"succeeded"');
      expect(stored).not.toContain(canary);
    }
  });

  it("P7 after the connection is reconnected with a new secret, runs redact the new one (no per-run secrets kept from before)", async () => {
    const env = await customerPlatform();
    platform = env.platform;
    const first = "first-Secret-77aa01";
    const connection = platform.connections.create(env.caller, { app: "Jira", credentials: { kind: "basic", username: "ada@acme.example", password: first } });
    const { instance: draft } = platform.instances.create(env.caller, "jira", ORIGIN);
    await platform.instances.saveConfigPage(env.caller, draft.id, "connect", { site: "acme.atlassian.net", jiraConnection: { connectionId: connection.id } }, ORIGIN);
    await platform.instances.saveConfigPage(env.caller, draft.id, "issues", { projectKey: "OPS", issueType: "Bug", labels: [] }, ORIGIN);
    const instance = (await platform.instances.deploy(env.caller, draft.id, { origin: ORIGIN })).body.instance;
    // Warm every cache the runner keeps with the first secret.
    for (let i = 0; i < 3; i++) expect(await hook(platform, instance, { message: `warm ${first}` })).not.toContain(first);

    const second = "second-Secret-99bb02";
    platform.connections.update(env.caller, connection.id, { credentials: { kind: "basic", username: "ada@acme.example", password: second } });
    for (const payload of leaky(second)) expect(await hook(platform, instance, payload)).not.toContain(second);
  });

  it("A10 one instance's secret is not redacted in (nor leaked into) another instance's runs, and each instance's own secret is", async () => {
    const env = await customerPlatform();
    platform = env.platform;
    const secretA = "instance-A-Secret-1x";
    const secretB = "instance-B-Secret-2y";
    const a = await deployJira(platform, env.caller, secretA);
    const b = await deployJira(platform, env.caller, secretB);
    // Interleaved, with the same payload object: a cache by identity must not carry one run's cleaning into the other's.
    const shared = { message: `both ${secretA} ${secretB}` };
    const runA = await hook(platform, a, shared);
    const runB = await hook(platform, b, shared);
    expect(runA).not.toContain(secretA);
    expect(runA).toContain(secretB);
    expect(runB).not.toContain(secretB);
    expect(runB).toContain(secretA);
    // And again the other way round.
    expect(await hook(platform, b, shared)).not.toContain(secretB);
    expect(await hook(platform, a, shared)).not.toContain(secretA);
  });

  it("P7 canary at rest: with the SQLite backend, no execution row and no record of the state file holds the secret in clear", async () => {
    dir = mkdtempSync(join(tmpdir(), "emporium-review-secrets-"));
    const path = join(dir, "state.db");
    const backend = new SqliteBackend(path, { secrets: createSecretBox(Buffer.alloc(32, 7)) });
    const env = await customerPlatform({ backend });
    platform = env.platform;
    const canary = "atrest-Secret-0c0ffee";
    const instance = await deployJira(platform, env.caller, canary);
    for (const payload of leaky(canary)) await hook(platform, instance, payload);
    await platform.commit();
    const db = new Database(path, { readonly: true });
    try {
      const rows = db.prepare("SELECT data FROM executions").raw().all() as [string][];
      expect(rows.length).toBeGreaterThanOrEqual(leaky(canary).length);
      for (const [data] of rows) expect(data).not.toContain(canary);
      // Records hold it sealed only (the connection's password), never in clear.
      const records = db.prepare("SELECT kind, data FROM records WHERE kind NOT IN ('appRecords', 'apps')").raw().all() as [string, string][];
      for (const [kind, data] of records) expect(`${kind} ${data}`).not.toContain(canary);
    } finally {
      db.close();
    }
  });
});

describe("review: the flow runner's secret-key memo", () => {
  it("P3 webhooks whose payload keys are long and new each time do not make the platform keep them (memory stays within what the executions keep)", async () => {
    // The server's backend: committed executions leave memory, so what stays is what the platform keeps.
    dir = mkdtempSync(join(tmpdir(), "emporium-review-memo-"));
    const env = await customerPlatform({ backend: new SqliteBackend(join(dir, "state.db"), { secrets: createSecretBox(Buffer.alloc(32, 3)) }) });
    platform = env.platform;
    const instance = await deployJira(platform, env.caller, "token-9876");
    const KEY_CHARS = 512 * 1024;
    const CALLS = 120;
    // Warm up (first-run compilation, caches of the flow itself).
    await hook(platform, instance, { message: "warm" });
    const before = heapUsed();
    for (let i = 0; i < CALLS; i++) {
      // One new ~512 KiB key per call, as an attacker's body (under the 1 MiB limit) would carry.
      const key = `k${i}_${"a".repeat(KEY_CHARS)}`;
      // No "message": the run fails at its first step, so the execution keeps no step result
      // holding the payload, only the payload itself cut to 32 KiB (MAX_PAYLOAD_CHARS).
      expect(await hook(platform, instance, JSON.parse(`{"${key}":1}`))).toContain('"status":"failed"');
    }
    await platform.commit();
    const grown = heapUsed() - before;
    // Committed, the executions are on disk: 8 MiB of slack for caches of the platform's own.
    // The memo keeps 120 × 512 KiB = 60 MiB.
    expect(grown).toBeLessThan(8 * 1024 * 1024);
  });

  it("P3 a payload cut to 32 KiB keeps only those 32 KiB in memory (the in-memory backend keeps executions), not the caller's whole body", async () => {
    const env = await customerPlatform();
    platform = env.platform;
    const instance = await deployJira(platform, env.caller, "token-5432");
    await hook(platform, instance, { message: "warm" });
    const before = heapUsed();
    for (let i = 0; i < 120; i++) {
      // ~512 KiB of body; no "message", so the run fails at its first step and only the payload is kept.
      const stored = await hook(platform, instance, { n: i, big: "b".repeat(512 * 1024) });
      expect(stored).toContain('"payloadTruncated":true');
    }
    await platform.commit();
    // 120 kept payloads of 32 KiB are ~4 MiB; the bodies behind them would be 60 MiB.
    expect(heapUsed() - before).toBeLessThan(16 * 1024 * 1024);
  });

  it("P7 a stored secret sent as a payload key is redacted in the kept payload and step results", async () => {
    const env = await customerPlatform();
    platform = env.platform;
    const canary = "canary-Secret-4f1d9a";
    const instance = await deployJira(platform, env.caller, canary);
    const stored = await hook(platform, instance, { message: "keys", [canary]: "a key that is the secret" });
    expect(stored).not.toContain(canary);
  });
});

describe("review: the mocked app's split-path cache", () => {
  const clock = createManualClock(Date.UTC(2026, 5, 1));
  it("P3 requests whose paths are long and new each time (a payload value in the path) do not make the platform keep them", async () => {
    platform = createPlatform({ clock });
    const call = (path: string) => {
      const request: AppRequest = { app: "Jira", organizationId: "org_1", customerId: "cus_1", connection: { kind: "basic", username: "ops", password: "pw" }, method: "GET", path };
      return callMockApp(platform!.snapshot(), request, clock, new Map());
    };
    // The collection exists (one record made), so a GET of an id it lacks is a 404 and stores nothing.
    await call("/issues/warm");
    const made = await callMockApp(platform.snapshot(), { app: "Jira", organizationId: "org_1", customerId: "cus_1", connection: { kind: "basic", username: "ops", password: "pw" }, method: "POST", path: "/issues", body: { n: 1 } }, clock, new Map());
    expect(made.status).toBe(201);
    const before = heapUsed();
    for (let i = 0; i < 120; i++) {
      // An id of ~512 KiB that does not exist: a 404, nothing stored.
      expect((await call(`/issues/${i}_${"z".repeat(512 * 1024)}`)).status).toBe(404);
    }
    // The app keeps nothing of a 404; 8 MiB of slack. The cache keeps 120 × ~1 MiB (path and id).
    expect(heapUsed() - before).toBeLessThan(8 * 1024 * 1024);
  });
});
