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
  instance: (id: string) => `${API_PREFIX}/instances/${encodeURIComponent(id)}`,
  instanceConfigPage: (id: string, page: string) =>
    `${API_PREFIX}/instances/${encodeURIComponent(id)}/config/${encodeURIComponent(page)}`,
  instanceDeploy: (id: string) => `${API_PREFIX}/instances/${encodeURIComponent(id)}/deploy`,
  instancePause: (id: string) => `${API_PREFIX}/instances/${encodeURIComponent(id)}/pause`,
  instanceResume: (id: string) => `${API_PREFIX}/instances/${encodeURIComponent(id)}/resume`,
  instanceExecutions: (id: string) => `${API_PREFIX}/instances/${encodeURIComponent(id)}/executions`,
  instanceExecution: (id: string, executionId: string) =>
    `${API_PREFIX}/instances/${encodeURIComponent(id)}/executions/${encodeURIComponent(executionId)}`,
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
  /** GET / PUT: the instance's alert monitors. */
  instanceAlertMonitors: (id: string) => `${API_PREFIX}/instances/${encodeURIComponent(id)}/alert-monitors`,
  /** GET ?from&to (ISO times): enabled time of the caller's instances over a period. */
  usage: () => `${API_PREFIX}/usage`,
  webhook: (token: string) => `${API_PREFIX}/webhooks/${encodeURIComponent(token)}`,
} as const;
