/**
 * The mock platform's folders and the one way its imports run (see index.ts): domain/ holds the
 * rules and does no I/O (it runs in a service worker too), http/ turns requests into domain calls,
 * transports/ carry requests to http/ and keep state through persistence/. Read from the source
 * of every non-test file, so a new import that breaks the direction fails here, by name.
 */
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(ROOT, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Static imports and re-exports, type-only ones included (a type import still ties two files). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+"([^"]+)"|^\s*import\s+"([^"]+)"/gm)].map((m) => m[1] ?? m[2]);
}

const files = sourceFiles(ROOT);
/** file (relative to mock-server/) → its imports: ours as paths relative to the repository, packages as named. */
const graph = new Map(
  files.map((file) => [
    relative(ROOT, file),
    importsOf(file).map((spec) => (spec.startsWith(".") ? relative(REPO, resolve(dirname(file), spec)) : spec)),
  ]),
);
const folderOf = (path: string) => (path.includes("/") ? path.slice(0, path.indexOf("/")) : "(entry)");

/** What each folder may not import: other folders of ours, and packages that mean I/O. */
const FORBIDDEN: Record<string, RegExp[]> = {
  domain: [/^mock-server\/(http|transports|persistence)\//, /^mock-server\/[^/]+\.ts$/, /^node:/, /^msw/],
  fixtures: [/^mock-server\/(http|transports|persistence)\//, /^mock-server\/[^/]+\.ts$/, /^msw/],
  http: [/^mock-server\/(transports|persistence|fixtures)\//, /^mock-server\/[^/]+\.ts$/, /^node:/, /^msw\/(node|browser)/],
  persistence: [/^mock-server\/(http|transports|fixtures)\//, /^mock-server\/[^/]+\.ts$/, /^msw/],
  transports: [/^mock-server\/[^/]+\.ts$/],
  // Helpers of the platform's own tests (domain/*.test.ts): the domain only, no I/O.
  testing: [/^mock-server\/(http|transports|persistence|fixtures)\//, /^mock-server\/[^/]+\.ts$/, /^node:/, /^msw/],
};

describe("mock-server layers", () => {
  it("has the folders by role, each with its files", () => {
    expect(new Set([...graph.keys()].map(folderOf))).toEqual(new Set(["(entry)", "domain", "fixtures", "http", "persistence", "testing", "transports"]));
  });

  it("imports run one way: domain ← http ← transports, persistence for transports; the domain does no I/O", () => {
    const broken: string[] = [];
    for (const [file, imports] of graph) {
      for (const target of imports) {
        if ((FORBIDDEN[folderOf(file)] ?? []).some((rule) => rule.test(target))) broken.push(`${file} → ${target}`);
        if (!target.startsWith("mock-server/") && target.includes("/") && /^(sdk|marketplace-frame|client|examples|scripts|build|tests|bench)\//.test(target)) {
          broken.push(`${file} → ${target} (the platform imports the contract, never another room)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("no import cycle among the platform's files", () => {
    const ours = (imports: string[]) => imports.filter((t) => t.startsWith("mock-server/")).map((t) => t.slice("mock-server/".length));
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "open") {
        cycles.push([...path.slice(path.indexOf(file)), file].join(" → "));
        return;
      }
      state.set(file, "open");
      for (const next of ours(graph.get(file) ?? [])) visit(next, [...path, file]);
      state.set(file, "done");
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  /**
   * Build steps may take the service worker's script copier directly: through index.ts a build
   * config would load (and bundle) the whole platform to copy one file.
   */
  const ENTRIES = ["mock-server/index.ts", "mock-server/browser.ts", "mock-server/transports/copy-worker-script.ts"];

  it("the rest of the repository reaches the platform only through its entries (index.ts, browser.ts)", () => {
    const outside = ["contract", "client", "sdk", "marketplace-frame", "examples", "scripts", "build", "tests", "bench"].flatMap((room) => {
      try {
        return readdirSync(join(REPO, room), { recursive: true, encoding: "utf8" })
          .filter((name) => /\.(ts|tsx)$/.test(name) && !name.includes("node_modules"))
          .map((name) => join(REPO, room, name));
      } catch {
        return []; // a room that does not exist (yet) in this checkout
      }
    });
    const reaching = outside.flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith("."))
        .map((spec) => relative(REPO, resolve(dirname(file), spec)))
        .filter((target) => target.startsWith("mock-server/") && !ENTRIES.includes(target))
        .map((target) => `${relative(REPO, file)} → ${target}`),
    );
    expect(reaching).toEqual([]);
  });
});
