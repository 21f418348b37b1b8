/**
 * The OpenAPI 3.1 document of the platform API, generated from the zod contract, so a team can
 * implement a real backend (and run mock-server/http/api.conformance.test.ts against it). Paths come
 * from the contract's path functions, bodies and responses from its schemas (zod 4's JSON
 * Schema output), error statuses from `apiErrorStatus`. Nothing here restates a field by hand.
 *
 *   tsx mock-server/http/openapi.ts --write   regenerates docs/openapi.json
 *   tsx mock-server/http/openapi.ts           prints it
 *
 * mock-server/http/openapi.test.ts fails when docs/openapi.json and the contract disagree.
 */
import * as z from "zod/mini";
import { writeFileSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  alert,
  flowSummary,
  instanceFlow,
  integrationSummary,
  logLine,
  alertList,
  alertMonitors,
  apiError,
  connectionTestRequest,
  connectionTestResult,
  createInstanceRequest,
  deleteInstanceResponse,
  deployResponse,
  embedConfig,
  execution,
  executionList,
  instance,
  instanceList,
  integrationDetail,
  integrationList,
  integrationListQuery,
  oauthStartResponse,
  paths,
  saveConfigPageRequest,
  session,
  usageQuery,
  usageReport,
  webhookResponse,
} from "../../contract/api.ts";
import {
  orgCustomerList,
  orgDeleteResponse,
  orgDeployRequest,
  orgDeployResponse,
  orgInstance,
  orgInstancePage,
  orgInstanceQuery,
  orgInstanceUpdate,
  orgIntegration,
  orgIntegrationList,
  orgPaths,
} from "../../contract/org-api.ts";
import { configPage, configValues, configValuesInput, configVarDefinition, connectionInput, connectionState, scheduleValue } from "../../contract/config-vars.ts";
import { flowTrigger } from "../../contract/catalog.ts";
import { scenarioPath, scenarioRequest, scenarioState } from "../../contract/scenario.ts";
import { ApiErrorCode, apiErrorStatus } from "../../contract/errors.ts";

export const OPENAPI_FILE = "docs/openapi.json";
export const OPENAPI_REGENERATE_COMMAND = "npx tsx mock-server/http/openapi.ts --write";

/** Named component schemas: the name is how the document refers to each contract schema. */
const components = {
  // Building blocks first: every schema below that uses one refers to it instead of repeating it.
  ConfigPage: configPage,
  ConfigVarDefinition: configVarDefinition,
  ConfigValues: configValues,
  ConfigValuesInput: configValuesInput,
  ConnectionInput: connectionInput,
  ConnectionState: connectionState,
  ScheduleValue: scheduleValue,
  FlowTrigger: flowTrigger,
  IntegrationSummary: integrationSummary,
  FlowSummary: flowSummary,
  InstanceFlow: instanceFlow,
  LogLine: logLine,
  Alert: alert,
  ApiError: apiError,
  EmbedConfig: embedConfig,
  Session: session,
  IntegrationList: integrationList,
  IntegrationDetail: integrationDetail,
  Instance: instance,
  InstanceList: instanceList,
  CreateInstanceRequest: createInstanceRequest,
  SaveConfigPageRequest: saveConfigPageRequest,
  DeployResponse: deployResponse,
  DeleteInstanceResponse: deleteInstanceResponse,
  Execution: execution,
  ExecutionList: executionList,
  WebhookResponse: webhookResponse,
  ConnectionTestRequest: connectionTestRequest,
  ConnectionTestResult: connectionTestResult,
  OAuthStartResponse: oauthStartResponse,
  AlertList: alertList,
  AlertMonitors: alertMonitors,
  UsageReport: usageReport,
  OrgCustomerList: orgCustomerList,
  OrgIntegrationList: orgIntegrationList,
  OrgIntegration: orgIntegration,
  OrgInstance: orgInstance,
  OrgInstancePage: orgInstancePage,
  OrgInstanceUpdate: orgInstanceUpdate,
  OrgDeployRequest: orgDeployRequest,
  OrgDeployResponse: orgDeployResponse,
  OrgDeleteResponse: orgDeleteResponse,
  ScenarioRequest: scenarioRequest,
  ScenarioState: scenarioState,
} as const;
type SchemaName = keyof typeof components;

type Auth = "customer" | "org" | "none";
type Method = "get" | "post" | "put" | "patch" | "delete";

interface Operation {
  method: Method;
  /** A path function of the contract and the names of its parameters, in order. */
  path: (...args: string[]) => string;
  params?: string[];
  operationId: string;
  summary: string;
  auth: Auth;
  tag: string;
  /** A zod object whose properties are the query parameters. */
  query?: z.ZodMiniObject;
  body?: { schema: SchemaName; required?: boolean; description?: string } | { any: true; description: string };
  headers?: Array<{ name: string; description: string }>;
  responses: Array<{ status: number; description: string; schema?: SchemaName; html?: true; headers?: Record<string, string> }>;
  errors: ApiErrorCode[];
  /** Served only by the mock platform in demo/test mode. */
  mockOnly?: true;
}

const IDEMPOTENCY_KEY = {
  name: "Idempotency-Key",
  description: "1–255 visible ASCII characters. A retry with the same key and body gets the stored answer (header Idempotent-Replayed: true); the same key with another body is 422 IDEMPOTENCY_KEY_REUSED; while the first is running, 409 IDEMPOTENCY_IN_PROGRESS.",
};

const C = ApiErrorCode;
const operations: Operation[] = [
  // ------------------------------------------------------------------ public
  { method: "get", path: paths.embedConfig, params: ["org"], operationId: "getEmbedConfig", tag: "public", auth: "none", summary: "The organization's name and the host origins allowed to embed its marketplace", responses: [{ status: 200, description: "Embed configuration", schema: "EmbedConfig" }], errors: [C.NotFound] },
  {
    method: "post", path: paths.webhook, params: ["token"], operationId: "invokeWebhook", tag: "public", auth: "none",
    summary: "Run a webhook-triggered flow; the unguessable token is the credential",
    headers: [{ name: "Prefer", description: "`respond-async`: answer 202 with the execution id instead of waiting for the result." }],
    body: { any: true, description: "Any JSON payload (at most 1 MiB), or an empty body." },
    responses: [
      { status: 200, description: "The finished execution and the flow's output", schema: "WebhookResponse" },
      { status: 202, description: "Accepted (Prefer: respond-async); poll the execution", schema: "WebhookResponse", headers: { "Preference-Applied": "respond-async" } },
    ],
    errors: [C.NotFound, C.InstancePaused, C.Conflict, C.InvalidJson, C.PayloadTooLarge],
  },
  {
    method: "get", path: paths.oauthCallback, operationId: "oauthCallback", tag: "public", auth: "none",
    summary: "OAuth redirect URI: a page that posts the result (oauthResultMessage) to its opener, pinned to the platform origin",
    responses: [{ status: 200, description: "Authorization succeeded", html: true }, { status: 400, description: "Denied, expired or mismatched state", html: true }],
    errors: [],
  },
  // ------------------------------------------------------------------ customer API
  { method: "post", path: paths.session, operationId: "createSession", tag: "customer", auth: "customer", summary: "Verify the customer JWT; creates the customer and the user on first sight", responses: [{ status: 200, description: "Who is calling", schema: "Session" }], errors: [] },
  { method: "get", path: paths.integrations, operationId: "listIntegrations", tag: "customer", auth: "customer", summary: "The marketplace: integrations with the customer's activation state", query: integrationListQuery, responses: [{ status: 200, description: "Integrations, categories and labels", schema: "IntegrationList" }], errors: [C.BadRequest] },
  { method: "get", path: paths.integration, params: ["integrationId"], operationId: "getIntegration", tag: "customer", auth: "customer", summary: "One integration with its config pages (the wizard definition) and flows", responses: [{ status: 200, description: "Integration", schema: "IntegrationDetail" }], errors: [C.NotFound] },
  { method: "get", path: paths.instances, operationId: "listInstances", tag: "customer", auth: "customer", summary: "The customer's instances, newest first", responses: [{ status: 200, description: "Instances", schema: "InstanceList" }], errors: [] },
  {
    method: "post", path: paths.instances, operationId: "createInstance", tag: "customer", auth: "customer", summary: "Create an unconfigured instance (or return the customer's existing draft of that integration)",
    body: { schema: "CreateInstanceRequest" },
    responses: [{ status: 201, description: "Created", schema: "Instance" }, { status: 200, description: "The existing draft", schema: "Instance" }],
    errors: [C.BadRequest, C.InvalidJson, C.Forbidden, C.NotFound],
  },
  { method: "get", path: paths.instance, params: ["instanceId"], operationId: "getInstance", tag: "customer", auth: "customer", summary: "One of the customer's instances (secrets masked)", responses: [{ status: 200, description: "Instance", schema: "Instance" }], errors: [C.NotFound] },
  { method: "delete", path: paths.instance, params: ["instanceId"], operationId: "deleteInstance", tag: "customer", auth: "customer", summary: "Run the removal flows (a failure does not block), then delete the instance", responses: [{ status: 200, description: "Deleted", schema: "DeleteInstanceResponse" }], errors: [C.NotFound, C.Forbidden, C.Conflict] },
  {
    method: "put", path: paths.instanceConfigPage, params: ["instanceId", "page"], operationId: "saveConfigPage", tag: "customer", auth: "customer",
    summary: "Save one config page; values are validated like the wizard validates them. An omitted secret keeps the stored one.",
    body: { schema: "SaveConfigPageRequest" },
    responses: [{ status: 200, description: "The instance with the saved values", schema: "Instance" }],
    errors: [C.BadRequest, C.InvalidJson, C.ValidationFailed, C.Forbidden, C.NotFound],
  },
  {
    method: "post", path: paths.instanceDeploy, params: ["instanceId"], operationId: "deployInstance", tag: "customer", auth: "customer",
    summary: "Deploy (or re-deploy) with the saved config; runs the deploy-trigger flows (a failed one does not undo the deploy)",
    headers: [IDEMPOTENCY_KEY],
    body: { any: true, description: "Optional; when present, a JSON object (part of the idempotency fingerprint)." },
    responses: [{ status: 200, description: "Deployed", schema: "DeployResponse" }],
    errors: [C.BadRequest, C.InvalidJson, C.Forbidden, C.NotFound, C.InstanceNotConfigured, C.Conflict, C.IdempotencyKeyReused, C.IdempotencyInProgress],
  },
  { method: "post", path: paths.instancePause, params: ["instanceId"], operationId: "pauseInstance", tag: "customer", auth: "customer", summary: "Pause: nothing runs, webhooks answer 409 INSTANCE_PAUSED, no usage is counted", responses: [{ status: 200, description: "Paused", schema: "Instance" }], errors: [C.NotFound, C.Forbidden, C.Conflict] },
  { method: "post", path: paths.instanceResume, params: ["instanceId"], operationId: "resumeInstance", tag: "customer", auth: "customer", summary: "Resume a paused instance", responses: [{ status: 200, description: "Running again", schema: "Instance" }], errors: [C.NotFound, C.Forbidden, C.Conflict] },
  { method: "get", path: paths.instanceExecutions, params: ["instanceId"], operationId: "listExecutions", tag: "customer", auth: "customer", summary: "The instance's executions, newest first", responses: [{ status: 200, description: "Executions", schema: "ExecutionList" }], errors: [C.NotFound] },
  { method: "get", path: paths.instanceExecution, params: ["instanceId", "executionId"], operationId: "getExecution", tag: "customer", auth: "customer", summary: "One execution with its logs and step results (secrets redacted)", responses: [{ status: 200, description: "Execution", schema: "Execution" }], errors: [C.NotFound] },
  {
    method: "post", path: paths.connectionTest, params: ["instanceId", "key"], operationId: "testConnection", tag: "customer", auth: "customer", summary: "Test a connection field: the typed value (omitted secrets = the stored ones) or the stored one",
    body: { schema: "ConnectionTestRequest", required: false },
    responses: [{ status: 200, description: "The test result", schema: "ConnectionTestResult" }],
    errors: [C.BadRequest, C.InvalidJson, C.Forbidden, C.NotFound],
  },
  { method: "post", path: paths.oauthStart, params: ["instanceId", "key"], operationId: "startOAuth", tag: "customer", auth: "customer", summary: "Start an OAuth 2.0 authorization for a connection field; open authorizeUrl in a popup", responses: [{ status: 200, description: "Where to send the user", schema: "OAuthStartResponse" }], errors: [C.BadRequest, C.Forbidden, C.NotFound] },
  { method: "get", path: paths.instanceAlerts, params: ["instanceId"], operationId: "listAlerts", tag: "customer", auth: "customer", summary: "Alerts raised for the instance, newest first", responses: [{ status: 200, description: "Alerts", schema: "AlertList" }], errors: [C.NotFound] },
  { method: "get", path: paths.instanceAlertMonitors, params: ["instanceId"], operationId: "getAlertMonitors", tag: "customer", auth: "customer", summary: "The instance's alert monitors", responses: [{ status: 200, description: "Monitors", schema: "AlertMonitors" }], errors: [C.NotFound] },
  { method: "put", path: paths.instanceAlertMonitors, params: ["instanceId"], operationId: "setAlertMonitors", tag: "customer", auth: "customer", summary: "Set the instance's alert monitors", body: { schema: "AlertMonitors" }, responses: [{ status: 200, description: "Monitors", schema: "AlertMonitors" }], errors: [C.BadRequest, C.InvalidJson, C.Forbidden, C.NotFound] },
  { method: "get", path: paths.usage, operationId: "getUsage", tag: "customer", auth: "customer", summary: "Enabled seconds of the customer's instances over a period (paused time excluded); default the last 30 days", query: z.partial(usageQuery), responses: [{ status: 200, description: "Usage", schema: "UsageReport" }], errors: [C.BadRequest] },
  // ------------------------------------------------------------------ organization API
  { method: "get", path: orgPaths.customers, operationId: "orgListCustomers", tag: "organization", auth: "org", summary: "The organization's customers with their instance counts", responses: [{ status: 200, description: "Customers", schema: "OrgCustomerList" }], errors: [C.BadRequest] },
  {
    method: "post", path: orgPaths.customerInstances, params: ["customerId"], operationId: "orgDeployForCustomer", tag: "organization", auth: "org",
    summary: "Deploy an instance for a customer with the given config values, validated exactly like the customer's wizard (nothing is created when a value is refused)",
    headers: [IDEMPOTENCY_KEY],
    body: { schema: "OrgDeployRequest" },
    responses: [{ status: 201, description: "Deployed", schema: "OrgDeployResponse" }],
    errors: [C.BadRequest, C.InvalidJson, C.NotFound, C.ValidationFailed, C.IdempotencyKeyReused, C.IdempotencyInProgress],
  },
  { method: "get", path: orgPaths.integrations, operationId: "orgListIntegrations", tag: "organization", auth: "org", summary: "The catalog", responses: [{ status: 200, description: "Integrations", schema: "OrgIntegrationList" }], errors: [C.BadRequest] },
  { method: "get", path: orgPaths.integration, params: ["integrationId"], operationId: "orgGetIntegration", tag: "organization", auth: "org", summary: "One integration with its config pages (the wizard definition) and flows", responses: [{ status: 200, description: "Integration", schema: "OrgIntegration" }], errors: [C.NotFound] },
  {
    method: "get", path: orgPaths.instances, operationId: "orgSearchInstances", tag: "organization", auth: "org",
    summary: "Instances across all customers, newest first: search by name, filter by description, integration, labels (repeat `label`; all must match), customer and status; cursor pagination",
    query: orgInstanceQuery,
    responses: [{ status: 200, description: "One page", schema: "OrgInstancePage" }],
    errors: [C.BadRequest, C.InvalidCursor],
  },
  { method: "get", path: orgPaths.instance, params: ["instanceId"], operationId: "orgGetInstance", tag: "organization", auth: "org", summary: "Any instance of the organization", responses: [{ status: 200, description: "Instance", schema: "OrgInstance" }], errors: [C.NotFound] },
  { method: "patch", path: orgPaths.instance, params: ["instanceId"], operationId: "orgUpdateInstance", tag: "organization", auth: "org", summary: "Set the instance's labels and/or description", body: { schema: "OrgInstanceUpdate" }, responses: [{ status: 200, description: "Instance", schema: "OrgInstance" }], errors: [C.BadRequest, C.InvalidJson, C.NotFound] },
  { method: "delete", path: orgPaths.instance, params: ["instanceId"], operationId: "orgDeleteInstance", tag: "organization", auth: "org", summary: "Run the removal flows, then delete any instance", responses: [{ status: 200, description: "Deleted", schema: "OrgDeleteResponse" }], errors: [C.NotFound, C.Conflict] },
  { method: "post", path: orgPaths.instancePause, params: ["instanceId"], operationId: "orgPauseInstance", tag: "organization", auth: "org", summary: "Pause any instance", responses: [{ status: 200, description: "Paused", schema: "OrgInstance" }], errors: [C.NotFound, C.Conflict] },
  { method: "post", path: orgPaths.instanceResume, params: ["instanceId"], operationId: "orgResumeInstance", tag: "organization", auth: "org", summary: "Resume any paused instance", responses: [{ status: 200, description: "Running again", schema: "OrgInstance" }], errors: [C.NotFound, C.Conflict] },
  { method: "get", path: orgPaths.instanceExecutions, params: ["instanceId"], operationId: "orgListExecutions", tag: "organization", auth: "org", summary: "Executions of any instance, newest first", responses: [{ status: 200, description: "Executions", schema: "ExecutionList" }], errors: [C.NotFound] },
  // ------------------------------------------------------------------ mock platform only
  { method: "get", path: scenarioPath, operationId: "getScenario", tag: "mock platform", auth: "none", mockOnly: true, summary: "The active failure-rehearsal scenario (mock platform in demo/test mode only)", responses: [{ status: 200, description: "Scenario", schema: "ScenarioState" }], errors: [C.NotFound] },
  {
    method: "put", path: scenarioPath, operationId: "setScenario", tag: "mock platform", auth: "none", mockOnly: true,
    summary: "Switch the failure-rehearsal scenario, by body or by `?scenario=<name>` (mock platform in demo/test mode only)",
    query: z.object({ scenario: z.optional(scenarioState.shape.scenario) }),
    body: { schema: "ScenarioRequest", required: false },
    responses: [{ status: 200, description: "Scenario", schema: "ScenarioState" }],
    errors: [C.BadRequest, C.InvalidJson, C.NotFound],
  },
];

/** `paths.instance` → "/api/v1/instances/{instanceId}": the contract's own function builds the template. */
export function pathTemplate(fn: (...args: string[]) => string, params: readonly string[] = []): string {
  const marks = params.map((_, i) => `@@${i}@@`);
  let template = fn(...marks);
  params.forEach((name, i) => (template = template.replace(encodeURIComponent(marks[i]), `{${name}}`).replace(marks[i], `{${name}}`)));
  return template;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function jsonSchemas(): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(components)) registry.add(schema as z.ZodMiniType, { id });
  const { schemas } = z.toJSONSchema(registry, { target: "draft-2020-12", uri: (id) => `#/components/schemas/${id}`, unrepresentable: "any" });
  const out: Record<string, Json> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = schema as Record<string, Json>;
    out[id === "__shared" ? "Shared" : id] = rest;
  }
  // Name the code: the platform only ever answers with the contract's codes.
  out.ApiErrorCode = { type: "string", enum: Object.values(ApiErrorCode) };
  const error = (((out.ApiError as { properties: Record<string, Json> }).properties.error as { properties: Record<string, Json> }).properties);
  error.code = { $ref: "#/components/schemas/ApiErrorCode" };
  return JSON.parse(JSON.stringify(out).replaceAll('"#/components/schemas/__shared', '"#/components/schemas/Shared')) as Record<string, Json>;
}

function queryParameters(query: z.ZodMiniObject): Json[] {
  const schema = z.toJSONSchema(query, { target: "draft-2020-12", unrepresentable: "any" }) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const parameter: Record<string, Json> = { name, in: "query", required: (schema.required ?? []).includes(name), schema: property };
    if ((property as { type?: string }).type === "array") Object.assign(parameter, { style: "form", explode: true });
    return parameter;
  });
}

const ref = (name: SchemaName): Json => ({ $ref: `#/components/schemas/${name}` });

function errorResponses(operation: Operation): Record<string, Json> {
  const codes = new Set<ApiErrorCode>(operation.errors);
  if (operation.auth === "customer") {
    for (const code of Object.values(ApiErrorCode)) if (code.startsWith("TOKEN_")) codes.add(code);
  }
  if (operation.auth === "org") codes.add(C.OrgKeyInvalid);
  codes.add(C.ServerError);
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of codes) byStatus.set(apiErrorStatus[code], [...(byStatus.get(apiErrorStatus[code]) ?? []), code]);
  const out: Record<string, Json> = {};
  for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    out[String(status)] = { description: `Error: ${list.join(", ")}`, content: { "application/json": { schema: ref("ApiError") } } };
  }
  return out;
}

function operationObject(operation: Operation): Json {
  const parameters: Json[] = (operation.params ?? []).map((name) => ({ name, in: "path", required: true, schema: { type: "string" } }));
  if (operation.query) parameters.push(...queryParameters(operation.query));
  for (const header of operation.headers ?? []) parameters.push({ name: header.name, in: "header", required: false, description: header.description, schema: { type: "string" } });
  const responses: Record<string, Json> = {};
  for (const r of operation.responses) {
    const response: Record<string, Json> = { description: r.description };
    if (r.schema) response.content = { "application/json": { schema: ref(r.schema) } };
    if (r.html) response.content = { "text/html": { schema: { type: "string" } } };
    if (r.headers) response.headers = Object.fromEntries(Object.entries(r.headers).map(([name, value]) => [name, { schema: { type: "string", const: value } }]));
    responses[String(r.status)] = response;
  }
  Object.assign(responses, Object.fromEntries(Object.entries(errorResponses(operation)).filter(([status]) => !(status in responses))));
  const result: Record<string, Json> = {
    operationId: operation.operationId,
    summary: operation.summary,
    tags: [operation.tag],
    security: operation.auth === "customer" ? [{ customerJwt: [] }] : operation.auth === "org" ? [{ orgApiKey: [] }] : [],
  };
  if (parameters.length) result.parameters = parameters;
  if (operation.body) {
    result.requestBody =
      "any" in operation.body
        ? { required: false, description: operation.body.description, content: { "application/json": { schema: {} } } }
        : {
            required: operation.body.required ?? true,
            ...(operation.body.description ? { description: operation.body.description } : {}),
            content: { "application/json": { schema: ref(operation.body.schema) } },
          };
  }
  result.responses = responses;
  if (operation.mockOnly) result["x-emporium-mock-only"] = true;
  return result;
}

/** The whole document; deterministic (same contract → same bytes). */
export function buildOpenApiDocument(): Record<string, Json> {
  const pathItems: Record<string, Record<string, Json>> = {};
  for (const operation of operations) {
    const template = pathTemplate(operation.path, operation.params);
    (pathItems[template] ??= {})[operation.method] = operationObject(operation);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Emporium platform API",
      version: "1",
      description:
        "The REST API behind the Emporium embeddable integration marketplace, generated from the zod contract (contract/*.ts). " +
        "Customer endpoints take a customer JWT signed by the organization's backend (RS256/ES256, `kid` header); organization endpoints " +
        "take an organization API key (`org_…`). Neither is accepted where the other is expected. Errors are `{ error: { code, message, fields?, page? } }`.",
      license: { name: "MIT", identifier: "MIT" },
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: "http://127.0.0.1:4100", description: "The local mock platform (npm start)" }],
    tags: [
      { name: "public", description: "No credential (the embed configuration, webhooks with their unguessable token, the OAuth callback)" },
      { name: "customer", description: "Customer-scoped API (the marketplace frame and the headless client)" },
      { name: "organization", description: "The organization's API, server-to-server only" },
      { name: "mock platform", description: "Served only by the mock platform in demo/test mode" },
    ],
    paths: pathItems as Record<string, Json>,
    components: {
      securitySchemes: {
        customerJwt: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "A customer JWT signed by the organization's backend with RS256 or ES256 and a `kid` header. Required claims: sub, organization, customer, iat, exp; " +
            "optional name, external_id, customer_name, role (admin | viewer), aud (\"emporium\"), iss (the organization id). jku/x5u/jwk/x5c headers are refused.",
        },
        orgApiKey: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "org_…",
          description: "An organization API key (`org_` prefix). The platform stores only its SHA-256. Server-to-server only: never send it from a browser.",
        },
      },
      schemas: jsonSchemas(),
    },
  };
}

export function openApiText(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}

// `tsx mock-server/http/openapi.ts [--write]`
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = openApiText();
  if (process.argv.includes("--write")) {
    const file = resolve(fileURLToPath(new URL("../..", import.meta.url)), OPENAPI_FILE);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    console.log(`wrote ${OPENAPI_FILE} (${operations.length} operations)`);
  } else {
    process.stdout.write(text);
  }
}
