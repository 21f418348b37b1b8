/**
 * One run of the config wizard in the frame: the client core's wizard (client/wizard.ts: pages,
 * resume, starting values, save, deploy, events) held in signals, plus what only the frame does —
 * localized field messages, the host's pre-filled config vars, and the status, errors and
 * announcements the screen shows. Values live here (not in components), so going back and
 * forth, restyling or a failed request never loses input.
 */
import { computed, signal, type ReadonlySignal, type Signal } from "@preact/signals";
import type { DeployResponse, Instance, IntegrationDetail } from "../../../contract/api.ts";
import type { ConfigPage, ConfigVarDefinition } from "../../../contract/config-vars.ts";
import { ChannelErrorCode } from "../../../contract/errors.ts";
import type { ChannelWarning, ConfigVarOverride, ConfigVarOverrides, InitConfigVars } from "../../../contract/protocol.ts";
import { configValueProblem } from "../../../contract/validate-config.ts";
import { createWizardCore, fieldErrors } from "../../../client/wizard.ts";
import { instancesApi } from "../instances-api.ts";
import { createDataSources } from "./data-sources.ts";
import type { DataSourceField } from "../../../client/data-source.ts";
import type { SourceBinding } from "../fields/data-source-picklist.tsx";
import { fieldProblem } from "../fields/problem.ts";
import { tn } from "../i18n/plural.ts";
import type { Frame } from "../frame.ts";

export type WizardStatus = "editing" | "saving" | "deploying" | "deploy-failed" | "deployed" | "discarding";

export function createWizard(frame: Frame, integration: IntegrationDetail, initial: Instance) {
  const fieldByKey = new Map(integration.configPages.flatMap((p) => p.fields).map((f) => [f.key, f]));
  const instance = signal(initial);
  const pageIndex = signal(0);
  /**
   * One signal per field: a keystroke re-renders that field only, so a 200-field page stays
   * within a frame.
   */
  const slots = new Map<string, Signal<unknown>>();
  const slot = (key: string): Signal<unknown> => {
    let s = slots.get(key);
    if (!s) slots.set(key, (s = signal<unknown>(undefined)));
    return s;
  };
  const errors = signal<Record<string, string>>({});
  /** Errors show after the first attempt to leave a page; then they update as the user types. */
  const showErrors = signal(false);
  const status = signal<WizardStatus>("editing");
  /** The last failed save or deploy; shown with `frame.errorText`, so it follows the language. */
  const failure = signal<unknown>(undefined);
  const announcement = signal("");
  /** The page's errors came from the platform (worded as "not accepted") rather than the frame's check. */
  const platformErrors = signal(false);
  /**
   * The error summary the live region reads: the count of fields still wrong on this page, so it
   * follows each fix and is gone once they are all fixed (a stale "fix 2 fields" misleads).
   */
  const errorSummary = computed(() => {
    const count = showErrors.value ? Object.keys(errors.value).length : 0;
    if (count === 0) return "";
    return platformErrors.value ? frame.t("wizard.pageErrors") : tn(frame.locale, "wizard.fixErrors", count);
  });
  /** Bumped when the first invalid field should take focus. */
  const focusRequest = signal(0);

  // Values: the default, then what the platform saved (the core sets them), with the host's
  // pre-fill in between; a hidden or read-only host value always wins.
  const core = createWizardCore({ integration, instance, index: pageIndex, field: slot, api: instancesApi(frame.api), emit: frame.emit });
  const { storedSecrets, upgrade } = core;
  /** An upgrade walks only the pages it asks about (maybe none), then a review step where it is deployed. */
  const pages: ConfigPage[] = core.pages;
  const reviewing = signal(!!upgrade && pages.length === 0);
  /** Why each field is shown in an upgrade: new, or its carried value refused. */
  const asks = new Map((upgrade?.plan.asks ?? []).map((a) => [a.key, a]));
  /** The instance's name, typed on the first page when the integration allows several. */
  const name = signal(initial.name);
  const nameError = signal<string | undefined>(undefined);
  const asksName = integration.allowMultipleInstances && !upgrade;

  /** The integration's rules for the values held now: a change to any value re-decides them. */
  const rules = computed(() => core.rules());
  /**
   * What the screen reads of the rules, as strings: a keystroke re-decides the rules, but only a
   * changed verdict changes a string and re-renders what shows it (a 200-field page stays fast).
   */
  const keysWhere = (test: (rule: { visible: boolean; required: boolean; disabled: boolean }) => boolean) =>
    computed(() => ` ${Object.entries(rules.value.fields).flatMap(([key, rule]) => (test(rule) ? [key] : [])).join(" ")} `);
  const ruleHidden = keysWhere((r) => !r.visible);
  const ruleDisabled = keysWhere((r) => r.disabled);
  const ruleRequired = keysWhere((r) => r.required);
  const shownPageNames = computed(() => pages.filter((p) => rules.value.pages[p.name]?.visible).map((p) => p.name).join(" "));
  /** Pages the rules show, in order (the steps and "Step 2 of 3" count these). */
  const shownPages = computed(() => shownPageNames.value.split(" ").flatMap((name) => pages.filter((p) => p.name === name)));
  /** Which of a page's display elements show ("1 0 1"), one signal per page. */
  const contentSignals = new Map<string, ReadonlySignal<string>>();
  const contentShown = (name: string) => {
    let found = contentSignals.get(name);
    if (!found) contentSignals.set(name, (found = computed(() => (rules.value.content[name] ?? []).map((v) => (v ? 1 : 0)).join(" "))));
    return found;
  };

  const sources = createDataSources({
    // Every page's fields: a field may depend on one the upgrade does not ask about.
    pages: integration.configPages,
    core,
    instance,
    valueOf: (key) => slot(key).peek(),
    reset: (key, value) => (slot(key).value = value),
    announce: (text) => (announcement.value = text),
    clearedText: (def, gone) => {
      const app = connectionApp(def.dataSource.connection);
      return frame.t("dataSource.cleared", { values: gone.join(", "), field: labelOf(def.key), app });
    },
  });
  function connectionApp(key: string): string {
    const def = fieldByKey.get(key);
    return def?.type === "connection" ? def.connection.app : key;
  }
  const labelOf = (key: string) => frame.locale.content(`configVar.${integration.id}.${key}.label`, fieldByKey.get(key)?.label ?? key);

  /**
   * What a data-source field's control gets: its state (read here, so the field re-renders when
   * it changes), the app, the labels of the fields it waits for, and its actions.
   */
  function sourceBinding(def: DataSourceField): SourceBinding {
    const state = sources.stateOf(def.key).value;
    return {
      state,
      app: connectionApp(def.dataSource.connection),
      waitingFor: state.missing.map(labelOf),
      savedLabel: (value) => sources.searchedLabel(def.key, value) ?? instance.value.optionLabels?.[def.key]?.[value],
      load: (force) => void sources.load(def, force),
      search: (query) => sources.search(def.key, query),
    };
  }

  const overrides = computed(() => {
    const valid: ConfigVarOverrides = {};
    for (const [key, o] of Object.entries(frame.configVars.value)) {
      const def = fieldByKey.get(key);
      if (!def) continue;
      if (o.value !== undefined && configValueProblem(def, o.value, { storedSecrets }) !== undefined) {
        valid[key] = { hidden: o.hidden, readOnly: o.readOnly };
      } else valid[key] = o as ConfigVarOverride; // its value, if any, passed the field's check
    }
    return valid;
  });

  /** Checks the host's config vars against this integration: unknown names and bad values are warnings. */
  function checkOverrides(vars: InitConfigVars): ChannelWarning[] {
    const warnings: ChannelWarning[] = [];
    for (const [key, o] of Object.entries(vars)) {
      const def = fieldByKey.get(key);
      if (!def) warnings.push({ code: ChannelErrorCode.UnknownConfigVar, message: `${integration.name} has no config variable with this name`, subject: key });
      else if (o.value !== undefined && configValueProblem(def, o.value, { storedSecrets }) !== undefined)
        warnings.push({ code: ChannelErrorCode.InvalidConfigValue, message: "The value set by the host is not valid for this field and was ignored", subject: key });
    }
    applyOverrides(vars);
    return warnings;
  }

  /** Fields the user has typed into: a later pre-fill from the host leaves them alone. */
  const edited = new Set<string>();

  function applyOverrides(vars: InitConfigVars) {
    for (const [key, o] of Object.entries(vars)) {
      const def = fieldByKey.get(key);
      if (!def || o.value === undefined || configValueProblem(def, o.value, { storedSecrets }) !== undefined) continue;
      const saved = initial.configValues[key];
      if (o.hidden || o.readOnly || ((saved === undefined || saved === null) && !edited.has(key))) slot(key).value = o.value as ConfigVarOverride["value"]; // checked above
    }
  }

  const page = computed(() => (reviewing.value ? undefined : pages[pageIndex.value]));
  /** The step whose primary button deploys: the last page the rules show, or an upgrade's review. */
  const isLast = computed(() => (upgrade ? reviewing.value : core.nextIndex(pageIndex.value) === -1));

  /** Hidden by the host's pre-fill, or by the integration's rules. */
  const isHidden = (key: string) => overrides.value[key]?.hidden === true || ruleHidden.value.includes(` ${key} `);
  /** Disabled by a rule (shown as locked, its value kept). */
  const isLocked = (key: string) => ruleDisabled.value.includes(` ${key} `);
  /** Read-only for the host, a viewer, or while a rule disables the field. */
  const isReadOnly = (key: string) => overrides.value[key]?.readOnly === true || !frame.session.canManage.value || isLocked(key);
  /** Required now: `required`, or while its `requiredWhen` holds (never when hidden or disabled). */
  const isRequired = (key: string) => ruleRequired.value.includes(` ${key} `);
  /** The field as the rules make it now: required while its `requiredWhen` holds. */
  const ruled = (def: ConfigVarDefinition): ConfigVarDefinition => ({ ...def, required: rules.peek().fields[def.key]?.required ?? !!def.required });

  /** A field the rules hide or disable is not checked (the platform skips it too). */
  const problemOf = (def: ConfigVarDefinition, value: unknown): string | undefined => {
    const rule = rules.peek().fields[def.key];
    if (rule && (!rule.visible || rule.disabled)) return undefined;
    return fieldProblem(ruled(def), value, { storedSecrets }, frame.locale);
  };

  function validatePage(p: ConfigPage): Record<string, string> {
    const out: Record<string, string> = {};
    for (const def of p.fields) {
      const problem = problemOf(def, slot(def.key).peek());
      if (problem) out[def.key] = problem;
    }
    return out;
  }

  function setValue(key: string, value: unknown) {
    edited.add(key);
    slot(key).value = value;
    sources.chosen(key);
    // The options of the fields that depend on this one change with it.
    for (const dependent of sources.dependents(key)) if (!isHidden(dependent.key)) void sources.load(dependent);
    if (showErrors.peek()) {
      const def = fieldByKey.get(key);
      if (def) {
        const problem = problemOf(def, value);
        const current = errors.peek();
        // Only a changed verdict touches the errors object, so other fields don't re-render.
        if (problem !== current[key]) {
          const next = { ...current };
          if (problem) next[key] = problem;
          else delete next[key];
          errors.value = next;
        }
      }
    }
  }

  function goTo(index: number) {
    showErrors.value = false;
    errors.value = {};
    reviewing.value = false;
    core.goTo(index);
    showRefused();
  }

  /** On an upgrade's page, the carried values the new version refuses show their reason at once. */
  function showRefused() {
    const p = pages[pageIndex.peek()];
    if (!upgrade || !p) return;
    const refused: Record<string, string> = {};
    for (const def of p.fields) {
      const problem = asks.get(def.key)?.reason === "invalid" ? fieldProblem(def, slot(def.key).peek(), { storedSecrets }, frame.locale) : undefined;
      if (problem) refused[def.key] = problem;
    }
    if (Object.keys(refused).length) {
      showErrors.value = true;
      platformErrors.value = false;
      errors.value = refused;
    }
  }
  showRefused();

  /**
   * After a language switch: the field errors on screen in the new language. An error the
   * frame's own check no longer finds is the platform's message, kept as the platform sent it.
   */
  function rewordErrors() {
    const current = errors.peek();
    if (Object.keys(current).length === 0) return;
    const next: Record<string, string> = {};
    for (const [key, message] of Object.entries(current)) {
      const def = fieldByKey.get(key);
      next[key] = (def && problemOf(def, slot(key).peek())) || message;
    }
    errors.value = next;
  }

  /** Shows platform field errors (the core has moved to the page that owns them). */
  /** The platform's field errors of a refused save or deploy, next to their fields; false when `e` has none. */
  function showPlatformErrors(e: unknown): boolean {
    const fields = fieldErrors(e);
    if (!fields) return false;
    showErrors.value = true;
    platformErrors.value = true;
    errors.value = fields;
    focusRequest.value++;
    return true;
  }

  function blockWith(problems: Record<string, string>): boolean {
    const count = Object.keys(problems).length;
    showErrors.value = true;
    platformErrors.value = false;
    errors.value = problems;
    if (count > 0) focusRequest.value++;
    return count > 0;
  }

  function setName(value: string) {
    name.value = value;
    if (nameError.peek() !== undefined) nameError.value = value.trim() ? undefined : frame.t("wizard.nameRequired");
  }

  async function savePage(): Promise<boolean> {
    const p = page.value;
    if (!p) return true;
    const naming = asksName && pageIndex.peek() === 0;
    const nameProblem = naming && !name.peek().trim() ? frame.t("wizard.nameRequired") : undefined;
    nameError.value = nameProblem;
    if (blockWith(validatePage(p)) || nameProblem) {
      if (nameProblem) focusRequest.value++;
      return false;
    }
    status.value = "saving";
    failure.value = undefined;
    try {
      if (naming) {
        try {
          await core.rename(name.peek());
        } catch (e) {
          // A taken name: the platform's message, next to the name.
          const message = fieldErrors(e)?.name;
          if (!message) throw e;
          nameError.value = message;
          focusRequest.value++;
          status.value = "editing";
          return false;
        }
      }
      await core.save(p);
      status.value = "editing";
      return true;
    } catch (e) {
      status.value = "editing";
      if (!showPlatformErrors(e)) failure.value = e;
      return false;
    }
  }

  async function next() {
    if (status.value !== "editing" || isLast.value) return;
    if (!(await savePage())) return;
    // An upgrade's last page leads to its review, where the deploy is a step of its own.
    const following = core.nextIndex(pageIndex.value);
    if (upgrade && following === -1) {
      showErrors.value = false;
      errors.value = {};
      reviewing.value = true;
    } else goTo(following);
  }

  function back() {
    if (status.value !== "editing") return;
    if (reviewing.value) {
      // Back from the review: the last page the rules show, if the upgrade asks any.
      const last = core.previousIndex(pages.length);
      if (last >= 0) goTo(last);
      return;
    }
    const previous = core.previousIndex(pageIndex.value);
    if (previous >= 0) goTo(previous);
  }

  /** Drops the upgrade (the instance keeps its version, untouched); false when the platform refused. */
  async function discard(): Promise<boolean> {
    if (status.value !== "editing" && status.value !== "deploy-failed") return false;
    status.value = "discarding";
    try {
      await core.discardUpgrade();
      return true;
    } catch (e) {
      failure.value = e;
      status.value = "editing";
      return false;
    }
  }

  let deploying = false;
  /**
   * Save the last page, then deploy. A synchronous guard plus a disabled button make a
   * double click deploy once (D1); the core keeps the Idempotency-Key for a retry whose outcome
   * was unknown (network, timeout, 5xx, an answer not in the contract), so a lost response
   * cannot deploy twice (D2).
   */
  async function deploy(): Promise<DeployResponse | undefined> {
    if (deploying || !frame.session.canManage.value) return undefined;
    deploying = true;
    try {
      if (!(await savePage())) return undefined;
      status.value = "deploying";
      failure.value = undefined;
      const result = await core.deploy();
      status.value = "deployed";
      return result;
    } catch (e) {
      status.value = "deploy-failed";
      showPlatformErrors(e);
      failure.value = e;
      announcement.value = frame.t("wizard.deployFailed");
      return undefined;
    } finally {
      deploying = false;
    }
  }

  return {
    integration,
    instance,
    pages,
    upgrade,
    asks,
    reviewing,
    name,
    nameError,
    asksName,
    setName,
    discard,
    pageIndex,
    page,
    isLast,
    valueOf: slot,
    errors,
    focusRequest,
    showErrors,
    status,
    failure,
    announcement,
    errorSummary,
    storedSecrets,
    rules,
    shownPages,
    contentShown,
    sources,
    sourceBinding,
    isHidden,
    isLocked,
    isRequired,
    isReadOnly,
    setValue,
    next,
    back,
    deploy,
    checkOverrides,
    rewordErrors,
    /** `instance-configuration-opened`, `-page-loaded` (current page), `-canceled` + `-closed`, `-closed` (once). */
    opened: core.opened,
    emitPageLoaded: core.pageLoaded,
    cancel: core.cancel,
    close() {
      sources.dispose();
      core.close();
    },
  };
}
export type Wizard = ReturnType<typeof createWizard>;
