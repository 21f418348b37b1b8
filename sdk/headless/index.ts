/**
 * Emporium headless client (`emporium/headless`): the customer-scoped platform API for hosts
 * that build their own marketplace UI, with no iframe. A separate entry: the embed
 * (`emporium`) does not grow. Importing it has no side effects.
 *
 * @example
 * import { createClient } from "emporium/headless";
 * const client = createClient({
 *   platformUrl: "https://platform.example",
 *   getToken: () => fetch("/api/emporium-token", { method: "POST" }).then((r) => r.json()).then((b) => b.token),
 *   on: { "instance-deployed": ({ integrationName }) => toast(`${integrationName} is on`) },
 * });
 * const { integrations } = await client.listIntegrations({ q: "stripe" });
 * const wizard = await client.wizard(integrations[0].id);
 * await wizard.next({ stripeKey: { kind: "api-key", apiKey } });
 * await wizard.deploy({ currency: "eur" });
 */
export { createClient } from "./client.ts";
export { EmporiumApiError, type EmporiumApiErrorCode } from "../../client/error.ts";
export { ClientErrorCode as HeadlessErrorCode } from "../../contract/errors.ts";
export type {
  ActivityClient,
  ConnectionCredentials,
  ConnectionsClient,
  OAuthOptions,
  RunsClient,
  LogTail,
  LogTailHandlers,
  Client,
  HeadlessErrorCodeValue,
  ClientOptions,
  HeadlessEventHandler,
  HeadlessEventName,
  HeadlessEventPayloads,
  Integration,
  UpgradeWizard,
  Wizard,
  WizardOptions,
  WizardTarget,
} from "./types.ts";
export type { FormValue, FormValues } from "../../client/config-form.ts";
export type {
  ActivationState,
  Condition,
  ConfigPage,
  ConfigValue,
  ConfigValueInput,
  ConfigValues,
  ConfigValuesInput,
  ConfigVarDefinition,
  ConfigVarType,
  Connection,
  ConnectionCheck,
  ConnectionInput,
  ConnectionState,
  ConnectionStatus,
  ConnectionTestResult,
  ConnectionUse,
  CreateConnectionRequest,
  DataSourceDefinition,
  DataSourceOption,
  DataSourceRequest,
  DataSourceResult,
  DeleteInstanceResponse,
  DeployResponse,
  DisplayElement,
  Execution,
  ExecutionStatus,
  FieldState,
  FlowSummary,
  FormState,
  FlowTrigger,
  Instance,
  InstanceFlow,
  InstanceStatus,
  IntegrationDetail,
  IntegrationList,
  IntegrationListQuery,
  IntegrationSummary,
  KeyValuePair,
  LogLine,
  MaskedSecret,
  Role,
  RuleValue,
  Rules,
  ScheduleValue,
  Session,
  UpdateConnectionRequest,
  UpgradePlanSummary,
} from "../../contract/api-types.ts";
export type {
  Alert,
  AlertKind,
  AlertMonitor,
  AlertMonitorInput,
  AlertPage,
  AlertQuery,
  AlertStatus,
  Dashboard,
  DashboardInstance,
  ExecutionPage,
  ExecutionQuery,
  ExecutionSummary,
  ExecutionTrigger,
  InstanceHealth,
  MonitorKind,
  UsageInstance,
  UsageReport,
} from "../../contract/observe-types.ts";
