/**
 * Type-level proof that the zod-free mirrors in channel-types.ts equal the types inferred from
 * the zod schemas. Nothing runs here: `npm run typecheck` fails when a schema and its mirror
 * drift apart (each `Same<...>` must be `true`).
 */
import type * as Mirror from "./channel-types.ts";
import type { ActivationState } from "./api.ts";
import type { ConfigValueInput, ConnectionInput, KeyValuePair, ScheduleValue } from "./config-vars.ts";
import type { ConfigVarOverride, ConfigVarOverrides, MarketplaceFilters, Screen } from "./protocol.ts";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export type ChannelTypeMirrorsMatch = [
  Same<Mirror.ScreenName, Screen["name"]>,
  Same<Mirror.ActivationState, ActivationState>,
  Same<Mirror.MarketplaceFilters, MarketplaceFilters>,
  Same<Mirror.KeyValuePair, KeyValuePair>,
  Same<Mirror.ScheduleValue, ScheduleValue>,
  Same<Mirror.ConnectionInput, ConnectionInput>,
  Same<Mirror.ConfigValueInput, ConfigValueInput>,
  Same<Mirror.ConfigVarOverride, ConfigVarOverride>,
  Same<Mirror.ConfigVarOverrides, ConfigVarOverrides>,
] extends true[]
  ? true
  : never;
export const channelTypeMirrorsMatch: ChannelTypeMirrorsMatch = true;
