/**
 * The part of the REST API the marketplace list needs: paths, the error body, the public
 * embed config, the session and the integration list. api.ts re-exports all of it; the
 * frame's first route imports this file directly so the instance, execution and catalog
 * schemas load only with the screens that use them.
 *
 * Each schema here is an accessor that builds it on its first call (on-first-use.ts): this
 * module is evaluated with the frame's entry, before the catalog request leaves, and the
 * request needs none of them. `apiError()` is the schema; the same instance on every call.
 */
import * as z from "zod/mini";
import { onFirstUse } from "./on-first-use.ts";
import { text } from "./text.ts";
import type { Role, Session, ActivationState, IntegrationSummary, IntegrationListQuery, IntegrationList } from "./api-types.ts";

// ---------------------------------------------------------------------------------------------
// Errors

export const apiError = onFirstUse(() =>
  z.object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      /** Field-level messages, keyed by config variable key (VALIDATION_FAILED). */
      fields: z.optional(z.record(z.string(), z.string())),
      /** The config page each failing field is on, when known. */
      page: z.optional(z.string()),
    }),
  }),
);
export type ApiError = z.infer<ReturnType<typeof apiError>>;

// ---------------------------------------------------------------------------------------------
// Public

export const embedConfig = onFirstUse(() =>
  z.object({
    organization: z.object({ id: z.string(), name: z.string() }),
    /** Exact host origins allowed to embed the marketplace. */
    allowedOrigins: z.array(z.string()),
  }),
);
export type EmbedConfig = z.infer<ReturnType<typeof embedConfig>>;

// ---------------------------------------------------------------------------------------------
// Session

export const role = onFirstUse(() => z.enum(["admin", "viewer"]) satisfies z.ZodMiniType<Role>);

export const session = onFirstUse(
  () =>
    z.object({
      organization: z.object({ id: z.string(), name: z.string() }),
      customer: z.object({ id: z.string(), externalId: z.string(), name: z.string() }),
      user: z.object({ id: z.string(), externalId: z.string(), name: z.string(), role: role() }),
      /** When the presented token expires (ISO time). */
      expiresAt: z.string(),
    }) satisfies z.ZodMiniType<Session>,
);

// ---------------------------------------------------------------------------------------------
// Marketplace

export const activationState = onFirstUse(() => z.enum(["available", "activated", "paused", "needs-configuration"]) satisfies z.ZodMiniType<ActivationState>);

export const integrationSummary = onFirstUse(
  () =>
    z.object({
      id: z.string(),
      name: z.string(),
      summary: z.string(),
      category: z.string(),
      labels: z.array(z.string()),
      icon: z.string(),
      vendor: z.string(),
      /** The version a new instance gets (the latest published). */
      version: z.number(),
      /** A customer may run several instances of it; otherwise one, which "Manage" opens. */
      allowMultipleInstances: z.boolean(),
      activation: z.object({
        /** The most advanced of the customer's instances: activated, then paused, then needs-configuration. */
        state: activationState(),
        /** The customer's one instance, for an integration that allows one (never set when it allows several). */
        instanceId: z.optional(z.string()),
        /** Instances the customer has deployed (running or paused). */
        instanceCount: z.number(),
        /** Of those, running now. */
        activeCount: z.number(),
        /** Some deployed instance runs an older version than `version`. */
        updateAvailable: z.boolean(),
      }),
    }) satisfies z.ZodMiniType<IntegrationSummary>,
);

export const integrationListQuery = onFirstUse(
  () =>
    z.object({
      q: z.optional(text(200)),
      category: z.optional(text(100)),
      label: z.optional(text(50)),
      state: z.optional(activationState()),
    }) satisfies z.ZodMiniType<IntegrationListQuery>,
);

export const integrationList = onFirstUse(
  () =>
    z.object({
      integrations: z.array(integrationSummary()),
      categories: z.array(z.string()),
      labels: z.array(z.string()),
    }) satisfies z.ZodMiniType<IntegrationList>,
);

export type { Role, Session, ActivationState, IntegrationSummary, IntegrationListQuery, IntegrationList };
