/**
 * The customer API (the marketplace frame and the headless client): every route takes a customer
 * JWT, verified by the route wrapper before the handler runs, and acts for that customer only.
 */
import * as z from "zod/mini";
import { EXECUTION_PAGE_SIZE_MAX, executionListQuery, integrationListQuery, paths, saveConfigPageRequest } from "../../../contract/api.ts";
import { ApiErrorCode as C } from "../../../contract/errors.ts";
import { PlatformError } from "../../domain/errors.ts";
import { readJsonBody } from "../request-body.ts";
import { parseWith, readPageQuery, readQuery, readVersionQuery, versionQuery } from "../request-input.ts";
import { idempotency, replayInit } from "../idempotent.ts";
import { IDEMPOTENCY_KEY, apiRoute, type Route } from "../route.ts";

const INTEGRATION_FILTERS = ["q", "category", "label", "state"];

export const customerRoutes: Route[] = [
  apiRoute({ method: "post", path: paths.session, operationId: "createSession", tag: "customer", auth: "customer", summary: "Verify the customer JWT; creates the customer and the user on first sight", responses: [{ status: 200, description: "Who is calling", schema: "Session" }], errors: [],
    handle: ({ platform, caller, reply }) => reply(platform.access.session(caller)) }),

  apiRoute({
    method: "get", path: paths.integrations, operationId: "listIntegrations", tag: "customer", auth: "customer",
    summary: "The marketplace: integrations with the customer's activation state",
    query: integrationListQuery,
    responses: [{ status: 200, description: "Integrations, categories and labels", schema: "IntegrationList" }],
    errors: [C.BadRequest],
    handle({ platform, request, caller, reply }) {
      const raw: Record<string, string> = {};
      for (const [key, value] of new URL(request.url).searchParams) {
        if (!INTEGRATION_FILTERS.includes(key)) {
          throw new PlatformError(C.BadRequest, `Unknown filter "${key}"; use q, category, label or state.`);
        }
        raw[key] = value;
      }
      return reply(platform.marketplace.list(caller, parseWith(integrationListQuery, raw, "filters")));
    },
  }),

  apiRoute({
    method: "get", path: paths.integration, params: ["integrationId"], operationId: "getIntegration", tag: "customer", auth: "customer",
    summary: "One integration with its config pages (the wizard definition) and flows; `version` asks for another version than the latest (an instance's, or an upgrade's)",
    query: versionQuery,
    responses: [{ status: 200, description: "Integration", schema: "IntegrationDetail" }], errors: [C.BadRequest, C.NotFound],
    handle: ({ platform, request, params, caller, reply }) =>
      reply(platform.marketplace.get(caller, params.integrationId, readVersionQuery(request))),
  }),

  apiRoute({
    method: "get", path: paths.instances, operationId: "listInstances", tag: "customer", auth: "customer",
    summary: "The customer's instances (of one integration, with `integration`), newest first",
    query: z.object({ integration: z.optional(z.string()) }),
    responses: [{ status: 200, description: "Instances", schema: "InstanceList" }], errors: [C.BadRequest],
    handle: ({ platform, request, caller, origin, reply }) => reply({ instances: platform.instances.list(caller, origin, readQuery(request, ["integration"]).integration || undefined) }),
  }),

  apiRoute({
    method: "post", path: paths.instances, operationId: "createInstance", tag: "customer", auth: "customer",
    summary: "Create an unconfigured instance of the latest version; returns instead the customer's one instance of an integration that allows one, or their undeployed one of an integration that allows several (so a double click never makes two)",
    body: { schema: "CreateInstanceRequest" },
    responses: [{ status: 201, description: "Created", schema: "Instance" }, { status: 200, description: "The existing instance", schema: "Instance" }],
    errors: [C.BadRequest, C.InvalidJson, C.Forbidden, C.NotFound],
    async handle({ platform, request, caller, origin, reply, parseBody }) {
      const body = parseBody((await readJsonBody(request)).value, "request body");
      const result = platform.instances.create(caller, body.integrationId, origin);
      return reply(result.instance, { status: result.created ? 201 : 200 });
    },
  }),

  apiRoute({ method: "get", path: paths.instance, params: ["instanceId"], operationId: "getInstance", tag: "customer", auth: "customer", summary: "One of the customer's instances (secrets masked); 410 INSTANCE_DELETED for one of theirs that was deactivated (anyone else's: 404)", responses: [{ status: 200, description: "Instance", schema: "Instance" }], errors: [C.NotFound, C.InstanceDeleted],
    handle: ({ platform, params, caller, origin, reply }) => reply(platform.instances.get(caller, params.instanceId, origin)) }),

  apiRoute({
    method: "patch", path: paths.instance, params: ["instanceId"], operationId: "renameInstance", tag: "customer", auth: "customer",
    summary: "Rename an instance: 1–200 characters, unique among the customer's instances of that integration (a field error on `name` otherwise)",
    body: { schema: "UpdateInstanceRequest" },
    responses: [{ status: 200, description: "The renamed instance", schema: "Instance" }],
    errors: [C.BadRequest, C.InvalidJson, C.ValidationFailed, C.Forbidden, C.NotFound, C.InstanceDeleted],
    async handle({ platform, request, params, caller, origin, reply, parseBody }) {
      const body = parseBody((await readJsonBody(request)).value, "request body");
      return reply(platform.instances.rename(caller, params.instanceId, body.name, origin));
    },
  }),

  apiRoute({
    method: "post", path: paths.instanceUpgrade, params: ["instanceId"], operationId: "startUpgrade", tag: "customer", auth: "customer",
    summary: "Start upgrading to a newer integration version (default: the latest): kept and renamed values are carried over, and `upgrade.plan` says what the customer must look at. The instance keeps running its version until the upgrade is deployed. Asking again rejoins the upgrade in progress",
    body: { schema: "StartUpgradeRequest", required: false },
    responses: [{ status: 201, description: "Started", schema: "Instance" }, { status: 200, description: "The upgrade in progress", schema: "Instance" }],
    errors: [C.BadRequest, C.InvalidJson, C.Forbidden, C.NotFound, C.InstanceDeleted, C.Conflict],
    async handle({ platform, request, params, caller, origin, reply, parseBody }) {
      const body = parseBody((await readJsonBody(request)).value ?? {}, "request body");
      const result = platform.instances.startUpgrade(caller, params.instanceId, body.toVersion, origin);
      return reply(result.instance, { status: result.started ? 201 : 200 });
    },
  }),

  apiRoute({
    method: "delete", path: paths.instanceUpgrade, params: ["instanceId"], operationId: "cancelUpgrade", tag: "customer", auth: "customer",
    summary: "Cancel the upgrade in progress (if any): its values are dropped, the instance keeps running its version untouched",
    responses: [{ status: 200, description: "The instance, with no upgrade in progress", schema: "Instance" }],
    errors: [C.Forbidden, C.NotFound, C.InstanceDeleted, C.Conflict],
    handle: ({ platform, params, caller, origin, reply }) => reply(platform.instances.cancelUpgrade(caller, params.instanceId, origin)),
  }),

  apiRoute({ method: "delete", path: paths.instance, params: ["instanceId"], operationId: "deleteInstance", tag: "customer", auth: "customer", summary: "Run the removal flows (a failure does not block), then delete the instance", responses: [{ status: 200, description: "Deleted", schema: "DeleteInstanceResponse" }], errors: [C.NotFound, C.InstanceDeleted, C.Forbidden, C.Conflict],
    handle: async ({ platform, params, caller, reply }) => reply(await platform.instances.delete(caller, params.instanceId)) }),

  apiRoute({
    method: "put", path: paths.instanceConfigPage, params: ["instanceId", "page"], operationId: "saveConfigPage", tag: "customer", auth: "customer",
    summary: "Save one config page (of the upgrade in progress, if any); values are validated like the wizard validates them. An omitted secret keeps the stored one.",
    body: { schema: "SaveConfigPageRequest" },
    responses: [{ status: 200, description: "The instance with the saved values", schema: "Instance" }],
    errors: [C.BadRequest, C.InvalidJson, C.ValidationFailed, C.Forbidden, C.NotFound, C.InstanceDeleted, C.VersionConflict],
    async handle({ platform, request, params, caller, origin, reply }) {
      const { value } = await readJsonBody(request);
      const parsed = z.safeParse(saveConfigPageRequest, value);
      let values: Record<string, unknown>;
      let integrationVersion: number | undefined;
      if (parsed.success) {
        values = parsed.data.values;
        integrationVersion = parsed.data.integrationVersion;
      } else if (typeof value === "object" && value !== null && typeof (value as { values?: unknown }).values === "object" && (value as { values: unknown }).values !== null && !Array.isArray((value as { values: unknown }).values)) {
        // Shapes the contract refuses still get field-level messages from the shared validator.
        values = (value as { values: Record<string, unknown> }).values;
        const version = (value as { integrationVersion?: unknown }).integrationVersion;
        if (version !== undefined && !Number.isInteger(version)) throw new PlatformError(C.BadRequest, '"integrationVersion" must be a whole number.');
        integrationVersion = version as number | undefined;
      } else {
        throw new PlatformError(C.BadRequest, 'The body must be { "values": { <config key>: <value> } }.');
      }
      return reply(await platform.instances.saveConfigPage(caller, params.instanceId, params.page, values, origin, integrationVersion));
    },
  }),

  apiRoute({
    method: "post", path: paths.instanceDeploy, params: ["instanceId"], operationId: "deployInstance", tag: "customer", auth: "customer",
    summary: "Deploy (or re-deploy) with the saved config — an upgrade in progress included, which switches the instance to the new version and its flows; runs the deploy-trigger flows (a failed one does not undo the deploy)",
    headers: [IDEMPOTENCY_KEY],
    body: { schema: "DeployRequest", required: false, description: "Optional (part of the idempotency fingerprint)." },
    responses: [{ status: 200, description: "Deployed", schema: "DeployResponse" }],
    errors: [C.BadRequest, C.InvalidJson, C.Forbidden, C.NotFound, C.InstanceDeleted, C.InstanceNotConfigured, C.Conflict, C.VersionConflict, C.IdempotencyKeyReused, C.IdempotencyInProgress],
    async handle({ platform, request, params, caller, origin, reply, parseBody }) {
      const body = await readJsonBody(request);
      if (body.value !== undefined && (typeof body.value !== "object" || body.value === null || Array.isArray(body.value))) {
        throw new PlatformError(C.BadRequest, "The deploy body, when present, must be a JSON object.");
      }
      const { integrationVersion } = parseBody(body.value ?? {}, "deploy request");
      const result = await platform.instances.deploy(caller, params.instanceId, {
        origin,
        ...(await idempotency(request, body)),
        ...(integrationVersion !== undefined ? { integrationVersion } : {}),
      });
      return reply(result.body, replayInit(result));
    },
  }),

  apiRoute({ method: "post", path: paths.instancePause, params: ["instanceId"], operationId: "pauseInstance", tag: "customer", auth: "customer", summary: "Pause: nothing runs, webhooks answer 409 INSTANCE_PAUSED, no usage is counted", responses: [{ status: 200, description: "Paused", schema: "Instance" }], errors: [C.NotFound, C.InstanceDeleted, C.Forbidden, C.Conflict],
    handle: ({ platform, params, caller, origin, reply }) => reply(platform.instances.pause(caller, params.instanceId, origin)) }),

  apiRoute({ method: "post", path: paths.instanceResume, params: ["instanceId"], operationId: "resumeInstance", tag: "customer", auth: "customer", summary: "Resume a paused instance", responses: [{ status: 200, description: "Running again", schema: "Instance" }], errors: [C.NotFound, C.InstanceDeleted, C.Forbidden, C.Conflict],
    handle: ({ platform, params, caller, origin, reply }) => reply(platform.instances.resume(caller, params.instanceId, origin)) }),

  apiRoute({ method: "get", path: paths.instanceExecutions, params: ["instanceId"], operationId: "listExecutions", tag: "customer", auth: "customer", summary: "The instance's executions, newest first, one page at a time (`limit`, default 50, at most 200; `cursor` = the previous page's nextCursor). History is kept as the retention policy says.", query: executionListQuery, responses: [{ status: 200, description: "One page of executions", schema: "ExecutionList" }], errors: [C.BadRequest, C.InvalidCursor, C.NotFound],
    handle: ({ platform, params, caller, request, reply }) => reply(platform.executions.list(caller, params.instanceId, readPageQuery(request, EXECUTION_PAGE_SIZE_MAX))) }),

  apiRoute({ method: "get", path: paths.instanceExecution, params: ["instanceId", "executionId"], operationId: "getExecution", tag: "customer", auth: "customer", summary: "One execution with its logs and step results (secrets redacted); 410 EXECUTION_EXPIRED when the retention policy removed it", responses: [{ status: 200, description: "Execution", schema: "Execution" }], errors: [C.NotFound, C.ExecutionExpired],
    handle: ({ platform, params, caller, reply }) => reply(platform.executions.get(caller, params.instanceId, params.executionId)) }),

  apiRoute({
    method: "post", path: paths.flowTest, params: ["instanceId", "flowId"], operationId: "testFlow", tag: "customer", auth: "customer",
    summary: "Run a webhook or scheduled flow of a running instance now with a payload (its JSON at most 32 KB); answers the finished run, recorded and marked `test`. Monitors do not count test runs",
    headers: [IDEMPOTENCY_KEY],
    body: { schema: "TestRunRequest", required: false },
    responses: [{ status: 201, description: "The finished test run (it may have failed: see `status`)", schema: "Execution" }],
    errors: [C.BadRequest, C.InvalidJson, C.ValidationFailed, C.Forbidden, C.NotFound, C.InstanceDeleted, C.InstancePaused, C.Conflict, C.IdempotencyKeyReused, C.IdempotencyInProgress],
    async handle({ platform, request, params, caller, reply, parseBody }) {
      const raw = await readJsonBody(request);
      const body = parseBody(raw.value ?? {}, "test run request");
      const result = await platform.runs.test(caller, params.instanceId, params.flowId, body.payload, await idempotency(request, raw));
      return reply(result.body, replayInit(result));
    },
  }),

  apiRoute({
    method: "post", path: paths.executionReplays, params: ["instanceId", "executionId"], operationId: "replayExecution", tag: "customer", auth: "customer",
    summary: "Replay an ended execution with its original payload on the running instance; the new run's `replayOf` names the original, whose `replays` lists it. 410 PAYLOAD_EVICTED when the payload was not kept in full",
    headers: [IDEMPOTENCY_KEY],
    responses: [{ status: 201, description: "The finished replay (it may have failed: see `status`)", schema: "Execution" }],
    errors: [C.Forbidden, C.NotFound, C.InstanceDeleted, C.ExecutionExpired, C.PayloadEvicted, C.InstancePaused, C.Conflict, C.IdempotencyKeyReused, C.IdempotencyInProgress],
    async handle({ platform, request, params, caller, reply }) {
      const key = request.headers.get("idempotency-key");
      const result = await platform.runs.replay(caller, params.instanceId, params.executionId, {
        fingerprint: `replay ${params.instanceId} ${params.executionId}`,
        ...(key !== null ? { idempotencyKey: key } : {}),
      });
      return reply(result.body, replayInit(result));
    },
  }),

  apiRoute({ method: "get", path: paths.executionReplays, params: ["instanceId", "executionId"], operationId: "listReplays", tag: "customer", auth: "customer", summary: "The execution's replays, oldest first (a deactivated instance's too)", responses: [{ status: 200, description: "Replays", schema: "ExecutionReplays" }], errors: [C.NotFound, C.ExecutionExpired],
    handle: ({ platform, params, caller, reply }) => reply({ executions: platform.runs.replays(caller, params.instanceId, params.executionId) }) }),

  apiRoute({
    method: "post", path: paths.dataSourceOptions, params: ["instanceId", "key"], operationId: "getDataSourceOptions", tag: "customer", auth: "customer",
    summary: "A data-source picklist's options, fetched from the customer's own account with the connection saved on the instance (up to 1,000; `search` narrows them)",
    body: { schema: "DataSourceRequest", required: false },
    responses: [{ status: 200, description: "The options, in the app's order", schema: "DataSourceResult" }],
    errors: [C.BadRequest, C.InvalidJson, C.NotFound, C.InstanceDeleted, C.ValidationFailed, C.ConnectionRequired, C.ConnectionRefused, C.DataSourceFailed, C.DataSourceTimeout],
    async handle({ platform, request, params, caller, reply, parseBody }) {
      const body = parseBody((await readJsonBody(request)).value ?? {}, "request body");
      return reply(await platform.dataSources.options(caller, params.instanceId, params.key, body));
    },
  }),

  apiRoute({
    method: "post", path: paths.connectionTest, params: ["instanceId", "key"], operationId: "testConnection", tag: "customer", auth: "customer",
    summary: "Test a connection field: the typed value (omitted secrets = the stored ones) or the stored one",
    body: { schema: "ConnectionTestRequest", required: false },
    responses: [{ status: 200, description: "The test result", schema: "ConnectionTestResult" }],
    errors: [C.BadRequest, C.InvalidJson, C.Forbidden, C.NotFound, C.InstanceDeleted],
    async handle({ platform, request, params, caller, reply, parseBody }) {
      const body = parseBody((await readJsonBody(request)).value ?? {}, "request body");
      return reply(platform.connections.test(caller, params.instanceId, params.key, body.value));
    },
  }),

  apiRoute({ method: "post", path: paths.oauthStart, params: ["instanceId", "key"], operationId: "startOAuth", tag: "customer", auth: "customer", summary: "Start an OAuth 2.0 authorization for a connection field; open authorizeUrl in a popup", responses: [{ status: 200, description: "Where to send the user", schema: "OAuthStartResponse" }], errors: [C.BadRequest, C.Forbidden, C.NotFound, C.InstanceDeleted],
    handle: ({ platform, params, caller, origin, reply }) => reply(platform.connections.startOAuth(caller, params.instanceId, params.key, origin)) }),
];
