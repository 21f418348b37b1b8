/**
 * The customer's view of their integrations at work: the dashboard, the logs and their live
 * tail, usage, alert monitors and alerts. Customer JWT only; every answer holds the caller's own
 * customer's data (A10), and every change needs the admin role (A9).
 */
import { paths } from "../../../contract/api.ts";
import { alertQuery, executionChangesQuery, executionPageQuery, usageQuery } from "../../../contract/api-observe.ts";
import { ApiErrorCode as C } from "../../../contract/errors.ts";
import { PlatformError } from "../../domain/errors.ts";
import { usageSpan } from "../request-input.ts";
import type { Route } from "../route.ts";
import { customerApi } from "../route-builder.ts";

export const observeRoutes: Route[] = [
  customerApi.get(paths.dashboard, {
    id: "getDashboard", ok: [200, "The dashboard", "Dashboard"],
    summary: "The customer's dashboard: each activated instance with its health (needs-reconnect, failing, paused, update-available, active), its runs and failures of the last 24 hours and its unresolved alerts; the newest failed runs; usage over the current and the previous billing period",
  }, ({ platform, caller }) => platform.dashboard.get(caller)),

  customerApi.get(paths.executions, {
    id: "listAllExecutions", query: executionPageQuery, ok: [200, "One page of runs", "ExecutionPage"], errors: [C.InvalidCursor, C.NotFound],
    summary: "The logs: runs of every instance of the customer, newest first, one page at a time (`limit`, default 50, at most 200; `cursor` = the previous page's nextCursor). Filters combine with AND; `q` finds text in a log line or the error and quotes up to 3 matching lines",
  }, ({ platform, caller, query }) => platform.logs.page(caller, query)),

  customerApi.get(paths.executionChanges, {
    id: "listExecutionChanges", query: executionChangesQuery, ok: [200, "What changed", "ExecutionChanges"], errors: [C.NotFound],
    summary: "The live tail: runs matching the filters that started or changed (a log line, a step, the end) since `cursor`, newest first. Without `cursor`: none, and the cursor to start from. With `wait` (seconds, at most 25) an answer with nothing waits for a change (long poll). `reset: true`: the cursor is no longer known (a restart, or more than a page changed): load the first page again",
  }, ({ platform, caller, query: { wait, ...filters } }) => platform.logs.changes(caller, filters, (wait ?? 0) * 1000)),

  customerApi.get(paths.usage, {
    id: "getUsage", query: usageQuery, ok: [200, "Usage", "UsageReport"],
    summary: "Enabled time (billed) and paused time (shown, not billed) of the customer's instances over a billing period (`period`: current or previous calendar month, UTC) or over `from`–`to` (ISO times; default the last 30 days)",
  }, ({ platform, query, caller }) => {
    const span = usageSpan(query, platform.clock.now());
    return typeof span === "string" ? platform.usage.period(caller, span) : platform.usage.report(caller, span.from, span.to);
  }),

  customerApi.get(paths.instanceMonitors, { id: "listMonitors", params: ["instanceId"], summary: "The instance's alert monitors", ok: [200, "Monitors", "AlertMonitorList"], errors: [C.NotFound] },
    ({ platform, params, caller }) => ({ monitors: platform.monitors.list(caller, params.instanceId) })),

  customerApi.post(paths.instanceMonitors, {
    id: "createMonitor", params: ["instanceId"], body: "AlertMonitorInput", ok: [201, "Created", "AlertMonitor"], errors: [C.Forbidden, C.NotFound, C.ValidationFailed],
    summary: "Add an alert monitor (admins). Settings outside their ranges, or a flow the instance does not have: 422 VALIDATION_FAILED with a message per field",
  }, ({ platform, params, caller, body }) => platform.monitors.create(caller, params.instanceId, body)),

  customerApi.put(paths.instanceMonitor, {
    id: "updateMonitor", params: ["instanceId", "monitorId"], body: "AlertMonitorInput", ok: [200, "Updated", "AlertMonitor"], errors: [C.Forbidden, C.NotFound, C.ValidationFailed],
    summary: "Replace an alert monitor's settings (admins); what it had counted so far starts again",
  }, ({ platform, params, caller, body }) => platform.monitors.update(caller, params.instanceId, params.monitorId, body)),

  customerApi.delete(paths.instanceMonitor, {
    id: "deleteMonitor", params: ["instanceId", "monitorId"], ok: [200, "The instance's monitors left", "AlertMonitorList"], errors: [C.Forbidden, C.NotFound],
    summary: "Remove an alert monitor (admins); its alerts stay. Answers the monitors left",
  }, ({ platform, params, caller }) => {
    platform.monitors.delete(caller, params.instanceId, params.monitorId);
    return { monitors: platform.monitors.list(caller, params.instanceId) };
  }),

  customerApi.get(paths.alerts, {
    id: "listAllAlerts", query: alertQuery, ok: [200, "One page of alerts", "AlertPage"], errors: [C.InvalidCursor, C.NotFound],
    summary: "Alerts of every instance of the customer, newest first, one page at a time (`status`: open, acknowledged, resolved or unresolved; `instance`; `limit`, default 50, at most 200; `cursor`)",
  }, ({ platform, caller, query }) => {
    platform.monitors.sweep();
    return platform.alerts.page(caller, query);
  }),

  customerApi.get(paths.instanceAlerts, {
    id: "listAlerts", params: ["instanceId"], query: alertQuery, ok: [200, "One page of alerts", "AlertPage"], errors: [C.InvalidCursor, C.NotFound],
    summary: "The instance's alerts, newest first, one page at a time (the same query as GET /alerts, without `instance`)",
  }, ({ platform, caller, params, query }) => {
    if (query.instance !== undefined) throw new PlatformError(C.BadRequest, "The instance is in the path; leave out \"instance\".");
    platform.monitors.sweep();
    return platform.alerts.page(caller, { ...query, instance: params.instanceId });
  }),

  customerApi.post(paths.alertAcknowledge, {
    id: "acknowledgeAlert", params: ["alertId"], ok: [200, "The alert", "Alert"], errors: [C.Forbidden, C.NotFound, C.Conflict],
    summary: "Acknowledge an alert: someone is on it (admins). Twice changes nothing; a resolved alert answers 409",
  }, ({ platform, params, caller }) => platform.alerts.acknowledge(caller, params.alertId)),

  customerApi.post(paths.alertResolve, {
    id: "resolveAlert", params: ["alertId"], ok: [200, "The alert", "Alert"], errors: [C.Forbidden, C.NotFound],
    summary: "Resolve an alert: it is over (admins). Twice changes nothing; the monitor may raise a new one once its quiet period has passed",
  }, ({ platform, params, caller }) => platform.alerts.resolve(caller, params.alertId)),
];
