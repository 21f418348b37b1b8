/**
 * A request started before the code that reads it exists: boot starts the catalog request the
 * moment the token arrives, before init() is validated and the frame's state and its ky client
 * are built (a few ms in a fresh frame process).
 *
 * `earlyFetch(url, token)` starts `GET url` now — with `Authorization: Bearer <token>` when a
 * token is given, exactly as the API client would send it — and returns a `fetch` for the API
 * client: the first GET it makes for that URL with that same `Authorization` is answered with the
 * early response (and validated like any other); every other request, a retry included, goes
 * to the network, and so does the first one if it comes more than 5 s later. Callers pass URLs on
 * this document's own origin only.
 */
export function earlyFetch(url: string, token?: string, fetcher: typeof fetch = fetch, now = Date.now): typeof fetch {
  const authorization = token ? `Bearer ${token}` : null;
  let early: Promise<Response> | undefined = fetcher(url, authorization ? { headers: { Authorization: authorization } } : undefined);
  early.catch(() => {}); // a failure is the reader's to report, when it asks
  const until = now() + EARLY_FOR_MS;
  return (input, init) => {
    if (now() > until) early = undefined; // a request made much later (a retry after going offline) gets fresh data
    const request = input instanceof Request ? input : undefined; // ky always passes a Request
    const answer = early && request?.method === "GET" && request.url === url && request.headers.get("authorization") === authorization ? early : undefined;
    if (answer) early = undefined;
    return answer ?? fetcher(input, init);
  };
}

/** How long an early response waits for its request; boot's catalog request comes within milliseconds. */
const EARLY_FOR_MS = 5_000;
