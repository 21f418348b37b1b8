/**
 * What a customer sees of their integrations at work, as plain TypeScript (no zod): the
 * dashboard, the logs (execution summaries, pages and live changes), usage, alert monitors and
 * alerts. The zod schemas in api-observe.ts are declared to `satisfies` these, so a field is
 * typed once, and the headless client's published declarations need nothing but these.
 */
import type { Execution, ExecutionStatus, InstanceStatus, LogLine } from "./api-types.ts";

/** What started a run.
 *
 * @example
 * const scheduled = runs.filter((r) => r.trigger === "schedule");
 */
export type ExecutionTrigger = Execution["trigger"];

// ---------------------------------------------------------------------------------------------
// Logs

/**
 * One run as the logs list shows it: who ran what, when, how it ended, and what it is doing now
 * (its newest log line). The whole run (steps, payload, output, every log line) is
 * `GET /instances/{id}/executions/{executionId}`.
 *
 * @example
 * for (const run of (await client.listLogs()).executions) console.log(run.instanceName, run.flowName, run.status, run.lastLog?.message);
 */
export interface ExecutionSummary {
  id: string;
  instanceId: string;
  instanceName: string;
  integrationId: string;
  flowId: string;
  flowName: string;
  trigger: ExecutionTrigger;
  status: ExecutionStatus;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  error?: string;
  /** Log lines so far (a running run's grow). */
  logCount: number;
  /** The newest log line: what a running run is doing now, how a finished one ended. */
  lastLog?: LogLine;
  /** With a text search: up to 3 of the run's log lines that contain the text. */
  matches?: LogLine[];
}

/**
 * Filters of the logs (every one optional; they combine with AND). `from`/`to` are ISO times
 * (`to` exclusive); `q` is case-insensitive text in a log line or the error.
 *
 * @example
 * const failedToday: ExecutionQuery = { status: "failed", from: new Date(Date.now() - 86_400_000).toISOString() };
 */
export interface ExecutionQuery {
  instance?: string;
  flow?: string;
  status?: ExecutionStatus;
  trigger?: ExecutionTrigger;
  from?: string;
  to?: string;
  q?: string;
}

/** One page of runs, newest first; `nextCursor` asks for the next (older) page, null on the last.
 *
 * @example
 * let page = await client.listLogs({ q: "timeout" });
 * while (page.nextCursor) page = await client.listLogs({ q: "timeout", cursor: page.nextCursor });
 */
export interface ExecutionPage {
  executions: ExecutionSummary[];
  nextCursor: string | null;
}

/**
 * What changed since a `cursor` (the live tail): runs that started or changed (a new log line,
 * the end) and match the filters, newest first, and the cursor to ask with next. `reset` means
 * the platform no longer knows that cursor (it restarted, or the caller fell too far behind):
 * load the first page again.
 *
 * @example
 * const { executions, cursor, reset } = changes;
 */
export interface ExecutionChanges {
  executions: ExecutionSummary[];
  cursor: string;
  reset: boolean;
}

// ---------------------------------------------------------------------------------------------
// Usage (billing): enabled time counts, paused time is shown and not counted

/**
 * One instance's time in a usage period.
 *
 * @example
 * const billedHours = usage.instances.map((i) => [i.instanceName, i.enabledSeconds / 3600]);
 */
export interface UsageInstance {
  instanceId: string;
  /** Null when the instance has since been deleted. */
  instanceName: string | null;
  integrationId: string;
  integrationName: string;
  /** False when the instance has since been deleted. */
  exists: boolean;
  /** Time deployed and running within the period: what is billed. */
  enabledSeconds: number;
  /** Time paused within the period: shown, never billed. */
  pausedSeconds: number;
}

/**
 * Usage over a billing period (or a range): enabled time is billed, paused time is shown and not billed.
 *
 * @example
 * const { customer } = await client.getUsage("previous");
 * console.log(`${customer.enabledSeconds} s billed, ${customer.pausedSeconds} s paused`);
 */
export interface UsageReport {
  /** Start of the period (ISO). */
  from: string;
  /** End of the period (ISO, exclusive); the current period ends now. */
  to: string;
  /** `current` or `previous` billing period (calendar months, UTC), or `custom` for from/to. */
  period: "current" | "previous" | "custom";
  customer: { id: string; enabledSeconds: number; pausedSeconds: number };
  instances: UsageInstance[];
}

// ---------------------------------------------------------------------------------------------
// Dashboard

/**
 * How an instance is doing, each state that applies, most urgent first:
 * - `needs-reconnect`: an app refuses one of its connections (revoked, expired, wrong key);
 * - `failing`: its latest finished run failed;
 * - `paused`: it does not run until resumed (and is not billed);
 * - `update-available`: a newer version of its integration is published;
 * - `active`: running, and none of the above.
 *
 * @example
 * const needsAction = (h: InstanceHealth[]) => h.includes("needs-reconnect") || h.includes("failing");
 */
export type InstanceHealth = "needs-reconnect" | "failing" | "paused" | "update-available" | "active";

/**
 * One activated instance on the dashboard: its health, newest run, runs and failures of the last 24 hours, open alerts.
 *
 * @example
 * const broken = (await client.getDashboard()).instances.filter((i) => i.health[0] !== "active");
 */
export interface DashboardInstance {
  id: string;
  name: string;
  integrationId: string;
  integrationName: string;
  status: InstanceStatus;
  /** Every state that applies, most urgent first; never empty. */
  health: InstanceHealth[];
  /** The connection fields an app refuses (with `needs-reconnect`). */
  reconnect: string[];
  /** Its newest run. */
  lastRun?: { executionId: string; status: ExecutionStatus; startedAt: string; flowName: string };
  /** Runs started in the last 24 hours, and how many of them failed. */
  runs24h: number;
  failures24h: number;
  /** Alerts not yet resolved. */
  openAlerts: number;
}

/**
 * The customer's dashboard.
 *
 * @example
 * const { instances, recentFailures, openAlerts, usage } = await client.getDashboard();
 */
export interface Dashboard {
  /** When the platform made it (ISO). */
  at: string;
  /** The customer's activated instances (drafts never deployed are the marketplace's), most urgent first. */
  instances: DashboardInstance[];
  /** The newest failed runs (up to 5). */
  recentFailures: ExecutionSummary[];
  /** Alerts not yet resolved, over every instance. */
  openAlerts: number;
  usage: { current: UsageReport; previous: UsageReport };
}

// ---------------------------------------------------------------------------------------------
// Alert monitors and alerts

/**
 * What a monitor watches: every failed run (`failure`), runs slower than `thresholdSeconds`
 * (`slow`), or no successful run for `periodMinutes` (`no-success`).
 *
 * @example
 * const kinds: MonitorKind[] = ["failure", "slow", "no-success"];
 */
export type MonitorKind = "failure" | "slow" | "no-success";

/**
 * A monitor as created or edited. A `failure` or `slow` monitor raises an alert when
 * `occurrences` matching runs happen within `windowMinutes`; afterwards it stays quiet for
 * `quietMinutes`, and while its alert is not resolved: matching runs in that time are counted
 * into that alert instead of raising new ones (a flood of bad calls raises one alert).
 *
 * @example
 * await client.createMonitor(instanceId, { kind: "failure", occurrences: 5, windowMinutes: 10, quietMinutes: 120 });
 */
export interface AlertMonitorInput {
  kind: MonitorKind;
  /** Shown in lists; default: a description of what it watches. At most 100 characters. */
  name?: string;
  /** Only runs of this flow count; absent: every flow of the instance. */
  flowId?: string;
  /** `slow` (required): a run longer than this many seconds counts (1–86,400). */
  thresholdSeconds?: number;
  /** `no-success` (required): alert when no run succeeded for this many minutes (5–43,200). */
  periodMinutes?: number;
  /** `failure`/`slow`: how many matching runs raise an alert (1–1,000; default 1). */
  occurrences?: number;
  /** `failure`/`slow`: the window those runs must fall in, in minutes (1–1,440; default 60). */
  windowMinutes?: number;
  /** Minutes after an alert during which the monitor raises no other (0–10,080; default 60). */
  quietMinutes?: number;
  /** Default true. */
  enabled?: boolean;
}

/**
 * An alert monitor as the platform keeps it (see `AlertMonitorInput` for what each field means).
 *
 * @example
 * for (const m of await client.listMonitors(instanceId)) console.log(m.name, m.enabled);
 */
export interface AlertMonitor {
  id: string;
  instanceId: string;
  kind: MonitorKind;
  name: string;
  flowId?: string;
  thresholdSeconds?: number;
  periodMinutes?: number;
  occurrences: number;
  windowMinutes: number;
  quietMinutes: number;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/**
 * An instance's monitors.
 *
 * @example
 * const { monitors }: AlertMonitorList = await response.json();
 */
export interface AlertMonitorList {
  monitors: AlertMonitor[];
}

/**
 * What raised an alert: a failed run, a slow run, or no successful run for a period.
 *
 * @example
 * const slow = alerts.filter((a) => a.kind === "execution-slow");
 */
export type AlertKind = "execution-failed" | "execution-slow" | "no-success";

/** `open` until someone acknowledges it (they are on it) or resolves it (it is over).
 *
 * @example
 * const label: Record<AlertStatus, string> = { open: "Open", acknowledged: "Someone is on it", resolved: "Resolved" };
 */
export type AlertStatus = "open" | "acknowledged" | "resolved";

/**
 * An alert a monitor raised, with its life (open, acknowledged, resolved) and the runs counted into it.
 *
 * @example
 * const { alerts } = await client.listAlerts({ status: "unresolved" });
 * await client.acknowledgeAlert(alerts[0].id);
 */
export interface Alert {
  id: string;
  instanceId: string;
  /** The monitor that raised it (absent on alerts raised before monitors could be edited). */
  monitorId?: string;
  kind: AlertKind;
  /** The flow of the run that raised it. */
  flowId?: string;
  /** The run that raised it (a `no-success` alert has none). */
  executionId?: string;
  message: string;
  /** When it was raised (ISO). */
  at: string;
  status: AlertStatus;
  /** Matching runs (or empty periods) it stands for: the ones that raised it and those counted in since. */
  occurrences: number;
  lastOccurredAt: string;
  /** The newest run counted into it. */
  lastExecutionId?: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  resolvedAt?: string;
  resolvedBy?: string;
  /** True when the run it refers to was removed by the retention policy (it answers 410 EXECUTION_EXPIRED). */
  executionExpired?: boolean;
}

/** Filters of the alert list; `unresolved` = open or acknowledged.
 *
 * @example
 * const query: AlertQuery = { status: "open", instance: instanceId };
 */
export interface AlertQuery {
  status?: AlertStatus | "unresolved";
  instance?: string;
}

/**
 * One page of alerts, newest first; `nextCursor` asks for the next page, null on the last.
 *
 * @example
 * const { alerts, nextCursor } = await client.listAlerts({ limit: 20 });
 */
export interface AlertPage {
  alerts: Alert[];
  nextCursor: string | null;
}
