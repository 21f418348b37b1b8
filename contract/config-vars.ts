/**
 * Config variables: what an integration asks its customer for, and the values the customer
 * gives. Definitions come from the catalog; values are sent by the wizard page by page.
 */
import * as z from "zod/mini";
import { text } from "./text.ts";
import type {
  ConfigVarDefinition,
  ConfigPage,
  ConnectionState,
  ConfigValue,
  ConfigValuesInput,
  ConfigValues,
  DataSourceDefinition,
  DisplayElement,
} from "./api-types.ts";
import { isCondition, type Condition } from "./conditions.ts";
import { configValueInput, keyValuePair, maskedSecret, scheduleValue } from "./config-values.ts";

// The values half lives in config-values.ts so the frame's first route (which validates host
// pre-filled values in FrameInit) does not carry the field definitions; re-exported here.
export * from "./config-values.ts";

const key = z.string().check(z.regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/));

/**
 * A condition on earlier fields' values: `{ field, equals }`, `{ field, oneOf }`, `{ field, isSet }`,
 * `{ all: [...] }`, `{ any: [...] }` or `{ not }`, nested at most 8 deep (conditions.ts has the
 * evaluator, the semantics and this check).
 */
export const condition = z
  .unknown()
  .check(z.refine((v) => isCondition(v), "Expected a condition: { field, equals | oneOf | isSet }, { all: [...] }, { any: [...] } or { not: ... }")) as unknown as z.ZodMiniType<Condition>;

/** Shown only while `visibleWhen` holds; hidden while `hiddenWhen` holds. */
const visibility = { visibleWhen: z.optional(condition), hiddenWhen: z.optional(condition) };

const base = {
  key,
  label: text(200),
  description: z.optional(text(2000)),
  required: z.optional(z.boolean()),
  ...visibility,
  /** Required while this holds (a hidden or disabled field never is). */
  requiredWhen: z.optional(condition),
  /** Shown but not editable while this holds; the stored value (or the default) is kept. */
  disabledWhen: z.optional(condition),
};

/**
 * Where a picklist's options come from when they live in the customer's own account: the
 * platform calls the app with the connection of field `connection` (on an earlier page), GET
 * `path`, and turns each record of the answer into an option with the `value`, `label` and
 * `description` templates (`{{record.<property>}}`). `path` may read `{{config.<key>}}` of the
 * fields in `dependsOn`; a change to one of them fetches the options again.
 */
export const dataSourceDefinition = z.object({
  connection: key,
  path: text(500),
  dependsOn: z.optional(z.array(key).check(z.maxLength(10))),
  value: text(200),
  label: text(200),
  description: z.optional(text(300)),
}) satisfies z.ZodMiniType<DataSourceDefinition>;

export const connectionKind = z.enum(["api-key", "basic", "oauth2"]);
export type ConnectionKind = z.infer<typeof connectionKind>;

export const configVarDefinition = z.discriminatedUnion("type", [
  z.object({
    ...base,
    type: z.literal("string"),
    default: z.optional(text(10000)),
    placeholder: z.optional(text(200)),
    pattern: z.optional(text(500)),
    patternHint: z.optional(text(200)),
    minLength: z.optional(z.int().check(z.gte(0))),
    maxLength: z.optional(z.int().check(z.gte(1))),
  }),
  z.object({
    ...base,
    type: z.literal("number"),
    default: z.optional(z.number()),
    min: z.optional(z.number()),
    max: z.optional(z.number()),
    step: z.optional(z.number()),
  }),
  z.object({ ...base, type: z.literal("boolean"), default: z.optional(z.boolean()) }),
  z.object({
    ...base,
    type: z.literal("picklist"),
    multiple: z.optional(z.boolean()),
    /** Fixed options; a picklist has these or a `dataSource`, never both. */
    options: z.optional(z.array(z.object({ value: text(200), label: text(200) })).check(z.minLength(1))),
    dataSource: z.optional(dataSourceDefinition),
    default: z.optional(z.union([text(200), z.array(text(200))])),
  }),
  z.object({
    ...base,
    type: z.literal("code"),
    language: z.enum(["json", "xml", "html"]),
    default: z.optional(text(100000)),
  }),
  z.object({ ...base, type: z.literal("date"), default: z.optional(text(10)) }),
  z.object({ ...base, type: z.literal("timestamp"), default: z.optional(text(40)) }),
  z.object({ ...base, type: z.literal("schedule"), default: z.optional(scheduleValue) }),
  z.object({ ...base, type: z.literal("value-list"), default: z.optional(z.array(text(5000))) }),
  z.object({ ...base, type: z.literal("key-value-list"), default: z.optional(z.array(keyValuePair)) }),
  z.object({
    ...base,
    type: z.literal("connection"),
    connection: z.object({
      kind: connectionKind,
      /** Name of the third-party app, shown on the connect button. */
      app: text(100),
      /** For oauth2: the scopes asked for. */
      scopes: z.optional(z.array(text(200))),
    }),
  }),
]) satisfies z.ZodMiniType<ConfigVarDefinition>;
export type ConfigVarType = ConfigVarDefinition["type"];

/** An image asset's name: what a page's image element names, and what the platform serves it as. */
export const assetName = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,62}\.(svg|png)$/));

/**
 * Read-only content of a config page, shown above its fields: helper text (the safe markdown
 * subset), an image the platform serves (`asset` of the integration), the webhook URL of one of
 * the integration's flows, or a key the platform generates for the instance (stored under `key`,
 * readable by flows as `{{config.<key>}}`) that the customer pastes into the third-party app.
 */
export const displayElement = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("markdown"), text: text(5000), ...visibility }),
  z.object({ kind: z.literal("image"), asset: assetName, alt: text(300), ...visibility }),
  z.object({ kind: z.literal("webhook-url"), flow: text(64), label: text(200), description: z.optional(text(2000)), ...visibility }),
  z.object({ kind: z.literal("generated-key"), key, label: text(200), description: z.optional(text(2000)), ...visibility }),
]) satisfies z.ZodMiniType<DisplayElement>;

export const configPage = z.object({
  name: key,
  title: text(200),
  description: z.optional(text(2000)),
  fields: z.array(configVarDefinition),
  content: z.optional(z.array(displayElement).check(z.maxLength(20))),
  ...visibility,
  /** Every field of the page shown but not editable while this holds. */
  disabledWhen: z.optional(condition),
}) satisfies z.ZodMiniType<ConfigPage>;

/** A connection value as the platform returns it: secrets masked; which connection, and its health. */
const binding = {
  connectionId: z.optional(text(100)),
  needsReconnect: z.optional(z.literal(true)),
  providedBy: z.optional(text(200)),
};
export const connectionState = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("api-key"), apiKey: z.optional(maskedSecret), ...binding }),
  z.object({ kind: z.literal("basic"), username: z.optional(text(500)), password: z.optional(maskedSecret), ...binding }),
  z.object({
    kind: z.literal("oauth2"),
    status: z.enum(["active", "pending", "error"]),
    account: z.optional(text(200)),
    ...binding,
  }),
]) satisfies z.ZodMiniType<ConnectionState>;

/** A config value as the platform returns it (connections masked). */
export const configValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.string()),
  z.array(keyValuePair),
  scheduleValue,
  connectionState,
  z.null(),
]) satisfies z.ZodMiniType<ConfigValue>;

export const configValuesInput = z.record(key, configValueInput) satisfies z.ZodMiniType<ConfigValuesInput>;
export const configValues = z.record(z.string(), configValue) satisfies z.ZodMiniType<ConfigValues>;

export type { ConfigVarDefinition, ConfigPage, ConnectionState, ConfigValue, ConfigValuesInput, ConfigValues, DataSourceDefinition, DisplayElement };
