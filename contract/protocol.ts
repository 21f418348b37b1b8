/**
 * The host ↔ frame channel protocol (penpal over postMessage, pinned to exact origins).
 *
 * - The frame URL carries only non-secret routing data (see `FrameUrlParams`).
 * - After the handshake the frame pulls its options with `host.init()` and the token with
 *   `host.getToken()`; it pushes lifecycle events with `host.emit()`.
 * - The host calls `frame.*` methods to restyle or pre-fill a live embed.
 * - Errors cross as `{ code, message }` only.
 *
 * The zod schemas here are used by the frame, which receives untrusted input from the host.
 * The SDK imports only types from this file, so none of zod ships to the host page. Each is an
 * accessor that builds it on first use (on-first-use.ts): the frame's entry evaluates this module
 * while the handshake has yet to start, and `frameInit()` is first needed once `init()` answers.
 */
import * as z from "zod/mini";
import { integrationListQuery } from "./api-marketplace.ts";
import { onFirstUse } from "./on-first-use.ts";
import type { ChannelErrorCode } from "./errors.ts";
import type { ChannelWarning, FrameEvent, MarketplaceFilters, Screen } from "./channel-types.ts";
import type { Theme, ThemeMode } from "./theme.ts";

export { PROTOCOL_VERSION, frameMethodNames, lifecycleEventNames } from "./protocol-constants.ts";

/** Query parameters of the frame URL. Nothing secret ever goes here. */
export interface FrameUrlParams {
  /** Organization id (public): decides which host origins may embed the frame. */
  org: string;
  /** Exact origin of the host page; must be on the organization's allow-list. */
  parent: string;
  /** Per-embed channel id, so two embeds on one page never cross-talk. */
  channel: string;
  /** Protocol version the host speaks. */
  v: string;
}

export const screen = onFirstUse(
  () =>
    z.discriminatedUnion("name", [
      z.object({ name: z.literal("marketplace") }),
      z.object({ name: z.literal("integration"), integrationId: z.string().check(z.maxLength(64)) }),
      z.object({ name: z.literal("configure"), integrationId: z.string().check(z.maxLength(64)) }),
      z.object({ name: z.literal("reconfigure"), instanceId: z.string().check(z.maxLength(64)) }),
      z.object({ name: z.literal("instance"), instanceId: z.string().check(z.maxLength(64)) }),
      // The activity screen's tabs (`instanceId` narrows logs and alerts to one instance) and the
      // connections, in one schema: the first route carries it, and a second object costs bytes there.
      z.object({ name: z.enum(["dashboard", "logs", "alerts", "usage", "connections"]), instanceId: z.optional(z.string().check(z.maxLength(64))) }),
    ]) satisfies z.ZodMiniType<Screen>,
);

// The channel's types are written once, zod-free, in channel-types.ts (the SDK's .d.ts shows them).
export type { ActivityScreen, ChannelWarning, EventPayloads, EventName, FrameEvent, LifecycleEventName, MarketplaceFilters, Screen, ScreenName, ScreenOptions } from "./channel-types.ts";

/** The list query's filters (the same fields as `GET /integrations`), plus an id allow-list. */
export const marketplaceFilters = onFirstUse(
  () =>
    z.strictObject({
      ...integrationListQuery().shape,
      /** Only these integration ids are listed. */
      integrations: z.optional(z.array(z.string().check(z.maxLength(64))).check(z.maxLength(1000))),
    }) satisfies z.ZodMiniType<MarketplaceFilters>,
);

// Host pre-filled config variables (`ConfigVarOverrides`, strictly validated) live in
// config-var-overrides.ts: their value schemas are the wizard's, not the first route's.
export type { ConfigVarOverride, ConfigVarOverrides } from "./config-var-overrides.ts";
import type { ConfigVarOverrides } from "./config-var-overrides.ts";

/**
 * Config variables as FrameInit carries them: the shape is checked at boot, each value by the
 * wizard, against its field (validate-config.ts), which drops a bad one with an
 * `INVALID_CONFIG_VALUE` warning naming it. So the list never waits for the value schemas, and
 * one bad pre-filled value cannot keep the whole marketplace from starting.
 */
export const initConfigVars = onFirstUse(() =>
  z.record(
    z.string().check(z.maxLength(64)),
    z.strictObject({ value: z.optional(z.unknown()), hidden: z.optional(z.boolean()), readOnly: z.optional(z.boolean()) }),
  ),
);
export type InitConfigVars = z.infer<ReturnType<typeof initConfigVars>>;

/** Everything the frame pulls from the host after the handshake. */
export const frameInit = onFirstUse(() =>
  z.object({
    screen: screen(),
    /** Show a close button (popovers) and emit `close` when it is pressed. */
    closable: z.boolean(),
    /** Report content height so the host can size the iframe (the SDK leaves it out unless asked). */
    autoHeight: z.optional(z.boolean()),
    theme: z.optional(z.record(z.string().check(z.maxLength(64)), z.string().check(z.maxLength(500)))),
    mode: z.optional(z.enum(["light", "dark", "auto"])),
    /** The host's `prefers-color-scheme` when mode is auto. */
    hostPrefersDark: z.optional(z.boolean()),
    locale: z.optional(z.string().check(z.maxLength(35))),
    /** At most 2,000 phrases of at most 5,000 characters. */
    phrases: z.optional(
      z.record(z.string().check(z.maxLength(200)), z.string().check(z.maxLength(5000))).check(z.refine((r) => Object.keys(r).length <= 2000, "too many entries")),
    ),
    filters: z.optional(marketplaceFilters()),
    configVars: z.optional(initConfigVars()),
    /** ScreenOptions: checked name by name where they apply (screen-options.ts), each bad one a warning. */
    screens: z.optional(z.unknown()),
    /** The OAuth popup's `{ width, height }`: checked where a popup opens (oauth-opener.ts), out of the first route. */
    oauthPopup: z.optional(z.unknown()),
    /** The host opens authorization pages itself: call its `openExternalUrl` instead of opening a popup. */
    externalUrls: z.optional(z.boolean()),
  }),
);
export type FrameInit = z.infer<ReturnType<typeof frameInit>>;

/** Options the host can change on a live embed. */
export interface ThemeUpdate {
  theme?: Theme;
  mode?: ThemeMode;
  hostPrefersDark?: boolean;
}

/** Methods the host exposes to the frame. */
export type HostMethods = {
  init: () => FrameInit;
  getToken: () => Promise<string>;
  emit: (event: FrameEvent) => void;
  /** Only when init() said `externalUrls`: opens an authorization page (its URL carries only `state`, S5). */
  openExternalUrl: (url: string) => Promise<void>;
};

/** Result of a frame method: never throws across the channel, so no stack ever travels. */
export type FrameResult = { ok: true; warnings: ChannelWarning[] } | { ok: false; error: { code: ChannelErrorCode; message: string } };

/** What a frame method answers: the host always receives it as a promise (the channel is async). */
export type FrameAnswer = FrameResult | Promise<FrameResult>;

/** Methods the frame exposes to the host. */
export type FrameMethods = {
  setTheme: (update: ThemeUpdate) => FrameAnswer;
  /** Answers once the new language is applied (its phrases may load on demand). */
  setLocale: (locale: string, phrases?: Record<string, string>) => FrameAnswer;
  setConfigVars: (vars: ConfigVarOverrides) => FrameAnswer;
  setFilters: (filters: MarketplaceFilters) => FrameAnswer;
  navigate: (screen: Screen) => FrameAnswer;
};

