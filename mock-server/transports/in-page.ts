/**
 * The browser transport's fallback when no service worker can start (Chromium refuses one in a
 * cross-site iframe; some private modes have none): the same handlers answer this page's own
 * `fetch` calls in the page, through msw's public `getResponse` (as the Node HTTP server does).
 *
 * Only requests to this document's origin under `/api/` are answered here; everything else
 * goes to the network untouched. What it cannot do, and a service worker could not either:
 * answer other pages (an OAuth popup navigating to the platform) or `curl` from outside.
 */
import { getResponse, type RequestHandler } from "msw";
import { API_PREFIX } from "../../contract/api-paths.ts";
import { ApiErrorCode } from "../../contract/errors.ts";

export interface InPageTransport {
  stop(): void;
}

export function interceptInPage(handlers: RequestHandler[], origin: string = location.origin): InPageTransport {
  const network = globalThis.fetch;
  const ours = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin !== origin || !url.pathname.startsWith(API_PREFIX + "/")) return network.call(globalThis, input, init);
    return (
      (await getResponse(handlers, request)) ??
      Response.json({ error: { code: ApiErrorCode.NotFound, message: `No route ${request.method} ${url.pathname}.` } }, { status: 404 })
    );
  };
  globalThis.fetch = ours;
  return {
    stop() {
      if (globalThis.fetch === ours) globalThis.fetch = network;
    },
  };
}
