/**
 * The customer's instance endpoints: integration detail, instances, config pages, deploys,
 * and executions, each on the one validated `call` (alerts, monitors and the logs: observe-api.ts;
 * connections, a connection field's test and OAuth: connections-api.ts).
 */
import {
  dataSourceResult,
  deleteInstanceResponse,
  deployResponse,
  executionList,
  instance,
  instanceList,
  integrationDetail,
  paths,
} from "../contract/api.ts";
import type { ConfigValuesInput } from "../contract/config-vars.ts";
import type { DataSourceRequest } from "../contract/api-types.ts";
import type { Call } from "./call.ts";

export const instancesApi = (call: Call) => ({
  /** The latest version, or `version` (an instance's, an upgrade's). */
  getIntegration: (id: string, version?: number) => call(integrationDetail, paths.integration(id) + (version ? `?version=${version}` : "")),
  /** The customer's instances, of one integration when given. */
  listInstances: (integrationId?: string) => call(instanceList, paths.instances() + (integrationId ? `?integration=${encodeURIComponent(integrationId)}` : "")),
  renameInstance: (id: string, name: string) => call(instance, paths.instance(id), { method: "patch", json: { name } }),
  /** Starts (or rejoins) the upgrade to `toVersion`, default the latest; idempotent, so retried like a GET. */
  startUpgrade: (id: string, toVersion?: number) =>
    call(instance, paths.instanceUpgrade(id), { method: "post", json: toVersion ? { toVersion } : {}, idempotencyKey: `upgrade-${id}-${crypto.randomUUID()}` }),
  cancelUpgrade: (id: string) => call(instance, paths.instanceUpgrade(id), { method: "delete" }),
  getInstance: (id: string) => call(instance, paths.instance(id)),
  /**
   * The platform answers a repeated create with the customer's existing draft, so the call is
   * idempotent; the key tells the client it may retry it after a 5xx or a lost response.
   */
  createInstance: (integrationId: string) =>
    call(instance, paths.instances(), { method: "post", json: { integrationId }, idempotencyKey: `create-${integrationId}-${crypto.randomUUID()}` }),
  /** `integrationVersion`: the version of the pages shown; the platform refuses the save (VERSION_CONFLICT) when the setup moved on. */
  saveConfigPage: (id: string, page: string, values: ConfigValuesInput, integrationVersion?: number) =>
    call(instance, paths.instanceConfigPage(id, page), { method: "put", json: integrationVersion ? { values, integrationVersion } : { values } }),
  /** `idempotencyKey` is per deploy attempt: a double click or a retried request deploys once. */
  deploy: (id: string, idempotencyKey: string, integrationVersion?: number) =>
    call(deployResponse, paths.instanceDeploy(id), { method: "post", json: integrationVersion ? { integrationVersion } : {}, idempotencyKey }),
  pause: (id: string) => call(instance, paths.instancePause(id), { method: "post", json: {} }),
  resume: (id: string) => call(instance, paths.instanceResume(id), { method: "post", json: {} }),
  deleteInstance: (id: string) => call(deleteInstanceResponse, paths.instance(id), { method: "delete" }),
  /** One page of the instance's executions, newest first; pass the answer's `nextCursor` for the next. */
  listExecutions: (id: string, cursor?: string) => call(executionList, paths.instanceExecutions(id) + (cursor ? `?cursor=${encodeURIComponent(cursor)}` : "")),
  /**
   * A data-source picklist's options, from the customer's own account. Not retried by the call
   * loop (a POST without a key): the app's failures are typed answers the user retries.
   */
  dataSourceOptions: (id: string, key: string, request: DataSourceRequest = {}) =>
    call(dataSourceResult, paths.dataSourceOptions(id, key), { method: "post", json: request }),
});
export type InstancesApi = ReturnType<typeof instancesApi>;
