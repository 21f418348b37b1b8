/**
 * The channel protocol's plain constants, in a module without zod: the frame's first module
 * (marketplace-frame/src/host-channel.ts) reads them and opens the channel before any schema is
 * built. `protocol.ts` re-exports them.
 */

/** Bumped when the protocol changes incompatibly. */
export const PROTOCOL_VERSION = 1;

/** Names of the frame's methods, for the host's method-name allow-list. */
export const frameMethodNames = ["setTheme", "setLocale", "setConfigVars", "setFilters", "navigate"] as const;

/**
 * The lifecycle events a host hears about a customer's instances, from the embedded frame and
 * from the headless client alike (payloads: `EventPayloads`, channel-types.ts).
 */
export const lifecycleEventNames = [
  "instance-configuration-opened",
  "instance-configuration-page-loaded",
  "instance-configuration-closed",
  "instance-configuration-canceled",
  "instance-deployed",
  "instance-deleted",
  "instance-paused",
  "instance-resumed",
  "instance-upgraded",
  "execution-failed",
] as const;

/**
 * The id of the `<script type="application/json">` data block in which the platform writes the
 * organization's public embed config (`EmbedConfig`) into the frame document it serves, so the
 * frame can check its parent and open the channel without waiting for `GET /api/v1/embed/:org`.
 */
export const EMBED_CONFIG_ELEMENT_ID = "em-embed-config";
