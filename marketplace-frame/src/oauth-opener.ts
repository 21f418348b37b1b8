/**
 * The frame's OAuth sign-in from a click, for the wizard's connection field and the Connections
 * screen alike: where the authorization page opens — through the host's `openExternalUrl` when it
 * passed one (a webview, Electron or a native shell, where popups fail: the frame asks over the
 * pinned channel, and the flow completes by polling the platform), else in a popup of the host's
 * `oauthPopup` size — and the client core's one flow (client/oauth-flow.ts) run from there, with
 * the stop behind "Cancel sign-in". Call it inside the user's click: a popup opened later is
 * blocked. The URL the host gets is the platform's authorize page, which carries only the opaque
 * `state` (S5).
 */
import { DEFAULT_POPUP_SIZE, openPopup } from "../../client/oauth-popup.ts";
import { isPopupSide } from "../../contract/oauth-popup.ts";
import { runOAuthFlow, type OAuthFlowOptions } from "../../client/oauth-flow.ts";
import type { ConnectionsApi } from "../../client/connections-api.ts";
import type { Connection } from "../../contract/api-types.ts";
import type { Frame } from "./frame.ts";

/**
 * The popup size the host asked for, each side by the contract's rule (contract/oauth-popup.ts;
 * the frame's init is the SDK's, which checked it, but a side it cannot use falls back to the
 * default here rather than opening a window nobody can read).
 */
export function popupSize(asked: unknown): { width: number; height: number } {
  const side = (key: "width" | "height") => {
    const n = (asked as Record<string, unknown> | null | undefined)?.[key];
    return isPopupSide(n) ? Math.round(n) : DEFAULT_POPUP_SIZE[key];
  };
  return { width: side("width"), height: side("height") };
}

/** The opener a flow started from this click uses (`name`: the popup window's, one per field or connection). */
export function oauthOpener(frame: Pick<Frame, "host" | "init">, name: string): OAuthFlowOptions["opener"] {
  const open = frame.host.openExternalUrl;
  if (open) return { kind: "external", open: async (url) => void (await open(url)) };
  return { kind: "popup", popup: openPopup(name, popupSize(frame.init.oauthPopup)) };
}

/** A flow started from a click: how it ends, and the user's way out. */
export interface OAuthFromClick {
  /**
   * The connection made or reconnected; the flow's `OAUTH_*` error (or the platform's refusal to
   * start) when not; `undefined` once stopped, whatever the flow says after that.
   */
  connection: Promise<Connection | undefined>;
  /** "Cancel sign-in" (or the UI moved on): the flow ends, nothing changes on the platform. */
  stop(): void;
}

/**
 * Starts one flow from the user's click: opens the authorization page's window first (`name`,
 * one per field or connection), then runs the client core's flow with `start` (a new connection
 * or a reconnect); `onBlocked` gets the authorize URL to offer as a link when the browser blocked
 * the popup.
 */
export function oauthFromClick(
  frame: Pick<Frame, "host" | "init">,
  api: Pick<ConnectionsApi, "oauthStatus"> & { origin: string },
  flow: { name: string } & Pick<OAuthFlowOptions, "start" | "onBlocked">,
): OAuthFromClick {
  const opener = oauthOpener(frame, flow.name);
  const abort = new AbortController();
  const { signal } = abort;
  return {
    connection: runOAuthFlow({ ...flow, status: api.oauthStatus, origin: api.origin, opener, signal }).then(
      (connection) => (signal.aborted ? undefined : connection),
      (e: unknown) => {
        if (signal.aborted) return undefined;
        throw e;
      },
    ),
    stop: () => abort.abort(),
  };
}
