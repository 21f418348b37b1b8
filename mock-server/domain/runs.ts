/**
 * Runs a person starts by hand: a test run of a flow with a payload they wrote (recorded, marked
 * `test`), a replay of an execution with the payload it ran with (the new run names the original
 * in `replayOf`, the original lists it in `replays`), and the organization's bulk replay of every
 * execution matching a filter, with a dry run first.
 *
 * What may run is decided once, in `#replayable`/`#runnable`, for the customer's own replay and
 * the organization's bulk one alike: a running instance only (paused: 409 INSTANCE_PAUSED;
 * deactivated: 410 INSTANCE_DELETED), a flow its running version still has, never a removal flow
 * (those run when the instance is deactivated), and a payload kept in full (410 PAYLOAD_EVICTED:
 * over 32 KB, or secrets were redacted from it — replaying it would send something else). A
 * viewer may do none of it (403, A9); another customer's instance is a 404 (A6).
 */
import { TEST_PAYLOAD_MAX_CHARS } from "../../contract/api.ts";
import { executionChange, failsRequest } from "./changes.ts";
import { ApiErrorCode, PlatformError, UNSAVED_MESSAGE } from "./errors.ts";
import { runIdempotent, type Idempotency, type StoredAnswer } from "./idempotency.ts";
import { ownInstance, ownInstanceOrRemoved } from "./instance-records.ts";
import { instanceDeleted, removedInstance } from "./removed-instances.ts";
import { publicExecution, type Executions, type RunMarks, type StartedRun } from "./executions.ts";
import { requireAdmin, type Caller } from "./sessions.ts";
import { DomainService } from "./service.ts";
import type { InstanceRecord, OrganizationRecord, RemovedInstanceRecord, StoredExecution } from "./store.ts";
import type { Execution } from "../../contract/api.ts";
import type { FlowDefinition } from "../../contract/catalog.ts";
import { ORG_BULK_REPLAY_DEFAULT, type OrgBulkReplayItem, type OrgBulkReplayRequest, type OrgBulkReplayResult } from "../../contract/org-replay.ts";


export class Runs extends DomainService<{ executions: Executions }> {
  /**
   * Runs one flow of the caller's running instance now with `payload` (a webhook or schedule
   * flow; deploy and removal flows run on their own occasions), and answers the finished run.
   * A payload over TEST_PAYLOAD_MAX_CHARS of JSON is a field error on `payload`.
   */
  async test(caller: Caller, instanceId: string, flowId: string, payload: unknown, options: Idempotency): Promise<StoredAnswer<Execution>> {
    const instance = ownInstance(this.ctx.snapshot, caller, instanceId);
    requireAdmin(caller, "run tests");
    const flow = this.#flowOf(instance, flowId);
    if (flow.trigger.kind !== "webhook" && flow.trigger.kind !== "schedule") {
      throw new PlatformError(ApiErrorCode.BadRequest, `"${flow.name}" runs when the instance is ${flow.trigger.kind === "deploy" ? "deployed" : "deactivated"}; only webhook and scheduled flows can be tested.`);
    }
    const size = (JSON.stringify(payload ?? null) ?? "").length;
    if (size > TEST_PAYLOAD_MAX_CHARS) {
      const problem = `The payload is ${size} characters of JSON; a test payload may have at most ${TEST_PAYLOAD_MAX_CHARS}.`;
      throw new PlatformError(ApiErrorCode.ValidationFailed, problem, { fields: { payload: problem } });
    }
    return runIdempotent(this.ctx, caller.customer.id, options, 201, async () => {
      this.#assertRunning(instance);
      return this.#finished(this.parts.executions.run(instance, flow, flow.trigger.kind as Execution["trigger"], payload ?? null, { test: true }));
    });
  }

  /** Replays one of the caller's executions with its original payload; answers the finished replay. */
  async replay(caller: Caller, instanceId: string, executionId: string, options: Idempotency): Promise<StoredAnswer<Execution>> {
    const instance = ownInstance(this.ctx.snapshot, caller, instanceId);
    requireAdmin(caller, "replay runs");
    this.parts.executions.getOf(instance, executionId); // 404, or 410 when retention removed it
    return runIdempotent(this.ctx, caller.customer.id, options, 201, async () => {
      const original = this.parts.executions.stored(executionId)!;
      const problem = this.#replayProblem(instance, original);
      if (problem) throw problem;
      return this.#start(instance, original);
    });
  }

  /** The replays of one of the caller's executions (a deactivated instance's too), oldest first. */
  replays(caller: Caller, instanceId: string, executionId: string): Execution[] {
    const instance = ownInstanceOrRemoved(this.ctx.snapshot, caller, instanceId);
    const original = this.parts.executions.getOf(instance, executionId);
    return (original.replays ?? []).flatMap((id) => {
      const stored = this.parts.executions.stored(id);
      return stored ? [this.parts.executions.withProgress(publicExecution(stored))] : [];
    });
  }

  /**
   * Replays every execution of the organization matching the filter — the newest `limit` of
   * them, oldest first, one after another — or, in a dry run, says which would run. Skipped ones
   * say why (paused or deactivated instance, still running, payload not kept, already replayed,
   * flow gone, removal run). A real run needs an Idempotency-Key.
   */
  async bulkReplay(org: OrganizationRecord, request: OrgBulkReplayRequest, options: Idempotency): Promise<StoredAnswer<OrgBulkReplayResult>> {
    const { snapshot, clock } = this.ctx;
    const dryRun = request.dryRun === true;
    if (!dryRun && options.idempotencyKey === undefined) {
      throw new PlatformError(ApiErrorCode.BadRequest, "A bulk replay needs an Idempotency-Key header, so a retry cannot run anything twice (a dry run needs none).");
    }
    const from = request.from !== undefined ? Date.parse(request.from) : undefined;
    // Runs started from now on (the replays themselves among them) are never part of this one.
    const to = Math.min(request.to !== undefined ? Date.parse(request.to) : Infinity, clock.now() + 1);
    if (from !== undefined && !(from < to)) throw new PlatformError(ApiErrorCode.BadRequest, '"from" must be before "to" (and before now).');
    if (request.customer !== undefined) {
      const customer = Object.hasOwn(snapshot.customers, request.customer) ? snapshot.customers[request.customer] : undefined;
      if (!customer || customer.organizationId !== org.id) throw new PlatformError(ApiErrorCode.NotFound, `No customer "${request.customer}".`);
    }
    if (request.instance !== undefined) {
      const record = this.#instanceOf(request.instance);
      if (!record || record.organizationId !== org.id) throw new PlatformError(ApiErrorCode.NotFound, `No instance "${request.instance}".`);
    }
    const limit = request.limit ?? ORG_BULK_REPLAY_DEFAULT;
    const found = this.ctx.executions.page(
      {
        organizationId: org.id,
        ...(request.instance !== undefined ? { instanceId: request.instance } : {}),
        ...(request.flow !== undefined ? { flowId: request.flow } : {}),
        ...(request.status !== undefined ? { status: request.status } : {}),
        ...(request.customer !== undefined ? { customerId: request.customer } : {}),
        ...(from !== undefined ? { from } : {}),
        to,
      },
      { limit: limit + 1 },
    );
    const taken = found.slice(0, limit).reverse();

    const work = async (): Promise<OrgBulkReplayResult> => {
      const items: OrgBulkReplayItem[] = [];
      for (const original of taken) {
        const instance = this.#instanceOf(original.instanceId)!;
        const customer = snapshot.customers[instance.customerId];
        const item = {
          execution: { id: original.id, instanceId: original.instanceId, flowId: original.flowId, status: original.status, startedAt: original.startedAt },
          instance: {
            id: instance.id,
            name: instance.name,
            status: "deletedAt" in instance ? "deleted" : instance.status,
            customer: { id: customer.id, externalId: customer.externalId, name: customer.name },
          },
        };
        const problem = "deletedAt" in instance ? instanceDeleted(instance as RemovedInstanceRecord) : this.#replayProblem(instance, original, true);
        if (problem) {
          items.push({ ...item, outcome: "skipped", reason: problem.message });
          continue;
        }
        if (dryRun) {
          items.push({ ...item, outcome: "would-replay" });
          continue;
        }
        const replay = await this.#start(instance, original);
        items.push({ ...item, outcome: replay.status === "failed" ? "failed" : "replayed", ...(replay.error ? { reason: replay.error } : {}), replay: { id: replay.id, status: replay.status } });
      }
      const count = (outcome: OrgBulkReplayItem["outcome"]) => items.filter((i) => i.outcome === outcome).length;
      return {
        dryRun,
        truncated: found.length > limit,
        counts: { replayed: count("replayed"), wouldReplay: count("would-replay"), skipped: count("skipped"), failed: count("failed") },
        items,
      };
    };
    if (dryRun) return { status: 200, body: await work(), replayed: false };
    return runIdempotent(this.ctx, `org:${org.id}`, options, 200, work);
  }

  /** A live instance or the kept record of a deactivated one. */
  #instanceOf(id: string): InstanceRecord | undefined {
    const { snapshot } = this.ctx;
    return Object.hasOwn(snapshot.instances, id) ? snapshot.instances[id] : removedInstance(snapshot, id);
  }

  #flowOf(instance: InstanceRecord, flowId: string): FlowDefinition {
    const running = this.ctx.running(instance);
    const flow = running.flows.find((f) => f.id === flowId);
    if (!flow) throw new PlatformError(ApiErrorCode.NotFound, `Version ${running.version ?? 1} of "${running.name}" has no flow "${flowId}".`);
    return flow;
  }

  /** Only a running instance runs anything: a paused one answers INSTANCE_PAUSED, a draft or one being deployed CONFLICT. */
  #assertRunning(instance: InstanceRecord): void {
    if (instance.status === "paused") throw new PlatformError(ApiErrorCode.InstancePaused, "This instance is paused; resume it to run its flows.");
    if (instance.status !== "deployed") throw new PlatformError(ApiErrorCode.Conflict, "This instance is not running yet; deploy it first.");
  }

  /** Why `original` cannot be replayed on `instance` now, or undefined. `bulk`: a run that was replayed already is skipped. */
  #replayProblem(instance: InstanceRecord, original: StoredExecution, bulk = false): PlatformError | undefined {
    try {
      this.#assertRunning(instance);
    } catch (error) {
      return error as PlatformError;
    }
    if (original.status === "running") return new PlatformError(ApiErrorCode.Conflict, "This run has not ended yet; replay it once it has.");
    if (original.trigger === "removal") return new PlatformError(ApiErrorCode.Conflict, "A removal run is not replayed: removal flows run when the instance is deactivated.");
    if (original.payloadTruncated || original.payloadRedacted) {
      return new PlatformError(
        ApiErrorCode.PayloadEvicted,
        original.payloadTruncated
          ? `The payload of ${original.id} was over ${TEST_PAYLOAD_MAX_CHARS} characters of JSON, so only its start was kept; it cannot be replayed. Send the event again from its source.`
          : `Secrets were removed from the payload of ${original.id} before it was stored, so it cannot be replayed as it was. Send the event again from its source.`,
      );
    }
    if (bulk && original.replays?.length) return new PlatformError(ApiErrorCode.Conflict, `Already replayed (${original.replays.at(-1)}).`);
    if (!this.ctx.running(instance).flows.some((f) => f.id === original.flowId)) {
      return new PlatformError(ApiErrorCode.Conflict, `The version this instance runs (${instance.integrationVersion ?? 1}) no longer has the flow "${original.flowName}".`);
    }
    return undefined;
  }

  /** Starts the replay, notes it on the original, and waits for it to end. */
  async #start(instance: InstanceRecord, original: StoredExecution): Promise<Execution> {
    const flow = this.#flowOf(instance, original.flowId);
    const marks: RunMarks = { replayOf: original.id };
    const started = this.parts.executions.run(instance, flow, original.trigger, original.payload ?? null, marks);
    const current = this.ctx.executions.get(original.id);
    if (current) this.ctx.executions.update({ ...current, replays: [...(current.replays ?? []), started.executionId] });
    return this.#finished(started);
  }

  /**
   * The run `started`, once it ended and its end is on disk, for an answer that names it (and an
   * idempotency key's stored answer). Its end refused as unstorable but stored cut (too large,
   * say): the cut run, whose `notice` says so; a 503 would have the caller run it again. The
   * write refused another request's change alone: the run, which is on disk (`failsRequest`).
   * A 503 SERVICE_UNAVAILABLE (retry) when nothing of it is on disk (its start refused by a write
   * made while it ran, `notStored`, or with its end), when the cut end was refused too, or when
   * the write failed (as `unsaved` answers any failure of a route's write).
   */
  async #finished(started: StartedRun): Promise<Execution> {
    const execution = await started.promise;
    if (!started.notStored) {
      try {
        await this.ctx.store.commit();
        // Its end refused in a write another request started, which ended before this commit: cut.
        return this.parts.executions.storedCut(started.executionId) ?? execution;
      } catch (error) {
        // Another request's change refused alone: this run's start and end are durable.
        if (!failsRequest(error, [executionChange(started.executionId)])) return this.parts.executions.storedCut(started.executionId) ?? execution;
        const cut = await this.parts.executions.durableCut(started.executionId);
        if (cut) return cut;
      }
    }
    throw new PlatformError(ApiErrorCode.ServiceUnavailable, UNSAVED_MESSAGE, { retryAfterSeconds: 1 });
  }
}
