/**
 * The organization's bulk replay (`POST /org/replays`): run again, with their original payloads,
 * the executions that match a filter — after an outage of the customer's app, say, every failed
 * run of one flow in the last hour. A dry run lists what would run and what would be skipped and
 * why; a real run needs an `Idempotency-Key`, so a retry after a lost answer replays nothing twice.
 * Runs are replayed oldest first, one after another, each exactly as a customer's own replay.
 */
import * as z from "zod/mini";
import { executionStatus } from "./api.ts";
import { orgCustomerRef } from "./org-api.ts";

/** Most executions one bulk replay takes (`limit`); more matching ones are counted, not run. */
export const ORG_BULK_REPLAY_MAX = 500;
export const ORG_BULK_REPLAY_DEFAULT = 100;

const text = (max: number) => z.string().check(z.maxLength(max));
/** An ISO 8601 time with a zone (`2026-12-06T09:00:00Z`). */
const instant = z.string().check(z.refine((v) => /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(v) && !Number.isNaN(Date.parse(v)), "an ISO 8601 time with a zone, e.g. 2026-12-06T09:00:00Z"));

export const orgBulkReplayRequest = z.object({
  /** Only this instance's executions. */
  instance: z.optional(text(64)),
  /** Only this flow's (flow id). */
  flow: z.optional(text(64)),
  /** Only executions that ended so (`running` ones are never replayed). */
  status: z.optional(executionStatus),
  /** Only this customer's (platform customer id). */
  customer: z.optional(text(64)),
  /** Started at or after this time. */
  from: z.optional(instant),
  /** Started before this time. */
  to: z.optional(instant),
  /** At most this many matching executions, the oldest first (default 100, at most 500). */
  limit: z.optional(z.int().check(z.gte(1), z.lte(ORG_BULK_REPLAY_MAX))),
  dryRun: z.optional(z.boolean()),
});
export type OrgBulkReplayRequest = z.infer<typeof orgBulkReplayRequest>;

export const orgBulkReplayOutcome = z.enum(["replayed", "would-replay", "skipped", "failed"]);
export type OrgBulkReplayOutcome = z.infer<typeof orgBulkReplayOutcome>;

export const orgBulkReplayItem = z.object({
  execution: z.object({ id: z.string(), instanceId: z.string(), flowId: z.string(), status: executionStatus, startedAt: z.string() }),
  instance: z.object({ id: z.string(), name: z.string(), status: z.string(), customer: orgCustomerRef }),
  outcome: orgBulkReplayOutcome,
  /** Why it was skipped or failed, in plain words. */
  reason: z.optional(z.string()),
  /** The new run (`replayed`): its id and how it ended. */
  replay: z.optional(z.object({ id: z.string(), status: executionStatus })),
});
export type OrgBulkReplayItem = z.infer<typeof orgBulkReplayItem>;

export const orgBulkReplayResult = z.object({
  dryRun: z.boolean(),
  /** More executions matched than `limit`: the newer ones were not taken (run again with `from` after the last one). */
  truncated: z.boolean(),
  counts: z.object({ replayed: z.number(), wouldReplay: z.number(), skipped: z.number(), failed: z.number() }),
  items: z.array(orgBulkReplayItem),
});
export type OrgBulkReplayResult = z.infer<typeof orgBulkReplayResult>;
