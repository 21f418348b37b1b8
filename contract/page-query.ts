/**
 * The one page grammar of every list the API pages (an instance's executions, the logs, the
 * alerts, the organization's instances): `limit`, 1 to that list's most, and `cursor`, the
 * `nextCursor` of the previous page, opaque text. Each list keeps its own page sizes.
 */
import * as z from "zod/mini";
import { text } from "./text.ts";

/** Longest cursor a client may send back (the platform's cursors are far shorter). */
export const CURSOR_MAX_LENGTH = 500;

/**
 * The `limit` and `cursor` fields of a list's query, for a list of at most `maxLimit` per page.
 * Marked free of side effects so a bundle that never reads a list's query (the headless client)
 * drops the call with the schema.
 */
export const pageQuery = /* @__NO_SIDE_EFFECTS__ */ (maxLimit: number) => ({
  /** Page size, 1 to `maxLimit`. */
  limit: z.optional(z.int().check(z.gte(1), z.lte(maxLimit))),
  /** Opaque: `nextCursor` of the previous page, with the same filters. */
  cursor: z.optional(text(CURSOR_MAX_LENGTH)),
});
