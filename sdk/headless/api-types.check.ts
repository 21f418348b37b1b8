/**
 * Type-level proof that the zod-free mirrors in api-types.ts equal the types inferred
 * from the contract's zod schemas. Nothing runs here: `npm run typecheck` fails when a schema
 * and its mirror drift apart (each `Same<...>` must be `true`).
 */
import type * as Mirror from "./api-types.ts";
import type * as Api from "../../contract/api.ts";
import type * as Vars from "../../contract/config-vars.ts";
import type { FlowTrigger } from "../../contract/catalog.ts";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export type HeadlessApiMirrorsMatch = [
  Same<Mirror.Role, Api.Role>,
  Same<Mirror.Session, Api.Session>,
  Same<Mirror.FlowTrigger, FlowTrigger>,
  Same<Mirror.IntegrationSummary, Api.IntegrationSummary>,
  Same<Mirror.IntegrationListQuery, Api.IntegrationListQuery>,
  Same<Mirror.IntegrationList, Api.IntegrationList>,
  Same<Mirror.FlowSummary, Api.FlowSummary>,
  Same<Mirror.ConfigVarDefinition, Vars.ConfigVarDefinition>,
  Same<Mirror.ConfigPage, Vars.ConfigPage>,
  Same<Mirror.IntegrationDetail, Api.IntegrationDetail>,
  Same<Mirror.MaskedSecret, Vars.MaskedSecret>,
  Same<Mirror.ConnectionState, Vars.ConnectionState>,
  Same<Mirror.ConfigValue, Vars.ConfigValue>,
  Same<Mirror.ConfigValues, Vars.ConfigValues>,
  Same<Mirror.ConfigValuesInput, Vars.ConfigValuesInput>,
  Same<Mirror.InstanceStatus, Api.InstanceStatus>,
  Same<Mirror.InstanceFlow, Api.InstanceFlow>,
  Same<Mirror.Instance, Api.Instance>,
  Same<Mirror.ExecutionStatus, Api.ExecutionStatus>,
  Same<Mirror.LogLine, Api.LogLine>,
  Same<Mirror.Execution, Api.Execution>,
  Same<Mirror.DeployResponse, Api.DeployResponse>,
  Same<Mirror.DeleteInstanceResponse, Api.DeleteInstanceResponse>,
] extends true[]
  ? true
  : never;
export const headlessApiMirrorsMatch: HeadlessApiMirrorsMatch = true;
