/**
 * The API's paths, with no zod: the frame starts its first request (the public embed config)
 * before any schema module has run. api-marketplace.ts and api.ts re-export these.
 */
import { API_PREFIX, listPaths } from "./list-paths.ts";

export { API_PREFIX };

/** Every path of the API, relative to the platform origin. */
export const paths = {
  ...listPaths,
  integration: (id: string) => `${API_PREFIX}/integrations/${encodeURIComponent(id)}`,
  instances: () => `${API_PREFIX}/instances`,
  /** GET / DELETE; PATCH (`updateInstanceRequest`): rename it. */
  instance: (id: string) => `${API_PREFIX}/instances/${encodeURIComponent(id)}`,
  instanceConfigPage: (id: string, page: string) =>
    `${API_PREFIX}/instances/${encodeURIComponent(id)}/config/${encodeURIComponent(page)}`,
  instanceDeploy: (id: string) => `${API_PREFIX}/instances/${encodeURIComponent(id)}/deploy`,
  /** POST (`startUpgradeRequest`): start upgrading to a newer integration version; DELETE: cancel it. */
  instanceUpgrade: (id: string) => `${API_PREFIX}/instances/${encodeURIComponent(id)}/upgrade`,
  instancePause: (id: string) => `${API_PREFIX}/instances/${encodeURIComponent(id)}/pause`,
  instanceResume: (id: string) => `${API_PREFIX}/instances/${encodeURIComponent(id)}/resume`,
  instanceExecutions: (id: string) => `${API_PREFIX}/instances/${encodeURIComponent(id)}/executions`,
  instanceExecution: (id: string, executionId: string) =>
    `${API_PREFIX}/instances/${encodeURIComponent(id)}/executions/${encodeURIComponent(executionId)}`,
  /** POST (`testRunRequest`): run the flow now with a payload, recorded as a test run. */
  flowTest: (id: string, flowId: string) => `${API_PREFIX}/instances/${encodeURIComponent(id)}/flows/${encodeURIComponent(flowId)}/test`,
  /** GET: the execution's replays, oldest first; POST: replay it with its original payload. */
  executionReplays: (id: string, executionId: string) =>
    `${API_PREFIX}/instances/${encodeURIComponent(id)}/executions/${encodeURIComponent(executionId)}/replays`,
  /** POST `dataSourceRequest`: the options of a data-source picklist, from the customer's own account. */
  dataSourceOptions: (id: string, key: string) =>
    `${API_PREFIX}/instances/${encodeURIComponent(id)}/data-sources/${encodeURIComponent(key)}`,
  /** GET (public, an `<img>` source): an image a config page shows, served from the platform's origin. */
  integrationAsset: (integrationId: string, asset: string) =>
    `${API_PREFIX}/integrations/${encodeURIComponent(integrationId)}/assets/${encodeURIComponent(asset)}`,
  /** POST: test a connection field's value (the typed one, or the stored one). */
  connectionTest: (id: string, key: string) =>
    `${API_PREFIX}/instances/${encodeURIComponent(id)}/connections/${encodeURIComponent(key)}/test`,
  /** POST: start an OAuth 2.0 authorization for a connection field; answers `oauthStartResponse`. */
  oauthStart: (id: string, key: string) =>
    `${API_PREFIX}/instances/${encodeURIComponent(id)}/connections/${encodeURIComponent(key)}/oauth`,
  /** GET (browser navigation): the OAuth redirect URI; a page that posts `oauthResultMessage` to its opener. */
  oauthCallback: () => `${API_PREFIX}/oauth/callback`,
  /** GET: alerts raised for an instance, newest first. */
  instanceAlerts: (id: string) => `${API_PREFIX}/instances/${encodeURIComponent(id)}/alerts`,
  /** GET: the instance's alert monitors; POST: add one. */
  instanceMonitors: (id: string) => `${API_PREFIX}/instances/${encodeURIComponent(id)}/monitors`,
  /** PUT: replace a monitor; DELETE: remove it. */
  instanceMonitor: (id: string, monitorId: string) =>
    `${API_PREFIX}/instances/${encodeURIComponent(id)}/monitors/${encodeURIComponent(monitorId)}`,
  /** GET ?status&instance&limit&cursor: alerts over every instance of the customer, newest first. */
  alerts: () => `${API_PREFIX}/alerts`,
  /** POST: acknowledge an alert (someone is on it). */
  alertAcknowledge: (alertId: string) => `${API_PREFIX}/alerts/${encodeURIComponent(alertId)}/acknowledge`,
  /** POST: resolve an alert (it is over). */
  alertResolve: (alertId: string) => `${API_PREFIX}/alerts/${encodeURIComponent(alertId)}/resolve`,
  /** GET ?period or ?from&to (ISO times): enabled and paused time of the caller's instances over a period. */
  usage: () => `${API_PREFIX}/usage`,
  /** GET: the customer's dashboard (instances with their health, recent failures, usage). */
  dashboard: () => `${API_PREFIX}/dashboard`,
  /** GET ?instance&flow&status&trigger&from&to&q&limit&cursor: runs of every instance, newest first. */
  executions: () => `${API_PREFIX}/executions`,
  /** GET ?(filters)&cursor&wait: what changed since `cursor` (the live tail). */
  executionChanges: () => `${API_PREFIX}/executions/changes`,
  webhook: (token: string) => `${API_PREFIX}/webhooks/${encodeURIComponent(token)}`,
} as const;
