/**
 * Alert monitors: per instance, what should raise an alert — a failed run, a run slower than a
 * threshold, or no successful run within a period — and how often. Customers list them; admins
 * create, edit and delete them (a viewer gets 403, A9).
 *
 * Floods raise one alert, not hundreds (P3). A `failure` or `slow` monitor counts matching runs
 * and raises an alert once `occurrences` of them fall within `windowMinutes`. After that, while
 * its alert is unresolved or for `quietMinutes` after it was raised, matching runs are counted
 * into that alert (`occurrences`, `lastOccurredAt`) instead of raising new ones. A `no-success`
 * monitor is checked over time (`sweep`, on a timer and before each read of alerts): a running
 * instance with no successful run for `periodMinutes` raises an alert, and each further empty
 * period counts into it the same way.
 *
 * A new instance gets two monitors on its first deploy (any failed run; a run over 30 s), as
 * every instance had before monitors could be edited; instances stored with the old per-instance
 * switches are given the same as monitor records when the platform loads them.
 */
import { iso } from "./clock.ts";
import { newId } from "./ids.ts";
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { ownInstance } from "./instance-records.ts";
import { requireAdmin, type Caller } from "./sessions.ts";
import { TableIndex } from "./table-index.ts";
import { intervalsOf } from "./usage.ts";
import { MONITOR_DEFAULTS, MONITOR_FIELDS, monitorProblems, type MonitorField, type MonitorProblem } from "../../contract/monitor-rules.ts";
import type { AlertMonitor, AlertMonitorInput } from "../../contract/api-observe.ts";
import type { Execution } from "../../contract/api.ts";
import type { PlatformContext } from "./context.ts";
import type { AlertRecord, InstanceRecord, MonitorRecord } from "./store.ts";

const MINUTE = 60_000;

/** What an instance watches from its first deploy. */
export const DEFAULT_MONITORS: readonly AlertMonitorInput[] = [
  { kind: "failure", occurrences: 1, windowMinutes: 60, quietMinutes: 60 },
  { kind: "slow", thresholdSeconds: 30, occurrences: 1, windowMinutes: 60, quietMinutes: 60 },
];

/** How often the platform looks for instances with no successful run (system clock only). */
export const SWEEP_EVERY_MS = 60_000;

function problemText(field: MonitorField, problem: MonitorProblem): string {
  switch (problem.code) {
    case "required":
      return `${field} is required for this kind of monitor.`;
    case "whole":
      return `${field} must be a whole number.`;
    case "range":
      return `${field} must be between ${problem.min} and ${problem.max}.`;
    case "tooLong":
      return `${field} must be at most ${problem.max} characters.`;
    case "unknownFlow":
      return "This instance has no such flow.";
  }
}

export function publicMonitor(record: MonitorRecord): AlertMonitor {
  const { organizationId: _o, customerId: _c, pending: _p, lastAlertId: _l, lastAlertAt: _a, checkedThrough: _t, ...monitor } = record;
  return monitor;
}

export class Monitors {
  readonly #ctx: PlatformContext;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(ctx: PlatformContext) {
    this.#ctx = ctx;
    // Instances stored with the old per-instance switches get them as monitor records.
    const now = ctx.clock.now();
    for (const instance of Object.values(ctx.snapshot.instances) as Array<InstanceRecord & { alertMonitors?: { failedExecution: boolean; slowerThanMs: number | null } }>) {
      const legacy = instance.alertMonitors;
      if (!legacy) continue;
      delete instance.alertMonitors;
      instance.monitorsInitialized = true;
      ctx.changed("instances", instance.id);
      if (legacy.failedExecution) this.#add(instance, DEFAULT_MONITORS[0], now);
      if (legacy.slowerThanMs !== null) this.#add(instance, { ...DEFAULT_MONITORS[1], thresholdSeconds: Math.max(1, Math.round(legacy.slowerThanMs / 1000)) }, now);
    }
  }

  /** Checks for empty periods every minute, with the system clock (tests call `sweep`). */
  start(): void {
    this.#timer ??= setInterval(() => this.sweep(), SWEEP_EVERY_MS);
    (this.#timer as { unref?: () => void }).unref?.();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  list(caller: Caller, instanceId: string): AlertMonitor[] {
    const instance = ownInstance(this.#ctx.snapshot, caller, instanceId);
    return this.#of(instance.id)
      // Stable: monitors made in the same millisecond keep the order they were made in.
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map(publicMonitor);
  }

  create(caller: Caller, instanceId: string, input: AlertMonitorInput): AlertMonitor {
    const instance = ownInstance(this.#ctx.snapshot, caller, instanceId);
    requireAdmin(caller, "change alert monitors");
    this.#check(instance, input);
    const record = this.#add(instance, input, this.#ctx.clock.now());
    if (!instance.monitorsInitialized) {
      instance.monitorsInitialized = true;
      this.#ctx.changed("instances", instance.id);
    }
    return publicMonitor(record);
  }

  /** Replaces a monitor's settings; what it has counted so far starts again. */
  update(caller: Caller, instanceId: string, monitorId: string, input: AlertMonitorInput): AlertMonitor {
    const instance = ownInstance(this.#ctx.snapshot, caller, instanceId);
    const record = this.#own(instance, monitorId);
    requireAdmin(caller, "change alert monitors");
    this.#check(instance, input);
    const now = this.#ctx.clock.now();
    const next: MonitorRecord = { ...this.#build(instance, input, record.id, record.createdAt, now), lastAlertId: record.lastAlertId, lastAlertAt: record.lastAlertAt };
    if (record.lastAlertId === undefined) delete next.lastAlertId;
    if (record.lastAlertAt === undefined) delete next.lastAlertAt;
    this.#ctx.snapshot.monitors[record.id] = next;
    this.#ctx.changed("monitors", record.id);
    return publicMonitor(next);
  }

  delete(caller: Caller, instanceId: string, monitorId: string): void {
    const instance = ownInstance(this.#ctx.snapshot, caller, instanceId);
    const record = this.#own(instance, monitorId);
    requireAdmin(caller, "change alert monitors");
    delete this.#ctx.snapshot.monitors[record.id];
    this.#ctx.changed("monitors", record.id);
  }

  /** Gives an instance the default monitors, once (its first deploy). */
  initialize(instance: InstanceRecord): void {
    if (instance.monitorsInitialized) return;
    instance.monitorsInitialized = true;
    this.#ctx.changed("instances", instance.id);
    const now = this.#ctx.clock.now();
    for (const input of DEFAULT_MONITORS) this.#add(instance, input, now);
  }

  /** A run ended: each monitor it matches counts it (and may raise an alert). */
  observe(instance: InstanceRecord, execution: Execution): void {
    const now = this.#ctx.clock.now();
    for (const monitor of this.#of(instance.id)) {
      if (!monitor.enabled || (monitor.flowId !== undefined && monitor.flowId !== execution.flowId)) continue;
      const matches =
        (monitor.kind === "failure" && execution.status === "failed") ||
        (monitor.kind === "slow" && monitor.thresholdSeconds !== undefined && (execution.durationMs ?? 0) > monitor.thresholdSeconds * 1000);
      if (!matches) continue;
      this.#occur(instance, monitor, now, execution);
    }
  }

  /**
   * `no-success` monitors: a running instance whose last successful run (or the start of the
   * period, the monitor's creation or the instance's last resume) is `periodMinutes` ago counts
   * one empty period. Cheap when nothing is due; runs before every read of alerts.
   */
  sweep(): void {
    const { snapshot, clock } = this.#ctx;
    const now = clock.now();
    for (const monitor of TableIndex.of(snapshot, "monitors", "kind", (m) => m.kind).records("no-success")) {
      if (!monitor.enabled || monitor.periodMinutes === undefined) continue;
      const instance = Object.hasOwn(snapshot.instances, monitor.instanceId) ? snapshot.instances[monitor.instanceId] : undefined;
      if (!instance || instance.status !== "deployed") continue;
      const period = monitor.periodMinutes * MINUTE;
      const since = Math.max(Date.parse(monitor.updatedAt), monitor.checkedThrough ?? 0, this.#runningSince(instance.id), this.#lastSuccess(instance.id, monitor.flowId));
      if (now - since < period) continue;
      monitor.checkedThrough = now;
      this.#occur(instance, monitor, now);
    }
  }

  /** Removes every monitor of a deleted instance. */
  forget(instanceId: string): void {
    for (const monitor of this.#of(instanceId)) {
      delete this.#ctx.snapshot.monitors[monitor.id];
      this.#ctx.changed("monitors", monitor.id);
    }
  }

  /** One matching run (or empty period): counted into the monitor's latest alert, or towards a new one. */
  #occur(instance: InstanceRecord, monitor: MonitorRecord, now: number, execution?: Execution): void {
    const { snapshot } = this.#ctx;
    // The monitor's counts change whatever happens next; the alert's, when counted into it.
    this.#ctx.changed("monitors", monitor.id);
    const last = monitor.lastAlertId !== undefined && Object.hasOwn(snapshot.alerts, monitor.lastAlertId) ? snapshot.alerts[monitor.lastAlertId] : undefined;
    if (last && (last.status !== "resolved" || now < (monitor.lastAlertAt ?? 0) + monitor.quietMinutes * MINUTE)) {
      last.occurrences++;
      last.lastOccurredAt = iso(now);
      if (execution) last.lastExecutionId = execution.id;
      this.#ctx.changed("alerts", last.id);
      return;
    }
    const windowStart = now - monitor.windowMinutes * MINUTE;
    monitor.pending = [...monitor.pending.filter((t) => t > windowStart), now];
    if (monitor.kind !== "no-success" && monitor.pending.length < monitor.occurrences) return;
    const alert = this.#raise(instance, monitor, now, monitor.kind === "no-success" ? 1 : monitor.pending.length, execution);
    monitor.pending = [];
    monitor.lastAlertId = alert.id;
    monitor.lastAlertAt = now;
  }

  #raise(instance: InstanceRecord, monitor: MonitorRecord, now: number, occurrences: number, execution?: Execution): AlertRecord {
    const at = iso(now);
    const flowId = execution?.flowId ?? monitor.flowId;
    const flowName = execution?.flowName ?? this.#flowName(instance, monitor.flowId);
    const message =
      monitor.kind === "failure"
        ? `"${flowName}" (${execution?.trigger}) failed: ${execution?.error ?? "unknown error"}`
        : monitor.kind === "slow"
          ? `"${flowName}" took ${execution?.durationMs} ms, over the ${monitor.thresholdSeconds! * 1000} ms threshold.`
          : `${monitor.flowId !== undefined ? `"${flowName}" has` : "No flow has"} run successfully in the last ${monitor.periodMinutes} minutes.`;
    const alert: AlertRecord = {
      id: newId("alr"),
      instanceId: instance.id,
      monitorId: monitor.id,
      kind: monitor.kind === "failure" ? "execution-failed" : monitor.kind === "slow" ? "execution-slow" : "no-success",
      ...(flowId !== undefined ? { flowId } : {}),
      ...(execution ? { executionId: execution.id, lastExecutionId: execution.id } : {}),
      message,
      at,
      status: "open",
      occurrences,
      lastOccurredAt: at,
      organizationId: instance.organizationId,
      customerId: instance.customerId,
    };
    this.#ctx.snapshot.alerts[alert.id] = alert;
    this.#ctx.changed("alerts", alert.id);
    this.#ctx.events.emit({ type: "alert.raised", instance, alert });
    return alert;
  }

  #flowName(instance: InstanceRecord, flowId: string | undefined): string {
    return this.#ctx.catalog.get(instance.integrationId)?.flows.find((f) => f.id === flowId)?.name ?? flowId ?? "";
  }

  /** When the instance last started running (deploy or resume). */
  #runningSince(instanceId: string): number {
    let since = 0;
    for (const interval of intervalsOf(this.#ctx.snapshot, instanceId)) {
      if (interval.end === null && !interval.paused) since = Math.max(since, interval.start);
    }
    return since;
  }

  /** When the instance's newest successful run (of `flowId`, when given) ended; 0 when none did. */
  #lastSuccess(instanceId: string, flowId: string | undefined): number {
    const { snapshot, executions } = this.#ctx;
    const instance = snapshot.instances[instanceId];
    const filter = { organizationId: instance.organizationId, instanceId, status: "succeeded" as const, ...(flowId !== undefined ? { flowId } : {}) };
    // Newest started is (nearly always) newest ended; runs overlap by seconds, periods are minutes.
    const [newest] = executions.page(filter, { limit: 1 });
    return newest ? Date.parse(newest.endedAt ?? newest.startedAt) : 0;
  }

  #check(instance: InstanceRecord, input: AlertMonitorInput): void {
    const flows = this.#ctx.catalog.get(instance.integrationId)?.flows.map((f) => f.id) ?? [];
    const problems = Object.entries(monitorProblems(input, flows)) as Array<[MonitorField, MonitorProblem]>;
    if (problems.length === 0) return;
    throw new PlatformError(ApiErrorCode.ValidationFailed, "The monitor has invalid settings.", {
      fields: Object.fromEntries(problems.map(([field, problem]) => [field, problemText(field, problem)])),
    });
  }

  #build(instance: InstanceRecord, input: AlertMonitorInput, id: string, createdAt: string, now: number): MonitorRecord {
    const used = MONITOR_FIELDS[input.kind];
    const record: MonitorRecord = {
      id,
      instanceId: instance.id,
      organizationId: instance.organizationId,
      customerId: instance.customerId,
      kind: input.kind,
      name: input.name?.trim() ?? "",
      occurrences: used.includes("occurrences") ? (input.occurrences ?? MONITOR_DEFAULTS.occurrences) : 1,
      windowMinutes: used.includes("windowMinutes") ? (input.windowMinutes ?? MONITOR_DEFAULTS.windowMinutes) : MONITOR_DEFAULTS.windowMinutes,
      quietMinutes: input.quietMinutes ?? MONITOR_DEFAULTS.quietMinutes,
      enabled: input.enabled ?? MONITOR_DEFAULTS.enabled,
      createdAt,
      updatedAt: iso(now),
      pending: [],
    };
    if (input.flowId !== undefined) record.flowId = input.flowId;
    if (input.kind === "slow") record.thresholdSeconds = input.thresholdSeconds;
    if (input.kind === "no-success") record.periodMinutes = input.periodMinutes;
    return record;
  }

  #add(instance: InstanceRecord, input: AlertMonitorInput, now: number): MonitorRecord {
    const record = this.#build(instance, input, newId("mon"), iso(now), now);
    this.#ctx.snapshot.monitors[record.id] = record;
    this.#ctx.changed("monitors", record.id);
    return record;
  }

  #of(instanceId: string): MonitorRecord[] {
    return TableIndex.of(this.#ctx.snapshot, "monitors", "instance", (m) => m.instanceId).records(instanceId);
  }

  #own(instance: InstanceRecord, monitorId: string): MonitorRecord {
    const { snapshot } = this.#ctx;
    const record = Object.hasOwn(snapshot.monitors, monitorId) ? snapshot.monitors[monitorId] : undefined;
    if (!record || record.instanceId !== instance.id) throw new PlatformError(ApiErrorCode.NotFound, `No monitor "${monitorId}".`);
    return record;
  }
}
