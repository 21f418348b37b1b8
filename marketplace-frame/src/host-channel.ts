/**
 * The frame's first module: it opens the channel to the host as the frame's code is evaluated,
 * before boot's checks and state are built. The SYN is posted then, but it does not leave then:
 * Chromium forwards a `postMessage` to another process only once the task that posted it has
 * ended, and the whole entry's module graph is evaluated in one task, so the host sees the SYN
 * when all of the entry has run (traced: never earlier; docs/performance.md). So every
 * millisecond of the entry's module evaluation is on the path to the catalog GET.
 *
 * It opens the channel only when everything boot would check is already known without a
 * request: well-formed URL params, a parent window, and the organization's allowed host origins
 * in the document itself (the platform writes its public embed config into the frame document
 * as a JSON data block, `EMBED_CONFIG_ELEMENT_ID`) with the `parent` param among them. Otherwise
 * (the static frame, an unknown organization) boot asks `GET /api/v1/embed/:org` and decides.
 * Either way nothing is posted to a parent whose origin is not allowed (E1), and every message
 * goes to that exact origin (pinnedWindowMessenger).
 *
 * It imports nothing that builds a schema, so that a first script of its own could take it as it
 * is (tried, and not kept on loopback: docs/performance.md).
 */
import { connect, type RemoteProxy } from "penpal";
import { ChannelErrorCode } from "../../contract/errors.ts";
import { pinnedWindowMessenger, pinOrigin } from "../../contract/messenger.ts";
import { EMBED_CONFIG_ELEMENT_ID, frameMethodNames, PROTOCOL_VERSION } from "../../contract/protocol-constants.ts";
import type { FrameMethods, FrameUrlParams, HostMethods } from "../../contract/protocol.ts";
import type { Frame } from "./frame.ts";

const HANDSHAKE_TIMEOUT_MS = 10_000;

/** An organization or channel id in the frame URL. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The frame URL's routing params, when every one is well formed (`parent` an exact http(s) origin,
 * by the messenger's own test); nothing in them is secret.
 */
export function readParams(search: string): FrameUrlParams | undefined {
  const q = new URLSearchParams(search);
  const [org, parent, channel, v] = ["org", "parent", "channel", "v"].map((name) => q.get(name) ?? "") as [string, string, string, string];
  try {
    pinOrigin(parent);
  } catch {
    return undefined;
  }
  return ID.test(org) && ID.test(channel) && v === String(PROTOCOL_VERSION) ? { org, parent, channel, v } : undefined;
}

/**
 * The allowed host origins from the embed config the platform wrote into this document, or
 * `undefined` when there is none (the static frame, an unknown organization), it names another
 * organization than the URL (a cache that keyed the document without its query), or its list is
 * not an array of strings. Only membership of an exact origin is ever tested against it.
 */
export function inlineAllowedOrigins(doc: Document | undefined, org: string): string[] | undefined {
  const block = doc?.getElementById(EMBED_CONFIG_ELEMENT_ID);
  if (!block || block.getAttribute("type") !== "application/json") return undefined;
  try {
    const config = JSON.parse(block.textContent ?? "") as { organization?: { id?: unknown }; allowedOrigins?: unknown } | null;
    const list = config?.allowedOrigins;
    return config?.organization?.id === org && Array.isArray(list) && list.every((o) => typeof o === "string") ? list : undefined;
  } catch {
    return undefined;
  }
}

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

/** An open channel to the host: the handshake, then `init()` and `getToken()` asked together. */
export interface HostChannel {
  host: Promise<RemoteProxy<HostMethods>>;
  /**
   * `init()` and `getToken()`, both asked the moment the handshake completes; each answer is
   * awaited on its own (the host backend's token often comes well after init()).
   */
  first: Promise<{ init: Promise<unknown>; token: Promise<unknown> }>;
  /** Hands the frame to the host's live-update methods once boot has created it. */
  setFrame(frame: Frame): void;
  destroy(): void;
}

/**
 * Opens the channel to `win.parent`, pinned to `params.parent`. Only call it once that origin is
 * known to be allowed.
 */
export function openHostChannel(win: Window, params: FrameUrlParams): HostChannel {
  let frame: Frame | undefined;
  const origin = pinOrigin(params.parent);
  const messenger = pinnedWindowMessenger({ remoteWindow: win.parent, origin, onForeignOrigin: () => connection.destroy() });
  // Before each SYN the messenger checks that the host's iframe is no longer the initial
  // about:blank by reading the remote window's location. Here the remote window is the parent,
  // another origin, so that read throws, and a fresh frame pays ~1 ms for the exception before
  // its handshake can start (CPU profile of the boot). A parent is never that initial document:
  // the SYN goes out as the messenger would send it, pinned to the parent's exact origin.
  const send = messenger.sendMessage;
  messenger.sendMessage = (message) => (message.type == "SYN" ? win.parent.postMessage(message, origin) : send(message));
  const connection = connect<HostMethods>({
    messenger,
    methods: lazyFrameMethods(() => frame),
    channel: params.channel,
    timeout: HANDSHAKE_TIMEOUT_MS,
  });
  const host = connection.promise;
  const first = host.then((h) => {
    const asked = { init: h.init(), token: h.getToken() };
    asked.init.catch(() => {}); // each failure is boot's to report, as it reads the answer
    asked.token.catch(() => {});
    return asked;
  });
  first.catch(() => {}); // a failed handshake is boot's to report, from `host`
  return { host, first, setFrame: (f) => (frame = f), destroy: () => connection.destroy() };
}

/** The channel this module opened as it was evaluated, and for which window (boot takes it). */
export let early: { win: Window; channel: HostChannel } | undefined;

/**
 * Runs once, as this module is evaluated: opens the channel now if boot's checks can already be
 * made (see the file comment). It needs no schema, so the SYN is posted before preact, zod, ky
 * and the contract have run (it leaves when they have: see the file comment).
 */
export function openEarly(win: Window): void {
  const params = readParams(win.location.search);
  if (params && inlineAllowedOrigins(win.document, params.org)?.includes(params.parent) && win.parent !== win) early = { win, channel: openHostChannel(win, params) };
}

if (typeof window !== "undefined" && typeof document !== "undefined") openEarly(window);
