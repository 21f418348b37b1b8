/**
 * Review of the webhook's event-loop path (issue 18): the flow runner now keeps per-run copies of
 * cleaned values and a memo of secret-looking keys. A stored secret (a canary) must still never
 * reach an execution — its logs, step results, output or kept payload — nor the state file's
 * executions, including after the connection is reconnected with a new secret, and one instance's
 * secret must not follow into another instance's runs.
 */
import Database from "libsql";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { customerPlatform } from "../fixtures/customer-platform.ts";
import { SqliteBackend } from "../persistence/sqlite-backend.ts";
import { createSecretBox } from "../persistence/secret-box.ts";
import type { Platform } from "./platform.ts";
import type { Caller } from "./sessions.ts";
import type { Instance } from "../../contract/api.ts";

const ORIGIN = "http://platform.test";
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
