/**
 * The customer's view of their integrations at work, on the one validated `call`: the
 * dashboard, the logs (a page, one run, what changed since a cursor), usage, alert monitors and
 * alerts. The frame's dashboard screen and the headless client both use these; the live tail's
 * loop over `executionChanges` is tail.ts.
 */
import { execution, paths } from "../contract/api.ts";
import {
  alert,
  alertMonitor,
  alertMonitorList,
  alertPage,
  dashboard,
  executionChanges,
  executionPage,
  usageReport,
  type AlertMonitorInput,
  type AlertQuery,
  type ExecutionQuery,
} from "../contract/api-observe.ts";
import type { Call } from "./call.ts";

/** `?a=1&b=2` of the defined, non-empty values; "" when there are none. */
export function queryString(query: object): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== "") search.set(key, String(value));
  const text = search.toString();
  return text && "?" + text;
}

export type PageOptions = { limit?: number; cursor?: string };

export const observeApi = (call: Call) => ({
  dashboard: () => call(dashboard, paths.dashboard()),
  /** One page of runs of every instance, newest first. */
  listExecutions: (query: ExecutionQuery & PageOptions = {}) => call(executionPage, paths.executions() + queryString(query)),
  /** One run with its steps, payload, output and log lines (a running one: so far). */
  getExecution: (instanceId: string, executionId: string) => call(execution, paths.instanceExecution(instanceId, executionId)),
  /** Runs that changed since `cursor` (none and a first cursor without one); `wait` seconds of long poll. */
  executionChanges: (query: ExecutionQuery, cursor?: string, wait?: number) =>
    call(executionChanges, paths.executionChanges() + queryString({ ...query, cursor, wait })),
  usage: (period: { period: "current" | "previous" } | { from: string; to: string }) => call(usageReport, paths.usage() + queryString(period)),
  listMonitors: (instanceId: string) => call(alertMonitorList, paths.instanceMonitors(instanceId)),
  createMonitor: (instanceId: string, monitor: AlertMonitorInput) => call(alertMonitor, paths.instanceMonitors(instanceId), { method: "post", json: monitor }),
  /** PUT of the whole monitor: the same request twice changes nothing, so it may be retried. */
  updateMonitor: (instanceId: string, monitorId: string, monitor: AlertMonitorInput) =>
    call(alertMonitor, paths.instanceMonitor(instanceId, monitorId), { method: "put", json: monitor }),
  deleteMonitor: (instanceId: string, monitorId: string) => call(alertMonitorList, paths.instanceMonitor(instanceId, monitorId), { method: "delete" }),
  /** One instance's alerts, newest first. */
  listInstanceAlerts: (instanceId: string, query: Omit<AlertQuery, "instance"> & PageOptions = {}) =>
    call(alertPage, paths.instanceAlerts(instanceId) + queryString(query)),
  /** Alerts of every instance (or `instance`), newest first. */
  listAlerts: (query: AlertQuery & PageOptions = {}) => call(alertPage, paths.alerts() + queryString(query)),
  acknowledgeAlert: (alertId: string) => call(alert, paths.alertAcknowledge(alertId), { method: "post", json: {} }),
  resolveAlert: (alertId: string) => call(alert, paths.alertResolve(alertId), { method: "post", json: {} }),
});
export type ObserveApi = ReturnType<typeof observeApi>;
