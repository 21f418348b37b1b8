/**
 * The customer's instance endpoints: integration detail, instances, config pages, deploys,
 * executions and connections, each on the one validated `call` (alerts, monitors and the logs:
 * observe-api.ts).
 */
import {
  connectionTestResult,
  dataSourceResult,
  deleteInstanceResponse,
  deployResponse,
  executionList,
  instance,
  instanceList,
  integrationDetail,
  oauthStartResponse,
  paths,
} from "../contract/api.ts";
import type { ConfigValuesInput, ConnectionInput } from "../contract/config-vars.ts";
import type { DataSourceRequest } from "../contract/api-types.ts";
import type { Call } from "./call.ts";

export const instancesApi = (call: Call) => ({
  getIntegration: (id: string) => call(integrationDetail, paths.integration(id)),
  listInstances: () => call(instanceList, paths.instances()),
  getInstance: (id: string) => call(instance, paths.instance(id)),
  /**
   * The platform answers a repeated create with the customer's existing draft, so the call is
   * idempotent; the key tells the client it may retry it after a 5xx or a lost response.
   */
  createInstance: (integrationId: string) =>
    call(instance, paths.instances(), { method: "post", json: { integrationId }, idempotencyKey: `create-${integrationId}-${crypto.randomUUID()}` }),
  saveConfigPage: (id: string, page: string, values: ConfigValuesInput) => call(instance, paths.instanceConfigPage(id, page), { method: "put", json: { values } }),
  /** `idempotencyKey` is per deploy attempt: a double click or a retried request deploys once. */
  deploy: (id: string, idempotencyKey: string) => call(deployResponse, paths.instanceDeploy(id), { method: "post", json: {}, idempotencyKey }),
  pause: (id: string) => call(instance, paths.instancePause(id), { method: "post", json: {} }),
  resume: (id: string) => call(instance, paths.instanceResume(id), { method: "post", json: {} }),
  deleteInstance: (id: string) => call(deleteInstanceResponse, paths.instance(id), { method: "delete" }),
  /** One page of the instance's executions, newest first; pass the answer's `nextCursor` for the next. */
  listExecutions: (id: string, cursor?: string) => call(executionList, paths.instanceExecutions(id) + (cursor ? `?cursor=${encodeURIComponent(cursor)}` : "")),
  /** Tests the typed connection (secrets left out = the stored ones), or the stored one. */
  testConnection: (id: string, key: string, value?: ConnectionInput) =>
    call(connectionTestResult, paths.connectionTest(id, key), { method: "post", json: value ? { value } : {} }),
  oauthStart: (id: string, key: string) => call(oauthStartResponse, paths.oauthStart(id, key), { method: "post", json: {} }),
  /**
   * A data-source picklist's options, from the customer's own account. Not retried by the call
   * loop (a POST without a key): the app's failures are typed answers the user retries.
   */
  dataSourceOptions: (id: string, key: string, request: DataSourceRequest = {}) =>
    call(dataSourceResult, paths.dataSourceOptions(id, key), { method: "post", json: request }),
});
export type InstancesApi = ReturnType<typeof instancesApi>;
