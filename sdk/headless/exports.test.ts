/**
 * The public surface of `emporium/headless`: the export list of sdk/headless/index.ts is snapshotted
 * (a change is a deliberate API change), and every export must carry JSDoc with an `@example`.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as headless from "./index.ts";
import type { Client } from "./index.ts";
import { publicExports } from "../testing/public-exports.ts";

const entry = publicExports(fileURLToPath(new URL("./index.ts", import.meta.url)));

describe("sdk/headless/index.ts exports", () => {
  it("are exactly these (values and types)", () => {
    expect(entry.names).toMatchInlineSnapshot(`
      [
        "ActivationState",
        "ActivityClient",
        "Alert",
        "AlertKind",
        "AlertMonitor",
        "AlertMonitorInput",
        "AlertPage",
        "AlertQuery",
        "AlertStatus",
        "Client",
        "ClientOptions",
        "Condition",
        "ConfigPage",
        "ConfigValue",
        "ConfigValueInput",
        "ConfigValues",
        "ConfigValuesInput",
        "ConfigVarDefinition",
        "ConfigVarType",
        "Connection",
        "ConnectionCheck",
        "ConnectionCredentials",
        "ConnectionInput",
        "ConnectionState",
        "ConnectionStatus",
        "ConnectionTestResult",
        "ConnectionUse",
        "ConnectionsClient",
        "CreateConnectionRequest",
        "Dashboard",
        "DashboardInstance",
        "DataSourceDefinition",
        "DataSourceOption",
        "DataSourceRequest",
        "DataSourceResult",
        "DeleteInstanceResponse",
        "DeployResponse",
        "DisplayElement",
        "EmporiumApiError",
        "EmporiumApiErrorCode",
        "Execution",
        "ExecutionPage",
        "ExecutionQuery",
        "ExecutionStatus",
        "ExecutionSummary",
        "ExecutionTrigger",
        "FieldState",
        "FlowSummary",
        "FlowTrigger",
        "FormState",
        "FormValue",
        "FormValues",
        "HeadlessErrorCode",
        "HeadlessErrorCodeValue",
        "HeadlessEventHandler",
        "HeadlessEventName",
        "HeadlessEventPayloads",
        "Instance",
        "InstanceFlow",
        "InstanceHealth",
        "InstanceStatus",
        "Integration",
        "IntegrationDetail",
        "IntegrationList",
        "IntegrationListQuery",
        "IntegrationSummary",
        "KeyValuePair",
        "LogLine",
        "LogTail",
        "LogTailHandlers",
        "MaskedSecret",
        "MonitorKind",
        "OAuthOptions",
        "Role",
        "RuleValue",
        "Rules",
        "RunsClient",
        "ScheduleValue",
        "Session",
        "UpdateConnectionRequest",
        "UpgradePlanSummary",
        "UpgradeWizard",
        "UsageInstance",
        "UsageReport",
        "Wizard",
        "WizardOptions",
        "WizardTarget",
        "createClient",
      ]
    `);
    expect(Object.keys(headless).sort()).toEqual(["EmporiumApiError", "HeadlessErrorCode", "createClient"]);
  });

  it("a client's methods are these, each a function (one a lazy chunk has but the entry's name list misses would be missing here)", () => {
    const c: Client = headless.createClient({ platformUrl: "https://platform.example", getToken: async () => "a.b.c" });
    const names = Object.keys(c).sort();
    expect(names.every((name) => typeof c[name as keyof Client] == "function")).toBe(true);
    expect(names).toMatchInlineSnapshot(`
      [
        "acknowledgeAlert",
        "cancelUpgrade",
        "connectOAuth",
        "createConnection",
        "createInstance",
        "createMonitor",
        "dataSourceOptions",
        "deleteConnection",
        "deleteInstance",
        "deleteMonitor",
        "deploy",
        "getConnection",
        "getDashboard",
        "getExecution",
        "getInstance",
        "getIntegration",
        "getUsage",
        "listAlerts",
        "listConnections",
        "listExecutionPage",
        "listExecutions",
        "listInstances",
        "listIntegrations",
        "listLogs",
        "listMonitors",
        "listReplays",
        "off",
        "on",
        "pause",
        "reconnectConnection",
        "renameConnection",
        "renameInstance",
        "replay",
        "resolveAlert",
        "resume",
        "saveConfigPage",
        "session",
        "tailLogs",
        "testConnection",
        "testConnectionField",
        "testRun",
        "updateMonitor",
        "upgrade",
        "wizard",
      ]
    `);
  });

  it.each(entry.symbols)("%s has JSDoc with an @example", (_, symbol) => entry.checkJsDoc(symbol));

  it("importing it has no side effects: no request, no getToken call until a method runs", async () => {
    let asked = 0;
    headless.createClient({ platformUrl: "https://platform.example", getToken: async () => (asked++, "a.b.c"), fetch: () => Promise.reject(new Error("no request expected")) });
    await new Promise((r) => setTimeout(r, 10));
    expect(asked).toBe(0);
  });
});
