/**
 * The config wizard's core, for the embedded frame's wizard (marketplace-frame/src/state/wizard.ts:
 * signals, localized messages, the host's pre-fill) and the headless one (sdk/headless/wizard.ts:
 * the public promise API). It knows the pages and where to resume, holds each field's starting
 * value, saves a page (a typed secret, once stored, leaves the form and is never re-sent, S2),
 * lands a platform field error on the page that owns the field, deploys with an Idempotency-Key
 * kept across an unknown outcome (D2), and fires the lifecycle events, each once.
 *
 * It names the instance (a customer tells several instances of one integration apart by name),
 * and runs an upgrade the same way: with an upgrade in progress (`instance.upgrade`, started
 * by the platform, contract/upgrade.ts) it walks only the pages the upgrade asks about, saves
 * and deploys against the upgrade's version (the platform refuses with VERSION_CONFLICT when the
 * setup moved on in another window), and fires `instance-upgraded` once it is deployed.
 *
 * Where the state lives is the adapter's choice: anything with a `value` (a preact signal in
 * the frame, so the UI follows; a plain object headless).
 */
import type { DeployResponse, Instance, IntegrationDetail } from "../contract/api.ts";
import type { EventPayloads, LifecycleEventName } from "../contract/channel-types.ts";
import type { ConfigPage, ConfigValuesInput } from "../contract/config-vars.ts";
import { formFromStored } from "../contract/connection-form.ts";
import { ApiErrorCode, ClientErrorCode } from "../contract/errors.ts";
import { initialValues, pagePayload, resumeIndex, rulesOf, storedSecretKeys } from "./config-form.ts";
import { dependencies, fetchOptions, isDataSourceField } from "./data-source.ts";
import { assertUsableDefinition } from "./definition.ts";
import { EmporiumApiError, isApiError } from "./error.ts";
import type { DataSourceRequest, DataSourceResult } from "../contract/api-types.ts";

/** A value holder: a preact signal, or `{ value }`. */
export interface Box<T> {
  value: T;
}

/** The lifecycle events a wizard fires (the embed's names and payloads). */
export type WizardEventName = Exclude<LifecycleEventName, "instance-deleted" | "instance-paused" | "instance-resumed">;
export type WizardEmit = <K extends WizardEventName>(event: K, payload: EventPayloads[K]) => void;

/**
 * `instance-deployed`, then `execution-failed` for each failed deploy flow: a failed flow does
 * not undo the deploy (D8), and the host hears about it, from the wizard or a plain deploy alike.
 */
export function emitDeployed(emit: WizardEmit, { instance, executions }: DeployResponse): void {
  const { id: instanceId, integrationId, integrationName } = instance;
  emit("instance-deployed", { integrationId, integrationName, instanceId });
  for (const x of executions) if (x.status == "failed") emit("execution-failed", { integrationId, instanceId, executionId: x.id, flowId: x.flowId });
}

/**
 * A failure whose outcome is unknown: the deploy may have happened, so a retry keeps its key (D2).
 * An answer not in the contract's shape (a body a proxy mangled or cut) may hide a deploy too.
 */
const outcomeUnknown = (e: unknown) =>
  !isApiError(e) ||
  e.code == ClientErrorCode.Network ||
  e.code == ClientErrorCode.Timeout ||
  e.code == ClientErrorCode.InvalidResponse ||
  e.code == ApiErrorCode.IdempotencyInProgress ||
  e.status >= 500;

/** A failure's field messages, when it has any (the platform's `VALIDATION_FAILED`). */
export const fieldErrors = (e: unknown): Record<string, string> | undefined =>
  isApiError(e) && e.fields && Object.keys(e.fields).length ? e.fields : undefined;

export interface WizardCoreOptions {
  integration: IntegrationDetail;
  /** The instance being configured, as last saved. */
  instance: Box<Instance>;
  /** The current page's index; set to where the wizard resumes. */
  index: Box<number>;
  /** Each field's value holder; set to the field's starting value. */
  field(key: string): Box<unknown>;
  api: {
    saveConfigPage(instanceId: string, page: string, values: ConfigValuesInput, integrationVersion?: number): Promise<Instance>;
    deploy(instanceId: string, idempotencyKey: string, integrationVersion?: number): Promise<DeployResponse>;
    dataSourceOptions(instanceId: string, key: string, request?: DataSourceRequest): Promise<DataSourceResult>;
    renameInstance(instanceId: string, name: string): Promise<Instance>;
    cancelUpgrade(instanceId: string): Promise<Instance>;
  };
  emit: WizardEmit;
}

/**
 * The integration version a wizard for `instance` shows: the upgrade's while one is in
 * progress, else the one it runs (or, never deployed, is set up with).
 */
export const wizardVersion = (instance: Pick<Instance, "integrationVersion" | "upgrade">): number => instance.upgrade?.toVersion ?? instance.integrationVersion;

/** What a wizard opens: a new or resumed setup of an integration, or an instance (its upgrade, when one is in progress). */
export type WizardOpenTarget = { integrationId: string } | { instanceId: string };

/**
 * The instance and the integration version a wizard shows, for the frame and the headless client
 * alike. An integration that allows one instance opens the customer's one (`activation.instanceId`);
 * otherwise the platform hands out the setup to continue or a new one (creating is idempotent:
 * a customer's unfinished setup is returned, never a second). The version is the instance's
 * (`wizardVersion`), fetched again when it is not the latest.
 */
export async function loadWizardTarget<I extends IntegrationDetail>(
  api: {
    getIntegration(id: string, version?: number): Promise<I>;
    getInstance(id: string): Promise<Instance>;
    createInstance(integrationId: string): Promise<Instance>;
  },
  target: WizardOpenTarget,
  /** Checks a definition before it is used; the default throws INVALID_DEFINITION for one the core cannot run. */
  usable: (integration: I) => I = (integration) => (assertUsableDefinition(integration), integration),
): Promise<{ integration: I; instance: Instance; created: boolean }> {
  let instance: Instance;
  let integration: I | undefined;
  let created = false;
  if ("instanceId" in target) {
    instance = await api.getInstance(target.instanceId);
  } else {
    // Checked before a draft is made: a definition the client refuses leaves nothing behind.
    integration = usable(await api.getIntegration(target.integrationId));
    const one = integration.activation.instanceId;
    if (one) instance = await api.getInstance(one);
    else {
      instance = await api.createInstance(integration.id);
      created = true;
    }
  }
  const version = wizardVersion(instance);
  if (integration?.version != version) integration = usable(await api.getIntegration(instance.integrationId, version));
  return { integration, instance, created };
}

export function createWizardCore({ integration, instance, index, field, api, emit }: WizardCoreOptions) {
  assertUsableDefinition(integration);
  /** The upgrade this wizard configures, when one is in progress. */
  const upgrade = instance.value.upgrade;
  const fromVersion = instance.value.integrationVersion;
  const version = integration.version;
  // An upgrade asks only about the pages with something new or now refused. The rules still read
  // every field, since a condition may look at a field on a page the upgrade does not show.
  const pages: ConfigPage[] = upgrade ? integration.configPages.filter((p) => upgrade.plan.pages.includes(p.name)) : integration.configPages;
  const fields = integration.configPages.flatMap((p) => p.fields);
  const reconfigure = instance.value.status != "draft";
  /** Connection fields whose secret the platform stores: left empty, they keep it. */
  const storedSecrets = storedSecretKeys(instance.value);
  const start = initialValues(integration, instance.value);
  for (const def of fields) field(def.key).value = start[def.key];
  /** The rules applied to the values held now (which pages and fields show, are required, disabled). */
  const rules = () => rulesOf(integration.configPages, (key) => field(key).value);
  index.value = resumeIndex(pages, instance.value, reconfigure || !!upgrade, rules());
  /** The next (step 1) or previous (-1) page the rules show, from `from`; -1 when there is none. */
  const step = (from: number, by: 1 | -1) => {
    const state = rules();
    for (let i = from + by; i >= 0 && i < pages.length; i += by) if (state.pages[pages[i]!.name]?.visible) return i;
    return -1;
  };
  let open = true;
  let deployKey: string | undefined;

  const ids = () => ({ integrationId: integration.id, instanceId: instance.value.id });
  const pageLoaded = () => {
    const page = pages[index.value];
    if (page) emit("instance-configuration-page-loaded", { ...ids(), pageName: page.name, pageIndex: index.value, pageCount: pages.length });
  };
  const goTo = (i: number) => {
    index.value = i;
    pageLoaded();
  };

  /** Moves to the page that owns a failure's field errors, as the user must fix them there. */
  const landErrors = (e: unknown) => {
    const fields = fieldErrors(e);
    if (!fields) return;
    const keys = Object.keys(fields);
    const owner = isApiError(e) && e.page ? pages.findIndex((p) => p.name == e.page) : pages.findIndex((p) => p.fields.some((f) => keys.includes(f.key)));
    if (owner >= 0 && owner != index.value) goTo(owner);
  };

  const close = () => {
    if (!open) return;
    open = false;
    emit("instance-configuration-closed", ids());
  };

  return {
    pages,
    reconfigure,
    upgrade,
    /** The version the pages are of (sent with every save and the deploy). */
    version,
    storedSecrets,
    rules,
    /** The page after / before `from` that the rules show; -1 when there is none (`from` is the last / first). */
    nextIndex: (from: number) => step(from, 1),
    previousIndex: (from: number) => step(from, -1),
    /**
     * A data-source field's options for the values held now. A dependency without a value is a
     * `VALIDATION_FAILED` on that dependency, before any request (the platform says the same).
     */
    options(key: string, search?: string): Promise<DataSourceResult> {
      const def = fields.find((f) => f.key == key);
      if (!def || !isDataSourceField(def)) return Promise.reject(new EmporiumApiError(ClientErrorCode.InvalidOption, `${integration.name} has no data-source field "${key}"`));
      const { values, missing } = dependencies(def, (k) => field(k).value, rules());
      if (missing.length) {
        const problems = Object.fromEntries(missing.map((k) => [k, `Choose ${fields.find((f) => f.key == k)!.label} first.`]));
        return Promise.reject(new EmporiumApiError("VALIDATION_FAILED", `${def.label} depends on other fields; fill them in first.`, 0, problems));
      }
      return fetchOptions(api, instance.value.id, def, values, search);
    },
    get open() {
      return open;
    },
    pageLoaded,
    goTo,
    opened: () => emit("instance-configuration-opened", { ...ids(), integrationName: integration.name }),
    /** The user gave up: `canceled`, then `closed`. The draft instance (or the upgrade in progress) stays. */
    cancel() {
      if (!open) return;
      emit("instance-configuration-canceled", ids());
      close();
    },
    /**
     * Drops the upgrade in progress: the instance keeps running its version, untouched. Then
     * `canceled` and `closed`. Rejects (the wizard stays open) when the platform refuses.
     */
    async discardUpgrade(): Promise<Instance> {
      instance.value = await api.cancelUpgrade(instance.value.id);
      if (open) {
        emit("instance-configuration-canceled", ids());
        close();
      }
      return instance.value;
    },
    /**
     * Renames the instance, when `name` (trimmed) differs from its name; a refused name rejects
     * with VALIDATION_FAILED and `fields.name`.
     */
    async rename(name: string): Promise<void> {
      if (name.trim() != instance.value.name) instance.value = await api.renameInstance(instance.value.id, name.trim());
    },
    /** `closed`, once. */
    close,
    /**
     * Saves a page's values (validated by the adapter first). A connection whose secret is now
     * stored goes back to its stored form, so the typed secret is neither held nor re-sent.
     * A platform field error moves to its page and is thrown.
     */
    async save(page: ConfigPage): Promise<void> {
      try {
        instance.value = await api.saveConfigPage(instance.value.id, page.name, pagePayload(page, (key) => field(key).value, rules()), version);
      } catch (e) {
        landErrors(e);
        throw e;
      }
      for (const def of page.fields) {
        if (def.type != "connection") continue;
        const { form, storedSecret } = formFromStored(instance.value.configValues[def.key]);
        if (storedSecret) storedSecrets.add(def.key);
        if (form) field(def.key).value = form;
      }
    },
    /**
     * Deploys the saved instance with one Idempotency-Key per attempt: kept for the retry of an
     * attempt whose outcome is unknown, so a lost answer cannot deploy twice (D2). Fires the
     * deploy events, then closes.
     */
    async deploy(): Promise<DeployResponse> {
      deployKey ??= crypto.randomUUID();
      try {
        const result = await api.deploy(instance.value.id, deployKey, version);
        deployKey = undefined;
        instance.value = result.instance;
        emitDeployed(emit, result);
        if (upgrade && result.instance.integrationVersion == upgrade.toVersion)
          emit("instance-upgraded", { ...ids(), fromVersion, toVersion: upgrade.toVersion });
        close();
        return result;
      } catch (e) {
        if (!outcomeUnknown(e)) deployKey = undefined;
        landErrors(e);
        throw e;
      }
    },
  };
}
export type WizardCore = ReturnType<typeof createWizardCore>;
