/**
 * The platform: one object tying the domain together (store, sessions, catalog, instances,
 * flows, executions, scheduler, usage, alerts, OAuth). It knows nothing about HTTP; the MSW
 * handlers translate requests to these methods and back. Every write calls the change
 * listeners, which is how a transport knows when to persist the snapshot.
 */
import { catalogFixture } from "../fixtures/catalog.ts";
import { systemClock, type Clock } from "./clock.ts";
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { newId, newSecretToken } from "./ids.ts";
import {
  createEmptySnapshot,
  parseSnapshot,
  type CustomerRecord,
  type InstanceRecord,
  type OrganizationRecord,
  type Snapshot,
  type StoredExecution,
  type StoredConnection,
  type UserRecord,
} from "./store.ts";
import { findOrganization, organizationRecord, type OrganizationRegistration } from "./organizations.ts";
import { authenticateOrganization } from "./org-keys.ts";
import { ScenarioSwitch } from "./scenario.ts";
import { searchInstances } from "./org-search.ts";
import { authenticate, requireAdmin, sessionOf, type Caller } from "./sessions.ts";
import { integrationDetailOf, listIntegrations, loadCatalog, type Catalog } from "./catalog.ts";
import {
  assertDeployable,
  draftOf,
  effectiveConfig,
  isStoredConnection,
  ownInstance,
  presentInstance,
  saveConfigPage,
} from "./instances.ts";
import { runFlow } from "./flow-runner.ts";
import { Scheduler } from "./scheduler.ts";
import { closeInterval, openInterval, usageReport } from "./usage.ts";
import { DEFAULT_ALERT_MONITORS, raiseAlerts } from "./alerts.ts";
import { abandonIdempotent, beginIdempotent, completeIdempotent, pruneIdempotency } from "./idempotency.ts";
import { authenticateConnection, appDataKey, type AppLatency } from "./third-party-apps.ts";
import { completeAuthorization, decide, exchangeCode, pendingAuthorization, startAuthorization, type OAuthOutcome } from "./oauth.ts";
import { iso } from "./clock.ts";
import type {
  Alert,
  AlertMonitors,
  ConnectionTestResult,
  DeleteInstanceResponse,
  DeployResponse,
  EmbedConfig,
  Execution,
  Instance,
  IntegrationDetail,
  IntegrationList,
  IntegrationListQuery,
  OAuthStartResponse,
  Session,
  UsageReport,
  WebhookResponse,
} from "../../contract/api.ts";
import type {
  OrgCustomer,
  OrgDeployRequest,
  OrgDeployResponse,
  OrgInstance,
  OrgInstancePage,
  OrgInstanceQuery,
  OrgInstanceUpdate,
  OrgIntegration,
  OrgIntegrationList,
} from "../../contract/org-api.ts";
import type { ConnectionInput } from "../../contract/config-vars.ts";
import type { FlowDefinition, IntegrationDefinition } from "../../contract/catalog.ts";
import type { AppData, OAuthAuthorization, OAuthGrant } from "./store.ts";

export interface PlatformOptions {
  /** Time source; tests pass a manual clock (createManualClock) and advance it. */
  clock?: Clock;
  /** State to start from (a loaded snapshot); validated first. */
  snapshot?: unknown;
  /** Integration definitions; defaults to the built-in catalog fixture. Validated at load. */
  catalog?: readonly unknown[];
  /** Organizations to register (or update) at start. */
  organizations?: readonly OrganizationRegistration[];
  /** Start the scheduler's real timer (default: true with the system clock, false with another clock). */
  autoSchedule?: boolean;
}

/** Rehearsal switches (issue 4 scenarios) that change how the platform behaves, not what it stores. */
export interface PlatformRehearsal {
  /** Every deploy-trigger flow fails. */
  deployTriggersFail: boolean;
  /** The mock OAuth provider denies every authorization. */
  oauthDenies: boolean;
}

export type WebhookResult =
  | { mode: "sync"; response: WebhookResponse }
  | { mode: "async"; executionId: string };

export const MAX_EXECUTIONS_PER_INSTANCE = 200;

/** A new, unconfigured instance record of `integration` for one customer. */
function newDraft(
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
    alertMonitors: { ...DEFAULT_ALERT_MONITORS },
    createdAt: now,
    updatedAt: now,
  };
}

export class Platform {
  readonly clock: Clock;
  readonly catalog: Catalog;
  readonly scheduler: Scheduler;
  readonly rehearsal: PlatformRehearsal = { deployTriggersFail: false, oauthDenies: false };
  /** Simulated latency of mocked third-party apps, by app name (slow-execution alerts). */
  readonly appLatency: AppLatency = new Map();
  /** Failure rehearsal (issue 4): `scenario.set({ scenario: "flaky" })`; drives `rehearsal` too. */
  readonly scenario: ScenarioSwitch;
  #snapshot: Snapshot;
  #listeners = new Set<() => void>();
  #inFlight = new Set<Promise<unknown>>();
  #tokens = new Map<string, { instanceId: string; flowId: string }>();
  #executionsByInstance = new Map<string, string[]>();

  constructor(options: PlatformOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.scenario = new ScenarioSwitch(this.rehearsal, this.clock);
    this.catalog = loadCatalog(options.catalog ?? catalogFixture);
    const restored = options.snapshot !== undefined;
    this.#snapshot = restored ? parseSnapshot(options.snapshot) : createEmptySnapshot();
    for (const registration of options.organizations ?? []) this.#putOrganization(registration);
    this.scheduler = new Scheduler({
      snapshot: () => this.#snapshot,
      catalog: this.catalog,
      clock: this.clock,
      run: (instance, flow) => this.#runAndRecord(instance, flow, "schedule", null).promise,
      changed: () => this.#changed(),
    });
    this.#reindex();
    if (restored) this.#recoverAfterRestart();
    this.scheduler.restore();
    if (options.autoSchedule ?? this.clock === systemClock) this.scheduler.start();
  }

  // -------------------------------------------------------------------------------------------
  // State

  /** The live state, JSON-serialisable. Serialise it right away; do not keep or mutate it. */
  snapshot(): Snapshot {
    return this.#snapshot;
  }

  /** Calls `listener` after every change to the state; returns an unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves when no background work (async webhooks, scheduled runs) is running. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  dispose(): void {
    this.scheduler.stop();
    this.#listeners.clear();
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#inFlight.add(promise);
    void promise.finally(() => this.#inFlight.delete(promise)).catch(() => undefined);
    return promise;
  }

  #reindex(): void {
    this.#tokens.clear();
    for (const instance of Object.values(this.#snapshot.instances)) {
      for (const [flowId, token] of Object.entries(instance.webhookTokens)) this.#tokens.set(token, { instanceId: instance.id, flowId });
    }
    this.#executionsByInstance.clear();
    const executions = Object.values(this.#snapshot.executions).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    for (const execution of executions) this.#executionIds(execution.instanceId).push(execution.id);
  }

  /** Work that died with the previous process: a deploy half-way, executions that never ended. */
  #recoverAfterRestart(): void {
    const now = this.clock.now();
    pruneIdempotency(this.#snapshot, now, true);
    for (const instance of Object.values(this.#snapshot.instances)) {
      if (instance.status === "deploying") {
        instance.status = instance.deployedAt !== undefined ? "deployed" : "draft";
        if (instance.status === "deployed") openInterval(this.#snapshot, instance, now);
      }
    }
    for (const execution of Object.values(this.#snapshot.executions)) {
      if (execution.status === "running") {
        execution.status = "failed";
        execution.error = "The platform restarted while this execution was running.";
        execution.endedAt = iso(now);
        execution.logs.push({ at: iso(now), level: "error", message: execution.error });
      }
    }
  }

  #executionIds(instanceId: string): string[] {
    let ids = this.#executionsByInstance.get(instanceId);
    if (!ids) {
      ids = [];
      this.#executionsByInstance.set(instanceId, ids);
    }
    return ids;
  }

  // -------------------------------------------------------------------------------------------
  // Organizations and sessions

  #putOrganization(registration: OrganizationRegistration) {
    const record = organizationRecord(registration);
    const existing = findOrganization(this.#snapshot, record.id);
    if (!registration.apiKeys && existing?.apiKeys) record.apiKeys = existing.apiKeys;
    this.#snapshot.organizations[record.id] = record;
    return record;
  }

  /** Registers an organization (or replaces its keys and allowed origins). */
  registerOrganization(registration: OrganizationRegistration): void {
    this.#putOrganization(registration);
    this.#changed();
  }

  /** Public: the organization's name and the host origins allowed to embed it. */
  embedConfig(organizationId: string): EmbedConfig {
    const org = findOrganization(this.#snapshot, organizationId);
    if (!org) throw new PlatformError(ApiErrorCode.NotFound, `No organization "${organizationId}".`);
    return { organization: { id: org.id, name: org.name }, allowedOrigins: [...org.allowedOrigins] };
  }

  allowedOrigins(organizationId: string): string[] {
    return [...(findOrganization(this.#snapshot, organizationId)?.allowedOrigins ?? [])];
  }

  /** Whether any organization allows `origin` (CORS preflights cannot know the tenant). */
  isAllowedOriginOfAnyOrganization(origin: string): boolean {
    return Object.values(this.#snapshot.organizations).some((org) => org.allowedOrigins.includes(origin));
  }

  /** Verifies a customer JWT; creates the customer and the user on first sight. */
  authenticate(token: string): Promise<Caller> {
    return authenticate(this.#snapshot, token, this.clock, () => this.#changed());
  }

  session(caller: Caller): Session {
    return sessionOf(caller);
  }

  // -------------------------------------------------------------------------------------------
  // Marketplace

  #customerInstances(caller: Caller): InstanceRecord[] {
    return Object.values(this.#snapshot.instances).filter(
      (i) => i.customerId === caller.customer.id && i.organizationId === caller.organization.id,
    );
  }

  #integration(id: string): IntegrationDefinition {
    const integration = this.catalog.get(id);
    if (!integration) throw new PlatformError(ApiErrorCode.NotFound, `No integration "${id}".`);
    return integration;
  }

  listIntegrations(caller: Caller, query: IntegrationListQuery = {}): IntegrationList {
    return listIntegrations(this.catalog, this.#customerInstances(caller), query);
  }

  getIntegration(caller: Caller, id: string): IntegrationDetail {
    return integrationDetailOf(this.#integration(id), this.#customerInstances(caller));
  }

  // -------------------------------------------------------------------------------------------
  // Instances

  listInstances(caller: Caller, origin: string): Instance[] {
    return this.#customerInstances(caller)
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((i) => presentInstance(this.#snapshot, this.catalog, i, origin));
  }

  getInstance(caller: Caller, id: string, origin: string): Instance {
    return presentInstance(this.#snapshot, this.catalog, ownInstance(this.#snapshot, caller, id), origin);
  }

  /**
   * Creates an unconfigured instance. A draft of the same integration that the customer has not
   * deployed yet is returned instead (`created: false`), so a double click never makes two.
   */
  createInstance(caller: Caller, integrationId: string, origin: string): { instance: Instance; created: boolean } {
    requireAdmin(caller, "activate integrations");
    const integration = this.#integration(integrationId);
    const existing = this.#customerInstances(caller).find((i) => i.integrationId === integration.id && i.status === "draft");
    if (existing) return { instance: presentInstance(this.#snapshot, this.catalog, existing, origin), created: false };
    const instance = newDraft(caller.organization.id, caller.customer.id, integration, this.clock.now());
    this.#snapshot.instances[instance.id] = instance;
    draftOf(this.#snapshot, instance);
    this.#changed();
    return { instance: presentInstance(this.#snapshot, this.catalog, instance, origin), created: true };
  }

  saveConfigPage(caller: Caller, id: string, page: string, values: Record<string, unknown>, origin: string): Instance {
    const instance = ownInstance(this.#snapshot, caller, id);
    requireAdmin(caller, "change an instance's configuration");
    saveConfigPage(this.#snapshot, caller, this.#integration(instance.integrationId), instance, page, values, this.clock.now());
    this.#changed();
    return presentInstance(this.#snapshot, this.catalog, instance, origin);
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
    const instance = ownInstance(this.#snapshot, caller, id);
    requireAdmin(caller, "deploy instances");
    return this.#idempotent(caller.customer.id, { ...options, fingerprint: options.fingerprint ?? `deploy ${id}` }, 200, () =>
      this.#deployRecord(caller, instance, options.origin),
    );
  }

  /**
   * Runs `work` at most once per idempotency key (when one is given) in `scope`: a retry with
   * the same key and fingerprint gets the stored answer; a failure forgets the key.
   */
  async #idempotent<T>(
    scope: string,
    options: { idempotencyKey?: string; fingerprint: string },
    status: number,
    work: () => Promise<T>,
  ): Promise<{ status: number; body: T; replayed: boolean }> {
    let recordKey: string | undefined;
    if (options.idempotencyKey !== undefined) {
      const start = beginIdempotent(this.#snapshot, scope, options.idempotencyKey, options.fingerprint, this.clock.now());
      if (start.kind === "replay") return { status: start.status, body: start.body as T, replayed: true };
      recordKey = start.recordKey;
    }
    try {
      const body = await work();
      if (recordKey) completeIdempotent(this.#snapshot, recordKey, status, body);
      this.#changed();
      return { status, body, replayed: false };
    } catch (error) {
      if (recordKey) abandonIdempotent(this.#snapshot, recordKey);
      this.#changed();
      throw error;
    }
  }

  async #deployRecord(caller: Caller, instance: InstanceRecord, origin: string): Promise<DeployResponse> {
    const now = this.clock.now();
    const previous = { status: instance.status, config: instance.config };
    try {
      if (instance.status === "deploying") throw new PlatformError(ApiErrorCode.Conflict, "This instance is being deployed already.");
      const integration = this.#integration(instance.integrationId);
      const draft = assertDeployable(this.#snapshot, caller, integration, instance);
      instance.status = "deploying";
      instance.config = effectiveConfig(integration, draft);
      for (const flow of integration.flows) {
        if (flow.trigger.kind === "webhook" && !instance.webhookTokens[flow.id]) {
          instance.webhookTokens[flow.id] = newSecretToken();
          this.#tokens.set(instance.webhookTokens[flow.id], { instanceId: instance.id, flowId: flow.id });
        }
      }
      instance.updatedAt = now;
      this.#changed();

      const executions: Execution[] = [];
      for (const flow of integration.flows.filter((f) => f.trigger.kind === "deploy")) {
        executions.push(await this.#runAndRecord(instance, flow, "deploy", null).promise);
      }
      const done = this.clock.now();
      instance.status = "deployed";
      instance.deployedAt = done;
      instance.updatedAt = done;
      openInterval(this.#snapshot, instance, done);
      this.scheduler.register(instance);
      return { instance: presentInstance(this.#snapshot, this.catalog, instance, origin), executions };
    } catch (error) {
      if (instance.status === "deploying") {
        instance.status = previous.status;
        instance.config = previous.config;
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
    const instance = ownInstance(this.#snapshot, caller, id);
    requireAdmin(caller, running ? "resume instances" : "pause instances");
    if (instance.status === "draft" || instance.status === "deploying") {
      throw new PlatformError(ApiErrorCode.Conflict, running ? "Only a paused instance can be resumed." : "Only a deployed instance can be paused.");
    }
    if (instance.status === (running ? "paused" : "deployed")) {
      const now = this.clock.now();
      instance.status = running ? "deployed" : "paused";
      instance.updatedAt = now;
      if (running) {
        openInterval(this.#snapshot, instance, now);
        this.scheduler.register(instance);
      } else {
        closeInterval(this.#snapshot, instance.id, now);
        this.scheduler.unregister(instance);
      }
      this.#changed();
    }
    return presentInstance(this.#snapshot, this.catalog, instance, origin);
  }

  /** Runs the removal flows (a failure does not block), then removes the instance. */
  async deleteInstance(caller: Caller, id: string): Promise<DeleteInstanceResponse> {
    const instance = ownInstance(this.#snapshot, caller, id);
    requireAdmin(caller, "delete instances");
    if (instance.status === "deploying") throw new PlatformError(ApiErrorCode.Conflict, "This instance is being deployed; try again shortly.");
    const integration = this.catalog.get(instance.integrationId);
    const executions: Execution[] = [];
    if (instance.deployedAt !== undefined && integration) {
      for (const flow of integration.flows.filter((f) => f.trigger.kind === "removal")) {
        executions.push(await this.#runAndRecord(instance, flow, "removal", null).promise);
      }
    }
    const now = this.clock.now();
    closeInterval(this.#snapshot, instance.id, now);
    this.scheduler.unregister(instance);
    for (const token of Object.values(instance.webhookTokens)) this.#tokens.delete(token);
    for (const executionId of this.#executionIds(instance.id)) delete this.#snapshot.executions[executionId];
    this.#executionsByInstance.delete(instance.id);
    for (const [alertId, alert] of Object.entries(this.#snapshot.alerts)) if (alert.instanceId === instance.id) delete this.#snapshot.alerts[alertId];
    delete this.#snapshot.instances[instance.id];
    delete this.#snapshot.drafts[instance.id];
    this.#changed();
    return { instanceId: instance.id, executions };
  }

  // -------------------------------------------------------------------------------------------
  // Organization API: the organization acting on any of its customers' instances

  /** Verifies an `Authorization: Bearer org_…` header (401 ORG_KEY_INVALID otherwise). */
  authenticateOrganization(authorization: string | null): Promise<OrganizationRecord> {
    return authenticateOrganization(this.#snapshot, authorization, this.clock.now());
  }

  /** The organization acting for one of its customers: an admin that is no user of theirs. */
  #actingFor(org: OrganizationRecord, customer: CustomerRecord): Caller {
    const user: UserRecord = {
      id: `org:${org.id}`,
      organizationId: org.id,
      customerId: customer.id,
      subject: `organization:${org.id}`,
      externalId: `organization:${org.id}`,
      name: org.name,
      role: "admin",
      createdAt: customer.createdAt,
      lastSeenAt: customer.createdAt,
    };
    return { organization: org, customer, user, role: "admin", expiresAt: Number.MAX_SAFE_INTEGER };
  }

  #orgCustomer(org: OrganizationRecord, customerId: string): CustomerRecord {
    const customer = Object.hasOwn(this.#snapshot.customers, customerId) ? this.#snapshot.customers[customerId] : undefined;
    if (!customer || customer.organizationId !== org.id) throw new PlatformError(ApiErrorCode.NotFound, `No customer "${customerId}".`);
    return customer;
  }

  /** Any instance of the organization (404 for another organization's), with a caller acting for its customer. */
  #orgInstanceRecord(org: OrganizationRecord, id: string): { instance: InstanceRecord; caller: Caller } {
    const instance = Object.hasOwn(this.#snapshot.instances, id) ? this.#snapshot.instances[id] : undefined;
    if (!instance || instance.organizationId !== org.id) throw new PlatformError(ApiErrorCode.NotFound, `No instance "${id}".`);
    return { instance, caller: this.#actingFor(org, this.#orgCustomer(org, instance.customerId)) };
  }

  #presentForOrg(instance: InstanceRecord, origin: string): OrgInstance {
    const customer = this.#snapshot.customers[instance.customerId];
    return {
      ...presentInstance(this.#snapshot, this.catalog, instance, origin),
      customer: { id: customer.id, externalId: customer.externalId, name: customer.name },
    };
  }

  listCustomers(org: OrganizationRecord): OrgCustomer[] {
    const counts = new Map<string, number>();
    for (const instance of Object.values(this.#snapshot.instances)) {
      if (instance.organizationId === org.id) counts.set(instance.customerId, (counts.get(instance.customerId) ?? 0) + 1);
    }
    return Object.values(this.#snapshot.customers)
      .filter((c) => c.organizationId === org.id)
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
      .map((c) => ({ id: c.id, externalId: c.externalId, name: c.name, createdAt: iso(c.createdAt), instanceCount: counts.get(c.id) ?? 0 }));
  }

  orgIntegrations(): OrgIntegrationList {
    return {
      integrations: this.catalog.integrations.map((i) => {
        const { activation: _a, description: _d, configPages: _p, flows: _f, ...summary } = integrationDetailOf(i, []);
        return summary;
      }),
    };
  }

  orgIntegration(id: string): OrgIntegration {
    const { activation: _a, ...detail } = integrationDetailOf(this.#integration(id), []);
    return detail;
  }

  searchInstances(org: OrganizationRecord, query: OrgInstanceQuery, origin: string): OrgInstancePage {
    const result = searchInstances(this.#snapshot, org.id, query);
    return { instances: result.page.map((i) => this.#presentForOrg(i, origin)), total: result.total, nextCursor: result.nextCursor };
  }

  orgGetInstance(org: OrganizationRecord, id: string, origin: string): OrgInstance {
    return this.#presentForOrg(this.#orgInstanceRecord(org, id).instance, origin);
  }

  /** Sets an instance's labels and/or description (organization-only metadata). */
  orgUpdateInstance(org: OrganizationRecord, id: string, update: OrgInstanceUpdate, origin: string): OrgInstance {
    const { instance } = this.#orgInstanceRecord(org, id);
    if (update.description === undefined && update.labels === undefined) {
      throw new PlatformError(ApiErrorCode.BadRequest, 'Send "labels", "description" or both.');
    }
    if (update.description !== undefined) instance.description = update.description;
    if (update.labels !== undefined) instance.labels = [...new Set(update.labels)];
    instance.updatedAt = this.clock.now();
    this.#changed();
    return this.#presentForOrg(instance, origin);
  }

  /**
   * Deploys a new instance for a customer with every config value at once. The values are
   * validated page by page exactly as the customer's wizard saves them; any problem answers
   * VALIDATION_FAILED with every failing field (and the first failing page) and creates nothing.
   */
  async orgDeploy(
    org: OrganizationRecord,
    customerId: string,
    request: OrgDeployRequest,
    options: { origin: string; idempotencyKey?: string; fingerprint: string },
  ): Promise<{ status: number; body: OrgDeployResponse; replayed: boolean }> {
    const customer = this.#orgCustomer(org, customerId);
    const caller = this.#actingFor(org, customer);
    return this.#idempotent(`org:${org.id}`, options, 201, async () => {
      const integration = this.#integration(request.integrationId);
      const now = this.clock.now();
      const instance = newDraft(org.id, customer.id, integration, now, {
        name: request.name ?? integration.name,
        description: request.description ?? "",
        labels: [...new Set(request.labels ?? [])],
      });
      this.#snapshot.instances[instance.id] = instance;
      const discard = () => {
        delete this.#snapshot.instances[instance.id];
        delete this.#snapshot.drafts[instance.id];
      };
      const fields: Record<string, string> = {};
      let firstPage: string | undefined;
      const known = new Set(this.catalog.fields(integration).map((f) => f.field.key));
      for (const key of Object.keys(request.values)) {
        if (!known.has(key)) fields[key] = `"${integration.name}" has no config variable "${key}".`;
      }
      for (const page of integration.configPages) {
        const values = Object.fromEntries(page.fields.filter((f) => Object.hasOwn(request.values, f.key)).map((f) => [f.key, request.values[f.key]]));
        try {
          saveConfigPage(this.#snapshot, caller, integration, instance, page.name, values, now);
        } catch (error) {
          if (!(error instanceof PlatformError) || error.code !== ApiErrorCode.ValidationFailed) {
            discard();
            throw error;
          }
          Object.assign(fields, error.fields ?? {});
          firstPage ??= page.name;
        }
      }
      if (Object.keys(fields).length > 0) {
        discard();
        throw new PlatformError(ApiErrorCode.ValidationFailed, `Some values for "${integration.name}" need attention.`, {
          fields,
          ...(firstPage ? { page: firstPage } : {}),
        });
      }
      try {
        const deployed = await this.#deployRecord(caller, instance, options.origin);
        return { instance: this.#presentForOrg(instance, options.origin), executions: deployed.executions };
      } catch (error) {
        if (instance.deployedAt === undefined) discard();
        throw error;
      }
    });
  }

  orgPause(org: OrganizationRecord, id: string, origin: string): OrgInstance {
    const { caller } = this.#orgInstanceRecord(org, id);
    this.pause(caller, id, origin);
    return this.orgGetInstance(org, id, origin);
  }

  orgResume(org: OrganizationRecord, id: string, origin: string): OrgInstance {
    const { caller } = this.#orgInstanceRecord(org, id);
    this.resume(caller, id, origin);
    return this.orgGetInstance(org, id, origin);
  }

  orgDelete(org: OrganizationRecord, id: string): Promise<DeleteInstanceResponse> {
    return this.deleteInstance(this.#orgInstanceRecord(org, id).caller, id);
  }

  orgExecutions(org: OrganizationRecord, id: string): Execution[] {
    return this.listExecutions(this.#orgInstanceRecord(org, id).caller, id);
  }

  // -------------------------------------------------------------------------------------------
  // Executions and alerts

  #publicExecution(stored: StoredExecution): Execution {
    const { organizationId: _o, customerId: _c, ...execution } = stored;
    return execution;
  }

  listExecutions(caller: Caller, id: string): Execution[] {
    const instance = ownInstance(this.#snapshot, caller, id);
    return [...this.#executionIds(instance.id)]
      .reverse()
      .map((executionId) => this.#snapshot.executions[executionId])
      .filter((e): e is StoredExecution => e !== undefined)
      .map((e) => this.#publicExecution(e));
  }

  getExecution(caller: Caller, id: string, executionId: string): Execution {
    const instance = ownInstance(this.#snapshot, caller, id);
    const stored = Object.hasOwn(this.#snapshot.executions, executionId) ? this.#snapshot.executions[executionId] : undefined;
    if (!stored || stored.instanceId !== instance.id) throw new PlatformError(ApiErrorCode.NotFound, `No execution "${executionId}".`);
    return this.#publicExecution(stored);
  }

  listAlerts(caller: Caller, id: string): Alert[] {
    const instance = ownInstance(this.#snapshot, caller, id);
    return Object.values(this.#snapshot.alerts)
      .filter((a) => a.instanceId === instance.id)
      .sort((a, b) => b.at.localeCompare(a.at))
      .map(({ organizationId: _o, customerId: _c, ...alert }) => alert);
  }

  getAlertMonitors(caller: Caller, id: string): AlertMonitors {
    return { ...ownInstance(this.#snapshot, caller, id).alertMonitors };
  }

  setAlertMonitors(caller: Caller, id: string, monitors: AlertMonitors): AlertMonitors {
    const instance = ownInstance(this.#snapshot, caller, id);
    requireAdmin(caller, "change alert monitors");
    instance.alertMonitors = { ...monitors };
    instance.updatedAt = this.clock.now();
    this.#changed();
    return { ...instance.alertMonitors };
  }

  /** Starts a flow run: records a running execution now; `promise` resolves with the finished one. */
  #runAndRecord(
    instance: InstanceRecord,
    flow: FlowDefinition,
    trigger: Execution["trigger"],
    payload: unknown,
  ): { executionId: string; promise: Promise<Execution> } {
    const integration = this.#integration(instance.integrationId);
    const customer = this.#snapshot.customers[instance.customerId];
    const executionId = newId("exe");
    const startedAt = this.clock.now();
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
    this.#snapshot.executions[executionId] = running;
    const ids = this.#executionIds(instance.id);
    ids.push(executionId);
    while (ids.length > MAX_EXECUTIONS_PER_INSTANCE) delete this.#snapshot.executions[ids.shift()!];
    this.#changed();

    const forcedFailure =
      trigger === "deploy" && this.rehearsal.deployTriggersFail ? "Rehearsal: every deploy trigger fails." : undefined;
    const promise = runFlow(
      { snapshot: this.#snapshot, clock: this.clock, latency: this.appLatency, ...(forcedFailure ? { forcedFailure } : {}) },
      { executionId, integration, flow, instance, customer, trigger, payload },
    ).then((execution) => {
      // The instance may have been deleted while the flow ran: then the record is gone too.
      if (Object.hasOwn(this.#snapshot.executions, executionId)) {
        this.#snapshot.executions[executionId] = { ...execution, organizationId: instance.organizationId, customerId: instance.customerId };
        if (Object.hasOwn(this.#snapshot.instances, instance.id)) raiseAlerts(this.#snapshot, instance, execution, this.clock.now());
        this.#changed();
      }
      return execution;
    });
    return { executionId, promise: this.#track(promise) };
  }

  // -------------------------------------------------------------------------------------------
  // Webhooks

  /** Checks a webhook token before its body is read: 404 unknown, 409 paused or not deployed. */
  webhookTarget(token: string): { instance: InstanceRecord; flow: FlowDefinition } {
    const target = this.#tokens.get(token);
    const instance = target && Object.hasOwn(this.#snapshot.instances, target.instanceId) ? this.#snapshot.instances[target.instanceId] : undefined;
    let flow: FlowDefinition | undefined;
    // A loop, not find(callback): this runs twice per webhook call.
    if (instance) {
      for (const f of this.catalog.get(instance.integrationId)?.flows ?? []) {
        if (f.id === target!.flowId) {
          flow = f;
          break;
        }
      }
    }
    if (!target || !instance || !flow) throw new PlatformError(ApiErrorCode.NotFound, "No webhook at this URL.");
    if (instance.status === "paused") throw new PlatformError(ApiErrorCode.InstancePaused, "This instance is paused; its flows do not run until it is resumed.");
    if (instance.deployedAt === undefined) throw new PlatformError(ApiErrorCode.Conflict, "This instance is not deployed yet.");
    return { instance, flow };
  }

  /** Runs a webhook flow with `payload` (null when the body was empty). */
  async webhook(token: string, payload: unknown, options: { async: boolean }): Promise<WebhookResult> {
    const { instance, flow } = this.webhookTarget(token);
    const run = this.#runAndRecord(instance, flow, "webhook", payload);
    if (options.async) return { mode: "async", executionId: run.executionId };
    const execution = await run.promise;
    const response: WebhookResponse = { executionId: execution.id, status: execution.status };
    if (execution.output !== undefined) response.output = execution.output;
    if (execution.error !== undefined) response.error = execution.error;
    return { mode: "sync", response };
  }

  // -------------------------------------------------------------------------------------------
  // Connections and OAuth

  #connectionField(instance: InstanceRecord, key: string) {
    const field = this.catalog.fields(this.#integration(instance.integrationId)).find((f) => f.field.key === key)?.field;
    if (!field || field.type !== "connection") throw new PlatformError(ApiErrorCode.NotFound, `No connection field "${key}".`);
    return field;
  }

  /** Tests a connection: the typed value (omitted secrets = stored ones) or the stored one. */
  testConnection(caller: Caller, id: string, key: string, input?: ConnectionInput): ConnectionTestResult {
    const instance = ownInstance(this.#snapshot, caller, id);
    requireAdmin(caller, "test connections");
    const field = this.#connectionField(instance, key);
    const draft = draftOf(this.#snapshot, instance);
    const stored = Object.hasOwn(draft.values, key) && isStoredConnection(draft.values[key]) ? (draft.values[key] as StoredConnection) : undefined;
    let connection: StoredConnection | undefined;
    const value = input ?? stored;
    if (value?.kind === "api-key") {
      const apiKey = (value as { apiKey?: string }).apiKey || (stored?.kind === "api-key" ? stored.apiKey : "");
      connection = { kind: "api-key", apiKey };
    } else if (value?.kind === "basic") {
      const password = (value as { password?: string }).password || (stored?.kind === "basic" && stored.username === value.username ? stored.password : "");
      connection = { kind: "basic", username: value.username, password };
    } else if (value?.kind === "oauth2") {
      connection = { kind: "oauth2", grantId: value.grantId };
    }
    const app = field.connection.app;
    if (!connection || connection.kind !== field.connection.kind) {
      const empty: ConnectionTestResult["state"] =
        field.connection.kind === "api-key"
          ? { kind: "api-key" }
          : field.connection.kind === "basic"
            ? { kind: "basic", username: "" }
            : { kind: "oauth2", status: "pending" };
      return { ok: false, message: `Enter the ${app} credentials first.`, state: empty };
    }
    const auth = authenticateConnection(this.#snapshot, app, caller.organization.id, caller.customer.id, connection);
    const state: ConnectionTestResult["state"] =
      connection.kind === "api-key"
        ? { kind: "api-key", ...(connection.apiKey ? { apiKey: { secret: "set" as const } } : {}) }
        : connection.kind === "basic"
          ? { kind: "basic", username: connection.username, ...(connection.password ? { password: { secret: "set" as const } } : {}) }
          : { kind: "oauth2", status: auth.ok ? "active" : "error", ...(auth.ok ? { account: auth.account } : {}) };
    return auth.ok
      ? { ok: true, message: `Connected to ${app} as ${auth.account}.`, state }
      : { ok: false, message: auth.message, state };
  }

  startOAuth(caller: Caller, id: string, key: string, origin: string): OAuthStartResponse {
    const instance = ownInstance(this.#snapshot, caller, id);
    requireAdmin(caller, "connect accounts");
    const field = this.#connectionField(instance, key);
    if (field.connection.kind !== "oauth2") throw new PlatformError(ApiErrorCode.BadRequest, `"${key}" is not an OAuth connection.`);
    const started = startAuthorization(
      this.#snapshot,
      {
        organizationId: caller.organization.id,
        customerId: caller.customer.id,
        instanceId: instance.id,
        connectionKey: key,
        app: field.connection.app,
        scopes: [...(field.connection.scopes ?? [])],
      },
      origin,
      this.clock.now(),
    );
    this.#changed();
    return started;
  }

  /** The mock provider's view of a pending authorization (for its consent page). */
  oauthAuthorization(state: string): OAuthAuthorization | undefined {
    return pendingAuthorization(this.#snapshot, state, this.clock.now());
  }

  /** The mock provider's Allow/Deny: the URL to redirect the browser to, or undefined. */
  oauthDecide(state: string, allow: boolean): string | undefined {
    const target = decide(this.#snapshot, state, allow && !this.rehearsal.oauthDenies, this.clock.now());
    this.#changed();
    return target;
  }

  /** The mock provider's token endpoint. */
  oauthToken(code: string, redirectUri: string): { ok: true; grant: OAuthGrant } | { ok: false; error: string; message: string } {
    const result = exchangeCode(this.#snapshot, code, redirectUri, this.clock.now());
    this.#changed();
    return result;
  }

  /** The platform's OAuth callback. */
  oauthCallback(query: { state: string | null; code: string | null; error: string | null }): OAuthOutcome {
    const outcome = completeAuthorization(this.#snapshot, query, this.clock.now());
    this.#changed();
    return outcome;
  }

  // -------------------------------------------------------------------------------------------
  // Usage and mocked apps

  usage(caller: Caller, from: number, to: number): UsageReport {
    if (!(from < to)) throw new PlatformError(ApiErrorCode.BadRequest, "The usage period must have from < to.");
    return usageReport(this.#snapshot, caller.customer.id, from, Math.min(to, this.clock.now()), this.clock.now());
  }

  /** What a mocked third-party app holds for a customer (to check a flow's visible work). */
  appRecords(app: string, customerId: string): AppData {
    return structuredClone(this.#snapshot.apps[appDataKey(app, customerId)] ?? {});
  }
}

export function createPlatform(options: PlatformOptions = {}): Platform {
  return new Platform(options);
}
