/**
 * One OAuth connection flow, wherever the authorization page can open: a popup (the default,
 * sized as the host asks), a link the user clicks when the browser blocked the popup, or the
 * host's own `openExternalUrl` (a webview, Electron or a native shell opening the system
 * browser). Shared by the frame's connection field, its Connections screen and the headless
 * client.
 *
 * How it completes: the platform keeps how each authorization ended, for the user who started
 * it (`GET /connections/oauth/{state}`), so the flow polls that, bound to its own `state`; the
 * callback page's message to a popup opened by the frame only makes the poll come sooner. Nothing
 * of the answer (no code, no token) is ever in a URL the host page can read: the authorize URL
 * carries only the opaque `state`, and the callback goes to the platform (S5). A popup the user
 * closes before the app answered ends the flow with `OAUTH_POPUP_CLOSED`, after one last look at
 * the status (the callback page closes itself right after it answered).
 */
import type { Connection, OAuthStatus } from "../contract/api-types.ts";
import type { OAuthStartResponse } from "../contract/api-connections.ts";
import { OAuthErrorCode } from "../contract/oauth-errors.ts";
import { EmporiumApiError } from "./error.ts";

/** How often the flow asks the platform how the authorization stands. */
export const OAUTH_POLL_MS = 1000;
/** The platform forgets an authorization after 10 minutes; the flow gives up then too. */
export const OAUTH_FLOW_TIMEOUT_MS = 10 * 60 * 1000;
// Opened in the click, apart from the flow (the headless entry opens it, the flow loads later).
export { DEFAULT_POPUP_SIZE, openPopup } from "./oauth-popup.ts";

export interface OAuthFlowOptions {
  /** Starts the authorization on the platform (a new connection or a reconnect). */
  start: () => Promise<OAuthStartResponse>;
  /** Where it stands, for the user who started it. */
  status: (state: string) => Promise<OAuthStatus>;
  /** The platform's origin: an authorize URL elsewhere must be https, and only its pages' messages count. */
  origin: string;
  /**
   * How the authorization page opens. `popup`: a window opened by the caller inside the user's
   * click (`openPopup`), `null` when the browser blocked it; `external`: the host's hook opens
   * the URL (nothing is opened here).
   */
  opener: { kind: "popup"; popup: Window | null } | { kind: "external"; open: (url: string) => void | Promise<void> };
  /**
   * The popup was blocked: the flow calls this with the authorize URL and keeps waiting; the UI
   * shows it as a link the user clicks (a tab opened by a click is not blocked). Without it, a
   * blocked popup ends the flow with `OAUTH_POPUP_BLOCKED` before anything starts.
   */
  onBlocked?: (authorizeUrl: string) => void;
  /** Aborting ends the flow with `OAUTH_POPUP_CLOSED` (the user canceled): nothing changes. */
  signal?: AbortSignal;
  /** Timers (tests pass fake ones). */
  setTimeout?: typeof setTimeout;
  clearTimeout?: typeof clearTimeout;
}

const fail = (code: string, message = code) => new EmporiumApiError(code, message);

/** The connection the flow made or reconnected; an `EmporiumApiError` with an `OAUTH_*` code when it did not. */
export async function runOAuthFlow(options: OAuthFlowOptions): Promise<Connection> {
  const { opener, origin, signal } = options;
  const setTimer = options.setTimeout ?? setTimeout;
  const clearTimer = options.clearTimeout ?? clearTimeout;
  const popup = opener.kind == "popup" ? opener.popup : null;
  // Closing a window that is closed already does nothing.
  const closePopup = () => popup?.close();
  if (opener.kind == "popup" && !popup && !options.onBlocked) throw fail(OAuthErrorCode.PopupBlocked);
  let started: OAuthStartResponse;
  try {
    started = await options.start();
  } catch (e) {
    closePopup();
    throw e;
  }
  const url = new URL(started.authorizeUrl, origin);
  if (url.origin != origin && url.protocol != "https:") {
    closePopup();
    throw fail("INVALID_RESPONSE", "The authorization page is not on https.");
  }
  if (opener.kind == "external") await opener.open(url.href);
  else if (popup) popup.location.href = url.href;
  else options.onBlocked?.(url.href);

  return new Promise<Connection>((resolve, reject) => {
    const deadline = Date.now() + OAUTH_FLOW_TIMEOUT_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let done = false;
    let asking = false;
    const finish = (outcome: { connection: Connection } | { error: EmporiumApiError }) => {
      if (done) return;
      done = true;
      if (timer !== undefined) clearTimer(timer);
      window.removeEventListener("message", onMessage);
      signal?.removeEventListener("abort", onAbort);
      closePopup();
      if ("connection" in outcome) resolve(outcome.connection);
      else reject(outcome.error);
    };
    /** Asks the platform; `closed`: the popup is gone, so "still pending" means the user gave up. */
    const ask = async (closed = false) => {
      if (done || asking) return;
      asking = true;
      try {
        const status = await options.status(started.state);
        if (status.status == "connected") return finish({ connection: status.connection });
        if (status.status == "failed") return finish({ error: fail(status.error.code, status.error.message) });
        if (closed) return finish({ error: fail(OAuthErrorCode.PopupClosed) });
      } catch (e) {
        // The platform forgets an authorization once it expires.
        if (e instanceof EmporiumApiError && e.code == "NOT_FOUND") return finish({ error: fail(OAuthErrorCode.Expired) });
        if (closed) return finish({ error: fail(OAuthErrorCode.PopupClosed) });
      } finally {
        asking = false;
      }
      schedule();
    };
    const schedule = () => {
      if (done) return;
      if (timer !== undefined) clearTimer(timer);
      if (Date.now() > deadline) return finish({ error: fail(OAuthErrorCode.Expired) });
      timer = setTimer(() => void ask(!!popup && popup.closed), OAUTH_POLL_MS);
    };
    // The callback page in our popup says it is over: ask now rather than at the next tick.
    const onMessage = (e: MessageEvent) => {
      if (e.origin != origin || !popup || e.source != popup) return;
      // Only a hint (the status answer decides), so matching its state is enough.
      if ((e.data as { state?: unknown } | null)?.state == started.state) void ask();
    };
    const onAbort = () => finish({ error: fail(OAuthErrorCode.PopupClosed) });
    window.addEventListener("message", onMessage);
    signal?.addEventListener("abort", onAbort);
    if (signal?.aborted) return onAbort();
    schedule();
  });
}
