/**
 * Where the frame opens an OAuth authorization page, for the wizard's connection field and the
 * Connections screen alike: through the host's `openExternalUrl` when it passed one (a webview,
 * Electron or a native shell, where popups fail: the frame asks over the pinned channel, and the
 * flow completes by polling the platform), else in a popup of the host's `oauthPopup` size.
 * Call it inside the user's click: a popup opened later is blocked. The URL the host gets is the
 * platform's authorize page, which carries only the opaque `state` (S5).
 */
import { DEFAULT_POPUP_SIZE, openPopup } from "../../client/oauth-popup.ts";
import type { OAuthFlowOptions } from "../../client/oauth-flow.ts";
import type { Frame } from "./frame.ts";

/**
 * The popup size the host asked for, each side as the SDK checks it (200–4000 CSS pixels; the
 * frame's init is the SDK's, but a value it cannot use falls back to the default here rather
 * than opening a window nobody can read).
 */
export function popupSize(asked: unknown): { width: number; height: number } {
  const side = (key: "width" | "height") => {
    const n = (asked as Record<string, unknown> | null | undefined)?.[key];
    return typeof n == "number" && n >= 200 && n <= 4000 ? Math.round(n) : DEFAULT_POPUP_SIZE[key];
  };
  return { width: side("width"), height: side("height") };
}

/** The opener a flow started from this click uses (`name`: the popup window's, one per field or connection). */
export function oauthOpener(frame: Pick<Frame, "host" | "init">, name: string): OAuthFlowOptions["opener"] {
  const open = frame.host.openExternalUrl;
  if (open) return { kind: "external", open: async (url) => void (await open(url)) };
  return { kind: "popup", popup: openPopup(name, popupSize(frame.init.oauthPopup)) };
}
