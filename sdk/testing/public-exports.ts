/**
 * What an SDK entry exports, read by the TypeScript checker (values and types alike), and the
 * JSDoc check every export must pass: a summary and an `@example`.
 */
import ts from "typescript";
import { expect } from "vitest";

export function publicExports(entry: string): { names: string[]; symbols: [string, ts.Symbol][]; checkJsDoc(symbol: ts.Symbol): void } {
  const program = ts.createProgram([entry], {
    allowImportingTsExtensions: true,
    noEmit: true,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    module: ts.ModuleKind.ESNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
  });
  const checker = program.getTypeChecker();
  const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!);
  const resolve = (symbol: ts.Symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
  return {
    names: exported.map((symbol) => symbol.name).sort(),
    symbols: exported.map((symbol) => [symbol.name, symbol]),
    checkJsDoc(symbol) {
      const target = resolve(symbol);
      const summary = ts.displayPartsToString(target.getDocumentationComment(checker)).trim();
      expect(summary.length, "JSDoc summary").toBeGreaterThan(10);
      expect(
        target.getJsDocTags(checker).some((tag) => tag.name == "example"),
        "@example",
      ).toBe(true);
    },
  };
}
