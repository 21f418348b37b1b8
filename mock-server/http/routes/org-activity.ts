/**
 * The organization's view of runs, alerts and usage across its customers (`/api/v1/org/…`),
 * organization API key only. The filters and pages are the customer logs' own (observe.ts),
 * plus `customer`.
 */
import { orgActivityPaths, orgAlertQuery, orgExecutionQuery, orgUsageQuery } from "../../../contract/org-activity.ts";
import { ApiErrorCode as C } from "../../../contract/errors.ts";
import { PlatformError } from "../../domain/errors.ts";
import { parseQuery, parseTime } from "../request-input.ts";
import { apiRoute, type Route } from "../route.ts";

const DAY_MS = 24 * 3600 * 1000;

export const orgActivityRoutes: Route[] = [
  apiRoute({
    method: "get", path: orgActivityPaths.executions, operationId: "orgListAllExecutions", tag: "organization", auth: "org",
    summary: "Runs of every customer's instances, newest first, each with its customer: the logs' filters (instance, flow, status, trigger, from/to, text `q`) plus `customer`; `limit` (default 50, at most 200) and `cursor` page",
    query: orgExecutionQuery,
    responses: [{ status: 200, description: "One page of runs", schema: "OrgExecutionPage" }], errors: [C.BadRequest, C.InvalidCursor, C.NotFound],
    handle: ({ platform, organization, request, reply }) => reply(platform.orgActivity.executions(organization, parseQuery(request, orgExecutionQuery, ["limit"]))),
  }),

  apiRoute({
    method: "get", path: orgActivityPaths.alerts, operationId: "orgListAlerts", tag: "organization", auth: "org",
    summary: "Alerts of every customer, newest first, each with its customer and instance name: `status` (open, acknowledged, resolved, unresolved), `instance`, `customer`; `limit` and `cursor` page",
    query: orgAlertQuery,
    responses: [{ status: 200, description: "One page of alerts", schema: "OrgAlertPage" }], errors: [C.BadRequest, C.InvalidCursor, C.NotFound],
    handle: ({ platform, organization, request, reply }) => reply(platform.orgActivity.alerts(organization, parseQuery(request, orgAlertQuery, ["limit"]))),
  }),

  apiRoute({
    method: "get", path: orgActivityPaths.customerUsage, params: ["customerId"], operationId: "orgGetCustomerUsage", tag: "organization", auth: "org",
    summary: "One customer's usage: enabled time (billed) and paused time (shown, not billed) per instance over a billing period (`period`: current or previous calendar month, UTC) or `from`–`to` (default the last 30 days)",
    query: orgUsageQuery,
    responses: [{ status: 200, description: "Usage", schema: "OrgUsageReport" }], errors: [C.BadRequest, C.NotFound],
    handle({ platform, organization, params, request, reply }) {
      const query = parseQuery(request, orgUsageQuery);
      if (query.period !== undefined) {
        if (query.from !== undefined || query.to !== undefined) throw new PlatformError(C.BadRequest, "Ask for a period or for from/to, not both.");
        return reply(platform.orgActivity.usage(organization, params.customerId, query.period));
      }
      const to = parseTime(query.to ?? null, platform.clock.now(), "to");
      return reply(platform.orgActivity.usage(organization, params.customerId, { from: parseTime(query.from ?? null, to - 30 * DAY_MS, "from"), to }));
    },
  }),
];
