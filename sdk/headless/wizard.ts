/**
 * The config wizard without a UI, for a host that draws its own form: the client core's wizard
 * (client/wizard.ts — the embedded wizard's pages, resume, save, deploy and events) behind the
 * public promise API: one operation at a time, values merged all or nothing, validation before
 * any request, and a wizard that refuses use once closed.
 */
import { EmporiumApiError } from "../../client/error.ts";
import type { FormValues } from "../../client/config-form.ts";
import { createWizardCore, loadWizardTarget, type Box, type WizardCoreOptions } from "../../client/wizard.ts";
import { ClientErrorCode } from "../../contract/errors.ts";
import type { ConfigPage, Instance } from "../../contract/api-types.ts";
import type { Integration, UpgradeWizard, Wizard, WizardOptions, WizardTarget } from "./types.ts";
import { invalidOption } from "./invalid-option.ts";
import { unavailableValues } from "../../client/data-source.ts";

/** What the wizard needs from the client: its own methods (they keep the client's instance map). */
export interface WizardDeps {
  getIntegration(id: string, version?: number): Promise<Integration>;
  getInstance(id: string): Promise<Instance>;
  createInstance(integrationId: string): Promise<Instance>;
  api: WizardCoreOptions["api"];
  emit: WizardCoreOptions["emit"];
}

/** Opens a wizard; with an upgrade in progress on the instance, it is that upgrade's wizard (`UpgradeWizard`). */
export async function openWizard(deps: WizardDeps, target: WizardTarget): Promise<Wizard & UpgradeWizard> {
  let integrationId: unknown;
  let instanceId: unknown;
  if (typeof target == "object" && target !== null && "instanceId" in target) instanceId = target.instanceId;
  else integrationId = typeof target == "string" ? target : (target as { integrationId?: unknown } | null)?.integrationId;
  if ((typeof instanceId != "string" || instanceId == "") && (typeof integrationId != "string" || integrationId == "")) {
    throw invalidOption("expected an integration id or { instanceId }");
  }
  const { integration, instance } = await loadWizardTarget(deps, typeof instanceId == "string" ? { instanceId } : { integrationId: integrationId as string });

  const values: FormValues = {};
  const field = (key: string): Box<unknown> => ({
    get value() {
      return values[key];
    },
    set value(v) {
      if (v === undefined) delete values[key];
      else values[key] = v as FormValues[string];
    },
  });
  const current = { value: instance };
  const index = { value: 0 };
  const core = createWizardCore({ integration, instance: current, index, field, api: deps.api, emit: deps.emit });
  const { pages } = core;
  let pending: Promise<unknown> | undefined;
  let pendingKind: "next" | "deploy" | undefined;

  const assertOpen = () => {
    if (!core.open) throw new EmporiumApiError(ClientErrorCode.WizardClosed, "This wizard is closed; open a new one");
  };

  const merge = (input: Readonly<Record<string, unknown>> | undefined) => {
    if (input === undefined) return;
    if (typeof input != "object" || input === null || Array.isArray(input)) {
      throw invalidOption("expected values as an object keyed by field key");
    }
    const known = new Set(pages.flatMap((p) => p.fields.map((f) => f.key)));
    // All or nothing: a refused value leaves every value as it was (what the user typed is kept).
    const merged: FormValues = {};
    for (const [key, value] of Object.entries(input)) {
      if (!known.has(key)) throw invalidOption(`${integration.name} has no field "${key}"`);
      try {
        merged[key] = structuredClone(value) as FormValues[string];
      } catch {
        // Never echo the value: it may be a secret.
        throw invalidOption(`the value of "${key}" is not data (a function or a symbol?)`);
      }
    }
    Object.assign(values, merged);
  };

  /** Validates before any request (the platform's own messages), then saves through the core. */
  async function saveCurrent(page: ConfigPage) {
    const problems = integration.validate(page, values, current.value);
    if (Object.keys(problems).length) {
      throw new EmporiumApiError("VALIDATION_FAILED", `Some values on "${page.title}" are not valid`, 0, problems, page.name);
    }
    await core.save(page);
  }

  /** One operation at a time; a second call of the same kind while one runs shares it (a double click deploys once, D1). */
  function exclusive<T>(kind: "next" | "deploy", run: () => Promise<T>): Promise<T> {
    if (pending) {
      if (pendingKind == kind) return pending as Promise<T>;
      return Promise.reject(invalidOption(`wait for ${pendingKind}() to finish first`));
    }
    pendingKind = kind;
    return (pending = run().finally(() => {
      pending = undefined;
      pendingKind = undefined;
    }));
  }

  const wizard: Wizard & UpgradeWizard = {
    get integration() {
      return integration;
    },
    get instance() {
      return current.value;
    },
    reconfigure: core.reconfigure,
    pages,
    get index() {
      return index.value;
    },
    get current() {
      return pages[index.value]!;
    },
    get isLast() {
      return core.nextIndex(index.value) == -1;
    },
    get state() {
      return core.rules();
    },
    get values() {
      return values;
    },
    get open() {
      return core.open;
    },
    version: core.version,
    // Only an upgrade's wizard is typed with it (client.upgrade); undefined otherwise.
    upgrade: core.upgrade!,
    async rename(name) {
      assertOpen();
      if (typeof name != "string") throw invalidOption("expected the name as a string");
      await core.rename(name);
    },
    async discard() {
      assertOpen();
      if (pending) throw invalidOption(`wait for ${pendingKind}() to finish first`);
      return core.discardUpgrade();
    },
    validate(input) {
      const page = pages[index.value];
      return page ? integration.validate(page, { ...values, ...(input ?? {}) }, current.value) : {};
    },
    next(input) {
      return exclusive("next", async () => {
        assertOpen();
        merge(input);
        if (core.nextIndex(index.value) == -1) throw invalidOption("this is the last page: call deploy()");
        await saveCurrent(pages[index.value]!);
        // The saved values decide which page comes next (the rules may show or hide pages).
        core.goTo(core.nextIndex(index.value));
      });
    },
    back() {
      assertOpen();
      const previous = core.previousIndex(index.value);
      if (pending || previous == -1) return;
      core.goTo(previous);
    },
    async options(key, o = {}): Promise<WizardOptions> {
      assertOpen();
      merge(o.values);
      const result = await core.options(key, o.search);
      return { ...result, unavailable: unavailableValues(values[key], result, !!o.search) };
    },
    deploy(input) {
      return exclusive("deploy", async () => {
        assertOpen();
        merge(input);
        const page = pages[index.value];
        if (page) await saveCurrent(page);
        return core.deploy();
      });
    },
    cancel: core.cancel,
    close: core.close,
  };

  core.opened();
  core.pageLoaded();
  return wizard;
}
