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
import { createEmptySnapshot, parseSnapshot, type Snapshot } from "./store.ts";
import { loadCatalog, type Catalog } from "./catalog.ts";
import { PlatformContext } from "./context.ts";
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
import { OrgAdmin } from "./org-admin.ts";
import { Usage } from "./usage.ts";
import { MockApps } from "./third-party-apps.ts";
import type { OrganizationRegistration } from "./organizations.ts";

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
  readonly orgAdmin: OrgAdmin;
  readonly usage: Usage;
  readonly apps: MockApps;
  readonly #ctx: PlatformContext;

  constructor(options: PlatformOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.scenario = new ScenarioSwitch(this.rehearsal, this.clock);
    this.catalog = loadCatalog(options.catalog ?? catalogFixture);
    const restored = options.snapshot !== undefined;
    const ctx = new PlatformContext(restored ? parseSnapshot(options.snapshot) : createEmptySnapshot(), this.clock, this.catalog, this.rehearsal, new Map());
    this.#ctx = ctx;
    this.access = new Access(ctx);
    for (const registration of options.organizations ?? []) this.access.putOrganization(registration);
    this.executions = new Executions(ctx);
    this.webhooks = new Webhooks(ctx, this.executions);
    this.alerts = new Alerts(ctx);
    this.scheduler = new Scheduler({
      snapshot: () => ctx.snapshot,
      catalog: this.catalog,
      clock: this.clock,
      run: (instance, flow) => this.executions.run(instance, flow, "schedule", null).promise,
      changed: () => ctx.changed(),
    });
    this.instances = new Instances(ctx, { executions: this.executions, webhooks: this.webhooks, alerts: this.alerts, scheduler: this.scheduler });
    this.orgAdmin = new OrgAdmin(ctx, this.instances, this.executions);
    this.marketplace = new Marketplace(ctx);
    this.connections = new Connections(ctx);
    this.usage = new Usage(ctx);
    this.apps = new MockApps(ctx);
    if (restored) {
      // Work that died with the previous process: keys of requests in flight, a deploy half-way,
      // executions that never ended.
      pruneIdempotency(ctx.snapshot, this.clock.now(), true);
      this.instances.recoverAfterRestart();
      this.executions.recoverAfterRestart();
    }
    this.scheduler.restore();
    if (options.autoSchedule ?? this.clock === systemClock) this.scheduler.start();
  }

  /** The live state, JSON-serialisable. Serialise it right away; do not keep or mutate it. */
  snapshot(): Snapshot {
    return this.#ctx.snapshot;
  }

  /** Calls `listener` after every change to the state; returns an unsubscribe function. */
  onChange(listener: () => void): () => void {
    return this.#ctx.onChange(listener);
  }

  /** Resolves when no background work (async webhooks, scheduled runs) is running. */
  idle(): Promise<void> {
    return this.#ctx.idle();
  }

  dispose(): void {
    this.scheduler.stop();
    this.#ctx.dispose();
  }
}

export function createPlatform(options: PlatformOptions = {}): Platform {
  return new Platform(options);
}
