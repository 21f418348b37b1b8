/**
 * Frame start-up, in order, stopping at the first thing that is not right:
 * 1. read FrameUrlParams (routing only, nothing secret);
 * 2. the organization's allowed host origins: written into the frame document by the platform,
 *    or else GET /api/v1/embed/:org (public);
 * 3. refuse to start unless framed by exactly an allowed `parent` origin (E1) — never connect;
 * 4. penpal handshake pinned to that origin (pinnedWindowMessenger, never `*`), usually already
 *    opened by host-channel.ts while the modules were still being evaluated;
 * 5. pull FrameInit (validated: the host is untrusted) and the token, in one round trip.
 */
import { ChannelErrorCode } from "../../contract/errors.ts";
import { listPaths } from "../../contract/list-paths.ts";
import { frameInit, type FrameInit } from "../../contract/protocol.ts";
import { createApi } from "./api.ts";
import { getEmbedConfig } from "../../client/marketplace-api.ts";
import { isApiError } from "../../client/error.ts";
import { earlyFetch } from "./early-fetch.ts";
import { createEmitter, type HostLink } from "./events.ts";
import { createFrame, type Frame } from "./frame.ts";
import { early, inlineAllowedOrigins, openHostChannel, readParams } from "./host-channel.ts";

export type BlockedReason = "badUrl" | "unknownOrg" | "notFramed" | "originNotAllowed" | "badInit" | "noToken" | "unreachable";

export type BootResult = { ok: true; frame: Frame } | { ok: false; reason: BlockedReason };

export async function boot(win: Window = window): Promise<BootResult> {
  const params = readParams(win.location.search);
  if (!params) return { ok: false, reason: "badUrl" };
  const origin = win.location.origin;

  let allowed = inlineAllowedOrigins(win.document, params.org);
  if (!allowed) {
    try {
      allowed = (await getEmbedConfig(createApi({ origin }).call, params.org)).allowedOrigins;
    } catch (e) {
      return { ok: false, reason: isApiError(e) && e.status === 404 ? "unknownOrg" : "unreachable" };
    }
  }
  if (win.parent === win) return { ok: false, reason: "notFramed" };
  if (!allowed.includes(params.parent)) return { ok: false, reason: "originNotAllowed" };

  const channel = early?.win === win ? early.channel : openHostChannel(win, params);
  let host: Awaited<typeof channel.host>;
  try {
    host = await channel.host;
  } catch {
    return { ok: false, reason: "originNotAllowed" };
  }
  const link: HostLink = { getToken: () => host.getToken(), emit: (event) => host.emit(event) };
  const emit = createEmitter(link);

  // Both pulls in one round trip, asked as the handshake completed: the parent is already
  // verified, and the token is used only once init() has been validated too. init() is checked
  // as soon as it is in, while the token may still be on its way (the host's backend is usually
  // the slower of the two), so the catalog request leaves the moment the token arrives.
  const asked = await channel.first;
  const initAnswer = await asked.init.then((value) => ({ value }), () => undefined);

  const parsed = initAnswer && frameInit().safeParse(initAnswer.value);
  if (!parsed?.success) {
    const message = parsed ? `init() returned options the frame cannot use (${parsed.error.issues[0]?.path.join(".")})` : "init() failed";
    emit("error", { code: ChannelErrorCode.InvalidMessage, message });
    return { ok: false, reason: "badInit" };
  }
  const init: FrameInit = parsed.data;
  if (init.externalUrls) link.openExternalUrl = (url) => host.openExternalUrl(url);

  const token = await asked.token.catch(() => undefined);
  if (typeof token !== "string" || token === "") {
    emit("error", { code: ChannelErrorCode.TokenUnavailable, message: "getToken() did not return a token" });
    return { ok: false, reason: "noToken" };
  }

  // The catalog goes out now, before the frame's state and API client are built (a few ms in a
  // fresh frame): the client takes this response for its first catalog request (early-fetch.ts)
  // and validates it. It is a GET to this origin, as the client's would be.
  const fetch = earlyFetch(origin + listPaths.integrations(), token);

  const frame = createFrame({ host: link, init, origin, token, win, fetch });
  channel.setFrame(frame);
  return { ok: true, frame };
}
