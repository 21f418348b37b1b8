/**
 * Bounded text: a string of at most `max` characters, the contract's one way to cap a string.
 * Marked free of side effects, so a bundle drops the schemas it never reads (the headless
 * client reads few of the platform's).
 */
import * as z from "zod/mini";

export const text = /* @__NO_SIDE_EFFECTS__ */ (max: number) => z.string().check(z.maxLength(max));
