/**
 * The contract schemas the platform API speaks, each under the one name the route table uses for
 * it. A route names its request body and its answers by these names (route-table.ts); the route
 * wrapper checks each answer against the named schema, and the OpenAPI generator publishes them
 * as components under the same names. This is the only list of them in the mock platform.
 *
 * Building blocks come first: every schema below that uses one refers to it in the OpenAPI
 * document instead of repeating it (zod's JSON Schema registry does that by identity).
 */
import * as z from "zod/mini";
import {
  apiError,
  connectionTestRequest,
  connectionTestResult,
  createInstanceRequest,
  dataSourceRequest,
  dataSourceResult,
  deleteInstanceResponse,
  deployRequest,
  deployResponse,
  embedConfig,
  execution,
  executionList,
  flowSummary,
  instance,
  instanceFlow,
  instanceList,
  integrationDetail,
  integrationList,
  integrationSummary,
  logLine,
  oauthStartResponse,
  saveConfigPageRequest,
  session,
  startUpgradeRequest,
  updateInstanceRequest,
  upgradePlanSummary,
  webhookResponse,
} from "../../contract/api.ts";
import {
  alert,
  alertMonitor,
  alertMonitorInput,
  alertMonitorList,
  alertPage,
  dashboard,
  dashboardInstance,
  executionChanges,
  executionPage,
  executionSummary,
  usageReport,
} from "../../contract/api-observe.ts";
import {
  orgBulkUpgradeRequest,
  orgBulkUpgradeResult,
  orgCustomerList,
  orgDeleteResponse,
  orgDeployRequest,
  orgDeployResponse,
  orgInstance,
  orgInstancePage,
  orgInstanceUpdate,
  orgIntegration,
  orgIntegrationList,
  orgIntegrationVersionList,
} from "../../contract/org-api.ts";
import {
  condition,
  configPage,
  configValues,
  configValuesInput,
  configVarDefinition,
  connectionInput,
  connectionState,
  dataSourceDefinition,
  displayElement,
  scheduleValue,
} from "../../contract/config-vars.ts";
import { flowStep, flowTrigger, integrationDefinition } from "../../contract/catalog.ts";
import { scenarioRequest, scenarioState } from "../../contract/scenario.ts";

export const apiSchemas = {
  Condition: condition,
  DataSourceDefinition: dataSourceDefinition,
  DisplayElement: displayElement,
  ConfigPage: configPage,
  ConfigVarDefinition: configVarDefinition,
  ConfigValues: configValues,
  ConfigValuesInput: configValuesInput,
  ConnectionInput: connectionInput,
  ConnectionState: connectionState,
  ScheduleValue: scheduleValue,
  FlowTrigger: flowTrigger,
  IntegrationSummary: integrationSummary,
  FlowSummary: flowSummary,
  InstanceFlow: instanceFlow,
  LogLine: logLine,
  Alert: alert,
  ApiError: apiError,
  EmbedConfig: embedConfig,
  Session: session,
  IntegrationList: integrationList,
  IntegrationDetail: integrationDetail,
  UpgradePlanSummary: upgradePlanSummary,
  Instance: instance,
  InstanceList: instanceList,
  CreateInstanceRequest: createInstanceRequest,
  UpdateInstanceRequest: updateInstanceRequest,
  StartUpgradeRequest: startUpgradeRequest,
  SaveConfigPageRequest: saveConfigPageRequest,
  DeployRequest: deployRequest,
  DeployResponse: deployResponse,
  DeleteInstanceResponse: deleteInstanceResponse,
  Execution: execution,
  ExecutionList: executionList,
  WebhookResponse: webhookResponse,
  DataSourceRequest: dataSourceRequest,
  DataSourceResult: dataSourceResult,
  ConnectionTestRequest: connectionTestRequest,
  ConnectionTestResult: connectionTestResult,
  OAuthStartResponse: oauthStartResponse,
  ExecutionSummary: executionSummary,
  ExecutionPage: executionPage,
  ExecutionChanges: executionChanges,
  UsageReport: usageReport,
  DashboardInstance: dashboardInstance,
  Dashboard: dashboard,
  AlertMonitorInput: alertMonitorInput,
  AlertMonitor: alertMonitor,
  AlertMonitorList: alertMonitorList,
  AlertPage: alertPage,
  OrgCustomerList: orgCustomerList,
  OrgIntegrationList: orgIntegrationList,
  OrgIntegration: orgIntegration,
  OrgInstance: orgInstance,
  OrgInstancePage: orgInstancePage,
  OrgInstanceUpdate: orgInstanceUpdate,
  OrgDeployRequest: orgDeployRequest,
  OrgDeployResponse: orgDeployResponse,
  OrgDeleteResponse: orgDeleteResponse,
  FlowStep: flowStep,
  IntegrationDefinition: integrationDefinition,
  OrgIntegrationVersionList: orgIntegrationVersionList,
  OrgBulkUpgradeRequest: orgBulkUpgradeRequest,
  OrgBulkUpgradeResult: orgBulkUpgradeResult,
  ScenarioRequest: scenarioRequest,
  ScenarioState: scenarioState,
} as const;

export type SchemaName = keyof typeof apiSchemas;

/** The value a named schema describes (what a route answers or receives under that name). */
export type SchemaValue<N extends SchemaName> = z.infer<(typeof apiSchemas)[N]>;

/** A named schema where the name is only known at run time (the route wrapper's checks). */
export const schemaOf = (name: SchemaName): z.ZodMiniType<unknown> => apiSchemas[name] as unknown as z.ZodMiniType<unknown>;
