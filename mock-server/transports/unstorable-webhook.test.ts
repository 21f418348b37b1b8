/**
 * Over HTTP on a state file: a webhook whose execution cannot be stored (its JSON throws, as past
 * V8's string limit) is answered 503 SERVICE_UNAVAILABLE, never 2xx, and the webhooks after it are
 * answered 200 and kept across a restart. Before, the half-built batch poisoned the write path:
 * every later request was answered 503 until the server restarted. The failure is injected the way
 * production meets it: a value of the run whose serialisation (JSON.stringify, through its
 * `toJSON`) throws; everything from the store to the writer thread and the answer is the real path.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { startPlatformServer, type PlatformServer } from "./http-server.ts";
import { createTestOrganization } from "../fixtures/test-organization.ts";
import { deployWith } from "../testing/deploy-with.ts";
import { jiraValues } from "../testing/jira-values.ts";
import { Store } from "../domain/changes.ts";
import type { StoredExecution } from "../domain/store.ts";

let server: PlatformServer | undefined;
const dir = mkdtempSync(join(tmpdir(), "emporium-unstorable-"));
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const unwritable = {
  toJSON: () => {
    throw new RangeError("Invalid string length");
  },
};

it("a webhook whose run cannot be stored is answered 503; the webhooks after it are answered 200 and kept across a restart", async () => {
  const org = await createTestOrganization({ id: "unstorable-org" });
  const stateFile = join(dir, "platform.db");
  server = await startPlatformServer({ port: 0, stateFile, organizations: [org.registration] });
  const caller = await server.platform.access.authenticate(await org.signToken({ customer: "acme" }));
  const { body } = await deployWith(server.platform, caller, "jira", jiraValues(), server.url);
  const instanceId = body.instance.id;
  const hook = server.url + new URL(body.instance.flows.find((flow) => flow.webhookUrl)!.webhookUrl!).pathname;

  // A run whose payload says "poison" carries a value JSON.stringify cannot write.
  const executions = Store.of(server.platform.snapshot()).executions;
  const summary = (e: StoredExecution) => (e.payload as { summary?: string } | undefined)?.summary;
  const poisoned = (e: StoredExecution) => (summary(e) === "poison" ? ({ ...e, unwritable } as StoredExecution) : e);
  const { add, update } = executions;
  executions.add = (e) => add(poisoned(e));
  executions.update = (e) => update(poisoned(e));

  const post = (summary: string) => fetch(hook, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ summary }) });
  const refused = await post("poison");
  expect(refused.status).toBe(503);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("SERVICE_UNAVAILABLE");
  const after = await Promise.all(["one", "two", "three"].map(post));
  expect(after.map((answer) => answer.status)).toEqual([200, 200, 200]);
  const summaries = (store: typeof executions) =>
    store.page({ organizationId: org.registration.id, instanceId }, { limit: 50 }).map(summary).filter((s) => s !== undefined).sort();
  expect(summaries(executions)).toEqual(["one", "three", "two"]);

  await server.close();
  server = await startPlatformServer({ port: 0, stateFile, organizations: [org.registration] });
  expect(summaries(Store.of(server.platform.snapshot()).executions)).toEqual(["one", "three", "two"]);
});
