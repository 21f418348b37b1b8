/**
 * The architecture, as rules on the import graph of non-test code (ARCHITECTURE.md): imports run
 * one way — contract → client → sdk / marketplace-frame; contract → mock-server; examples, tasks
 * and build tooling on top — with no cycle anywhere, and the 4 kB embed entry free of the
 * client, zod and ky. Each rule is also run on a small tree that breaks it, so none can pass by
 * checking nothing. Runs in the unit project (Node, no build needed).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importCycles, readImportGraph, readImports, resolveImport, runtimeClosure, selfNames, type ImportEdge, type ImportGraph } from "./import-graph.ts";

const root = join(import.meta.dirname, "../..");

const under = (file: string, ...dirs: string[]) => dirs.some((dir) => file.startsWith(`${dir}/`));
const isOurs = (to: string) => !to.startsWith("package:");
/** Code that ships in the product, as opposed to what sits on top of it (apps, tasks, tooling, build configs). */
const isProduct = (file: string) => under(file, "contract", "client", "sdk", "mock-server", "marketplace-frame/src");
/** Code that runs in a browser, where the full zod entry costs ~90 kB gzip. */
const isBrowserCode = (file: string) => under(file, "contract", "client", "sdk", "marketplace-frame/src");

/** Every import from a file `from` accepts to a target `to` accepts, as "file → target". */
function forbidden(graph: ImportGraph, from: (file: string) => boolean, to: (edge: ImportEdge, file: string) => boolean): string[] {
  return [...graph].flatMap(([file, edges]) => (from(file) ? edges.filter((edge) => to(edge, file)).map((edge) => `${file} → ${edge.to}`) : []));
}

interface Rule {
  name: string;
  check(graph: ImportGraph): string[];
  /** A tree that breaks the rule: file → the files (or `package:x`) it imports; `type:` marks a type-only import. */
  broken: Record<string, string[]>;
}

/** The files behind the package's names (tsconfig.json `paths`): `emporium` is the 4 kB embed entry. */
const self = selfNames(root);
const EMBED_ENTRY = self["emporium"]!;
/** Every entry that embeds the frame (`emporium`, and those on top of it such as `emporium/react`): all but the headless client. */
const EMBED_ENTRIES = Object.entries(self).filter(([name]) => name !== "emporium/headless").map(([, file]) => file);

const rules: Rule[] = [
  {
    name: "no import cycle in non-test code (type-only imports count: a circle of types still welds two modules into one)",
    check: (graph) => importCycles(graph).map((cycle) => cycle.join(" ⇄ ")),
    broken: { "mock-server/a.ts": ["type:mock-server/b.ts"], "mock-server/b.ts": ["mock-server/a.ts"] },
  },
  {
    name: "contract/ is the ground floor: it imports nothing of ours outside contract/",
    check: (graph) => forbidden(graph, (file) => under(file, "contract"), (edge) => isOurs(edge.to) && !under(edge.to, "contract")),
    broken: { "contract/a.ts": ["type:sdk/types.ts"], "sdk/types.ts": [] },
  },
  {
    name: "client/ imports only contract/ (of ours)",
    check: (graph) => forbidden(graph, (file) => under(file, "client"), (edge) => isOurs(edge.to) && !under(edge.to, "contract", "client")),
    broken: { "client/call.ts": ["marketplace-frame/src/token.ts"], "marketplace-frame/src/token.ts": [] },
  },
  {
    name: "marketplace-frame/ and sdk/ never import mock-server/",
    check: (graph) => forbidden(graph, (file) => under(file, "marketplace-frame", "sdk"), (edge) => under(edge.to, "mock-server")),
    broken: { "marketplace-frame/src/main.tsx": ["mock-server/browser.ts"], "mock-server/browser.ts": [] },
  },
  {
    name: `the embed entries (${EMBED_ENTRIES.join(", ")}) reach no zod, no ky and no client/ file at run time (types only)`,
    check: (graph) =>
      EMBED_ENTRIES.flatMap((entry) =>
        [...runtimeClosure(graph, entry)].filter((node) => node === "package:zod" || node === "package:ky" || under(node, "client")).map((node) => `${entry} ⇢ ${node}`),
      ),
    broken: { [EMBED_ENTRY]: ["type:contract/api.ts", "sdk/options.ts"], "sdk/options.ts": ["contract/validate.ts"], "contract/validate.ts": ["package:zod"], "contract/api.ts": [] },
  },
  {
    name: "mock-server/ imports nothing from marketplace-frame/, sdk/ or client/",
    check: (graph) => forbidden(graph, (file) => under(file, "mock-server"), (edge) => under(edge.to, "marketplace-frame", "sdk", "client")),
    broken: { "mock-server/handlers.ts": ["type:client/error.ts"], "client/error.ts": [] },
  },
  {
    name: "sdk/ and marketplace-frame/ meet only over the channel (contract/): neither imports the other",
    check: (graph) => [
      ...forbidden(graph, (file) => under(file, "sdk"), (edge) => under(edge.to, "marketplace-frame")),
      ...forbidden(graph, (file) => under(file, "marketplace-frame"), (edge) => under(edge.to, "sdk")),
    ],
    broken: { "sdk/headless.ts": ["marketplace-frame/src/api.ts"], "marketplace-frame/src/api.ts": [] },
  },
  {
    name: "examples/, scripts/ (tasks), build/ (tooling) and bench/ sit on top: the product never imports them",
    check: (graph) => forbidden(graph, isProduct, (edge) => under(edge.to, "examples", "scripts", "build", "bench", "tests")),
    broken: { "mock-server/http-server.ts": ["scripts/seed-demo.ts"], "scripts/seed-demo.ts": [] },
  },
  {
    name: "browser code (contract/, client/, sdk/, marketplace-frame/src/) imports zod only as zod/mini",
    check: (graph) => forbidden(graph, isBrowserCode, (edge) => edge.to === "package:zod" && !edge.typeOnly && !/^zod(\/v4)?\/mini$/.test(edge.specifier)),
    broken: { "contract/api.ts": ["package:zod"] },
  },
];

/** A graph from the compact form of Rule.broken. */
function graphOf(tree: Record<string, string[]>): ImportGraph {
  return new Map(
    Object.entries(tree).map(([file, targets]) => [
      file,
      targets.map((target) => {
        const to = target.replace(/^type:/, "");
        return { to, specifier: to.startsWith("package:") ? to.slice("package:".length) : `./${to}`, typeOnly: target.startsWith("type:") };
      }),
    ]),
  );
}

describe("architecture of the repository's code", () => {
  const graph = readImportGraph(root);

  it("reads the whole tree: every room's entry, resolved through to its packages", () => {
    expect(EMBED_ENTRY).toBe("sdk/index.ts");
    expect(Object.keys(self)).toContain("emporium/headless");
    for (const entry of ["contract/index.ts", ...Object.values(self), "marketplace-frame/src/main.tsx", "mock-server/index.ts", "scripts/start.ts"]) {
      expect(graph.has(entry), entry).toBe(true);
    }
    expect(graph.size).toBeGreaterThan(100);
    expect([...graph.keys()].filter((file) => /\.test\.|(^|\/)(tests?|testing)\//.test(file))).toEqual([]);
    const frame = runtimeClosure(graph, "marketplace-frame/src/main.tsx");
    expect(frame.has("package:preact")).toBe(true);
    expect(frame.has("package:zod")).toBe(true);
    expect(runtimeClosure(graph, EMBED_ENTRY).has("package:penpal")).toBe(true);
  });

  it.each(rules.map((rule) => [rule.name, rule] as const))("%s", (_name, rule) => {
    expect(rule.check(graph)).toEqual([]);
  });
});

describe("each architecture rule fails on a tree that breaks it", () => {
  it.each(rules.map((rule) => [rule.name, rule] as const))("%s", (_name, rule) => {
    expect(rule.check(graphOf(rule.broken))).not.toEqual([]);
  });
});

describe("import graph reader", () => {
  it("tells imports that survive compiling from type-only ones, and ignores comments and strings", () => {
    const text = [
      'import type { A } from "a";',
      'import { type B } from "b";',
      'import { type C, D } from "c";',
      'import E from "e";',
      'export type { F } from "f";',
      'export { G } from "g";',
      'let h: typeof import("h");',
      'void import("i");',
      '/** import x from "j" */',
      'const s = "import k from \'k\'";',
    ].join("\n");
    expect(readImports("x.ts", text)).toEqual([
      { specifier: "a", typeOnly: true },
      { specifier: "b", typeOnly: true },
      { specifier: "c", typeOnly: false },
      { specifier: "e", typeOnly: false },
      { specifier: "f", typeOnly: true },
      { specifier: "g", typeOnly: false },
      { specifier: "h", typeOnly: true },
      { specifier: "i", typeOnly: false },
    ]);
  });

  it("resolves the package's own names, packages, builtins, files and assets", () => {
    expect(resolveImport(root, "examples/react-host/src/app.tsx", "emporium")).toBe("sdk/index.ts");
    expect(resolveImport(root, "sdk/index.ts", "zod/mini")).toBe("package:zod");
    expect(resolveImport(root, "marketplace-frame/src/main.tsx", "@preact/signals")).toBe("package:@preact/signals");
    expect(resolveImport(root, "scripts/start.ts", "node:fs")).toBe("package:node:fs");
    expect(resolveImport(root, "scripts/start.ts", "../mock-server/index.ts")).toBe("mock-server/index.ts");
    expect(resolveImport(root, "examples/static-demo/main.ts", "./static.css")).toBeUndefined();
    expect(() => resolveImport(root, "sdk/index.ts", "./no-such-file.ts")).toThrow('sdk/index.ts: cannot resolve "./no-such-file.ts"');
  });

  it("finds cycles, including one through a self-import, and none in a tree", () => {
    expect(importCycles(graphOf({ a: ["b"], b: ["c"], c: ["a"], d: ["a"] }))).toEqual([["a", "b", "c"]]);
    expect(importCycles(graphOf({ a: ["a"] }))).toEqual([["a"]]);
    expect(importCycles(graphOf({ a: ["b", "c"], b: ["c"], c: ["package:zod"] }))).toEqual([]);
  });
});
