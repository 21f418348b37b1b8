/**
 * `createMarketplace` and its embeds. An embed is an iframe of the frame, its pinned penpal
 * channel, and the host methods the frame may call (`init`, `getToken`, `emit`). Embeds live in
 * the marketplace's closure (rather than a module of their own) because they share all of its
 * state and every byte counts against the 4 kB budget.
 *
 * - The URL carries only `org`, `parent`, `channel` and `v` (FrameUrlParams): never the token (C4).
 * - The iframe is sandboxed without `allow-top-navigation` (E2); `allow` grants only
 *   `clipboard-write` (the frame's copy buttons); `referrerpolicy="no-referrer"`: the frame
 *   learns the host origin from the URL and proves it with the handshake's `event.origin`, so a
 *   Referer would add nothing but the host page's path.
 * - Each embed has its own channel id and messenger (bound to its own iframe window), and each
 *   marketplace its own handlers: events never cross between embeds or marketplaces (C7).
 *   Handlers get the embed as their second argument.
 * - Host method maps have no prototype: `constructor` or `__proto__` is method-not-found (C5).
 * - Our own handshake timer rather than penpal's `timeout`: penpal does not clear its timer
 *   when a connection is destroyed early, and `close()` must leave no timer (C8).
 * - `ready` is pre-handled, so a host that never reads it sees no unhandled rejection; each
 *   failure also arrives as an `error` event; `error` and `warning` events are also printed
 *   with `console.warn`.
 */
import { connect, type RemoteProxy } from "penpal";
import type { EventName, FrameEvent } from "../contract/channel-types.ts";
import { EmporiumError } from "../contract/emporium-error.ts";
import type { ChannelErrorCode } from "../contract/errors.ts";
import { pinnedWindowMessenger } from "../contract/messenger.ts";
import type { FrameInit, FrameMethods, FrameResult, FrameUrlParams, HostMethods, Screen } from "../contract/protocol.ts";
import { darkScheme, element } from "./dom.ts";
import { normaliseConfigure, normaliseOptions, normaliseTarget, plain, validate } from "./options.ts";
import { openPopover } from "./popover.ts";
import { tokenSource } from "./token.ts";
import type { ConfigVarOverrides, Embed, EmbedTarget, EventHandler, Marketplace, MarketplaceOptions } from "./types.ts";

type FrameCall = (frame: RemoteProxy<FrameMethods>) => Promise<FrameResult>;
type AnyHandler = EventHandler<EventName>;

/** An open embed, with what the marketplace needs to drive it. */
interface LiveEmbed extends Embed {
  configVars?: ConfigVarOverrides;
  /** Calls a frame method if connected; rejects with its `EmporiumError` when it answers not ok. */
  call(method: FrameCall): Promise<void> | undefined;
}

const title = "Integration marketplace";

/**
 * Creates a marketplace for one organization. Nothing happens (no DOM, no network, no
 * listener) until you show something.
 *
 * @example
 * import { createMarketplace } from "emporium";
 *
 * const marketplace = createMarketplace({
 *   frameUrl: "https://platform.example/frame/",
 *   organization: "org_demo",
 *   getToken: () => fetch("/api/emporium-token").then((response) => response.text()),
 *   theme: { colorPrimary: "#0f766e" },
 *   mode: "auto",
 * });
 * marketplace.on("instance-deployed", ({ integrationId, instanceId }) => console.log(integrationId, instanceId));
 * const embed = marketplace.showMarketplace({ selector: "#marketplace" });
 * await embed.ready;
 */
export const createMarketplace = (options: MarketplaceOptions): Marketplace => {
  const { frameUrl, origin, organization, getToken, timeout, view, openExternalUrl } = normaliseOptions(options);
  const token = tokenSource(getToken);
  const embeds = new Set<LiveEmbed>();
  let handlers: [EventName, AnyHandler][] = [];
  let disposed: unknown;

  const off = (name: EventName, handler: AnyHandler) => {
    handlers = handlers.filter(([n, h]) => n != name || h != handler);
  };
  const broadcast = (method: FrameCall) => Promise.all([...embeds].map((embed) => embed.call(method))).then(() => {});

  const show = (target: EmbedTarget, screen: Screen, configVars?: ConfigVarOverrides): Embed => {
    if (disposed) throw new EmporiumError("DISPOSED", "disposed");
    const container = normaliseTarget(target);
    // Asked as the embed opens, so the host backend's round trip overlaps the frame's load; the
    // token stays here until this embed's frame (pinned to its origin) asks, and goes with it.
    let first: Promise<string> | undefined = token();
    first.catch(() => {});
    // Digits (what the frame accepts: [A-Za-z0-9_-]); it only keeps embeds apart, no secret (C7).
    const channel = (Math.random() + "").slice(2);
    const url = new URL(frameUrl);
    const params: FrameUrlParams = { org: organization, parent: location.origin, channel, v: "1" };
    for (const name in params) url.searchParams.set(name, params[name as keyof FrameUrlParams]);
    const iframe = element("iframe", "display:block;width:100%;height:100%;border:0", {
      title,
      sandbox: "allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox",
      allow: "clipboard-write",
      referrerpolicy: "no-referrer",
      src: url.href,
    });

    let remote: RemoteProxy<FrameMethods> | undefined;
    // Loads of the iframe less handshakes (init() calls; the frame makes one per page) so far.
    let unanswered = 0;
    let resolve: () => void;
    let reject: (error: EmporiumError) => void;
    const ready = new Promise<void>((yes, no) => ((resolve = yes), (reject = no)));
    ready.catch(() => {});

    const dark = darkScheme();
    const onScheme = () => view.mode == "auto" && remote?.setTheme({ mode: "auto", hostPrefersDark: dark.matches }).catch(() => {});

    const emit = (event: FrameEvent) => {
      const { type, payload } = (event || {}) as FrameEvent;
      // Only handlers registered under exactly this name run, so an unknown type reaches none.
      if (!plain(payload)) return;
      const { code, message, height } = payload as { code: ChannelErrorCode; message: string; height: number };
      // Into the popover's frame only once it is drawn: focus given to a cross-origin iframe
      // before it has loaded reaches no document, and Esc would then reach nobody (popover.ts).
      // Our own chrome in the frame's words, in its language: asked once drawn when the host chose
      // a language (the frame answers every language switch with `labels`).
      if (type == "ready") resolve(), removePopover && iframe.focus(), view.locale && remote?.setLocale(view.locale, view.phrases);
      if (type == "labels") (iframe.title = payload.title), paint?.(payload.close);
      if (type == "error") {
        clearTimeout(timer);
        reject(new EmporiumError(code, message));
      }
      // A misconfiguration (unknown config variable, bad theme token, …) is loud in the host's
      // console even when nobody listens. Payloads are codes and messages: never a value.
      // Only `warning` and `error` payloads have a code.
      if (code) console.warn("Emporium", type, code, message);
      // autoHeight: grow at once; shrink by no more than the page can still scroll down. A page
      // scrolled near its end and made shorter than its scroll position clamps it, and everything
      // (the frame too) slides down under the user's pointer. The frame asks again as the user
      // scrolls, so the rest follows (marketplace-frame/src/ui/auto-height.ts).
      if (type == "resize" && view.autoHeight && typeof height == "number" && height >= 0 && height < 1e5) iframe.style.height = Math.max(height, scrollY && iframe.offsetHeight + scrollY + innerHeight - document.documentElement.scrollHeight) + "px";
      handlers.forEach(([name, handler]) => name == type && queueMicrotask(() => handler(payload as never, embed)));
      if (type == "close" && !container) close();
    };
    const fail = (code: ChannelErrorCode, message: string) => {
      connection.destroy();
      emit({ type: "error", payload: { code, message } });
    };

    const methods = {
      __proto__: null,
      init: (): FrameInit => (clearTimeout(timer), unanswered--, { ...view, screen, closable: !container, hostPrefersDark: dark.matches, configVars: embed.configVars }),
      getToken: () => {
        const answer = first || token();
        first = undefined;
        return answer;
      },
      emit,
      // Only with a hook (else METHOD_NOT_FOUND); its answer is not the frame's business (a
      // Window from window.open could not even cross the channel).
      openExternalUrl: openExternalUrl && (async (url: string) => void (await openExternalUrl(url))),
    } as unknown as HostMethods;

    const [removePopover, paint] = container ? (container.append(iframe), []) : openPopover(iframe, view, () => emit({ type: "close", payload: {} }));

    const connection = connect<FrameMethods>({
      messenger: pinnedWindowMessenger({
        remoteWindow: iframe.contentWindow!,
        origin,
        // "null": the frame runs sandboxed without allow-same-origin (E3); anything else: it navigated away (C3).
        onForeignOrigin: (from) => fail(from == "null" ? "SANDBOX_BLOCKED" : "CONNECTION_CLOSED", "origin " + from),
      }),
      methods,
      channel,
    });
    connection.promise.then((frame) => (remote = frame));
    // Every handshake ends with the frame calling init(), which clears the timer. Silent after a
    // first connection: the frame navigated elsewhere (C3). Loaded but silent: its script failed
    // or was blocked. Not even loaded: network or server.
    let timer: ReturnType<typeof setTimeout>;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => fail(remote ? "CONNECTION_CLOSED" : unanswered ? "FRAME_LOAD_FAILED" : "CONNECTION_TIMEOUT", "no handshake"), timeout);
    };
    // Each load starts the timer again (a reload re-handshakes; a page navigated to never does),
    // unless that page has called init() already: it can, before its load event (which waits
    // for its images).
    iframe.onload = () => ++unanswered > 0 && arm();
    arm();
    dark.addEventListener("change", onScheme);

    const close = () => {
      clearTimeout(timer);
      reject(new EmporiumError("DISPOSED", "disposed"));
      dark.removeEventListener("change", onScheme);
      connection.destroy();
      removePopover ? removePopover() : iframe.remove();
      embeds.delete(embed);
    };

    const embed: LiveEmbed = {
      close,
      ready,
      frame: iframe,
      configVars,
      // A frame answer that is not ok, or a call that could not be sent at all (a value that
      // cannot be cloned, a closed port), rejects with our one error class.
      // Every live change (theme, locale, config values) repaints a popover's chrome from the view.
      call: (method) =>
        (paint?.(), remote) &&
        method(remote).then(
          (result) => {
            if (!result.ok) throw new EmporiumError(result.error.code, result.error.message);
          },
          (error) => {
            throw new EmporiumError("INVALID_MESSAGE", error.message);
          },
        ),
    };
    embeds.add(embed);
    return embed;
  };

  return {
    showMarketplace: (target) => show(target, { name: target?.screen || "marketplace" }),
    configureInstance: (what, target) => show(target, ...normaliseConfigure(what)),
    on: ((name: EventName, handler: AnyHandler) => (handlers.push([name, handler]), () => off(name, handler))) as Marketplace["on"],
    off: off as Marketplace["off"],
    setTheme: (theme, mode = view.mode) => {
      Object.assign(view, validate({ theme, mode }, "theme"));
      return broadcast((frame) => frame.setTheme({ theme, mode, hostPrefersDark: darkScheme().matches }));
    },
    setLocale: (locale, phrases) => {
      Object.assign(view, validate({ locale, phrases }, "locale"));
      return broadcast((frame) => frame.setLocale(locale, phrases));
    },
    setConfigVars: (configVars) => {
      validate({ configVars }, "configVars");
      // Every open embed gets them (a frame applies them to its wizard, now or when one opens);
      // a frame that reloads gets the latest in init().
      embeds.forEach((embed) => (embed.configVars = configVars));
      return broadcast((frame) => frame.setConfigVars(configVars));
    },
    dispose: () => {
      disposed = 1;
      embeds.forEach((embed) => embed.close());
      handlers = [];
    },
  };
};
