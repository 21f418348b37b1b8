/**
 * Builds the host SDK (`npm run build:sdk`):
 *   dist/sdk/emporium.js        ESM, minified, penpal bundled
 *   dist/sdk/emporium.iife.js   IIFE for <script> tags, global `Emporium`, minified
 *   dist/sdk/headless.js        ESM, minified, ky and the zod/mini schemas bundled
 *   dist/sdk/types/sdk/index.d.ts, headless/index.d.ts (+ the declarations they import, nothing else)
 *
 * Uses vite's JS API with `configFile: false`: marketplace-frame/vite.config.ts builds the frame.
 * Declarations come from tsc (sdk/tsconfig.build.json), then are pruned to what index.d.ts
 * reaches and checked: every import must be relative and stay inside dist/sdk/types, so the
 * published types need no zod (or anything else) installed.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { build } from "vite";
import { inlineCodes } from "./inline-codes.ts";
import { trimKy } from "./trim-ky.ts";
import { trimPenpal } from "./trim-penpal.ts";
import { trimZod } from "./trim-zod.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(root, "dist/sdk");
const typesDir = join(outDir, "types");

/**
 * Entries: name → source. `headless` (`emporium/headless`, the client for custom UIs) is ESM
 * only: it is for bundlers and `<script type="module">`, and must never grow the embed.
 */
const entries: { name: string; source: string; global?: string }[] = [
  { name: "emporium", source: "sdk/index.ts", global: "Emporium" },
  { name: "headless", source: "sdk/headless/index.ts" },
];

/**
 * Framework entries, ESM only, each built on top of the core: `sdk/index.ts` stays an import of
 * `./emporium.js` (never a second copy), and React is a peer dependency. So each file's size is
 * what the entry costs on top of the SDK (the size-limit budgets in package.json).
 */
const hostEntries: { name: string; source: string; topLevelNames?: boolean }[] = [
  { name: "react", source: "sdk/react.ts" },
  { name: "element", source: "sdk/element.ts" },
  // `topLevelNames`: its module scope is mostly its 26 exports, and a mangled name is written
  // twice more (`e as init` in the export list, `init:e` in the default object); kept as written,
  // both are shorthand (`init`): 1,970 → 1,914 B brotli. Names in a module scope are private to
  // it, mangled or not. For react (+13 B) and element (-2 B) mangling stays.
  { name: "prismatic", source: "sdk/prismatic.ts", topLevelNames: true },
];
const core = join(root, "sdk/index.ts");

/**
 * Modules only a lazy part of the headless client uses, which the entry reaches statically only
 * through re-exports (contract/api.ts, contract/errors.ts) and tree-shakes away: they go to the
 * lazy chunk that uses them, not into the entry.
 */
const lazyOnly = /[\\/]contract[\\/](api-connections|connection-paths|oauth-errors)\.ts$/;
/**
 * The headless client's instance functions (client/instances-api.ts, loaded on their first call)
 * and the schemas only they and the lazy parts check (contract/api.ts and what it builds from):
 * ~450 zod schemas the entry no longer builds when a page imports it.
 */
const instancesChunk = /[\\/](client[\\/]instances-api|contract[\\/](api|config-vars|config-values|flow-trigger|page-query))\.ts$/;

rmSync(outDir, { recursive: true, force: true });


for (const entry of entries) {
  const formats = entry.global ? (["es", "iife"] as const) : (["es"] as const);
  for (const format of formats) {
    await build({
      configFile: false,
      root,
      logLevel: "warn",
      // The headless entry bundles the client core the frame bundles, trimmed the same way, and
      // its code only ever calls `safeParse` (the embed has no zod at all). The embed's one
      // `connect` passes no timeout (it runs its own handshake timer): trim-penpal's ownTimer;
      // and the frame leads every handshake: its follower.
      plugins: [trimPenpal({ ownTimer: true, plainErrors: true, follower: true }), trimKy(), trimZod({ safeParseOnly: true }), inlineCodes()],
      build: {
        outDir,
        emptyOutDir: false,
        target: "es2022",
        sourcemap: false,
        lib: {
          entry: join(root, entry.source),
          name: entry.global,
          formats: [format],
          fileName: () => `${entry.name}${format == "es" ? "" : ".iife"}.js`,
        },
        // Annotations (`/* @__PURE__ */`) inside a minified, self-contained bundle only cost bytes.
        // A lazy part of an entry (the headless client's activity, runs and connection functions)
        // is `<entry>-<module>.js`, and the code it shares with the entry stays in the entry (which
        // may export a few more internal names for it) instead of a third file: the entry's size
        // is all it loads first. rolldown's automatic chunking alone split zod and the contract
        // into a third, shared ~9.5 kB chunk the entry imported up front once a second lazy part
        // used them; the group below pins every module the entry reaches statically to the entry
        // (`$initial`), except `lazyOnly`, and the check after the builds fails on a third file.
        rolldownOptions: {
          // The embed takes the popup's numbers and their message from the contract's constants
          // (contract/oauth-popup.ts): rolldown's default ("smart") inlines a constant only in a
          // condition and kept the others in variables (IIFE +5 B brotli); "all" writes them in
          // as literals would be (embed byte-identical). Not for the headless entry: +2 B there.
          ...(entry.global && { optimization: { inlineConst: { mode: "all" as const } } }),
          // Building a zod schema has no side effect (nothing registers it, contract/ and client/
          // never call z.config), but rolldown cannot know it and kept a schema a bundle never
          // reads: a lazy chunk carried two request schemas only the platform parses (headless
          // connections chunk 2,636 → 2,608 B brotli with contract/api-connections.ts's
          // `@__NO_SIDE_EFFECTS__` on nonEmpty; headless entry 19,797 → 19,759 B). The embed has no zod.
          ...(!entry.global && { treeshake: { manualPureFunctions: ["z"] } }),
          preserveEntrySignatures: "allow-extension",
          output: {
            minify: true,
            chunkFileNames: `${entry.name}-[name].js`,
            comments: { legal: true, annotation: false, jsdoc: false },
            // An IIFE is one file (rolldown refuses split options there and says so on every build).
            ...(format == "es" && {
              codeSplitting: {
                groups: [
                  { name: entry.name, tags: ["$initial"], includeDependenciesRecursively: false, test: (id: string) => !lazyOnly.test(id) },
                  // The instance functions and the contract's schemas: one lazy chunk, which the
                  // lazy parts that check a schema of it (activity, connections, a page's validation)
                  // import too, instead of rolldown's four small shared files.
                  { name: "instances", test: (id: string) => instancesChunk.test(id) },
                ],
              },
            }),
          },
        },
      },
    });
  }
}

for (const entry of hostEntries) {
  await build({
    configFile: false,
    root,
    logLevel: "warn",
    build: {
      outDir,
      emptyOutDir: false,
      target: "es2022",
      sourcemap: false,
      lib: { entry: join(root, entry.source), formats: ["es"], fileName: () => `${entry.name}.js` },
      rolldownOptions: {
        external: (id) => id == core || id == "./index.ts" || id == "react",
        output: {
          paths: (id) => (id == core || id == "./index.ts" ? "./emporium.js" : id),
          minify: entry.topLevelNames ? { compress: true, mangle: { toplevel: false }, codegen: true } : true,
          comments: { legal: true, annotation: false, jsdoc: false },
        },
      },
    },
  });
}

// A lazy part must never become code the entry loads up front: the entry imports no file statically.
for (const entry of entries) {
  const text = readFileSync(join(outDir, `${entry.name}.js`), "utf8");
  const staticImport = /(?:^|[;}])\s*import\s*(?:[\w${}\s,*]+from\s*)?["']\.\/[^"']+["']/.exec(text);
  if (staticImport) {
    console.error(`dist/sdk/${entry.name}.js loads another file up front (${staticImport[0].trim()}): keep what it needs in the entry`);
    process.exit(1);
  }
}

// ---- declarations ----
execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "sdk/tsconfig.build.json")], {
  stdio: "inherit",
});

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
const specifiers = /(?:from|import)\s*\(?\s*"([^"]+)"/g;
const reached = new Set<string>();
const problems: string[] = [];
const visit = (file: string) => {
  if (reached.has(file)) return;
  reached.add(file);
  // Relative `.ts` specifiers become `.js`, which every moduleResolution maps to the `.d.ts`.
  const text = readFileSync(file, "utf8").replace(specifiers, (match, spec: string) =>
    spec.startsWith(".") ? match.replace(spec, spec.replace(/\.ts$/, ".js")) : match,
  );
  writeFileSync(file, text);
  // Examples in JSDoc mention `from "emporium"`: only code counts.
  for (const [, spec] of text.replace(/\/\*[\s\S]*?\*\//g, "").matchAll(specifiers)) {
    // A framework entry's types name its framework, a peer dependency the host has installed.
    if (spec == "react" && file.endsWith("/sdk/react.d.ts")) continue;
    if (!spec.startsWith(".")) {
      problems.push(`${relative(root, file)} imports the package "${spec}"`);
      continue;
    }
    const target = resolve(dirname(file), spec.replace(/\.js$/, ".d.ts"));
    if (!target.startsWith(typesDir + "/") || !existsSync(target)) problems.push(`${relative(root, file)} imports ${spec} outside dist/sdk/types`);
    else visit(target);
  }
};
for (const entry of [...entries, ...hostEntries]) visit(join(typesDir, entry.source.replace(/\.ts$/, ".d.ts")));
for (const file of walk(typesDir)) if (!reached.has(file)) rmSync(file);
if (problems.length) {
  console.error(`SDK declarations are not self-contained:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}

// ---- report ----
for (const file of walk(outDir).filter((name) => name.endsWith(".js"))) {
  const bytes = readFileSync(file);
  console.log(
    `${relative(root, file).padEnd(28)} ${bytes.length} B raw, ${gzipSync(bytes, { level: 9 }).length} B gzip, ${brotliCompressSync(bytes).length} B brotli`,
  );
}
console.log(`declarations: ${[...reached].map((file) => relative(typesDir, file)).join(", ")}`);
