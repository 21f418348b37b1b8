/**
 * The organization API, version 1: what an organization's own backend (or its staff console,
 * through that backend) calls to see and manage instances across all its customers. It is
 * authenticated only with an organization API key (`Authorization: Bearer org_…`), never with
 * a customer JWT; customer endpoints refuse an organization key in turn.
 *
 * Server-to-server only: the key must never reach a browser (the org console talks to a tiny
 * proxy on the organization's backend that adds it).
 */
import * as z from "zod/mini";
import { API_PREFIX, execution, instance, integrationDetail } from "./api.ts";
import { configValuesInput } from "./config-vars.ts";

const text = (max: number) => z.string().check(z.maxLength(max));

/** Every organization API key starts with this prefix (so it is never mistaken for a JWT). */
export const ORG_API_KEY_PREFIX = "org_";

export const ORG_API_PREFIX = `${API_PREFIX}/org`;

/** Longest accepted `q` / `description` search string. */
export const ORG_SEARCH_MAX_LENGTH = 200;
/** Page size bounds for `GET /org/instances`. */
export const ORG_PAGE_SIZE_DEFAULT = 25;
export const ORG_PAGE_SIZE_MAX = 100;
/** Labels: at most this many per instance, each a short slug-like word. */
export const ORG_MAX_LABELS = 20;

/** Every path of the organization API, relative to the platform origin. */
export const orgPaths = {
  /** GET: the organization's customers (every customer that has signed in at least once). */
  customers: () => `${ORG_API_PREFIX}/customers`,
  /** POST: deploy an instance for that customer with the given config values (`orgDeployRequest`). */
  customerInstances: (customerId: string) => `${ORG_API_PREFIX}/customers/${encodeURIComponent(customerId)}/instances`,
  /** GET: the catalog as the organization sees it (no activation state). */
  integrations: () => `${ORG_API_PREFIX}/integrations`,
  /** GET: one integration with its config pages (the wizard definition) and flows. */
  integration: (id: string) => `${ORG_API_PREFIX}/integrations/${encodeURIComponent(id)}`,
  /** GET ?q&description&integration&label&customer&status&limit&cursor: instances across all customers. */
  instances: () => `${ORG_API_PREFIX}/instances`,
  /** GET: one instance; PATCH (`orgInstanceUpdate`): set its labels and description; DELETE: remove it. */
  instance: (id: string) => `${ORG_API_PREFIX}/instances/${encodeURIComponent(id)}`,
  instancePause: (id: string) => `${ORG_API_PREFIX}/instances/${encodeURIComponent(id)}/pause`,
  instanceResume: (id: string) => `${ORG_API_PREFIX}/instances/${encodeURIComponent(id)}/resume`,
  instanceExecutions: (id: string) => `${ORG_API_PREFIX}/instances/${encodeURIComponent(id)}/executions`,
} as const;

// ---------------------------------------------------------------------------------------------
// Customers

export const orgCustomerRef = z.object({ id: z.string(), externalId: z.string(), name: z.string() });
export type OrgCustomerRef = z.infer<typeof orgCustomerRef>;

export const orgCustomer = z.object({
  ...orgCustomerRef.shape,
  createdAt: z.string(),
  /** Instances this customer has, drafts included. */
  instanceCount: z.number(),
});
export type OrgCustomer = z.infer<typeof orgCustomer>;

export const orgCustomerList = z.object({ customers: z.array(orgCustomer) });
export type OrgCustomerList = z.infer<typeof orgCustomerList>;

// ---------------------------------------------------------------------------------------------
// Integrations (the same wizard definition the marketplace shows, without a customer's state)

export const orgIntegration = z.omit(integrationDetail, { activation: true });
export type OrgIntegration = z.infer<typeof orgIntegration>;

export const orgIntegrationList = z.object({
  integrations: z.array(z.omit(orgIntegration, { description: true, configPages: true, flows: true })),
});
export type OrgIntegrationList = z.infer<typeof orgIntegrationList>;

// ---------------------------------------------------------------------------------------------
// Instances

/** An instance as the organization sees it: the customer's view plus who the customer is. */
export const orgInstance = z.object({ ...instance.shape, customer: orgCustomerRef });
export type OrgInstance = z.infer<typeof orgInstance>;

export const orgLabel = z.string().check(z.regex(/^[a-zA-Z0-9][a-zA-Z0-9 _.:/-]{0,49}$/));

/**
 * Query of `GET /org/instances`. Every parameter is optional; anything else is refused with
 * 400 BAD_REQUEST. `label` may repeat: an instance must carry every label asked for.
 */
export const orgInstanceQuery = z.object({
  /** Case-insensitive substring of the instance name. */
  q: z.optional(text(ORG_SEARCH_MAX_LENGTH)),
  /** Case-insensitive substring of the description. */
  description: z.optional(text(ORG_SEARCH_MAX_LENGTH)),
  /** Integration id, exact. */
  integration: z.optional(text(64)),
  /** Label(s), exact; all must be present. */
  label: z.optional(z.array(orgLabel).check(z.maxLength(ORG_MAX_LABELS))),
  /** Platform customer id (`cus_…`), exact. */
  customer: z.optional(text(64)),
  status: z.optional(z.enum(["draft", "deploying", "deployed", "paused"])),
  /** Page size, 1–100 (default 25). */
  limit: z.optional(z.int().check(z.gte(1), z.lte(ORG_PAGE_SIZE_MAX))),
  /** Opaque: `nextCursor` of the previous page, with the same filters. */
  cursor: z.optional(text(500)),
});
export type OrgInstanceQuery = z.infer<typeof orgInstanceQuery>;

/** The query parameters `GET /org/instances` accepts (anything else is a 400). */
export const ORG_INSTANCE_QUERY_PARAMS = ["q", "description", "integration", "label", "customer", "status", "limit", "cursor"] as const;

export const orgInstancePage = z.object({
  instances: z.array(orgInstance),
  /** Instances matching the filters, over all pages. */
  total: z.number(),
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: z.nullable(z.string()),
});
export type OrgInstancePage = z.infer<typeof orgInstancePage>;

/** PATCH an instance: the labels and/or description to set (at least one). */
export const orgInstanceUpdate = z.object({
  description: z.optional(text(2000)),
  labels: z.optional(z.array(orgLabel).check(z.maxLength(ORG_MAX_LABELS))),
});
export type OrgInstanceUpdate = z.infer<typeof orgInstanceUpdate>;

/**
 * Deploy an instance for a customer: the integration and every config value at once (flat,
 * keyed by config variable key, as the wizard pages would send them). Validated exactly like
 * the customer's wizard, page by page: a bad value answers 422 VALIDATION_FAILED with `fields`
 * and the first failing `page`, and nothing is created. Honours `Idempotency-Key`.
 */
export const orgDeployRequest = z.object({
  integrationId: text(64),
  values: configValuesInput,
  /** Instance name; defaults to the integration's name. */
  name: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  description: z.optional(text(2000)),
  labels: z.optional(z.array(orgLabel).check(z.maxLength(ORG_MAX_LABELS))),
});
export type OrgDeployRequest = z.infer<typeof orgDeployRequest>;

export const orgDeployResponse = z.object({
  instance: orgInstance,
  /** Executions of the deploy-trigger flows; a failed one does not undo the deploy. */
  executions: z.array(execution),
});
export type OrgDeployResponse = z.infer<typeof orgDeployResponse>;

export const orgDeleteResponse = z.object({ instanceId: z.string(), executions: z.array(execution) });
export type OrgDeleteResponse = z.infer<typeof orgDeleteResponse>;
