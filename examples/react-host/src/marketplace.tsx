/** @jsxImportSource react */
/**
 * `<Marketplace />`: the inline marketplace as a component, on top of `useMarketplace`.
 * Props that change (theme, mode, locale, phrases) restyle or translate the live embed.
 */
import { useMarketplace, type UseMarketplaceOptions } from "./use-marketplace.ts";

export function Marketplace({ className, ...options }: UseMarketplaceOptions & { className?: string }) {
  const { containerRef } = useMarketplace(options);
  return <div ref={containerRef} className={className} />;
}
