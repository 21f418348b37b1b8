/**
 * The instance endpoints (client/instances-api.ts) over a frame's API client, one object per
 * client. They live apart from api.ts so their contract schemas load with the screens that use
 * them instead of with the first route.
 */
import { instancesApi as endpoints, type InstancesApi } from "../../client/instances-api.ts";
import type { Api } from "./api.ts";

const cache = new WeakMap<Api, InstancesApi>();

export function instancesApi(api: Api): InstancesApi {
  let found = cache.get(api);
  if (!found) cache.set(api, (found = endpoints(api.call)));
  return found;
}
