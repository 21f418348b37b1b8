/**
 * The organization API (`/api/v1/org/...`): authenticated only with an organization API key,
 * server-to-server (never CORS: a browser must never hold the key). The organization acts on any
 * of its customers' instances.
 */
import { ORG_INSTANCE_QUERY_PARAMS, ORG_SEARCH_MAX_LENGTH, orgInstanceQuery, orgPaths } from "../../../contract/org-api.ts";
import { ApiErrorCode as C } from "../../../contract/errors.ts";
import { EXECUTION_PAGE_SIZE_MAX, executionListQuery } from "../../../contract/api.ts";
import { PlatformError } from "../../domain/errors.ts";
import { readJsonBody } from "../request-body.ts";
import { parseVersion, parseWith, readPageQuery, readVersionQuery, versionQuery } from "../request-input.ts";
import { idempotency, replayInit } from "../idempotent.ts";
import { IDEMPOTENCY_KEY, apiRoute, type Route } from "../route.ts";
import { orgApi } from "../route-builder.ts";

/** Reads the instance search query: unknown or repeated parameters are refused with a reason. */
function readInstanceQuery(search: URLSearchParams) {
  const raw: Record<string, unknown> = {};
  const allowed: readonly string[] = ORG_INSTANCE_QUERY_PARAMS;
  for (const [key, value] of search) {
    if (!allowed.includes(key)) {
      throw new PlatformError(C.BadRequest, `Unknown filter "${key}"; use ${ORG_INSTANCE_QUERY_PARAMS.join(", ")}.`);
    }
    if (key === "label") {
      (raw.label as string[] | undefined) ?? (raw.label = []);
      (raw.label as string[]).push(value);
      continue;
    }
    if (Object.hasOwn(raw, key)) throw new PlatformError(C.BadRequest, `"${key}" is given more than once.`);
    if ((key === "q" || key === "description") && value.length > ORG_SEARCH_MAX_LENGTH) {
      throw new PlatformError(C.BadRequest, `"${key}" is longer than ${ORG_SEARCH_MAX_LENGTH} characters.`);
    }
    if (key === "limit") {
      if (!/^\d{1,4}$/.test(value)) throw new PlatformError(C.BadRequest, `"limit" must be a whole number from 1 to 100.`);
      raw.limit = Number(value);
      continue;
    }
    if (key === "version") {
      if (value !== "") raw.version = parseVersion(value);
      continue;
    }
    if (key === "update" && value === "") continue;
    raw[key] = value;
  }
  const query = parseWith(orgInstanceQuery, raw, "filters");
  // An empty filter value means "no filter" (a cleared search box), not "match the empty string".
  for (const key of ["q", "description", "integration", "customer"] as const) if (query[key] === "") delete query[key];
  return query;
}

export const organizationRoutes: Route[] = [
  orgApi.get(orgPaths.customers, { id: "orgListCustomers", summary: "The organization's customers with their instance counts", query: "none", ok: [200, "Customers", "OrgCustomerList"] },
    ({ platform, organization }) => ({ customers: platform.orgAdmin.customers(organization) })),

  orgApi.post(orgPaths.customerInstances, {
    id: "orgDeployForCustomer", params: ["customerId"], idempotent: true, body: "OrgDeployRequest", ok: [201, "Deployed", "OrgDeployResponse"], errors: [C.NotFound, C.ValidationFailed],
    summary: "Deploy an instance for a customer with the given config values, validated exactly like the customer's wizard (nothing is created when a value is refused)",
  }, ({ platform, params, organization, origin, body, idempotency }) => platform.orgAdmin.deploy(organization, params.customerId, body, { origin, ...idempotency })),

  orgApi.get(orgPaths.integrations, { id: "orgListIntegrations", summary: "The catalog", query: "none", ok: [200, "Integrations", "OrgIntegrationList"] },
    ({ platform, organization }) => platform.orgAdmin.integrations(organization)),

  orgApi.get(orgPaths.integration, {
    id: "orgGetIntegration", params: ["integrationId"], query: versionQuery, ok: [200, "Integration", "OrgIntegration"], errors: [C.NotFound],
    summary: "One integration with its config pages (the wizard definition) and flows; `version` asks for an older one (default: the latest)",
  }, ({ platform, request, params, organization }) => platform.orgAdmin.integration(organization, params.integrationId, readVersionQuery(request))),

  orgApi.get(orgPaths.integrationVersions, {
    id: "orgListIntegrationVersions", params: ["integrationId"], query: "none", ok: [200, "Versions", "OrgIntegrationVersionList"], errors: [C.NotFound],
    summary: "The integration's versions, oldest first, with release notes and how many instances run each",
  }, ({ platform, params, organization }) => platform.orgAdmin.versions(organization, params.integrationId)),

  // The whole definition is checked by the catalog's own rules (422 naming the field), not only by
  // its shape, so this route reads its body itself.
  apiRoute({
    method: "post", path: orgPaths.integrationVersions, params: ["integrationId"], operationId: "orgPublishIntegrationVersion", tag: "organization", auth: "org",
    summary: "Publish the next version of an integration (the whole definition, `version` = latest + 1, renamed keys declared in `migration.renamed`). Instances keep running their version until upgraded",
    headers: [IDEMPOTENCY_KEY],
    body: { schema: "IntegrationDefinition" },
    responses: [{ status: 201, description: "Published", schema: "OrgIntegration" }],
    errors: [C.BadRequest, C.InvalidJson, C.NotFound, C.Conflict, C.ValidationFailed, C.IdempotencyKeyReused, C.IdempotencyInProgress],
    async handle({ platform, request, params, organization, reply }) {
      const raw = await readJsonBody(request);
      const result = await platform.orgAdmin.publish(organization, params.integrationId, raw.value, await idempotency(request, raw));
      return reply(result.body, replayInit(result));
    },
  }),

  orgApi.post(orgPaths.integrationUpgrades, {
    id: "orgBulkUpgrade", params: ["integrationId"], idempotent: "unless dry run", body: "OrgBulkUpgradeRequest", errors: [C.NotFound],
    summary: "Upgrade every matching instance whose upgrade needs no customer input (a dry run first says what would happen); instances that need the customer, and skipped ones, are listed with the reason",
    ok: [200, "What was upgraded (or, in a dry run, would be), and what was not and why", "OrgBulkUpgradeResult"],
  }, ({ platform, params, organization, origin, body, idempotency }) => platform.orgAdmin.bulkUpgrade(organization, params.integrationId, body, { origin, ...idempotency })),

  orgApi.post(orgPaths.replays, {
    id: "orgBulkReplay", idempotent: "unless dry run", body: "OrgBulkReplayRequest", errors: [C.NotFound],
    summary: "Replay, with their original payloads, the executions matching a filter (instance, flow, status, customer, time range): the newest `limit`, oldest first. A dry run lists what would run; paused or deactivated instances, runs still running, payloads not kept in full, runs already replayed and removal runs are skipped with the reason",
    ok: [200, "What was replayed (or, in a dry run, would be), and what was skipped and why", "OrgBulkReplayResult"],
  }, ({ platform, organization, body, idempotency }) => platform.runs.bulkReplay(organization, body, idempotency)),

  orgApi.get(orgPaths.instances, {
    id: "orgSearchInstances", query: orgInstanceQuery, ok: [200, "One page", "OrgInstancePage"], errors: [C.InvalidCursor],
    summary: "Instances across all customers, newest first: search by name, filter by description, integration, the version it runs, whether an update is available (and needs the customer), labels (repeat `label`; all must match), customer and status; cursor pagination",
  }, ({ platform, request, organization, origin }) => platform.orgAdmin.search(organization, readInstanceQuery(new URL(request.url).searchParams), origin)),

  orgApi.get(orgPaths.instance, {
    id: "orgGetInstance", params: ["instanceId"], ok: [200, "Instance", "OrgInstance"], errors: [C.NotFound],
    summary: "Any instance of the organization; a deactivated one is kept for the retention period (status `deleted`, `deletedAt`, `deletedBy`)",
  }, ({ platform, params, organization, origin }) => platform.orgAdmin.get(organization, params.instanceId, origin)),

  orgApi.patch(orgPaths.instance, { id: "orgUpdateInstance", params: ["instanceId"], summary: "Set the instance's labels and/or description", body: "OrgInstanceUpdate", ok: [200, "Instance", "OrgInstance"], errors: [C.NotFound, C.InstanceDeleted] },
    ({ platform, params, organization, origin, body }) => platform.orgAdmin.update(organization, params.instanceId, body, origin)),

  orgApi.delete(orgPaths.instance, { id: "orgDeleteInstance", params: ["instanceId"], summary: "Run the removal flows, then delete any instance", ok: [200, "Deleted", "OrgDeleteResponse"], errors: [C.NotFound, C.InstanceDeleted, C.Conflict] },
    ({ platform, params, organization }) => platform.orgAdmin.delete(organization, params.instanceId)),

  orgApi.post(orgPaths.instancePause, { id: "orgPauseInstance", params: ["instanceId"], summary: "Pause any instance", ok: [200, "Paused", "OrgInstance"], errors: [C.NotFound, C.InstanceDeleted, C.Conflict] },
    ({ platform, params, organization, origin }) => platform.orgAdmin.pause(organization, params.instanceId, origin)),

  orgApi.post(orgPaths.instanceResume, { id: "orgResumeInstance", params: ["instanceId"], summary: "Resume any paused instance", ok: [200, "Running again", "OrgInstance"], errors: [C.NotFound, C.InstanceDeleted, C.Conflict] },
    ({ platform, params, organization, origin }) => platform.orgAdmin.resume(organization, params.instanceId, origin)),

  orgApi.get(orgPaths.instanceExecutions, {
    id: "orgListExecutions", params: ["instanceId"], query: executionListQuery, ok: [200, "One page of executions", "ExecutionList"], errors: [C.InvalidCursor, C.NotFound],
    summary: "Executions of any instance (a deactivated one's too, its removal runs among them), newest first, one page at a time (`limit`, default 50, at most 200; `cursor` = the previous page's nextCursor)",
  }, ({ platform, params, organization, request }) => platform.orgAdmin.executions(organization, params.instanceId, readPageQuery(request, EXECUTION_PAGE_SIZE_MAX))),
];
