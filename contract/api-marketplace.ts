/**
 * The part of the REST API the marketplace list needs: paths, the error body, the public
 * embed config, the session and the integration list. api.ts re-exports all of it; the
 * frame's first route imports this file directly so the instance, execution and catalog
 * schemas load only with the screens that use them.
 */
import * as z from "zod/mini";

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
  instanceExecution: (id: string, executionId: string) =>
    `${API_PREFIX}/instances/${encodeURIComponent(id)}/executions/${encodeURIComponent(executionId)}`,
  /** POST: test a connection field's value (the typed one, or the stored one). */
  connectionTest: (id: string, key: string) =>
    `${API_PREFIX}/instances/${encodeURIComponent(id)}/connections/${encodeURIComponent(key)}/test`,
  /** POST: start an OAuth 2.0 authorization for a connection field; answers `oauthStartResponse`. */
  oauthStart: (id: string, key: string) =>
    `${API_PREFIX}/instances/${encodeURIComponent(id)}/connections/${encodeURIComponent(key)}/oauth`,
  /** GET (browser navigation): the OAuth redirect URI; a page that posts `oauthResultMessage` to its opener. */
  oauthCallback: () => `${API_PREFIX}/oauth/callback`,
  /** GET: alerts raised for an instance, newest first. */
  instanceAlerts: (id: string) => `${API_PREFIX}/instances/${encodeURIComponent(id)}/alerts`,
  /** GET / PUT: the instance's alert monitors. */
  instanceAlertMonitors: (id: string) => `${API_PREFIX}/instances/${encodeURIComponent(id)}/alert-monitors`,
  /** GET ?from&to (ISO times): enabled time of the caller's instances over a period. */
  usage: () => `${API_PREFIX}/usage`,
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
