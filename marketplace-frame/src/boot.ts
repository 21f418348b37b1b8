/**
 * Frame start-up, in order, stopping at the first thing that is not right:
 * 1. read FrameUrlParams (routing only, nothing secret);
 * 2. GET /api/v1/embed/:org (public) for the organization's allowed host origins;
 * 3. refuse to start unless framed by exactly an allowed `parent` origin (E1) — never connect;
 * 4. penpal handshake pinned to that origin (PinnedWindowMessenger, never `*`);
 * 5. pull FrameInit (validated: the host is untrusted) and the token, in one round trip.
 */
import { connect } from "penpal";
import { ChannelErrorCode } from "../../contract/errors.ts";
import { PinnedWindowMessenger } from "../../contract/messenger.ts";
import { frameInit, frameMethodNames, PROTOCOL_VERSION, type FrameInit, type FrameMethods, type FrameUrlParams, type HostMethods } from "../../contract/protocol.ts";
import { createApi } from "./api.ts";
import { isApiError } from "./api-error.ts";
import { createEmitter, type HostLink } from "./events.ts";
import { createFrame, type Frame } from "./frame.ts";
import { embedFetch, ORG_ID } from "./embed-prefetch.ts";

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

/**
 * The methods the host may call on a live embed, loaded on their first call (or when the screens
 * are prefetched): the list does not need them, so they stay out of the first route. The map has
 * no prototype (C5); a chunk that fails to load answers a typed error and is retried next call.
 */
export function lazyFrameMethods(getFrame: () => Frame | undefined): FrameMethods {
  let loading: Promise<FrameMethods> | undefined;
  const load = () => (loading ??= import("./frame-methods.ts").then((m) => m.createFrameMethods(getFrame)));
  const methods = Object.create(null) as Record<(typeof frameMethodNames)[number], (...args: unknown[]) => Promise<unknown>>;
  for (const name of frameMethodNames) {
    methods[name] = async (...args) => {
      try {
        const implementation = (await load())[name] as (...a: unknown[]) => unknown;
        return await implementation(...args);
      } catch {
        loading = undefined;
        return { ok: false, error: { code: ChannelErrorCode.Internal, message: "The marketplace could not apply this change" } };
      }
    };
  }
  return methods as unknown as FrameMethods;
}

export function readParams(search: string): FrameUrlParams | undefined {
  const q = new URLSearchParams(search);
  const org = q.get("org") ?? "";
  const parent = q.get("parent") ?? "";
  const channel = q.get("channel") ?? "";
  const v = q.get("v") ?? "";
  if (!ORG_ID.test(org) || !exactOrigin(parent) || !/^[A-Za-z0-9_-]{1,64}$/.test(channel) || v !== String(PROTOCOL_VERSION)) return undefined;
  return { org, parent, channel, v };
}

export async function boot(win: Window = window): Promise<BootResult> {
  const params = readParams(win.location.search);
  if (!params) return { ok: false, reason: "badUrl" };
  const origin = win.location.origin;

  let allowed: string[];
  try {
    // The request main.tsx started early (embed-prefetch.ts), validated here like any response.
    allowed = (await createApi({ origin, fetch: embedFetch() }).embedConfig(params.org)).allowedOrigins;
  } catch (e) {
    return { ok: false, reason: isApiError(e) && e.status === 404 ? "unknownOrg" : "unreachable" };
  }
  if (win.parent === win) return { ok: false, reason: "notFramed" };
  if (!allowed.includes(params.parent)) return { ok: false, reason: "originNotAllowed" };

  let frame: Frame | undefined;
  const methods = lazyFrameMethods(() => frame);
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

  // Both pulls in one round trip: the parent is already verified, and the token is used only
  // once init() has been validated too.
  const [initAnswer, tokenAnswer] = await Promise.allSettled([host.init(), host.getToken()]);

  const parsed = initAnswer.status === "fulfilled" ? frameInit.safeParse(initAnswer.value) : undefined;
  if (!parsed?.success) {
    const message = parsed ? "init() returned options the frame cannot use" : "init() failed";
    emit("error", { code: ChannelErrorCode.InvalidMessage, message });
    return { ok: false, reason: "badInit" };
  }
  const init: FrameInit = parsed.data;

  const token = tokenAnswer.status === "fulfilled" ? tokenAnswer.value : undefined;
  if (typeof token !== "string" || token === "") {
    emit("error", { code: ChannelErrorCode.TokenUnavailable, message: "getToken() did not return a token" });
    return { ok: false, reason: "noToken" };
  }

  frame = createFrame({ host: link, init, origin, token, win });
  return { ok: true, frame };
}
