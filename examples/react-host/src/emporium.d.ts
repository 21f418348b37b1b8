// "emporium" is this repository's own package. Vite resolves it to the BUILT dist/sdk/emporium.js
// (see vite.config.ts), exactly what npm consumers get; for the type checker it is the SDK's
// source entry, so the example type-checks on a fresh checkout, before anything is built.
declare module "emporium" {
  type Sdk = typeof import("../../../sdk/index.ts");
  export const createMarketplace: Sdk["createMarketplace"];
  export const EmporiumError: Sdk["EmporiumError"];
  export type EmporiumError = import("../../../sdk/index.ts").EmporiumError;
  export type {
    ConfigVarOverrides,
    ConfigureTarget,
    Embed,
    EmbedTarget,
    ErrorCode,
    EventHandler,
    EventName,
    EventPayloads,
    Marketplace,
    MarketplaceFilters,
    MarketplaceOptions,
    Theme,
    ThemeMode,
  } from "../../../sdk/index.ts";
}
