/**
 * The platform REST API, version 1: every request body and response body, and the paths.
 * The mock platform, the frame and the headless client all import these.
 */
import * as z from "zod/mini";
import { configPage, configValues, configValuesInput, connectionState } from "./config-vars.ts";
import { flowTrigger } from "./catalog.ts";

const text = (max: number) => z.string().check(z.maxLength(max));
const isoTime = z.string();

export const API_PREFIX = "/api/v1";

/** Every path of the API, relative to the platform origin. */
export const paths = {
  embedConfig: (org: string) => `${API_PREFIX}/embed/${encodeURIComponent(org)}`,
  session: () => `${API_PREFIX}/session`,
  integrations: () => `${API_PREFIX}/integrations`,
  integration: (id: string) => `${API_PREFIX}/integrations/${encodeURIComponent(id)}`,
  instances: () => `${API_PREFIX}/instances`,
  instance: (id: string) => `${API_PREFIX}/instances/${encodeURIComponent(id)}`,
  instanceConfigPage: (id: string, page: string) =>
    `${API_PREFIX}/instances/${encodeURIComponent(id)}/config/${encodeURIComponent(page)}`,
  instanceDeploy: (id: string) => `${API_PREFIX}/instances/${encodeURIComponent(id)}/deploy`,
  instancePause: (id: string) => `${API_PREFIX}/instances/${encodeURIComponent(id)}/pause`,
  instanceResume: (id: string) => `${API_PREFIX}/instances/${encodeURIComponent(id)}/resume`,
  instanceExecutions: (id: string) => `${API_PREFIX}/instances/${encodeURIComponent(id)}/executions`,
  webhook: (token: string) => `${API_PREFIX}/webhooks/${encodeURIComponent(token)}`,
} as const;

// ---------------------------------------------------------------------------------------------
// Errors

export const apiError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** Field-level messages, keyed by config variable key (VALIDATION_FAILED). */
    fields: z.optional(z.record(z.string(), z.string())),
    /** The config page each failing field is on, when known. */
    page: z.optional(z.string()),
  }),
});
export type ApiError = z.infer<typeof apiError>;

// ---------------------------------------------------------------------------------------------
// Public

export const embedConfig = z.object({
  organization: z.object({ id: z.string(), name: z.string() }),
  /** Exact host origins allowed to embed the marketplace. */
  allowedOrigins: z.array(z.string()),
});
export type EmbedConfig = z.infer<typeof embedConfig>;

// ---------------------------------------------------------------------------------------------
// Session

export const role = z.enum(["admin", "viewer"]);
export type Role = z.infer<typeof role>;

export const session = z.object({
  organization: z.object({ id: z.string(), name: z.string() }),
  customer: z.object({ id: z.string(), externalId: z.string(), name: z.string() }),
  user: z.object({ id: z.string(), externalId: z.string(), name: z.string(), role }),
  /** When the presented token expires (ISO time). */
  expiresAt: isoTime,
});
export type Session = z.infer<typeof session>;

// ---------------------------------------------------------------------------------------------
// Marketplace

export const activationState = z.enum(["available", "activated", "paused", "needs-configuration"]);
export type ActivationState = z.infer<typeof activationState>;

export const integrationSummary = z.object({
  id: z.string(),
  name: z.string(),
  summary: z.string(),
  category: z.string(),
  labels: z.array(z.string()),
  icon: z.string(),
  vendor: z.string(),
  activation: z.object({
    state: activationState,
    instanceId: z.optional(z.string()),
  }),
});
export type IntegrationSummary = z.infer<typeof integrationSummary>;

export const integrationListQuery = z.object({
  q: z.optional(text(200)),
  category: z.optional(text(100)),
  label: z.optional(text(50)),
  state: z.optional(activationState),
});
export type IntegrationListQuery = z.infer<typeof integrationListQuery>;

export const integrationList = z.object({
  integrations: z.array(integrationSummary),
  categories: z.array(z.string()),
  labels: z.array(z.string()),
});
export type IntegrationList = z.infer<typeof integrationList>;

export const flowSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.optional(z.string()),
  trigger: flowTrigger,
});
export type FlowSummary = z.infer<typeof flowSummary>;

export const integrationDetail = z.object({
  ...integrationSummary.shape,
  description: z.string(),
  configPages: z.array(configPage),
  flows: z.array(flowSummary),
});
export type IntegrationDetail = z.infer<typeof integrationDetail>;

// ---------------------------------------------------------------------------------------------
// Instances

export const instanceStatus = z.enum(["draft", "deploying", "deployed", "paused"]);
export type InstanceStatus = z.infer<typeof instanceStatus>;

export const instanceFlow = z.object({
  id: z.string(),
  name: z.string(),
  trigger: flowTrigger,
  /** Absolute URL for webhook-triggered flows of a deployed instance. */
  webhookUrl: z.optional(z.string()),
  /** Next scheduled run (ISO time) for schedule-triggered flows of a running instance. */
  nextRunAt: z.optional(z.string()),
});
export type InstanceFlow = z.infer<typeof instanceFlow>;

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
  completedPages: z.array(z.string()),
  flows: z.array(instanceFlow),
  createdAt: isoTime,
  updatedAt: isoTime,
  deployedAt: z.optional(isoTime),
});
export type Instance = z.infer<typeof instance>;

export const instanceList = z.object({ instances: z.array(instance) });
export type InstanceList = z.infer<typeof instanceList>;

export const createInstanceRequest = z.object({ integrationId: text(64) });
export type CreateInstanceRequest = z.infer<typeof createInstanceRequest>;

export const saveConfigPageRequest = z.object({ values: configValuesInput });
export type SaveConfigPageRequest = z.infer<typeof saveConfigPageRequest>;

export const connectionTestResult = z.object({ ok: z.boolean(), message: z.string(), state: connectionState });
export type ConnectionTestResult = z.infer<typeof connectionTestResult>;

// ---------------------------------------------------------------------------------------------
// Executions

export const executionStatus = z.enum(["running", "succeeded", "failed"]);
export type ExecutionStatus = z.infer<typeof executionStatus>;

export const logLine = z.object({
  at: isoTime,
  level: z.enum(["debug", "info", "warn", "error"]),
  step: z.optional(z.string()),
  message: z.string(),
});
export type LogLine = z.infer<typeof logLine>;

export const execution = z.object({
  id: z.string(),
  instanceId: z.string(),
  flowId: z.string(),
  flowName: z.string(),
  trigger: z.enum(["webhook", "schedule", "deploy", "removal"]),
  status: executionStatus,
  startedAt: isoTime,
  endedAt: z.optional(isoTime),
  durationMs: z.optional(z.number()),
  logs: z.array(logLine),
  /** Each step's result, secrets redacted. */
  stepResults: z.record(z.string(), z.unknown()),
  output: z.optional(z.unknown()),
  error: z.optional(z.string()),
});
export type Execution = z.infer<typeof execution>;

export const executionList = z.object({ executions: z.array(execution) });
export type ExecutionList = z.infer<typeof executionList>;

export const deployResponse = z.object({
  instance,
  /** Executions of the deploy-trigger flows; a failed one does not undo the deploy. */
  executions: z.array(execution),
});
export type DeployResponse = z.infer<typeof deployResponse>;

/** A synchronous webhook call answers with the finished execution and the flow output. */
export const webhookResponse = z.object({
  executionId: z.string(),
  status: executionStatus,
  output: z.optional(z.unknown()),
  error: z.optional(z.string()),
});
export type WebhookResponse = z.infer<typeof webhookResponse>;
