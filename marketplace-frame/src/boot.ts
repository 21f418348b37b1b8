/**
 * Frame start-up, in order, stopping at the first thing that is not right:
 * 1. read FrameUrlParams (routing only, nothing secret);
 * 2. GET /api/v1/embed/:org (public) for the organization's allowed host origins;
 * 3. refuse to start unless framed by exactly an allowed `parent` origin (E1) — never connect;
 * 4. penpal handshake pinned to that origin (PinnedWindowMessenger, never `*`);
 * 5. pull FrameInit (validated: the host is untrusted) and then the token.
 */
import { connect } from "penpal";
import { ChannelErrorCode } from "../../contract/errors.ts";
import { PinnedWindowMessenger } from "../../contract/messenger.ts";
import { frameInit, PROTOCOL_VERSION, type FrameInit, type FrameMethods, type FrameUrlParams, type HostMethods } from "../../contract/protocol.ts";
import { createApi } from "./api.ts";
import { isApiError } from "./api-error.ts";
import { createEmitter, type HostLink } from "./events.ts";
import { createFrame, type Frame } from "./frame.ts";
import { createFrameMethods } from "./frame-methods.ts";

const HANDSHAKE_TIMEOUT_MS = 10_000;

export type BlockedReason = "badUrl" | "unknownOrg" | "notFramed" | "originNotAllowed" | "badInit" | "noToken" | "unreachable";

export type BootResult = { ok: true; frame: Frame } | { ok: false; reason: BlockedReason };

const exactOrigin = (value: string): boolean => {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.origin === value;
  } catch {
    return false;
  }
};

export function readParams(search: string): FrameUrlParams | undefined {
  const q = new URLSearchParams(search);
  const org = q.get("org") ?? "";
  const parent = q.get("parent") ?? "";
  const channel = q.get("channel") ?? "";
  const v = q.get("v") ?? "";
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(org) || !exactOrigin(parent) || !/^[A-Za-z0-9_-]{1,64}$/.test(channel) || v !== String(PROTOCOL_VERSION)) return undefined;
  return { org, parent, channel, v };
}

export async function boot(win: Window = window): Promise<BootResult> {
  const params = readParams(win.location.search);
  if (!params) return { ok: false, reason: "badUrl" };
  const origin = win.location.origin;

  let allowed: string[];
  try {
    allowed = (await createApi({ origin }).embedConfig(params.org)).allowedOrigins;
  } catch (e) {
    return { ok: false, reason: isApiError(e) && e.status === 404 ? "unknownOrg" : "unreachable" };
  }
  if (win.parent === win) return { ok: false, reason: "notFramed" };
  if (!allowed.includes(params.parent)) return { ok: false, reason: "originNotAllowed" };

  let frame: Frame | undefined;
  const methods: FrameMethods = createFrameMethods(() => frame);
  const connection = connect<HostMethods>({
    messenger: new PinnedWindowMessenger({ remoteWindow: win.parent, origin: params.parent, onForeignOrigin: () => connection.destroy() }),
    methods,
    channel: params.channel,
    timeout: HANDSHAKE_TIMEOUT_MS,
  });
  let host: Awaited<typeof connection.promise>;
  try {
    host = await connection.promise;
  } catch {
    return { ok: false, reason: "originNotAllowed" };
  }
  const link: HostLink = { getToken: () => host.getToken(), emit: (event) => host.emit(event) };
  const emit = createEmitter(link);

  let init: FrameInit;
  try {
    const parsed = frameInit.safeParse(await host.init());
    if (!parsed.success) {
      emit("error", { code: ChannelErrorCode.InvalidMessage, message: "init() returned options the frame cannot use" });
      return { ok: false, reason: "badInit" };
    }
    init = parsed.data;
  } catch {
    emit("error", { code: ChannelErrorCode.InvalidMessage, message: "init() failed" });
    return { ok: false, reason: "badInit" };
  }

  let token: string;
  try {
    token = await host.getToken();
    if (typeof token !== "string" || token === "") throw new Error("empty");
  } catch {
    emit("error", { code: ChannelErrorCode.TokenUnavailable, message: "getToken() did not return a token" });
    return { ok: false, reason: "noToken" };
  }

  frame = createFrame({ host: link, init, origin, token, win });
  return { ok: true, frame };
}
