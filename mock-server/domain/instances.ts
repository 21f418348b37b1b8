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
import { runIdempotent, type StoredAnswer } from "./idempotency.ts";
import { markUsage } from "./usage.ts";
import { expiredRemovals, keepRemoved, removedByUser, type RemovedBy } from "./removed-instances.ts";
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
import { instanceVersion } from "./catalog.ts";
import { versionOf } from "../../contract/catalog.ts";
import { DomainService } from "./service.ts";
import type { DataSources } from "./data-sources.ts";
import type { Executions } from "./executions.ts";
import type { Webhooks } from "./webhooks.ts";
import type { Scheduler } from "./scheduler.ts";
import type { Upgrades } from "./upgrades.ts";
import type { InstanceRecord } from "./store.ts";
import type { DeleteInstanceResponse, DeployResponse, Execution, Instance } from "../../contract/api.ts";

/** A new, unconfigured instance record of `integration` for one customer. */
export function newInstanceRecord(
  organizationId: string,
  customerId: string,
  integration: { id: string; name: string; version?: number | undefined },
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
    integrationVersion: versionOf(integration),
  };
}

/** Longest instance name. */
export const INSTANCE_NAME_MAX = 200;

/**
 * What is wrong with `name` for an instance of `integrationId` among `siblings` (the customer's
 * instances): empty, too long, or the name of another of the same integration (a customer tells
 * their Slack workspaces apart by name).
 */
export function instanceNameProblem(name: string, integration: { id: string; name: string }, siblings: readonly InstanceRecord[], self?: string): string | undefined {
  if (name === "") return "Enter a name for this instance.";
  if (name.length > INSTANCE_NAME_MAX) return `Enter at most ${INSTANCE_NAME_MAX} characters.`;
  const taken = siblings.some((i) => i.id !== self && i.integrationId === integration.id && i.name.toLocaleLowerCase("en") === name.toLocaleLowerCase("en"));
  return taken ? `You already have a ${integration.name} instance named "${name}"; choose another name.` : undefined;
}

/** A free default name: the integration's, then "Slack 2", "Slack 3"… */
export function defaultInstanceName(integration: { id: string; name: string }, siblings: readonly InstanceRecord[]): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? integration.name : `${integration.name} ${n}`;
    if (instanceNameProblem(name, integration, siblings) === undefined) return name;
  }
}

export interface InstanceParts {
  dataSources: DataSources;
  executions: Executions;
  webhooks: Webhooks;
  alerts: Alerts;
  monitors: Monitors;
  scheduler: Scheduler;
  upgrades: Upgrades;
}

export class Instances extends DomainService<InstanceParts> {
  #present(instance: InstanceRecord, origin: string): Instance {
    return presentInstance(this.ctx.snapshot, this.ctx.versions, instance, origin, (i) => this.parts.upgrades.available(i));
  }

  /** A deploy that died with the previous process: back to what the instance was before it. */
  recoverAfterRestart(): void {
    const now = this.ctx.clock.now();
    for (const instance of Object.values(this.ctx.snapshot.instances)) {
      if (instance.status === "deploying") {
        instance.status = instance.deployedAt !== undefined ? "deployed" : "draft";
        if (instance.status === "deployed") markUsage(this.ctx.snapshot, instance, "enabled", now);
        this.ctx.changed("instances", instance.id);
      }
    }
  }

  /** The customer's instances (of one integration, when given), newest first. */
  list(caller: Caller, origin: string, integrationId?: string): Instance[] {
    return customerInstances(this.ctx.snapshot, caller)
      .filter((i) => integrationId === undefined || i.integrationId === integrationId)
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((i) => this.#present(i, origin));
  }

  get(caller: Caller, id: string, origin: string): Instance {
    return this.#present(ownInstance(this.ctx.snapshot, caller, id), origin);
  }

  /**
   * Creates an unconfigured instance of the latest version, named after the integration (a free
   * name: "Slack 2" next to "Slack"). Returned instead (`created: false`), so a double click
   * never makes two: for an integration that allows one instance, the customer's one instance,
   * whatever its state; for one that allows several, the one they have not deployed yet. An
   * unfinished setup on an older version moves to the latest first (nothing of it runs yet).
   */
  create(caller: Caller, integrationId: string, origin: string): { instance: Instance; created: boolean } {
    const { snapshot } = this.ctx;
    requireAdmin(caller, "activate integrations");
    const integration = this.ctx.latest(caller.organization.id, integrationId);
    const mine = customerInstances(snapshot, caller).sort((a, b) => b.updatedAt - a.updatedAt);
    const existing = integration.allowMultipleInstances
      ? mine.find((i) => i.integrationId === integration.id && i.status === "draft")
      : mine.find((i) => i.integrationId === integration.id);
    if (existing) {
      const before = instanceVersion(existing);
      this.parts.upgrades.catchUpDraft(existing);
      if (instanceVersion(existing) !== before) {
        this.ctx.changed("instances", existing.id);
        this.ctx.changed("drafts", existing.id);
      }
      return { instance: this.#present(existing, origin), created: false };
    }
    const instance = newInstanceRecord(caller.organization.id, caller.customer.id, integration, this.ctx.clock.now(), {
      name: defaultInstanceName(integration, mine),
      description: "",
      labels: [],
    });
    snapshot.instances[instance.id] = instance;
    ensureGeneratedKeys(integration, draftOf(snapshot, instance));
    // A config page that shows a webhook URL needs it before the deploy; it answers 409 until then.
    if (displayedWebhookFlows(integration).length > 0) this.parts.webhooks.issue(instance, integration);
    this.ctx.changed("instances", instance.id);
    return { instance: this.#present(instance, origin), created: true };
  }

  /** Renames an instance (422 VALIDATION_FAILED on `name` for an empty, long or taken name). */
  rename(caller: Caller, id: string, rawName: string, origin: string): Instance {
    const { snapshot } = this.ctx;
    const instance = ownInstance(snapshot, caller, id);
    requireAdmin(caller, "rename instances");
    const name = rawName.trim();
    const integration = this.ctx.latest(instance.organizationId, instance.integrationId);
    const problem = instanceNameProblem(name, integration, customerInstances(snapshot, caller), instance.id);
    if (problem) throw new PlatformError(ApiErrorCode.ValidationFailed, problem, { fields: { name: problem } });
    if (instance.name !== name) {
      instance.name = name;
      instance.updatedAt = this.ctx.clock.now();
      this.ctx.changed("instances", instance.id);
    }
    return this.#present(instance, origin);
  }

  /**
   * The version whose pages the wizard saves and deploys: an upgrade's while one is in progress,
   * else the one the instance runs. A wizard that says another version was opened before the
   * setup moved (another window, the organization): 409 VERSION_CONFLICT, nothing saved.
   */
  #editing(instance: InstanceRecord, expected: number | undefined) {
    const upgrade = draftOf(this.ctx.snapshot, instance).upgrade;
    const version = upgrade ? upgrade.toVersion : instanceVersion(instance);
    if (expected !== undefined && expected !== version) {
      throw new PlatformError(
        ApiErrorCode.VersionConflict,
        upgrade
          ? `This instance is being upgraded to version ${version} (in another window, or by your organization); reload to continue that upgrade.`
          : `This instance's setup is on version ${version} now (changed in another window, or by your organization); reload to see it.`,
      );
    }
    return this.ctx.version(instance.organizationId, instance.integrationId, version);
  }

  async saveConfigPage(
    caller: Caller,
    id: string,
    page: string,
    values: Record<string, unknown>,
    origin: string,
    integrationVersion?: number,
  ): Promise<Instance> {
    const instance = ownInstance(this.ctx.snapshot, caller, id);
    requireAdmin(caller, "change an instance's configuration");
    await this.savePage(caller, instance, page, values, integrationVersion);
    return this.#present(instance, origin);
  }

  /**
   * Checks and stores one config page of a record the caller may change (the customer's own, or
   * any for its organization), for the version being edited (an upgrade's, while one is in
   * progress): the shared validation, the integration's rules, and each newly chosen data-source
   * value against what the app offers. Throws VALIDATION_FAILED; VERSION_CONFLICT when the
   * wizard's version is not the one being edited, before the check or after it (an upgrade
   * started, canceled or deployed while the app was asked): then nothing is stored.
   */
  async savePage(caller: Caller, instance: InstanceRecord, pageName: string, values: Record<string, unknown>, integrationVersion?: number): Promise<void> {
    const integration = this.#editing(instance, integrationVersion);
    const prepared = prepareConfigPage(this.ctx.snapshot, caller, integration, instance, pageName, values);
    const sources = await this.parts.dataSources.checkOnSave(caller, instance, integration, prepared.page, prepared.values);
    this.#editing(instance, versionOf(integration));
    prepared.problems = { ...sources.problems, ...prepared.problems };
    assertPageValid(prepared);
    commitConfigPage(this.ctx.snapshot, integration, instance, prepared, this.ctx.clock.now(), sources.labels);
  }

  /** Starts (or rejoins) an upgrade to `toVersion`, default the latest (upgrades.ts); `started`: a new one. */
  startUpgrade(caller: Caller, id: string, toVersion: number | undefined, origin: string): { instance: Instance; started: boolean } {
    const instance = ownInstance(this.ctx.snapshot, caller, id);
    requireAdmin(caller, "upgrade instances");
    const { started } = this.parts.upgrades.start(instance, toVersion);
    if (started) {
      this.ctx.changed("instances", instance.id);
      this.ctx.changed("drafts", instance.id);
    }
    return { instance: this.#present(instance, origin), started };
  }

  /** Cancels the upgrade in progress; the instance keeps running its version, untouched. */
  cancelUpgrade(caller: Caller, id: string, origin: string): Instance {
    const instance = ownInstance(this.ctx.snapshot, caller, id);
    requireAdmin(caller, "upgrade instances");
    this.parts.upgrades.cancel(instance);
    this.ctx.changed("instances", instance.id);
    this.ctx.changed("drafts", instance.id);
    return this.#present(instance, origin);
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
    options: { origin: string; idempotencyKey?: string; fingerprint?: string; integrationVersion?: number },
  ): Promise<StoredAnswer<DeployResponse>> {
    const instance = ownInstance(this.ctx.snapshot, caller, id);
    requireAdmin(caller, "deploy instances");
    return runIdempotent(this.ctx, caller.customer.id, { ...options, fingerprint: options.fingerprint ?? `deploy ${id}` }, 200, async () => {
      if (instance.status !== "deploying") this.#editing(instance, options.integrationVersion);
      return this.deployRecord(caller, instance, options.origin);
    });
  }

  /**
   * The deploy itself, on a record the caller may deploy (the customer's, or any for its
   * organization). With an upgrade in progress it deploys the upgrade: from the moment the
   * instance is `deploying` it runs the new version with the new values (webhooks, schedules and
   * deploy flows alike); if the deploy fails, it goes back to the old version and values, and the
   * upgrade stays to be fixed and deployed again.
   */
  async deployRecord(caller: Caller, instance: InstanceRecord, origin: string): Promise<DeployResponse> {
    const { snapshot, clock } = this.ctx;
    const now = clock.now();
    const previous = { status: instance.status, config: instance.config, integrationVersion: instance.integrationVersion };
    try {
      if (instance.status === "deploying") throw new PlatformError(ApiErrorCode.Conflict, "This instance is being deployed already.");
      const whole = draftOf(snapshot, instance);
      const upgrade = whole.upgrade;
      const integration = upgrade ? this.ctx.version(instance.organizationId, instance.integrationId, upgrade.toVersion) : this.ctx.running(instance);
      const draft = assertDeployable(snapshot, caller, integration, instance);
      instance.status = "deploying";
      instance.config = effectiveConfig(integration, draft);
      instance.integrationVersion = versionOf(integration);
      this.parts.webhooks.issue(instance, integration);
      // Before the deploy flows run: a failing one raises an alert (D8).
      this.parts.monitors.initialize(instance);
      instance.updatedAt = now;
      this.ctx.changed("instances", instance.id);

      const executions: Execution[] = [];
      for (const flow of integration.flows.filter((f) => f.trigger.kind === "deploy")) {
        executions.push(await this.parts.executions.run(instance, flow, "deploy", null).promise);
      }
      const done = clock.now();
      if (upgrade && whole.upgrade === upgrade) {
        // The upgrade's values are the instance's setup from now on.
        whole.values = upgrade.values;
        whole.completedPages = upgrade.completedPages;
        if (upgrade.optionLabels) whole.optionLabels = upgrade.optionLabels;
        else delete whole.optionLabels;
        delete whole.upgrade;
        this.ctx.changed("drafts", instance.id);
      }
      instance.status = "deployed";
      instance.deployedAt = done;
      instance.updatedAt = done;
      markUsage(snapshot, instance, "enabled", done);
      this.parts.scheduler.register(instance);
      this.ctx.changed("instances", instance.id);
      const toVersion = instance.integrationVersion ?? 1;
      const fromVersion = previous.integrationVersion ?? 1;
      this.ctx.events.emit(upgrade && fromVersion !== toVersion ? { type: "instance.upgraded", instance, fromVersion, toVersion } : { type: "instance.deployed", instance });
      return { instance: this.#present(instance, origin), executions };
    } catch (error) {
      if (instance.status === "deploying") {
        instance.status = previous.status;
        instance.config = previous.config;
        if (previous.integrationVersion === undefined) delete instance.integrationVersion;
        else instance.integrationVersion = previous.integrationVersion;
        this.ctx.changed("instances", instance.id);
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
    const { snapshot } = this.ctx;
    const instance = ownInstance(snapshot, caller, id);
    requireAdmin(caller, running ? "resume instances" : "pause instances");
    if (instance.status === "draft" || instance.status === "deploying") {
      throw new PlatformError(ApiErrorCode.Conflict, running ? "Only a paused instance can be resumed." : "Only a deployed instance can be paused.");
    }
    if (instance.status === (running ? "paused" : "deployed")) {
      const now = this.ctx.clock.now();
      instance.status = running ? "deployed" : "paused";
      instance.updatedAt = now;
      markUsage(snapshot, instance, running ? "enabled" : "paused", now);
      if (running) {
        this.parts.scheduler.register(instance);
      } else {
        this.parts.scheduler.unregister(instance);
      }
      this.ctx.changed("instances", instance.id);
      this.ctx.events.emit({ type: running ? "instance.resumed" : "instance.paused", instance });
    }
    return this.#present(instance, origin);
  }

  /**
   * Runs the removal flows (a failure does not block), then removes the instance: what runs it
   * (schedules, webhooks, monitors, its draft) goes, while its record (as deleted, when and by
   * whom), executions and alerts are kept for the retention period (removed-instances.ts); its
   * open alerts are resolved, as nothing will run to fix them.
   */
  async delete(caller: Caller, id: string, by: RemovedBy = removedByUser(caller)): Promise<DeleteInstanceResponse> {
    const { snapshot } = this.ctx;
    const instance = ownInstance(snapshot, caller, id);
    requireAdmin(caller, "delete instances");
    if (instance.status === "deploying") throw new PlatformError(ApiErrorCode.Conflict, "This instance is being deployed; try again shortly.");
    // The removal flows of the version it runs.
    const integration = this.ctx.versions.get(instance.organizationId, instance.integrationId, instanceVersion(instance));
    const executions: Execution[] = [];
    if (instance.deployedAt !== undefined && integration) {
      for (const flow of integration.flows.filter((f) => f.trigger.kind === "removal")) {
        executions.push(await this.parts.executions.run(instance, flow, "removal", null).promise);
      }
    }
    const now = this.ctx.clock.now();
    markUsage(snapshot, instance, "off", now);
    this.parts.scheduler.unregister(instance);
    this.parts.webhooks.revoke(instance);
    this.parts.alerts.resolveAll(instance.id, by.name);
    this.parts.monitors.forget(instance.id);
    this.ctx.events.emit({ type: "instance.deleted", instance });
    keepRemoved(snapshot, instance, by, now);
    delete snapshot.instances[instance.id];
    delete snapshot.drafts[instance.id];
    this.ctx.changed("instances", instance.id);
    this.ctx.changed("drafts", instance.id);
    return { instanceId: instance.id, executions };
  }

  /** Purges the kept records of instances deactivated longer ago than the retention period, with their alerts and executions. Returns how many. */
  sweepRemoved(): number {
    const { snapshot, clock, policy } = this.ctx;
    const expired = expiredRemovals(snapshot, clock.now(), policy.retention.maxAgeDays);
    for (const record of expired) {
      this.parts.executions.forget(record.id);
      this.parts.alerts.forget(record.id);
      delete snapshot.removedInstances[record.id];
      this.ctx.changed("removedInstances", record.id);
    }
    return expired.length;
  }
}
