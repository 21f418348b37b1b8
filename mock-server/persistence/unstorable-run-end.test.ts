/**
 * A run whose end cannot be stored as it was (its step results' JSON throws, as past V8's string
 * limit) is stored cut: finished, with its status and times, no logs or step results, and a
 * notice `RESULT_NOT_STORED` saying why; in memory at once and after a restart, on the three
 * backends. Before, the refused end was undone: the run read `running` until a restart, which
 * then failed it with "The platform restarted while this execution was running.". A
 * respond-async call (its 202 answered first), a synchronous one, a test run and a replay alike:
 * the synchronous call, the test run and the replay are answered as a run that ended (200, 201), once the cut end
 * is on disk, with the notice, and no output when the output is what could not be stored (before,
 * 503: a sender such as Stripe, retrying, ran the flow again, and again); and a run whose end the
 * stop's own writes refuse (the stop stores it cut before it closes the backend).
 */
import { format } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Store, UnstorableChangeError, type StoreBackend } from "../domain/changes.ts";
import { createPlatform, type Platform } from "../domain/platform.ts";
import type { StoredExecution } from "../domain/store.ts";
import { createTestOrganization } from "../fixtures/test-organization.ts";
import { answerWebhook } from "../http/webhook-answer.ts";
import { deployWith } from "../testing/deploy-with.ts";
import { jiraValues } from "../testing/jira-values.ts";
import { StateStores } from "./state-stores.ts";
import { threeBackends } from "./three-backends.ts";

const stores = new StateStores();
const platforms: Platform[] = [];
afterEach(async () => {
  for (const platform of platforms.splice(0)) await platform.close().catch(() => undefined);
  await stores.dispose();
});

/** A value JSON.stringify cannot write: it throws what V8 throws past its string limit. */
const unwritable = {
  toJSON: () => {
    throw new RangeError("Invalid string length");
  },
};

const ORIGIN = "http://platform.test";

/** What a test reads of a run stored cut. */
const cutOf = (execution: StoredExecution | undefined) => ({
  status: execution?.status,
  ended: typeof execution?.endedAt === "string",
  notice: execution?.notice?.code,
  logs: execution?.logs.map((line) => line.level),
  stepResults: execution?.stepResults,
  output: execution?.output,
  payload: execution?.payload,
});

describe.each(threeBackends(stores))("a run whose end cannot be stored is stored cut ($name)", ({ open, restart, written }) => {
  /**
   * A platform with a Jira instance whose runs' ends carry `poison` (their JSON throws); the runs'
   * starts, with none, are stored. `cut` reads one of its runs as stored after a restart.
   */
  async function cutRuns(organizationId: string, poison: (end: StoredExecution) => StoredExecution) {
    const org = await createTestOrganization({ id: organizationId });
    let backend: StoreBackend = open();
    const start = () => {
      const platform = createPlatform({ organizations: [org.registration], backend });
      platforms.push(platform);
      return platform;
    };
    const platform = start();
    const caller = await platform.access.authenticate(await org.signToken({ customer: "acme" }));
    const { body } = await deployWith(platform, caller, "jira", jiraValues(), ORIGIN);
    // No write in flight, and the flow's call to Jira takes a while: the run's start goes in a
    // write of its own (group commit's timer, which takes the batch as it starts) while the flow
    // waits, and its end in a later one.
    await platform.idle();
    await platform.commit();
    platform.apps.latency.set("Jira", 40);
    const webhookFlow = body.instance.flows.find((flow) => flow.webhookUrl)!;
    const token = decodeURIComponent(new URL(webhookFlow.webhookUrl!).pathname.split("/").pop()!);
    const executions = Store.of(platform.snapshot()).executions;
    const { update } = executions;
    executions.update = (e: StoredExecution) => update(e.status !== "running" && Object.keys(e.stepResults).length > 0 ? poison(e) : e);
    const runs = () => executions.page({ organizationId: org.registration.id, instanceId: body.instance.id }, { limit: 10 });
    const afterRestart = async (executionId: string) => {
      await platform.close();
      platforms.splice(platforms.indexOf(platform), 1);
      backend = await restart(backend);
      return Store.of(start().snapshot()).executions.get(executionId);
    };
    /** The run as the backend has written it now (durable), whatever is pending. */
    const onDisk = (executionId: string) => written(backend, executionId);
    /** The backend's next write fails as a disk does (nothing of it counts), once another request made a change. */
    const diskFaultNext = () => {
      const write = backend.write.bind(backend);
      backend.write = () => ((backend.write = write), Promise.reject(Object.assign(new Error("disk I/O error"), { code: "SQLITE_IOERR" })));
      Store.of(platform.snapshot()).changed("customers", ...Object.keys(platform.snapshot().customers));
    };
    return { platform, caller, instanceId: body.instance.id, flowId: webhookFlow.id, token, runs, onDisk, afterRestart, diskFaultNext };
  }

  /** An end whose step results' JSON throws (as past V8's string limit). */
  const unwritableSteps = (e: StoredExecution) => ({ ...e, stepResults: { ...e.stepResults, unwritable } });
  const payload = { summary: "too large", message: "to Jira" };
  const expected = { status: "succeeded", ended: true, notice: "RESULT_NOT_STORED", logs: ["warn"], stepResults: {}, output: undefined, payload };

  it.each([
    { mode: "respond-async", prefer: "respond-async", answered: 202 },
    { mode: "synchronous", prefer: null, answered: 200 },
  ])("$mode: answered $answered; the run reads finished with RESULT_NOT_STORED, no logs or step results, in memory and after a restart, once", async ({ prefer, answered }) => {
    const { platform, token, runs, afterRestart } = await cutRuns("org-cut", unwritableSteps);
    const answer = await answerWebhook(platform, { token, prefer, readBody: async () => JSON.stringify(payload) }, { sleep: async () => undefined });
    expect(answer.status).toBe(answered);
    await platform.idle();
    // The write of the end refuses it (here, when nothing waited on it before), and the cut end
    // goes in the next.
    await platform.commit().catch((error: unknown) => expect(error).toBeInstanceOf(UnstorableChangeError));
    await platform.commit();
    const [run, ...others] = runs().filter((e) => e.trigger === "webhook");
    expect(others).toEqual([]);
    expect(cutOf(run)).toEqual(expected);
    expect(run!.notice!.message).toMatch(/could not be stored/);
    const { executionId } = JSON.parse(answer.body) as { executionId: string };
    expect(executionId).toBe(run!.id);
    expect(cutOf(await afterRestart(run!.id))).toEqual(expected);
  });

  it("P1 synchronous, the flow's output what cannot be stored: answered 200 once the cut end is on disk, with the run's status and RESULT_NOT_STORED, no output; stored cut once, after a restart too", async () => {
    // The output is one object in the run's end and in the answer built from it (the webhook's
    // `output`): its JSON throws in both.
    const unwritableOutput = (e: StoredExecution) => (Object.assign(e.output as object, { unwritable }), e);
    const { platform, token, runs, onDisk, afterRestart } = await cutRuns("org-cut-output", unwritableOutput);
    const answer = await answerWebhook(platform, { token, prefer: null, readBody: async () => JSON.stringify(payload) }, { sleep: async () => undefined });
    expect(answer.status).toBe(200);
    const [run, ...others] = runs().filter((e) => e.trigger === "webhook");
    expect(others).toEqual([]);
    expect(JSON.parse(answer.body)).toEqual({ executionId: run!.id, status: "succeeded", notice: { code: "RESULT_NOT_STORED", message: run!.notice!.message } });
    // P1: the 200 left once the cut end was on disk.
    expect(cutOf(onDisk(run!.id))).toEqual(expected);
    expect(cutOf(await afterRestart(run!.id))).toEqual(expected);
  });

  /** A synchronous webhook call of a `cutRuns` instance: its answer, its run, and every line the platform printed meanwhile. */
  async function loggedCall({ platform, token, runs }: Awaited<ReturnType<typeof cutRuns>>) {
    const lines: string[] = [];
    for (const level of ["error", "warn"] as const) vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(format(...args)));
    try {
      const answer = await answerWebhook(platform, { token, prefer: null, readBody: async () => JSON.stringify(payload) }, { sleep: async () => undefined });
      return { answer, run: runs().find((e) => e.trigger === "webhook"), lines };
    } finally {
      vi.restoreAllMocks();
    }
  }

  it("the flow's output what cannot be stored: the log has the refusal's one line alone, as for any refused change, no unexpected error and no stack frames", async () => {
    const unwritableOutput = (e: StoredExecution) => (Object.assign(e.output as object, { unwritable }), e);
    const { answer, run, lines } = await loggedCall(await cutRuns("org-cut-output-log", unwritableOutput));
    expect(answer.status).toBe(200);
    expect(lines).toEqual([`[emporium platform] could not store this change, the rest is durable: execution ${run!.id}: Invalid string length`]);
  });

  it("its end refused for its step results and its answer for another reason (a cyclic output): the log has both, one line each, no stack frames", async () => {
    // The step results' JSON throws first (Invalid string length); the output, which the
    // answer holds and which is one of the step results too, refers to itself.
    const cyclic = (e: StoredExecution) => {
      const output = e.output as Record<string, unknown>;
      output.self = output;
      return { ...e, stepResults: { unwritable, ...e.stepResults } };
    };
    const { answer, run, lines } = await loggedCall(await cutRuns("org-cut-two-causes", cyclic));
    expect(answer.status).toBe(200);
    // Before: the refusal's line alone; why the answer could not be built was lost.
    expect(lines).toEqual([
      `[emporium platform] could not store this change, the rest is durable: execution ${run!.id}: Invalid string length`,
      `[emporium platform] could not build the answer of execution ${run!.id} either (answered from its stored cut): TypeError (its message is not logged: it may quote a value)`,
    ]);
  });

  /**
   * The run's end refused in a write another request's commit started and that ended before this
   * call's commit (the memory backend's writes end within microtasks): this call's commit only
   * writes the cut, and succeeds. The store's next commit, once the end is stored, is made as that;
   * `then` runs once it succeeded, before this call hears.
   */
  function refusedForAnother(platform: Platform, then: () => void = () => undefined) {
    const store = Store.of(platform.snapshot());
    const commit = store.commit.bind(store);
    const { update } = store.executions;
    store.executions.update = (e: StoredExecution) => {
      update(e);
      if (e.status !== "running" && e.notice === undefined) store.commit = () => ((store.commit = commit), commit().catch(() => undefined).then(commit).then(then));
    };
  }

  it("P1 synchronous, the output what cannot be stored, its end refused in another request's write: answered 200 from the cut on disk, not a 500 a sender retries", async () => {
    const unwritableOutput = (e: StoredExecution) => (Object.assign(e.output as object, { unwritable }), e);
    const { platform, token, runs, onDisk } = await cutRuns("org-cut-output-other", unwritableOutput);
    refusedForAnother(platform);
    const answer = await answerWebhook(platform, { token, prefer: null, readBody: async () => JSON.stringify(payload) }, { sleep: async () => undefined });
    const [run, ...others] = runs().filter((e) => e.trigger === "webhook");
    expect(others).toEqual([]);
    expect({ status: answer.status, body: JSON.parse(answer.body) as unknown }).toEqual({ status: 200, body: { executionId: run!.id, status: "succeeded", notice: { code: "RESULT_NOT_STORED", message: run!.notice!.message } } });
    expect(cutOf(onDisk(run!.id))).toEqual(expected);
  });

  it("P1 a test run: answered 201 with the cut run (RESULT_NOT_STORED, no logs or step results) once it is on disk; found cut after a restart, once", async () => {
    const { platform, caller, instanceId, flowId, runs, onDisk, afterRestart } = await cutRuns("org-cut-test", unwritableSteps);
    const answer = await platform.runs.test(caller, instanceId, flowId, payload, { fingerprint: "no key" });
    expect(answer.status).toBe(201);
    expect(cutOf(answer.body as StoredExecution)).toEqual(expected);
    expect(answer.body.test).toBe(true);
    // P1: the 201 leaves once the cut end is on disk.
    expect(cutOf(onDisk(answer.body.id))).toEqual(expected);
    const [run, ...others] = runs().filter((e) => e.test);
    expect(others).toEqual([]);
    expect(run!.id).toBe(answer.body.id);
    expect(cutOf(await afterRestart(run!.id))).toEqual(expected);
  });

  it("P1 a test run whose end is refused in another request's write: answered 201 with the cut run on disk, not the end that could not be stored", async () => {
    const { platform, caller, instanceId, flowId, onDisk } = await cutRuns("org-cut-test-other", unwritableSteps);
    refusedForAnother(platform);
    const answer = await platform.runs.test(caller, instanceId, flowId, payload, { fingerprint: "no key" });
    expect(answer.status).toBe(201);
    expect(cutOf(answer.body as StoredExecution)).toEqual(expected);
    expect(cutOf(onDisk(answer.body.id))).toEqual(expected);
  });

  /**
   * When a test run's or replay's end is made, another request (here, a customer's rename)
   * changes a record into one its write refuses: the write that stores the run's end refuses that
   * change alone. (Not at the replay's note on its original, made before the replay runs.)
   */
  function anotherRefusedWithTheEnd(platform: Platform) {
    const store = Store.of(platform.snapshot());
    const { update } = store.executions;
    const customerId = Object.keys(store.tables.customers)[0]!;
    store.executions.update = (e: StoredExecution) => {
      update(e);
      if (e.status === "running" || (!e.test && e.replayOf === undefined)) return;
      store.executions.update = update;
      store.tables.customers[customerId] = { ...store.tables.customers[customerId]!, name: unwritable as unknown as string };
      store.changed("customers", customerId);
    };
  }

  it.each(["test", "replay"] as const)("P1 a %s whose write refused another request's change alone: answered 201 with the run as it ended, on disk, not a 503 that has the caller run it again", async (kind) => {
    const { platform, caller, instanceId, flowId, token, onDisk } = await cutRuns(`org-other-refused-${kind}`, (e) => e);
    let originalId: string | undefined;
    if (kind === "replay") {
      const accepted = await answerWebhook(platform, { token, prefer: null, readBody: async () => JSON.stringify(payload) }, { sleep: async () => undefined });
      originalId = (JSON.parse(accepted.body) as { executionId: string }).executionId;
    }
    anotherRefusedWithTheEnd(platform);
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void lines.push(format(...args)));
    const answer = await (kind === "test" ? platform.runs.test(caller, instanceId, flowId, payload, { fingerprint: "no key" }) : platform.runs.replay(caller, instanceId, originalId!, { fingerprint: "no key" }));
    vi.restoreAllMocks();
    // Before: 503 SERVICE_UNAVAILABLE, though the run was on disk; the caller's retry ran it again.
    expect(answer.status).toBe(201);
    const run = answer.body as StoredExecution;
    expect({ status: run.status, notice: run.notice, stored: onDisk(run.id)?.status, steps: Object.keys(onDisk(run.id)?.stepResults ?? {}).length > 0 }).toEqual({ status: "succeeded", notice: undefined, stored: "succeeded", steps: true });
    // The refusal was the customer's, and said so once.
    expect(lines).toEqual([expect.stringMatching(/^\[emporium platform\] could not store this change, the rest is durable: customers\/\S+: Invalid string length$/)]);
  });

  /** A run's end whose output's JSON throws: the webhook's answer built from it throws too. */
  const unwritableOutput = (e: StoredExecution) => (Object.assign(e.output as object, { unwritable }), e);

  it("P1 a test run whose end was refused in another request's write, the cut stored by its commit, then a later write failing on the disk: answered 201 with the cut on disk, not the end that was not stored", async () => {
    const { platform, caller, instanceId, flowId, onDisk, diskFaultNext } = await cutRuns("org-cut-test-disk", unwritableOutput);
    refusedForAnother(platform, diskFaultNext);
    const answer = await platform.runs.test(caller, instanceId, flowId, payload, { fingerprint: "no key" });
    expect(answer.status).toBe(201);
    expect(cutOf(answer.body as StoredExecution)).toEqual(expected);
    expect(cutOf(onDisk(answer.body.id))).toEqual(expected);
  });

  it("P1 synchronous, the output what cannot be stored, its end refused in another request's write, the cut stored by its commit, then a later write failing on the disk: answered 200 from the cut on disk, not a 500 a sender retries", async () => {
    const { platform, token, runs, onDisk, diskFaultNext } = await cutRuns("org-cut-output-disk", unwritableOutput);
    refusedForAnother(platform, diskFaultNext);
    const answer = await answerWebhook(platform, { token, prefer: null, readBody: async () => JSON.stringify(payload) }, { sleep: async () => undefined });
    const [run] = runs().filter((e) => e.trigger === "webhook");
    expect({ status: answer.status, body: JSON.parse(answer.body) as unknown }).toEqual({ status: 200, body: { executionId: run!.id, status: "succeeded", notice: { code: "RESULT_NOT_STORED", message: run!.notice!.message } } });
    expect(cutOf(onDisk(run!.id))).toEqual(expected);
  });

  it("P1 a replay (of a run stored cut, its payload kept): answered 201 with the cut replay once it is on disk; found cut after a restart, the original listing it", async () => {
    const { platform, caller, instanceId, token, onDisk, afterRestart } = await cutRuns("org-cut-replay", unwritableSteps);
    const accepted = await answerWebhook(platform, { token, prefer: "respond-async", readBody: async () => JSON.stringify(payload) }, { sleep: async () => undefined });
    const { executionId: originalId } = JSON.parse(accepted.body) as { executionId: string };
    await platform.idle();
    await platform.commit().catch((error: unknown) => expect(error).toBeInstanceOf(UnstorableChangeError));
    await platform.commit();
    const answer = await platform.runs.replay(caller, instanceId, originalId, { fingerprint: "no key" });
    expect(answer.status).toBe(201);
    expect(cutOf(answer.body as StoredExecution)).toEqual(expected);
    expect(answer.body.replayOf).toBe(originalId);
    expect(cutOf(onDisk(answer.body.id))).toEqual(expected);
    expect(onDisk(originalId)?.replays).toEqual([answer.body.id]);
    expect(cutOf(await afterRestart(answer.body.id))).toEqual(expected);
  });
});

describe.each(threeBackends(stores))("a run whose end is refused by the stop's last writes ($name)", ({ open, restart }) => {
  it("the stop stores it cut before it closes the backend: after a restart it reads finished with RESULT_NOT_STORED, not failed by the restart", async () => {
    const org = await createTestOrganization({ id: "org-cut-stop" });
    let backend: StoreBackend = open();
    const platform = createPlatform({ organizations: [org.registration], backend });
    platforms.push(platform);
    const caller = await platform.access.authenticate(await org.signToken({ customer: "acme" }));
    const { body } = await deployWith(platform, caller, "jira", jiraValues(), ORIGIN);
    await platform.idle();
    await platform.commit();
    platform.apps.latency.set("Jira", 40);
    const token = decodeURIComponent(new URL(body.instance.flows.find((flow) => flow.webhookUrl)!.webhookUrl!).pathname.split("/").pop()!);
    const executions = Store.of(platform.snapshot()).executions;
    const { update } = executions;
    executions.update = (e: StoredExecution) => update(e.status !== "running" && Object.keys(e.stepResults).length > 0 ? { ...e, stepResults: { ...e.stepResults, unwritable } } : e);
    const answer = await answerWebhook(platform, { token, prefer: "respond-async", readBody: async () => JSON.stringify({ summary: "at the stop", message: "to Jira" }) }, { sleep: async () => undefined });
    expect(answer.status).toBe(202);
    const { executionId } = JSON.parse(answer.body as string) as { executionId: string };

    // The stop comes while the run waits on Jira: it waits for the run, whose end its writes refuse.
    await platform.close().catch((error: unknown) => expect(error).toBeInstanceOf(UnstorableChangeError));
    platforms.splice(platforms.indexOf(platform), 1);
    backend = await restart(backend);
    const again = createPlatform({ organizations: [org.registration], backend });
    platforms.push(again);
    const run = Store.of(again.snapshot()).executions.get(executionId);
    expect({ status: run?.status, notice: run?.notice?.code, stepResults: run?.stepResults, error: run?.error }).toEqual({ status: "succeeded", notice: "RESULT_NOT_STORED", stepResults: {}, error: undefined });
  });
});
