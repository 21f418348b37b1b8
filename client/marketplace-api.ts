/**
 * The endpoints behind the marketplace list: the public embed config, the session and the
 * catalog. Apart from instances-api.ts so that the frame's first route carries only these
 * schemas (api-marketplace.ts), and the instance ones load with the screens that use them.
 */
import { embedConfig, integrationList, session, type IntegrationListQuery } from "../contract/api-marketplace.ts";
import { listPaths } from "../contract/list-paths.ts";
import type { Call } from "./call.ts";

export const marketplaceApi = (call: Call) => ({
  /** Public: which host origins may embed the organization's marketplace (no token). */
  embedConfig: (org: string) => call(embedConfig, listPaths.embedConfig(org), { auth: false }),
  /** Who the token says the user is. */
  session: () => call(session, listPaths.session(), { method: "post" }),
  /** The catalog with this customer's activation state; filters combine with AND. */
  listIntegrations: (query: IntegrationListQuery = {}) => {
    const search = new URLSearchParams(query as Record<string, string>).toString();
    return call(integrationList, listPaths.integrations() + (search && "?" + search));
  },
});
export type MarketplaceApi = ReturnType<typeof marketplaceApi>;
