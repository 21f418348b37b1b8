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
import { customerApi } from "../route-builder.ts";

const INTEGRATION_FILTERS = ["q", "category", "label", "state"];

export const customerRoutes: Route[] = [
  customerApi.post(paths.session, { id: "createSession", summary: "Verify the customer JWT; creates the customer and the user on first sight", ok: [200, "Who is calling", "Session"] },
    ({ platform, caller }) => platform.access.session(caller)),

  customerApi.get(paths.integrations, {
    id: "listIntegrations", summary: "The marketplace: integrations with the customer's activation state", query: integrationListQuery(), ok: [200, "Integrations, categories and labels", "IntegrationList"],
  }, ({ platform, request, caller }) => {
    const raw: Record<string, string> = {};
    for (const [key, value] of new URL(request.url).searchParams) {
      if (!INTEGRATION_FILTERS.includes(key)) throw new PlatformError(C.BadRequest, `Unknown filter "${key}"; use q, category, label or state.`);
      raw[key] = value;
    }
    return platform.marketplace.list(caller, parseWith(integrationListQuery(), raw, "filters"));
  }),

  customerApi.get(paths.integration, {
    id: "getIntegration", params: ["integrationId"], query: versionQuery, ok: [200, "Integration", "IntegrationDetail"], errors: [C.NotFound],
    summary: "One integration with its config pages (the wizard definition) and flows; `version` asks for another version than the latest (an instance's, or an upgrade's)",
  }, ({ platform, request, params, caller }) => platform.marketplace.get(caller, params.integrationId, readVersionQuery(request))),

  customerApi.get(paths.instances, {
    id: "listInstances", query: z.object({ integration: z.optional(z.string()) }), ok: [200, "Instances", "InstanceList"],
    summary: "The customer's instances (of one integration, with `integration`), newest first",
  }, ({ platform, request, caller, origin }) => ({ instances: platform.instances.list(caller, origin, readQuery(request, ["integration"]).integration || undefined) })),

  customerApi.post(paths.instances, {
    id: "createInstance", body: "CreateInstanceRequest", ok: [[201, "Created", "Instance"], [200, "The existing instance", "Instance"]], errors: [C.Forbidden, C.NotFound],
    summary: "Create an unconfigured instance of the latest version; returns instead the customer's one instance of an integration that allows one, or their undeployed one of an integration that allows several (so a double click never makes two)",
  }, ({ platform, caller, origin, body, reply }) => {
    const result = platform.instances.create(caller, body.integrationId, origin);
    return reply(result.instance, { status: result.created ? 201 : 200 });
  }),

  customerApi.get(paths.instance, {
    id: "getInstance", params: ["instanceId"], ok: [200, "Instance", "Instance"], errors: [C.NotFound, C.InstanceDeleted],
    summary: "One of the customer's instances (secrets masked); 410 INSTANCE_DELETED for one of theirs that was deactivated (anyone else's: 404)",
  }, ({ platform, params, caller, origin }) => platform.instances.get(caller, params.instanceId, origin)),

  customerApi.patch(paths.instance, {
    id: "renameInstance", params: ["instanceId"], body: "UpdateInstanceRequest", ok: [200, "The renamed instance", "Instance"], errors: [C.ValidationFailed, C.Forbidden, C.NotFound, C.InstanceDeleted],
    summary: "Rename an instance: 1–200 characters, unique among the customer's instances of that integration (a field error on `name` otherwise)",
  }, ({ platform, params, caller, origin, body }) => platform.instances.rename(caller, params.instanceId, body.name, origin)),

  customerApi.post(paths.instanceUpgrade, {
    id: "startUpgrade", params: ["instanceId"], body: { optional: "StartUpgradeRequest" }, errors: [C.Forbidden, C.NotFound, C.InstanceDeleted, C.Conflict],
    ok: [[201, "Started", "Instance"], [200, "The upgrade in progress", "Instance"]],
    summary: "Start upgrading to a newer integration version (default: the latest): kept and renamed values are carried over, and `upgrade.plan` says what the customer must look at. The instance keeps running its version until the upgrade is deployed. Asking again rejoins the upgrade in progress",
  }, ({ platform, params, caller, origin, body, reply }) => {
    const result = platform.instances.startUpgrade(caller, params.instanceId, body.toVersion, origin);
    return reply(result.instance, { status: result.started ? 201 : 200 });
  }),

  customerApi.delete(paths.instanceUpgrade, {
    id: "cancelUpgrade", params: ["instanceId"], ok: [200, "The instance, with no upgrade in progress", "Instance"], errors: [C.Forbidden, C.NotFound, C.InstanceDeleted, C.Conflict],
    summary: "Cancel the upgrade in progress (if any): its values are dropped, the instance keeps running its version untouched",
  }, ({ platform, params, caller, origin }) => platform.instances.cancelUpgrade(caller, params.instanceId, origin)),

  customerApi.delete(paths.instance, {
    id: "deleteInstance", params: ["instanceId"], ok: [200, "Deleted", "DeleteInstanceResponse"], errors: [C.NotFound, C.InstanceDeleted, C.Forbidden, C.Conflict],
    summary: "Run the removal flows (a failure does not block), then delete the instance",
  }, ({ platform, params, caller }) => platform.instances.delete(caller, params.instanceId)),

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

  customerApi.post(paths.instancePause, {
    id: "pauseInstance", params: ["instanceId"], ok: [200, "Paused", "Instance"], errors: [C.NotFound, C.InstanceDeleted, C.Forbidden, C.Conflict],
    summary: "Pause: nothing runs, webhooks answer 409 INSTANCE_PAUSED, no usage is counted",
  }, ({ platform, params, caller, origin }) => platform.instances.pause(caller, params.instanceId, origin)),

  customerApi.post(paths.instanceResume, { id: "resumeInstance", params: ["instanceId"], summary: "Resume a paused instance", ok: [200, "Running again", "Instance"], errors: [C.NotFound, C.InstanceDeleted, C.Forbidden, C.Conflict] },
    ({ platform, params, caller, origin }) => platform.instances.resume(caller, params.instanceId, origin)),

  customerApi.get(paths.instanceExecutions, {
    id: "listExecutions", params: ["instanceId"], query: executionListQuery, ok: [200, "One page of executions", "ExecutionList"], errors: [C.InvalidCursor, C.NotFound],
    summary: "The instance's executions, newest first, one page at a time (`limit`, default 50, at most 200; `cursor` = the previous page's nextCursor). History is kept as the retention policy says.",
  }, ({ platform, params, caller, request }) => platform.executions.list(caller, params.instanceId, readPageQuery(request, EXECUTION_PAGE_SIZE_MAX))),

  customerApi.get(paths.instanceExecution, {
    id: "getExecution", params: ["instanceId", "executionId"], ok: [200, "Execution", "Execution"], errors: [C.NotFound, C.ExecutionExpired],
    summary: "One execution with its logs and step results (secrets redacted); 410 EXECUTION_EXPIRED when the retention policy removed it",
  }, ({ platform, params, caller }) => platform.executions.get(caller, params.instanceId, params.executionId)),

  customerApi.post(paths.flowTest, {
    id: "testFlow", params: ["instanceId", "flowId"], idempotent: true, body: { optional: "TestRunRequest" }, ok: [201, "The finished test run (it may have failed: see `status`)", "Execution"],
    errors: [C.ValidationFailed, C.Forbidden, C.NotFound, C.InstanceDeleted, C.InstancePaused, C.Conflict],
    summary: "Run a webhook or scheduled flow of a running instance now with a payload (its JSON at most 32 KB); answers the finished run, recorded and marked `test`. Monitors do not count test runs",
  }, ({ platform, params, caller, body, idempotency }) => platform.runs.test(caller, params.instanceId, params.flowId, body.payload, idempotency)),

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

  customerApi.get(paths.executionReplays, {
    id: "listReplays", params: ["instanceId", "executionId"], summary: "The execution's replays, oldest first (a deactivated instance's too)", ok: [200, "Replays", "ExecutionReplays"], errors: [C.NotFound, C.ExecutionExpired],
  }, ({ platform, params, caller }) => ({ executions: platform.runs.replays(caller, params.instanceId, params.executionId) })),

  customerApi.post(paths.dataSourceOptions, {
    id: "getDataSourceOptions", params: ["instanceId", "key"], body: { optional: "DataSourceRequest" }, ok: [200, "The options, in the app's order", "DataSourceResult"],
    errors: [C.NotFound, C.InstanceDeleted, C.ValidationFailed, C.ConnectionRequired, C.ConnectionRefused, C.DataSourceFailed, C.DataSourceTimeout],
    summary: "A data-source picklist's options, fetched from the customer's own account with the connection saved on the instance (up to 1,000; `search` narrows them)",
  }, ({ platform, params, caller, body }) => platform.dataSources.options(caller, params.instanceId, params.key, body)),

  customerApi.post(paths.connectionTest, {
    id: "testConnection", params: ["instanceId", "key"], body: { optional: "ConnectionTestRequest" }, ok: [200, "The test result", "ConnectionTestResult"], errors: [C.Forbidden, C.NotFound, C.InstanceDeleted],
    summary: "Test a connection field: the typed value (omitted secrets = the stored ones) or the stored one",
  }, ({ platform, params, caller, body }) => platform.connections.test(caller, params.instanceId, params.key, body.value)),

  customerApi.post(paths.oauthStart, {
    id: "startOAuth", params: ["instanceId", "key"], ok: [200, "Where to send the user", "OAuthStartResponse"], errors: [C.BadRequest, C.Forbidden, C.NotFound, C.InstanceDeleted],
    summary: "Start an OAuth 2.0 authorization for a connection field; open authorizeUrl in a popup",
  }, ({ platform, params, caller, origin }) => platform.connections.startOAuth(caller, params.instanceId, params.key, origin)),
];
