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

/**
 * For bundles whose code only ever calls `safeParse` (the headless client and the frame: the
 * client core's call loop, and the frame's own checks): every schema's `parse`, `parseAsync` and
 * `safeParseAsync` methods and its Standard Schema surface (`~standard`, what ky's
 * `.json(schema)` would read) go, with the code only they reach: 23,997 → 23,733 B brotli for
 * the headless entry, 29.82 → 29.52 kB for the frame's first route. So does the "backward"
 * (encode) pass of every schema's run, which only `z.encode`/`z.decode` and codecs enter, and
 * these bundles use none: headless 23,985 → 23,857 B. The `z.safeParse(schema, v)` functions and
 * every schema's checks are untouched. `safeParseOnlyGuard` fails the build when our own code in
 * such a bundle calls one of the removed methods.
 */
const safeParseOnlyRewrites: Rewrite[] = [
  ["mini/schemas.js", /    parse\(data, params\) \{\n.*\n    \},\n    parseAsync\(data, params\) \{\n.*\n    \},\n/, ""],
  ["mini/schemas.js", /    safeParseAsync\(data, params\) \{\n.*\n    \},\n/, ""],
  ["core/schemas.js", /        const handleCanaryResult = \(canary, payload, ctx\) => \{\n[\s\S]*?\n        \};\n/, ""],
  ["core/schemas.js", /            if \(ctx\.direction === "backward"\) \{\n                \/\/ run canary initial pass \(no checks\)\n[\s\S]*?\n                return handleCanaryResult\(canary, payload, ctx\);\n            \}\n/, ""],
  ["core/schemas.js", /    get "~standard"\(\) \{\n.*\n    \},\n    set "~standard"\(value\) \{\n.*\n    \},\n/, ""],
];

/**
 * What the safe-parse-only bundle no longer has, used in our own code: a schema's removed methods
 * (`JSON.parse`, `Date.parse` and `z.parse(...)` are fine), its `~standard`, and the encode
 * direction (codecs, `z.encode`, `z.decode`, …).
 */
const removedMethodCall = /(?<!\b(?:JSON|Date|z))\.(?:parse|parseAsync|safeParseAsync)\(|~standard|\.json\(\s*[^)\s]|\bz\.(?:codec|(?:safe)?(?:en|de)code(?:Async)?)\(/;

const safeParseOnlyGuard = () => ({
  name: "trim-zod-guard",
  apply: "build" as const,
  transform(code: string, id: string) {
    if (id.includes("node_modules") || !/\.tsx?$/.test(id.split("?")[0]!)) return;
    const found = removedMethodCall.exec(code.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ""));
    if (found) throw new Error(`${id}: "${found[0]}" needs a zod method this bundle removes (trim-zod safeParseOnly); use safeParse`);
  },
});

/**
 * Vite/rolldown plugin applying the rewrites above to zod's modules (builds only);
 * `safeParseOnly` for a bundle whose code only calls `safeParse` (see above).
 */
export const trimZod = (options: { safeParseOnly?: boolean } = {}) =>
  options.safeParseOnly
    ? [rewritePackage("trim-zod", "zod", "v4", [...zodRewrites, ...safeParseOnlyRewrites], "build"), safeParseOnlyGuard()]
    : rewritePackage("trim-zod", "zod", "v4", zodRewrites, "build");
