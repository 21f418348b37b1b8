/**
 * The headless client's activity functions (issue 16): the dashboard, the logs with their live
 * tail, usage, alert monitors and alerts, on the shared client core (client/observe-api.ts and
 * client/tail.ts, what the frame's activity screen uses). A chunk of its own
 * (dist/sdk/headless-activity.js), loaded on the first call of one of them: a host that only
 * builds a marketplace never downloads it, and the headless entry stays within its budget.
 */
import { observeApi } from "../../client/observe-api.ts";
import { startTail } from "../../client/tail.ts";
import { chunk, lazy } from "./lazy-chunk.ts";
import type { Call } from "../../client/call.ts";
import type { ExecutionQuery } from "../../contract/observe-types.ts";
import type { Instance } from "../../contract/api-types.ts";
import type { ActivityClient, LogTail, LogTailHandlers, RunsClient } from "./types.ts";

/**
 * `getInstance`: the entry's own. Test runs and replays load one chunk further (runs.ts) on
 * their first call: this chunk only carries the way there.
 */
export function activityClient(call: Call, getInstance: (id: string) => Promise<Instance>): ActivityClient & RunsClient {
  const api = observeApi(call);
  return {
    getDashboard: api.dashboard,
    listLogs: api.listExecutions,
    getExecution: api.getExecution,
    async tailLogs(query: ExecutionQuery, handlers: LogTailHandlers): Promise<LogTail> {
      const { ready, pause, resume, stop } = startTail({ ...handlers, changes: (cursor, wait) => api.executionChanges(query, cursor, wait) });
      await ready;
      return { pause, resume, stop };
    },
    getUsage: (period = "current") => api.usage(typeof period == "string" ? { period } : period),
    listMonitors: async (instanceId) => (await api.listMonitors(instanceId)).monitors,
    createMonitor: api.createMonitor,
    updateMonitor: api.updateMonitor,
    deleteMonitor: async (instanceId, monitorId) => (await api.deleteMonitor(instanceId, monitorId)).monitors,
    listAlerts: api.listAlerts,
    acknowledgeAlert: api.acknowledgeAlert,
    resolveAlert: api.resolveAlert,
    ...lazy<RunsClient>(chunk(() => import("./runs.ts").then((m) => m.runsClient(call, getInstance))), "testRun replay listReplays"),
  };
}
