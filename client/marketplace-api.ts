/**
 * The endpoints behind the marketplace list: the public embed config, the session and the
 * catalog. Apart from instances-api.ts so that the frame's first route carries only these
 * schemas (api-marketplace.ts), and the instance ones load with the screens that use them.
 * Each schema is built when its request is first made (on-first-use.ts), not at import.
 */
import { embedConfig, integrationList, session, type IntegrationListQuery } from "../contract/api-marketplace.ts";
import { listPaths } from "../contract/list-paths.ts";
import type { Call } from "./call.ts";

/**
 * Public: which host origins may embed the organization's marketplace (no token). Only a frame
 * whose document does not carry its embed config asks; apart, so the headless client does not
 * bundle it.
 */
export const getEmbedConfig = (call: Call, org: string) => call(embedConfig(), listPaths.embedConfig(org), { auth: false });

export const marketplaceApi = (call: Call) => ({
  /** Who the token says the user is. */
  session: () => call(session(), listPaths.session(), { method: "post" }),
  /** The catalog with this customer's activation state; filters combine with AND. */
  listIntegrations: (query: IntegrationListQuery = {}) => {
    const search = new URLSearchParams(query as Record<string, string>).toString();
    return call(integrationList(), listPaths.integrations() + (search && "?" + search));
  },
});
export type MarketplaceApi = ReturnType<typeof marketplaceApi>;
