/**
 * The public surface of the SDK: the export list of sdk/index.ts is snapshotted (a change is a
 * deliberate API change), and every export must carry JSDoc with an `@example`.
 */
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as sdk from "./index.ts";

const entry = fileURLToPath(new URL("./index.ts", import.meta.url));
const program = ts.createProgram([entry], { allowImportingTsExtensions: true, noEmit: true, moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, strict: true });
const checker = program.getTypeChecker();
const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!);
const resolve = (symbol: ts.Symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);

describe("sdk/index.ts exports", () => {
  it("are exactly these (values and types)", () => {
    expect(exported.map((symbol) => symbol.name).sort()).toMatchInlineSnapshot(`
      [
        "ConfigVarOverrides",
        "ConfigureTarget",
        "Embed",
        "EmbedTarget",
        "EmporiumError",
        "ErrorCode",
        "EventHandler",
        "EventName",
        "EventPayloads",
        "Marketplace",
        "MarketplaceFilters",
        "MarketplaceOptions",
        "Theme",
        "ThemeMode",
        "createMarketplace",
      ]
    `);
    expect(Object.keys(sdk).sort()).toEqual(["EmporiumError", "createMarketplace"]);
  });

  it.each(exported.map((symbol) => [symbol.name, symbol] as const))("%s has JSDoc with an @example", (_, symbol) => {
    const target = resolve(symbol);
    const summary = ts.displayPartsToString(target.getDocumentationComment(checker)).trim();
    expect(summary.length, "JSDoc summary").toBeGreaterThan(10);
    expect(
      target.getJsDocTags(checker).some((tag) => tag.name == "example"),
      "@example",
    ).toBe(true);
  });
});
