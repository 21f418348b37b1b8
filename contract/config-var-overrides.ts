/**
 * Config variables the host pre-fills (`configureInstance({ configVars })`, `setConfigVars`):
 * each one's value, and whether the customer sees or edits it. Kept apart from protocol.ts so
 * the frame's first route does not bundle the value schemas; the frame checks these where they
 * are used (setConfigVars, the wizard).
 */
import * as z from "zod/mini";
import type { ConfigVarOverride, ConfigVarOverrides } from "./channel-types.ts";
import { configValueInput } from "./config-values.ts";

/** Strict: an unexpected key from the host is a typed error, not silently dropped (C6). */
export const configVarOverride = z.strictObject({
  value: z.optional(configValueInput),
  hidden: z.optional(z.boolean()),
  readOnly: z.optional(z.boolean()),
}) satisfies z.ZodMiniType<ConfigVarOverride>;
export const configVarOverrides = z.record(z.string().check(z.maxLength(64)), configVarOverride) satisfies z.ZodMiniType<ConfigVarOverrides>;

export type { ConfigVarOverride, ConfigVarOverrides };
