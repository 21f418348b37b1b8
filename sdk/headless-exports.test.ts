/**
 * The public surface of `emporium/headless`: the export list of sdk/headless.ts is snapshotted
 * (a change is a deliberate API change), and every export must carry JSDoc with an `@example`.
 */
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as headless from "./headless.ts";

const entry = fileURLToPath(new URL("./headless.ts", import.meta.url));
const program = ts.createProgram([entry], { allowImportingTsExtensions: true, noEmit: true, moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, strict: true });
const checker = program.getTypeChecker();
const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!);
const resolve = (symbol: ts.Symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);

describe("sdk/headless.ts exports", () => {
  it("are exactly these (values and types)", () => {
    expect(exported.map((symbol) => symbol.name).sort()).toMatchInlineSnapshot(`
      [
        "ActivationState",
        "Client",
        "ClientOptions",
        "ConfigPage",
        "ConfigValue",
        "ConfigValueInput",
        "ConfigValues",
        "ConfigValuesInput",
        "ConfigVarDefinition",
        "ConfigVarType",
        "ConnectionInput",
        "ConnectionState",
        "DeleteInstanceResponse",
        "DeployResponse",
        "EmporiumApiError",
        "EmporiumApiErrorCode",
        "Execution",
        "ExecutionStatus",
        "FlowSummary",
        "FlowTrigger",
        "FormValue",
        "FormValues",
        "HeadlessErrorCode",
        "HeadlessErrorCodeValue",
        "HeadlessEventHandler",
        "HeadlessEventName",
        "HeadlessEventPayloads",
        "Instance",
        "InstanceFlow",
        "InstanceStatus",
        "Integration",
        "IntegrationDetail",
        "IntegrationList",
        "IntegrationListQuery",
        "IntegrationSummary",
        "KeyValuePair",
        "LogLine",
        "MaskedSecret",
        "Role",
        "ScheduleValue",
        "Session",
        "Wizard",
        "WizardTarget",
        "createClient",
      ]
    `);
    expect(Object.keys(headless).sort()).toEqual(["EmporiumApiError", "HeadlessErrorCode", "createClient"]);
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

  it("importing it has no side effects: no request, no getToken call until a method runs", async () => {
    let asked = 0;
    headless.createClient({ platformUrl: "https://platform.example", getToken: async () => (asked++, "a.b.c"), fetch: () => Promise.reject(new Error("no request expected")) });
    await new Promise((r) => setTimeout(r, 10));
    expect(asked).toBe(0);
  });
});
