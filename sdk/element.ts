/**
 * `emporium/element`: `<emporium-marketplace>`, a custom element for every stack that is not
 * React (Vue, Svelte, Angular, plain HTML), on top of the SDK core (`./emporium.js` in the build).
 *
 * - Side-effect free: importing defines nothing (and touches no browser global, so a server
 *   can import it); `defineMarketplaceElement()` defines the element, once.
 * - Attributes: `frame-url`, `organization`, `mode`, `locale`, `integration` (a deep link into
 *   its wizard), `instance-id`, `popover` and `auto-height`. Properties: `getToken`, `theme`,
 *   `phrases`, `configVars`, `filters`. `mode`, `locale`, `theme`, `phrases` and `configVars`
 *   restyle, translate or pre-fill the live frame; the others open a new one.
 * - Order does not matter: the frame opens once the element is in the document and has
 *   `frame-url`, `organization` and `getToken`, whichever comes last; a property set on the
 *   element before the element was defined is taken over when it upgrades.
 * - Events are DOM `CustomEvent`s named like the SDK's (`ready`, `instance-deployed`, …), with
 *   the SDK's payload as `detail` (ids and names only); they bubble and cross shadow roots.
 * - Removed from the document, it disposes the marketplace: no iframe, listener or timer left.
 */
import { hostEvents } from "./host-events.ts";
import { createMarketplace } from "./index.ts";
import type { ConfigVarOverrides, Marketplace, MarketplaceFilters, Theme, ThemeMode } from "./types.ts";

/**
 * The `<emporium-marketplace>` element's properties (its attributes are in the file comment).
 *
 * @example
 * const element = document.createElement("emporium-marketplace") as MarketplaceElement;
 * element.getToken = () => fetch("/api/emporium-token", { method: "POST" }).then((r) => r.json()).then((j) => j.token);
 * element.theme = { colorPrimary: "#0f766e" };
 */
export interface MarketplaceElement extends HTMLElement {
  /** Returns a fresh signed JWT for the signed-in user (see `createMarketplace`). */
  getToken?: () => Promise<string>;
  /** Theme tokens; changes restyle the live frame. */
  theme?: Theme;
  /** Phrase overrides; changes go to the live frame. */
  phrases?: Record<string, string>;
  /** Config variables to pre-fill; changes go to the live frame. */
  configVars?: ConfigVarOverrides;
  /** Which integrations the list shows; a change opens a new frame. */
  filters?: MarketplaceFilters;
  /** The live marketplace while the element is in the document, else `undefined`. */
  readonly marketplace?: Marketplace;
}

const attributes = ["frame-url", "organization", "mode", "locale", "integration", "instance-id", "popover", "auto-height"];
const properties = ["getToken", "theme", "phrases", "configVars", "filters"] as const;

const makeElement = () =>
  class EmporiumMarketplace extends HTMLElement implements MarketplaceElement {
    static observedAttributes = attributes;
    // Declared, not initialised: a class field would hide a property set before the upgrade.
    declare getToken?: () => Promise<string>;
    declare marketplace?: Marketplace;
    #values: Record<string, unknown> = {};
    #scheduled = false;

    constructor() {
      super();
      for (const name of properties) {
        // Taken over from the element as it was before the upgrade (then our accessor serves it).
        const early = Object.hasOwn(this, name) ? this[name as keyof this] : undefined;
        delete this[name as keyof this];
        Object.defineProperty(this, name, {
          get: () => this.#values[name],
          set: (value) => {
            // A plain copy: frameworks hand in reactive proxies (Vue's ref, Svelte's $state),
            // which cannot be cloned onto the channel.
            this.#values[name] = name == "getToken" || value == null ? value : JSON.parse(JSON.stringify(value));
            this.#update(name);
          },
        });
        if (early !== undefined) (this as Record<string, unknown>)[name] = early;
      }
    }

    connectedCallback() {
      this.#reopen();
    }
    disconnectedCallback() {
      this.#close();
    }
    attributeChangedCallback(name: string, before: string | null, after: string | null) {
      if (before !== after) this.#update(name);
    }

    /** A live change where the SDK has one, else a new frame. */
    #update(name: string) {
      const marketplace = this.marketplace;
      const { theme, phrases, configVars } = this.#values as { theme?: Theme; phrases?: Record<string, string>; configVars?: ConfigVarOverrides };
      if (marketplace && (name == "theme" || name == "mode")) marketplace.setTheme(theme ?? {}, this.#mode()).catch(() => {});
      else if (marketplace && (name == "locale" || name == "phrases")) marketplace.setLocale(this.getAttribute("locale") ?? "en", phrases).catch(() => {});
      else if (marketplace && name == "configVars") configVars && marketplace.setConfigVars(configVars).catch(() => {});
      else if (name != "getToken" || !marketplace) this.#reopen();
    }

    #mode = () => (this.getAttribute("mode") as ThemeMode | null) ?? undefined;

    /** Opens the frame once (a burst of attribute and property changes opens one), if it can. */
    #reopen() {
      if (this.#scheduled) return;
      this.#scheduled = true;
      queueMicrotask(() => {
        this.#scheduled = false;
        this.#close();
        const frameUrl = this.getAttribute("frame-url");
        const organization = this.getAttribute("organization");
        if (!this.isConnected || !frameUrl || !organization || !this.getToken) return;
        const { theme, phrases, configVars, filters } = this.#values as {
          theme?: Theme;
          phrases?: Record<string, string>;
          configVars?: ConfigVarOverrides;
          filters?: MarketplaceFilters;
        };
        const mode = this.#mode();
        const locale = this.getAttribute("locale");
        const popover = this.hasAttribute("popover");
        try {
          const marketplace = createMarketplace({
            frameUrl,
            organization,
            getToken: () => this.getToken!(),
            autoHeight: this.hasAttribute("auto-height"),
            ...(theme && { theme }),
            ...(mode && { mode }),
            ...(locale && { locale }),
            ...(phrases && { phrases }),
            ...(filters && { filters }),
          });
          this.marketplace = marketplace;
          for (const name of hostEvents) {
            marketplace.on(name, (detail) => this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true })));
          }
          // Inline, the element is the frame's box: a block, unless the page says otherwise.
          if (!popover && !this.style.display) this.style.display = "block";
          const target = popover ? ({ popover: true } as const) : { selector: this };
          const integration = this.getAttribute("integration");
          const instanceId = this.getAttribute("instance-id");
          if (integration || instanceId) marketplace.configureInstance(integration ? { integration } : { instanceId: instanceId! }, target);
          else marketplace.showMarketplace(target);
          if (configVars) marketplace.setConfigVars(configVars).catch(() => {});
        } catch (error) {
          this.#close();
          // A bad attribute or property: the SDK's typed error, as an `error` event (nothing opened).
          const { code, message } = error as { code: string; message: string };
          this.dispatchEvent(new CustomEvent("error", { detail: { code, message }, bubbles: true, composed: true }));
        }
      });
    }

    #close() {
      this.marketplace?.dispose();
      this.marketplace = undefined;
    }
  };

/**
 * Defines `<emporium-marketplace>` (or the element under another name), once; later calls
 * return the class already defined. Call it before the element is used, or after: elements
 * already in the page upgrade, and keep properties set on them before.
 *
 * @example
 * import { defineMarketplaceElement } from "emporium/element";
 * defineMarketplaceElement();
 *
 * // <emporium-marketplace frame-url="https://platform.example/frame/" organization="acme" mode="auto"></emporium-marketplace>
 * const element = document.querySelector("emporium-marketplace");
 * element.getToken = () => fetch("/api/emporium-token", { method: "POST" }).then((r) => r.json()).then((j) => j.token);
 * element.addEventListener("instance-deployed", (event) => console.log(event.detail.instanceId));
 */
export const defineMarketplaceElement = (name = "emporium-marketplace"): CustomElementConstructor => {
  if (!customElements.get(name)) customElements.define(name, makeElement());
  return customElements.get(name)!;
};
