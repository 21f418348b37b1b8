/**
 * The REST API of what a customer sees of their integrations at work (types in
 * observe-types.ts): the dashboard, the logs with their live tail, usage, alert monitors and
 * alerts. Customer-scoped: every answer holds the caller's own customer's data only (A10).
 */
import * as z from "zod/mini";
import { text } from "./text.ts";
import { executionRun, executionStatus, executionTrigger, instanceStatus, logLine } from "./api.ts";
import { pageQuery } from "./page-query.ts";
import type {
  Alert,
  AlertMonitor,
  AlertMonitorInput,
  AlertMonitorList,
  AlertPage,
  Dashboard,
  DashboardInstance,
  ExecutionChanges,
  ExecutionPage,
  ExecutionSummary,
  UsageReport,
} from "./observe-types.ts";

export type * from "./observe-types.ts";

const id = text(64);
const isoTime = z.string();
const count = z.number();

// ---------------------------------------------------------------------------------------------
// Logs

/** Page size of the logs: default and most. */
export const LOG_PAGE_SIZE_DEFAULT = 50;
export const LOG_PAGE_SIZE_MAX = 200;
/** Longest text search. */
export const LOG_SEARCH_MAX_LENGTH = 200;
/** Longest a live-tail request may wait for a change (seconds). */
export const TAIL_WAIT_MAX_SECONDS = 25;

export const executionSummary = z.object({
  id: z.string(),
  instanceId: z.string(),
  instanceName: z.string(),
  integrationId: z.string(),
  ...executionRun,
  error: z.optional(z.string()),
  logCount: count,
  lastLog: z.optional(logLine),
  matches: z.optional(z.array(logLine)),
}) satisfies z.ZodMiniType<ExecutionSummary>;

/** The filters of `GET /executions` and `GET /executions/changes`, as query parameters. */
export const executionQuery = z.strictObject({
  instance: z.optional(id),
  flow: z.optional(id),
  status: z.optional(executionStatus),
  trigger: z.optional(executionTrigger),
  from: z.optional(text(40)),
  to: z.optional(text(40)),
  q: z.optional(text(LOG_SEARCH_MAX_LENGTH)),
});

/** `GET /executions`: the filters, the page size and the previous page's `nextCursor`. */
export const executionPageQuery = z.strictObject({
  ...executionQuery.shape,
  ...pageQuery(LOG_PAGE_SIZE_MAX),
});

/** `GET /executions/changes`: the filters, the cursor of the last answer, and how long to wait for a change. */
export const executionChangesQuery = z.strictObject({
  ...executionQuery.shape,
  cursor: z.optional(text(100)),
  wait: z.optional(z.int().check(z.gte(0), z.lte(TAIL_WAIT_MAX_SECONDS))),
});

export const executionPage = z.object({
  executions: z.array(executionSummary),
  nextCursor: z.nullable(z.string()),
}) satisfies z.ZodMiniType<ExecutionPage>;

export const executionChanges = z.object({
  executions: z.array(executionSummary),
  cursor: z.string(),
  reset: z.boolean(),
}) satisfies z.ZodMiniType<ExecutionChanges>;

// ---------------------------------------------------------------------------------------------
// Usage

export const usageQuery = z.strictObject({
  /** The current or the previous billing period (calendar months, UTC); or `from`/`to`. */
  period: z.optional(z.enum(["current", "previous"])),
  from: z.optional(text(40)),
  to: z.optional(text(40)),
});

export const usageReport = z.object({
  from: isoTime,
  to: isoTime,
  period: z.enum(["current", "previous", "custom"]),
  customer: z.object({ id: z.string(), enabledSeconds: count, pausedSeconds: count }),
  instances: z.array(
    z.object({
      instanceId: z.string(),
      instanceName: z.nullable(z.string()),
      integrationId: z.string(),
      integrationName: z.string(),
      exists: z.boolean(),
      enabledSeconds: count,
      pausedSeconds: count,
    }),
  ),
}) satisfies z.ZodMiniType<UsageReport>;

// ---------------------------------------------------------------------------------------------
// Dashboard

export const instanceHealth = z.enum(["needs-reconnect", "failing", "paused", "update-available", "active"]);

export const dashboardInstance = z.object({
  id: z.string(),
  name: z.string(),
  integrationId: z.string(),
  integrationName: z.string(),
  status: instanceStatus,
  health: z.array(instanceHealth),
  reconnect: z.array(z.string()),
  lastRun: z.optional(z.object({ executionId: z.string(), status: executionStatus, startedAt: isoTime, flowName: z.string() })),
  runs24h: count,
  failures24h: count,
  openAlerts: count,
}) satisfies z.ZodMiniType<DashboardInstance>;

export const dashboard = z.object({
  at: isoTime,
  instances: z.array(dashboardInstance),
  recentFailures: z.array(executionSummary),
  openAlerts: count,
  usage: z.object({ current: usageReport, previous: usageReport }),
}) satisfies z.ZodMiniType<Dashboard>;

// ---------------------------------------------------------------------------------------------
// Alert monitors and alerts

export const monitorKind = z.enum(["failure", "slow", "no-success"]);

/** What a monitor watches, the same as sent and as stored: a flow, and its kind's threshold. */
const monitorTargets = {
  flowId: z.optional(z.string()),
  thresholdSeconds: z.optional(z.number()),
  periodMinutes: z.optional(z.number()),
};

/**
 * A monitor as sent: shapes only. Ranges and what each kind needs are checked by
 * `monitorProblems` (monitor-rules.ts), the same in the frame, the headless client and the
 * platform, which answers 422 VALIDATION_FAILED with a message per field.
 */
export const alertMonitorInput = z.strictObject({
  kind: monitorKind,
  name: z.optional(z.string()),
  ...monitorTargets,
  occurrences: z.optional(z.number()),
  windowMinutes: z.optional(z.number()),
  quietMinutes: z.optional(z.number()),
  enabled: z.optional(z.boolean()),
}) satisfies z.ZodMiniType<AlertMonitorInput>;

export const alertMonitor = z.object({
  id: z.string(),
  instanceId: z.string(),
  kind: monitorKind,
  name: z.string(),
  ...monitorTargets,
  occurrences: count,
  windowMinutes: count,
  quietMinutes: count,
  enabled: z.boolean(),
  createdAt: isoTime,
  updatedAt: isoTime,
}) satisfies z.ZodMiniType<AlertMonitor>;

export const alertMonitorList = z.object({ monitors: z.array(alertMonitor) }) satisfies z.ZodMiniType<AlertMonitorList>;

export const alertStatus = z.enum(["open", "acknowledged", "resolved"]);

export const alert = z.object({
  id: z.string(),
  instanceId: z.string(),
  monitorId: z.optional(z.string()),
  kind: z.enum(["execution-failed", "execution-slow", "no-success"]),
  flowId: z.optional(z.string()),
  executionId: z.optional(z.string()),
  message: z.string(),
  at: isoTime,
  status: alertStatus,
  occurrences: count,
  lastOccurredAt: isoTime,
  lastExecutionId: z.optional(z.string()),
  acknowledgedAt: z.optional(isoTime),
  acknowledgedBy: z.optional(z.string()),
  resolvedAt: z.optional(isoTime),
  resolvedBy: z.optional(z.string()),
  executionExpired: z.optional(z.boolean()),
}) satisfies z.ZodMiniType<Alert>;

export const ALERT_PAGE_SIZE_DEFAULT = 50;
export const ALERT_PAGE_SIZE_MAX = 200;

export const alertQuery = z.strictObject({
  status: z.optional(z.enum(["open", "acknowledged", "resolved", "unresolved"])),
  instance: z.optional(id),
  ...pageQuery(ALERT_PAGE_SIZE_MAX),
});

export const alertPage = z.object({ alerts: z.array(alert), nextCursor: z.nullable(z.string()) }) satisfies z.ZodMiniType<AlertPage>;
