/**
 * How outgoing notifications leave the in-browser platform (the service worker transport and its
 * in-page fallback, used by the static demo): one `fetch` POST, the twin of the Node sender
 * (notification-sender.ts). The domain schedules, signs, retries and logs (notifications.ts), as
 * on the server: retries run on the platform's timer while the page that hosts it lives, and a
 * reload (its next wake) finds every pending delivery in IndexedDB and keeps its schedule.
 *
 * - Redirects are never followed (`redirect: "manual"`): a browser hides where one pointed (an
 *   opaque redirect), so the attempt fails saying so; register the final URL.
 * - A deadline over the whole exchange (`AbortSignal.timeout`), and the platform's own stop.
 * - At most the first 2 KiB of the answer are read.
 * - N2: the URL is checked again at every attempt (`endpointUrlProblem`: no loopback, private or
 *   reserved address written in it, no `localhost`-style name) unless the platform runs in its
 *   local development mode. A browser resolves names itself and does not say to what, so a public
 *   name pointing at a private address is left to the browser's own Private Network Access rules.
 * - A browser sends a cross-origin POST with these headers only after a CORS preflight, so the
 *   endpoint must allow the platform's origin (`Access-Control-Allow-Origin`, and
 *   `Access-Control-Allow-Headers: content-type, webhook-id, webhook-timestamp, webhook-signature`);
 *   a refusal reads like an unreachable endpoint, and the log says both. `User-Agent` cannot be
 *   set from a page: the browser's own is sent.
 */
import { endpointUrlProblem } from "../domain/network-address.ts";
import type { NotificationSender, OutgoingRequest, OutgoingResult } from "../domain/notifications.ts";
import { BODY_READ_LIMIT, STOPPED, literalAddressRefusal, retryAfterOf, timedOut } from "./notification-attempt.ts";

/** The first BODY_READ_LIMIT bytes of the answer, as text; the rest is not downloaded. */
async function readStart(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  // Decoded as it arrives (a character split across chunks is held until its end comes).
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  try {
    while (size < BODY_READ_LIMIT) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value.subarray(0, BODY_READ_LIMIT - size), { stream: true });
      size += value.length;
    }
  } catch {
    // An answer cut off mid-body still has its status; what arrived is kept.
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return text + decoder.decode();
}

/** Sends one notification POST with fetch; never throws (a failure is an `{ error }` result). */
export const sendNotificationWithFetch: NotificationSender = async (outgoing: OutgoingRequest): Promise<OutgoingResult> => {
  const url = new URL(outgoing.url);
  const refused = literalAddressRefusal(url, outgoing.allowPrivateNetwork);
  if (refused) return refused;
  const problem = endpointUrlProblem(outgoing.url, outgoing.allowPrivateNetwork);
  if (problem) return { error: problem };
  const deadline = AbortSignal.timeout(outgoing.timeoutMs);
  const { "user-agent": _browserSendsItsOwn, ...headers } = outgoing.headers;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers,
      body: outgoing.body,
      redirect: "manual",
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
      signal: AbortSignal.any([outgoing.signal, deadline]),
    });
  } catch (error) {
    if (outgoing.signal.aborted) return STOPPED;
    if (deadline.aborted) return timedOut(outgoing.timeoutMs);
    return { error: `The request failed: the endpoint is unreachable, or it does not allow cross-origin requests from the platform's origin (CORS). (${(error as Error).message})` };
  }
  // A browser hides a redirect's status and target (an opaque redirect, status 0).
  if (response.type === "opaqueredirect") return { error: "Redirect not followed: register the final URL." };
  const location = response.headers.get("location");
  const body = await readStart(response);
  if (outgoing.signal.aborted) return STOPPED;
  return { status: response.status, body, ...(location ? { location } : {}), ...retryAfterOf(response.headers.get("retry-after")) };
};
