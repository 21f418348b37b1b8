/**
 * The headless client: the customer-scoped platform API for hosts that build their own UI
 * (issue 5, option 4), on the one client core the embedded frame uses too (client/: call loop,
 * token keeper, endpoints, error class). This file is the public API's edge: it checks the
 * options once, keeps the lifecycle events and the instance → integration map the events need.
 */
import { invalid } from "./invalid-option.ts";
import { chunk, lazy } from "./lazy-chunk.ts";
import { createCall } from "../../client/call.ts";
import type { InstancesApi } from "../../client/instances-api.ts";
import { marketplaceApi } from "../../client/marketplace-api.ts";
import { createTokenKeeper } from "../../client/token.ts";
import { emitDeployed } from "../../client/wizard.ts";
import { lifecycleEventNames } from "../../contract/protocol-constants.ts";
import type { ConfigPage, ConfigValuesInput, DeployResponse, Instance, IntegrationDetail } from "../../contract/api-types.ts";
import { initialValues, rulesOf, storedSecretKeys } from "../../client/config-form.ts";
import type { pageProblems } from "../../client/page-problems.ts";
import { assertUsableDefinition } from "../../client/definition.ts";
import { paths } from "../../contract/api-paths.ts";
import { openPopup } from "../../client/oauth-popup.ts";
import type { ConnectionsChunk } from "./connections.ts";
import type { ActivityClient, RunsClient, Client, ClientOptions, ConnectionCredentials, ConnectionsClient, HeadlessEventHandler, HeadlessEventName, HeadlessEventPayloads, Integration, OAuthOptions } from "./types.ts";
import { openWizard } from "./wizard.ts";

const EVENT_NAMES: readonly HeadlessEventName[] = lifecycleEventNames;
const QUERY_KEYS = ["q", "category", "label", "state"];

/** The one normalisation point: checks and defaults the options, returns the platform origin. */
function normalize(options: ClientOptions): string {
  if (typeof options != "object" || options === null) throw invalid("an options object", options);
  const { platformUrl, getToken, fetch: fetchOption, on } = options;
  let url: URL | undefined;
  try {
    url = new URL(platformUrl);
  } catch {
    /* reported below */
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.username || url.password || url.search || url.hash || url.pathname != "/") {
    // A URL with credentials is not echoed: they are a secret.
    throw invalid("platformUrl to be an http(s) origin like https://platform.example", url?.username || url?.password ? "a URL with credentials" : platformUrl);
  }
  if (typeof getToken != "function") throw invalid("getToken to be a function returning a JWT", getToken);
  if (fetchOption !== undefined && typeof fetchOption != "function") throw invalid("fetch to be a function", fetchOption);
  if (on !== undefined && (typeof on != "object" || on === null)) throw invalid("on to be an object of event handlers", on);
  for (const [name, handler] of Object.entries(on ?? {})) {
    if (!EVENT_NAMES.includes(name as HeadlessEventName)) throw invalid(`an event name (${EVENT_NAMES.join(", ")})`, name);
    if (typeof handler != "function") throw invalid(`a function for "${name}"`, handler);
  }
  return url.origin;
}

/**
 * Creates the headless client. Nothing happens until a method is called (`getToken` too).
 * Throws `EmporiumApiError` with `INVALID_OPTION` when an option is wrong. See `Client` for
 * every method.
 *
 * @example
 * const client = createClient({
 *   platformUrl: "https://platform.example",
 *   getToken: async () => (await (await fetch("/api/emporium-token", { method: "POST" })).json()).token,
 *   on: { "instance-deployed": ({ integrationName }) => console.log(`${integrationName} is live`) },
 * });
 * const { integrations } = await client.listIntegrations({ state: "available" });
 */
export function createClient(options: ClientOptions): Client {
  const origin = normalize(options);
  const call = createCall({ origin, tokens: createTokenKeeper({ getToken: options.getToken }), fetch: options.fetch });
  const marketplace = marketplaceApi(call);
  // The instance functions and their schemas (contract/api.ts: ~450 zod schemas to build) are a
  // chunk of their own, loaded on the first call of one: a page that imports the client only
  // builds the marketplace list's schemas, and those on first use (contract/on-first-use.ts).
  const instances = chunk(() => import("../../client/instances-api.ts").then((m) => m.instancesApi(call)));
  const api = lazy<InstancesApi>(
    instances,
    "getIntegration listInstances renameInstance startUpgrade cancelUpgrade getInstance createInstance saveConfigPage deploy pause resume deleteInstance listExecutions dataSourceOptions",
  );

  const handlers = new Map<HeadlessEventName, Set<(payload: never) => void>>();
  const on = <K extends HeadlessEventName>(event: K, handler: HeadlessEventHandler<K>): (() => void) => {
    if (!EVENT_NAMES.includes(event)) throw invalid("an event name", event);
    if (typeof handler != "function") throw invalid("a handler function", handler);
    let set = handlers.get(event);
    if (!set) handlers.set(event, (set = new Set()));
    set.add(handler as (payload: never) => void);
    return () => off(event, handler);
  };
  const off = <K extends HeadlessEventName>(event: K, handler: HeadlessEventHandler<K>) =>
    void handlers.get(event)?.delete(handler as (payload: never) => void);
  const emit = <K extends HeadlessEventName>(event: K, payload: HeadlessEventPayloads[K]) => {
    for (const handler of [...(handlers.get(event) ?? [])]) {
      try {
        (handler as HeadlessEventHandler<K>)({ ...payload });
      } catch (error) {
        // A host handler's bug must not fail the API call that fired the event; report it the
        // way a browser reports an event listener's error.
        (globalThis.reportError ?? console.error)(error);
      }
    }
  };
  for (const [name, handler] of Object.entries(options.on ?? {})) on(name as HeadlessEventName, handler as HeadlessEventHandler<HeadlessEventName>);

  /** Instance id → integration id, learned from every instance answer (an instance never changes integration). */
  const integrationOf = new Map<string, string>();
  const remember = (i: Instance): Instance => (integrationOf.set(i.id, i.integrationId), i);

  const withForm = (detail: IntegrationDetail, problems: typeof pageProblems): Integration => {
    const pageOf = (page: string | ConfigPage): ConfigPage => {
      const found = typeof page == "string" ? detail.configPages.find((p) => p.name == page) : page;
      if (!found) throw invalid(`a config page of ${detail.id} (${detail.configPages.map((p) => p.name).join(", ")})`, page);
      return found;
    };
    // Values a form does not hold (another page's, when a host validates one page) are the instance's.
    const formState: Integration["formState"] = (values, instance) => {
      const start = initialValues(detail, instance);
      return rulesOf(detail.configPages, (key) => (Object.hasOwn(values, key) ? values[key] : start[key]));
    };
    return {
      ...detail,
      validate: (page, values, instance) => problems(pageOf(page), values, storedSecretKeys(instance), formState(values, instance)),
      initialValues: (instance) => initialValues(detail, instance),
      formState,
      assetUrl: (asset) => origin + paths.integrationAsset(detail.id, asset),
    };
  };

  const validation = chunk(() => import("../../client/page-problems.ts"));
  const getInstance = async (id: string) => remember(await api.getInstance(id));
  const getIntegration = async (id: string, version?: number) => {
    if (version !== undefined && !(Number.isInteger(version) && version > 0)) throw invalid("version to be a whole number from 1", version);
    // Its validation is a chunk of its own (client/page-problems.ts), loaded while the request travels.
    const [detail, { pageProblems }] = await Promise.all([api.getIntegration(id, version), validation()]);
    assertUsableDefinition(detail);
    return withForm(detail, pageProblems);
  };
  const createInstance = async (integrationId: string) => remember(await api.createInstance(integrationId));
  const saveConfigPage = async (instanceId: string, page: string, values: Readonly<Record<string, unknown>>, integrationVersion?: number) =>
    // The platform validates what is sent (a custom UI may send anything); the type says what it takes.
    remember(await api.saveConfigPage(instanceId, page, values as ConfigValuesInput, integrationVersion));

  const deployOnce = async (instanceId: string, key: string, integrationVersion?: number): Promise<DeployResponse> => {
    const result = await api.deploy(instanceId, key, integrationVersion);
    remember(result.instance);
    return result;
  };
  const renameInstance = async (instanceId: string, name: string) => {
    if (typeof name != "string") throw invalid("the name as a string", name);
    return remember(await api.renameInstance(instanceId, name));
  };
  const cancelUpgrade = async (instanceId: string) => remember(await api.cancelUpgrade(instanceId));
  const wizardDeps = {
    getIntegration,
    getInstance,
    createInstance,
    api: { saveConfigPage, deploy: deployOnce, dataSourceOptions: api.dataSourceOptions, renameInstance, cancelUpgrade },
    emit,
  };

  async function deploy(instanceId: string, deployOptions: { idempotencyKey?: string } = {}): Promise<DeployResponse> {
    const key = deployOptions.idempotencyKey ?? crypto.randomUUID();
    if (typeof key != "string" || key == "" || key.length > 255) throw invalid("idempotencyKey to be a non-empty string", key);
    const result = await deployOnce(instanceId, key);
    emitDeployed(emit, result);
    return result;
  }

  // Feature groups a marketplace does not need, each a chunk of its own (lazy-chunk.ts): a config
  // page's validation (with getIntegration, above), the activity functions (activity.ts; test runs and replays go one chunk further, runs.ts) and
  // the connection functions (connections.ts).
  const activity = chunk(() => import("./activity.ts").then((m) => m.activityClient(call, getInstance)));
  const connections = chunk(() => import("./connections.ts").then((m) => m.connectionsClient(call, origin)));
  /**
   * The popup an OAuth flow will use, opened now, inside the caller's click (the browser blocks
   * one opened after an await); none for `openExternalUrl`, the host's own for `popup`.
   */
  const popupFor = (name: string, o?: OAuthOptions) => (o?.openExternalUrl || o?.popup !== undefined ? (o.popup ?? null) : openPopup(name, o?.popupSize));
  const oauth =
    <A,>(run: (c: ConnectionsChunk, popup: Window | null) => Promise<A>, popup: Window | null): Promise<A> =>
      connections().then((c) => run(c, popup), (e: unknown) => (popup?.close(), Promise.reject(e)));

  const client: Client = {
    session: marketplace.session,
    async listIntegrations(query = {}) {
      const filters: Record<string, string> = {};
      for (const [key, value] of Object.entries(query)) {
        if (!QUERY_KEYS.includes(key)) throw invalid(`a filter (${QUERY_KEYS.join(", ")})`, key);
        if (value === undefined || value === "") continue;
        if (typeof value != "string") throw invalid(`a string for ${key}`, value);
        filters[key] = value;
      }
      const list = await marketplace.listIntegrations(filters);
      // Fetched while the user reads the list, so opening an integration waits for no file; a
      // failed fetch is tried again by the call that needs it.
      instances().catch(() => {});
      return list;
    },
    getIntegration,
    createInstance,
    saveConfigPage,
    dataSourceOptions: (instanceId, key, request = {}) => api.dataSourceOptions(instanceId, key, request),
    deploy,
    async pause(instanceId) {
      const i = remember(await api.pause(instanceId));
      emit("instance-paused", { integrationId: i.integrationId, instanceId: i.id });
      return i;
    },
    async resume(instanceId) {
      const i = remember(await api.resume(instanceId));
      emit("instance-resumed", { integrationId: i.integrationId, instanceId: i.id });
      return i;
    },
    async deleteInstance(instanceId) {
      // The delete answer has no integration id, and the event carries one.
      const integrationId = integrationOf.get(instanceId) ?? (await getInstance(instanceId)).integrationId;
      const result = await api.deleteInstance(instanceId);
      integrationOf.delete(instanceId);
      emit("instance-deleted", { integrationId, instanceId: result.instanceId });
      return result;
    },
    async listInstances(query = {}) {
      if (typeof query != "object" || query === null) throw invalid("a query object", query);
      for (const [key, value] of Object.entries(query)) {
        if (key != "integration") throw invalid("a filter (integration)", key);
        if (value !== undefined && typeof value != "string") throw invalid("a string for integration", value);
      }
      return (await api.listInstances(query.integration || undefined)).instances.map(remember);
    },
    renameInstance,
    cancelUpgrade,
    async upgrade(instanceId, upgradeOptions = {}) {
      const toVersion = upgradeOptions.toVersion;
      if (toVersion !== undefined && !(Number.isInteger(toVersion) && toVersion > 0)) throw invalid("toVersion to be a whole number from 1", toVersion);
      remember(await api.startUpgrade(instanceId, toVersion));
      return openWizard(wizardDeps, { instanceId });
    },
    getInstance,
    listExecutions: async (instanceId) => (await api.listExecutions(instanceId)).executions,
    listExecutionPage: (instanceId, cursor) => api.listExecutions(instanceId, cursor),
    // The wizard fires its own deploy events (client/wizard.ts), as the embedded one does.
    wizard: (target) => openWizard(wizardDeps, target),
    ...lazy<ActivityClient & RunsClient>(activity, "getDashboard listLogs getExecution tailLogs getUsage listMonitors createMonitor updateMonitor deleteMonitor listAlerts acknowledgeAlert resolveAlert testRun replay listReplays"),
    ...lazy<Omit<ConnectionsClient, "connectOAuth" | "reconnectConnection">>(connections, "listConnections getConnection createConnection renameConnection testConnection deleteConnection testConnectionField"),
    connectOAuth: (app, o) => oauth((c, popup) => c.connectOAuth(app, o, popup), popupFor(`em-oauth-${app}`, o)),
    reconnectConnection: (id: string, input?: OAuthOptions | ConnectionCredentials) =>
      oauth((c, popup) => c.reconnectConnection(id, input, popup), (input as { kind?: unknown } | undefined)?.kind !== undefined ? null : popupFor(`em-oauth-${id}`, input as OAuthOptions)),
    on,
    off,
  };
  return client;
}
