/**
 * The platform: the composition root that builds the domain's parts on one shared context
 * (context.ts) and wires them together. Each part serves one noun — who may call (access), the
 * marketplace, instances and their deploys, executions, webhooks, alerts, connections and OAuth,
 * the organization's own API (orgAdmin), usage, the mocked apps — and none knows about HTTP: the
 * route table (http/) translates requests to these calls and back. Every write announces itself
 * (`onChange`), which is how a transport knows when to persist the state.
 */
import { catalogFixture } from "../fixtures/catalog.ts";
import { systemClock, type Clock } from "./clock.ts";
import { createEmptySnapshot, parseRecord, parseSnapshot, recordKinds, RECORD_KIND_NAMES, type RecordKindName, type Snapshot } from "./store.ts";
import { Store, type StoreBackend } from "./changes.ts";
import { MemoryBackend } from "./memory-backend.ts";
import { resolvePolicy, type PlatformPolicy, type PolicyOptions } from "./policy.ts";
import { loadCatalog, type Catalog } from "./catalog.ts";
import { PlatformContext } from "./context.ts";
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { ScenarioSwitch, type RehearsalFlags } from "./scenario.ts";
import { Scheduler } from "./scheduler.ts";
import { pruneIdempotency } from "./idempotency.ts";
import { Access } from "./access.ts";
import { Marketplace } from "./marketplace.ts";
import { Instances } from "./instances.ts";
import { Executions } from "./executions.ts";
import { Webhooks } from "./webhooks.ts";
import { Alerts } from "./alerts.ts";
import { Connections } from "./connections.ts";
import { DataSources } from "./data-sources.ts";
import { OrgAdmin } from "./org-admin.ts";
import { Usage } from "./usage.ts";
import { Monitors } from "./monitors.ts";
import { Logs } from "./logs.ts";
import { Dashboard } from "./dashboard.ts";
import { Upgrades } from "./upgrades.ts";
import { Runs } from "./runs.ts";
import { MockApps } from "./third-party-apps.ts";
import { Notifications, type NotificationOptions } from "./notifications.ts";
import { ReconnectNotices } from "./reconnect-notices.ts";
import { OrgActivity } from "./org-activity.ts";
import type { OrganizationRegistration } from "./organizations.ts";

export interface PlatformOptions {
  /** Time source; tests pass a manual clock (createManualClock) and advance it. */
  clock?: Clock;
  /**
   * Where records and executions are kept (persistence/: SQLite on a server, IndexedDB in a
   * browser); default: memory (`MemoryBackend`). Its records are loaded and validated at start.
   */
  backend?: StoreBackend;
  /** A whole-state snapshot of an earlier version (version 1) to import into the backend; validated first. */
  snapshot?: unknown;
  /** Retention, webhook rate limit, token lifetime (policy.ts); defaults documented there. */
  policy?: PolicyOptions;
  /** Integration definitions; defaults to the built-in catalog fixture. Validated at load. */
  catalog?: readonly unknown[];
  /** Organizations to register (or update) at start. */
  organizations?: readonly OrganizationRegistration[];
  /** Start the scheduler's real timer (default: true with the system clock, false with another clock). */
  autoSchedule?: boolean;
  /** How long a data source waits for the third-party app (default 10 s), then answers 504 DATA_SOURCE_TIMEOUT. */
  dataSourceTimeoutMs?: number;
  /** Outgoing notifications: the transport's sender, and the local development mode (notifications.ts). */
  notifications?: NotificationOptions;
}

export class Platform {
  readonly clock: Clock;
  readonly catalog: Catalog;
  /** Rehearsal switches (issue 4 scenarios) that change how the platform behaves, not what it stores. */
  readonly rehearsal: RehearsalFlags = { deployTriggersFail: false, oauthDenies: false };
  /** Failure rehearsal (issue 4): `scenario.set({ scenario: "flaky" })`; drives `rehearsal` too. */
  readonly scenario: ScenarioSwitch;
  readonly scheduler: Scheduler;
  readonly access: Access;
  readonly marketplace: Marketplace;
  readonly instances: Instances;
  readonly executions: Executions;
  readonly webhooks: Webhooks;
  readonly alerts: Alerts;
  readonly connections: Connections;
  readonly dataSources: DataSources;
  readonly orgAdmin: OrgAdmin;
  readonly usage: Usage;
  readonly monitors: Monitors;
  readonly logs: Logs;
  readonly dashboard: Dashboard;
  readonly upgrades: Upgrades;
  /** Test runs, replays and the organization's bulk replay (runs.ts). */
  readonly runs: Runs;
  readonly apps: MockApps;
  readonly notifications: Notifications;
  readonly orgActivity: OrgActivity;
  readonly policy: PlatformPolicy;
  readonly #ctx: PlatformContext;
  readonly #store: Store;
  #sweepTimer: ReturnType<typeof setInterval> | undefined;
  /** Set by `close()`: requests are refused (admitRequest) and no source starts new work. */
  #stopping = false;

  constructor(options: PlatformOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.scenario = new ScenarioSwitch(this.rehearsal, this.clock);
    this.catalog = loadCatalog(options.catalog ?? catalogFixture);
    this.policy = resolvePolicy(options.policy);
    const backend = options.backend ?? new MemoryBackend();
    const tables = createEmptySnapshot();
    for (const { kind, id, record } of backend.loadRecords()) {
      if (!Object.hasOwn(recordKinds, kind)) {
        console.warn(`[emporium platform] skipping a stored record of an unknown kind "${kind}" (written by another version?)`);
        continue;
      }
      (tables[kind as RecordKindName] as Record<string, unknown>)[id] = parseRecord(kind as RecordKindName, id, record);
    }
    const store = new Store(backend, tables);
    this.#store = store;
    if (options.snapshot !== undefined) {
      const legacy = parseSnapshot(options.snapshot);
      for (const kind of RECORD_KIND_NAMES) {
        Object.assign(tables[kind], legacy.tables[kind]);
        store.changed(kind, ...Object.keys(legacy.tables[kind]));
      }
      for (const execution of legacy.executions.sort((a, b) => a.startedAt.localeCompare(b.startedAt))) store.executions.add(execution);
    }
    const ctx = new PlatformContext(store, this.clock, this.catalog, this.rehearsal, new Map(), this.policy);
    this.#ctx = ctx;
    this.access = new Access(ctx);
    // Listens from the start, so every event of this process queues its deliveries.
    this.notifications = new Notifications(ctx, options.notifications);
    for (const registration of options.organizations ?? []) this.access.putOrganization(registration);
    this.executions = new Executions(ctx);
    // A run that finds a connection refused tells the organization once, as the rehearsal does.
    const reconnectNotices = new ReconnectNotices(ctx);
    this.executions.onConnectionRefused = (instance, connectionKey, reason) => reconnectNotices.tell(instance, connectionKey, reason);
    this.webhooks = new Webhooks(ctx, this.executions);
    this.alerts = new Alerts(ctx);
    this.monitors = new Monitors(ctx);
    this.executions.onEnded = (instance, execution) => {
      if (execution.status === "failed") ctx.events.emit({ type: "execution.failed", instance, execution });
      this.monitors.observe(instance, execution);
    };
    this.logs = new Logs(ctx, { executions: this.executions });
    this.scheduler = new Scheduler({
      snapshot: () => ctx.snapshot,
      definitionOf: (instance) => ctx.versions.get(instance.organizationId, instance.integrationId, instance.integrationVersion ?? 1),
      clock: this.clock,
      run: (instance, flow) => this.executions.run(instance, flow, "schedule", null).promise,
      changed: (instanceIds) => ctx.changed("instances", ...instanceIds),
    });
    this.dataSources = new DataSources(ctx, options.dataSourceTimeoutMs);
    this.upgrades = new Upgrades(ctx);
    this.instances = new Instances(ctx, {
      dataSources: this.dataSources,
      executions: this.executions,
      webhooks: this.webhooks,
      alerts: this.alerts,
      monitors: this.monitors,
      scheduler: this.scheduler,
      upgrades: this.upgrades,
    });
    this.runs = new Runs(ctx, { executions: this.executions });
    this.orgAdmin = new OrgAdmin(ctx, this.instances, this.executions, this.upgrades);
    this.marketplace = new Marketplace(ctx);
    this.connections = new Connections(ctx);
    this.scenario.onRevoke = (app) => {
      this.connections.revokeAll(app);
      // What stopped working is told to the organization's backend (connection.reconnect_needed),
      // once per running instance and connection field the app now refuses.
      for (const instance of Object.values(ctx.snapshot.instances)) {
        if (instance.status !== "deployed" && instance.status !== "paused") continue;
        for (const connectionKey of this.dashboard.reconnectNeeded(instance)) {
          reconnectNotices.tell(instance, connectionKey, "The app refuses the saved credentials (revoked or changed): the customer must reconnect.");
        }
      }
    };
    this.usage = new Usage(ctx);
    this.dashboard = new Dashboard(ctx, { logs: this.logs, alerts: this.alerts, monitors: this.monitors, usage: this.usage });
    this.apps = new MockApps(ctx);
    this.orgActivity = new OrgActivity(ctx, { logs: this.logs, alerts: this.alerts });
    // Work that died with the previous process: keys of requests in flight, a deploy half-way,
    // executions that never ended. (Nothing to do on an empty store.)
    pruneIdempotency(ctx.snapshot, this.clock.now(), true);
    this.instances.recoverAfterRestart();
    this.executions.recoverAfterRestart();
    this.scheduler.restore();
    if (options.autoSchedule ?? this.clock === systemClock) {
      this.scheduler.start();
      // The age part of the retention policy, for instances that got no new execution lately.
      const sweep = () => {
        this.executions.sweep();
        this.instances.sweepRemoved();
      };
      sweep();
      this.#sweepTimer = setInterval(sweep, 10 * 60 * 1000);
      this.#sweepTimer.unref?.();
      this.monitors.start();
      this.notifications.start();
    }
  }

  /** The records in memory (executions are in the ExecutionStore). Serialise it right away; do not keep or mutate it. */
  snapshot(): Snapshot {
    return this.#ctx.snapshot;
  }

  /** Resolves once every change made so far is durable (see changes.ts); routes await it before answering. */
  commit(): Promise<void> {
    return this.#store.commit();
  }

  /** Calls `listener` after every change to the state; returns an unsubscribe function. */
  onChange(listener: () => void): () => void {
    return this.#ctx.onChange(listener);
  }

  /**
   * Lets a request in (every transport's handlers call it first): once the platform is stopping,
   * throws 503 SERVICE_UNAVAILABLE with Retry-After, before the request changed anything. An
   * admitted request is work the stop waits for: the caller calls `requestDone()` exactly once
   * when it has answered (its changes committed or refused).
   */
  admitRequest(): void {
    this.refuseWhileStopping();
    this.#ctx.enter();
  }

  /**
   * Throws admitRequest's 503 SERVICE_UNAVAILABLE (Retry-After) once the platform is stopping,
   * without admitting anything: for a request admitted later than it arrives (a webhook, once its
   * body is here), refused first all the same, before any lookup or rate-limit token.
   */
  refuseWhileStopping(): void {
    if (this.#stopping) throw new PlatformError(ApiErrorCode.ServiceUnavailable, "The platform is stopping; retry in a moment.", { retryAfterSeconds: 1 });
  }

  /** An admitted request has been answered (see admitRequest). */
  requestDone(): void {
    this.#ctx.leave();
  }

  /**
   * Resolves when no background work (async webhooks, scheduled runs) is running. Requests being
   * answered are not waited for (a live tail's long poll may be open): only the stop waits for them.
   */
  idle(): Promise<void> {
    return this.#ctx.idle();
  }

  /** Every source of new work stops: the scheduler, the retention sweep, the monitors' sweep, notifications, live tails' waits. */
  #stopSources(): void {
    this.scheduler.stop();
    if (this.#sweepTimer) clearInterval(this.#sweepTimer);
    this.#sweepTimer = undefined;
    this.monitors.stop();
    // Deliveries in flight are cut off, not waited for (a slow endpoint would hold the stop for
    // its whole timeout); they stay pending and the next start sends them.
    this.notifications.stop();
    this.executions.feed.stop();
  }

  /** Stops the timers (scheduler, retention sweep) and change listeners; the backend stays open (see close). */
  dispose(): void {
    this.#stopSources();
    this.#ctx.dispose();
  }

  /**
   * Stops, bounded by construction (docs/operations.md "How the platform stops"): first nothing
   * starts new work (requests are refused with 503, the timers stop, a scheduler tick ends with
   * the runs it started), then the work already running ends (runs, admitted requests), then
   * what is pending is committed and the backend closed. A run the process dies in before it
   * ends is failed by the next start (Executions.recoverAfterRestart).
   */
  async close(): Promise<void> {
    this.#stopping = true;
    this.#stopSources();
    // The admitted requests first: one may still start background work (a respond-async run);
    // once they are answered nothing can, so the background work then only ends.
    await this.#ctx.requestsAnswered();
    await this.idle();
    this.dispose();
    await this.#store.close();
  }
}

export function createPlatform(options: PlatformOptions = {}): Platform {
  return new Platform(options);
}
