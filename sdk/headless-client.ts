/**
 * The headless client: the customer-scoped platform API over ky, with the frame's token and
 * retry rules, for hosts that build their own UI (issue 5, option 4).
 *
 * - Auth: `Authorization: Bearer <token>` from the token keeper; a 401 asks for one shared
 *   refresh, then that request is retried once (A7).
 * - Retries (D5): only requests the platform can safely see twice: GET, PUT of a whole config
 *   page (it replaces the page, so a repeat changes nothing), and a POST carrying an
 *   `Idempotency-Key` (deploy). `Retry-After` is honoured on 429 and 503.
 * - Every answer is validated with the contract's schema; every failure is an `EmporiumApiError`.
 */
import ky, { isHTTPError, isTimeoutError, type KyInstance } from "ky";
import * as z from "zod/mini";
import {
  apiError,
  deleteInstanceResponse,
  deployResponse,
  executionList,
  instance as instanceSchema,
  instanceList,
  integrationDetail,
  integrationList,
  paths,
  session,
} from "../contract/api.ts";
import type {
  ConfigPage,
  DeleteInstanceResponse,
  DeployResponse,
  Execution,
  Instance,
  IntegrationDetail,
  IntegrationList,
  Session,
} from "./headless-api-types.ts";
import { initialValues, pageProblems, storedSecretKeys } from "./headless-config-form.ts";
import { EmporiumApiError } from "../client/error.ts";
import { ClientErrorCode } from "../contract/errors.ts";
import { createTokenKeeper } from "../client/token.ts";
import type { Client, ClientOptions, HeadlessEventHandler, HeadlessEventName, HeadlessEventPayloads, Integration } from "./headless-types.ts";
import { openWizard } from "./headless-wizard.ts";
import { within } from "../contract/within.ts";

const EVENT_NAMES: readonly HeadlessEventName[] = [
  "instance-configuration-opened",
  "instance-configuration-page-loaded",
  "instance-configuration-closed",
  "instance-configuration-canceled",
  "instance-deployed",
  "instance-deleted",
  "instance-paused",
  "instance-resumed",
  "execution-failed",
];
const QUERY_KEYS = ["q", "category", "label", "state"];
/** How long one attempt may wait for the platform: for its headers (ky), then for its body. */
const TIMEOUT_MS = 30_000;
const timedOut = () => new EmporiumApiError(ClientErrorCode.Timeout, "The platform did not answer in time");

const invalid = (expected: string, received: unknown) =>
  new EmporiumApiError(
    ClientErrorCode.InvalidOption,
    `expected ${expected}, received ${typeof received == "string" ? JSON.stringify(received) : typeof received}`,
  );

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

interface CallOptions {
  method?: "get" | "post" | "put" | "delete";
  json?: unknown;
  idempotencyKey?: string;
  searchParams?: Record<string, string>;
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
  const tokens = createTokenKeeper({ getToken: options.getToken });
  const http: KyInstance = ky.create({
    ...(options.fetch ? { fetch: options.fetch } : {}),
    timeout: TIMEOUT_MS,
    retry: {
      limit: 2,
      methods: ["get", "put"],
      statusCodes: [408, 429, 500, 502, 503, 504],
      afterStatusCodes: [429, 503],
      maxRetryAfter: 30_000,
      backoffLimit: 5_000,
    },
  });

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

  function toError(e: unknown): EmporiumApiError {
    if (e instanceof EmporiumApiError) return e;
    if (isHTTPError(e)) {
      const status = e.response.status;
      const parsed = z.safeParse(apiError, e.data);
      if (parsed.success) {
        const { code, message, fields, page } = parsed.data.error;
        return new EmporiumApiError(code, message, status, fields, page);
      }
      return new EmporiumApiError(status >= 500 ? "SERVER_ERROR" : ClientErrorCode.InvalidResponse, `The platform answered HTTP ${status}`, status);
    }
    if (isTimeoutError(e)) return timedOut();
    return new EmporiumApiError(ClientErrorCode.Network, "The platform could not be reached");
  }

  async function call<T>(schema: z.ZodMiniType, path: string, o: CallOptions = {}): Promise<T> {
    const method = o.method ?? "get";
    let refreshed = false;
    let token = await tokens.current();
    for (;;) {
      try {
        const response = await http(origin + path, {
          method,
          headers: { Authorization: `Bearer ${token}`, ...(o.idempotencyKey ? { "Idempotency-Key": o.idempotencyKey } : {}) },
          ...(o.json !== undefined ? { json: o.json } : {}),
          ...(o.searchParams ? { searchParams: o.searchParams } : {}),
          // A POST is retried only when the platform can recognise the repeat (D2, D5).
          ...(method == "post" && o.idempotencyKey ? { retry: { methods: ["post"] } } : {}),
        });
        // ky's timeout ends when the headers are in; a body that stops arriving times out too.
        const body = await within(response.json().catch(() => undefined), TIMEOUT_MS, timedOut);
        const parsed = z.safeParse(schema, body);
        if (!parsed.success) throw new EmporiumApiError(ClientErrorCode.InvalidResponse, "The platform answered in a shape the contract does not allow", response.status);
        return parsed.data as T;
      } catch (e) {
        // One refresh per request: a refreshed token that is refused too is the caller's error.
        if (!refreshed && isHTTPError(e) && e.response.status == 401) {
          refreshed = true;
          token = await tokens.refresh(token);
          continue;
        }
        throw toError(e);
      }
    }
  }

  const withForm = (detail: IntegrationDetail): Integration => {
    const pageOf = (page: string | ConfigPage): ConfigPage => {
      const found = typeof page == "string" ? detail.configPages.find((p) => p.name == page) : page;
      if (!found) throw invalid(`a config page of ${detail.id} (${detail.configPages.map((p) => p.name).join(", ")})`, page);
      return found;
    };
    return {
      ...detail,
      validate: (page, values, instance) => pageProblems(pageOf(page), values, storedSecretKeys(instance)),
      initialValues: (instance) => initialValues(detail, instance),
    };
  };

  const getInstance = async (id: string) => remember(await call<Instance>(instanceSchema, paths.instance(id)));
  const getIntegration = async (id: string) => withForm(await call<IntegrationDetail>(integrationDetail, paths.integration(id)));
  const createInstance = async (integrationId: string) =>
    remember(await call<Instance>(instanceSchema, paths.instances(), { method: "post", json: { integrationId } }));
  const saveConfigPage = async (instanceId: string, page: string, values: Readonly<Record<string, unknown>>) =>
    remember(await call<Instance>(instanceSchema, paths.instanceConfigPage(instanceId, page), { method: "put", json: { values } }));

  async function deploy(instanceId: string, deployOptions: { idempotencyKey?: string } = {}): Promise<DeployResponse> {
    const key = deployOptions.idempotencyKey ?? crypto.randomUUID();
    if (typeof key != "string" || key == "" || key.length > 255) throw invalid("idempotencyKey to be a non-empty string", key);
    const result = await call<DeployResponse>(deployResponse, paths.instanceDeploy(instanceId), { method: "post", json: {}, idempotencyKey: key });
    const { id, integrationId, integrationName } = remember(result.instance);
    emit("instance-deployed", { integrationId, integrationName, instanceId: id });
    // A failed deploy flow does not undo the deploy (D8); the host hears about it, as with the embed.
    for (const x of result.executions) {
      if (x.status == "failed") emit("execution-failed", { integrationId, instanceId: id, executionId: x.id, flowId: x.flowId });
    }
    return result;
  }

  const client: Client = {
    session: () => call<Session>(session, paths.session(), { method: "post" }),
    async listIntegrations(query = {}) {
      const searchParams: Record<string, string> = {};
      for (const [key, value] of Object.entries(query)) {
        if (!QUERY_KEYS.includes(key)) throw invalid(`a filter (${QUERY_KEYS.join(", ")})`, key);
        if (value === undefined || value === "") continue;
        if (typeof value != "string") throw invalid(`a string for ${key}`, value);
        searchParams[key] = value;
      }
      return call<IntegrationList>(integrationList, paths.integrations(), { searchParams });
    },
    getIntegration,
    createInstance,
    saveConfigPage,
    deploy,
    async pause(instanceId) {
      const i = remember(await call<Instance>(instanceSchema, paths.instancePause(instanceId), { method: "post", json: {} }));
      emit("instance-paused", { integrationId: i.integrationId, instanceId: i.id });
      return i;
    },
    async resume(instanceId) {
      const i = remember(await call<Instance>(instanceSchema, paths.instanceResume(instanceId), { method: "post", json: {} }));
      emit("instance-resumed", { integrationId: i.integrationId, instanceId: i.id });
      return i;
    },
    async deleteInstance(instanceId) {
      // The delete answer has no integration id, and the event carries one.
      const integrationId = integrationOf.get(instanceId) ?? (await getInstance(instanceId)).integrationId;
      const result = await call<DeleteInstanceResponse>(deleteInstanceResponse, paths.instance(instanceId), { method: "delete" });
      integrationOf.delete(instanceId);
      emit("instance-deleted", { integrationId, instanceId: result.instanceId });
      return result;
    },
    listInstances: async () => (await call<{ instances: Instance[] }>(instanceList, paths.instances())).instances.map(remember),
    getInstance,
    listExecutions: async (instanceId) => (await call<{ executions: Execution[] }>(executionList, paths.instanceExecutions(instanceId))).executions,
    wizard: (target) => openWizard({ getIntegration, getInstance, createInstance, saveConfigPage, deploy, emit }, target),
    on,
    off,
  };
  return client;
}
