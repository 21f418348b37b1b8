/**
 * The platform API's shapes as the headless client's public declarations show them. The
 * published `.d.ts` must not import zod (a host should not need zod installed for types), so
 * these are plain TypeScript mirrors of the types inferred from contract/api.ts and
 * contract/config-vars.ts; api-types.check.ts proves at type-check time that each one
 * equals its inferred twin, so they cannot drift.
 */
import type * as Channel from "../../contract/channel-types.ts";

/**
 * A marketplace card's state for this customer: `available`, `activated`, `paused` or `needs-configuration`.
 *
 * @example
 * const label = { available: "Activate", activated: "Manage", paused: "Paused", "needs-configuration": "Finish setup" }[card.activation.state];
 */
export type ActivationState = Channel.ActivationState;

/**
 * One pair of a `key-value-list` field.
 *
 * @example
 * const mapping: KeyValuePair[] = [{ key: "email", value: "Email" }];
 */
export type KeyValuePair = Channel.KeyValuePair;

/**
 * The value of a `schedule` field.
 *
 * @example
 * const daily: ScheduleValue = { kind: "daily", time: "09:00", timeZone: "Europe/Berlin" };
 */
export type ScheduleValue = Channel.ScheduleValue;

/**
 * The value of a `connection` field as sent. Leave the secret out to keep the stored one.
 *
 * @example
 * const key: ConnectionInput = { kind: "api-key", apiKey: input.value };
 */
export type ConnectionInput = Channel.ConnectionInput;

/**
 * A config value as sent (`null` clears it).
 *
 * @example
 * const value: ConfigValueInput = field.type == "number" ? Number(input.value) : input.value;
 */
export type ConfigValueInput = Channel.ConfigValueInput;

/**
 * Mirrors `Role` (api.ts): `admin` can deploy, pause and delete; `viewer` can only look.
 *
 * @example
 * if (session.user.role == "viewer") hideActions();
 */
export type Role = "admin" | "viewer";

/**
 * Mirrors `Session` (api.ts).
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
 * Mirrors `FlowTrigger` (catalog.ts).
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
 * Mirrors `IntegrationSummary` (api.ts): one marketplace card, with this customer's activation.
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
  activation: { state: ActivationState; instanceId?: string };
}

/**
 * Mirrors `IntegrationListQuery` (api.ts): every filter is optional; they combine with AND.
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
 * Mirrors `IntegrationList` (api.ts).
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
 * Mirrors `FlowSummary` (api.ts).
 *
 * @example
 * for (const flow of integration.flows) console.log(flow.name, flow.trigger.kind);
 */
export interface FlowSummary {
  id: string;
  name: string;
  description?: string;
  trigger: FlowTrigger;
}

interface FieldBase {
  /** The config variable key: the key of its value in `values`. */
  key: string;
  label: string;
  description?: string;
  required?: boolean;
}

/**
 * Mirrors `ConfigVarDefinition` (config-vars.ts): one field of a config page, discriminated by
 * `type`, with its label, description, required flag, default, options and constraints.
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
      options: { value: string; label: string }[];
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
 * Mirrors `ConfigPage` (config-vars.ts): one wizard page.
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
}

/**
 * Mirrors `IntegrationDetail` (api.ts).
 *
 * @example
 * const { description, configPages, flows } = await client.getIntegration("slack");
 */
export interface IntegrationDetail extends IntegrationSummary {
  /** Markdown subset (paragraphs, lists, emphasis, links): render it as text, never as HTML. */
  description: string;
  configPages: ConfigPage[];
  flows: FlowSummary[];
}

/**
 * Mirrors `MaskedSecret` (config-vars.ts): a stored secret is never returned, only that it is set.
 *
 * @example
 * const stored = instance.configValues.stripeKey; // { kind: "api-key", apiKey: { secret: "set" } }
 */
export interface MaskedSecret {
  secret: "set";
}

/**
 * Mirrors `ConnectionState` (config-vars.ts): a stored connection, secrets masked.
 *
 * @example
 * const set = (instance.configValues.jiraConnection as ConnectionState | undefined)?.kind == "basic";
 */
export type ConnectionState =
  | { kind: "api-key"; apiKey?: MaskedSecret }
  | { kind: "basic"; username: string; password?: MaskedSecret }
  | { kind: "oauth2"; status: "active" | "pending" | "error"; account?: string };

/**
 * Mirrors `ConfigValue` (config-vars.ts): a saved value as the platform returns it.
 *
 * @example
 * const currency: ConfigValue = instance.configValues.currency;
 */
export type ConfigValue = string | number | boolean | string[] | KeyValuePair[] | ScheduleValue | ConnectionState | null;

/**
 * Mirrors `ConfigValues` (config-vars.ts).
 *
 * @example
 * const saved: ConfigValues = instance.configValues;
 */
export type ConfigValues = Record<string, ConfigValue>;

/**
 * Mirrors `ConfigValuesInput` (config-vars.ts): one page's values as sent; `null` clears a value.
 *
 * @example
 * await client.saveConfigPage(id, "payments", { currency: "eur", threshold: null } satisfies ConfigValuesInput);
 */
export type ConfigValuesInput = Record<string, ConfigValueInput>;

/**
 * Mirrors `InstanceStatus` (api.ts).
 *
 * @example
 * const running = instance.status == "deployed";
 */
export type InstanceStatus = "draft" | "deploying" | "deployed" | "paused";

/**
 * Mirrors `InstanceFlow` (api.ts).
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
}

/**
 * Mirrors `Instance` (api.ts).
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
  /** Config pages saved so far, in order. */
  completedPages: string[];
  flows: InstanceFlow[];
  createdAt: string;
  updatedAt: string;
  deployedAt?: string;
}

/**
 * Mirrors `ExecutionStatus` (api.ts).
 *
 * @example
 * const failed = executions.filter((x) => x.status == "failed");
 */
export type ExecutionStatus = "running" | "succeeded" | "failed";

/**
 * Mirrors `LogLine` (api.ts).
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

/**
 * Mirrors `Execution` (api.ts).
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
}

/**
 * Mirrors `DeployResponse` (api.ts).
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
 * Mirrors `DeleteInstanceResponse` (api.ts).
 *
 * @example
 * const { executions } = await client.deleteInstance(instanceId);
 */
export interface DeleteInstanceResponse {
  instanceId: string;
  /** Executions of the removal-trigger flows; a failed one does not block the removal. */
  executions: Execution[];
}
