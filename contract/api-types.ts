/**
 * The platform REST API's shapes as TypeScript types, written once. The zod schemas that check
 * them at run time (api-marketplace.ts, api.ts, config-values.ts, config-vars.ts,
 * flow-trigger.ts) are declared to `satisfies` these types, so a schema cannot produce a value
 * its type does not describe; every module re-exports the types next to its schemas.
 *
 * Zod-free on purpose: the headless client's and the SDK's published `.d.ts` show these, and a
 * host needs no zod installed to read them.
 */
import type { Condition, Rules } from "./conditions.ts";

export type { Condition, Rules, RuleValue, FieldState, FormState } from "./conditions.ts";

/**
 * A marketplace card's state for this customer: `available`, `activated`, `paused` or `needs-configuration`.
 *
 * @example
 * const label = { available: "Activate", activated: "Manage", paused: "Paused", "needs-configuration": "Finish setup" }[card.activation.state];
 */
export type ActivationState = "available" | "activated" | "paused" | "needs-configuration";

/**
 * One pair of a `key-value-list` field.
 *
 * @example
 * const mapping: KeyValuePair[] = [{ key: "email", value: "Email" }];
 */
export interface KeyValuePair {
  key: string;
  value: string;
}

/**
 * The value of a `schedule` field.
 *
 * @example
 * const daily: ScheduleValue = { kind: "daily", time: "09:00", timeZone: "Europe/Berlin" };
 */
export type ScheduleValue =
  | { kind: "none" }
  | { kind: "interval"; every: number; unit: "minutes" | "hours"; timeZone?: string }
  | { kind: "daily"; time: string; timeZone: string }
  | { kind: "weekly"; day: number; time: string; timeZone: string }
  | { kind: "cron"; expression: string; timeZone: string };

/**
 * The value of a `connection` field as sent. Leave the secret out to keep the stored one; an
 * OAuth connection only references a finished grant (the platform holds its tokens).
 *
 * @example
 * const key: ConnectionInput = { kind: "api-key", apiKey: input.value };
 */
export type ConnectionInput =
  | { kind: "api-key"; apiKey?: string }
  | { kind: "basic"; username: string; password?: string }
  | { kind: "oauth2"; grantId: string }
  /** Use one of the customer's connections (`GET /connections`) for this app and kind; several instances may share one. */
  | { connectionId: string };

/**
 * A config value as sent by a wizard or pre-filled by the host (`null` clears it).
 *
 * @example
 * const value: ConfigValueInput = field.type == "number" ? Number(input.value) : input.value;
 */
export type ConfigValueInput = string | number | boolean | string[] | KeyValuePair[] | ScheduleValue | ConnectionInput | null;

/**
 * A user's role: `admin` can deploy, pause and delete; `viewer` can only look.
 *
 * @example
 * if (session.user.role == "viewer") hideActions();
 */
export type Role = "admin" | "viewer";

/**
 * Who the token says the user is: organization, customer, user and role.
 *
 * @example
 * const { customer, user } = await client.session();
 */
export interface Session {
  organization: { id: string; name: string };
  customer: { id: string; externalId: string; name: string };
  user: { id: string; externalId: string; name: string; role: Role };
  /** When the presented token expires (ISO time). */
  expiresAt: string;
}

/**
 * What starts a flow: a webhook, a schedule (fixed, or picked in a `schedule` field), the deploy, or the removal.
 *
 * @example
 * const webhooks = integration.flows.filter((f) => f.trigger.kind == "webhook");
 */
export type FlowTrigger =
  | { kind: "webhook" }
  | { kind: "schedule"; configKey?: string; schedule?: ScheduleValue }
  | { kind: "deploy" }
  | { kind: "removal" };

/**
 * One marketplace card, with this customer's activation.
 *
 * @example
 * const activated = list.integrations.filter((i) => i.activation.state == "activated");
 */
export interface IntegrationSummary {
  id: string;
  name: string;
  summary: string;
  category: string;
  labels: string[];
  /** An https or `data:image` URL. */
  icon: string;
  vendor: string;
  /** The version a new instance gets (the latest published). */
  version: number;
  /** A customer may run several instances (list them with `listInstances({ integration })`); otherwise one. */
  allowMultipleInstances: boolean;
  activation: {
    /** The most advanced of the customer's instances. */
    state: ActivationState;
    /** The customer's one instance, for an integration that allows one (never set when it allows several). */
    instanceId?: string;
    /** Instances deployed (running or paused). */
    instanceCount: number;
    /** Of those, running now. */
    activeCount: number;
    /** Some deployed instance runs an older version than `version`. */
    updateAvailable: boolean;
  };
}

/**
 * The catalog's filters: every one is optional; they combine with AND.
 *
 * @example
 * await client.listIntegrations({ q: "slack", state: "available" });
 */
export interface IntegrationListQuery {
  /** Free-text search over name, summary, vendor and labels (at most 200 characters). */
  q?: string;
  category?: string;
  label?: string;
  state?: ActivationState;
}

/**
 * The catalog: cards, and every category and label (for filter chips).
 *
 * @example
 * const { integrations, categories } = await client.listIntegrations();
 */
export interface IntegrationList {
  integrations: IntegrationSummary[];
  /** Every category of the catalog (for filter chips), not only those in this result. */
  categories: string[];
  labels: string[];
}

/**
 * One flow of an integration: what it is and what starts it.
 *
 * @example
 * for (const flow of integration.flows) console.log(flow.name, flow.trigger.kind);
 */
export interface FlowSummary {
  id: string;
  name: string;
  description?: string;
  trigger: FlowTrigger;
  /** A payload the flow accepts (webhook flows declare one): what a test run suggests. */
  example?: unknown;
}

interface FieldBase extends Rules {
  /** The config variable key: the key of its value in `values`. */
  key: string;
  label: string;
  description?: string;
  required?: boolean;
}

/**
 * Where a picklist's options come from when they live in the customer's own account: the
 * platform asks the app with the connection of field `connection` (on an earlier page). Fetch
 * them with `client.dataSourceOptions` or `wizard.options`; a change to a field in `dependsOn`
 * changes them.
 *
 * @example
 * if (field.type == "picklist" && field.dataSource?.dependsOn?.includes(changedKey)) refetch(field.key);
 */
export interface DataSourceDefinition {
  /** Key of the connection field (on an earlier page) whose account is asked. */
  connection: string;
  /** The app's path the platform GETs; it may read `{{config.<key>}}` of the fields in `dependsOn`. */
  path: string;
  /** Fields whose values the options depend on. */
  dependsOn?: string[];
  /** Templates (`{{record.<property>}}`) turning each record of the app's answer into an option. */
  value: string;
  label: string;
  description?: string;
}

/**
 * Read-only content shown above a page's fields. `markdown` is the safe subset (paragraphs,
 * lists, emphasis, code, http(s)/mailto links); `image` is served by the platform
 * (`paths.integrationAsset`, or `integration.assetUrl(asset)` headless); `webhook-url` shows the
 * flow's URL from `instance.flows` (present from the draft on); `generated-key` shows
 * `instance.configValues[key]`, a key the platform made for the customer to paste into the app.
 *
 * @example
 * if (element.kind == "generated-key") showCopyable(element.label, wizard.instance.configValues[element.key]);
 */
export type DisplayElement = { visibleWhen?: Condition; hiddenWhen?: Condition } & (
  | { kind: "markdown"; text: string }
  | { kind: "image"; asset: string; alt: string }
  | { kind: "webhook-url"; flow: string; label: string; description?: string }
  | { kind: "generated-key"; key: string; label: string; description?: string }
);

/**
 * One field of a config page, discriminated by `type`, with its label, description, required flag, default, options and constraints.
 *
 * @example
 * const input = field.type == "boolean" ? checkbox(field.label) : textInput(field.label, field.required);
 */
export type ConfigVarDefinition =
  | (FieldBase & {
      type: "string";
      default?: string;
      placeholder?: string;
      /** A regular expression the whole value must match; `patternHint` says it in words. */
      pattern?: string;
      patternHint?: string;
      minLength?: number;
      maxLength?: number;
    })
  | (FieldBase & { type: "number"; default?: number; min?: number; max?: number; step?: number })
  | (FieldBase & { type: "boolean"; default?: boolean })
  | (FieldBase & {
      type: "picklist";
      /** Several options may be chosen; the value is then a string array. */
      multiple?: boolean;
      /** Fixed options; a picklist has these or a `dataSource`, never both. */
      options?: { value: string; label: string }[];
      dataSource?: DataSourceDefinition;
      default?: string | string[];
    })
  | (FieldBase & { type: "code"; language: "json" | "xml" | "html"; default?: string })
  /** `YYYY-MM-DD`. */
  | (FieldBase & { type: "date"; default?: string })
  /** ISO 8601 with a time zone offset, e.g. `2026-11-29T09:30:00+01:00`. */
  | (FieldBase & { type: "timestamp"; default?: string })
  | (FieldBase & { type: "schedule"; default?: ScheduleValue })
  | (FieldBase & { type: "value-list"; default?: string[] })
  | (FieldBase & { type: "key-value-list"; default?: KeyValuePair[] })
  | (FieldBase & {
      type: "connection";
      connection: { kind: "api-key" | "basic" | "oauth2"; app: string; scopes?: string[] };
    });

/**
 * Every field type.
 *
 * @example
 * const controls: Record<ConfigVarType, string> = { string: "input", number: "input", boolean: "checkbox", picklist: "select", code: "textarea", date: "input", timestamp: "input", schedule: "fieldset", "value-list": "textarea", "key-value-list": "textarea", connection: "input" };
 */
export type ConfigVarType = ConfigVarDefinition["type"];

/**
 * One wizard page.
 *
 * @example
 * for (const page of integration.configPages) renderPage(page.title, page.fields);
 */
export interface ConfigPage {
  /** Stable page id, used in `saveConfigPage` and in events. */
  name: string;
  title: string;
  description?: string;
  fields: ConfigVarDefinition[];
  /** Read-only content shown above the fields. */
  content?: DisplayElement[];
  /** Shown only while this holds (a hidden page is skipped). */
  visibleWhen?: Condition;
  /** Hidden while this holds. */
  hiddenWhen?: Condition;
  /** Every field of the page shown but not editable while this holds. */
  disabledWhen?: Condition;
}

/**
 * Ask for a data-source field's options: the current values of the fields it depends on (a
 * dependency left out is read from the saved draft) and, for long lists, a search.
 *
 * @example
 * const request: DataSourceRequest = { values: { projectKey: "ENG" }, search: "bug" };
 */
export interface DataSourceRequest {
  values?: ConfigValuesInput;
  /** All words, case-insensitive, in an option's label or value (at most 200 characters). */
  search?: string;
}

/**
 * One option of a data source, from the customer's account.
 *
 * @example
 * const item = `${option.label}${option.description ? ` — ${option.description}` : ""}`;
 */
export interface DataSourceOption {
  value: string;
  label: string;
  description?: string;
}

/**
 * A data source's answer: at most 1,000 options, in the app's order; `truncated` when more
 * matched (search to narrow them).
 *
 * @example
 * const { options, truncated } = await client.dataSourceOptions(instance.id, "channel");
 */
export interface DataSourceResult {
  options: DataSourceOption[];
  truncated: boolean;
}

/**
 * One integration: its card, description, config pages and flows.
 *
 * @example
 * const { description, configPages, flows } = await client.getIntegration("slack");
 */
export interface IntegrationDetail extends IntegrationSummary {
  /** Markdown subset (paragraphs, lists, emphasis, links): render it as text, never as HTML. */
  description: string;
  configPages: ConfigPage[];
  flows: FlowSummary[];
  /** What changed in this version (the same markdown subset). `version` is this definition's version. */
  releaseNotes?: string;
}

/**
 * A stored secret as the platform returns it: never the value, only that it is set.
 *
 * @example
 * const stored = instance.configValues.stripeKey; // { kind: "api-key", apiKey: { secret: "set" } }
 */
export interface MaskedSecret {
  secret: "set";
}

/**
 * A stored connection, secrets masked.
 *
 * @example
 * const set = (instance.configValues.jiraConnection as ConnectionState | undefined)?.kind == "basic";
 */
export type ConnectionState = (
  | { kind: "api-key"; apiKey?: MaskedSecret }
  /** `username` is left out for a connection the host organization provides. */
  | { kind: "basic"; username?: string; password?: MaskedSecret }
  | { kind: "oauth2"; status: "active" | "pending" | "error"; account?: string }
) & ConnectionBinding;

/**
 * Which of the customer's connections a connection field uses, and its health.
 *
 * @example
 * const broken = (instance.configValues.slackConnection as ConnectionState).needsReconnect;
 */
export interface ConnectionBinding {
  /** The connection the field uses (see `Connection`); several instances may use one. */
  connectionId?: string;
  /** The app refuses the connection (revoked, or an OAuth token that cannot be refreshed): reconnect it. */
  needsReconnect?: true;
  /** The host organization provides the connection (its name): usable, never shown or changed. */
  providedBy?: string;
}

/**
 * A saved value as the platform returns it (connections masked).
 *
 * @example
 * const currency: ConfigValue = instance.configValues.currency;
 */
export type ConfigValue = string | number | boolean | string[] | KeyValuePair[] | ScheduleValue | ConnectionState | null;

/**
 * Saved values keyed by config variable key.
 *
 * @example
 * const saved: ConfigValues = instance.configValues;
 */
export type ConfigValues = Record<string, ConfigValue>;

/**
 * One page's values as sent, keyed by config variable key; `null` clears a value.
 *
 * @example
 * await client.saveConfigPage(id, "payments", { currency: "eur", threshold: null } satisfies ConfigValuesInput);
 */
export type ConfigValuesInput = Record<string, ConfigValueInput>;

/**
 * Where an instance is: `draft`, `deploying`, `deployed` or `paused`; `deleted` only where its
 * kept record is shown after a deactivation (the organization API).
 *
 * @example
 * const running = instance.status == "deployed";
 */
export type InstanceStatus = "draft" | "deploying" | "deployed" | "paused" | "deleted";

/**
 * A flow of an instance, with its webhook URL or next scheduled run.
 *
 * @example
 * const urls = instance.flows.flatMap((f) => (f.webhookUrl ? [f.webhookUrl] : []));
 */
export interface InstanceFlow {
  id: string;
  name: string;
  trigger: FlowTrigger;
  /** Absolute URL for webhook-triggered flows of a deployed instance. */
  webhookUrl?: string;
  /** Next scheduled run (ISO time) for schedule-triggered flows of a running instance. */
  nextRunAt?: string;
  /** A payload the flow accepts (its declared example): what a test run suggests. */
  example?: unknown;
}

/**
 * A customer's configured integration: its saved values, saved pages and flows.
 *
 * @example
 * const instance = await client.getInstance(id);
 */
export interface Instance {
  id: string;
  integrationId: string;
  integrationName: string;
  customerId: string;
  name: string;
  description: string;
  labels: string[];
  status: InstanceStatus;
  /** Values saved so far; secrets come back masked as `{ secret: "set" }`. */
  configValues: ConfigValues;
  /**
   * What the app called each saved data-source value when it was chosen (field key → value →
   * label), so a form shows "Events log" rather than an id before, or without, the options
   * loading.
   */
  optionLabels?: Record<string, Record<string, string>>;
  /** Config pages saved so far, in order. */
  completedPages: string[];
  flows: InstanceFlow[];
  createdAt: string;
  updatedAt: string;
  deployedAt?: string;
  /** The integration version it runs (never deployed: is set up with). */
  integrationVersion: number;
  /** A newer version it can move to; `needsInput`: the customer must fill in or fix something first. */
  availableUpdate?: { version: number; needsInput: boolean };
  /** An upgrade in progress: `configValues` and `completedPages` are those of `toVersion` until it is deployed or canceled. */
  upgrade?: { toVersion: number; startedAt: string; plan: UpgradePlanSummary };
  /** When it was deactivated (status `deleted`); its record and history are kept for the retention period. */
  deletedAt?: string;
  /** Who deactivated it: a user of the customer's (their id in the host app) or the organization. */
  deletedBy?: { kind: "user" | "organization"; id: string; name: string };
}

/**
 * What an upgrade does to an instance's values (contract/upgrade.ts `planUpgrade`, without the values).
 *
 * @example
 * const ask = instance.upgrade?.plan.asks.filter((a) => a.problem); // fields the customer must fix
 */
export interface UpgradePlanSummary {
  fromVersion: number;
  toVersion: number;
  kept: string[];
  renamed: { from: string; to: string }[];
  removed: string[];
  added: string[];
  /** Fields the upgrade shows: new ones, and ones whose carried value the new version refuses (`problem` says why). */
  asks: { key: string; page: string; reason: "new" | "invalid"; problem?: string }[];
  /** The pages that show something, in order: the upgrade wizard walks only these. */
  pages: string[];
  needsInput: boolean;
}

/**
 * How a flow run went: `running`, `succeeded` or `failed`.
 *
 * @example
 * const failed = executions.filter((x) => x.status == "failed");
 */
export type ExecutionStatus = "running" | "succeeded" | "failed";

/**
 * One line of an execution's log.
 *
 * @example
 * for (const line of execution.logs) console.log(line.at, line.level, line.message);
 */
export interface LogLine {
  at: string;
  level: "debug" | "info" | "warn" | "error";
  step?: string;
  message: string;
}

/** Why part of a run is missing from its record: a code a client shows in its user's language. */
export type ExecutionNoticeCode = "RESULT_NOT_STORED";

/**
 * Said of a run whose record is not whole: `RESULT_NOT_STORED`, its end could not be stored as
 * it was (too large, say), so its logs and step results were dropped and its status, times and
 * error kept. `message` says it in English.
 */
export interface ExecutionNotice {
  code: ExecutionNoticeCode;
  message: string;
}

/**
 * One run of a flow, with status, logs and each step's result.
 *
 * @example
 * const [latest] = await client.listExecutions(instanceId);
 */
export interface Execution {
  id: string;
  instanceId: string;
  flowId: string;
  flowName: string;
  trigger: "webhook" | "schedule" | "deploy" | "removal";
  status: ExecutionStatus;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  logs: LogLine[];
  /** Each step's result, secrets redacted. */
  stepResults: Record<string, unknown>;
  output?: unknown;
  error?: string;
  /**
   * What the run was started with (a webhook's body), secrets redacted; a payload over 32 KB is
   * kept as the start of its JSON text and `payloadTruncated` is set.
   */
  payload?: unknown;
  payloadTruncated?: boolean;
  /** Some values of the kept payload were redacted (secrets): it is not the original, so the run cannot be replayed. */
  payloadRedacted?: boolean;
  /** A test run: started by hand from the instance page (or `client.testRun`), with a payload the user gave. */
  test?: boolean;
  /** A replay: the id of the execution whose payload it ran again. */
  replayOf?: string;
  /** The ids of its replays, oldest first (`client.listReplays` gives them in full). */
  replays?: string[];
  /** Set when part of the run is missing from its record, and why (`ExecutionNotice`). */
  notice?: ExecutionNotice;
}

/**
 * What a test run sends: the payload the flow sees (any JSON value; its JSON text at most 32 KB).
 *
 * @example
 * const run = await client.testRun(instanceId, "new-event", { payload: { message: "Hello" } });
 */
export interface TestRunRequest {
  payload?: unknown;
}

/**
 * What a deploy answers: the deployed instance and its deploy-trigger executions.
 *
 * @example
 * const { instance, executions } = await client.deploy(instanceId);
 */
export interface DeployResponse {
  instance: Instance;
  /** Executions of the deploy-trigger flows; a failed one does not undo the deploy. */
  executions: Execution[];
}

/**
 * What a delete answers: the removed instance's id and its removal-trigger executions.
 *
 * @example
 * const { executions } = await client.deleteInstance(instanceId);
 */
export interface DeleteInstanceResponse {
  instanceId: string;
  /** Executions of the removal-trigger flows; a failed one does not block the removal. */
  executions: Execution[];
}

/**
 * A connection's health: `active`, or `needs-reconnect` when the app refuses its credentials (a
 * revoked key, an OAuth token that expired and cannot be refreshed). Every instance using it is
 * affected until it is reconnected.
 *
 * @example
 * const broken = connections.filter((c) => c.status == "needs-reconnect");
 */
export type ConnectionStatus = "active" | "needs-reconnect";

/**
 * One instance that uses a connection, and the field through which it does.
 *
 * @example
 * const names = connection.usedBy.map((use) => use.instanceName);
 */
export interface ConnectionUse {
  instanceId: string;
  instanceName: string;
  integrationId: string;
  /** The connection field's key. */
  fieldKey: string;
}

/**
 * One of the customer's connections to a third-party app, reusable by every instance whose
 * connection field asks for the same app and kind. Secrets never come back: `credentials` shows
 * only that they are set (and the username), and a connection the host organization provides
 * (`providedBy`) shows none at all (S4).
 *
 * @example
 * const { connections } = await client.listConnections({ app: "Slack" });
 */
export interface Connection {
  id: string;
  /** The third-party app, as connection fields name it (`"Slack"`). */
  app: string;
  kind: "api-key" | "basic" | "oauth2";
  /** A name the customer recognises it by. */
  name: string;
  /** Who the connection authenticates as, as the app says. */
  account?: string;
  /** Set when the host organization provides the connection: its name. The customer can use it, not see or change it. */
  providedBy?: string;
  status: ConnectionStatus;
  /** Why it needs reconnecting, in the app's words. */
  statusMessage?: string;
  /** The credentials with every secret masked; absent for a provided connection. */
  credentials?: ConnectionState;
  /** The instances that use it (deployed config or saved setup). */
  usedBy: ConnectionUse[];
  createdAt: string;
  updatedAt: string;
}

/**
 * The customer's connections, oldest first.
 *
 * @example
 * const { connections } = await client.listConnections();
 */
export interface ConnectionList {
  connections: Connection[];
}

/**
 * An app the organization's integrations connect to: what a customer can add a connection for,
 * with the kind of credentials it takes, an icon (its first integration's) and the integrations
 * that use it.
 *
 * @example
 * const { apps } = await client.listConnectionApps();
 * const oauth = apps.filter((a) => a.kind == "oauth2").map((a) => a.app);
 */
export interface ConnectionApp {
  /** As connections and connection fields name it (`"Slack"`). */
  app: string;
  kind: "api-key" | "basic" | "oauth2";
  /** An https or `data:image` URL. */
  icon: string;
  /** Ids of the integrations whose connection fields ask for it. */
  integrations: string[];
}

/**
 * The apps a customer can add a connection for, by name.
 *
 * @example
 * const { apps } = await client.listConnectionApps();
 */
export interface ConnectionAppList {
  apps: ConnectionApp[];
}

/**
 * What creating a connection takes: the app, an optional name, and the credentials (an OAuth
 * connection is made through the OAuth flow instead). The app checks them first.
 *
 * @example
 * const request: CreateConnectionRequest = { app: "Stripe", credentials: { kind: "api-key", apiKey: typed } };
 */
export interface CreateConnectionRequest {
  app: string;
  name?: string;
  credentials: { kind: "api-key"; apiKey: string } | { kind: "basic"; username: string; password: string };
}

/**
 * A change to a connection: a new name and/or new credentials (checked with the app first; a
 * basic password left out keeps the stored one for the same username). New credentials are how
 * an API-key or basic connection is reconnected: every instance using it keeps its config.
 *
 * @example
 * const rotate: UpdateConnectionRequest = { credentials: { kind: "api-key", apiKey: rotated } };
 */
export interface UpdateConnectionRequest {
  name?: string;
  credentials?: { kind: "api-key"; apiKey: string } | { kind: "basic"; username: string; password?: string };
}

/**
 * A connection check: whether the app accepts it, in the app's words, and the connection as it
 * now stands.
 *
 * @example
 * const { ok, message } = await client.testConnection(id);
 */
export interface ConnectionCheck {
  ok: boolean;
  message: string;
  connection: Connection;
}

/**
 * Where an OAuth connection flow stands: `pending`, `connected` (with the connection it made or
 * reconnected) or `failed` (denied, expired, …). Only the user who started it can ask (S5).
 *
 * @example
 * const status = await client.oauthStatus(state);
 */
export type OAuthStatus =
  | { status: "pending" }
  | { status: "connected"; connection: Connection }
  | { status: "failed"; error: { code: string; message: string } };

/**
 * A connection field's test: whether the app accepts the value, in the app's words, and the value
 * as it now stands (secrets masked).
 *
 * @example
 * const { ok, message } = await client.testConnectionField(instanceId, "stripeKey", { kind: "api-key", apiKey: typed });
 */
export interface ConnectionTestResult {
  ok: boolean;
  message: string;
  state: ConnectionState;
}
