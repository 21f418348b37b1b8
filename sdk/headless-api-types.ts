/**
 * The platform API's shapes as the headless client's public declarations show them. The
 * published `.d.ts` must not import zod (a host should not need zod installed for types), so
 * these are plain TypeScript mirrors of the types inferred from contract/api.ts and
 * contract/config-vars.ts; headless-api-types.check.ts proves at type-check time that each one
 * equals its inferred twin, so they cannot drift.
 */
import type {
  ActivationState,
  ConfigValueInput,
  ConnectionInput,
  KeyValuePair,
  ScheduleValue,
} from "../contract/channel-types.ts";

export type { ActivationState, ConfigValueInput, ConnectionInput, KeyValuePair, ScheduleValue };

/** Mirrors `Role` (api.ts): `admin` can deploy, pause and delete; `viewer` can only look. */
export type Role = "admin" | "viewer";

/** Mirrors `Session` (api.ts). */
export interface Session {
  organization: { id: string; name: string };
  customer: { id: string; externalId: string; name: string };
  user: { id: string; externalId: string; name: string; role: Role };
  /** When the presented token expires (ISO time). */
  expiresAt: string;
}

/** Mirrors `FlowTrigger` (catalog.ts). */
export type FlowTrigger =
  | { kind: "webhook" }
  | { kind: "schedule"; configKey?: string; schedule?: ScheduleValue }
  | { kind: "deploy" }
  | { kind: "removal" };

/** Mirrors `IntegrationSummary` (api.ts): one marketplace card, with this customer's activation. */
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

/** Mirrors `IntegrationListQuery` (api.ts): every filter is optional; they combine with AND. */
export interface IntegrationListQuery {
  /** Free-text search over name, summary, vendor and labels (at most 200 characters). */
  q?: string;
  category?: string;
  label?: string;
  state?: ActivationState;
}

/** Mirrors `IntegrationList` (api.ts). */
export interface IntegrationList {
  integrations: IntegrationSummary[];
  /** Every category of the catalog (for filter chips), not only those in this result. */
  categories: string[];
  labels: string[];
}

/** Mirrors `FlowSummary` (api.ts). */
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

/** Every field type. */
export type ConfigVarType = ConfigVarDefinition["type"];

/** Mirrors `ConfigPage` (config-vars.ts): one wizard page. */
export interface ConfigPage {
  /** Stable page id, used in `saveConfigPage` and in events. */
  name: string;
  title: string;
  description?: string;
  fields: ConfigVarDefinition[];
}

/** Mirrors `IntegrationDetail` (api.ts). */
export interface IntegrationDetail extends IntegrationSummary {
  /** Markdown subset (paragraphs, lists, emphasis, links): render it as text, never as HTML. */
  description: string;
  configPages: ConfigPage[];
  flows: FlowSummary[];
}

/** Mirrors `MaskedSecret` (config-vars.ts): a stored secret is never returned, only that it is set. */
export interface MaskedSecret {
  secret: "set";
}

/** Mirrors `ConnectionState` (config-vars.ts): a stored connection, secrets masked. */
export type ConnectionState =
  | { kind: "api-key"; apiKey?: MaskedSecret }
  | { kind: "basic"; username: string; password?: MaskedSecret }
  | { kind: "oauth2"; status: "active" | "pending" | "error"; account?: string };

/** Mirrors `ConfigValue` (config-vars.ts): a saved value as the platform returns it. */
export type ConfigValue = string | number | boolean | string[] | KeyValuePair[] | ScheduleValue | ConnectionState | null;

/** Mirrors `ConfigValues` (config-vars.ts). */
export type ConfigValues = Record<string, ConfigValue>;

/** Mirrors `ConfigValuesInput` (config-vars.ts): one page's values as sent; `null` clears a value. */
export type ConfigValuesInput = Record<string, ConfigValueInput>;

/** Mirrors `InstanceStatus` (api.ts). */
export type InstanceStatus = "draft" | "deploying" | "deployed" | "paused";

/** Mirrors `InstanceFlow` (api.ts). */
export interface InstanceFlow {
  id: string;
  name: string;
  trigger: FlowTrigger;
  /** Absolute URL for webhook-triggered flows of a deployed instance. */
  webhookUrl?: string;
  /** Next scheduled run (ISO time) for schedule-triggered flows of a running instance. */
  nextRunAt?: string;
}

/** Mirrors `Instance` (api.ts). */
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

/** Mirrors `ExecutionStatus` (api.ts). */
export type ExecutionStatus = "running" | "succeeded" | "failed";

/** Mirrors `LogLine` (api.ts). */
export interface LogLine {
  at: string;
  level: "debug" | "info" | "warn" | "error";
  step?: string;
  message: string;
}

/** Mirrors `Execution` (api.ts). */
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

/** Mirrors `DeployResponse` (api.ts). */
export interface DeployResponse {
  instance: Instance;
  /** Executions of the deploy-trigger flows; a failed one does not undo the deploy. */
  executions: Execution[];
}

/** Mirrors `DeleteInstanceResponse` (api.ts). */
export interface DeleteInstanceResponse {
  instanceId: string;
  /** Executions of the removal-trigger flows; a failed one does not block the removal. */
  executions: Execution[];
}
