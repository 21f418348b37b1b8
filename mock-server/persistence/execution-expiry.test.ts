/**
 * The retention mark (domain/execution-expiry.ts) is a record of its own: retention moves it on
 * nearly every write of a busy instance, so a batch that trims writes one small `executionExpiry`
 * row, never the instance record (large, its secrets re-sealed). State written by earlier versions,
 * with the mark inside the instance record, opens: the mark moves out, and an id retention removed
 * still answers 410 EXECUTION_EXPIRED.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "libsql";
import * as z from "zod/mini";
import { apiError, deployResponse, paths, type Instance } from "../../contract/api.ts";
import { Store } from "../domain/changes.ts";
import { createManualClock, type ManualClock } from "../domain/clock.ts";
import { createTestOrganization, type TestOrganization } from "../fixtures/test-organization.ts";
import { startPlatformServer, type PlatformServer } from "../transports/http-server.ts";

const POLICY = { retention: { maxAgeDays: 7, maxPerInstance: 2 }, webhookRateLimit: null };

let dir: string;
let file: string;
let org: TestOrganization;
let clock: ManualClock;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "emporium-expiry-"));
  file = join(dir, "platform.db");
  clock = createManualClock();
  org = await createTestOrganization({ clock });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const start = () => startPlatformServer({ port: 0, clock, stateFile: file, organizations: [org.registration], policy: POLICY });

async function caller(server: PlatformServer) {
  const token = await org.signToken({}, {}, clock.now());
  return (path: string, init: RequestInit = {}) =>
    fetch(server.url + path, { ...init, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...init.headers } });
}

/** A deployed Jira instance whose first runs retention removed; returns it and the removed run's id. */
async function trimmedInstance(server: PlatformServer): Promise<{ instance: Instance; removed: string }> {
  const call = await caller(server);
  const draft = (await (await call(paths.instances(), { method: "POST", body: JSON.stringify({ integrationId: "jira" }) })).json()) as Instance;
  await call(paths.instanceConfigPage(draft.id, "connect"), {
    method: "PUT",
    body: JSON.stringify({ values: { site: "acme.atlassian.net", jiraConnection: { kind: "basic", username: "ada", password: "pw-1234567" } } }),
  });
  await call(paths.instanceConfigPage(draft.id, "issues"), { method: "PUT", body: JSON.stringify({ values: { projectKey: "OPS" } }) });
  const instance = z.parse(deployResponse, await (await call(paths.instanceDeploy(draft.id), { method: "POST" })).json()).instance;
  const hook = server.url + new URL(instance.flows.find((f) => f.webhookUrl)!.webhookUrl!).pathname;
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    clock.advance(1000);
    const answer = await fetch(hook, { method: "POST", body: JSON.stringify({ message: `run ${i}` }) });
    ids.push(((await answer.json()) as { executionId: string }).executionId);
  }
  // The deploy run and the first webhook run went (2 kept).
  return { instance, removed: ids[0] };
}

async function expectExpired(server: PlatformServer, instanceId: string, executionId: string) {
  const answer = await (await caller(server))(paths.instanceExecution(instanceId, executionId));
  expect(answer.status).toBe(410);
  expect(z.parse(apiError(), await answer.json()).error.code).toBe("EXECUTION_EXPIRED");
}

const rows = (sql: string, ...args: unknown[]) => {
  const db = new Database(file);
  try {
    return db.prepare(sql).raw().all(...args) as unknown[][];
  } finally {
    db.close();
  }
};

describe("the retention mark on disk", () => {
  it("a trim writes the instance's small executionExpiry record, not the instance record", async () => {
    const server = await start();
    let instance: Instance;
    let removed: string;
    let instanceWrites = 0;
    try {
      ({ instance, removed } = await trimmedInstance(server));
      // From here on every webhook call trims; none of them may announce the instance record.
      const store = Store.of(server.platform.snapshot());
      store.watch("instances", (ids) => (instanceWrites += ids.filter((id) => id === instance.id).length));
      const hook = server.url + new URL(instance.flows.find((f) => f.webhookUrl)!.webhookUrl!).pathname;
      for (let i = 0; i < 3; i++) {
        clock.advance(1000);
        expect((await fetch(hook, { method: "POST", body: JSON.stringify({ message: `more ${i}` }) })).status).toBe(200);
      }
      await expectExpired(server, instance.id, removed);
    } finally {
      await server.close();
    }
    expect(instanceWrites).toBe(0);
    const [[mark]] = rows("SELECT data FROM records WHERE kind = 'executionExpiry' AND id = ?", instance.id) as [[string]];
    expect(JSON.parse(mark)).toEqual({ id: instance.id, through: expect.any(Number) });
    const [[record]] = rows("SELECT data FROM records WHERE kind = 'instances' AND id = ?", instance.id) as [[string]];
    expect(JSON.parse(record)).not.toHaveProperty("executionsExpiredThrough");
  });

  it("state written with the mark inside the instance record opens: the mark moves out, the removed run still answers 410", async () => {
    let server = await start();
    let trimmed: { instance: Instance; removed: string };
    try {
      trimmed = await trimmedInstance(server);
    } finally {
      await server.close();
    }
    const { instance, removed } = trimmed;
    // What an earlier version wrote: the mark as the instance's field, no record of its own.
    const [[through]] = rows("SELECT json_extract(data, '$.through') FROM records WHERE kind = 'executionExpiry' AND id = ?", instance.id) as [[number]];
    const db = new Database(file);
    db.prepare("UPDATE records SET data = json_set(data, '$.executionsExpiredThrough', ?) WHERE kind = 'instances' AND id = ?").run(through, instance.id);
    db.prepare("DELETE FROM records WHERE kind = 'executionExpiry'").run();
    db.close();

    server = await start();
    try {
      await expectExpired(server, instance.id, removed);
      expect(server.platform.snapshot().instances[instance.id]).not.toHaveProperty("executionsExpiredThrough");
    } finally {
      await server.close();
    }
    expect(rows("SELECT json_extract(data, '$.through') FROM records WHERE kind = 'executionExpiry' AND id = ?", instance.id)).toEqual([[through]]);
    const [[record]] = rows("SELECT data FROM records WHERE kind = 'instances' AND id = ?", instance.id) as [[string]];
    expect(JSON.parse(record)).not.toHaveProperty("executionsExpiredThrough");
  });
});
