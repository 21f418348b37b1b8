/**
 * Alerts: what the alert monitors (monitors.ts) raised, and their life: `open` when raised,
 * `acknowledged` when someone is on it, `resolved` when it is over. Customers list them (over
 * every instance, or one), newest first, a page at a time; admins acknowledge and resolve them.
 * Nothing here crosses customers: every query is scoped to the caller's customer (A10).
 */
import { iso } from "./clock.ts";
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { instanceInScope, type DataScope } from "./instance-records.ts";
import { requireAdmin, type Caller } from "./sessions.ts";
import { decodePosition, encodePosition } from "./page-cursor.ts";
import { ALERT_PAGE_SIZE_DEFAULT, type Alert, type AlertPage, type AlertQuery } from "../../contract/api-observe.ts";
import type { PlatformContext } from "./context.ts";
import type { AlertRecord, Snapshot } from "./store.ts";
import { executionExpired } from "./execution-expiry.ts";
import { keyOf, TableIndex } from "./table-index.ts";

/** An alert as its customer sees it; one whose run retention removed says so (the run answers 410). */
export function publicAlert({ organizationId: _o, customerId: _c, ...alert }: AlertRecord, snapshot: Snapshot): Alert {
  const executionId = alert.lastExecutionId ?? alert.executionId;
  return executionId !== undefined && executionExpired(snapshot, alert.instanceId, executionId) ? { ...alert, executionExpired: true } : alert;
}

/** Newest first; ties by id, so a cursor position is exact. */
function newerFirst(a: { at: string; id: string }, b: { at: string; id: string }): number {
  if (a.at !== b.at) return a.at > b.at ? -1 : 1;
  return a.id > b.id ? -1 : a.id < b.id ? 1 : 0;
}

const unresolved = (alert: Alert) => alert.status !== "resolved";

export class Alerts {
  readonly #ctx: PlatformContext;

  constructor(ctx: PlatformContext) {
    this.#ctx = ctx;
    // Alerts written before they had a life: open, counted once.
    for (const alert of Object.values(ctx.snapshot.alerts) as Array<Partial<AlertRecord> & AlertRecord>) {
      if (alert.status !== undefined) continue;
      alert.status = "open";
      alert.occurrences ??= 1;
      alert.lastOccurredAt ??= alert.at;
      ctx.changed("alerts", alert.id);
    }
  }

  /** One page of the caller's alerts, newest first: every instance's, or one's (`instance`). */
  page(caller: Caller, query: AlertQuery & { limit?: number; cursor?: string } = {}): AlertPage {
    const { alerts, nextCursor } = this.scopedPage({ organizationId: caller.organization.id, customerId: caller.customer.id }, query);
    return { alerts: alerts.map((a) => this.#public(a)), nextCursor };
  }

  /** One page of the alert records in `scope` (a customer's, or an organization's across its customers), newest first. */
  scopedPage(scope: DataScope, query: AlertQuery & { limit?: number; cursor?: string } = {}): { alerts: AlertRecord[]; nextCursor: string | null } {
    const instanceId = query.instance !== undefined ? instanceInScope(this.#ctx.snapshot, scope, query.instance).id : undefined;
    const after = query.cursor !== undefined ? decodePosition(query.cursor) : undefined;
    const limit = query.limit ?? ALERT_PAGE_SIZE_DEFAULT;
    const candidates =
      instanceId !== undefined
        ? this.#ofInstance(instanceId)
        : scope.customerId !== undefined
          ? this.#ofCustomer(scope.organizationId, scope.customerId)
          : Object.values(this.#ctx.snapshot.alerts);
    const matching = candidates
      .filter(
        (a) =>
          (scope.customerId === undefined || a.customerId === scope.customerId) &&
          a.organizationId === scope.organizationId &&
          (query.status === undefined || (query.status === "unresolved" ? unresolved(a) : a.status === query.status)) &&
          (after === undefined || newerFirst(a, { at: after.time, id: after.id }) > 0),
      )
      .sort(newerFirst);
    const page = matching.slice(0, limit);
    const last = page[page.length - 1];
    return { alerts: page, nextCursor: matching.length > limit ? encodePosition(last.at, last.id) : null };
  }

  /** Alerts not yet resolved, per instance of the caller's customer. */
  unresolvedByInstance(caller: Caller): Map<string, number> {
    const counts = new Map<string, number>();
    for (const a of this.#ofCustomer(caller.organization.id, caller.customer.id)) {
      if (!unresolved(a)) continue;
      counts.set(a.instanceId, (counts.get(a.instanceId) ?? 0) + 1);
    }
    return counts;
  }

  /** Someone is on it. Acknowledging twice changes nothing; a resolved alert cannot be (409). */
  acknowledge(caller: Caller, alertId: string): Alert {
    const alert = this.#own(caller, alertId);
    requireAdmin(caller, "acknowledge alerts");
    if (alert.status === "resolved") throw new PlatformError(ApiErrorCode.Conflict, "This alert is already resolved.");
    if (alert.status === "open") {
      alert.status = "acknowledged";
      alert.acknowledgedAt = iso(this.#ctx.clock.now());
      alert.acknowledgedBy = caller.user.name;
      this.#ctx.changed("alerts", alert.id);
    }
    return this.#public(alert);
  }

  /** It is over. Resolving twice changes nothing. */
  resolve(caller: Caller, alertId: string): Alert {
    const alert = this.#own(caller, alertId);
    requireAdmin(caller, "resolve alerts");
    if (alert.status !== "resolved") {
      alert.status = "resolved";
      alert.resolvedAt = iso(this.#ctx.clock.now());
      alert.resolvedBy = caller.user.name;
      this.#ctx.changed("alerts", alert.id);
      const { instances } = this.#ctx.snapshot;
      this.#ctx.events.emit({ type: "alert.resolved", instance: Object.hasOwn(instances, alert.instanceId) ? instances[alert.instanceId] : undefined, alert });
    }
    return this.#public(alert);
  }

  /** Resolves every unresolved alert of an instance being deactivated (nothing will run to fix them); they stay as history. */
  resolveAll(instanceId: string, by: string): void {
    const now = iso(this.#ctx.clock.now());
    for (const alert of Object.values(this.#ctx.snapshot.alerts)) {
      if (alert.instanceId !== instanceId || alert.status === "resolved") continue;
      alert.status = "resolved";
      alert.resolvedAt = now;
      alert.resolvedBy = by;
      this.#ctx.changed("alerts", alert.id);
    }
  }

  /** Removes every alert of an instance whose kept record's retention ran out. */
  forget(instanceId: string): void {
    for (const alert of this.#ofInstance(instanceId)) {
      delete this.#ctx.snapshot.alerts[alert.id];
      this.#ctx.changed("alerts", alert.id);
    }
  }

  #ofCustomer(organizationId: string, customerId: string): AlertRecord[] {
    return TableIndex.of(this.#ctx.snapshot, "alerts", "customer", (a) => keyOf(a.organizationId, a.customerId)).records(keyOf(organizationId, customerId));
  }

  #ofInstance(instanceId: string): AlertRecord[] {
    return TableIndex.of(this.#ctx.snapshot, "alerts", "instance", (a) => a.instanceId).records(instanceId);
  }

  /** An alert as its customer sees it (retention marked). */
  present(alert: AlertRecord): Alert {
    return this.#public(alert);
  }

  #public(alert: AlertRecord): Alert {
    return publicAlert(alert, this.#ctx.snapshot);
  }

  /** The caller's alert, or 404 (also for another customer's: no existence leak). */
  #own(caller: Caller, alertId: string): AlertRecord {
    const { snapshot } = this.#ctx;
    const alert = Object.hasOwn(snapshot.alerts, alertId) ? snapshot.alerts[alertId] : undefined;
    if (!alert || alert.customerId !== caller.customer.id || alert.organizationId !== caller.organization.id) {
      throw new PlatformError(ApiErrorCode.NotFound, `No alert "${alertId}".`);
    }
    return alert;
  }
}
