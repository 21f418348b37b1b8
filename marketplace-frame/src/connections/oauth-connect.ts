/**
 * The Connections screen's OAuth: a new connection to an app, or a reconnect of one (same id, so
 * every instance using it keeps its config), through the client core's one flow as the frame starts
 * it from a click (oauth-opener.ts, shared with the wizard's connection field). The popup must open
 * inside the user's click, so this is called synchronously from the click handler; when the browser
 * blocks it, the UI shows the authorize URL as a link (S5: it carries only the opaque state). A
 * flow the user stops, a closed popup or a denial changes nothing on the platform: the connection
 * stays as it was.
 */
import type { Connection } from "../../../contract/api-types.ts";
import { OAuthErrorCode } from "../../../contract/oauth-errors.ts";
import { oauthFromClick } from "../oauth-opener.ts";
import type { Frame } from "../frame.ts";
import { isApiError } from "../../../client/error.ts";
import type { ConnectionsApi } from "../../../client/connections-api.ts";
import type { PhraseKey } from "../i18n/en.ts";

/** Where a flow stands, as the screen shows it. */
export type OAuthView =
  | { state: "pending"; app: string; stop(): void }
  | { state: "blocked"; app: string; url: string; stop(): void }
  | { state: "failed"; app: string; phrase: PhraseKey };

const failure: Record<string, PhraseKey> = {
  [OAuthErrorCode.Denied]: "conn.oauthDenied",
  [OAuthErrorCode.PopupClosed]: "conn.oauthClosed",
  [OAuthErrorCode.Expired]: "conn.oauthTimeout",
  [OAuthErrorCode.StateMismatch]: "connection.stateMismatch",
};

/**
 * Runs one flow for `app` (reconnecting `connectionId` when given). `show` gets each state to
 * draw; the promise resolves with the connection, or `undefined` when it did not connect (the
 * last state shown says why, unless the user stopped it). A failure other than the flow's own
 * (the platform refused to start: a viewer, a provided connection) is thrown.
 */
export function connectWithOAuth(
  api: ConnectionsApi & { origin: string },
  app: string,
  connectionId: string | undefined,
  show: (view: OAuthView | undefined) => void,
  /** Where the authorization page opens: the host's `openExternalUrl`, or a popup of its size. */
  frame: Pick<Frame, "host" | "init">,
): Promise<Connection | undefined> {
  // Started synchronously, inside the click that called this, or the browser blocks the popup.
  const flow = oauthFromClick(frame, api, {
    name: `em-oauth-${connectionId ?? app}`,
    start: () => api.startOAuth(app, connectionId),
    onBlocked: (url) => show({ state: "blocked", app, url, stop: flow.stop }),
  });
  show({ state: "pending", app, stop: flow.stop });
  return flow.connection.then(
    (connection) => (show(undefined), connection),
    (e: unknown): undefined => {
      const phrase = isApiError(e) ? failure[e.code] : undefined;
      if (!phrase) {
        show(undefined);
        throw e;
      }
      show({ state: "failed", app, phrase });
    },
  );
}
