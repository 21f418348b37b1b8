/**
 * The import graph of the repository's own code, read with TypeScript's parser (so an import in a
 * comment or a string, such as a JSDoc example's `from "emporium"`, is not one), for
 * architecture.test.ts. Test code is left out: tests may reach anywhere.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, extname, join, relative, sep } from "node:path";
import ts from "typescript";

/** One import or re-export. `to` is a repo-relative path (`sdk/index.ts`) or `package:<name>`. */
export interface ImportEdge {
  to: string;
  specifier: string;
  /** Erased when compiled: `import type`, `export type`, `import { type A }`, `typeof import(…)`. */
  typeOnly: boolean;
}

/** Repo-relative path (with `/`) → what it imports. */
export type ImportGraph = Map<string, ImportEdge[]>;

/** Where our code lives; everything else at the top (config files aside) is not code. */
export const SOURCE_ROOTS = ["contract", "client", "sdk", "marketplace-frame", "mock-server", "examples", "build", "scripts", "bench"];
const CODE = /\.(ts|tsx|mts|js|mjs|jsx)$/;
const SKIPPED_DIRS = new Set(["node_modules", "dist", "test", "testing", "tests", ".data"]);
const isTestFile = (name: string) => /\.(test|check)\.(ts|tsx)$/.test(name) || name.endsWith(".d.ts");

/** The package's own names (`emporium`, `emporium/headless`) → files, from tsconfig.json's `paths`. */
export function selfNames(root: string): Record<string, string> {
  const { config, error } = ts.readConfigFile(join(root, "tsconfig.json"), ts.sys.readFile);
  if (error) throw new Error(`tsconfig.json: ${ts.flattenDiagnosticMessageText(error.messageText, "\n")}`);
  const paths: Record<string, string[]> = config.compilerOptions?.paths ?? {};
  return Object.fromEntries(Object.entries(paths).map(([name, [target]]) => [name, target!.replace(/^\.\//, "")]));
}

/** The package a bare specifier names: `zod/mini` → `zod`, `@preact/signals` → `@preact/signals`. */
export function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/** The imports of one file's text (no resolution). */
export function readImports(fileName: string, text: string): { specifier: string; typeOnly: boolean }[] {
  const kind = fileName.endsWith(".tsx") || fileName.endsWith(".jsx") ? ts.ScriptKind.TSX : /\.m?js$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, kind);
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      // `import { type A } from "x"` (no default, no namespace, every name a type) compiles to
      // nothing a bundler keeps: every module here is side-effect free (package.json).
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)) });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      found.push({ specifier: node.moduleReference.expression.text, typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      // A computed `import(url)` (a URL chosen at run time) names no file of ours.
      if (argument && ts.isStringLiteralLike(argument)) found.push({ specifier: argument.text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The repo-relative file a specifier names, `package:<name>`, or undefined for a URL or asset. */
export function resolveImport(root: string, from: string, specifier: string, self = selfNames(root)): string | undefined {
  const bare = specifier.split("?")[0]!;
  if (Object.hasOwn(self, bare)) return self[bare];
  if (bare.startsWith("node:") || builtinModules.includes(bare)) return `package:node:${bare.replace(/^node:/, "")}`;
  // An absolute path or URL is a page's request to its server (examples load /sdk/emporium.js).
  if (bare.startsWith("/") || /^[a-z]+:/i.test(bare)) return undefined;
  if (!bare.startsWith(".")) return `package:${packageName(bare)}`;
  const target = join(root, dirname(from), bare);
  const candidates = [target, target.replace(/\.js$/, ".ts"), target.replace(/\.js$/, ".tsx"), `${target}.ts`, `${target}.tsx`, join(target, "index.ts")];
  const file = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  if (!file) throw new Error(`${from}: cannot resolve "${specifier}"`);
  // Styles, JSON and HTML are assets, not modules with imports of their own.
  return CODE.test(file) ? relative(root, file).split(sep).join("/") : undefined;
}

function sourceFiles(root: string, dir: string): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : sourceFiles(root, path);
    return CODE.test(entry.name) && !isTestFile(entry.name) ? [path] : [];
  });
}

/** Reads every non-test source file under SOURCE_ROOTS and the root's config files. */
export function readImportGraph(root: string): ImportGraph {
  const topLevel = readdirSync(root).filter((name) => CODE.test(name) && !isTestFile(name));
  const files = [...topLevel, ...SOURCE_ROOTS.flatMap((dir) => sourceFiles(root, dir))];
  const self = selfNames(root);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const edges: ImportEdge[] = [];
    for (const { specifier, typeOnly } of readImports(file, readFileSync(join(root, file), "utf8"))) {
      const to = resolveImport(root, file, specifier, self);
      if (to !== undefined) edges.push({ to, specifier, typeOnly });
    }
    graph.set(file, edges);
  }
  return graph;
}

/** Every file (or package) reachable from `entry` through imports that survive compiling. */
export function runtimeClosure(graph: ImportGraph, entry: string): Set<string> {
  const reached = new Set<string>();
  const visit = (node: string) => {
    if (reached.has(node)) return;
    reached.add(node);
    for (const edge of graph.get(node) ?? []) if (!edge.typeOnly) visit(edge.to);
  };
  visit(entry);
  return reached;
}

/** The import cycles (strongly connected components of more than one file, or a file importing itself), each as its files. */
export function importCycles(graph: ImportGraph): string[][] {
  // Tarjan's algorithm, iterative over a plain adjacency list (packages are leaves).
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;
  const targets = (file: string) => [...new Set((graph.get(file) ?? []).map((e) => e.to).filter((to) => graph.has(to)))];
  const connect = (start: string) => {
    const work: { file: string; edges: string[]; i: number }[] = [{ file: start, edges: targets(start), i: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1]!;
      if (frame.i < frame.edges.length) {
        const to = frame.edges[frame.i++]!;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ file: to, edges: targets(to), i: 0 });
        } else if (onStack.has(to)) low.set(frame.file, Math.min(low.get(frame.file)!, index.get(to)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.file, Math.min(low.get(parent.file)!, low.get(frame.file)!));
      if (low.get(frame.file) === index.get(frame.file)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.file);
        const selfImport = (graph.get(frame.file) ?? []).some((e) => e.to === frame.file);
        if (component.length > 1 || selfImport) cycles.push(component.sort());
      }
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) connect(file);
  return cycles;
}
