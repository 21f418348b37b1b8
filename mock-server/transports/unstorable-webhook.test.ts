/**
 * Over HTTP on a state file: a webhook whose execution cannot be stored (its JSON throws, as past
 * V8's string limit) is answered 503 SERVICE_UNAVAILABLE, never 2xx, and the webhooks after it are
 * answered 200 and kept across a restart. Before, the half-built batch poisoned the write path:
 * every later request was answered 503 until the server restarted. The failure is injected the way
 * production meets it: a value of the run whose serialisation (JSON.stringify, through its
 * `toJSON`) throws; everything from the store to the writer thread and the answer is the real path
 * (poisoned-webhooks.ts).
 *
 * The review's cases: webhooks sent together with one whose run cannot be stored
 * (a value whose JSON throws, as past V8's string limit; poisoned-webhooks.ts). Whatever
 * write each lands in, the refused one is never answered 2xx, every webhook answered 200 is found
 * after a restart, an answer that is not 200 is 503 SERVICE_UNAVAILABLE with Retry-After: 1, and
 * the webhooks after them are answered 200 and kept. Asked to answer at once (Prefer:
 * respond-async), every 202 names a run found after a restart, and any other answer is 503.
 *
 * A webhook whose run's start was stored but whose end cannot be (too large) is answered 200 with
 * RESULT_NOT_STORED once the run is stored cut: the run is on disk, and a 503 had the sender run it
 * again with every retry.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "libsql";
import { afterEach, expect, it } from "vitest";
import { waitUntil } from "../../tests/wait-until.ts";
import { poisonedWebhooks, type PoisonedWebhooks } from "./poisoned-webhooks.ts";
import { Store } from "../domain/changes.ts";
import { connectionPaths } from "../../contract/connection-paths.ts";
import { paths as apiPaths } from "../../contract/api-paths.ts";
import type { StoredExecution } from "../domain/store.ts";
import { startPlatformServer } from "./http-server.ts";

let platform: PoisonedWebhooks | undefined;
/** A value whose JSON throws what V8 throws past its string limit (for the injections of a run's start or end). */
const unwritable = {
  toJSON: () => {
    throw new RangeError("Invalid string length");
  },
};
const dir = mkdtempSync(join(tmpdir(), "emporium-unstorable-"));
afterEach(async () => {
  await platform?.server.close();
  platform = undefined;
  rmSync(dir, { recursive: true, force: true });
});

it("a webhook whose run cannot be stored is answered 503; the webhooks after it are answered 200 and kept across a restart", async () => {
  platform = await poisonedWebhooks(join(dir, "platform.db"), "unstorable-org");
  const refused = await platform.post("poison");
  expect(refused.status).toBe(503);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("SERVICE_UNAVAILABLE");
  const after = await Promise.all(["one", "two", "three"].map((summary) => platform!.post(summary)));
  expect(after.map((answer) => answer.status)).toEqual([200, 200, 200]);
  expect(platform.summaries()).toEqual(["one", "three", "two"]);

  await platform.restart();
  expect(platform.summaries()).toEqual(["one", "three", "two"]);
});

it("review8: a run that cannot be stored among webhooks sent together: never 2xx, every 200 kept across a restart, the rest 503 with Retry-After, later webhooks 200", async () => {
  platform = await poisonedWebhooks(join(dir, "platform.db"), "review8-org");
  const together = ["a", "b", "poison", "c", "d", "e"];
  const answers = await Promise.all(together.map((summary) => platform!.post(summary)));
  const status = Object.fromEntries(together.map((summary, i) => [summary, answers[i].status]));
  expect(status.poison).toBe(503);
  for (const answer of answers) {
    if (answer.status === 200) continue;
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("1");
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe("SERVICE_UNAVAILABLE");
  }
  const later = await Promise.all(["f", "g"].map((summary) => platform!.post(summary)));
  expect(later.map((answer) => answer.status)).toEqual([200, 200]);
  const acknowledged = [...together.filter((summary) => status[summary] === 200), "f", "g"];

  await platform.restart();
  const kept = platform.summaries();
  expect(kept).not.toContain("poison");
  expect(kept).toEqual(expect.arrayContaining(acknowledged));
});

it("P1 a burst of webhooks where one run cannot be stored: exactly that one is answered 503, every other 200, and after a restart exactly the 200s are there, once each", async () => {
  platform = await poisonedWebhooks(join(dir, "platform.db"), "burst-org");
  // Writes held until every run has ended, so that the refused run shares its write with the
  // others: before, every request of that write got the 503 (their runs on disk all the same),
  // and a sender such as Stripe, retrying, ran them again.
  const burst = ["a", "b", "c", "d", "e", "f", "poison", "g", "h", "i", "j", "k", "l"];
  const held = platform.hold();
  const sent = Promise.all(burst.map((summary) => platform!.post(summary)));
  await waitUntil(() => expect(platform!.summaries()).toHaveLength(burst.length));
  held.release();
  const answers = await sent;
  const status = Object.fromEntries(burst.map((summary, i) => [summary, answers[i].status]));
  expect(status).toEqual(Object.fromEntries(burst.map((summary) => [summary, summary === "poison" ? 503 : 200])));
  const refused = answers[burst.indexOf("poison")];
  expect(refused.headers.get("retry-after")).toBe("1");
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("SERVICE_UNAVAILABLE");
  const acknowledged = burst.filter((summary) => summary !== "poison").sort();
  expect(platform.summaries()).toEqual(acknowledged);

  await platform.restart();
  expect(platform.summaries()).toEqual(acknowledged);
});

it("review8: with Prefer: respond-async, a run that cannot be stored is answered 202 only when its start was stored (found after a restart), else 503; the next one 202 and kept", async () => {
  platform = await poisonedWebhooks(join(dir, "platform.db"), "review8-async");
  const async = { Prefer: "respond-async" };
  const acknowledged: string[] = [];
  // Whether the run's first write carries its payload (and so the value that cannot be stored)
  // depends on when the write starts: 202 means that write stored the run's start.
  const poison = await platform.post("poison", async);
  if (poison.status === 202) acknowledged.push(((await poison.json()) as { executionId: string }).executionId);
  else {
    expect(poison.status).toBe(503);
    expect(((await poison.json()) as { error: { code: string } }).error.code).toBe("SERVICE_UNAVAILABLE");
  }
  const later = await platform.post("later", async);
  expect(later.status).toBe(202);
  acknowledged.push(((await later.json()) as { executionId: string }).executionId);
  await platform.server.platform.idle();

  const server = await platform.restart();
  const executions = Store.of(server.platform.snapshot()).executions;
  expect(acknowledged.filter((id) => executions.get(id) === undefined)).toEqual([]);
  expect(platform.summaries()).toContain("later");
});

it.each(["SIGTERM", "SIGINT"] as const)("P1 %s while a change that cannot be stored is pending: one line says what was not stored and why, exit code 1 without a stack, everything else on disk", async (signal) => {
  const stateFile = join(dir, `stop-${signal}`, "platform.db");
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./refused-at-stop.ts", import.meta.url)), stateFile], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  const [ready] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
  expect(JSON.parse(ready)).toEqual({ ready: true });
  child.kill(signal);
  const [code] = await exited;

  expect(code).toBe(1);
  const lines = stderr.split("\n").filter((line) => line.trim() !== "");
  expect(lines).toEqual(["[emporium platform] stopped; not stored: execution exe_refused: Invalid string length (everything else is on disk)"]);

  const server = await startPlatformServer({ port: 0, stateFile, frameDir: join(dir, "no-frame") });
  try {
    const executions = Store.of(server.platform.snapshot()).executions;
    expect(executions.get("exe_kept")?.status).toBe("succeeded");
    expect(executions.get("exe_refused")).toBeUndefined();
    expect(server.platform.snapshot().customers.cus_stop?.name).toBe("Stop");
  } finally {
    await server.close();
  }
});

it("P1 a webhook whose run's start is refused by a write made while its flow waits on the app is answered 503, never 200 (nothing of the run is on disk); the next webhook 200 and kept", async () => {
  platform = await poisonedWebhooks(join(dir, "platform.db"), "rev9-slow-app");
  // The flow's call to Jira takes a while, so the run's start goes in a write of its own (group
  // commit's timer) while the flow waits; that write refuses it (its JSON throws). The run then
  // ends with no stored record, and its end is not stored either: before, the call got 200.
  // No write in flight first: one still in flight (the set-up's) would hold the run's start
  // until the flow ended, on a busy machine, and its end would replace it unwritten.
  await platform.slowJira();
  const executions = Store.of(platform.server.platform.snapshot()).executions;
  const { add } = executions;
  executions.add = (e) => add((e.payload === undefined && e.status === "running" ? { ...e, unwritable } : e) as StoredExecution);
  const refused = await platform.post("slow", {}, { message: "to Jira" });
  expect(refused.status).toBe(503);
  expect(refused.headers.get("retry-after")).toBe("1");
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("SERVICE_UNAVAILABLE");
  expect(Store.of(platform.server.platform.snapshot()).refusedChanges).toBe(1);

  executions.add = add;
  const later = await platform.post("later", {}, { message: "to Jira" });
  expect(later.status).toBe(200);
  const { executionId, status } = (await later.json()) as { executionId: string; status: string };
  expect(status).toBe("succeeded");
  await platform.restart();
  expect(platform.summaries()).toEqual(["later"]);
  expect(Store.of(platform.server.platform.snapshot()).executions.get(executionId)?.status).toBe("succeeded");
});

it("a request of another route (it cannot name its changes) whose write refuses a webhook's run is answered 503 with Retry-After, never 2xx: any failure of its commit fails it", async () => {
  platform = await poisonedWebhooks(join(dir, "platform.db"), "unnamed-org");
  // Held so that both requests' changes go in one write, which refuses the run.
  const held = platform.hold();
  const poison = platform.post("poison");
  const start = fetch(platform.server.url + connectionPaths.connectionOAuth(), {
    method: "POST",
    headers: { Authorization: `Bearer ${platform.customerToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ app: "Slack" }),
  });
  await waitUntil(() => {
    expect(platform!.summaries()).toEqual(["poison"]);
    expect(Object.keys(platform!.server.platform.snapshot().oauthAuthorizations)).toHaveLength(1);
  });
  held.release();
  expect((await poison).status).toBe(503);
  const answer = await start;
  expect(answer.status).toBe(503);
  expect(answer.headers.get("retry-after")).toBe("1");
  expect(((await answer.json()) as { error: { code: string } }).error.code).toBe("SERVICE_UNAVAILABLE");
});

it("P1 a test run whose run's start is refused by a write made while its flow waits on the app is answered 503, never 201 (nothing of the run is on disk); the next test run 201 and kept", async () => {
  platform = await poisonedWebhooks(join(dir, "platform.db"), "rev10-test-run");
  const { server } = platform;
  // As for the webhook above, through the API's test-run route (POST …/flows/:flowId/test), which
  // answers the finished run: its start goes in a write of its own while the flow waits on Jira
  // (no write in flight first, as above).
  await platform.slowJira();
  const instance = Object.values(server.platform.snapshot().instances)[0]!;
  const flowId = Object.keys(instance.webhookTokens)[0]!;
  const executions = Store.of(server.platform.snapshot()).executions;
  const { add } = executions;
  executions.add = (e) => add((e.test && e.status === "running" ? { ...e, unwritable } : e) as StoredExecution);
  const testRun = (summary: string) =>
    fetch(server.url + apiPaths.flowTest(instance.id, flowId), {
      method: "POST",
      headers: { Authorization: `Bearer ${platform!.customerToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ payload: { summary, message: "to Jira" } }),
    });
  const refused = await testRun("tested");
  expect(refused.status).toBe(503);
  expect(refused.headers.get("retry-after")).toBe("1");
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("SERVICE_UNAVAILABLE");
  expect(Store.of(server.platform.snapshot()).refusedChanges).toBe(1);

  executions.add = add;
  const later = await testRun("tested later");
  expect(later.status).toBe(201);
  const { id } = (await later.json()) as { id: string };
  await platform.restart();
  expect(platform.summaries()).toEqual(["tested later"]);
  expect(Store.of(platform.server.platform.snapshot()).executions.get(id)?.status).toBe("succeeded");
});

/**
 * The run `executionId` as the state file holds it now, read by a connection of the test's own: what
 * is on disk when an answer leaves, whatever the server still has pending.
 */
function onDisk(executionId: string): { status: string; notice?: string; stepResults?: unknown } | undefined {
  const db = new Database(join(dir, "platform.db"), { readonly: true });
  try {
    const row = db.prepare("SELECT status, data FROM executions WHERE id = ?").raw().get(executionId) as [string, string] | undefined;
    if (!row) return undefined;
    const stored = JSON.parse(row[1]) as Partial<StoredExecution>;
    return { status: row[0], notice: stored.notice?.code, stepResults: stored.stepResults };
  } finally {
    db.close();
  }
}

/** Makes the ends of runs that called Jira (their step results) unstorable: their JSON throws. */
function unstorableEnds(): void {
  const executions = Store.of(platform!.server.platform.snapshot()).executions;
  const { update } = executions;
  executions.update = (e) => update(e.status !== "running" && Object.keys(e.stepResults).length > 0 ? { ...e, stepResults: { ...e.stepResults, unwritable } } : e);
}

const cutOnDisk = { status: "succeeded", notice: "RESULT_NOT_STORED", stepResults: {} };

it("P1 a webhook whose run's end cannot be stored is answered 200 with RESULT_NOT_STORED once its run is on disk stored cut, never 503 (a retry would run it again); a restart finds exactly one run of it, cut", async () => {
  platform = await poisonedWebhooks(join(dir, "platform.db"), "sync10-cut");
  // The run's start goes in a write of its own while the flow waits on Jira (no write in flight
  // first, as above); its end carries step results whose JSON throws, and is refused.
  await platform.slowJira();
  unstorableEnds();
  const answer = await platform.post("too large", {}, { message: "to Jira" });
  expect(answer.status).toBe(200);
  const body = (await answer.json()) as { executionId: string };
  expect(body).toEqual({ executionId: body.executionId, status: "succeeded", notice: { code: "RESULT_NOT_STORED", message: expect.stringMatching(/could not be stored/) } });
  expect(onDisk(body.executionId)).toEqual(cutOnDisk);
  expect(Store.of(platform.server.platform.snapshot()).refusedChanges).toBe(1);

  await platform.restart();
  expect(platform.summaries()).toEqual(["too large"]);
  const run = Store.of(platform.server.platform.snapshot()).executions.get(body.executionId);
  expect({ status: run?.status, notice: run?.notice?.code, stepResults: run?.stepResults, logs: run?.logs.map((line) => line.level) }).toEqual({ ...cutOnDisk, logs: ["warn"] });
});

it("P1 a test run whose run's end cannot be stored is answered 201 with the cut run (RESULT_NOT_STORED) once it is on disk, never 503; a restart finds exactly one run of it, cut", async () => {
  platform = await poisonedWebhooks(join(dir, "platform.db"), "sync10-cut-test");
  const { server } = platform;
  await platform.slowJira();
  unstorableEnds();
  const instance = Object.values(server.platform.snapshot().instances)[0]!;
  const flowId = Object.keys(instance.webhookTokens)[0]!;
  const answer = await fetch(server.url + apiPaths.flowTest(instance.id, flowId), {
    method: "POST",
    headers: { Authorization: `Bearer ${platform.customerToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ payload: { summary: "tested too large", message: "to Jira" } }),
  });
  expect(answer.status).toBe(201);
  const run = (await answer.json()) as StoredExecution;
  expect({ status: run.status, notice: run.notice?.code, stepResults: run.stepResults, test: run.test }).toEqual({ ...cutOnDisk, test: true });
  expect(onDisk(run.id)).toEqual(cutOnDisk);

  await platform.restart();
  expect(platform.summaries()).toEqual(["tested too large"]);
  const stored = Store.of(platform.server.platform.snapshot()).executions.get(run.id);
  expect({ status: stored?.status, notice: stored?.notice?.code, stepResults: stored?.stepResults }).toEqual(cutOnDisk);
});
