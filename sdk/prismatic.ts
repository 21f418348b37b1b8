/**
 * `emporium/prismatic`: a drop-in for host pages written against `@prismatic-io/embedded` 4.x.
 * Replace the import; the calls that make sense here keep working (docs/migrating-from-prismatic.md
 * has the table). Built on the SDK core (`./emporium.js`), one marketplace per shown screen.
 *
 * What differs, by design (see `../shared/reference/prismatic-embedded-api.md` §6):
 * - Events are `message` events on the host's own window whose `data.event` is the Prismatic
 *   name, posted with the host's own origin as target, never `*`, and carrying ids and names
 *   only (no config values, no connection inputs).
 * - `authenticate({ token })` checks the token's shape and expiry before anything uses it, and
 *   the token reaches a frame only over the SDK's origin-pinned channel, when the frame asks;
 *   calling it again gives every live frame the new token at its next refresh.
 * - `prismaticUrl` is the Emporium platform (its frame is `<prismaticUrl>/frame/`), and the
 *   organization is the token's `organization` claim.
 * - A call with no Emporium counterpart throws `NotSupportedError` naming it. Each screen
 *   function is a `screen(...)` of its frame screen name (`showConnections`, `showDashboard`,
 *   `showLogs`).
 * - Emporium's `connection-needs-reconnect` has no Prismatic event, so none is posted for it.
 */
import { createMarketplace } from "./index.ts";
import type { ConfigVarOverrides, Embed, EventName, EventPayloads, Marketplace, MarketplaceFilters, MarketplaceOptions, ThemeMode } from "./types.ts";

/**
 * Thrown by a call the drop-in cannot map (`graphqlRequest`, the workflow designer, …); `call`
 * names it.
 *
 * @example
 * try { prismatic.showLogs({ usePopover: true }); } catch (error) { if (error instanceof NotSupportedError) hideLogsButton(); }
 */
export class NotSupportedError extends Error {
  /** Always `"NOT_SUPPORTED"`. */
  readonly code = "NOT_SUPPORTED";
  /** The Prismatic function that was called. */
  // Declared, not a parameter property: a class field would cost the drop-in its bytes.
  declare readonly call: string;
  constructor(call: string) {
    super(call + " is not supported by Emporium");
    (this as { call: string }).call = call;
    this.name = "NotSupportedError";
  }
}

type Split<S extends string> = S extends `${infer Head} ${infer Tail}` ? Head | Split<Tail> : S;
/** An enum-like object whose keys are its values, from space-separated names (fewer bytes than a literal). */
const names = <S extends string>(list: S): { readonly [K in Split<S>]: K } => Object.fromEntries(list.split(" ").map((name) => [name, name])) as never;

/**
 * Prismatic's event names (`data.event` of the `message` events the drop-in posts).
 *
 * @example
 * window.addEventListener("message", (e) => e.data?.event === PrismaticMessageEvent.INSTANCE_DEPLOYED && refresh(e.data.data.instanceId));
 */
export const PrismaticMessageEvent = names(
  "INSTANCE_CONFIGURATION_OPENED INSTANCE_CONFIGURATION_LOADED INSTANCE_CONFIGURATION_PAGE_LOADED INSTANCE_CONFIGURATION_CLOSED INSTANCE_CONFIGURATION_CANCELED INSTANCE_DEPLOYED INSTANCE_DELETED POPOVER_CLOSED",
);

/**
 * Prismatic's filterQuery operators (accepted for compatibility; filterQuery itself does not map).
 *
 * @example
 * const query = [BooleanOperator.and, [TermOperator.equal, "category", "ERP"]];
 */
export const TermOperator = names("equal notEqual in notIn startsWith doesNotStartWith endsWith doesNotEndWith");
/**
 * Prismatic's boolean filterQuery operators (accepted for compatibility).
 *
 * @example
 * const query = [BooleanOperator.or, [TermOperator.equal, "name", "Slack"], [TermOperator.equal, "name", "Jira"]];
 */
export const BooleanOperator = names("and or");

/**
 * Our event of each Prismatic event name: the name in lower kebab case (`INSTANCE_DEPLOYED` →
 * `instance-deployed`), but `POPOVER_CLOSED` (`close`) and `INSTANCE_CONFIGURATION_LOADED`, which
 * is posted with `INSTANCE_CONFIGURATION_OPENED` (the wizard is ready as it opens). Events of ours
 * with no Prismatic counterpart are not posted.
 */
type PrismaticEventName = keyof typeof PrismaticMessageEvent;
type Kebab<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Lowercase<Head>}-${Kebab<Tail>}` : Lowercase<S>;
// Fails to type-check when a Prismatic event name (but those two) has no event of ours.
const everyEventKnown: Kebab<Exclude<PrismaticEventName, "POPOVER_CLOSED" | "INSTANCE_CONFIGURATION_LOADED">> extends EventName ? true : false = true;
void everyEventKnown;

/** The frame's screens a Prismatic screen function opens. */
type FrameScreen = "marketplace" | "connections" | "dashboard" | "logs";

/**
 * The options Prismatic hosts pass to `init` and to each screen (what maps is applied, the
 * rest is accepted and ignored: see docs/migrating-from-prismatic.md).
 *
 * @example
 * const options: PrismaticOptions = { prismaticUrl: "https://platform.example", theme: "DARK", filters: { marketplace: { category: "CRM" } } };
 */
export interface PrismaticOptions {
  /** The Emporium platform's URL; its frame is `<prismaticUrl>/frame/`. */
  prismaticUrl?: string;
  /** `"LIGHT"` or `"DARK"` (Emporium also takes `"AUTO"`). */
  theme?: "LIGHT" | "DARK" | "AUTO";
  /** `marketplace.category`, `.label` and `includeActiveIntegrations: false` map; `filterQuery` does not. */
  filters?: { marketplace?: { category?: string; label?: string; includeActiveIntegrations?: boolean; [other: string]: unknown }; [other: string]: unknown };
  /** Accepted; no Prismatic screen setting changes Emporium's screens. */
  screenConfiguration?: Record<string, unknown>;
  /** `phrases` are passed on (values as strings or `{ _: string }`); keys are Emporium phrase keys. */
  translation?: { debugMode?: boolean; phrases?: Record<string, string | { _: string }> };
  [other: string]: unknown;
}

/**
 * Where a screen opens: Prismatic's `{ usePopover: true }` or `{ selector }`, plus the screen options.
 *
 * @example
 * prismatic.showMarketplace({ selector: "#marketplace", theme: "DARK" });
 */
export type ScreenOptions = PrismaticOptions & ({ usePopover: true; selector?: never } | { selector: string; usePopover?: false });

/**
 * `configureInstance`'s argument: one of `integrationName` (matched as the lower-case,
 * dash-separated id: "Google Sheets" → `google-sheets`), `integrationId` or `instanceId`.
 *
 * @example
 * prismatic.configureInstance({ integrationName: "Slack", skipRedirectOnRemove: false, usePopover: true });
 */
export type ConfigureInstanceProps = ScreenOptions & { skipRedirectOnRemove?: boolean; integrationName?: string; integrationId?: string; instanceId?: string };

let options: PrismaticOptions = {};
let token: string | undefined;
let organization: string | undefined;
/** Every shown screen: its marketplace, embed and where it is. */
let shown: { marketplace: Marketplace; embed: Embed; container?: Element }[] = [];
/** Recently posted events (JSON) and the frame that sent each, for `getMessageIframe`. */
let posted: [string, HTMLIFrameElement][] = [];

const claims = (jwt: string) => {
  try {
    return JSON.parse(atob(jwt.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as { organization?: string; exp?: number };
  } catch {}
};

/** Prismatic's options → the SDK's. */
const sdkOptions = (merged: PrismaticOptions): MarketplaceOptions => {
  if (!token || !organization || !merged.prismaticUrl) throw new Error("Expected init({ prismaticUrl }) and authenticate first");
  const { category, label, includeActiveIntegrations } = merged.filters?.marketplace ?? {};
  const filters: MarketplaceFilters = { ...(category && { category }), ...(label && { label }), ...(includeActiveIntegrations === false && { state: "available" as const }) };
  const phrases = Object.fromEntries(Object.entries(merged.translation?.phrases ?? {}).map(([k, v]) => [k, typeof v == "string" ? v : v._]));
  return {
    frameUrl: new URL("frame/", merged.prismaticUrl.replace(/\/?$/, "/")).href,
    organization,
    getToken: async () => token!,
    mode: (merged.theme ?? "LIGHT").toLowerCase() as ThemeMode,
    ...(Object.keys(filters).length && { filters }),
    ...(Object.keys(phrases).length && { phrases }),
  };
};

/** Shows one screen, as Prismatic does: a selector's content is replaced, else a popover. */
const show = (screen: { integration: string } | { instanceId: string } | FrameScreen, where: ScreenOptions): Embed | undefined => {
  const { selector, usePopover, ...rest } = where;
  const container = selector ? document.querySelector(selector) : undefined;
  if (selector && !container) return void console.error("Could not find display selector.");
  const marketplace = createMarketplace(sdkOptions({ ...options, ...rest }));
  for (const theirs of Object.keys(PrismaticMessageEvent) as PrismaticEventName[]) {
    if (theirs == "INSTANCE_CONFIGURATION_LOADED") continue;
    const ours = (theirs == "POPOVER_CLOSED" ? "close" : theirs.toLowerCase().replace(/_/g, "-")) as EventName;
    marketplace.on(ours, (payload, embed) => {
      const { integrationId, integrationName, instanceId } = payload as Partial<EventPayloads["instance-deployed"]>;
      // The wizard is ready as it opens: Prismatic hosts pre-fill on LOADED (with no values here).
      for (const event of ours == "instance-configuration-opened" ? [theirs, "INSTANCE_CONFIGURATION_LOADED"] : [theirs]) {
        // Ids and names only, to this page's own origin (never "*").
        const data = { event, data: { integrationId, integrationName, instanceId } };
        posted = [...posted.slice(-20), [JSON.stringify(data), embed.frame]];
        window.postMessage(data, location.origin);
      }
      if (ours == "close") drop(embed);
    });
  }
  for (const old of shown) if (container && old.container == container) drop(old.embed);
  container?.replaceChildren();
  const target = container ? { selector: container as HTMLElement } : ({ popover: true } as const);
  const embed = typeof screen == "object" ? marketplace.configureInstance(screen, target) : marketplace.showMarketplace({ ...target, screen });
  shown.push({ marketplace, embed, ...(container && { container }) });
  return embed;
};

const drop = (embed: Embed) => {
  shown = shown.filter((entry) => (entry.embed == embed ? (entry.marketplace.dispose(), 0) : 1));
};

const notSupported =
  (call: string) =>
  (..._: unknown[]): never => {
    throw new NotSupportedError(call);
  };

const screen = (name: FrameScreen) => (where: ScreenOptions = { usePopover: true }) => void show(name, where);

/**
 * Sets the options every screen starts from, and forgets the token and every screen (as
 * Prismatic's `init` does).
 *
 * @example
 * prismatic.init({ prismaticUrl: "https://platform.example", theme: "LIGHT" });
 */
export const init = (props: PrismaticOptions = {}): void => {
  dispose();
  options = props;
};

/**
 * Takes the signed-in user's JWT (call it again before it expires: live frames get the new one
 * at their next refresh). Rejects when it is not a JWT, has expired, or names no organization.
 *
 * @example
 * await prismatic.authenticate({ token: await fetchTokenFromYourBackend() });
 */
export const authenticate = async ({ token: jwt, prismaticUrl }: { token: string; prismaticUrl?: string }): Promise<void> => {
  const payload = typeof jwt == "string" ? claims(jwt) : undefined;
  if (!payload?.organization || (payload.exp ?? 0) * 1000 < Date.now()) throw new Error("Authentication failed: expected an unexpired JWT naming an organization");
  token = jwt;
  organization = payload.organization;
  if (prismaticUrl) options = { ...options, prismaticUrl };
};

/**
 * Opens the marketplace inline (`{ selector }`) or in a popover (`{ usePopover: true }`, the default).
 *
 * @example
 * prismatic.showMarketplace({ selector: "#marketplace" });
 */
export const showMarketplace: (options?: ScreenOptions) => void = screen("marketplace");
/**
 * The customer's connections: each with its health and the integrations using it; test,
 * reconnect, rename, delete, add. Inline (`{ selector }`) or in a popover (the default).
 *
 * @example
 * prismatic.showConnections({ usePopover: true });
 */
export const showConnections: (options?: ScreenOptions) => void = screen("connections");
/**
 * The customer dashboard (Emporium's activity screen, its overview tab): instances with their
 * health, recent failures, usage. Inline (`{ selector }`) or in a popover (the default).
 *
 * @example
 * prismatic.showDashboard({ usePopover: true });
 */
export const showDashboard: (options?: ScreenOptions) => void = screen("dashboard");
/**
 * Logs (the activity screen's logs tab): runs of every instance, filters, search, live tail.
 *
 * @example
 * prismatic.showLogs({ selector: "#logs" });
 */
export const showLogs: (options?: ScreenOptions) => void = screen("logs");

/**
 * Opens the config wizard of an integration (by `integrationName` or `integrationId`), or the
 * reconfiguration of an instance (`instanceId`, which wins), inline or in a popover.
 *
 * @example
 * prismatic.configureInstance({ integrationName: "Slack", skipRedirectOnRemove: false, usePopover: true });
 */
export const configureInstance = ({ integrationName, integrationId, instanceId, skipRedirectOnRemove, ...where }: ConfigureInstanceProps): void => {
  const integration = integrationId ?? integrationName?.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  if (instanceId || integration) show(instanceId ? { instanceId } : { integration: integration! }, where as ScreenOptions);
};

/**
 * Reconfigures an instance inline; `onSuccess`, `onCancel` and `onDelete` run for that frame
 * only. Returns a function that stops the callbacks.
 *
 * @example
 * const stop = prismatic.editInstanceConfiguration({ instanceId, selector: "#edit", onSuccess: () => refresh() });
 */
export const editInstanceConfiguration = ({
  instanceId,
  selector,
  onSuccess,
  onCancel,
  onDelete,
  ...rest
}: PrismaticOptions & { instanceId: string; selector: string; onSuccess?: () => void; onCancel?: () => void; onDelete?: () => void }): (() => void) | undefined => {
  const embed = show({ instanceId }, { ...rest, selector });
  const entry = shown.find((s) => s.embed == embed);
  if (!entry) return;
  const offs = (
    [
      ["instance-deployed", onSuccess],
      ["instance-configuration-canceled", onCancel],
      ["instance-deleted", onDelete],
    ] as const
  ).map(([name, callback]) => entry.marketplace.on(name, () => callback?.()));
  return () => offs.forEach((off) => off());
};

/**
 * Pre-fills config variables of the wizard in `iframe`, in the frame under `selector`, or in the
 * popover. Values map as `{ value }` (strings, lists, key/value lists); connection `inputs` and
 * schedules are not passed on.
 *
 * @example
 * prismatic.setConfigVars({ iframe: prismatic.getMessageIframe(event), configVars: { channel: { value: "#ops" } } });
 */
export const setConfigVars = ({ configVars, iframe, selector }: { configVars: Record<string, { value?: unknown }>; iframe?: Element; selector?: string }): void => {
  const frame = iframe ?? (selector ? document.querySelector(selector + " iframe") : undefined);
  const entry = shown.find(({ embed, container }) => (frame ? embed.frame == frame : !container));
  const vars: ConfigVarOverrides = {};
  for (const [key, { value }] of Object.entries(configVars)) if (typeof value == "string" || Array.isArray(value)) vars[key] = { value: value as string[] };
  entry?.marketplace.setConfigVars(vars).catch(() => {});
};

/**
 * The frame that sent a drop-in `message` event.
 *
 * @example
 * window.addEventListener("message", (e) => e.data?.event === "INSTANCE_CONFIGURATION_LOADED" && prismatic.setConfigVars({ iframe: prismatic.getMessageIframe(e), configVars }));
 */
export const getMessageIframe = (event: MessageEvent): HTMLIFrameElement | undefined => {
  const data = JSON.stringify(event.data);
  return posted.findLast(([sent, frame]) => sent == data && frame.isConnected)?.[1];
};

/**
 * Closes the popover, if one is open.
 *
 * @example
 * prismatic.closePopover();
 */
export const closePopover = (): void => shown.filter((s) => !s.container).forEach((s) => drop(s.embed));

/**
 * Closes every screen and forgets the token and options, as Prismatic's `dispose`.
 *
 * @example
 * prismatic.dispose();
 */
export const dispose = (): void => {
  shown.forEach((s) => s.marketplace.dispose());
  shown = [];
  posted = [];
  token = organization = undefined;
  options = {};
};

/**
 * Not supported: Emporium has no GraphQL API (throws `NotSupportedError`).
 *
 * @example
 * prismatic.graphqlRequest({ query }); // throws NotSupportedError
 */
export const graphqlRequest: (request: { query: string; variables?: unknown }) => never = notSupported("graphqlRequest");
/**
 * Not supported: no embedded workflow designer (throws `NotSupportedError`).
 *
 * @example
 * prismatic.showWorkflow({ workflowId, usePopover: true }); // throws NotSupportedError
 */
export const showWorkflow: (options: unknown) => never = notSupported("showWorkflow");
/**
 * Not supported (throws `NotSupportedError`).
 *
 * @example
 * prismatic.showWorkflows({ usePopover: true }); // throws NotSupportedError
 */
export const showWorkflows: (options?: unknown) => never = notSupported("showWorkflows");
/**
 * Not supported: no embedded designer (throws `NotSupportedError`).
 *
 * @example
 * prismatic.showDesigner({ integrationId, usePopover: true }); // throws NotSupportedError
 */
export const showDesigner: (options: unknown) => never = notSupported("showDesigner");
/**
 * Not supported (throws `NotSupportedError`).
 *
 * @example
 * prismatic.showIntegrations({ usePopover: true }); // throws NotSupportedError
 */
export const showIntegrations: (options?: unknown) => never = notSupported("showIntegrations");
/**
 * Not supported (throws `NotSupportedError`).
 *
 * @example
 * prismatic.showComponents({ usePopover: true }); // throws NotSupportedError
 */
export const showComponents: (options?: unknown) => never = notSupported("showComponents");
/**
 * Not supported (throws `NotSupportedError`).
 *
 * @example
 * prismatic.showComponent({ componentId, usePopover: true }); // throws NotSupportedError
 */
export const showComponent: (options: unknown) => never = notSupported("showComponent");
/**
 * Not supported (throws `NotSupportedError`).
 *
 * @example
 * prismatic.createWorkflow("key", { name, contextData }); // throws NotSupportedError
 */
export const createWorkflow: (...args: unknown[]) => never = notSupported("createWorkflow");
/**
 * Not supported (throws `NotSupportedError`).
 *
 * @example
 * prismatic.queryWorkflows(); // throws NotSupportedError
 */
export const queryWorkflows: (...args: unknown[]) => never = notSupported("queryWorkflows");
/**
 * Not supported: no user-level configuration (throws `NotSupportedError`).
 *
 * @example
 * prismatic.editUserLevelConfiguration({ instanceId, selector }); // throws NotSupportedError
 */
export const editUserLevelConfiguration: (options: unknown) => never = notSupported("editUserLevelConfiguration");

/**
 * Everything above as one object, like `@prismatic-io/embedded`'s default export.
 *
 * @example
 * import prismatic from "emporium/prismatic";
 * prismatic.init({ prismaticUrl: "https://platform.example" });
 */
const prismatic = {
  init,
  authenticate,
  showMarketplace,
  showConnections,
  showDashboard,
  showLogs,
  configureInstance,
  editInstanceConfiguration,
  setConfigVars,
  getMessageIframe,
  closePopover,
  dispose,
  graphqlRequest,
  showWorkflow,
  showWorkflows,
  showDesigner,
  showIntegrations,
  showComponents,
  showComponent,
  createWorkflow,
  queryWorkflows,
  editUserLevelConfiguration,
  PrismaticMessageEvent,
  TermOperator,
  BooleanOperator,
};
export default prismatic;
