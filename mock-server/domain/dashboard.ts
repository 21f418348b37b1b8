/**
 * The customer's dashboard: each activated instance with its health, the newest failures, the
 * alerts not yet resolved, and usage over the current and the previous billing period. Built
 * from the caller's own records only (A10).
 *
 * Health, most urgent first (InstanceHealth): an app refusing a stored connection means the
 * customer must reconnect (the same check the app does on every run: a revoked OAuth grant, a
 * refused key); the latest finished run failing means failing; paused; a newer integration
 * version published means an update is available; otherwise active.
 */
import { iso } from "./clock.ts";
import { customerInstances } from "./instance-records.ts";
import { instanceVersion } from "./catalog.ts";
import { versionOf } from "../../contract/catalog.ts";
import { authenticateConnection } from "./third-party-apps.ts";
import type { Dashboard as DashboardAnswer, DashboardInstance, InstanceHealth } from "../../contract/api-observe.ts";
import { DomainService } from "./service.ts";
import type { Alerts } from "./alerts.ts";
import { newerFirst } from "./execution-store.ts";
import type { Logs } from "./logs.ts";
import type { Monitors } from "./monitors.ts";
import type { Caller } from "./sessions.ts";
import type { InstanceRecord, StoredExecution } from "./store.ts";
import { credentialsOf } from "./connection-records.ts";
import type { Usage } from "./usage.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const RECENT_FAILURES = 5;
const HEALTH_ORDER: readonly InstanceHealth[] = ["needs-reconnect", "failing", "paused", "update-available", "active"];

export interface DashboardParts {
  logs: Logs;
  alerts: Alerts;
  monitors: Monitors;
  usage: Usage;
}

export class Dashboard extends DomainService<DashboardParts> {
  /** The connection fields of `instance` its apps refuse now. */
  reconnectNeeded(instance: InstanceRecord): string[] {
    const integration = this.ctx.catalog.get(instance.integrationId);
    const fields = integration?.configPages.flatMap((page) => page.fields) ?? [];
    const refused: string[] = [];
    for (const field of fields) {
      const value = credentialsOf(this.ctx.snapshot, instance, instance.config[field.key]);
      if (field.type !== "connection" || !value) continue;
      const auth = authenticateConnection(this.ctx.snapshot, field.connection.app, instance.organizationId, instance.customerId, value);
      if (!auth.ok) refused.push(field.key);
    }
    return refused;
  }

  /** Whether a newer version of the instance's integration is published (issue 15's versions). */
  updateAvailable(instance: InstanceRecord): boolean {
    const latest = this.ctx.versions.latest(instance.organizationId, instance.integrationId);
    return latest !== undefined && instanceVersion(instance) < versionOf(latest);
  }

  /** The instance's newest run that ended (none in the last 24 hours: older ones are looked up by status). */
  #lastFinished(scope: { organizationId: string; customerId: string }, instanceId: string): StoredExecution | undefined {
    const [failed] = this.ctx.executions.page({ ...scope, instanceId, status: "failed" }, { limit: 1 });
    const [succeeded] = this.ctx.executions.page({ ...scope, instanceId, status: "succeeded" }, { limit: 1 });
    if (!failed || !succeeded) return failed ?? succeeded;
    return newerFirst(failed, succeeded) < 0 ? failed : succeeded;
  }

  get(caller: Caller): DashboardAnswer {
    const { logs, alerts, monitors, usage } = this.parts;
    const { executions } = this.ctx;
    monitors.sweep();
    const now = this.ctx.clock.now();
    const open = alerts.unresolvedByInstance(caller);
    const scope = { organizationId: caller.organization.id, customerId: caller.customer.id };
    const instances: DashboardInstance[] = [];
    for (const instance of customerInstances(this.ctx.snapshot, caller)) {
      if (instance.deployedAt === undefined) continue;
      const recent = executions.page({ ...scope, instanceId: instance.id, from: now - DAY_MS }, { limit: Number.MAX_SAFE_INTEGER });
      const [newest] = recent.length > 0 ? recent : executions.page({ ...scope, instanceId: instance.id }, { limit: 1 });
      const lastFinished = recent.find((e) => e.status !== "running") ?? this.#lastFinished(scope, instance.id);
      const reconnect = this.reconnectNeeded(instance);
      const health = new Set<InstanceHealth>();
      if (reconnect.length > 0) health.add("needs-reconnect");
      if (lastFinished?.status === "failed") health.add("failing");
      if (instance.status === "paused") health.add("paused");
      if (this.updateAvailable(instance)) health.add("update-available");
      if (health.size === 0) health.add("active");
      instances.push({
        id: instance.id,
        name: instance.name,
        integrationId: instance.integrationId,
        integrationName: this.ctx.catalog.get(instance.integrationId)?.name ?? instance.integrationId,
        status: instance.status,
        health: HEALTH_ORDER.filter((h) => health.has(h)),
        reconnect,
        ...(newest ? { lastRun: { executionId: newest.id, status: newest.status, startedAt: newest.startedAt, flowName: newest.flowName } } : {}),
        runs24h: recent.length,
        failures24h: recent.filter((e) => e.status === "failed").length,
        openAlerts: open.get(instance.id) ?? 0,
      });
    }
    const urgency = (i: DashboardInstance) => HEALTH_ORDER.indexOf(i.health[0]);
    instances.sort((a, b) => urgency(a) - urgency(b) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    const failures = executions.page({ ...scope, status: "failed" }, { limit: RECENT_FAILURES });
    return {
      at: iso(now),
      instances,
      recentFailures: failures.map((e) => logs.summary(e)),
      openAlerts: [...open.values()].reduce((sum, n) => sum + n, 0),
      usage: { current: usage.period(caller, "current"), previous: usage.period(caller, "previous") },
    };
  }
}
