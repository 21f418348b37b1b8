/**
 * The endpoints behind the marketplace list: integration detail, instances, deploys,
 * executions and connections. They sit on the same validated `call` as api.ts (same auth,
 * retries and errors), but live apart so their contract schemas load with the screens
 * that use them instead of with the first route.
 */
import {
  alertList,
  connectionTestResult,
  deleteInstanceResponse,
  deployResponse,
  executionList,
  instance,
  instanceList,
  integrationDetail,
  oauthStartResponse,
  paths,
} from "../../contract/api.ts";
import type { ConfigValuesInput, ConnectionInput } from "../../contract/config-vars.ts";
import type { Api } from "./api.ts";

function createInstancesApi({ call }: Api) {
  return {
    getIntegration: (id: string) => call(integrationDetail, paths.integration(id)),
    listInstances: () => call(instanceList, paths.instances()),
    getInstance: (id: string) => call(instance, paths.instance(id)),
    /**
     * The platform answers a repeated create with the customer's existing draft, so the call is
     * idempotent; the key tells the client it may retry it after a 5xx or a lost response.
     */
    createInstance: (integrationId: string) =>
      call(instance, paths.instances(), { method: "post", json: { integrationId }, idempotencyKey: `create-${integrationId}-${crypto.randomUUID()}` }),
    saveConfigPage: (id: string, page: string, values: ConfigValuesInput) =>
      call(instance, paths.instanceConfigPage(id, page), { method: "put", json: { values } }),
    /** `idempotencyKey` is per deploy attempt: a double click or a retried request deploys once. */
    deploy: (id: string, idempotencyKey: string) =>
      call(deployResponse, paths.instanceDeploy(id), { method: "post", json: {}, idempotencyKey }),
    pause: (id: string) => call(instance, paths.instancePause(id), { method: "post", json: {} }),
    resume: (id: string) => call(instance, paths.instanceResume(id), { method: "post", json: {} }),
    deleteInstance: (id: string) => call(deleteInstanceResponse, paths.instance(id), { method: "delete" }),
    listExecutions: (id: string) => call(executionList, paths.instanceExecutions(id)),
    /** Alerts raised for the instance, newest first. */
    listAlerts: (id: string) => call(alertList, paths.instanceAlerts(id)),
    /** Tests the typed connection (secrets left out = the stored ones), or the stored one. */
    testConnection: (id: string, key: string, value?: ConnectionInput) =>
      call(connectionTestResult, paths.connectionTest(id, key), { method: "post", json: value ? { value } : {} }),
    oauthStart: (id: string, key: string) => call(oauthStartResponse, paths.oauthStart(id, key), { method: "post", json: {} }),
  };
}
export type InstancesApi = ReturnType<typeof createInstancesApi>;

const cache = new WeakMap<Api, InstancesApi>();

/** The instance endpoints over a frame's API client (one object per client). */
export function instancesApi(api: Api): InstancesApi {
  let endpoints = cache.get(api);
  if (!endpoints) cache.set(api, (endpoints = createInstancesApi(api)));
  return endpoints;
}
