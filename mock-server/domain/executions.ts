/**
 * Executions: every run of a flow (deploy, removal, webhook, schedule) is recorded as running
 * when it starts and replaced by its result when it ends, which may raise alerts. They live in
 * the ExecutionStore (execution-store.ts), listed newest first by page with an opaque cursor.
 *
 * History is kept as the retention policy says (policy.ts), never by a silent cap: an instance
 * keeps its executions of the last `maxAgeDays`, at most its newest `maxPerInstance`. Trims run
 * as part of each write (for the instances that got new executions) and in a sweep for age. An
 * instance's `executionExpiry` record keeps the start time of the newest execution removed
 * (execution-expiry.ts), so an id that retention removed answers 410 EXECUTION_EXPIRED, and an alert that refers to one
 * says so, while an id that never existed stays a 404.
 *
 * A running run's log lines and step results live in the feed (execution-feed.ts) until it
 * ends: the logs' live tail and a look at the run read them from there, and they reach the store
 * once, with the result, so a log line costs no write.
 */
import { newTimeId } from "./ids.ts";
import { EXECUTION_ID_PREFIX, executionExpired, forgetExpiry, markExpired, moveExpiryMarks } from "./execution-expiry.ts";
import { iso } from "./clock.ts";
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { decodePosition, encodePosition } from "./page-cursor.ts";
import { runFlow, type RunEnvironment, type RunRequest } from "./flow-runner.ts";
import { ownInstanceOrRemoved } from "./instance-records.ts";
import { removedInstance } from "./removed-instances.ts";
import { ExecutionFeed } from "./execution-feed.ts";
import type { PlatformContext } from "./context.ts";
import { executionChange, failsRequest, jsonText } from "./changes.ts";
import type { Caller } from "./sessions.ts";
import type { InstanceRecord, StoredExecution } from "./store.ts";
import type { ExecutionPosition } from "./execution-store.ts";
import { EXECUTION_PAGE_SIZE_DEFAULT, type Execution } from "../../contract/api.ts";
import type { FlowDefinition } from "../../contract/catalog.ts";
import type { LogLine } from "../../contract/api.ts";
import type { Clock } from "./clock.ts";
import type { AppLatency } from "./third-party-apps.ts";
import type { Snapshot } from "./store.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** How many reasons of refused ends Executions keeps for their callers' log lines (#cutReasons). */
const CUT_REASONS_KEPT = 100;
/** What a run whose end could not be stored as it was says (its notice, and its one log line). */
const RESULT_NOT_STORED = "This run finished, but its result (logs and step results) was too large to store or could not be stored; its status, times and error are kept.";
/** How much of a cut run's error is kept: enough to read, never what made the end unstorable. */
const ERROR_KEPT_CHARS = 4096;

/** Whether a value (a run's payload, at most 32 KB of JSON) has a stored form. */
function storable(value: unknown): boolean {
  try {
    jsonText(value);
    return true;
  } catch {
    return false;
  }
}

/** What sets a run apart from one its trigger started: a test run, or a replay of an execution. */
export type RunMarks = Pick<Execution, "test" | "replayOf">;

/** A flow run that has started: its execution id now, the finished execution later. */
export interface StartedRun {
  executionId: string;
  promise: Promise<Execution>;
  /**
   * Set, before `promise` resolves, when the run ended with no stored record though retention did
   * not remove it and its instance is still there: its start was refused (UnstorableChangeError)
   * by a write made while it ran, so nothing of it is on disk and its end was not stored either.
   */
  notStored?: true;
}

/**
 * What a running run tells the feed as it goes (its log lines and step results so far). A class,
 * not an object literal with an arrow: under tsx every named closure costs a keep-names
 * `defineProperty`, which turns the function into a slow dictionary-mode object, per run.
 */
class LiveProgress {
  readonly logs: LogLine[] = [];
  readonly stepResults: Record<string, unknown> = {};

  constructor(
    readonly feed: ExecutionFeed,
    readonly executionId: string,
  ) {}

  changed(): void {
    this.feed.note(this.executionId);
  }
}

/** One run's environment (flow-runner.ts), a class for the same reason as LiveProgress. */
class RunScope implements RunEnvironment {
  readonly live: LiveProgress;
  forcedFailure?: string;

  constructor(
    readonly executions: Executions,
    readonly instance: InstanceRecord,
    executionId: string,
    readonly snapshot: Snapshot,
    readonly clock: Clock,
    readonly latency: AppLatency,
  ) {
    this.live = new LiveProgress(executions.feed, executionId);
  }

  refused(connectionKey: string, reason: string): void {
    this.executions.onConnectionRefused(this.instance, connectionKey, reason);
  }
}

/** Adds a run's marks (test, replay) to its record, after the keys it has: as `{ ...record, ...marks }` would, in place. */
function addMarks<T extends Execution>(record: T, marks: RunMarks): T {
  if (marks.test !== undefined) record.test = marks.test;
  if (marks.replayOf !== undefined) record.replayOf = marks.replayOf;
  return record;
}

export function publicExecution(stored: StoredExecution): Execution {
  const { organizationId: _o, customerId: _c, ...execution } = stored;
  return execution;
}

/** An opaque page cursor (page-cursor.ts): the position of the last execution of the page. */
const encodeExecutionCursor = (last: ExecutionPosition): string => encodePosition(last.startedAt, last.id);

function decodeExecutionCursor(cursor: string): ExecutionPosition {
  const { time, id } = decodePosition(cursor);
  return { startedAt: time, id };
}

export interface ExecutionPage {
  executions: Execution[];
  nextCursor: string | null;
}

export class Executions {
  readonly #ctx: PlatformContext;
  /** Instances with executions added since the last write: trimmed as that write starts. */
  readonly #grew = new Set<string>();
  /** Every change to a run, for the live tail; running runs' progress. */
  readonly feed = new ExecutionFeed();
  /** Told of every run that ended while its instance exists (the alert monitors). */
  onEnded: (instance: InstanceRecord, execution: Execution) => void = () => undefined;
  /** Told when a run finds that an app refuses a connection field's credentials (reconnect-notices.ts). */
  onConnectionRefused: (instance: InstanceRecord, connectionKey: string, reason: string) => void = () => undefined;

  /**
   * Why the ends of the runs stored cut lately were refused (as the refusal's log line says it),
   * for a synchronous caller whose answer could not be built either (webhook-answer.ts): the
   * last CUT_REASONS_KEPT (a run nobody waits for is never asked about).
   */
  readonly #cutReasons = new Map<string, string>();

  constructor(ctx: PlatformContext) {
    this.#ctx = ctx;
    moveExpiryMarks(ctx.snapshot);
    ctx.store.beforeWrite(() => {
      for (const instanceId of this.#grew) this.#trim(instanceId);
      this.#grew.clear();
    });
    ctx.store.onRefused((refused) => {
      for (const execution of refused.executions) this.#storeEndCut(execution, refused.why(executionChange(execution.id))!);
    });
  }

  /** Why the end of run `executionId`, stored cut, was refused (see #cutReasons); undefined when it is not known. */
  cutReason(executionId: string): string | undefined {
    return this.#cutReasons.get(executionId);
  }

  /**
   * A run's end that the store refused (its JSON throws: past V8's string limit, say) leaves its
   * record as it was stored, `running`: until a restart, which would then say it failed because
   * the platform restarted. Instead the end is stored cut: its status, times and error as they
   * were, its logs and step results (and output) dropped, with a notice saying so
   * (`RESULT_NOT_STORED`). The payload is kept when it can be stored (it is at most 32 KB of
   * JSON); a cut end refused again is left alone (nothing is left to cut).
   */
  #storeEndCut(end: StoredExecution, why: string): void {
    if (end.status === "running" || end.notice !== undefined) return;
    const stored = this.#ctx.executions.get(end.id);
    // Its start was refused too (nothing stored), or another end was stored since.
    if (stored?.status !== "running") return;
    this.#cutReasons.set(end.id, why);
    if (this.#cutReasons.size > CUT_REASONS_KEPT) this.#cutReasons.delete(this.#cutReasons.keys().next().value!);
    const at = end.endedAt ?? iso(this.#ctx.clock.now());
    const cut: StoredExecution = { ...stored, status: end.status, endedAt: at, logs: [{ at, level: "warn", message: RESULT_NOT_STORED }], stepResults: {}, notice: { code: "RESULT_NOT_STORED", message: RESULT_NOT_STORED } };
    if (end.durationMs !== undefined) cut.durationMs = end.durationMs;
    if (typeof end.error === "string") cut.error = end.error.slice(0, ERROR_KEPT_CHARS);
    // (Its marks and replays are on the stored start already.)
    if (end.payload !== undefined && storable(end.payload)) {
      cut.payload = end.payload;
      if (end.payloadTruncated !== undefined) cut.payloadTruncated = end.payloadTruncated;
      if (end.payloadRedacted !== undefined) cut.payloadRedacted = end.payloadRedacted;
    }
    this.#ctx.executions.update(cut);
  }

  /**
   * For a synchronous caller (a webhook answered with its run, a test run, a replay) whose commit
   * failed on its own run's end (`failsRequest`): the run as stored cut (`#storeEndCut`, with its
   * notice), once the cut is on disk, to answer as for a run that ended, since the run is stored
   * and a retry would run it again. The cut is made as the refusing write ends, before its waiters
   * hear, so this commit writes it. Undefined when there is no cut (nothing of the run stored: its
   * start was refused with its end) or the cut's write failed or refused it too: the caller then
   * answers 503.
   */
  async durableCut(executionId: string): Promise<Execution | undefined> {
    if (this.#ctx.executions.get(executionId)?.notice === undefined) return undefined;
    try {
      await this.#ctx.store.commit();
    } catch (error) {
      if (failsRequest(error, [executionChange(executionId)])) return undefined;
    }
    return this.storedCut(executionId);
  }

  /**
   * For a synchronous caller whose commit succeeded, or failed on others' changes alone: its run
   * as stored cut when its end was refused in a write that ended before that commit (another
   * request's), else undefined (the end stored whole). No write again: the cut was made before the
   * commit began (see `durableCut`), so the commit stored it, and a later write failing on another
   * change (a disk fault) would not make it less stored.
   */
  storedCut(executionId: string): Execution | undefined {
    const cut = this.#ctx.executions.get(executionId);
    return cut?.notice === undefined ? undefined : publicExecution(cut);
  }

  /** Executions that were running when the previous process died: failed, with a reason. */
  recoverAfterRestart(): void {
    const now = this.#ctx.clock.now();
    for (const execution of this.#ctx.executions.running()) {
      const error = "The platform restarted while this execution was running.";
      this.#ctx.executions.update({
        ...execution,
        status: "failed",
        error,
        endedAt: iso(now),
        logs: [...execution.logs, { at: iso(now), level: "error", message: error }],
      });
    }
  }

  /**
   * Starts a flow run: records a running execution now; `promise` resolves with the finished one.
   * `marks` say it is a test run or a replay (runs.ts); a test run's end is not counted by the
   * alert monitors (someone is watching it, and a failing example is no outage).
   */
  run(instance: InstanceRecord, flow: FlowDefinition, trigger: Execution["trigger"], payload: unknown, marks: RunMarks = {}): StartedRun {
    const { snapshot, clock, rehearsal, executions } = this.#ctx;
    const integration = this.#ctx.running(instance);
    const customer = snapshot.customers[instance.customerId];
    const startedAt = clock.now();
    const executionId = newTimeId(EXECUTION_ID_PREFIX, startedAt);
    // Built key by key rather than with spreads (`...marks`): a webhook's run has no marks, and a
    // literal with a spread in it defines each following key the slow way, per run.
    const running = addMarks<Execution>({ id: executionId, instanceId: instance.id, flowId: flow.id, flowName: flow.name, trigger, status: "running", startedAt: iso(startedAt), logs: [], stepResults: {} }, marks) as StoredExecution;
    running.organizationId = instance.organizationId;
    running.customerId = instance.customerId;
    executions.add(running);
    this.#grew.add(instance.id);

    const scope = new RunScope(this, instance, executionId, snapshot, clock, this.#ctx.appLatency);
    if (trigger === "deploy" && rehearsal.deployTriggersFail) scope.forcedFailure = "Rehearsal: every deploy trigger fails.";
    this.feed.started(executionId, scope.live);
    const request: RunRequest = { executionId, integration, flow, instance, customer, trigger, payload };
    if (marks.test) request.startedBy = "a test run";
    else if (marks.replayOf) request.startedBy = `a replay of ${marks.replayOf}`;
    const promise = runFlow(scope, request).then((ran) => {
      const execution: Execution = addMarks(ran, marks);
      // The instance may have been deleted (or the run trimmed) while the flow ran: then the record is gone too.
      const stored = executions.get(executionId);
      if (stored) {
        // Replays that started while it ran were noted on the stored record meanwhile (runs.ts).
        if (stored.replays) execution.replays = stored.replays;
        // Object.assign, not a spread followed by more keys (a new hidden class per call on Node 20: see copyRecord in third-party-apps.ts).
        const ended = Object.assign({}, execution) as StoredExecution;
        ended.organizationId = instance.organizationId;
        ended.customerId = instance.customerId;
        executions.update(ended);
        if (Object.hasOwn(snapshot.instances, instance.id) && !marks.test) this.onEnded(instance, execution);
      } else if (Object.hasOwn(snapshot.instances, instance.id) && !executionExpired(snapshot, instance.id, executionId)) started.notStored = true;
      this.feed.ended(executionId);
      return execution;
    });
    const started: StartedRun = { executionId, promise: this.#ctx.track(promise) };
    return started;
  }

  /** One page of the caller's instance's executions, newest first (a deactivated one's too: its history is kept). */
  list(caller: Caller, id: string, page: { cursor?: string; limit?: number } = {}): ExecutionPage {
    return this.listOf(ownInstanceOrRemoved(this.#ctx.snapshot, caller, id), page);
  }

  /** One page of an instance's executions, newest first (the caller was checked). */
  listOf(instance: InstanceRecord, page: { cursor?: string; limit?: number } = {}): ExecutionPage {
    const limit = page.limit ?? EXECUTION_PAGE_SIZE_DEFAULT;
    const after = page.cursor !== undefined ? decodeExecutionCursor(page.cursor) : undefined;
    const found = this.#ctx.executions.page(
      { organizationId: instance.organizationId, instanceId: instance.id },
      { limit: limit + 1, ...(after ? { after } : {}) },
    );
    const executions = found.slice(0, limit);
    const last = executions[executions.length - 1];
    return { executions: executions.map(publicExecution), nextCursor: found.length > limit ? encodeExecutionCursor(last) : null };
  }

  /** One execution of the caller's instance: 404 when it never was, 410 when retention removed it. */
  get(caller: Caller, id: string, executionId: string): Execution {
    return this.getOf(ownInstanceOrRemoved(this.#ctx.snapshot, caller, id), executionId);
  }

  getOf(instance: InstanceRecord, executionId: string): Execution {
    const stored = this.#ctx.executions.get(executionId);
    if (stored && stored.instanceId === instance.id) return this.withProgress(publicExecution(stored));
    if (executionExpired(this.#ctx.snapshot, instance.id, executionId)) {
      throw new PlatformError(
        ApiErrorCode.ExecutionExpired,
        `Execution "${executionId}" was removed by the retention policy (history is kept ${this.#ctx.policy.retention.maxAgeDays} days, at most ${this.#ctx.policy.retention.maxPerInstance} runs per instance).`,
      );
    }
    throw new PlatformError(ApiErrorCode.NotFound, `No execution "${executionId}".`);
  }

  /** A stored execution by id (any customer's: the caller checks). */
  stored(executionId: string): StoredExecution | undefined {
    return this.#ctx.executions.get(executionId);
  }

  /** A running execution with what it has done so far (its stored record is its start only). */
  withProgress<T extends Execution>(execution: T): T {
    const live = execution.status === "running" ? this.feed.live(execution.id) : undefined;
    return live ? { ...execution, logs: [...live.logs], stepResults: { ...live.stepResults } } : execution;
  }

  /** Removes every execution of an instance (its kept record's retention ran out). */
  forget(instanceId: string): void {
    this.#ctx.executions.removeInstance(instanceId);
    this.#grew.delete(instanceId);
    forgetExpiry(this.#ctx.snapshot, instanceId);
  }

  /** Applies the age part of the retention policy to every instance (a periodic sweep). Returns how many instances were trimmed. */
  sweep(): number {
    const cutoff = this.#ctx.clock.now() - this.#ctx.policy.retention.maxAgeDays * DAY_MS;
    let trimmed = 0;
    for (const instanceId of this.#ctx.executions.instancesStartedBefore(cutoff)) if (this.#trim(instanceId)) trimmed++;
    return trimmed;
  }

  /** Applies the retention policy to one instance; true when something was removed. */
  #trim(instanceId: string): boolean {
    const { retention } = this.#ctx.policy;
    const removed = this.#ctx.executions.trim(instanceId, retention.maxPerInstance, this.#ctx.clock.now() - retention.maxAgeDays * DAY_MS);
    if (removed === undefined) return false;
    const { snapshot } = this.#ctx;
    if (Object.hasOwn(snapshot.instances, instanceId) || removedInstance(snapshot, instanceId)) markExpired(snapshot, instanceId, removed);
    return true;
  }
}
