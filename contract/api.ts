/**
 * The platform REST API, version 1: every request body and response body, and the paths.
 * The mock platform, the frame and the headless client all import these.
 */
import * as z from "zod/mini";
import { text } from "./text.ts";
import type { DataSourceOption, DataSourceRequest, DataSourceResult, FlowSummary, IntegrationDetail, InstanceStatus, InstanceFlow, Instance, ExecutionStatus, LogLine, Execution, ExecutionNotice, DeployResponse, DeleteInstanceResponse, UpgradePlanSummary, TestRunRequest, ConnectionTestResult } from "./api-types.ts";
import { configPage, configValues, configValuesInput, connectionInput, connectionState } from "./config-vars.ts";
import { flowTrigger } from "./flow-trigger.ts";
import { pageQuery } from "./page-query.ts";
import { integrationSummary } from "./api-marketplace.ts";

// Errors, the public embed config, the session and the marketplace list live in
// api-marketplace.ts, and the list's paths in list-paths.ts, so the frame's first route bundles
// only those; re-exported here with every path (api-paths.ts).
export * from "./api-marketplace.ts";
export * from "./api-connections.ts";
export { connectionPaths } from "./connection-paths.ts";
export { API_PREFIX, paths } from "./api-paths.ts";

const isoTime = z.string();

// ---------------------------------------------------------------------------------------------
// Integration detail

export const flowSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.optional(z.string()),
  trigger: flowTrigger,
  /** A payload the flow accepts (webhook flows declare one): what a test run suggests. */
  example: z.optional(z.unknown()),
}) satisfies z.ZodMiniType<FlowSummary>;

export const integrationDetail = z.object({
  ...integrationSummary().shape,
  description: z.string(),
  configPages: z.array(configPage),
  flows: z.array(flowSummary),
  /** What changed in this version (safe markdown). `version` is this definition's version (`?version=` asks for an older one). */
  releaseNotes: z.optional(z.string()),
}) satisfies z.ZodMiniType<IntegrationDetail>;

// ---------------------------------------------------------------------------------------------
// Instances

/** `deleted`: a deactivated instance's kept record, as the organization API shows it (a customer gets 410 INSTANCE_DELETED). */
export const instanceStatus = z.enum(["draft", "deploying", "deployed", "paused", "deleted"]) satisfies z.ZodMiniType<InstanceStatus>;

export const instanceFlow = z.object({
  id: z.string(),
  name: z.string(),
  trigger: flowTrigger,
  /** Absolute URL for webhook-triggered flows of a deployed instance. */
  webhookUrl: z.optional(z.string()),
  /** Next scheduled run (ISO time) for schedule-triggered flows of a running instance. */
  nextRunAt: z.optional(z.string()),
  /** A payload the flow accepts (its declared example): what a test run suggests. */
  example: z.optional(z.unknown()),
}) satisfies z.ZodMiniType<InstanceFlow>;

/** What an upgrade does to an instance's values (contract/upgrade.ts `planUpgrade`, without the values). */
export const upgradePlanSummary = z.object({
  fromVersion: z.number(),
  toVersion: z.number(),
  kept: z.array(z.string()),
  renamed: z.array(z.object({ from: z.string(), to: z.string() })),
  removed: z.array(z.string()),
  added: z.array(z.string()),
  /** Fields the upgrade shows the customer: new ones, and ones whose carried value the new version refuses. */
  asks: z.array(
    z.object({
      key: z.string(),
      page: z.string(),
      reason: z.enum(["new", "invalid"]),
      /** Why it has no acceptable value yet; absent when it has one (a new field with a default). */
      problem: z.optional(z.string()),
    }),
  ),
  /** The target version's pages that show something, in order: the upgrade wizard walks only these. */
  pages: z.array(z.string()),
  /** Some field has no acceptable value without the customer. */
  needsInput: z.boolean(),
}) satisfies z.ZodMiniType<UpgradePlanSummary>;

export const instance = z.object({
  id: z.string(),
  integrationId: z.string(),
  integrationName: z.string(),
  customerId: z.string(),
  name: z.string(),
  description: z.string(),
  labels: z.array(z.string()),
  status: instanceStatus,
  /** Values saved so far; secrets come back masked as `{ secret: "set" }`. */
  configValues,
  /** Config pages saved so far, in order: the wizard resumes after the last one. */
  optionLabels: z.optional(z.record(z.string(), z.record(z.string(), z.string()))),
  completedPages: z.array(z.string()),
  flows: z.array(instanceFlow),
  createdAt: isoTime,
  updatedAt: isoTime,
  deployedAt: z.optional(isoTime),
  /** The integration version the instance runs (deployed with); for one never deployed, the version it is set up with. */
  integrationVersion: z.number(),
  /** A newer version of the integration than the one the instance runs; `needsInput`: the customer must fill in or fix something. */
  availableUpdate: z.optional(z.object({ version: z.number(), needsInput: z.boolean() })),
  /**
   * An upgrade in progress: the config pages, `configValues` and `completedPages` are those of
   * `toVersion` until it is deployed (the instance keeps running `integrationVersion`) or canceled.
   */
  upgrade: z.optional(z.object({ toVersion: z.number(), startedAt: isoTime, plan: upgradePlanSummary })),
  /** When it was deactivated (status `deleted`); the record and its history are kept for the retention period. */
  deletedAt: z.optional(isoTime),
  /** Who deactivated it: a user of the customer's (their id in the host app) or the organization. */
  deletedBy: z.optional(z.object({ kind: z.enum(["user", "organization"]), id: z.string(), name: z.string() })),
}) satisfies z.ZodMiniType<Instance>;

export const instanceList = z.object({ instances: z.array(instance) });
export type InstanceList = z.infer<typeof instanceList>;

export const createInstanceRequest = z.object({ integrationId: text(64) });
export type CreateInstanceRequest = z.infer<typeof createInstanceRequest>;

/** Optional body of PATCH /instances/{id}: the customer's name for the instance. */
export const updateInstanceRequest = z.object({ name: z.string().check(z.maxLength(200)) });
export type UpdateInstanceRequest = z.infer<typeof updateInstanceRequest>;

/** Start an upgrade: to `toVersion` (default: the latest). */
export const startUpgradeRequest = z.object({ toVersion: z.optional(z.int().check(z.gte(1))) });
export type StartUpgradeRequest = z.infer<typeof startUpgradeRequest>;

/**
 * `integrationVersion`: the version of the config pages the wizard shows. When the instance's
 * setup has moved on meanwhile (an upgrade started, canceled or deployed in another window),
 * the save is refused with 409 VERSION_CONFLICT instead of landing on the wrong version.
 */
export const saveConfigPageRequest = z.object({ values: configValuesInput, integrationVersion: z.optional(z.int()) });
export type SaveConfigPageRequest = z.infer<typeof saveConfigPageRequest>;

/**
 * Optional body of a deploy (part of the idempotency fingerprint). `integrationVersion`: the
 * version the wizard deploys; refused with 409 VERSION_CONFLICT when the instance's setup has
 * moved to another one meanwhile (e.g. an upgrade deployed or canceled in another window).
 */
export const deployRequest = z.object({ integrationVersion: z.optional(z.int()) });
export type DeployRequest = z.infer<typeof deployRequest>;


// ---------------------------------------------------------------------------------------------
// Data sources: a picklist's options from the customer's own account

/**
 * Ask for a data-source field's options. `values` are the current (unsaved) values of the fields
 * the source depends on; a dependency left out is read from the saved draft. `search` narrows the
 * options on the platform (all words, case-insensitive), for lists longer than one answer holds.
 */
export const dataSourceRequest = z.object({
  values: z.optional(configValuesInput),
  search: z.optional(text(200)),
}) satisfies z.ZodMiniType<DataSourceRequest>;

export const dataSourceOption = z.object({
  value: text(200),
  label: text(200),
  description: z.optional(text(300)),
}) satisfies z.ZodMiniType<DataSourceOption>;

/** One answer holds at most this many options; `truncated` says more matched (search to narrow). */
export const MAX_DATA_SOURCE_OPTIONS = 1000;

export const dataSourceResult = z.object({
  options: z.array(dataSourceOption).check(z.maxLength(MAX_DATA_SOURCE_OPTIONS)),
  /** More options matched than one answer holds: search to find the others. */
  truncated: z.boolean(),
}) satisfies z.ZodMiniType<DataSourceResult>;

// ---------------------------------------------------------------------------------------------
// Executions

export const executionStatus = z.enum(["running", "succeeded", "failed"]) satisfies z.ZodMiniType<ExecutionStatus>;

/** What started a run. */
export const executionTrigger = z.enum(["webhook", "schedule", "deploy", "removal"]) satisfies z.ZodMiniType<Execution["trigger"]>;

export const logLine = z.object({
  at: isoTime,
  level: z.enum(["debug", "info", "warn", "error"]),
  step: z.optional(z.string()),
  message: z.string(),
}) satisfies z.ZodMiniType<LogLine>;

/** What a run is, in the logs' list (executionSummary) and in full. */
export const executionRun = {
  flowId: z.string(),
  flowName: z.string(),
  trigger: executionTrigger,
  status: executionStatus,
  startedAt: isoTime,
  endedAt: z.optional(isoTime),
  durationMs: z.optional(z.number()),
};

export const executionNotice = z.object({
  code: z.enum(["RESULT_NOT_STORED"]),
  message: z.string(),
}) satisfies z.ZodMiniType<ExecutionNotice>;

export const execution = z.object({
  id: z.string(),
  instanceId: z.string(),
  ...executionRun,
  logs: z.array(logLine),
  /** Each step's result, secrets redacted. */
  stepResults: z.record(z.string(), z.unknown()),
  output: z.optional(z.unknown()),
  error: z.optional(z.string()),
  /**
   * What the run was started with (a webhook's body), secrets redacted; a payload over 32 KB is
   * kept as the start of its JSON text and `payloadTruncated` is set.
   */
  payload: z.optional(z.unknown()),
  payloadTruncated: z.optional(z.boolean()),
  /** Some values of the kept payload were redacted (secrets): the run cannot be replayed. */
  payloadRedacted: z.optional(z.boolean()),
  /** A test run, started by hand with a payload the user gave. */
  test: z.optional(z.boolean()),
  /** A replay: the id of the execution it ran again. */
  replayOf: z.optional(z.string()),
  /** Ids of its replays, oldest first. */
  replays: z.optional(z.array(z.string())),
  /** Part of the run is missing from its record, and why (a code to show in the user's language). */
  notice: z.optional(executionNotice),
}) satisfies z.ZodMiniType<Execution>;

/**
 * The longest test payload, as JSON text: what an execution keeps in full, so every test run
 * can be replayed (a webhook call may send up to 1 MB; the run then keeps the start of it).
 */
export const TEST_PAYLOAD_MAX_CHARS = 32_768;

/** POST /instances/{id}/flows/{flowId}/test: the payload the flow sees (any JSON). */
export const testRunRequest = z.object({ payload: z.optional(z.unknown()) }) satisfies z.ZodMiniType<TestRunRequest>;

/** GET /instances/{id}/executions/{executionId}/replays: the run's replays, oldest first. */
export const executionReplays = z.object({ executions: z.array(execution) });
export type ExecutionReplays = z.infer<typeof executionReplays>;

export const EXECUTION_PAGE_SIZE_DEFAULT = 50;
export const EXECUTION_PAGE_SIZE_MAX = 200;

/** Query of an execution list: page size and the `nextCursor` of the previous page. */
export const executionListQuery = z.object(pageQuery(EXECUTION_PAGE_SIZE_MAX));
export type ExecutionListQuery = z.infer<typeof executionListQuery>;

/** One page of executions, newest first; `nextCursor` fetches the next (older) page, null on the last. */
export const executionList = z.object({ executions: z.array(execution), nextCursor: z.nullable(z.string()) });
export type ExecutionList = z.infer<typeof executionList>;

export const deployResponse = z.object({
  instance,
  /** Executions of the deploy-trigger flows; a failed one does not undo the deploy. */
  executions: z.array(execution),
}) satisfies z.ZodMiniType<DeployResponse>;

/** A synchronous webhook call answers with the finished execution and the flow output. */
export const webhookResponse = z.object({
  executionId: z.string(),
  status: executionStatus,
  output: z.optional(z.unknown()),
  error: z.optional(z.string()),
  /** Set when the run's end could not be stored as it was: it is stored cut, without its output (RESULT_NOT_STORED). */
  notice: z.optional(executionNotice),
});
export type WebhookResponse = z.infer<typeof webhookResponse>;

/** DELETE instance: the removal-trigger executions (a failed one does not block the removal). */
export const deleteInstanceResponse = z.object({
  instanceId: z.string(),
  executions: z.array(execution),
}) satisfies z.ZodMiniType<DeleteInstanceResponse>;

// ---------------------------------------------------------------------------------------------
// Connections

export const OAUTH_RESULT_MESSAGE_TYPE = "emporium:oauth-result";

/** What the OAuth callback page posts to its opener, pinned to the platform origin. */
export const oauthResultMessage = z.discriminatedUnion("ok", [
  z.object({
    type: z.literal(OAUTH_RESULT_MESSAGE_TYPE),
    ok: z.literal(true),
    state: z.string(),
    /** The connection made or reconnected (`GET /connections/oauth/{state}` tells the same, to its starter only). */
    connectionId: z.string(),
    grantId: z.string(),
    account: z.string(),
  }),
  z.object({
    type: z.literal(OAUTH_RESULT_MESSAGE_TYPE),
    ok: z.literal(false),
    state: z.optional(z.string()),
    error: z.object({ code: z.string(), message: z.string() }),
  }),
]);
export type OAuthResultMessage = z.infer<typeof oauthResultMessage>;

// Dashboard, logs, usage, alert monitors and alerts: api-observe.ts.

export type { DataSourceOption, DataSourceRequest, DataSourceResult, FlowSummary, IntegrationDetail, InstanceStatus, InstanceFlow, Instance, ExecutionStatus, LogLine, Execution, ExecutionNotice, DeployResponse, DeleteInstanceResponse, UpgradePlanSummary, TestRunRequest, ConnectionTestResult };
