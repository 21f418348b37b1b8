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
import { text } from "./text.ts";
import { API_PREFIX, execution, instance, integrationDetail, upgradePlanSummary } from "./api.ts";
import { configValuesInput } from "./config-vars.ts";
import { pageQuery } from "./page-query.ts";


/** Every organization API key starts with this prefix (so it is never mistaken for a JWT). */
export const ORG_API_KEY_PREFIX = "org_";

export const ORG_API_PREFIX = `${API_PREFIX}/org`;

/** Longest accepted `q` / `description` search string. */
export const ORG_SEARCH_MAX_LENGTH = 200;
/** Page size bounds for `GET /org/instances`. */
export const ORG_PAGE_SIZE_DEFAULT = 25;
export const ORG_PAGE_SIZE_MAX = 100;
/** Most instances one bulk upgrade names (`instanceIds`). */
export const ORG_BULK_UPGRADE_MAX = 500;
/** Labels: at most this many per instance, each a short slug-like word. */
export const ORG_MAX_LABELS = 20;

/** Every path of the organization API, relative to the platform origin. */
export const orgPaths = {
  /** GET: the organization's customers (every customer that has signed in at least once). */
  customers: () => `${ORG_API_PREFIX}/customers`,
  /** POST: deploy an instance for that customer with the given config values (`orgDeployRequest`). */
  customerInstances: (customerId: string) => `${ORG_API_PREFIX}/customers/${encodeURIComponent(customerId)}/instances`,
  /** GET: the customer's connections (theirs and provided ones, never a secret); POST (`createConnectionRequest`): provide one. */
  customerConnections: (customerId: string) => `${ORG_API_PREFIX}/customers/${encodeURIComponent(customerId)}/connections`,
  /** PATCH (`updateConnectionRequest`): rename or reconnect a provided connection; DELETE: remove it (409 CONNECTION_IN_USE while used). */
  customerConnection: (customerId: string, id: string) =>
    `${ORG_API_PREFIX}/customers/${encodeURIComponent(customerId)}/connections/${encodeURIComponent(id)}`,
  /** GET: the catalog as the organization sees it (no activation state). */
  integrations: () => `${ORG_API_PREFIX}/integrations`,
  /** GET ?version: one integration with its config pages (the wizard definition) and flows. */
  integration: (id: string) => `${ORG_API_PREFIX}/integrations/${encodeURIComponent(id)}`,
  /** GET: the integration's published versions; POST (`integrationDefinition`): publish the next one. */
  integrationVersions: (id: string) => `${ORG_API_PREFIX}/integrations/${encodeURIComponent(id)}/versions`,
  /** POST (`orgBulkUpgradeRequest`): upgrade every matching instance that needs no customer input, or a dry run. */
  integrationUpgrades: (id: string) => `${ORG_API_PREFIX}/integrations/${encodeURIComponent(id)}/upgrades`,
  /** GET ?q&description&integration&version&update&label&customer&status&limit&cursor: instances across all customers. */
  instances: () => `${ORG_API_PREFIX}/instances`,
  /** GET: one instance; PATCH (`orgInstanceUpdate`): set its labels and description; DELETE: remove it. */
  instance: (id: string) => `${ORG_API_PREFIX}/instances/${encodeURIComponent(id)}`,
  instancePause: (id: string) => `${ORG_API_PREFIX}/instances/${encodeURIComponent(id)}/pause`,
  instanceResume: (id: string) => `${ORG_API_PREFIX}/instances/${encodeURIComponent(id)}/resume`,
  instanceExecutions: (id: string) => `${ORG_API_PREFIX}/instances/${encodeURIComponent(id)}/executions`,
  /** POST (`orgBulkReplayRequest`, contract/org-replay.ts): replay every execution matching a filter, or a dry run. */
  replays: () => `${ORG_API_PREFIX}/replays`,
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
  /** Integration version the instance runs, exact. */
  version: z.optional(z.int().check(z.gte(1))),
  /** `available`: a newer version exists (`needs-input`: and upgrading it needs the customer); `none`: it runs the latest. */
  update: z.optional(z.enum(["available", "needs-input", "none"])),
  /** Page size 1–100 (default 25), and the previous page's `nextCursor`. */
  ...pageQuery(ORG_PAGE_SIZE_MAX),
});
export type OrgInstanceQuery = z.infer<typeof orgInstanceQuery>;

/** The query parameters `GET /org/instances` accepts (anything else is a 400). */
export const ORG_INSTANCE_QUERY_PARAMS = ["q", "description", "integration", "version", "update", "label", "customer", "status", "limit", "cursor"] as const;

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

// ---------------------------------------------------------------------------------------------
// Integration versions and upgrades

/** One published version of an integration. */
export const orgIntegrationVersion = z.object({
  version: z.number(),
  releaseNotes: z.optional(z.string()),
  /** When the organization published it; absent for the versions the platform ships. */
  publishedAt: z.optional(z.string()),
  /** The organization's instances that run it (drafts included). */
  instanceCount: z.number(),
});
export type OrgIntegrationVersion = z.infer<typeof orgIntegrationVersion>;

export const orgIntegrationVersionList = z.object({ integrationId: z.string(), latest: z.number(), versions: z.array(orgIntegrationVersion) });
export type OrgIntegrationVersionList = z.infer<typeof orgIntegrationVersionList>;

/**
 * Upgrade many instances of one integration to a version (default: the latest). Only instances
 * that are deployed and running, on an older version, with no upgrade or deploy in progress and
 * whose upgrade needs no customer input are upgraded; the others are listed with the reason.
 * `dryRun` changes nothing and says what would happen. A real run needs an `Idempotency-Key`.
 */
export const orgBulkUpgradeRequest = z.object({
  toVersion: z.optional(z.int().check(z.gte(1))),
  /** Only instances on this version. */
  fromVersion: z.optional(z.int().check(z.gte(1))),
  /** Only this customer's instances (platform customer id). */
  customer: z.optional(text(64)),
  /** Only these instances. */
  instanceIds: z.optional(z.array(text(64)).check(z.minLength(1), z.maxLength(ORG_BULK_UPGRADE_MAX))),
  dryRun: z.optional(z.boolean()),
});
export type OrgBulkUpgradeRequest = z.infer<typeof orgBulkUpgradeRequest>;

export const orgBulkUpgradeOutcome = z.enum(["upgraded", "would-upgrade", "needs-input", "skipped", "failed"]);
export type OrgBulkUpgradeOutcome = z.infer<typeof orgBulkUpgradeOutcome>;

export const orgBulkUpgradeItem = z.object({
  instance: z.object({ id: z.string(), name: z.string(), status: z.string(), customer: orgCustomerRef, fromVersion: z.number() }),
  outcome: orgBulkUpgradeOutcome,
  /** Why it was skipped, failed or needs the customer, in plain words. */
  reason: z.optional(z.string()),
  /** What the upgrade does to its values (absent for a skipped instance). */
  plan: z.optional(upgradePlanSummary),
  /** The deploy-flow executions of an upgraded instance; a failed one does not undo the upgrade. */
  executions: z.optional(z.array(z.object({ id: z.string(), flowId: z.string(), status: z.string() }))),
});
export type OrgBulkUpgradeItem = z.infer<typeof orgBulkUpgradeItem>;

export const orgBulkUpgradeResult = z.object({
  integrationId: z.string(),
  toVersion: z.number(),
  dryRun: z.boolean(),
  counts: z.object({ upgraded: z.number(), wouldUpgrade: z.number(), needsInput: z.number(), skipped: z.number(), failed: z.number() }),
  items: z.array(orgBulkUpgradeItem),
});
export type OrgBulkUpgradeResult = z.infer<typeof orgBulkUpgradeResult>;
