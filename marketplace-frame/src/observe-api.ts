/**
 * The dashboard, logs, monitor and alert endpoints (client/observe-api.ts) over a frame's API
 * client, one object per client. Apart from api.ts so their contract schemas load with the
 * screens that use them instead of with the first route.
 */
import { observeApi as endpoints, type ObserveApi } from "../../client/observe-api.ts";
import type { Api } from "./api.ts";

const cache = new WeakMap<Api, ObserveApi>();

export function observeApi(api: Api): ObserveApi {
  let found = cache.get(api);
  if (!found) cache.set(api, (found = endpoints(api.call)));
  return found;
}
