/**
 * What a customer sees of their integrations at work, as plain TypeScript (no zod): the
 * dashboard, the logs (execution summaries, pages and live changes), usage, alert monitors and
 * alerts. The zod schemas in api-observe.ts are declared to `satisfies` these, so a field is
 * typed once, and the headless client's published declarations need nothing but these.
 */
import type { Execution, ExecutionStatus, InstanceStatus, LogLine } from "./api.ts";

/** What started a run. */
export type ExecutionTrigger = Execution["trigger"];

// ---------------------------------------------------------------------------------------------
// Logs

/**
 * One run as the logs list shows it: who ran what, when, how it ended, and what it is doing now
 * (its newest log line). The whole run (steps, payload, output, every log line) is
 * `GET /instances/{id}/executions/{executionId}`.
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

/** One page of runs, newest first; `nextCursor` asks for the next (older) page, null on the last. */
export interface ExecutionPage {
  executions: ExecutionSummary[];
  nextCursor: string | null;
}

/**
 * What changed since a `cursor` (the live tail): runs that started or changed (a new log line,
 * the end) and match the filters, newest first, and the cursor to ask with next. `reset` means
 * the platform no longer knows that cursor (it restarted, or the caller fell too far behind):
 * load the first page again.
 */
export interface ExecutionChanges {
  executions: ExecutionSummary[];
  cursor: string;
  reset: boolean;
}

// ---------------------------------------------------------------------------------------------
// Usage (billing): enabled time counts, paused time is shown and not counted

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
 */
export type InstanceHealth = "needs-reconnect" | "failing" | "paused" | "update-available" | "active";

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
 */
export type MonitorKind = "failure" | "slow" | "no-success";

/**
 * A monitor as created or edited. A `failure` or `slow` monitor raises an alert when
 * `occurrences` matching runs happen within `windowMinutes`; afterwards it stays quiet for
 * `quietMinutes`, and while its alert is not resolved: matching runs in that time are counted
 * into that alert instead of raising new ones (a flood of bad calls raises one alert).
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

export interface AlertMonitorList {
  monitors: AlertMonitor[];
}

export type AlertKind = "execution-failed" | "execution-slow" | "no-success";

/** `open` until someone acknowledges it (they are on it) or resolves it (it is over). */
export type AlertStatus = "open" | "acknowledged" | "resolved";

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

/** Filters of the alert list; `unresolved` = open or acknowledged. */
export interface AlertQuery {
  status?: AlertStatus | "unresolved";
  instance?: string;
}

export interface AlertPage {
  alerts: Alert[];
  nextCursor: string | null;
}
