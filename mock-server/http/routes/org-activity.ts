/**
 * The organization's view of runs, alerts and usage across its customers (`/api/v1/org/…`),
 * organization API key only. The filters and pages are the customer logs' own (observe.ts),
 * plus `customer`.
 */
import { orgActivityPaths, orgAlertQuery, orgExecutionQuery, orgUsageQuery } from "../../../contract/org-activity.ts";
import { ApiErrorCode as C } from "../../../contract/errors.ts";
import { usageSpan } from "../request-input.ts";
import type { Route } from "../route.ts";
import { orgApi } from "../route-builder.ts";

export const orgActivityRoutes: Route[] = [
  orgApi.get(orgActivityPaths.executions, {
    id: "orgListAllExecutions", query: orgExecutionQuery, ok: [200, "One page of runs", "OrgExecutionPage"], errors: [C.InvalidCursor, C.NotFound],
    summary: "Runs of every customer's instances, newest first, each with its customer: the logs' filters (instance, flow, status, trigger, from/to, text `q`) plus `customer`; `limit` (default 50, at most 200) and `cursor` page",
  }, ({ platform, organization, query }) => platform.orgActivity.executions(organization, query)),

  orgApi.get(orgActivityPaths.alerts, {
    id: "orgListAlerts", query: orgAlertQuery, ok: [200, "One page of alerts", "OrgAlertPage"], errors: [C.InvalidCursor, C.NotFound],
    summary: "Alerts of every customer, newest first, each with its customer and instance name: `status` (open, acknowledged, resolved, unresolved), `instance`, `customer`; `limit` and `cursor` page",
  }, ({ platform, organization, query }) => platform.orgActivity.alerts(organization, query)),

  orgApi.get(orgActivityPaths.customerUsage, {
    id: "orgGetCustomerUsage", params: ["customerId"], query: orgUsageQuery, ok: [200, "Usage", "OrgUsageReport"], errors: [C.NotFound],
    summary: "One customer's usage: enabled time (billed) and paused time (shown, not billed) per instance over a billing period (`period`: current or previous calendar month, UTC) or `from`–`to` (default the last 30 days)",
  }, ({ platform, organization, params, query }) => platform.orgActivity.usage(organization, params.customerId, usageSpan(query, platform.clock.now()))),
];
