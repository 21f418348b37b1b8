/**
 * Config values as the wizard or the host sends them (and the value shapes they are built
 * from). Split from config-vars.ts, which re-exports all of it, so that code needing only
 * values (the frame validating FrameInit) does not bundle the config variable definitions.
 */
import * as z from "zod/mini";
import { text } from "./text.ts";
import type { ScheduleValue, KeyValuePair, MaskedSecret, ConnectionInput, ConfigValueInput } from "./api-types.ts";


export const scheduleValue = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("none") }),
  z.object({
    kind: z.literal("interval"),
    every: z.int().check(z.gte(1), z.lte(1440)),
    unit: z.enum(["minutes", "hours"]),
    timeZone: z.optional(text(64)),
  }),
  z.object({
    kind: z.literal("daily"),
    time: z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/)),
    timeZone: text(64),
  }),
  z.object({
    kind: z.literal("weekly"),
    day: z.int().check(z.gte(0), z.lte(6)),
    time: z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/)),
    timeZone: text(64),
  }),
  z.object({ kind: z.literal("cron"), expression: text(200), timeZone: text(64) }),
]) satisfies z.ZodMiniType<ScheduleValue>;

export const keyValuePair = z.object({ key: text(500), value: text(5000) }) satisfies z.ZodMiniType<KeyValuePair>;

/**
 * A secret as the platform returns it: never the value, only whether one is stored.
 */
export const maskedSecret = z.object({ secret: z.literal("set") }) satisfies z.ZodMiniType<MaskedSecret>;

/**
 * A connection value sent by the wizard: credentials (omitting a secret keeps the stored one, so
 * an unchanged secret is never re-sent), or one of the customer's connections by id.
 */
export const connectionInput = z.union([
  z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("api-key"), apiKey: z.optional(text(4000)) }),
    z.object({ kind: z.literal("basic"), username: text(500), password: z.optional(text(4000)) }),
    /** OAuth tokens are held by the platform; the wizard only references a finished grant. */
    z.object({ kind: z.literal("oauth2"), grantId: text(100) }),
  ]),
  /** One of the customer's connections, reused. */
  z.strictObject({ connectionId: text(100) }),
]) satisfies z.ZodMiniType<ConnectionInput>;

/** A config value as sent by the wizard or the host. */
export const configValueInput = z.union([
  z.string().check(z.maxLength(100000)),
  z.number(),
  z.boolean(),
  z.array(text(5000)).check(z.maxLength(500)),
  z.array(keyValuePair).check(z.maxLength(500)),
  scheduleValue,
  connectionInput,
  z.null(),
]) satisfies z.ZodMiniType<ConfigValueInput>;

export type { ScheduleValue, KeyValuePair, MaskedSecret, ConnectionInput, ConfigValueInput };
