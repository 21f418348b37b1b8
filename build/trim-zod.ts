/**
 * Build-time trimming of zod 4's texts for states the frame cannot reach, in the frame's first
 * route (every byte there counts against its 30 kB budget). Only the text of errors thrown for
 * programming mistakes changes, and an issue `note` the frame never shows (it words every problem
 * itself): no schema accepts or rejects anything differently. Every rewrite must find its target
 * or the build fails (zod is pinned exactly in package.json).
 */
import { rewritePackage, type Rewrite } from "./rewrite-package.ts";

const zodRewrites: Rewrite[] = [
  // Every schema of the frame is synchronous; a Promise met while parsing is a bug in a schema.
  ["core/core.js", /super\(`Encountered Promise during synchronous parse\. Use \.parseAsync\(\) instead\.`\);/, 'super("async parse");'],
  ["core/schemas.js", /throw new Error\("Async schemas not supported in object keys currently"\);/g, 'throw new Error("async key");'],
  ["mini/schemas.js", /throw new Error\("Uninitialized schema in ZodMiniType\."\);/, 'throw new Error("uninitialized");'],
  ["core/checks.js", /note: "Integers must be within the safe integer range\.",/g, 'note: "safe integer",'],
];

/** Vite/rolldown plugin applying the rewrites above to zod's modules (builds only). */
export const trimZod = () => rewritePackage("trim-zod", "zod", "v4", zodRewrites, "build");
