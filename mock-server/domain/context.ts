/**
 * What every part of the platform shares: the records (tables in memory, see store.ts) and the
 * executions, the way a write is announced (`changed(kind, id)`, see changes.ts), the clock, the
 * catalog, the rehearsal switches, and the background work still running. Each domain module
 * (access, instances, executions, webhooks, alerts, connections, org-admin, usage) takes this
 * and nothing global; platform.ts builds one and wires the modules together.
 *
 * Every write to a record is followed by `changed(kind, id)`: that is what reaches disk or
 * IndexedDB, record by record, before the answer that reports it leaves.
 */
import { ApiErrorCode, PlatformError } from "./errors.ts";
import type { Clock } from "./clock.ts";
import type { Catalog } from "./catalog.ts";
import type { RehearsalFlags } from "./scenario.ts";
import type { InstanceRecord, RecordKindName, Snapshot } from "./store.ts";
import type { Store } from "./changes.ts";
import type { ExecutionStore } from "./execution-store.ts";
import type { PlatformPolicy } from "./policy.ts";
import type { IntegrationDefinition } from "../../contract/catalog.ts";
import { IntegrationVersions } from "./integration-versions.ts";
import { PlatformEvents } from "./platform-events.ts";

export class PlatformContext {
  readonly #listeners = new Set<() => void>();
  /** Background work still running (async webhooks, scheduled runs), and who waits for none. */
  #inFlight = 0;
  #idleWaiters: Array<() => void> = [];
  /**
   * Requests being answered (`enter`/`leave`), and who waits for none: only the stop waits for
   * them, not `idle()`, which tests and transports call to let background work end while a
   * long poll (a live tail waiting up to 25 s) may still be open.
   */
  #requests = 0;
  #requestWaiters: Array<() => void> = [];
  /**
   * One function for every tracked promise's end, either way: a count, not a set of promises
   * with a `finally` and a `catch` each (two closures and three promises per webhook call).
   */
  readonly #settled = (): void => {
    if (--this.#inFlight > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  };
  /** The records in memory, one table per kind. */
  readonly snapshot: Snapshot;
  readonly executions: ExecutionStore;
  /** Every version of every integration, per organization (built-in ones and published ones). */
  readonly versions: IntegrationVersions;
  /** What happened, for whoever must be told (outgoing notifications); emitted with the write it reports. */
  readonly events = new PlatformEvents();

  constructor(
    readonly store: Store,
    readonly clock: Clock,
    readonly catalog: Catalog,
    /** Switches the failure-rehearsal scenarios flip (deploy triggers fail, OAuth denies). */
    readonly rehearsal: RehearsalFlags,
    /** Simulated latency of the mocked third-party apps, by app name (third-party-apps.ts). */
    readonly appLatency: Map<string, number>,
    /** Retention, rate limits and token lifetimes (policy.ts). */
    readonly policy: PlatformPolicy,
  ) {
    this.snapshot = store.tables;
    this.executions = store.executions;
    this.versions = new IntegrationVersions(this.snapshot, catalog);
  }

  /** Announces that these records of `kind` were written or deleted (see the file header). */
  changed(kind: RecordKindName, ...ids: string[]): void {
    this.store.changed(kind, ...ids);
    for (const listener of this.#listeners) listener();
  }

  /** Calls `listener` after every change; returns an unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Keeps `promise` in the background work that `idle()` waits for. */
  track<T>(promise: Promise<T>): Promise<T> {
    this.#inFlight++;
    promise.then(this.#settled, this.#settled);
    return promise;
  }

  /**
   * Counts one piece of work that is no promise of its own (a request being answered) until its
   * `leave()`: a count, so the request's hot path makes no promise and no closure for it.
   */
  enter(): void {
    this.#requests++;
  }

  /** Ends what `enter()` counted (exactly once per `enter`). */
  leave(): void {
    if (--this.#requests > 0) return;
    const waiters = this.#requestWaiters;
    this.#requestWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves when no background work (async webhooks, scheduled runs) is running. */
  async idle(): Promise<void> {
    while (this.#inFlight > 0) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Resolves when no request counted by `enter()` is being answered (the stop's wait). */
  async requestsAnswered(): Promise<void> {
    while (this.#requests > 0) await new Promise<void>((resolve) => this.#requestWaiters.push(resolve));
  }

  /** Stops announcing changes. */
  dispose(): void {
    this.#listeners.clear();
  }

  /** The latest version of an integration the organization offers, or 404. */
  latest(organizationId: string, id: string): IntegrationDefinition {
    const integration = this.versions.latest(organizationId, id);
    if (!integration) throw new PlatformError(ApiErrorCode.NotFound, `No integration "${id}".`);
    return integration;
  }

  /** One version of an integration, or 404. */
  version(organizationId: string, id: string, version: number): IntegrationDefinition {
    const integration = this.versions.get(organizationId, id, version);
    if (!integration) throw new PlatformError(ApiErrorCode.NotFound, `Integration "${id}" has no version ${version}.`);
    return integration;
  }

  /** The version an instance runs (or, never deployed, is set up with). */
  running(instance: InstanceRecord): IntegrationDefinition {
    return this.version(instance.organizationId, instance.integrationId, instance.integrationVersion ?? 1);
  }

  /** The version whose pages the wizard edits: an upgrade's while one is in progress, else the one it runs. */
  editing(instance: InstanceRecord): IntegrationDefinition {
    const upgrade = Object.hasOwn(this.snapshot.drafts, instance.id) ? this.snapshot.drafts[instance.id].upgrade : undefined;
    return upgrade ? this.version(instance.organizationId, instance.integrationId, upgrade.toVersion) : this.running(instance);
  }

}
