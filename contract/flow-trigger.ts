/**
 * What starts a flow. Its own module so the marketplace frame, which reads triggers on instance
 * pages (contract/api.ts), does not evaluate the catalog's flow-step schemas it never uses.
 */
import * as z from "zod/mini";
import { text } from "./text.ts";
import type { FlowTrigger } from "./api-types.ts";
import { scheduleValue } from "./config-vars.ts";


export const flowTrigger = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("webhook") }),
  z.object({
    kind: z.literal("schedule"),
    /** Key of a `schedule` config variable the customer picks; or a fixed `schedule`. */
    configKey: z.optional(text(64)),
    schedule: z.optional(scheduleValue),
  }),
  z.object({ kind: z.literal("deploy") }),
  z.object({ kind: z.literal("removal") }),
]) satisfies z.ZodMiniType<FlowTrigger>;
export type TriggerKind = FlowTrigger["kind"];

export type { FlowTrigger };
