/**
 * The host ↔ frame protocol's types, written once and zod-free: the SDK shows them in its public
 * declarations, and a host needs no zod installed to read them. protocol.ts re-exports them, and
 * its schemas for what the frame receives from the host (`screen`, `marketplaceFilters`,
 * `configVarOverride(s)`) are declared to `satisfies` them.
 */
import type { ActivationState, ConfigValueInput } from "./api-types.ts";
import type { ChannelErrorCode } from "./errors.ts";
import type { lifecycleEventNames } from "./protocol-constants.ts";

/** A screen of the frame, with the id it shows. */
export type Screen =
  | { name: "marketplace" }
  | { name: "integration"; integrationId: string }
  | { name: "configure"; integrationId: string }
  | { name: "reconfigure"; instanceId: string }
  | { name: "instance"; instanceId: string }
  /** The customer's connections: health, the instances using each, and what an admin can do with them. */
  | { name: "connections" }
  /** A tab of the activity screen; `instanceId` narrows logs and alerts to one instance. */
  | { name: ActivityScreen; instanceId?: string };

/**
 * The tabs of the activity screen, each a screen of its own: `dashboard` (the overview),
 * `logs`, `alerts` (with the monitors), `usage`.
 */
export type ActivityScreen = "dashboard" | "logs" | "alerts" | "usage";

/** Names of the frame's screens. */
export type ScreenName = Screen["name"];

/**
 * What the customer does not see. `activity.hideTabs`: tabs of the activity screen (all of them:
 * the screen is off); `instance.hideSections`: parts of the instance page. Links to what is
 * hidden are hidden too. An unknown name is a `warning` (`INVALID_OPTION`) and is ignored.
 */
export interface ScreenOptions {
  activity?: { hideTabs?: ActivityScreen[] };
  /** `test`: the Test action of each flow; `replay`: the Replay action of each run. */
  instance?: { hideSections?: Array<"executions" | "alerts" | "test" | "replay"> };
}

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
  /** An instance the customer looks at can move to a newer version of its integration (`needsInput`: the customer must fill something in). Once per instance and version. */
  "instance-update-available": { integrationId: string; instanceId: string; version: number; needsInput: boolean };
  /** An instance now runs a newer version (its upgrade was deployed). */
  "instance-upgraded": { integrationId: string; instanceId: string; fromVersion: number; toVersion: number };
  /** An app no longer accepts one of the customer's connections (once per connection per frame): ids only. */
  "connection-needs-reconnect": { connectionId: string; app: string; instanceIds: string[] };
  warning: ChannelWarning;
  error: { code: string; message: string };
  /** Internal: content height in CSS pixels, for `autoHeight`. */
  resize: { height: number };
  /** Internal: the SDK's own chrome in the frame's words and language, after each language switch: the iframe's title, the popover's close button. */
  labels: { title: string; close: string };
}
export type EventName = keyof EventPayloads;
/** The events about a customer's instances (protocol-constants.ts lists them), a subset of `EventName`. */
export type LifecycleEventName = (typeof lifecycleEventNames)[number] & EventName;
export type FrameEvent = { [K in EventName]: { type: K; payload: EventPayloads[K] } }[EventName];

/** Which integrations the marketplace lists (the list query's filters, plus an id allow-list). */
export interface MarketplaceFilters {
  q?: string;
  category?: string;
  label?: string;
  state?: ActivationState;
  /** Only these integration ids are listed. */
  integrations?: string[];
}

/** A config variable the host pre-fills: its value, and whether the customer sees or edits it. */
export interface ConfigVarOverride {
  value?: ConfigValueInput;
  /** The customer does not see the field. */
  hidden?: boolean;
  /** The customer sees the field but cannot change it. */
  readOnly?: boolean;
}

/** Host pre-filled config variables, keyed by config variable key. */
export type ConfigVarOverrides = Record<string, ConfigVarOverride>;
