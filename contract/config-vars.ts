/**
 * Config variables: what an integration asks its customer for, and the values the customer
 * gives. Definitions come from the catalog; values are sent by the wizard page by page.
 */
import * as z from "zod/mini";
import type { ConfigVarDefinition, ConfigPage, ConnectionState, ConfigValue, ConfigValuesInput, ConfigValues } from "./api-types.ts";
import { configValueInput, keyValuePair, maskedSecret, scheduleValue } from "./config-values.ts";

// The values half lives in config-values.ts so the frame's first route (which validates host
// pre-filled values in FrameInit) does not carry the field definitions; re-exported here.
export * from "./config-values.ts";

const key = z.string().check(z.regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/));
const text = (max: number) => z.string().check(z.maxLength(max));

const base = {
  key,
  label: text(200),
  description: z.optional(text(2000)),
  required: z.optional(z.boolean()),
};

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
    options: z.array(z.object({ value: text(200), label: text(200) })).check(z.minLength(1)),
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

export const configPage = z.object({
  name: key,
  title: text(200),
  description: z.optional(text(2000)),
  fields: z.array(configVarDefinition),
}) satisfies z.ZodMiniType<ConfigPage>;

/** A connection value as the platform returns it: secrets masked. */
export const connectionState = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("api-key"), apiKey: z.optional(maskedSecret) }),
  z.object({ kind: z.literal("basic"), username: text(500), password: z.optional(maskedSecret) }),
  z.object({
    kind: z.literal("oauth2"),
    status: z.enum(["active", "pending", "error"]),
    account: z.optional(text(200)),
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

export type { ConfigVarDefinition, ConfigPage, ConnectionState, ConfigValue, ConfigValuesInput, ConfigValues };
