/**
 * Emporium host SDK: the only module a host page imports. Importing it has no side effects.
 *
 * @example
 * import { createMarketplace } from "emporium";
 * const marketplace = createMarketplace({ frameUrl, organization, getToken });
 * marketplace.showMarketplace({ popover: true });
 */
export { createMarketplace } from "./marketplace.ts";
export { EmporiumError } from "./errors.ts";
export type {
  ActivityScreen,
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
  ScreenOptions,
  Theme,
  ThemeMode,
} from "./types.ts";
