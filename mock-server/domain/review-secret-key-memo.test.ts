/**
 * Found in review (fixed): flow-runner.ts keeps every payload key it has checked (`secretKeys`,
 * `isSecretKey`) in a module-level Map capped at 10,000 ENTRIES, not bytes. Payload keys are the
 * webhook caller's: anyone who can reach a webhook URL sends bodies up to 1 MiB whose keys are
 * long and new each time, and the platform keeps them all — up to 10,000 × ~1 MiB. Before the
 * event-loop pass nothing was kept. The execution itself keeps at most 32 KiB of such a payload.
 *
 * Also here: a stored secret used as a payload KEY is not redacted (redact() walks values only);
 * not tonight's change, found while reviewing it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { customerPlatform } from "../fixtures/customer-platform.ts";
import { SqliteBackend } from "../persistence/sqlite-backend.ts";
import { createSecretBox } from "../persistence/secret-box.ts";
import type { Platform } from "./platform.ts";
import type { Caller } from "./sessions.ts";
import type { Instance } from "../../contract/api.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

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
  await p.instances.saveConfigPage(caller, instance.id, "issues", { projectKey: "OPS", issueType: "Bug", labels: [] }, ORIGIN);
  return (await p.instances.deploy(caller, instance.id, { origin: ORIGIN })).body.instance;
}

async function hook(p: Platform, instance: Instance, body: string): Promise<string> {
  const url = instance.flows.find((f) => f.id === "create-issue")!.webhookUrl!;
  // As the HTTP transport does: the body parsed as JSON.
  const result = await p.webhooks.invoke(new URL(url).pathname.split("/").pop()!, JSON.parse(body), { async: false });
  if (result.mode !== "sync") throw new Error("expected a synchronous answer");
  return JSON.stringify(p.executions.stored(result.response.executionId));
}

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

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
    await hook(platform, instance, JSON.stringify({ message: "warm" }));
    const before = heapUsed();
    for (let i = 0; i < CALLS; i++) {
      // One new ~512 KiB key per call, as an attacker's body (under the 1 MiB limit) would carry.
      const key = `k${i}_${"a".repeat(KEY_CHARS)}`;
      // No "message": the run fails at its first step, so the execution keeps no step result
      // holding the payload, only the payload itself cut to 32 KiB (MAX_PAYLOAD_CHARS).
      expect(await hook(platform, instance, `{"${key}":1}`)).toContain('"status":"failed"');
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
    await hook(platform, instance, JSON.stringify({ message: "warm" }));
    const before = heapUsed();
    for (let i = 0; i < 120; i++) {
      // ~512 KiB of body; no "message", so the run fails at its first step and only the payload is kept.
      const stored = await hook(platform, instance, JSON.stringify({ n: i, big: "b".repeat(512 * 1024) }));
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
    const stored = await hook(platform, instance, JSON.stringify({ message: "keys", [canary]: "a key that is the secret" }));
    expect(stored).not.toContain(canary);
  });
});
