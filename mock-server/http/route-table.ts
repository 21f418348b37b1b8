/**
 * The platform's one route table: every route the mock platform serves, in the order the OpenAPI
 * document lists them. msw-handlers.ts registers it for every transport; openapi.ts documents it;
 * the conformance suite checks that it exercised every entry. A new endpoint is one entry here.
 */
import { publicRoutes } from "./routes/public.ts";
import { customerRoutes } from "./routes/customer.ts";
import { connectionRoutes } from "./routes/connections.ts";
import { observeRoutes } from "./routes/observe.ts";
import { organizationRoutes } from "./routes/organization.ts";
import { notificationRoutes } from "./routes/notifications.ts";
import { orgActivityRoutes } from "./routes/org-activity.ts";
import { mockOAuthProviderRoutes } from "./routes/mock-oauth-provider.ts";
import { scenarioRoutes } from "./routes/scenario.ts";
import { routeTemplate, type Method, type Route } from "./route.ts";

export const routeTable: readonly Route[] = [...publicRoutes, ...customerRoutes, ...connectionRoutes, ...observeRoutes, ...organizationRoutes, ...orgActivityRoutes, ...notificationRoutes, ...mockOAuthProviderRoutes, ...scenarioRoutes];

const matchers = routeTable.map((route) => ({
  route,
  pattern: new RegExp(`^${routeTemplate(route).replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`),
}));

/** The methods the table serves on `pathname` (upper case), e.g. ["GET", "DELETE"], among the routes `served`; empty when none. */
export function allowedMethods(pathname: string, served: (route: Route) => boolean = () => true): string[] {
  return [...new Set(matchers.filter((m) => served(m.route) && m.pattern.test(pathname)).map((m) => m.route.method.toUpperCase()))];
}

/** The table's route that a request with this method and path reaches, if any. */
export function matchRoute(method: string, pathname: string): Route | undefined {
  const lower = method.toLowerCase() as Method;
  return matchers.find((m) => m.route.method === lower && m.pattern.test(pathname))?.route;
}
