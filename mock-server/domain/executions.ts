/**
 * Executions: every run of a flow (deploy, removal, webhook, schedule) is recorded as running
 * when it starts and replaced by its result when it ends, which may raise alerts. The newest
 * executions of each instance are kept (MAX_EXECUTIONS_PER_INSTANCE); an index by instance keeps
 * listing and trimming from scanning every execution. Customers see their own instances' runs.
 */
import { newId } from "./ids.ts";
import { iso } from "./clock.ts";
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { runFlow } from "./flow-runner.ts";
import { raiseAlerts } from "./alerts.ts";
import { ownInstance } from "./instance-records.ts";
import type { PlatformContext } from "./context.ts";
import type { Caller } from "./sessions.ts";
import type { InstanceRecord, StoredExecution } from "./store.ts";
import type { Execution } from "../../contract/api.ts";
import type { FlowDefinition } from "../../contract/catalog.ts";

export const MAX_EXECUTIONS_PER_INSTANCE = 200;

/** A flow run that has started: its execution id now, the finished execution later. */
export interface StartedRun {
  executionId: string;
  promise: Promise<Execution>;
}

function publicExecution(stored: StoredExecution): Execution {
  const { organizationId: _o, customerId: _c, ...execution } = stored;
  return execution;
}

export class Executions {
  readonly #ctx: PlatformContext;
  /** Execution ids per instance, oldest first. */
  readonly #byInstance = new Map<string, string[]>();

  constructor(ctx: PlatformContext) {
    this.#ctx = ctx;
    const executions = Object.values(ctx.snapshot.executions).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    for (const execution of executions) this.#ids(execution.instanceId).push(execution.id);
  }

  #ids(instanceId: string): string[] {
    let ids = this.#byInstance.get(instanceId);
    if (!ids) {
      ids = [];
      this.#byInstance.set(instanceId, ids);
    }
    return ids;
  }

  /** Executions that were running when the previous process died: failed, with a reason. */
  recoverAfterRestart(): void {
    const now = this.#ctx.clock.now();
    for (const execution of Object.values(this.#ctx.snapshot.executions)) {
      if (execution.status === "running") {
        execution.status = "failed";
        execution.error = "The platform restarted while this execution was running.";
        execution.endedAt = iso(now);
        execution.logs.push({ at: iso(now), level: "error", message: execution.error });
      }
    }
  }

  /** Starts a flow run: records a running execution now; `promise` resolves with the finished one. */
  run(instance: InstanceRecord, flow: FlowDefinition, trigger: Execution["trigger"], payload: unknown): StartedRun {
    const { snapshot, clock, rehearsal } = this.#ctx;
    const integration = this.#ctx.integration(instance.integrationId);
    const customer = snapshot.customers[instance.customerId];
    const executionId = newId("exe");
    const startedAt = clock.now();
    const running: StoredExecution = {
      id: executionId,
      instanceId: instance.id,
      flowId: flow.id,
      flowName: flow.name,
      trigger,
      status: "running",
      startedAt: iso(startedAt),
      logs: [],
      stepResults: {},
      organizationId: instance.organizationId,
      customerId: instance.customerId,
    };
    snapshot.executions[executionId] = running;
    const ids = this.#ids(instance.id);
    ids.push(executionId);
    while (ids.length > MAX_EXECUTIONS_PER_INSTANCE) delete snapshot.executions[ids.shift()!];
    this.#ctx.changed();

    const forcedFailure = trigger === "deploy" && rehearsal.deployTriggersFail ? "Rehearsal: every deploy trigger fails." : undefined;
    const promise = runFlow(
      { snapshot, clock, latency: this.#ctx.appLatency, ...(forcedFailure ? { forcedFailure } : {}) },
      { executionId, integration, flow, instance, customer, trigger, payload },
    ).then((execution) => {
      // The instance may have been deleted while the flow ran: then the record is gone too.
      if (Object.hasOwn(snapshot.executions, executionId)) {
        snapshot.executions[executionId] = { ...execution, organizationId: instance.organizationId, customerId: instance.customerId };
        if (Object.hasOwn(snapshot.instances, instance.id)) raiseAlerts(snapshot, instance, execution, clock.now());
        this.#ctx.changed();
      }
      return execution;
    });
    return { executionId, promise: this.#ctx.track(promise) };
  }

  /** The caller's instance's executions, newest first. */
  list(caller: Caller, id: string): Execution[] {
    const { snapshot } = this.#ctx;
    const instance = ownInstance(snapshot, caller, id);
    return [...this.#ids(instance.id)]
      .reverse()
      .map((executionId) => snapshot.executions[executionId])
      .filter((e): e is StoredExecution => e !== undefined)
      .map(publicExecution);
  }

  get(caller: Caller, id: string, executionId: string): Execution {
    const { snapshot } = this.#ctx;
    const instance = ownInstance(snapshot, caller, id);
    const stored = Object.hasOwn(snapshot.executions, executionId) ? snapshot.executions[executionId] : undefined;
    if (!stored || stored.instanceId !== instance.id) throw new PlatformError(ApiErrorCode.NotFound, `No execution "${executionId}".`);
    return publicExecution(stored);
  }

  /** Removes every execution of a deleted instance. */
  forget(instanceId: string): void {
    for (const executionId of this.#ids(instanceId)) delete this.#ctx.snapshot.executions[executionId];
    this.#byInstance.delete(instanceId);
  }
}
