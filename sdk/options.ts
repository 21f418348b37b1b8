/**
 * The one normalisation point of the SDK: every argument a host passes (to `createMarketplace`,
 * `configureInstance`, `setTheme`, `setLocale`, `setConfigVars`, a `show*` target) is checked
 * here against one rule table, and a wrong one throws `EmporiumError` `INVALID_OPTION` saying
 * what was expected and what was received. An unknown option name is an error too (a typo
 * would otherwise be silently ignored). Code behind these functions trusts its input.
 *
 * Messages are terse on purpose: every character ships in the 4 kB budget.
 */
import type { Screen } from "../contract/protocol.ts";
import { unexpected } from "../contract/emporium-error.ts";
import { POPUP_SIDE_MAX, POPUP_SIDE_MIN, POPUP_SIZE_EXPECTED } from "../contract/oauth-popup.ts";
import type { ConfigVarOverrides, ConfigureTarget, EmbedTarget, MarketplaceOptions } from "./types.ts";

/** What the frame is told in `init()`; `setTheme` / `setLocale` update it. */
export type View = Pick<MarketplaceOptions, "theme" | "mode" | "locale" | "phrases" | "filters" | "screens" | "oauthPopup"> & {
  autoHeight?: boolean;
  /** The host opens authorization pages itself (`openExternalUrl`). */
  externalUrls?: boolean;
};

/** Options after normalisation. */
export interface Settings {
  frameUrl: string;
  /** Derived once from `frameUrl`; the channel is pinned to it. */
  origin: string;
  organization: string;
  getToken: () => Promise<string>;
  timeout: number;
  view: View;
  openExternalUrl?: MarketplaceOptions["openExternalUrl"];
}

type Bag = Record<string, unknown>;

export const plain = (value: unknown): value is Bag => (value as Bag)?.constructor == Object;
const strings = (value: unknown) => plain(value) && Object.values(value).every((item) => typeof item == "string");
const matches = (pattern: RegExp) => (value: unknown) => typeof value == "string" && pattern.test(value);
const id: [(value: unknown) => boolean, string] = [matches(/^[\w.-]{1,64}$/), "an id"];
const texts: [(value: unknown) => boolean, string] = [strings, "an object of strings"];
const object: [(value: unknown) => boolean, string] = [plain, "an object"];
const fn: [(value: unknown) => boolean, string] = [(value) => typeof value == "function", "a function"];

/** Option name → [test, what is expected]. Terse: every character ships in the budget. */
const rules: Record<string, [(value: any) => unknown, string]> = {
  // No prototype: `constructor` or `__proto__` is an unknown option, not a rule.
  __proto__: null as never,
  frameUrl: [
    (value) => {
      try {
        return /^https?:$/.test(new URL(value).protocol);
      } catch {}
    },
    "an http(s) URL",
  ],
  organization: id,
  integration: id,
  instanceId: id,
  getToken: fn,
  openExternalUrl: fn,
  // contract/oauth-popup.ts's isPopupSize, written out with its numbers: the contract's function
  // (its own plain-object test) would cost this entry 16 B brotli, calling isPopupSide 5 B.
  oauthPopup: [
    (value) => plain(value) && Object.keys(value).every((k) => /^(width|height)$/.test(k) && typeof value[k] == "number" && (value[k] as number) >= POPUP_SIDE_MIN && (value[k] as number) <= POPUP_SIDE_MAX),
    POPUP_SIZE_EXPECTED,
  ],
  // Shapes only: each token value, phrase key and config value is checked by the frame, which
  // keeps the default and warns (INVALID_THEME_TOKEN, UNKNOWN_PHRASE, ...) about each bad one.
  theme: texts,
  phrases: texts,
  filters: object,
  // Shape only, like filters: the frame checks each screen and tab name and warns about a wrong one.
  screens: object,
  screen: id,
  configVars: [(value) => plain(value) && Object.values(value).every(plain), "an object of objects"],
  mode: [matches(/^(light|dark|auto)$/), "light, dark or auto"],
  locale: [matches(/^[\w-]{1,35}$/), "a locale"],
  timeout: [(value) => value > 0, "a positive number"],
  autoHeight: [(value) => value === !!value, "a boolean"],
};

/** Checks every key of `bag` against `rules` (an unknown key is an error); `required` keys must be present. Returns `bag`. */
export const validate = <T>(bag: T, ...required: string[]): T => {
  if (!plain(bag)) throw unexpected("INVALID_OPTION", "an object", bag);
  for (const name of [...required, ...Object.keys(bag)]) {
    const value = bag[name];
    const [test, expected] = rules[name] || [() => 0, "a known option"];
    if ((value !== undefined || required.includes(name)) && !test(value)) throw unexpected("INVALID_OPTION", `${name} to be ${expected}`, value);
  }
  return bag;
};

/** Validates and defaults the options of `createMarketplace`. */
export const normaliseOptions = (options: MarketplaceOptions): Settings => {
  const { frameUrl, organization, getToken, timeout = 1e4, openExternalUrl, ...view } = validate(options, "frameUrl", "organization", "getToken");
  const { href, origin } = new URL(frameUrl);
  // The hook stays here (a function cannot cross the channel); the frame only learns there is one.
  (view as View).externalUrls = !!openExternalUrl;
  return { frameUrl: href, origin, organization, getToken, timeout, view: view as View, openExternalUrl };
};

/** Resolves an `EmbedTarget` to the element to render into, or `undefined` for a popover. */
export const normaliseTarget = (target: EmbedTarget): HTMLElement | undefined => {
  const { selector, popover, screen } = (target || {}) as Bag;
  validate({ screen });
  if (popover === true) return;
  let node: unknown;
  try {
    node = typeof selector == "string" ? document.querySelector(selector) : selector;
  } catch {}
  if (node instanceof HTMLElement) return node;
  throw unexpected("INVALID_OPTION", "target to be { selector } or { popover: true }", selector);
};

/** Turns the first argument of `configureInstance` into the frame's screen and pre-filled values. */
export const normaliseConfigure = (what: ConfigureTarget): [Screen, ConfigVarOverrides | undefined] => {
  const { integration, instanceId, configVars } = validate(what);
  if (!integration == !instanceId) throw unexpected("INVALID_OPTION", "{ integration } or { instanceId }", what);
  return [integration ? { name: "configure", integrationId: integration } : { name: "reconfigure", instanceId: instanceId! }, configVars];
};
