/**
 * The docs keep their promises (STYLE.md, Docs): the README is read in minutes and starts with
 * the two commands; every relative link in README.md and docs/ lands on a file and, with a
 * `#fragment`, on a heading; every page in docs/ can be reached from the README; the theme table
 * and the error codes are the contract's; and every `ts`/`tsx` sample compiles against the
 * package's public entries (tsconfig.json `paths`), all samples in one TypeScript program.
 * A sample that is deliberately partial opts out with a `// @docs-partial` comment.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ApiErrorCode, apiErrorStatus, ChannelErrorCode, ClientErrorCode } from "../../contract/errors.ts";
import { themeTokens } from "../../contract/theme.ts";
import { readImports } from "./import-graph.ts";
import { anchors, docPages, isExternal, readLinks, slug, splitFences } from "./markdown.ts";

const root = join(import.meta.dirname, "../..");
const read = (page: string) => readFileSync(join(root, page), "utf8");
const pages = docPages(root);

/** STYLE.md: "A README a newcomer reads in minutes (≤ 12 KB)". */
const README_MAX_BYTES = 12_000;
const PARTIAL = "// @docs-partial";
const SAMPLE_LANGS: Record<string, "ts" | "tsx"> = { ts: "ts", typescript: "ts", tsx: "tsx" };

describe("README", () => {
  const readme = read("README.md");

  it(`is at most ${README_MAX_BYTES.toLocaleString("en")} bytes: reference belongs in docs/`, () => {
    const bytes = Buffer.byteLength(readme);
    expect(bytes, `README.md is ${bytes} bytes; move reference material to a page in docs/ and link it`).toBeLessThanOrEqual(README_MAX_BYTES);
  });

  it("opens with the two commands: npm ci && npm start, npm ci && npm test", () => {
    const first = splitFences(readme).blocks[0];
    expect(first?.lang).toBe("sh");
    const commands = first!.code.split("\n").map((line) => line.replace(/\s+#.*$/, "").trim());
    expect(commands).toEqual(["npm ci && npm start", "npm ci && npm test"]);
    expect(first!.line, "the commands come before anything else the README says at length").toBeLessThan(15);
  });

  it("links every page in docs/, so none is an orphan", () => {
    const linked = new Set(
      readLinks(readme)
        .filter((link) => !isExternal(link.target))
        .map((link) => link.target.split("#")[0]!.replace(/^\.\//, "")),
    );
    const orphans = pages.filter((page) => page.startsWith("docs/") && !linked.has(page));
    expect(orphans, "add each of these to the README's Documentation table").toEqual([]);
  });
});

describe("links in README.md and docs/", () => {
  it("every relative link resolves to a file in the repository, and every #fragment to a heading", () => {
    const broken: string[] = [];
    const anchorCache = new Map<string, Set<string>>();
    const anchorsOf = (page: string) => anchorCache.get(page) ?? anchorCache.set(page, anchors(read(page))).get(page)!;
    for (const page of pages) {
      for (const { target, line } of readLinks(read(page))) {
        if (isExternal(target)) continue;
        const where = `${page}:${line} → ${target}`;
        const [pathPart, fragment] = target.split("#", 2) as [string, string | undefined];
        let file = page;
        if (pathPart) {
          const absolute = resolve(root, dirname(page), decodeURIComponent(pathPart.split("?")[0]!));
          file = relative(root, absolute).split(sep).join("/");
          if (file.startsWith("..") || !existsSync(absolute)) {
            broken.push(`${where}: no such file`);
            continue;
          }
          if (fragment !== undefined && statSync(absolute).isDirectory()) {
            broken.push(`${where}: a #fragment on a folder`);
            continue;
          }
        }
        if (fragment === undefined) continue;
        if (!file.endsWith(".md")) broken.push(`${where}: only Markdown pages have #fragments here`);
        else if (!anchorsOf(file).has(decodeURIComponent(fragment))) broken.push(`${where}: ${file} has no heading with that anchor`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("anchors are GitHub's heading slugs", () => {
    expect(slug("The `Marketplace` object")).toBe("the-marketplace-object");
    expect(slug("API client codes (frame screens, `emporium/headless`)")).toBe("api-client-codes-frame-screens-emporiumheadless");
    expect(slug("Tokens, retries and timeouts")).toBe("tokens-retries-and-timeouts");
    expect(slug("When `getToken` is called")).toBe("when-gettoken-is-called");
    expect(slug("The frame's CSP")).toBe("the-frames-csp");
    expect([...anchors("# A\n## A\n```\n# not a heading\n```\n### B_c d\n")]).toEqual(["a", "a-1", "b_c-d"]);
  });
});

describe("docs/theming.md", () => {
  it("lists every theme token with the contract's CSS property, grammar and defaults, in order", () => {
    const rows = [...read("docs/theming.md").matchAll(/^\| `(\w+)` \| `(--em-[\w-]+)` \| ([^|]+?) \| `([^`]*)` \| `([^`]*)` \|$/gm)].map((m) => m.slice(1));
    const grammar = (t: { grammar: string; min?: number; max?: number }) =>
      t.grammar === "length" ? `length ${t.min}–${t.max} px` : t.grammar === "number" ? `number ${t.min}–${t.max}` : t.grammar;
    const expected = Object.entries(themeTokens).map(([name, t]) => [
      name,
      "--em-" + name.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase()),
      grammar(t as { grammar: string; min?: number; max?: number }),
      t.light,
      t.dark,
    ]);
    expect(rows).toEqual(expected);
  });
});

describe("error codes", () => {
  it("docs/api.md lists every platform code in the row of its HTTP status", () => {
    const rows = read("docs/api.md").split("\n").filter((line) => /^\| \d{3}\b/.test(line));
    const missing = Object.values(ApiErrorCode).filter((code) => {
      const status = String(apiErrorStatus[code]);
      return !rows.some((row) => row.split("|")[1]!.includes(status) && row.includes(`\`${code}\``));
    });
    expect(missing.map((code) => `${code} (${apiErrorStatus[code]})`), "add each to the errors table of docs/api.md").toEqual([]);
  });

  // The SDK's public types, read with TypeScript: a new option, method or event without its row
  // in docs/sdk.md fails here, so the reference cannot fall behind the code.
  describe("docs/sdk.md has a row for every", () => {
    const typesFile = join(root, "sdk/types.ts");
    const program = ts.createProgram([typesFile], { strict: true, noEmit: true, allowImportingTsExtensions: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, types: [] });
    const checker = program.getTypeChecker();
    const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(typesFile)!)!);
    const typeOf = (name: string) => checker.getDeclaredTypeOfSymbol(exports.find((e) => e.name === name)!);
    const members = (name: string) => checker.getPropertiesOfType(typeOf(name)).map((p) => p.name);
    const page = read("docs/sdk.md");

    it("createMarketplace option", () => {
      expect(members("MarketplaceOptions").length).toBeGreaterThan(5);
      expect(members("MarketplaceOptions").filter((name) => !page.includes(`| \`${name}\` |`)), "add each to the options table of docs/sdk.md (type, default, what it does)").toEqual([]);
    });
    it("Marketplace method", () => {
      expect(members("Marketplace").length).toBeGreaterThan(5);
      expect(members("Marketplace").filter((name) => !page.includes(`| \`${name}(`)), "add each to the Marketplace object's table of docs/sdk.md").toEqual([]);
    });
    it("Embed member", () => {
      expect(members("Embed")).toEqual(expect.arrayContaining(["ready", "frame", "close"]));
      expect(members("Embed").filter((name) => !new RegExp(`\\b${name}\\b`).test(page.slice(page.indexOf("### `Embed`"))))).toEqual([]);
    });
    it("event (resize and labels are the SDK's own: autoHeight, its chrome's words)", () => {
      const type = typeOf("EventName");
      const names = (type.isUnion() ? type.types : [type]).map((t) => (t as ts.StringLiteralType).value).filter((name) => name !== "resize" && name !== "labels");
      expect(names.length).toBeGreaterThan(5);
      const missing = names.filter((name) => !page.includes(`| \`${name}\` |`) && !page.includes(`\`${name}\` / `) && !page.includes(` / \`${name}\` |`));
      expect(missing, "add each to the events table of docs/sdk.md (payload, when)").toEqual([]);
    });
  });

  it("docs/sdk.md has a row for every channel and client code", () => {
    const page = read("docs/sdk.md");
    const missing = [...new Set([...Object.values(ChannelErrorCode), ...Object.values(ClientErrorCode)])].filter((code) => !page.includes(`| \`${code}\` |`));
    expect(missing, "add a row for each to the error code tables of docs/sdk.md").toEqual([]);
  });
});

describe("code samples in README.md and docs/", () => {
  interface Sample {
    page: string;
    line: number;
    file: string;
    code: string;
  }
  const samples: Sample[] = [];
  let partial = 0;
  for (const page of pages) {
    for (const block of splitFences(read(page)).blocks) {
      const ext = SAMPLE_LANGS[block.lang];
      if (!ext) continue;
      if (block.code.includes(PARTIAL)) {
        partial++;
        continue;
      }
      // Inside the repository, so `emporium` (tsconfig paths) and node_modules resolve as for our own code.
      const file = join(root, ".docs-samples", `${page.replace(/[^\w]/g, "_")}_L${block.line}.${ext}`);
      samples.push({ page, line: block.line, file, code: block.code });
    }
  }

  it("there are samples to check (the docs are not all prose or opted out)", () => {
    expect(samples.length).toBeGreaterThan(5);
    expect(partial).toBeLessThan(samples.length);
  });

  it("import only the package's public entries and packages, never a file by path", () => {
    const bad = samples.flatMap((s) =>
      readImports(s.file, s.code)
        .filter(({ specifier }) => specifier.startsWith(".") || specifier.startsWith("/"))
        .map(({ specifier }) => `${s.page}:${s.line}: imports "${specifier}"`),
    );
    expect(bad).toEqual([]);
  });

  // The package's entries with types (package.json `exports`), as samples import them: each must be
  // a tsconfig path, so a sample resolves it to the entry's source, as the published .d.ts would.
  const pkg = JSON.parse(read("package.json")) as { name: string; exports: Record<string, string | { types?: string }> };
  const publicEntries = Object.entries(pkg.exports)
    .filter(([, target]) => typeof target === "object" && target.types)
    .map(([key]) => (key === "." ? pkg.name : `${pkg.name}/${key.slice(2)}`));
  const { config, error } = ts.readConfigFile(join(root, "tsconfig.json"), ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, "\n"));
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);

  it("every public entry of package.json resolves for the samples (a tsconfig path)", () => {
    expect(publicEntries.length).toBeGreaterThan(1);
    expect(publicEntries.filter((entry) => !options.paths?.[entry])).toEqual([]);
  });

  it(`typecheck against the public types (${publicEntries.join(", ")})`, () => {
    const compilerOptions: ts.CompilerOptions = {
      ...options,
      noEmit: true,
      // Samples are host-page code: no Node or Vite globals (and the program stays small).
      types: [],
      // Each sample is a module of its own (names do not collide across samples), and host code is React, not Preact.
      moduleDetection: ts.ModuleDetectionKind.Force,
      jsx: ts.JsxEmit.ReactJSX,
      jsxImportSource: "react",
    };
    const virtual = new Map(samples.map((s) => [s.file, s.code]));
    const host = ts.createCompilerHost(compilerOptions, true);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, language, ...rest) =>
      virtual.has(name) ? ts.createSourceFile(name, virtual.get(name)!, language, true) : getSourceFile(name, language, ...rest);
    host.fileExists = (name) => virtual.has(name) || ts.sys.fileExists(name);
    host.readFile = (name) => virtual.get(name) ?? ts.sys.readFile(name);
    const program = ts.createProgram([...virtual.keys()], compilerOptions, host);

    const problems = samples.flatMap((sample) => {
      const source = program.getSourceFile(sample.file)!;
      return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => {
        const { line } = source.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${sample.page}:${sample.line + line}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
      });
    });
    expect(problems, `fix the sample, or mark a deliberately partial one with "${PARTIAL}"`).toEqual([]);
    // A hang guard, not a speed check: one program for every sample takes ~6 s of CPU (lib.dom,
    // React's types, the SDK's sources), which 8 parallel test runs on 2 cores can stretch past 30 s.
  }, 120_000);
});
