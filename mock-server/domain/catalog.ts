/**
 * The catalog: integration definitions validated when loaded, so a definition the platform
 * cannot run (a cron that never fires, a step naming an unknown connection, a template reading
 * an unknown config key) stops the platform at start-up with the integration and field named,
 * instead of failing a customer's execution later.
 */
import * as z from "zod/mini";
import { integrationDefinition, versionOf } from "../../contract/catalog.ts";
import { configValueProblem } from "../../contract/validate-config.ts";
import { scheduleProblem } from "../../contract/schedule.ts";
import { generatedKeys, pageReferenceProblem } from "../../contract/page-references.ts";
import { CatalogError } from "./errors.ts";
import { templatePaths } from "./template.ts";
import { exampleProblem, suggestedPayload } from "./flow-input.ts";
import type { ConfigVarDefinition, DataSourceDefinition } from "../../contract/config-vars.ts";
import type { FlowDefinition, FlowStep, IntegrationDefinition } from "../../contract/catalog.ts";
import type {
  ActivationState,
  IntegrationDetail,
  IntegrationList,
  IntegrationListQuery,
  IntegrationSummary,
} from "../../contract/api.ts";
import type { InstanceRecord } from "./store.ts";

export interface Catalog {
  /** The latest built-in version of each integration, in catalog order. */
  readonly integrations: readonly IntegrationDefinition[];
  /** The latest built-in version of an integration. */
  get(id: string): IntegrationDefinition | undefined;
  /** Every built-in version of an integration, oldest first (an organization may publish more: integration-versions.ts). */
  versions(id: string): readonly IntegrationDefinition[];
  /** Every config variable of an integration, with the page it is on. */
  fields(integration: IntegrationDefinition): Array<{ page: string; field: ConfigVarDefinition }>;
}

function checkTemplate(integrationId: string, where: string, template: string, ctx: { configKeys: Set<string>; stepNames: Set<string> }) {
  const result = templatePaths(template);
  if ("error" in result) throw new CatalogError(integrationId, where, `template ${result.error}`);
  for (const path of result.paths) {
    const [root, name] = path.split(".");
    if (root === "config" && name !== undefined && !ctx.configKeys.has(name)) {
      throw new CatalogError(integrationId, where, `template reads config "${name}", which no config page defines`);
    }
    if (root === "steps" && (name === undefined || !ctx.stepNames.has(name))) {
      throw new CatalogError(integrationId, where, `template reads step "${name ?? ""}", which this flow does not have`);
    }
  }
}

function collectStepNames(integrationId: string, flowWhere: string, steps: readonly FlowStep[], names: Set<string>) {
  for (const step of steps) {
    if (names.has(step.name)) throw new CatalogError(integrationId, `${flowWhere}.steps.${step.name}`, "step names must be unique in a flow");
    names.add(step.name);
    if (step.kind === "branch") {
      collectStepNames(integrationId, flowWhere, step.then, names);
      collectStepNames(integrationId, flowWhere, step.else ?? [], names);
    }
  }
}

function checkSteps(
  integration: IntegrationDefinition,
  flowWhere: string,
  steps: readonly FlowStep[],
  ctx: { configKeys: Set<string>; stepNames: Set<string>; fieldsByKey: Map<string, ConfigVarDefinition> },
) {
  const id = integration.id;
  for (const step of steps) {
    const where = `${flowWhere}.steps.${step.name}`;
    switch (step.kind) {
      case "read-payload":
        break;
      case "map":
        for (const [field, template] of Object.entries(step.fields)) checkTemplate(id, `${where}.fields.${field}`, template, ctx);
        break;
      case "http": {
        const connection = ctx.fieldsByKey.get(step.connection);
        if (!connection) throw new CatalogError(id, `${where}.connection`, `no config variable "${step.connection}"`);
        if (connection.type !== "connection") {
          throw new CatalogError(id, `${where}.connection`, `config variable "${step.connection}" is a ${connection.type}, not a connection`);
        }
        if (!step.path.startsWith("/")) throw new CatalogError(id, `${where}.path`, "must start with /");
        checkTemplate(id, `${where}.path`, step.path, ctx);
        for (const [field, template] of Object.entries(step.body ?? {})) checkTemplate(id, `${where}.body.${field}`, template, ctx);
        break;
      }
      case "branch":
        checkTemplate(id, `${where}.when`, step.when, ctx);
        checkSteps(integration, flowWhere, step.then, ctx);
        checkSteps(integration, flowWhere, step.else ?? [], ctx);
        break;
      case "fail":
        checkTemplate(id, `${where}.message`, step.message, ctx);
        break;
      case "log":
        checkTemplate(id, `${where}.message`, step.message, ctx);
        break;
    }
  }
}

function checkFlow(integration: IntegrationDefinition, flow: FlowDefinition, fieldsByKey: Map<string, ConfigVarDefinition>) {
  const id = integration.id;
  const where = `flows.${flow.id}`;
  const trigger = flow.trigger;
  if (trigger.kind === "schedule") {
    if ((trigger.configKey === undefined) === (trigger.schedule === undefined)) {
      throw new CatalogError(id, `${where}.trigger`, "a schedule trigger needs exactly one of configKey or schedule");
    }
    if (trigger.configKey !== undefined) {
      const field = fieldsByKey.get(trigger.configKey);
      if (!field || field.type !== "schedule") {
        throw new CatalogError(id, `${where}.trigger.configKey`, `"${trigger.configKey}" is not a schedule config variable`);
      }
    }
    if (trigger.schedule !== undefined) {
      if (trigger.schedule.kind === "none") throw new CatalogError(id, `${where}.trigger.schedule`, "a fixed schedule of kind none never runs");
      const problem = scheduleProblem(trigger.schedule);
      if (problem) throw new CatalogError(id, `${where}.trigger.schedule`, problem);
    }
  }
  if (flow.steps.length === 0) throw new CatalogError(id, `${where}.steps`, "a flow needs at least one step");
  const example = exampleProblem(flow);
  if (example) throw new CatalogError(id, `${where}.example`, example);
  const stepNames = new Set<string>();
  collectStepNames(id, where, flow.steps, stepNames);
  checkSteps(integration, where, flow.steps, { configKeys: new Set(fieldsByKey.keys()), stepNames, fieldsByKey });
}

/**
 * A data source's templates: the path reads only the fields it depends on (so the options can be
 * fetched again when, and only when, one of them changes); the option templates read the record.
 */
function checkDataSource(integrationId: string, where: string, source: DataSourceDefinition) {
  if (!source.path.startsWith("/")) throw new CatalogError(integrationId, `${where}.path`, "must start with /");
  const path = templatePaths(source.path, ["config"]);
  if ("error" in path) throw new CatalogError(integrationId, `${where}.path`, `template ${path.error}`);
  for (const read of path.paths) {
    const key = read.split(".")[1];
    if (read.split(".").length !== 2 || !source.dependsOn?.includes(key)) {
      throw new CatalogError(integrationId, `${where}.path`, `template reads "${read}"; a path may read only config.<key> of a field in dependsOn`);
    }
  }
  for (const name of ["value", "label", "description"] as const) {
    const template = source[name];
    if (template === undefined) continue;
    const result = templatePaths(template, ["record"]);
    if ("error" in result) throw new CatalogError(integrationId, `${where}.${name}`, `template ${result.error}`);
  }
}

/** The bytes of an asset's data URL, or undefined when it is not one of `type`. */
export function assetBytes(url: string, type: string): Uint8Array | undefined {
  const comma = url.indexOf(",");
  const header = url.slice(0, comma);
  if (comma < 0 || (header !== `data:${type};base64` && !(type === "image/svg+xml" && header === `data:${type}`))) return undefined;
  const data = url.slice(comma + 1);
  try {
    if (header.endsWith(";base64")) return Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    return new TextEncoder().encode(decodeURIComponent(data));
  } catch {
    return undefined;
  }
}

/**
 * Checks that `next` can follow `previous` (the version before it): its number is the next one,
 * and each rename it declares moves a key `previous` has to a key only `next` has.
 */
export function checkSuccessor(previous: IntegrationDefinition, next: IntegrationDefinition): void {
  const id = next.id;
  if (versionOf(next) !== versionOf(previous) + 1) {
    throw new CatalogError(id, "version", `must be ${versionOf(previous) + 1}, the version after ${versionOf(previous)}`);
  }
  const before = new Set(previous.configPages.flatMap((p) => p.fields.map((f) => f.key)));
  const after = new Set(next.configPages.flatMap((p) => p.fields.map((f) => f.key)));
  const seen = new Set<string>();
  for (const { from, to } of next.migration?.renamed ?? []) {
    const where = `migration.renamed.${from}`;
    if (!before.has(from)) throw new CatalogError(id, where, `version ${versionOf(previous)} has no config variable "${from}"`);
    if (after.has(from)) throw new CatalogError(id, where, `"${from}" is still a config variable of version ${versionOf(next)}; a renamed key must be gone`);
    if (!after.has(to)) throw new CatalogError(id, where, `version ${versionOf(next)} has no config variable "${to}"`);
    if (before.has(to)) throw new CatalogError(id, where, `"${to}" is already a config variable of version ${versionOf(previous)}`);
    if (seen.has(from) || seen.has(to)) throw new CatalogError(id, where, "each key may be renamed once, to a key no other rename uses");
    seen.add(from).add(to);
  }
}

/** Validates one definition on its own; throws CatalogError naming the field the platform cannot run. */
export function checkIntegration(raw: unknown, index: number): IntegrationDefinition {
  const parsed = z.safeParse(integrationDefinition, raw);
  const rawId = typeof raw === "object" && raw !== null && typeof (raw as { id?: unknown }).id === "string" ? (raw as { id: string }).id : `#${index}`;
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CatalogError(rawId, issue.path.join(".") || "(definition)", issue.message);
  }
  const integration = parsed.data;
  const id = integration.id;
  if (!/^(https:|data:image\/)/.test(integration.icon)) throw new CatalogError(id, "icon", "must be an https or data:image URL");
  const pageNames = new Set<string>();
  const fieldsByKey = new Map<string, ConfigVarDefinition>();
  if (integration.configPages.length === 0) throw new CatalogError(id, "configPages", "an integration needs at least one config page");
  for (const page of integration.configPages) {
    if (pageNames.has(page.name)) throw new CatalogError(id, `configPages.${page.name}`, "page names must be unique");
    pageNames.add(page.name);
    for (const field of page.fields) {
      const where = `configPages.${page.name}.${field.key}`;
      if (fieldsByKey.has(field.key)) throw new CatalogError(id, where, "config keys must be unique across pages");
      fieldsByKey.set(field.key, field);
      if (field.type === "string" && field.pattern !== undefined) {
        try {
          new RegExp(field.pattern, "u");
        } catch (error) {
          throw new CatalogError(id, `${where}.pattern`, `not a valid regular expression (${(error as Error).message})`);
        }
      }
      if (field.type === "picklist" && field.options) {
        const values = field.options.map((o) => o.value);
        if (new Set(values).size !== values.length) throw new CatalogError(id, `${where}.options`, "option values must be unique");
      }
      if ("default" in field && field.default !== undefined) {
        const problem = configValueProblem({ ...field, required: false } as ConfigVarDefinition, field.default);
        if (problem) throw new CatalogError(id, `${where}.default`, problem);
      }
    }
  }
  // Rules, data sources and display elements name only fields before them (the clients check the same).
  const references = pageReferenceProblem(integration.configPages, integration.flows);
  if (references) throw new CatalogError(id, references.where, references.message);
  for (const page of integration.configPages) {
    for (const field of page.fields) if (field.type === "picklist" && field.dataSource) checkDataSource(id, `configPages.${page.name}.${field.key}.dataSource`, field.dataSource);
    for (const [i, element] of (page.content ?? []).entries()) {
      if (element.kind !== "image") continue;
      const asset = integration.assets && Object.hasOwn(integration.assets, element.asset) ? integration.assets[element.asset] : undefined;
      if (asset === undefined) throw new CatalogError(id, `configPages.${page.name}.content.${i}.asset`, `no asset "${element.asset}" in the integration's assets`);
    }
  }
  for (const [name, url] of Object.entries(integration.assets ?? {})) {
    const type = name.endsWith(".svg") ? "image/svg+xml" : "image/png";
    if (!assetBytes(url, type)) throw new CatalogError(id, `assets.${name}`, `must be a data:${type} URL${type === "image/png" ? " (base64)" : ""}`);
  }
  // A generated key is a config value flows may read ({{config.<key>}}).
  for (const key of generatedKeys(integration.configPages)) fieldsByKey.set(key, { key, type: "string", label: key });
  const flowIds = new Set<string>();
  for (const flow of integration.flows) {
    if (flowIds.has(flow.id)) throw new CatalogError(id, `flows.${flow.id}`, "flow ids must be unique");
    flowIds.add(flow.id);
    checkFlow(integration, flow, fieldsByKey);
  }
  return integration;
}

/**
 * Validates every definition; throws CatalogError for the first one the platform cannot run.
 * An integration may come in several versions (1, 2, …, each following the one before).
 */
export function loadCatalog(definitions: readonly unknown[]): Catalog {
  const byId = new Map<string, IntegrationDefinition[]>();
  definitions.forEach((raw, index) => {
    const integration = checkIntegration(raw, index);
    const versions = byId.get(integration.id) ?? [];
    if (versions.some((v) => versionOf(v) === versionOf(integration))) {
      throw new CatalogError(integration.id, "version", `version ${versionOf(integration)} is defined twice`);
    }
    byId.set(integration.id, [...versions, integration].sort((a, b) => versionOf(a) - versionOf(b)));
  });
  for (const versions of byId.values()) {
    if (versionOf(versions[0]) !== 1) throw new CatalogError(versions[0].id, "version", "the first version must be 1");
    for (let i = 1; i < versions.length; i++) checkSuccessor(versions[i - 1], versions[i]);
  }
  const latest = [...byId.values()].map((versions) => versions.at(-1)!);
  return {
    integrations: latest,
    get: (id) => byId.get(id)?.at(-1),
    versions: (id) => byId.get(id) ?? [],
    fields: (integration) => integration.configPages.flatMap((page) => page.fields.map((field) => ({ page: page.name, field }))),
  };
}

// ---------------------------------------------------------------------------------------------
// Presenting the catalog to a customer

const ACTIVATION_PRIORITY: Record<ActivationState, number> = { activated: 3, paused: 2, "needs-configuration": 1, available: 0 };

function activationOf(instance: InstanceRecord): ActivationState {
  if (instance.status === "paused") return "paused";
  if (instance.status === "draft") return "needs-configuration";
  return "activated";
}

/**
 * The customer's activation of each integration: the most relevant state (deployed, then paused,
 * then draft), how many instances are deployed and running, whether one runs an older version
 * than `latest`, and — only for an integration that allows one instance — which instance it is.
 */
function activations(latest: (id: string) => IntegrationDefinition | undefined, instances: readonly InstanceRecord[]): Map<string, IntegrationSummary["activation"]> {
  const result = new Map<string, IntegrationSummary["activation"]>();
  // Newest first, so of equally relevant instances the most recently changed one is "the" one.
  for (const instance of [...instances].sort((a, b) => b.updatedAt - a.updatedAt)) {
    const definition = latest(instance.integrationId);
    const state = activationOf(instance);
    const current = result.get(instance.integrationId) ?? { state: "available", instanceCount: 0, activeCount: 0, updateAvailable: false };
    const deployed = instance.deployedAt !== undefined && instance.status !== "draft";
    const moreRelevant = ACTIVATION_PRIORITY[state] > ACTIVATION_PRIORITY[current.state];
    const next: IntegrationSummary["activation"] = {
      state: moreRelevant ? state : current.state,
      instanceCount: current.instanceCount + (deployed ? 1 : 0),
      activeCount: current.activeCount + (deployed && instance.status !== "paused" ? 1 : 0),
      updateAvailable: current.updateAvailable || (deployed && definition !== undefined && instanceVersion(instance) < versionOf(definition)),
    };
    // Where several instances may exist there is no "the" instance: callers list them instead.
    const one = moreRelevant ? instance.id : current.instanceId;
    if (!definition?.allowMultipleInstances && one !== undefined) next.instanceId = one;
    result.set(instance.integrationId, next);
  }
  return result;
}

/** The integration version an instance runs (or, never deployed, is set up with). */
export const instanceVersion = (instance: InstanceRecord): number => instance.integrationVersion ?? 1;

function summaryOf(integration: IntegrationDefinition, activation: IntegrationSummary["activation"] | undefined): IntegrationSummary {
  return {
    id: integration.id,
    name: integration.name,
    summary: integration.summary,
    category: integration.category,
    labels: [...integration.labels],
    icon: integration.icon,
    vendor: integration.vendor,
    version: versionOf(integration),
    allowMultipleInstances: integration.allowMultipleInstances === true,
    activation: activation ?? { state: "available", instanceCount: 0, activeCount: 0, updateAvailable: false },
  };
}

/**
 * The marketplace: `latest` is the newest version of each integration the caller's organization
 * offers, in catalog order; `instances` the customer's.
 */
export function listIntegrations(latest: readonly IntegrationDefinition[], instances: readonly InstanceRecord[], query: IntegrationListQuery): IntegrationList {
  const byId = new Map(latest.map((i) => [i.id, i]));
  const active = activations((id) => byId.get(id), instances);
  const words = (query.q ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  const label = query.label?.toLowerCase();
  const category = query.category?.toLowerCase();
  const integrations = latest
    .map((integration) => summaryOf(integration, active.get(integration.id)))
    .filter((summary) => {
      const integration = byId.get(summary.id)!;
      if (category && summary.category.toLowerCase() !== category) return false;
      if (label && !summary.labels.some((l) => l.toLowerCase() === label)) return false;
      if (query.state && summary.activation.state !== query.state) return false;
      if (words.length === 0) return true;
      const haystack = [summary.name, summary.summary, summary.vendor, summary.category, integration.description, ...summary.labels]
        .join("\n")
        .toLowerCase();
      return words.every((word) => haystack.includes(word));
    });
  const categories = [...new Set(latest.map((i) => i.category))].sort();
  const labels = [...new Set(latest.flatMap((i) => i.labels))].sort();
  return { integrations, categories, labels };
}

/**
 * One version of an integration as the customer sees it; `latest` is its newest version (the
 * card's `version` and activation are about it), `integration` the version asked for.
 */
export function integrationDetailOf(integration: IntegrationDefinition, latest: IntegrationDefinition, instances: readonly InstanceRecord[]): IntegrationDetail {
  const detail: IntegrationDetail = {
    ...summaryOf(latest, activations(() => latest, instances.filter((i) => i.integrationId === latest.id)).get(latest.id)),
    version: versionOf(integration),
    description: integration.description,
    configPages: integration.configPages,
    flows: integration.flows.map((flow) => {
      const summary: IntegrationDetail["flows"][number] = { id: flow.id, name: flow.name, trigger: flow.trigger };
      if (flow.description !== undefined) summary.description = flow.description;
      if (flow.trigger.kind === "webhook") summary.example = suggestedPayload(flow);
      return summary;
    }),
  };
  if (integration.releaseNotes !== undefined) detail.releaseNotes = integration.releaseNotes;
  return detail;
}
