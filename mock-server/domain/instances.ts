/**
 * An instance's life, for the customer who owns it: created as an unconfigured draft, configured
 * page by page, deployed (webhook URLs issued, schedules registered, deploy flows run; with an
 * Idempotency-Key a retry gets the stored answer), paused and resumed (billing intervals and the
 * scheduler follow), and deleted after its removal flows ran. The records and their config
 * drafts are instance-records.ts; the organization acting on any instance is org-admin.ts.
 */
import { newId } from "./ids.ts";
import { ApiErrorCode, PlatformError } from "./errors.ts";
import type { Alerts } from "./alerts.ts";
import type { Monitors } from "./monitors.ts";
import { runIdempotent } from "./idempotency.ts";
import { markUsage } from "./usage.ts";
import { requireAdmin, type Caller } from "./sessions.ts";
import {
  assertDeployable,
  assertPageValid,
  commitConfigPage,
  customerInstances,
  displayedWebhookFlows,
  draftOf,
  effectiveConfig,
  ensureGeneratedKeys,
  ownInstance,
  prepareConfigPage,
  presentInstance,
} from "./instance-records.ts";
import type { PlatformContext } from "./context.ts";
import type { DataSources } from "./data-sources.ts";
import type { Executions } from "./executions.ts";
import type { Webhooks } from "./webhooks.ts";
import type { Scheduler } from "./scheduler.ts";
import type { InstanceRecord } from "./store.ts";
import type { DeleteInstanceResponse, DeployResponse, Execution, Instance } from "../../contract/api.ts";

/** A new, unconfigured instance record of `integration` for one customer. */
export function newInstanceRecord(
  organizationId: string,
  customerId: string,
  integration: { id: string; name: string },
  now: number,
  described: Pick<InstanceRecord, "name" | "description" | "labels"> = { name: integration.name, description: "", labels: [] },
): InstanceRecord {
  return {
    id: newId("ins"),
    organizationId,
    customerId,
    integrationId: integration.id,
    ...described,
    status: "draft",
    config: {},
    webhookTokens: {},
    nextRuns: {},
    createdAt: now,
    updatedAt: now,
  };
}

export interface InstanceParts {
  dataSources: DataSources;
  executions: Executions;
  webhooks: Webhooks;
  alerts: Alerts;
  monitors: Monitors;
  scheduler: Scheduler;
}

export class Instances {
  readonly #ctx: PlatformContext;
  readonly #parts: InstanceParts;

  constructor(ctx: PlatformContext, parts: InstanceParts) {
    this.#ctx = ctx;
    this.#parts = parts;
  }

  #present(instance: InstanceRecord, origin: string): Instance {
    return presentInstance(this.#ctx.snapshot, this.#ctx.catalog, instance, origin);
  }

  /** A deploy that died with the previous process: back to what the instance was before it. */
  recoverAfterRestart(): void {
    const now = this.#ctx.clock.now();
    for (const instance of Object.values(this.#ctx.snapshot.instances)) {
      if (instance.status === "deploying") {
        instance.status = instance.deployedAt !== undefined ? "deployed" : "draft";
        if (instance.status === "deployed") markUsage(this.#ctx.snapshot, instance, "enabled", now);
        this.#ctx.changed("instances", instance.id);
      }
    }
  }

  /** The customer's instances, newest first. */
  list(caller: Caller, origin: string): Instance[] {
    return customerInstances(this.#ctx.snapshot, caller)
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((i) => this.#present(i, origin));
  }

  get(caller: Caller, id: string, origin: string): Instance {
    return this.#present(ownInstance(this.#ctx.snapshot, caller, id), origin);
  }

  /**
   * Creates an unconfigured instance. A draft of the same integration that the customer has not
   * deployed yet is returned instead (`created: false`), so a double click never makes two.
   */
  create(caller: Caller, integrationId: string, origin: string): { instance: Instance; created: boolean } {
    const { snapshot } = this.#ctx;
    requireAdmin(caller, "activate integrations");
    const integration = this.#ctx.integration(integrationId);
    const existing = customerInstances(snapshot, caller).find((i) => i.integrationId === integration.id && i.status === "draft");
    if (existing) return { instance: this.#present(existing, origin), created: false };
    const instance = newInstanceRecord(caller.organization.id, caller.customer.id, integration, this.#ctx.clock.now());
    snapshot.instances[instance.id] = instance;
    ensureGeneratedKeys(integration, draftOf(snapshot, instance));
    // A config page that shows a webhook URL needs it before the deploy; it answers 409 until then.
    if (displayedWebhookFlows(integration).length > 0) this.#parts.webhooks.issue(instance, integration);
    this.#ctx.changed("instances", instance.id);
    return { instance: this.#present(instance, origin), created: true };
  }

  async saveConfigPage(caller: Caller, id: string, page: string, values: Record<string, unknown>, origin: string): Promise<Instance> {
    const instance = ownInstance(this.#ctx.snapshot, caller, id);
    requireAdmin(caller, "change an instance's configuration");
    await this.savePage(caller, instance, page, values);
    return this.#present(instance, origin);
  }

  /**
   * Checks and stores one config page of a record the caller may change (the customer's own, or
   * any for its organization): the shared validation, the integration's rules, and each newly
   * chosen data-source value against what the app offers. Throws VALIDATION_FAILED.
   */
  async savePage(caller: Caller, instance: InstanceRecord, pageName: string, values: Record<string, unknown>): Promise<void> {
    const integration = this.#ctx.integration(instance.integrationId);
    const prepared = prepareConfigPage(this.#ctx.snapshot, caller, integration, instance, pageName, values);
    const sources = await this.#parts.dataSources.checkOnSave(caller, instance, integration, prepared.page, prepared.values);
    prepared.problems = { ...sources.problems, ...prepared.problems };
    assertPageValid(prepared);
    commitConfigPage(this.#ctx.snapshot, integration, instance, prepared, this.#ctx.clock.now(), sources.labels);
  }

  /**
   * Deploys (or re-deploys with the current draft): enables the instance, gives each webhook
   * flow an unguessable URL (kept across re-deploys), registers schedules and runs the deploy
   * flows. A failing deploy flow does not undo the deploy: it is recorded as a failed
   * execution and raises an alert. With an idempotency key, a retry gets the stored answer.
   */
  async deploy(
    caller: Caller,
    id: string,
    options: { origin: string; idempotencyKey?: string; fingerprint?: string },
  ): Promise<{ status: number; body: DeployResponse; replayed: boolean }> {
    const instance = ownInstance(this.#ctx.snapshot, caller, id);
    requireAdmin(caller, "deploy instances");
    return runIdempotent(this.#ctx, caller.customer.id, { ...options, fingerprint: options.fingerprint ?? `deploy ${id}` }, 200, () =>
      this.deployRecord(caller, instance, options.origin),
    );
  }

  /** The deploy itself, on a record the caller may deploy (the customer's, or any for its organization). */
  async deployRecord(caller: Caller, instance: InstanceRecord, origin: string): Promise<DeployResponse> {
    const { snapshot, clock } = this.#ctx;
    const now = clock.now();
    const previous = { status: instance.status, config: instance.config };
    try {
      if (instance.status === "deploying") throw new PlatformError(ApiErrorCode.Conflict, "This instance is being deployed already.");
      const integration = this.#ctx.integration(instance.integrationId);
      const draft = assertDeployable(snapshot, caller, integration, instance);
      instance.status = "deploying";
      instance.config = effectiveConfig(integration, draft);
      this.#parts.webhooks.issue(instance, integration);
      // Before the deploy flows run: a failing one raises an alert (D8).
      this.#parts.monitors.initialize(instance);
      instance.updatedAt = now;
      this.#ctx.changed("instances", instance.id);

      const executions: Execution[] = [];
      for (const flow of integration.flows.filter((f) => f.trigger.kind === "deploy")) {
        executions.push(await this.#parts.executions.run(instance, flow, "deploy", null).promise);
      }
      const done = clock.now();
      instance.status = "deployed";
      instance.deployedAt = done;
      instance.updatedAt = done;
      markUsage(snapshot, instance, "enabled", done);
      this.#parts.scheduler.register(instance);
      this.#ctx.changed("instances", instance.id);
      return { instance: this.#present(instance, origin), executions };
    } catch (error) {
      if (instance.status === "deploying") {
        instance.status = previous.status;
        instance.config = previous.config;
        this.#ctx.changed("instances", instance.id);
      }
      throw error;
    }
  }

  pause(caller: Caller, id: string, origin: string): Instance {
    return this.#setRunning(caller, id, origin, false);
  }

  resume(caller: Caller, id: string, origin: string): Instance {
    return this.#setRunning(caller, id, origin, true);
  }

  /**
   * Pause (running = false) or resume: the enabled interval closes or opens (billing) and the
   * schedules leave or rejoin the scheduler. Asking for the state it is already in changes nothing.
   */
  #setRunning(caller: Caller, id: string, origin: string, running: boolean): Instance {
    const { snapshot } = this.#ctx;
    const instance = ownInstance(snapshot, caller, id);
    requireAdmin(caller, running ? "resume instances" : "pause instances");
    if (instance.status === "draft" || instance.status === "deploying") {
      throw new PlatformError(ApiErrorCode.Conflict, running ? "Only a paused instance can be resumed." : "Only a deployed instance can be paused.");
    }
    if (instance.status === (running ? "paused" : "deployed")) {
      const now = this.#ctx.clock.now();
      instance.status = running ? "deployed" : "paused";
      instance.updatedAt = now;
      markUsage(snapshot, instance, running ? "enabled" : "paused", now);
      if (running) {
        this.#parts.scheduler.register(instance);
      } else {
        this.#parts.scheduler.unregister(instance);
      }
      this.#ctx.changed("instances", instance.id);
    }
    return this.#present(instance, origin);
  }

  /** Runs the removal flows (a failure does not block), then removes the instance. */
  async delete(caller: Caller, id: string): Promise<DeleteInstanceResponse> {
    const { snapshot, catalog } = this.#ctx;
    const instance = ownInstance(snapshot, caller, id);
    requireAdmin(caller, "delete instances");
    if (instance.status === "deploying") throw new PlatformError(ApiErrorCode.Conflict, "This instance is being deployed; try again shortly.");
    const integration = catalog.get(instance.integrationId);
    const executions: Execution[] = [];
    if (instance.deployedAt !== undefined && integration) {
      for (const flow of integration.flows.filter((f) => f.trigger.kind === "removal")) {
        executions.push(await this.#parts.executions.run(instance, flow, "removal", null).promise);
      }
    }
    const now = this.#ctx.clock.now();
    markUsage(snapshot, instance, "off", now);
    this.#parts.scheduler.unregister(instance);
    this.#parts.webhooks.revoke(instance);
    this.#parts.executions.forget(instance.id);
    this.#parts.alerts.forget(instance.id);
    this.#parts.monitors.forget(instance.id);
    delete snapshot.instances[instance.id];
    delete snapshot.drafts[instance.id];
    this.#ctx.changed("instances", instance.id);
    this.#ctx.changed("drafts", instance.id);
    return { instanceId: instance.id, executions };
  }
}
