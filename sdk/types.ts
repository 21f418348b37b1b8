/**
 * The SDK's public types. Everything here is zod-free (see contract/channel-types.ts), so the
 * published `.d.ts` needs nothing but itself.
 */
import type {
  ActivityScreen as ChannelActivityScreen,
  ConfigVarOverrides as ChannelConfigVarOverrides,
  EventName as ChannelEventName,
  EventPayloads as ChannelEventPayloads,
  MarketplaceFilters as ChannelMarketplaceFilters,
  ScreenOptions as ChannelScreenOptions,
} from "../contract/channel-types.ts";
import type { ChannelErrorCode } from "../contract/errors.ts";
import type { OAuthPopupSize } from "../contract/oauth-popup.ts";
import type { Theme as ContractTheme, ThemeMode as ContractThemeMode } from "../contract/theme.ts";

/**
 * Theme tokens, each optional; the frame validates every one against its grammar and keeps the
 * default for (and warns about) any it rejects.
 *
 * @example
 * const theme: Theme = { colorPrimary: "#0f766e", borderRadius: "12px", fontFamily: "Inter, sans-serif" };
 */
export type Theme = ContractTheme;

/**
 * `"light"`, `"dark"`, or `"auto"` (follows the host page's `prefers-color-scheme`, live).
 *
 * @example
 * marketplace.setTheme({}, "auto");
 */
export type ThemeMode = ContractThemeMode;

/**
 * Which integrations the marketplace lists.
 *
 * @example
 * createMarketplace({ ...options, filters: { category: "CRM", state: "activated" } });
 */
export type MarketplaceFilters = ChannelMarketplaceFilters;

/**
 * The tabs of the activity screen, each also a screen `showMarketplace` can open:
 * `"dashboard"` (the overview: health, recent failures, usage), `"logs"`, `"alerts"` (alerts and
 * their monitors) and `"usage"`.
 *
 * @example
 * marketplace.showMarketplace({ selector: "#activity", screen: "logs" });
 */
export type ActivityScreen = ChannelActivityScreen;

/**
 * What the customer does not see: tabs of the activity screen (hiding them all turns the screen
 * off), and sections of the instance page. Links to a hidden tab are hidden too.
 *
 * @example
 * createMarketplace({ ...options, screens: { activity: { hideTabs: ["usage"] }, instance: { hideSections: ["executions"] } } });
 */
export type ScreenOptions = ChannelScreenOptions;

/**
 * Config variables the host pre-fills, by key: a value, and whether the customer sees
 * (`hidden`) or edits (`readOnly`) it.
 *
 * @example
 * const configVars: ConfigVarOverrides = { apiKey: { value: "k_live_123", hidden: true } };
 */
export type ConfigVarOverrides = ChannelConfigVarOverrides;

/**
 * Codes of `EmporiumError` and of `error` / `warning` event payloads.
 *
 * @example
 * const code: ErrorCode = "CONNECTION_TIMEOUT";
 */
export type ErrorCode = ChannelErrorCode;

/**
 * Names of the events the frame sends; see `EventPayloads` for each payload.
 *
 * @example
 * const name: EventName = "instance-deployed";
 */
export type EventName = ChannelEventName;

/**
 * Payload of each event. Payloads carry ids and names only, never config values or secrets.
 *
 * @example
 * const onDeployed = (payload: EventPayloads["instance-deployed"]) => console.log(payload.instanceId);
 */
export type EventPayloads = ChannelEventPayloads;

/**
 * An event handler: the payload, and the embed that sent it (so a page with several embeds can
 * tell them apart).
 *
 * @example
 * const handler: EventHandler<"ready"> = (payload, embed) => console.log(payload.screen, embed.frame);
 */
export type EventHandler<K extends EventName> = (payload: EventPayloads[K], embed: Embed) => void;

/**
 * Options of `createMarketplace`. Only `frameUrl`, `organization` and `getToken` are required.
 *
 * @example
 * const options: MarketplaceOptions = {
 *   frameUrl: "https://platform.example/frame/",
 *   organization: "org_demo",
 *   getToken: () => fetch("/api/emporium-token").then((r) => r.text()),
 * };
 */
export interface MarketplaceOptions {
  /** URL of the marketplace frame (http or https). The channel is pinned to its origin. */
  frameUrl: string;
  /** Your organization id (public). */
  organization: string;
  /**
   * Returns a fresh signed JWT for the current user. Called when the frame needs one and again
   * before it expires; calls made while one is pending share it. Never put the token in a URL.
   */
  getToken: () => Promise<string>;
  /** Theme tokens. Default: the frame's built-in theme. */
  theme?: Theme;
  /** Colour mode. Default: the frame's (light). */
  mode?: ThemeMode;
  /** BCP 47 locale, e.g. `"de"`. Default: the frame's (English). */
  locale?: string;
  /** Phrase overrides by phrase key. */
  phrases?: Record<string, string>;
  /** Which integrations the marketplace lists. */
  filters?: MarketplaceFilters;
  /** Screens and tabs the customer does not see. */
  screens?: ScreenOptions;
  /** Milliseconds to wait for the frame's handshake. Default: 10000. */
  timeout?: number;
  /** Grow an inline embed's iframe to the frame's content height. Default: false. */
  autoHeight?: boolean;
  /**
   * Opens an OAuth authorization page where popups fail (a webview, Electron, a native shell):
   * the frame asks you over the pinned channel instead of opening a popup, and completes by
   * itself once the user has answered the app. The URL carries only an opaque `state`, never a
   * code or a token (S5). Default: a popup.
   *
   * @example
   * openExternalUrl: (url) => shell.openExternal(url) // Electron
   */
  openExternalUrl?: (url: string) => void | Promise<void>;
  /** The OAuth popup's size in CSS pixels, each side 200–4000 (`width` and `height` only). Default: 520 × 680. */
  oauthPopup?: OAuthPopupSize;
}

/**
 * Where an embed opens: inline in an element (a CSS selector or the element itself), or in a
 * modal popover; and, for `showMarketplace`, which screen: the marketplace (default), a tab of
 * the activity screen, or `"connections"` (the customer's connections: health, the integrations
 * using each, reconnect).
 *
 * @example
 * marketplace.showMarketplace({ selector: "#marketplace" });
 * marketplace.showMarketplace({ popover: true, screen: "dashboard" });
 * marketplace.showMarketplace({ popover: true, screen: "connections" });
 */
export type EmbedTarget = ({ selector: string | HTMLElement } | { popover: true }) & { screen?: "marketplace" | ActivityScreen | "connections" };

/**
 * What `configureInstance` opens: the wizard for a new instance of an integration, or the
 * reconfiguration of an existing instance; optionally with pre-filled config variables.
 *
 * @example
 * marketplace.configureInstance({ integration: "slack", configVars: { channel: { value: "#ops", readOnly: true } } }, { popover: true });
 */
export type ConfigureTarget = ({ integration: string; instanceId?: never } | { instanceId: string; integration?: never }) & {
  configVars?: ConfigVarOverrides;
};

/**
 * One open iframe.
 *
 * @example
 * const embed = marketplace.showMarketplace({ popover: true });
 * await embed.ready;
 * embed.close();
 */
export interface Embed {
  /** Removes the iframe (and popover), closes the channel, and leaves no listener or timer. */
  close(): void;
  /**
   * Resolves when the frame shows its first screen. Rejects with an `EmporiumError`:
   * `CONNECTION_TIMEOUT`, `FRAME_LOAD_FAILED`, `ORIGIN_NOT_ALLOWED`, `SANDBOX_BLOCKED`,
   * `CONNECTION_CLOSED`, or `DISPOSED` when closed first.
   */
  ready: Promise<void>;
  /** The iframe element. */
  frame: HTMLIFrameElement;
}

/**
 * What `createMarketplace` returns.
 *
 * @example
 * const marketplace: Marketplace = createMarketplace(options);
 * const stop = marketplace.on("instance-deployed", ({ instanceId }) => refresh(instanceId));
 */
export interface Marketplace {
  /** Opens the marketplace list, the activity screen on one of its tabs, or the connections (`target.screen`). */
  showMarketplace(target: EmbedTarget): Embed;
  /** Opens the config wizard of one integration, or the reconfiguration of one instance. */
  configureInstance(what: ConfigureTarget, target: EmbedTarget): Embed;
  /** Listens to an event of every embed of this marketplace; returns the unsubscribe function. */
  on<K extends EventName>(event: K, handler: EventHandler<K>): () => void;
  /** Stops listening. */
  off<K extends EventName>(event: K, handler: EventHandler<K>): void;
  /** Restyles every open embed live; rejects if a frame refuses. Invalid tokens come back as `warning` events. */
  setTheme(theme: Theme, mode?: ThemeMode): Promise<void>;
  /** Changes the locale (and phrase overrides) of every open embed live. */
  setLocale(locale: string, phrases?: Record<string, string>): Promise<void>;
  /** Pre-fills config variables of the open wizard(s). Unknown keys come back as `warning` events. */
  setConfigVars(vars: ConfigVarOverrides): Promise<void>;
  /** Closes every embed and forgets every handler. The marketplace cannot be used afterwards. */
  dispose(): void;
}
