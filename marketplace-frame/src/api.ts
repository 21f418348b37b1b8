/**
 * The frame's platform API client: the one client core (client/call.ts: auth, retries,
 * deadlines, errors) on this document's own origin (the frame and the platform share one
 * origin), never anything the host or the URL says, with the marketplace list's endpoints.
 * The instance endpoints load with the screens that use them (instances-api.ts).
 */
import { createCall, type CallLoopOptions } from "../../client/call.ts";
import { marketplaceApi } from "../../client/marketplace-api.ts";

export function createApi(options: CallLoopOptions) {
  const call = createCall(options);
  return { origin: options.origin, call, ...marketplaceApi(call) };
}
export type Api = ReturnType<typeof createApi>;
