/**
 * `emporium/react`: the `<Marketplace>` component and the `useMarketplace` hook. React is a peer
 * dependency (18 and 19); the SDK core is imported, not copied (`./emporium.js` in the build).
 *
 * - StrictMode-safe: the marketplace is created in an effect and disposed in its cleanup, so
 *   StrictMode's mount → unmount → mount ends with one marketplace and one frame, and nothing
 *   (iframe, listener, timer) is left after unmount.
 * - Live: `theme`/`mode` go to `setTheme`, `locale`/`phrases` to `setLocale`, `configVars` to
 *   `setConfigVars`, compared by value (a literal in the caller's render is a new object each
 *   time). No reload, and an open wizard keeps what was typed. Props that decide which frame
 *   is shown (`frameUrl`, `organization`, `filters`, `timeout`, `autoHeight`, `popover`,
 *   `integration`, `instanceId`) open a new one.
 * - `getToken` and the `on…` props are read at call time, so new functions each render neither
 *   re-create the embed nor drop an event.
 * - SSR: nothing runs on the server (effects only); `<Marketplace>` renders an empty `<div>` on
 *   the server and on the client alike, and the iframe is added into it after hydration, out of
 *   React's sight, so hydration finds the markup it rendered.
 */
import { createElement, useEffect, useRef, useState, type ReactElement } from "react";
import { eventProp, hostEvents, type EventPropSuffix, type HostEventName } from "./host-events.ts";
import { createMarketplace } from "./index.ts";
import type { ConfigVarOverrides, Embed, EventPayloads, Marketplace as MarketplaceApi, MarketplaceOptions } from "./types.ts";

/**
 * `on…` props, one per event: `onReady`, `onClose`, `onInstanceDeployed`, `onWarning`, … Each
 * gets the event's payload and the embed that sent it.
 *
 * @example
 * const props: MarketplaceEventProps = { onInstanceDeployed: ({ integrationName }) => toast(`${integrationName} is on`) };
 */
export type MarketplaceEventProps = {
  [K in HostEventName as `on${EventPropSuffix<K>}`]?: (payload: EventPayloads[K], embed: Embed) => void;
};

/**
 * Options of `useMarketplace`: every `createMarketplace` option, `configVars` to pre-fill (live),
 * and the `on…` event props.
 *
 * @example
 * const options: UseMarketplaceOptions = { frameUrl, organization: "acme", getToken, mode: "auto", onError: console.error };
 */
export interface UseMarketplaceOptions extends MarketplaceOptions, MarketplaceEventProps {
  /** Config variables to pre-fill in the wizard; changes go to the live embed. */
  configVars?: ConfigVarOverrides;
}

/**
 * Props of `<Marketplace>`: the hook's options, where it opens, and the placeholder's `id` and
 * `className` (no `style`: a strict CSP refuses style attributes in server-rendered markup).
 *
 * @example
 * <Marketplace frameUrl={frameUrl} organization="acme" getToken={getToken} integration="slack" onClose={() => setOpen(false)} popover />
 */
export interface MarketplaceProps extends UseMarketplaceOptions {
  /** Open in a modal popover while mounted (render it when the user asks; unmount on `onClose`). Default: inline in a `<div>`. */
  popover?: boolean;
  /** Open the config wizard of this integration (a deep link) instead of the marketplace list. */
  integration?: string;
  /** Open the reconfiguration of this instance instead of the marketplace list. */
  instanceId?: string;
  id?: string;
  className?: string;
}

// Compared by value: the caller's literals are new objects on every render.
const key = (value: unknown) => JSON.stringify(value ?? null);

/**
 * Creates a marketplace while the component is mounted and disposes it on unmount; returns it,
 * or `null` before the first effect (and on the server). Use it to open popovers from your own
 * buttons; `<Marketplace>` is built on it.
 *
 * @example
 * function IntegrationsButton() {
 *   const marketplace = useMarketplace({ frameUrl, organization: "acme", getToken, onInstanceDeployed: refresh });
 *   return <button onClick={() => marketplace?.showMarketplace({ popover: true })}>Integrations</button>;
 * }
 */
export function useMarketplace(options: UseMarketplaceOptions): MarketplaceApi | null {
  const latest = useRef(options);
  latest.current = options;
  const [marketplace, setMarketplace] = useState<MarketplaceApi | null>(null);
  const { frameUrl, organization, filters, timeout, autoHeight, theme, mode, locale, phrases, configVars } = options;
  const looks = key([theme, mode]);
  const words = key([locale, phrases]);
  const vars = key(configVars);
  // What the current marketplace was created with or last told, so no update repeats it.
  const told = useRef<string[]>([]);

  useEffect(() => {
    const created = createMarketplace({
      frameUrl,
      organization,
      getToken: () => latest.current.getToken(),
      ...(filters && { filters }),
      ...(timeout && { timeout }),
      ...(autoHeight && { autoHeight }),
      ...(theme && { theme }),
      ...(mode && { mode }),
      ...(locale && { locale }),
      ...(phrases && { phrases }),
    });
    for (const name of hostEvents) {
      const prop = eventProp(name) as keyof MarketplaceEventProps;
      created.on(name, (payload, embed) => (latest.current[prop] as ((p: unknown, e: Embed) => void) | undefined)?.(payload, embed));
    }
    told.current = [looks, words, vars];
    setMarketplace(created);
    return () => {
      created.dispose();
      setMarketplace(null);
    };
  }, [frameUrl, organization, key(filters), timeout, autoHeight]);

  // A frame that refuses an update says why in an `error`/`warning` event as well.
  useEffect(() => {
    if (marketplace && told.current[0] != looks) {
      told.current[0] = looks;
      marketplace.setTheme(latest.current.theme ?? {}, latest.current.mode).catch(() => {});
    }
  }, [marketplace, looks]);
  useEffect(() => {
    if (marketplace && told.current[1] != words) {
      told.current[1] = words;
      marketplace.setLocale(latest.current.locale ?? "en", latest.current.phrases).catch(() => {});
    }
  }, [marketplace, words]);
  useEffect(() => {
    if (marketplace && told.current[2] != vars && latest.current.configVars) {
      told.current[2] = vars;
      marketplace.setConfigVars(latest.current.configVars).catch(() => {});
    }
  }, [marketplace, vars]);

  return marketplace;
}

/**
 * The marketplace as a component: inline in a `<div>` (give it a height, or pass `autoHeight`)
 * or, with `popover`, in a modal popover while mounted. `integration` or `instanceId` opens the
 * wizard instead of the list. Every `createMarketplace` option is a prop; `on…` props get events.
 *
 * @example
 * import { Marketplace } from "emporium/react";
 *
 * <Marketplace
 *   frameUrl="https://platform.example/frame/"
 *   organization="acme"
 *   getToken={getToken}
 *   theme={{ colorPrimary: "#0f766e" }}
 *   mode={dark ? "dark" : "light"}
 *   onInstanceDeployed={({ integrationName }) => console.log("activated", integrationName)}
 *   autoHeight
 * />
 */
export function Marketplace(props: MarketplaceProps): ReactElement | null {
  const { popover, integration, instanceId, id, className } = props;
  const container = useRef<HTMLDivElement>(null);
  const latest = useRef(props);
  latest.current = props;
  const marketplace = useMarketplace(props);

  useEffect(() => {
    if (!marketplace) return;
    const target = popover ? ({ popover: true } as const) : { selector: container.current! };
    const embed = integration || instanceId ? marketplace.configureInstance(integration ? { integration } : { instanceId: instanceId! }, target) : marketplace.showMarketplace(target);
    // Kept on the embed until its frame connects (init), then applied to any wizard it opens.
    const { configVars } = latest.current;
    if (configVars) marketplace.setConfigVars(configVars).catch(() => {});
    return () => embed.close();
  }, [marketplace, popover, integration, instanceId]);

  return popover ? null : createElement("div", { ref: container, id, className });
}
