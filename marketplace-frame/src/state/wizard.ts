/**
 * One run of the config wizard in the frame: the client core's wizard (client/wizard.ts: pages,
 * resume, starting values, save, deploy, events) held in signals, plus what only the frame does —
 * localized field messages, the host's pre-filled config vars, and the status, errors and
 * announcements the screen shows. Values live here (not in components), so going back and
 * forth, restyling or a failed request never loses input.
 */
import { computed, signal, type Signal } from "@preact/signals";
import type { DeployResponse, Instance, IntegrationDetail } from "../../../contract/api.ts";
import type { ConfigPage } from "../../../contract/config-vars.ts";
import { ChannelErrorCode } from "../../../contract/errors.ts";
import type { ChannelWarning, ConfigVarOverride, ConfigVarOverrides, InitConfigVars } from "../../../contract/protocol.ts";
import { configValueProblem } from "../../../contract/validate-config.ts";
import { createWizardCore, fieldErrors } from "../../../client/wizard.ts";
import { instancesApi } from "../instances-api.ts";
import { fieldProblem } from "../fields/problem.ts";
import { tn } from "../i18n/plural.ts";
import type { Frame } from "../frame.ts";

export type WizardStatus = "editing" | "saving" | "deploying" | "deploy-failed" | "deployed";

export function createWizard(frame: Frame, integration: IntegrationDetail, initial: Instance) {
  const pages: ConfigPage[] = integration.configPages;
  const fieldByKey = new Map(pages.flatMap((p) => p.fields).map((f) => [f.key, f]));
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
  const { storedSecrets } = core;

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

  const page = computed(() => pages[pageIndex.value]);
  const isLast = computed(() => pageIndex.value >= pages.length - 1);

  const isHidden = (key: string) => overrides.value[key]?.hidden === true;
  const isReadOnly = (key: string) => overrides.value[key]?.readOnly === true || !frame.session.canManage.value;

  function validatePage(p: ConfigPage): Record<string, string> {
    const out: Record<string, string> = {};
    for (const def of p.fields) {
      const problem = fieldProblem(def, slot(def.key).peek(), { storedSecrets }, frame.locale);
      if (problem) out[def.key] = problem;
    }
    return out;
  }

  function setValue(key: string, value: unknown) {
    edited.add(key);
    slot(key).value = value;
    if (showErrors.peek()) {
      const def = fieldByKey.get(key);
      if (def) {
        const problem = fieldProblem(def, value, { storedSecrets }, frame.locale);
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
    core.goTo(index);
  }

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
      next[key] = (def && fieldProblem(def, slot(key).peek(), { storedSecrets }, frame.locale)) || message;
    }
    errors.value = next;
  }

  /** Shows platform field errors (the core has moved to the page that owns them). */
  function showPlatformErrors(fields: Record<string, string>) {
    showErrors.value = true;
    platformErrors.value = true;
    errors.value = fields;
    focusRequest.value++;
  }

  function blockWith(problems: Record<string, string>): boolean {
    const count = Object.keys(problems).length;
    showErrors.value = true;
    platformErrors.value = false;
    errors.value = problems;
    if (count > 0) focusRequest.value++;
    return count > 0;
  }

  async function savePage(): Promise<boolean> {
    const p = page.value;
    if (!p) return true;
    if (blockWith(validatePage(p))) return false;
    status.value = "saving";
    failure.value = undefined;
    try {
      await core.save(p);
      status.value = "editing";
      return true;
    } catch (e) {
      status.value = "editing";
      const fields = fieldErrors(e);
      if (fields) showPlatformErrors(fields);
      else failure.value = e;
      return false;
    }
  }

  async function next() {
    if (status.value !== "editing" || isLast.value) return;
    if (await savePage()) goTo(pageIndex.value + 1);
  }

  function back() {
    if (pageIndex.value > 0 && status.value === "editing") goTo(pageIndex.value - 1);
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
      const fields = fieldErrors(e);
      if (fields) showPlatformErrors(fields);
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
    isHidden,
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
    close: core.close,
  };
}
export type Wizard = ReturnType<typeof createWizard>;
