/**
 * The customer's view of their integrations at work: the dashboard, the logs and their live
 * tail, usage, alert monitors and alerts. Customer JWT only; every answer holds the caller's own
 * customer's data (A10), and every change needs the admin role (A9).
 */
import { paths } from "../../../contract/api.ts";
import { alertQuery, executionChangesQuery, executionPageQuery, usageQuery } from "../../../contract/api-observe.ts";
import { ApiErrorCode as C } from "../../../contract/errors.ts";
import { PlatformError } from "../../domain/errors.ts";
import { readJsonBody } from "../request-body.ts";
import { parseQuery, parseTime } from "../request-input.ts";
import { apiRoute, type Route } from "../route.ts";

const DAY_MS = 24 * 3600 * 1000;

export const observeRoutes: Route[] = [
  apiRoute({
    method: "get", path: paths.dashboard, operationId: "getDashboard", tag: "customer", auth: "customer",
    summary: "The customer's dashboard: each activated instance with its health (needs-reconnect, failing, paused, update-available, active), its runs and failures of the last 24 hours and its unresolved alerts; the newest failed runs; usage over the current and the previous billing period",
    responses: [{ status: 200, description: "The dashboard", schema: "Dashboard" }],
    errors: [],
    handle: ({ platform, caller, reply }) => reply(platform.dashboard.get(caller)),
  }),

  apiRoute({
    method: "get", path: paths.executions, operationId: "listAllExecutions", tag: "customer", auth: "customer",
    summary: "The logs: runs of every instance of the customer, newest first, one page at a time (`limit`, default 50, at most 200; `cursor` = the previous page's nextCursor). Filters combine with AND; `q` finds text in a log line or the error and quotes up to 3 matching lines",
    query: executionPageQuery,
    responses: [{ status: 200, description: "One page of runs", schema: "ExecutionPage" }],
    errors: [C.BadRequest, C.InvalidCursor, C.NotFound],
    handle: ({ platform, caller, request, reply }) => reply(platform.logs.page(caller, parseQuery(request, executionPageQuery, ["limit"]))),
  }),

  apiRoute({
    method: "get", path: paths.executionChanges, operationId: "listExecutionChanges", tag: "customer", auth: "customer",
    summary: "The live tail: runs matching the filters that started or changed (a log line, a step, the end) since `cursor`, newest first. Without `cursor`: none, and the cursor to start from. With `wait` (seconds, at most 25) an answer with nothing waits for a change (long poll). `reset: true`: the cursor is no longer known (a restart, or more than a page changed): load the first page again",
    query: executionChangesQuery,
    responses: [{ status: 200, description: "What changed", schema: "ExecutionChanges" }],
    errors: [C.BadRequest, C.NotFound],
    async handle({ platform, caller, request, reply }) {
      const { wait, ...query } = parseQuery(request, executionChangesQuery, ["wait"]);
      return reply(await platform.logs.changes(caller, query, (wait ?? 0) * 1000));
    },
  }),

  apiRoute({
    method: "get", path: paths.usage, operationId: "getUsage", tag: "customer", auth: "customer",
    summary: "Enabled time (billed) and paused time (shown, not billed) of the customer's instances over a billing period (`period`: current or previous calendar month, UTC) or over `from`–`to` (ISO times; default the last 30 days)",
    query: usageQuery,
    responses: [{ status: 200, description: "Usage", schema: "UsageReport" }],
    errors: [C.BadRequest],
    handle({ platform, request, caller, reply }) {
      const query = parseQuery(request, usageQuery);
      if (query.period !== undefined) {
        if (query.from !== undefined || query.to !== undefined) throw new PlatformError(C.BadRequest, "Ask for a period or for from/to, not both.");
        return reply(platform.usage.period(caller, query.period));
      }
      const to = parseTime(query.to ?? null, platform.clock.now(), "to");
      const from = parseTime(query.from ?? null, to - 30 * DAY_MS, "from");
      return reply(platform.usage.report(caller, from, to));
    },
  }),

  apiRoute({
    method: "get", path: paths.instanceMonitors, params: ["instanceId"], operationId: "listMonitors", tag: "customer", auth: "customer",
    summary: "The instance's alert monitors",
    responses: [{ status: 200, description: "Monitors", schema: "AlertMonitorList" }],
    errors: [C.NotFound],
    handle: ({ platform, params, caller, reply }) => reply({ monitors: platform.monitors.list(caller, params.instanceId) }),
  }),

  apiRoute({
    method: "post", path: paths.instanceMonitors, params: ["instanceId"], operationId: "createMonitor", tag: "customer", auth: "customer",
    summary: "Add an alert monitor (admins). Settings outside their ranges, or a flow the instance does not have: 422 VALIDATION_FAILED with a message per field",
    body: { schema: "AlertMonitorInput" },
    responses: [{ status: 201, description: "Created", schema: "AlertMonitor" }],
    errors: [C.BadRequest, C.InvalidJson, C.Forbidden, C.NotFound, C.ValidationFailed],
    async handle({ platform, request, params, caller, reply, parseBody }) {
      const body = parseBody((await readJsonBody(request)).value, "monitor");
      return reply(platform.monitors.create(caller, params.instanceId, body), { status: 201 });
    },
  }),

  apiRoute({
    method: "put", path: paths.instanceMonitor, params: ["instanceId", "monitorId"], operationId: "updateMonitor", tag: "customer", auth: "customer",
    summary: "Replace an alert monitor's settings (admins); what it had counted so far starts again",
    body: { schema: "AlertMonitorInput" },
    responses: [{ status: 200, description: "Updated", schema: "AlertMonitor" }],
    errors: [C.BadRequest, C.InvalidJson, C.Forbidden, C.NotFound, C.ValidationFailed],
    async handle({ platform, request, params, caller, reply, parseBody }) {
      const body = parseBody((await readJsonBody(request)).value, "monitor");
      return reply(platform.monitors.update(caller, params.instanceId, params.monitorId, body));
    },
  }),

  apiRoute({
    method: "delete", path: paths.instanceMonitor, params: ["instanceId", "monitorId"], operationId: "deleteMonitor", tag: "customer", auth: "customer",
    summary: "Remove an alert monitor (admins); its alerts stay. Answers the monitors left",
    responses: [{ status: 200, description: "The instance's monitors left", schema: "AlertMonitorList" }],
    errors: [C.Forbidden, C.NotFound],
    handle({ platform, params, caller, reply }) {
      platform.monitors.delete(caller, params.instanceId, params.monitorId);
      return reply({ monitors: platform.monitors.list(caller, params.instanceId) });
    },
  }),

  apiRoute({
    method: "get", path: paths.alerts, operationId: "listAllAlerts", tag: "customer", auth: "customer",
    summary: "Alerts of every instance of the customer, newest first, one page at a time (`status`: open, acknowledged, resolved or unresolved; `instance`; `limit`, default 50, at most 200; `cursor`)",
    query: alertQuery,
    responses: [{ status: 200, description: "One page of alerts", schema: "AlertPage" }],
    errors: [C.BadRequest, C.InvalidCursor, C.NotFound],
    handle({ platform, caller, request, reply }) {
      const query = parseQuery(request, alertQuery, ["limit"]);
      platform.monitors.sweep();
      return reply(platform.alerts.page(caller, query));
    },
  }),

  apiRoute({
    method: "get", path: paths.instanceAlerts, params: ["instanceId"], operationId: "listAlerts", tag: "customer", auth: "customer",
    summary: "The instance's alerts, newest first, one page at a time (the same query as GET /alerts, without `instance`)",
    query: alertQuery,
    responses: [{ status: 200, description: "One page of alerts", schema: "AlertPage" }],
    errors: [C.BadRequest, C.InvalidCursor, C.NotFound],
    handle({ platform, caller, params, request, reply }) {
      const query = parseQuery(request, alertQuery, ["limit"]);
      if (query.instance !== undefined) throw new PlatformError(C.BadRequest, "The instance is in the path; leave out \"instance\".");
      platform.monitors.sweep();
      return reply(platform.alerts.page(caller, { ...query, instance: params.instanceId }));
    },
  }),

  apiRoute({
    method: "post", path: paths.alertAcknowledge, params: ["alertId"], operationId: "acknowledgeAlert", tag: "customer", auth: "customer",
    summary: "Acknowledge an alert: someone is on it (admins). Twice changes nothing; a resolved alert answers 409",
    responses: [{ status: 200, description: "The alert", schema: "Alert" }],
    errors: [C.Forbidden, C.NotFound, C.Conflict],
    handle: ({ platform, params, caller, reply }) => reply(platform.alerts.acknowledge(caller, params.alertId)),
  }),

  apiRoute({
    method: "post", path: paths.alertResolve, params: ["alertId"], operationId: "resolveAlert", tag: "customer", auth: "customer",
    summary: "Resolve an alert: it is over (admins). Twice changes nothing; the monitor may raise a new one once its quiet period has passed",
    responses: [{ status: 200, description: "The alert", schema: "Alert" }],
    errors: [C.Forbidden, C.NotFound],
    handle: ({ platform, params, caller, reply }) => reply(platform.alerts.resolve(caller, params.alertId)),
  }),
];
