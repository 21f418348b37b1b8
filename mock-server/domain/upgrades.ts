/**
 * Moving an instance to a newer version of its integration. The instance keeps running the
 * version it was deployed with while an upgrade is configured beside it (`ConfigDraft.upgrade`:
 * the values for the new version, saved page by page); only deploying the upgrade switches it
 * (instances.ts), and canceling drops it without touching what runs.
 *
 * What carries over and what is asked is contract/upgrade.ts (`planUpgrade`), run here on the
 * values the instance runs, with the platform's own checks (an OAuth grant must still be valid).
 */
import { planUpgrade, type UpgradePlan } from "../../contract/upgrade.ts";
import { configValueProblem } from "../../contract/validate-config.ts";
import { generatedKeys } from "../../contract/page-references.ts";
import { versionOf } from "../../contract/catalog.ts";
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { draftOf, connectionFieldProblem } from "./instance-records.ts";
import { instanceVersion } from "./catalog.ts";
import type { PlatformContext } from "./context.ts";
import type { InstanceRecord, StoredValue, UpgradeDraft } from "./store.ts";
import type { UpgradePlanSummary } from "../../contract/api.ts";

/** The plan without its values (what the API shows). */
export function planSummary(plan: UpgradePlan): UpgradePlanSummary {
  const { values: _values, ...summary } = plan;
  return summary;
}

/**
 * The data-source labels of the values an upgrade carries (a renamed field's move with it), as
 * they were saved; the options are asked for again only when the customer changes a value.
 */
function carriedLabels(labels: Record<string, Record<string, string>> | undefined, plan: UpgradePlan): Pick<UpgradeDraft, "optionLabels"> {
  if (!labels) return {};
  const carried: Record<string, Record<string, string>> = {};
  for (const key of plan.kept) if (Object.hasOwn(labels, key)) carried[key] = structuredClone(labels[key]);
  for (const { from, to } of plan.renamed) if (Object.hasOwn(labels, from)) carried[to] = structuredClone(labels[from]);
  return Object.keys(carried).length ? { optionLabels: carried } : {};
}

export class Upgrades {
  readonly #ctx: PlatformContext;

  constructor(ctx: PlatformContext) {
    this.#ctx = ctx;
  }

  /**
   * What moving `values` of `instance` from `fromVersion` to `toVersion` does. `undefined` when
   * there is nothing to move to.
   */
  plan(instance: InstanceRecord, values: Record<string, StoredValue>, fromVersion: number, toVersion: number): UpgradePlan<StoredValue> | undefined {
    const { snapshot, versions } = this.#ctx;
    const from = versions.get(instance.organizationId, instance.integrationId, fromVersion);
    const steps = versions.between(instance.organizationId, instance.integrationId, fromVersion, toVersion);
    if (!from || steps.length === 0 || versionOf(steps.at(-1)!) !== toVersion) return undefined;
    // Generated keys are not fields: the customer pasted them into the app, so one the new
    // version still shows keeps its value (a new one would break what the app sends).
    const generated = new Set(generatedKeys(from.configPages));
    const fieldValues = Object.fromEntries(Object.entries(values).filter(([key]) => !generated.has(key)));
    const plan = planUpgrade(from, steps, fieldValues, (field, value) => configValueProblem(field, value) ?? connectionFieldProblem(snapshot, instance, field, value));
    for (const key of generatedKeys(steps.at(-1)!.configPages)) if (generated.has(key) && Object.hasOwn(values, key)) plan.values[key] = values[key];
    return plan;
  }

  /**
   * The update a deployed instance can take: to the latest version, from the values it runs.
   * None for an instance never deployed (its setup moves to the latest version by itself) or on
   * the latest version already.
   */
  available(instance: InstanceRecord): UpgradePlan<StoredValue> | undefined {
    if (instance.deployedAt === undefined) return undefined;
    const latest = this.#ctx.versions.latest(instance.organizationId, instance.integrationId);
    if (!latest || versionOf(latest) <= instanceVersion(instance)) return undefined;
    return this.plan(instance, instance.config, instanceVersion(instance), versionOf(latest));
  }

  /**
   * Starts configuring an upgrade of a deployed instance to `toVersion` (default: the latest),
   * from the values it runs: kept and renamed values are saved for the new version, and the
   * pages with nothing to ask count as done. Asking again for the upgrade in progress returns it
   * (`started: false`), so two windows share one; another version while one is in progress, a
   * deploy in flight, or no newer version is a 409.
   */
  start(instance: InstanceRecord, toVersion: number | undefined): { started: boolean } {
    const { snapshot, clock } = this.#ctx;
    const draft = draftOf(snapshot, instance);
    const latest = versionOf(this.#ctx.latest(instance.organizationId, instance.integrationId));
    const target = toVersion ?? latest;
    const current = instanceVersion(instance);
    if (instance.deployedAt === undefined) {
      throw new PlatformError(ApiErrorCode.Conflict, "This instance was never deployed: its setup already uses the latest version.");
    }
    if (instance.status === "deploying") throw new PlatformError(ApiErrorCode.Conflict, "This instance is being deployed; upgrade it once that has finished.");
    if (draft.upgrade) {
      if (draft.upgrade.toVersion === target) return { started: false };
      throw new PlatformError(ApiErrorCode.Conflict, `An upgrade to version ${draft.upgrade.toVersion} is in progress; finish or cancel it first.`);
    }
    if (target <= current) throw new PlatformError(ApiErrorCode.Conflict, `This instance runs version ${current}; it can only move to a later version.`);
    if (target > latest) throw new PlatformError(ApiErrorCode.NotFound, `Integration "${instance.integrationId}" has no version ${target}; the latest is ${latest}.`);
    const plan = this.plan(instance, instance.config, current, target)!;
    const upgrade: UpgradeDraft = {
      toVersion: target,
      startedAt: clock.now(),
      plan: planSummary(plan),
      values: structuredClone(plan.values),
      ...carriedLabels(draft.optionLabels, plan),
      completedPages: this.#ctx.version(instance.organizationId, instance.integrationId, target).configPages.map((p) => p.name).filter((name) => !plan.pages.includes(name)),
    };
    draft.upgrade = upgrade;
    draft.updatedAt = upgrade.startedAt;
    instance.updatedAt = upgrade.startedAt;
    return { started: true };
  }

  /** Drops the upgrade in progress, if any; the instance keeps running what it ran. 409 while it is being deployed. */
  cancel(instance: InstanceRecord): void {
    const draft = draftOf(this.#ctx.snapshot, instance);
    if (!draft.upgrade) return;
    if (instance.status === "deploying") throw new PlatformError(ApiErrorCode.Conflict, "This upgrade is being deployed; it can no longer be canceled.");
    delete draft.upgrade;
    instance.updatedAt = this.#ctx.clock.now();
  }

  /**
   * An unfinished setup (never deployed) on an older version moves to the latest by itself: the
   * customer has nothing running to keep, so the wizard simply shows the newest pages.
   */
  catchUpDraft(instance: InstanceRecord): void {
    if (instance.deployedAt !== undefined) return;
    const latest = versionOf(this.#ctx.latest(instance.organizationId, instance.integrationId));
    if (latest <= instanceVersion(instance)) return;
    const draft = draftOf(this.#ctx.snapshot, instance);
    const plan = this.plan(instance, draft.values, instanceVersion(instance), latest)!;
    draft.values = plan.values;
    const labels = carriedLabels(draft.optionLabels, plan).optionLabels;
    if (labels) draft.optionLabels = labels;
    else delete draft.optionLabels;
    // Pages the customer saved stay done unless they are gone or now ask something.
    const pages = new Set(this.#ctx.version(instance.organizationId, instance.integrationId, latest).configPages.map((p) => p.name));
    draft.completedPages = draft.completedPages.filter((name) => pages.has(name) && !plan.pages.includes(name));
    instance.integrationVersion = latest;
  }
}
