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
import { parseVersion, parseWith, readPageQuery, readVersionQuery, refuseQuery, versionQuery } from "../request-input.ts";
import { idempotency, replayInit } from "../idempotent.ts";
import { IDEMPOTENCY_KEY, apiRoute, type Route } from "../route.ts";

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
  apiRoute({
    method: "get", path: orgPaths.customers, operationId: "orgListCustomers", tag: "organization", auth: "org",
    summary: "The organization's customers with their instance counts",
    responses: [{ status: 200, description: "Customers", schema: "OrgCustomerList" }],
    errors: [C.BadRequest],
    handle({ platform, request, organization, reply }) {
      refuseQuery(request);
      return reply({ customers: platform.orgAdmin.customers(organization) });
    },
  }),

  apiRoute({
    method: "post", path: orgPaths.customerInstances, params: ["customerId"], operationId: "orgDeployForCustomer", tag: "organization", auth: "org",
    summary: "Deploy an instance for a customer with the given config values, validated exactly like the customer's wizard (nothing is created when a value is refused)",
    headers: [IDEMPOTENCY_KEY],
    body: { schema: "OrgDeployRequest" },
    responses: [{ status: 201, description: "Deployed", schema: "OrgDeployResponse" }],
    errors: [C.BadRequest, C.InvalidJson, C.NotFound, C.ValidationFailed, C.IdempotencyKeyReused, C.IdempotencyInProgress],
    async handle({ platform, request, params, organization, origin, reply, parseBody }) {
      const raw = await readJsonBody(request);
      const body = parseBody(raw.value, "deploy request");
      const result = await platform.orgAdmin.deploy(organization, params.customerId, body, { origin, ...(await idempotency(request, raw)) });
      return reply(result.body, replayInit(result));
    },
  }),

  apiRoute({
    method: "get", path: orgPaths.integrations, operationId: "orgListIntegrations", tag: "organization", auth: "org",
    summary: "The catalog",
    responses: [{ status: 200, description: "Integrations", schema: "OrgIntegrationList" }],
    errors: [C.BadRequest],
    handle({ platform, request, organization, reply }) {
      refuseQuery(request);
      return reply(platform.orgAdmin.integrations(organization));
    },
  }),

  apiRoute({
    method: "get", path: orgPaths.integration, params: ["integrationId"], operationId: "orgGetIntegration", tag: "organization", auth: "org",
    summary: "One integration with its config pages (the wizard definition) and flows; `version` asks for an older one (default: the latest)",
    query: versionQuery,
    responses: [{ status: 200, description: "Integration", schema: "OrgIntegration" }], errors: [C.BadRequest, C.NotFound],
    handle: ({ platform, request, params, organization, reply }) =>
      reply(platform.orgAdmin.integration(organization, params.integrationId, readVersionQuery(request))),
  }),

  apiRoute({
    method: "get", path: orgPaths.integrationVersions, params: ["integrationId"], operationId: "orgListIntegrationVersions", tag: "organization", auth: "org",
    summary: "The integration's versions, oldest first, with release notes and how many instances run each",
    responses: [{ status: 200, description: "Versions", schema: "OrgIntegrationVersionList" }], errors: [C.BadRequest, C.NotFound],
    handle({ platform, request, params, organization, reply }) {
      refuseQuery(request);
      return reply(platform.orgAdmin.versions(organization, params.integrationId));
    },
  }),

  apiRoute({
    method: "post", path: orgPaths.integrationVersions, params: ["integrationId"], operationId: "orgPublishIntegrationVersion", tag: "organization", auth: "org",
    summary: "Publish the next version of an integration (the whole definition, `version` = latest + 1, renamed keys declared in `migration.renamed`). Instances keep running their version until upgraded",
    headers: [IDEMPOTENCY_KEY],
    body: { schema: "IntegrationDefinition" },
    responses: [{ status: 201, description: "Published", schema: "OrgIntegration" }],
    errors: [C.BadRequest, C.InvalidJson, C.NotFound, C.Conflict, C.ValidationFailed, C.IdempotencyKeyReused, C.IdempotencyInProgress],
    async handle({ platform, request, params, organization, reply }) {
      const raw = await readJsonBody(request);
      // The whole definition is checked by the catalog's own rules (422 naming the field), not only by its shape.
      const result = await platform.orgAdmin.publish(organization, params.integrationId, raw.value, await idempotency(request, raw));
      return reply(result.body, replayInit(result));
    },
  }),

  apiRoute({
    method: "post", path: orgPaths.integrationUpgrades, params: ["integrationId"], operationId: "orgBulkUpgrade", tag: "organization", auth: "org",
    summary: "Upgrade every matching instance whose upgrade needs no customer input (a dry run first says what would happen); instances that need the customer, and skipped ones, are listed with the reason",
    headers: [{ ...IDEMPOTENCY_KEY, description: `Required unless \`dryRun\` is true. ${IDEMPOTENCY_KEY.description}` }],
    body: { schema: "OrgBulkUpgradeRequest" },
    responses: [{ status: 200, description: "What was upgraded (or, in a dry run, would be), and what was not and why", schema: "OrgBulkUpgradeResult" }],
    errors: [C.BadRequest, C.InvalidJson, C.NotFound, C.IdempotencyKeyReused, C.IdempotencyInProgress],
    async handle({ platform, request, params, organization, origin, reply, parseBody }) {
      const raw = await readJsonBody(request);
      const body = parseBody(raw.value, "bulk upgrade request");
      const result = await platform.orgAdmin.bulkUpgrade(organization, params.integrationId, body, { origin, ...(await idempotency(request, raw)) });
      return reply(result.body, replayInit(result));
    },
  }),

  apiRoute({
    method: "post", path: orgPaths.replays, operationId: "orgBulkReplay", tag: "organization", auth: "org",
    summary: "Replay, with their original payloads, the executions matching a filter (instance, flow, status, customer, time range): the newest `limit`, oldest first. A dry run lists what would run; paused or deactivated instances, runs still running, payloads not kept in full, runs already replayed and removal runs are skipped with the reason",
    headers: [{ ...IDEMPOTENCY_KEY, description: `Required unless \`dryRun\` is true. ${IDEMPOTENCY_KEY.description}` }],
    body: { schema: "OrgBulkReplayRequest" },
    responses: [{ status: 200, description: "What was replayed (or, in a dry run, would be), and what was skipped and why", schema: "OrgBulkReplayResult" }],
    errors: [C.BadRequest, C.InvalidJson, C.NotFound, C.IdempotencyKeyReused, C.IdempotencyInProgress],
    async handle({ platform, request, organization, reply, parseBody }) {
      const raw = await readJsonBody(request);
      const body = parseBody(raw.value, "bulk replay request");
      const result = await platform.runs.bulkReplay(organization, body, await idempotency(request, raw));
      return reply(result.body, replayInit(result));
    },
  }),

  apiRoute({
    method: "get", path: orgPaths.instances, operationId: "orgSearchInstances", tag: "organization", auth: "org",
    summary: "Instances across all customers, newest first: search by name, filter by description, integration, the version it runs, whether an update is available (and needs the customer), labels (repeat `label`; all must match), customer and status; cursor pagination",
    query: orgInstanceQuery,
    responses: [{ status: 200, description: "One page", schema: "OrgInstancePage" }],
    errors: [C.BadRequest, C.InvalidCursor],
    handle: ({ platform, request, organization, origin, reply }) =>
      reply(platform.orgAdmin.search(organization, readInstanceQuery(new URL(request.url).searchParams), origin)),
  }),

  apiRoute({ method: "get", path: orgPaths.instance, params: ["instanceId"], operationId: "orgGetInstance", tag: "organization", auth: "org", summary: "Any instance of the organization; a deactivated one is kept for the retention period (status `deleted`, `deletedAt`, `deletedBy`)", responses: [{ status: 200, description: "Instance", schema: "OrgInstance" }], errors: [C.NotFound],
    handle: ({ platform, params, organization, origin, reply }) => reply(platform.orgAdmin.get(organization, params.instanceId, origin)) }),

  apiRoute({
    method: "patch", path: orgPaths.instance, params: ["instanceId"], operationId: "orgUpdateInstance", tag: "organization", auth: "org",
    summary: "Set the instance's labels and/or description",
    body: { schema: "OrgInstanceUpdate" },
    responses: [{ status: 200, description: "Instance", schema: "OrgInstance" }],
    errors: [C.BadRequest, C.InvalidJson, C.NotFound, C.InstanceDeleted],
    async handle({ platform, request, params, organization, origin, reply, parseBody }) {
      const body = parseBody((await readJsonBody(request)).value, "instance update");
      return reply(platform.orgAdmin.update(organization, params.instanceId, body, origin));
    },
  }),

  apiRoute({ method: "delete", path: orgPaths.instance, params: ["instanceId"], operationId: "orgDeleteInstance", tag: "organization", auth: "org", summary: "Run the removal flows, then delete any instance", responses: [{ status: 200, description: "Deleted", schema: "OrgDeleteResponse" }], errors: [C.NotFound, C.InstanceDeleted, C.Conflict],
    handle: async ({ platform, params, organization, reply }) => reply(await platform.orgAdmin.delete(organization, params.instanceId)) }),

  apiRoute({ method: "post", path: orgPaths.instancePause, params: ["instanceId"], operationId: "orgPauseInstance", tag: "organization", auth: "org", summary: "Pause any instance", responses: [{ status: 200, description: "Paused", schema: "OrgInstance" }], errors: [C.NotFound, C.InstanceDeleted, C.Conflict],
    handle: ({ platform, params, organization, origin, reply }) => reply(platform.orgAdmin.pause(organization, params.instanceId, origin)) }),

  apiRoute({ method: "post", path: orgPaths.instanceResume, params: ["instanceId"], operationId: "orgResumeInstance", tag: "organization", auth: "org", summary: "Resume any paused instance", responses: [{ status: 200, description: "Running again", schema: "OrgInstance" }], errors: [C.NotFound, C.InstanceDeleted, C.Conflict],
    handle: ({ platform, params, organization, origin, reply }) => reply(platform.orgAdmin.resume(organization, params.instanceId, origin)) }),

  apiRoute({ method: "get", path: orgPaths.instanceExecutions, params: ["instanceId"], operationId: "orgListExecutions", tag: "organization", auth: "org", summary: "Executions of any instance (a deactivated one's too, its removal runs among them), newest first, one page at a time (`limit`, default 50, at most 200; `cursor` = the previous page's nextCursor)", query: executionListQuery, responses: [{ status: 200, description: "One page of executions", schema: "ExecutionList" }], errors: [C.BadRequest, C.InvalidCursor, C.NotFound],
    handle: ({ platform, params, organization, request, reply }) => reply(platform.orgAdmin.executions(organization, params.instanceId, readPageQuery(request, EXECUTION_PAGE_SIZE_MAX))) }),
];
