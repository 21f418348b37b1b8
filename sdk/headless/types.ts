/**
 * The headless client's public interfaces. Zod-free, like every type the SDK publishes.
 */
import type { EventPayloads, LifecycleEventName } from "../../contract/channel-types.ts";
import type { ClientErrorCode } from "../../contract/errors.ts";
import type { OAuthPopupSize } from "../../contract/oauth-popup.ts";
import type { FormValues } from "../../client/config-form.ts";
import type { FormState } from "../../contract/conditions.ts";
import type {
  ConfigPage,
  Connection,
  ConnectionCheck,
  ConnectionInput,
  ConnectionTestResult,
  CreateConnectionRequest,
  UpdateConnectionRequest,
  DataSourceRequest,
  DataSourceResult,
  DeleteInstanceResponse,
  DeployResponse,
  Execution,
  Instance,
  IntegrationDetail,
  IntegrationList,
  IntegrationListQuery,
  Session,
  UpgradePlanSummary,
} from "../../contract/api-types.ts";
import type {
  Alert,
  AlertMonitor,
  AlertMonitorInput,
  AlertPage,
  AlertQuery,
  Dashboard,
  ExecutionPage,
  ExecutionQuery,
  ExecutionSummary,
  UsageReport,
} from "../../contract/observe-types.ts";

/**
 * One of `HeadlessErrorCode`'s values: a code the client raises itself (the contract's
 * `ClientErrorCode`, the same codes the embedded marketplace uses).
 *
 * @example
 * const code: HeadlessErrorCodeValue = "NETWORK_ERROR";
 */
export type HeadlessErrorCodeValue = ClientErrorCode;

/**
 * The lifecycle events the headless client fires: the same names and payloads as the embedded
 * marketplace's. Payloads carry ids and names only, never a config value or a secret.
 *
 * @example
 * const name: HeadlessEventName = "instance-deployed";
 */
export type HeadlessEventName = LifecycleEventName;

/**
 * Payload of each event (identical to the embed's `EventPayloads`).
 *
 * @example
 * const log = (p: HeadlessEventPayloads["instance-deployed"]) => console.log(p.integrationName, p.instanceId);
 */
export type HeadlessEventPayloads = Pick<EventPayloads, HeadlessEventName>;

/**
 * A lifecycle event handler.
 *
 * @example
 * const onPaused: HeadlessEventHandler<"instance-paused"> = ({ instanceId }) => refresh(instanceId);
 */
export type HeadlessEventHandler<K extends HeadlessEventName> = (payload: HeadlessEventPayloads[K]) => void;

/**
 * Options of `createClient`. Only `platformUrl` and `getToken` are required.
 *
 * @example
 * const options: ClientOptions = {
 *   platformUrl: "https://platform.example",
 *   getToken: () => fetch("/api/emporium-token", { method: "POST" }).then((r) => r.json()).then((b) => b.token),
 *   on: { "instance-deployed": ({ instanceId }) => console.log("deployed", instanceId) },
 * };
 */
export interface ClientOptions {
  /** The platform origin (http or https), e.g. `https://platform.example`. The API is under `/api/v1`. */
  platformUrl: string;
  /**
   * Returns a fresh signed JWT for the current user. Called on the first request, again shortly
   * before the token's `exp`, and once on a 401; calls made while one is pending share it.
   */
  getToken: () => Promise<string>;
  /** The fetch to use. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Lifecycle handlers, the same as calling `client.on(name, handler)` for each. */
  on?: { [K in HeadlessEventName]?: HeadlessEventHandler<K> };
}

/**
 * An integration's detail, ready for a custom UI: the contract's `IntegrationDetail` (its
 * `configPages` list each field with type, label, description, required, default, options and
 * constraints), plus the validation and the starting values of a form.
 *
 * @example
 * const stripe = await client.getIntegration("stripe");
 * const values = stripe.initialValues();
 * const problems = stripe.validate("connect", values); // { stripeKey: "Enter the Stripe API key." }
 */
export interface Integration extends IntegrationDetail {
  /**
   * Field messages in plain words for one page's values, keyed by field key (the same messages
   * the platform gives); `{}` when the page is valid. Pass the instance being configured so a
   * secret it already stores counts as given.
   */
  validate(page: string | ConfigPage, values: Readonly<Record<string, unknown>>, instance?: Instance): Record<string, string>;
  /** Every field's starting value: what `instance` saved (secrets left out), else the field's default. */
  initialValues(instance?: Instance): FormValues;
  /**
   * The integration's rules applied to `values` (a field not in `values` reads as `instance`
   * saved it, else its default): which pages and fields show, which fields are required now and
   * which are disabled. A hidden field is not validated and not sent; the platform refuses one
   * that is set.
   */
  formState(values: Readonly<Record<string, unknown>>, instance?: Instance): FormState;
  /** The URL of an image a page's `content` shows (`{ kind: "image", asset }`), served by the platform. */
  assetUrl(asset: string): string;
}

/**
 * A data-source field's options from `wizard.options`: the platform's answer, plus the chosen
 * values it no longer offers (known only from a complete answer: not truncated, no search).
 *
 * @example
 * const { options, unavailable } = await wizard.options("channel");
 * if (unavailable.length) warn(`${unavailable[0]} is no longer available in Slack`);
 */
export interface WizardOptions extends DataSourceResult {
  unavailable: string[];
}

/**
 * A config wizard run by your own UI: it walks the pages, validates, saves each page as the user
 * moves on, deploys, and fires the same `instance-configuration-*` events as the embedded wizard.
 *
 * @example
 * const wizard = await client.wizard("stripe");
 * render(wizard.current, wizard.values);
 * try {
 *   await wizard.next(formValues); // validates, saves, moves on
 * } catch (error) {
 *   if (error.code === "VALIDATION_FAILED") showErrors(error.fields);
 * }
 */
export interface Wizard {
  readonly integration: Integration;
  /** The instance being configured, as last saved. */
  readonly instance: Instance;
  /** True when the instance was deployed before: every page starts from its saved values. */
  readonly reconfigure: boolean;
  readonly pages: ConfigPage[];
  /** Index of the current page in `pages`. */
  readonly index: number;
  /** The current page. */
  readonly current: ConfigPage;
  readonly isLast: boolean;
  /** Every field's value so far (defaults, then saved values, then what `next` was given). Stored secrets are left out. */
  readonly values: FormValues;
  /** False after `cancel`, `close` or a successful `deploy`. */
  readonly open: boolean;
  /** The rules applied to `values`: which pages and fields show now, are required, are disabled. */
  readonly state: FormState;
  /** The integration version the pages are of (the instance's, or an upgrade's). */
  readonly version: number;
  /** Field messages for the current page with `values` merged in; `{}` when it is valid. */
  validate(values?: Readonly<Record<string, unknown>>): Record<string, string>;
  /**
   * A data-source field's options for the values held now (merge a changed dependency with
   * `values` first, or pass it in `values`). `search` narrows a long list on the platform. A
   * dependency without a value rejects with `VALIDATION_FAILED` naming it, before any request;
   * the app's failures reject with `DATA_SOURCE_FAILED`, `DATA_SOURCE_TIMEOUT`,
   * `CONNECTION_REQUIRED` or `CONNECTION_REFUSED`. Values are kept either way.
   */
  options(key: string, options?: { search?: string; values?: Readonly<Record<string, unknown>> }): Promise<WizardOptions>;
  /**
   * Merges `values`, validates the current page (rejecting with `VALIDATION_FAILED`, `fields` and
   * `page` when invalid, before any request), saves it and moves to the next page.
   */
  next(values?: Readonly<Record<string, unknown>>): Promise<void>;
  /** Moves to the previous page the rules show; values are kept. */
  back(): void;
  /**
   * Validates and saves the current page, then deploys with one idempotency key per attempt (a
   * double call deploys once; a retry after a lost answer reuses the key). Fires
   * `instance-deployed` (and `execution-failed` per failed deploy flow), then closes the wizard.
   */
  deploy(values?: Readonly<Record<string, unknown>>): Promise<DeployResponse>;
  /** The user gave up: fires `instance-configuration-canceled`, then closes. The draft instance stays. */
  cancel(): void;
  /** Fires `instance-configuration-closed` (once). */
  close(): void;
  /**
   * Names the instance (customers tell several instances of one integration apart by name): an
   * empty, over-long or taken name rejects with `VALIDATION_FAILED` and `fields.name`, and
   * nothing changes. `instance.name` is the name now.
   */
  rename(name: string): Promise<void>;
}

/**
 * An upgrade of an instance to a newer version of its integration, run by your own UI: the same
 * wizard, walking only the pages the upgrade asks about (`pages`, possibly none: then call
 * `deploy()` to switch). Values that still apply were carried over, renamed ones migrated; the
 * instance keeps running its version until `deploy()` succeeds, which fires `instance-deployed`
 * and `instance-upgraded`.
 *
 * @example
 * const upgrade = await client.upgrade(instance.id);
 * for (const ask of upgrade.upgrade.plan.asks) highlight(ask.key, ask.reason, ask.problem);
 * while (upgrade.current && !upgrade.isLast) await upgrade.next(formValues());
 * await upgrade.deploy(formValues());
 */
export interface UpgradeWizard extends Omit<Wizard, "current"> {
  /** The current page; undefined when the upgrade asks nothing (`pages` is empty): call `deploy()`. */
  readonly current: ConfigPage | undefined;
  /** The upgrade in progress: its target version and what it does to the values. */
  readonly upgrade: { toVersion: number; startedAt: string; plan: UpgradePlanSummary };
  /**
   * Drops the upgrade: the instance keeps running its version, untouched. Fires
   * `instance-configuration-canceled` and `-closed`. (`cancel()` only closes, leaving the
   * upgrade to continue later.)
   */
  discard(): Promise<Instance>;
}

/**
 * What `wizard()` opens: a new or resumed configuration of an integration, or the
 * reconfiguration of an instance.
 *
 * @example
 * await client.wizard("hubspot");
 * await client.wizard({ instanceId: "ins_123" });
 */
export type WizardTarget = string | { integrationId: string } | { instanceId: string };

/**
 * What `createClient` returns: the customer-scoped platform API, typed, every answer validated
 * against the contract, every failure an `EmporiumApiError`.
 *
 * @example
 * const client: Client = createClient({ platformUrl, getToken });
 * const { integrations } = await client.listIntegrations({ q: "stripe" });
 */
export interface Client extends ActivityClient, RunsClient, ConnectionsClient {
  /** Who the token says the user is: organization, customer, user and role. */
  session(): Promise<Session>;
  /** Marketplace integrations with this customer's activation state; filters combine with AND. */
  listIntegrations(query?: IntegrationListQuery): Promise<IntegrationList>;
  /** One integration with its config pages and flows, plus `validate` and `initialValues`; `version`: another than the latest (an instance's). */
  getIntegration(id: string, version?: number): Promise<Integration>;
  /** Creates the customer's draft instance of an integration (or returns the existing one). */
  createInstance(integrationId: string): Promise<Instance>;
  /**
   * Saves one config page. The platform validates it; invalid values reject with
   * `VALIDATION_FAILED`, `fields` and `page`. Omit a connection's secret to keep the stored one.
   */
  saveConfigPage(instanceId: string, page: string, values: Readonly<Record<string, unknown>>): Promise<Instance>;
  /**
   * A data-source field's options from the customer's own account (the platform asks the app
   * with the connection saved on the instance). `values`: the current values of the fields it
   * depends on; `search` narrows a long list. At most 1,000 options; `truncated` says more matched.
   */
  dataSourceOptions(instanceId: string, key: string, request?: DataSourceRequest): Promise<DataSourceResult>;
  /**
   * Deploys a configured instance and runs its deploy-trigger flows. Sends an `Idempotency-Key`
   * (yours, or a generated one) and retries a lost answer with it, so it deploys once.
   * Fires `instance-deployed`, and `execution-failed` for each failed deploy flow.
   */
  deploy(instanceId: string, options?: { idempotencyKey?: string }): Promise<DeployResponse>;
  /** Pauses a deployed instance; fires `instance-paused`. */
  pause(instanceId: string): Promise<Instance>;
  /** Resumes a paused instance; fires `instance-resumed`. */
  resume(instanceId: string): Promise<Instance>;
  /** Removes an instance (running its removal flows); fires `instance-deleted`. */
  deleteInstance(instanceId: string): Promise<DeleteInstanceResponse>;
  /** The customer's instances (of one integration, with `{ integration }`), newest first. */
  listInstances(query?: { integration?: string }): Promise<Instance[]>;
  /** Renames an instance; a refused name rejects with `VALIDATION_FAILED` and `fields.name`. */
  renameInstance(instanceId: string, name: string): Promise<Instance>;
  /**
   * Starts (or continues) upgrading an instance to a newer version of its integration (default:
   * the latest; `instance.availableUpdate` says which, and whether the customer must fill
   * something in) and opens its wizard. Fires `instance-configuration-opened`.
   */
  upgrade(instanceId: string, options?: { toVersion?: number }): Promise<UpgradeWizard>;
  /** Drops an instance's upgrade in progress; it keeps running its version, untouched. */
  cancelUpgrade(instanceId: string): Promise<Instance>;
  /** One instance; another customer's id answers `NOT_FOUND`. */
  getInstance(instanceId: string): Promise<Instance>;
  /** An instance's newest executions (one page, 50), newest first, with status and log lines. */
  listExecutions(instanceId: string): Promise<Execution[]>;
  /**
   * One page of an instance's executions, newest first; pass `nextCursor` for the next (older)
   * page, `null` on the last. History is kept as the platform's retention policy says: an
   * execution it removed answers `EXECUTION_EXPIRED`.
   *
   * @example
   * let page = await client.listExecutionPage(instanceId);
   * while (page.nextCursor) page = await client.listExecutionPage(instanceId, page.nextCursor);
   */
  listExecutionPage(instanceId: string, cursor?: string): Promise<{ executions: Execution[]; nextCursor: string | null }>;
  /** Opens a config wizard; fires `instance-configuration-opened` and the first `...-page-loaded`. */
  wizard(target: WizardTarget): Promise<Wizard>;
  /** Listens to a lifecycle event; returns the unsubscribe function. */
  on<K extends HeadlessEventName>(event: K, handler: HeadlessEventHandler<K>): () => void;
  /** Stops listening. */
  off<K extends HeadlessEventName>(event: K, handler: HeadlessEventHandler<K>): void;
}

/**
 * What the live tail of the logs calls: `onChanges` with runs that started or changed (a new log
 * line, the end), newest first; `onReset` when the platform lost the tail's place (it restarted,
 * or more than a page changed at once): load the first page again; `onError` when a request
 * failed (the tail retries by itself, waiting 1, 2, 4 … 30 s).
 *
 * @example
 * const handlers: LogTailHandlers = { onChanges: (runs) => merge(runs), onReset: () => reload() };
 */
export interface LogTailHandlers {
  onChanges(executions: ExecutionSummary[]): void;
  onReset(): void;
  onError?(error: unknown): void;
}

/**
 * A running live tail: `pause` while the view is hidden (its place is kept), `resume` to catch
 * up from it, `stop` when done.
 *
 * @example
 * document.addEventListener("visibilitychange", () => (document.hidden ? tail.pause() : tail.resume()));
 */
export interface LogTail {
  pause(): void;
  resume(): void;
  stop(): void;
}

/**
 * The customer's view of their integrations at work: dashboard, logs, usage, alert monitors and
 * alerts. Part of `Client`; the code behind these loads on the first call of one of them.
 *
 * @example
 * const { instances, recentFailures } = await client.getDashboard();
 */
export interface ActivityClient {
  /** Each activated instance with its health, the newest failures, open alerts, usage of this and the previous billing period. */
  getDashboard(): Promise<Dashboard>;
  /**
   * One page of runs of every instance, newest first, with filters (`instance`, `flow`, `status`,
   * `trigger`, `from`/`to`, text `q` in log lines); pass `nextCursor` as `cursor` for the next page.
   */
  listLogs(query?: ExecutionQuery & { limit?: number; cursor?: string }): Promise<ExecutionPage>;
  /** One run with its steps and timings, payload (secrets redacted), output and log lines (a running one: so far). */
  getExecution(instanceId: string, executionId: string): Promise<Execution>;
  /**
   * Starts the live tail of the logs with these filters; resolves once it holds its place, so a
   * first page loaded after it misses nothing. A long poll: works against every platform transport.
   */
  tailLogs(query: ExecutionQuery, handlers: LogTailHandlers): Promise<LogTail>;
  /** Enabled (billed) and paused (not billed) time per instance: `"current"` (default) or `"previous"` billing period, or a range. */
  getUsage(period?: "current" | "previous" | { from: string; to: string }): Promise<UsageReport>;
  /** An instance's alert monitors. */
  listMonitors(instanceId: string): Promise<AlertMonitor[]>;
  /** Creates a monitor (admins; a viewer gets `FORBIDDEN`); invalid settings reject with `VALIDATION_FAILED` and `fields`. */
  createMonitor(instanceId: string, monitor: AlertMonitorInput): Promise<AlertMonitor>;
  /** Replaces a monitor's settings (admins); what it counted so far starts again. */
  updateMonitor(instanceId: string, monitorId: string, monitor: AlertMonitorInput): Promise<AlertMonitor>;
  /** Removes a monitor (admins); its alerts stay. Resolves with the monitors left. */
  deleteMonitor(instanceId: string, monitorId: string): Promise<AlertMonitor[]>;
  /** Alerts of every instance (or `instance`), newest first, a page at a time; `status: "unresolved"` = open or acknowledged. */
  listAlerts(query?: AlertQuery & { limit?: number; cursor?: string }): Promise<AlertPage>;
  /** Someone is on it (admins). */
  acknowledgeAlert(alertId: string): Promise<Alert>;
  /** It is over (admins). */
  resolveAlert(alertId: string): Promise<Alert>;
}

/**
 * Test runs and replays (issue 15). Part of `Client`; the code behind these loads on the first
 * call of one of them.
 *
 * @example
 * const run = await client.testRun(instanceId, "create-issue");
 * if (run.status == "failed") console.log(run.logs.at(-1)?.message);
 */
export interface RunsClient {
  /**
   * Runs a webhook or scheduled flow of a running instance now (admins) and resolves with the
   * finished run, recorded and marked `test` (it may have `status: "failed"`: see its `logs`).
   * `payload` defaults to the flow's declared example (`instance.flows[].example`). A payload
   * that is not JSON, or over 32 KB of JSON, rejects with `VALIDATION_FAILED` and
   * `fields.payload` before anything is sent.
   *
   * @example
   * const run = await client.testRun(instanceId, "create-issue", { message: "Printer on fire" });
   */
  testRun(instanceId: string, flowId: string, payload?: unknown): Promise<Execution>;
  /**
   * Runs an ended execution again with its original payload (admins); resolves with the finished
   * replay, whose `replayOf` names the original. `PAYLOAD_EVICTED` when the payload was not kept
   * in full; `INSTANCE_PAUSED` while the instance is paused.
   */
  replay(instanceId: string, executionId: string): Promise<Execution>;
  /** An execution's replays, oldest first. */
  listReplays(instanceId: string, executionId: string): Promise<Execution[]>;
}

/**
 * New credentials for an API-key or basic connection (`reconnectConnection`): a basic password
 * left out keeps the stored one for the same username.
 *
 * @example
 * const credentials: ConnectionCredentials = { kind: "api-key", apiKey: rotatedKey };
 */
export type ConnectionCredentials = NonNullable<UpdateConnectionRequest["credentials"]>;

/**
 * How `connectOAuth` and an OAuth `reconnectConnection` open the app's authorization page. By
 * default a popup of `popupSize`, opened inside the call: call it from the user's click (before
 * any `await` of yours), or the browser blocks it. Where popups fail (webviews, Electron, native
 * shells) pass `openExternalUrl`: it gets the authorize URL (an opaque `state` in it, never a
 * code or a token) and opens it however the host can, e.g. the system browser; the flow
 * completes when the app returns, whichever way the page was opened.
 *
 * @example
 * const electron: OAuthOptions = { openExternalUrl: (url) => shell.openExternal(url) };
 * const sized: OAuthOptions = { popupSize: { width: 600, height: 720 }, onBlocked: (url) => showLink(url) };
 */
export interface OAuthOptions {
  /** Opens the authorize URL instead of a popup (the host's webview, Electron or native shell hook). */
  openExternalUrl?: (url: string) => void | Promise<void>;
  /** A window you opened yourself in the click (`window.open("about:blank", …)`), when your code awaits before calling; `null` = it was blocked. */
  popup?: Window | null;
  /** The popup's size in CSS pixels (default 520 × 680; each 200–4000). */
  popupSize?: OAuthPopupSize;
  /**
   * The browser blocked the popup: show `url` as a link the user clicks (a tab opened by a click
   * is not blocked, and the flow keeps waiting for it). Without `onBlocked` a blocked popup
   * rejects with `OAUTH_POPUP_BLOCKED` before anything starts.
   */
  onBlocked?: (url: string) => void;
  /** Cancels the flow: it rejects with `OAUTH_POPUP_CLOSED` and nothing changes. */
  signal?: AbortSignal;
}

/**
 * The customer's connections (issue 14): reusable credentials for third-party apps, each usable
 * by every instance whose connection field asks for that app and kind (save `{ connectionId }` as
 * the field's value). Part of `Client`; the code behind these loads on the first call of one of
 * them. A connection the host organization provides has `providedBy` and never any credentials;
 * renaming, reconnecting or removing it is `CONNECTION_PROVIDED`.
 *
 * @example
 * const [slack] = await client.listConnections({ app: "Slack" });
 * await client.saveConfigPage(instanceId, "connect", { slackConnection: { connectionId: slack.id } });
 */
export interface ConnectionsClient {
  /** The customer's connections (of one `app`), oldest first, with their health (`status`) and the instances using each (`usedBy`). */
  listConnections(query?: { app?: string }): Promise<Connection[]>;
  getConnection(connectionId: string): Promise<Connection>;
  /**
   * Adds an API-key or basic connection (admins). The request is checked before anything is
   * sent, then the app checks the credentials: both reject with `VALIDATION_FAILED` and `fields`
   * keyed `app`, `name`, `kind`, `apiKey`, `username` or `password`. OAuth connections: `connectOAuth`.
   */
  createConnection(request: CreateConnectionRequest): Promise<Connection>;
  /** Renames it (1–100 characters, unique among the customer's connections: `VALIDATION_FAILED` on `name` otherwise). */
  renameConnection(connectionId: string, name: string): Promise<Connection>;
  /**
   * Reconnects it and resolves with it healthy again; every instance using it keeps its config.
   * An API-key or basic connection takes new `credentials` (checked with the app first); an OAuth
   * one runs the OAuth flow again with `OAuthOptions` (call it from the click, as `connectOAuth`).
   */
  reconnectConnection(connectionId: string, credentials: ConnectionCredentials): Promise<Connection>;
  reconnectConnection(connectionId: string, oauth?: OAuthOptions): Promise<Connection>;
  /** Asks the app whether it accepts the connection now: `{ ok, message, connection }` (its `status` updated). */
  testConnection(connectionId: string): Promise<ConnectionCheck>;
  /**
   * Removes it (admins). While instances use it, rejects with `CONNECTION_IN_USE` whose `usedBy`
   * lists them (`instanceName`, `instanceId`, `integrationId`, `fieldKey`); `CONNECTION_PROVIDED`
   * for one the host provides.
   */
  deleteConnection(connectionId: string): Promise<{ connectionId: string }>;
  /**
   * Tests a connection field's value in a wizard: typed credentials (a secret left out = the
   * stored one), `{ connectionId }`, or, without `value`, what the instance saved.
   */
  testConnectionField(instanceId: string, key: string, value?: ConnectionInput): Promise<ConnectionTestResult>;
  /**
   * Connects an app with OAuth and resolves with the new connection. Rejects with
   * `OAUTH_POPUP_BLOCKED` (no `onBlocked`), `OAUTH_POPUP_CLOSED` (the user closed the popup
   * before finishing, or `signal` aborted: nothing changed), `OAUTH_DENIED`, `OAUTH_EXPIRED`
   * (10 minutes), or `NOT_FOUND` when no integration connects to `app` with OAuth.
   *
   * @example
   * button.onclick = async () => {
   *   const connection = await client.connectOAuth("Slack", { onBlocked: (url) => showLink(url) });
   * };
   */
  connectOAuth(app: string, options?: OAuthOptions): Promise<Connection>;
}
