/**
 * `useMarketplace`: the Emporium SDK as a React hook. Copy this file into your app.
 *
 * - The marketplace is created once per (frameUrl, organization) and shown in the element the
 *   returned ref points at; unmounting disposes it (no iframe, listener or timer is left), so
 *   StrictMode's mount → unmount → mount in development ends with exactly one live embed.
 * - `theme`, `mode`, `locale` and `phrases` changes go to the live embed with `setTheme` /
 *   `setLocale`: no reload, and an open wizard keeps what the user typed.
 * - `getToken` and `onEvent` are read through a ref, so passing new functions each render
 *   neither re-creates the embed nor drops events.
 */
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from "react";
import { createMarketplace, type EventName, type EventPayloads, type Marketplace, type Theme, type ThemeMode } from "emporium";

/** Every event the SDK forwards (the frame's internal `resize` is the SDK's business). */
export const marketplaceEvents = [
  "ready",
  "close",
  "instance-configuration-opened",
  "instance-configuration-page-loaded",
  "instance-configuration-closed",
  "instance-configuration-canceled",
  "instance-deployed",
  "instance-deleted",
  "instance-paused",
  "instance-resumed",
  "execution-failed",
  "warning",
  "error",
] as const satisfies readonly EventName[];
// Fails to type-check when the SDK gains an event this list does not forward.
const everyEventListed: Exclude<EventName, (typeof marketplaceEvents)[number] | "resize"> extends never ? true : false = true;
void everyEventListed;

export type MarketplaceEventName = (typeof marketplaceEvents)[number];
export type MarketplaceEventHandler = <K extends MarketplaceEventName>(name: K, payload: EventPayloads[K]) => void;

export interface UseMarketplaceOptions {
  frameUrl: string;
  organization: string;
  /** Asks your backend for a fresh JWT; the frame calls it again before the token expires. */
  getToken: () => Promise<string>;
  theme?: Theme;
  mode?: ThemeMode;
  locale?: string;
  phrases?: Record<string, string>;
  autoHeight?: boolean;
  /** Every SDK event, plus `error` when the embed fails to open (its `ready` rejects). */
  onEvent?: MarketplaceEventHandler;
}

export interface UseMarketplaceResult {
  /** Put it on the element the marketplace renders into. */
  containerRef: RefObject<HTMLDivElement | null>;
  /** The live marketplace (for `configureInstance`, popovers, …); null before mount and after unmount. */
  marketplace: Marketplace | null;
}

export function useMarketplace(options: UseMarketplaceOptions): UseMarketplaceResult {
  const { frameUrl, organization, theme, mode, locale, phrases, autoHeight = false } = options;
  const containerRef = useRef<HTMLDivElement | null>(null);
  const callbacks = useRef(options);
  useLayoutEffect(() => {
    callbacks.current = options;
  });
  const [marketplace, setMarketplace] = useState<Marketplace | null>(null);

  // Compared by value: a theme object literal in the caller's render is a new object every time.
  const themeKey = JSON.stringify([theme ?? {}, mode ?? "light"]);
  const localeKey = JSON.stringify([locale ?? "en", phrases ?? {}]);
  // What the current marketplace was last told, so the live-update effects skip no-op calls.
  const told = useRef({ themeKey, localeKey });

  useEffect(() => {
    const emit: MarketplaceEventHandler = (name, payload) => callbacks.current.onEvent?.(name, payload);
    const m = createMarketplace({
      frameUrl,
      organization,
      getToken: () => callbacks.current.getToken(),
      ...(theme && { theme }),
      ...(mode && { mode }),
      ...(locale && { locale }),
      ...(phrases && { phrases }),
      autoHeight,
    });
    for (const name of marketplaceEvents) m.on(name, (payload) => emit(name, payload as never));
    const embed = m.showMarketplace({ selector: containerRef.current! });
    embed.ready.catch((error: { code: string; message: string }) => {
      // DISPOSED is our own cleanup (unmount, StrictMode's rehearsal), not a failure.
      if (error.code !== "DISPOSED") emit("error", { code: error.code, message: error.message });
    });
    told.current = { themeKey, localeKey };
    setMarketplace(m);
    return () => {
      m.dispose();
      setMarketplace(null);
    };
    // Theme and locale are applied live below; only a new frame URL, organization or autoHeight needs a new embed.
  }, [frameUrl, organization, autoHeight]);

  useEffect(() => {
    if (!marketplace || told.current.themeKey === themeKey) return;
    told.current.themeKey = themeKey;
    marketplace.setTheme(theme ?? {}, mode ?? "light").catch((error) => callbacks.current.onEvent?.("error", { code: error.code, message: error.message }));
  }, [marketplace, themeKey]);

  useEffect(() => {
    if (!marketplace || told.current.localeKey === localeKey) return;
    told.current.localeKey = localeKey;
    marketplace.setLocale(locale ?? "en", phrases).catch((error) => callbacks.current.onEvent?.("error", { code: error.code, message: error.message }));
  }, [marketplace, localeKey]);

  return { containerRef, marketplace };
}
