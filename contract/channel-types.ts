/**
 * The zod-free half of the host ↔ frame protocol: the types the SDK shows in its public
 * declarations. The SDK ships a `.d.ts` that must not import zod (a host should not need zod
 * installed to get types), so these are plain TypeScript.
 *
 * - `ChannelWarning`, `EventPayloads`, `EventName`, `FrameEvent` are defined here only and
 *   re-exported by protocol.ts.
 * - `ScreenName`, `MarketplaceFilters`, `ConfigVarOverride(s)` and `ConfigValueInput` mirror
 *   types inferred from zod schemas; channel-types.check.ts asserts at type-check time that
 *   each mirror equals its inferred twin, so the two cannot drift.
 */
import type { ChannelErrorCode } from "./errors.ts";

/** Names of the frame's screens. */
export type ScreenName = "marketplace" | "integration" | "configure" | "reconfigure" | "instance";

/** A warning about an option the frame could not use (the default was kept). */
export interface ChannelWarning {
  code: ChannelErrorCode;
  message: string;
  /** The token, locale, phrase or config variable it is about. */
  subject?: string;
}

/** Events the frame emits to the host. Payloads carry ids and names only, never values. */
export interface EventPayloads {
  ready: { screen: ScreenName };
  close: Record<string, never>;
  "instance-configuration-opened": { integrationId: string; integrationName: string; instanceId?: string };
  "instance-configuration-page-loaded": {
    integrationId: string;
    instanceId: string;
    pageName: string;
    pageIndex: number;
    pageCount: number;
  };
  "instance-configuration-closed": { integrationId: string; instanceId?: string };
  "instance-configuration-canceled": { integrationId: string; instanceId?: string };
  "instance-deployed": { integrationId: string; integrationName: string; instanceId: string };
  "instance-deleted": { integrationId: string; instanceId: string };
  "instance-paused": { integrationId: string; instanceId: string };
  "instance-resumed": { integrationId: string; instanceId: string };
  "execution-failed": { integrationId: string; instanceId: string; executionId: string; flowId: string };
  warning: ChannelWarning;
  error: { code: string; message: string };
  /** Internal: content height in CSS pixels, for `autoHeight`. */
  resize: { height: number };
}
export type EventName = keyof EventPayloads;
export type FrameEvent = { [K in EventName]: { type: K; payload: EventPayloads[K] } }[EventName];

// ---- mirrors of zod-inferred types (checked in channel-types.check.ts) ----

/** Mirrors `ActivationState` (api.ts). */
export type ActivationState = "available" | "activated" | "paused" | "needs-configuration";

/** Mirrors `MarketplaceFilters` (protocol.ts): which integrations the marketplace lists. */
export interface MarketplaceFilters {
  q?: string;
  category?: string;
  label?: string;
  state?: ActivationState;
  /** Only these integration ids are listed. */
  integrations?: string[];
}

/** Mirrors `KeyValuePair` (config-vars.ts). */
export interface KeyValuePair {
  key: string;
  value: string;
}

/** Mirrors `ScheduleValue` (config-vars.ts). */
export type ScheduleValue =
  | { kind: "none" }
  | { kind: "interval"; every: number; unit: "minutes" | "hours"; timeZone?: string }
  | { kind: "daily"; time: string; timeZone: string }
  | { kind: "weekly"; day: number; time: string; timeZone: string }
  | { kind: "cron"; expression: string; timeZone: string };

/** Mirrors `ConnectionInput` (config-vars.ts). */
export type ConnectionInput =
  | { kind: "api-key"; apiKey?: string }
  | { kind: "basic"; username: string; password?: string }
  | { kind: "oauth2"; grantId: string };

/** Mirrors `ConfigValueInput` (config-vars.ts): a config value as the host may pre-fill it. */
export type ConfigValueInput =
  | string
  | number
  | boolean
  | string[]
  | KeyValuePair[]
  | ScheduleValue
  | ConnectionInput
  | null;

/** Mirrors `ConfigVarOverride` (protocol.ts): a host pre-filled config variable. */
export interface ConfigVarOverride {
  value?: ConfigValueInput;
  /** The customer does not see the field. */
  hidden?: boolean;
  /** The customer sees the field but cannot change it. */
  readOnly?: boolean;
}

/** Mirrors `ConfigVarOverrides` (protocol.ts), keyed by config variable key. */
export type ConfigVarOverrides = Record<string, ConfigVarOverride>;
