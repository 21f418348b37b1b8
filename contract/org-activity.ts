/**
 * The organization's view of its customers' integrations at work (organization API, org key):
 * runs and alerts across every customer with the customer logs' filters and cursor pages, and
 * the usage report of one customer over a billing period. The same rules as the customer's own
 * views (api-observe.ts), scoped to the organization and, with `customer`, to one customer: a
 * report or a page asked for one customer never holds another's data (A10).
 */
import * as z from "zod/mini";
import { ORG_API_PREFIX, orgCustomerRef } from "./org-api.ts";
import { alert, alertQuery, executionPageQuery, executionSummary, usageQuery, usageReport } from "./api-observe.ts";
import { text } from "./text.ts";

export const orgActivityPaths = {
  /** GET ?customer&instance&flow&status&trigger&from&to&q&limit&cursor: runs of every customer, newest first. */
  executions: () => `${ORG_API_PREFIX}/executions`,
  /** GET ?customer&status&instance&limit&cursor: alerts of every customer, newest first. */
  alerts: () => `${ORG_API_PREFIX}/alerts`,
  /** GET ?period|from&to: one customer's usage (enabled time billed, paused time shown). */
  customerUsage: (customerId: string) => `${ORG_API_PREFIX}/customers/${encodeURIComponent(customerId)}/usage`,
} as const;

const customer = z.optional(text(64));

export const orgExecutionQuery = z.strictObject({ ...executionPageQuery.shape, customer });
export type OrgExecutionQuery = z.infer<typeof orgExecutionQuery>;

export const orgAlertQuery = z.strictObject({ ...alertQuery.shape, customer });
export type OrgAlertQuery = z.infer<typeof orgAlertQuery>;

export const orgUsageQuery = usageQuery;

/** A run as the logs list shows it, with whose it is. */
export const orgExecutionSummary = z.extend(executionSummary, { customer: orgCustomerRef });
export type OrgExecutionSummary = z.infer<typeof orgExecutionSummary>;
export const orgExecutionPage = z.object({ executions: z.array(orgExecutionSummary), nextCursor: z.nullable(z.string()) });
export type OrgExecutionPage = z.infer<typeof orgExecutionPage>;

export const orgAlert = z.extend(alert, { customer: orgCustomerRef, instanceName: z.string() });
export type OrgAlert = z.infer<typeof orgAlert>;
export const orgAlertPage = z.object({ alerts: z.array(orgAlert), nextCursor: z.nullable(z.string()) });
export type OrgAlertPage = z.infer<typeof orgAlertPage>;

export const orgUsageReport = z.extend(usageReport, { customerRef: orgCustomerRef });
export type OrgUsageReport = z.infer<typeof orgUsageReport>;
