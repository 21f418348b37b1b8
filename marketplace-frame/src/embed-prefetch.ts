/**
 * Starts `GET /api/v1/embed/:org` while the rest of the frame's code is still being evaluated:
 * main.tsx imports this module first, and it imports nothing that builds a schema, so the
 * request is on the wire before preact, zod, ky and the contract have run. Boot hands the
 * response to its ky call, which validates it against the contract like any other.
 *
 * The request is public, carries no credentials and goes to this document's own origin; nothing
 * is sent to the parent window. The org id is checked with the same pattern boot uses.
 */
import { listPaths } from "../../contract/list-paths.ts";

/** A well-formed organization id in the frame URL. */
export const ORG_ID = /^[A-Za-z0-9_-]{1,64}$/;

let pending: { url: string; response: Promise<Response> } | undefined;

/** Starts the request for the org named in `search`, if it is well formed. */
export function prefetchEmbed(search: string, origin: string, fetcher: typeof fetch = fetch): void {
  const org = new URLSearchParams(search).get("org") ?? "";
  if (!ORG_ID.test(org)) return;
  const url = origin + listPaths.embedConfig(org);
  const response = fetcher(url);
  response.catch(() => {}); // a failure is boot's to report, when it asks
  pending = { url, response };
}

/**
 * A `fetch` for boot's embed call that answers the prefetched request once, when it is for the
 * same URL; every other request (a retry, another org) goes to the network.
 */
export function embedFetch(fetcher: typeof fetch = fetch): typeof fetch {
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const early = pending?.url === url ? pending.response : undefined;
    pending = undefined;
    return early ?? fetcher(input, init);
  };
}

if (typeof location !== "undefined" && typeof fetch === "function") prefetchEmbed(location.search, location.origin);
