/**
 * The config wizard (lazy chunk). Opens for an integration (creating or resuming the draft
 * instance) or for an existing instance (reconfigure, current values shown, secrets masked).
 */
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { ConfigVarDefinition } from "../../../contract/config-vars.ts";
import type { Instance, IntegrationDetail } from "../../../contract/api.ts";
import { isApiError } from "../../../client/error.ts";
import { instancesApi } from "../instances-api.ts";
import { useFrame } from "../context.ts";
import { Field, fieldId } from "../fields/field.tsx";
import { Markdown } from "../markdown.tsx";
import type { Frame } from "../frame.ts";
import { createWizard, type Wizard as WizardState } from "../state/wizard.ts";
import { isDataSourceField } from "../../../client/data-source.ts";
import { assertUsableDefinition } from "../../../client/definition.ts";
import { PageContent } from "./wizard-content.tsx";
import { Loading } from "../ui/skeleton.tsx";

async function openDraft(frame: Frame, props: { integrationId?: string; instanceId?: string }) {
  const api = instancesApi(frame.api);
  let instance: Instance;
  let integration: IntegrationDetail;
  if (props.instanceId) {
    instance = await api.getInstance(props.instanceId);
    integration = usable(await api.getIntegration(instance.integrationId));
  } else {
    // Checked before a draft is made: a definition the client refuses leaves nothing behind.
    integration = usable(await api.getIntegration(props.integrationId!));
    const existing = integration.activation.instanceId;
    if (existing) {
      instance = await api.getInstance(existing);
    } else {
      instance = await api.createInstance(integration.id);
      frame.catalog.patchActivation(integration.id, { state: "needs-configuration", instanceId: instance.id });
    }
  }
  return createWizard(frame, integration, instance);
}

/** The definition, or INVALID_DEFINITION remembered with its integration (the error screen names it and its vendor). */
function usable(integration: IntegrationDetail): IntegrationDetail {
  try {
    assertUsableDefinition(integration);
  } catch (e) {
    if (isApiError(e)) refused.set(e, integration);
    throw e;
  }
  return integration;
}

/** The integration a refused definition belongs to, by its error. */
const refused = new WeakMap<object, IntegrationDetail>();

export function Wizard(props: { integrationId?: string; instanceId?: string }) {
  const frame = useFrame();
  const [wizard, setWizard] = useState<WizardState | undefined>();
  const [error, setError] = useState<string | undefined>();
  /** An integration whose definition cannot be used: its name and vendor, and the platform-neutral detail. */
  const [invalid, setInvalid] = useState<{ name: string; vendor: string; detail: string } | undefined>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    let opened: WizardState | undefined;
    setError(undefined);
    openDraft(frame, props).then(
      (w) => {
        if (!live) return;
        opened = w;
        w.opened();
        for (const warning of w.checkOverrides(frame.configVars.value)) frame.emit("warning", warning);
        frame.configVarCheck.value = w.checkOverrides;
        setWizard(w);
        w.emitPageLoaded();
        frame.markReady(props.instanceId ? "reconfigure" : "configure");
      },
      (e) => {
        if (!live) return;
        const integration = isApiError(e) && e.code === "INVALID_DEFINITION" ? refused.get(e) : undefined;
        if (integration) {
          const name = frame.locale.content(`integration.${integration.id}.name`, integration.name);
          setInvalid({ name, vendor: integration.vendor || name, detail: (e as Error).message });
        }
        setError(isApiError(e) ? e.code : "INTERNAL");
      },
    );
    return () => {
      live = false;
      if (opened) {
        frame.configVarCheck.value = undefined;
        opened.close();
      }
    };
  }, [attempt]);

  if (error)
    return (
      <div class="em-state" role="alert">
        <p class="em-state-title">
          {error === "NOT_FOUND"
            ? frame.t("detail.notFound")
            : invalid
              ? frame.t("wizard.invalidDefinition", { name: invalid.name, vendor: invalid.vendor })
              : frame.t("app.error.title")}
        </p>
        {invalid && (
          <details class="em-details">
            <summary>{frame.t("wizard.invalidDefinitionDetails", { vendor: invalid.vendor })}</summary>
            <p class="em-mono">{invalid.detail}</p>
          </details>
        )}
        <div class="em-row">
          <button type="button" class="em-button em-button-secondary" onClick={() => frame.navigate({ name: "marketplace" })}>
            {frame.t("app.back")}
          </button>
          {error !== "NOT_FOUND" && !invalid && (
            <button type="button" class="em-button" onClick={() => setAttempt(attempt + 1)}>
              {frame.t("app.retry")}
            </button>
          )}
        </div>
      </div>
    );
  if (!wizard) return <Loading lines={6} />;
  return <WizardPage wizard={wizard} />;
}

/**
 * One field bound to its own value signal: typing re-renders this field only.
 *
 * Each field is its own small `<form>` (the wizard around them is not one): Chromium's autofill
 * re-reads every control of the typed field's form after each keystroke, so one form of 200
 * fields cost several milliseconds a key on a long config page (issue 7 §3). Enter in a field
 * still submits the page: the hidden button makes the field's form submittable like the
 * wizard's own button did, also for fields with several inputs.
 */
function FieldSlot({ wizard: w, def, onSubmit }: { wizard: WizardState; def: ConfigVarDefinition; onSubmit: (e: Event) => void }) {
  const value = w.valueOf(def.key).value;
  const error = w.showErrors.value ? w.errors.value[def.key] : undefined;
  // Bench hook: keystroke → this field rendered.
  useLayoutEffect(() => {
    if (typeof performance !== "undefined" && performance.getEntriesByName("em:field-input", "mark").length) {
      performance.measure("em:field", "em:field-input");
      performance.clearMarks("em:field-input");
    }
  }, [value]);
  return (
    <form class="em-field-form" noValidate onSubmit={onSubmit}>
      <Field
        def={def}
        value={value}
        error={error}
        readOnly={w.isReadOnly(def.key)}
        locked={w.isLocked(def.key)}
        required={w.isRequired(def.key)}
        source={isDataSourceField(def) ? w.sourceBinding(def) : undefined}
        onChange={(v) => {
          performance.mark?.("em:field-input");
          w.setValue(def.key, v);
        }}
        instanceId={w.instance.value.id}
        integrationId={w.integration.id}
        storedSecret={w.storedSecrets.has(def.key)}
      />
      <button type="submit" hidden tabIndex={-1} />
    </form>
  );
}

/**
 * Fields per group. Off-screen groups skip style, layout and paint (`content-visibility: auto`,
 * styles.css). Groups rather than single fields: Chromium observes, pre-paints and hit-tests
 * every such box on every frame; on a 200-field page one box per field cost ~0.7 ms a keystroke,
 * groups of 20 ~0.1 ms (CDP trace, issue 7 §3).
 */
const FIELD_GROUP = 20;

/**
 * The page's shown fields in groups of FIELD_GROUP by position on the page, so a field the host
 * hides or shows never moves the others to another group (which would remount them).
 */
function fieldGroups(fields: readonly ConfigVarDefinition[], hidden: (key: string) => boolean) {
  const groups: { index: number; fields: ConfigVarDefinition[] }[] = [];
  fields.forEach((def, i) => {
    if (hidden(def.key)) return;
    const index = Math.floor(i / FIELD_GROUP);
    if (groups.at(-1)?.index !== index) groups.push({ index, fields: [] });
    groups.at(-1)!.fields.push(def);
  });
  return groups;
}

function WizardPage({ wizard: w }: { wizard: WizardState }) {
  const frame = useFrame();
  const { t, locale } = frame;
  const rootRef = useRef<HTMLDivElement>(null);
  const page = w.page.value;
  const status = w.status.value;
  const name = locale.content(`integration.${w.integration.id}.name`, w.integration.name);
  const reconfigure = w.instance.value.status !== "draft";
  const pending = status === "saving" || status === "deploying";

  // A language switch (the host's setLocale) re-words the field errors on screen.
  useEffect(() => w.rewordErrors(), [locale.table.value, locale.overrides.value, locale.intlTag.value]);

  // After a blocked Next, focus the first invalid field (the live region reads the summary).
  const focusRequest = w.focusRequest.value;
  useEffect(() => {
    if (focusRequest === 0) return;
    const first = Object.keys(w.errors.peek())[0];
    if (first) (rootRef.current?.querySelector(`#${CSS.escape(fieldId(first))}`) as HTMLElement | null)?.focus();
  }, [focusRequest]);

  const cancel = () => {
    w.cancel();
    frame.navigate(reconfigure ? { name: "instance", instanceId: w.instance.value.id } : { name: "integration", integrationId: w.integration.id });
  };

  const deploy = async () => {
    const result = await w.deploy();
    if (!result) return;
    const deployed = result.instance;
    frame.catalog.patchActivation(w.integration.id, { state: "activated", instanceId: deployed.id });
    // A failed activation flow does not undo the deploy (D8): say so (the core told the host).
    const failed = result.executions.filter((x) => x.status === "failed");
    if (failed.length) frame.toasts.push("error", t("wizard.deployedWithFailure", { name, flow: failed[0].flowName }));
    else frame.toasts.push("success", t("wizard.deployed", { name }));
    frame.navigate({ name: "instance", instanceId: deployed.id });
  };

  /** Next or deploy: the footer's primary button, or Enter in any field (its form's submit). */
  const submit = () => {
    const now = w.status.peek();
    if (now === "saving" || now === "deploying") return;
    if (w.isLast.value) void deploy();
    else void w.next();
  };
  const onSubmit = (e: Event) => {
    e.preventDefault();
    submit();
  };

  // Steps count the pages the rules show: a page that will be skipped is not a step.
  const steps = w.shownPages.value;
  const total = steps.length;
  const current = steps.findIndex((p) => p.name === page?.name) + 1;
  const groups = page ? fieldGroups(page.fields, w.isHidden) : [];
  const hasContent = !!page?.content?.length;
  return (
    <div class="em-wizard" ref={rootRef} aria-busy={pending}>
      <header class="em-wizard-header">
        <h1 class="em-title">{reconfigure ? t("wizard.reconfigureTitle", { name }) : t("wizard.title", { name })}</h1>
        {total > 1 && (
          <div class="em-progress">
            <p class="em-muted" id="em-step">
              {t("wizard.step", { current, total })}
            </p>
            <ol class="em-steps" aria-labelledby="em-step">
              {steps.map((p, i) => (
                <li key={p.name} class={i < current - 1 ? "em-step-done" : i === current - 1 ? "em-step-current" : ""} aria-current={i === current - 1 ? "step" : undefined}>
                  <span class="em-sr-only">{locale.content(`configPage.${w.integration.id}.${p.name}.title`, p.title)}</span>
                </li>
              ))}
            </ol>
          </div>
        )}
      </header>
      <p class="em-sr-only" aria-live="assertive" role="status">
        {w.errorSummary.value || w.announcement.value}
      </p>
      {page && (
        <section class="em-panel" aria-labelledby="em-page-title">
          <h2 class="em-panel-title" id="em-page-title">
            {locale.content(`configPage.${w.integration.id}.${page.name}.title`, page.title)}
          </h2>
          {page.description && <Markdown source={locale.content(`configPage.${w.integration.id}.${page.name}.description`, page.description)} class="em-muted" />}
          {hasContent && <PageContent wizard={w} page={page} />}
          {groups.length === 0 && !hasContent && <p class="em-muted">{t("wizard.noFields")}</p>}
          {groups.map((g) => (
            <div key={g.index} class="em-field-group" style={{ "--em-group-fields": g.fields.length }}>
              {g.fields.map((def) => (
                <FieldSlot key={def.key} wizard={w} def={def} onSubmit={onSubmit} />
              ))}
            </div>
          ))}
        </section>
      )}
      {w.failure.value && (
        <div class="em-banner em-banner-danger" role="alert">
          <span>{status === "deploy-failed" ? `${t("wizard.deployFailed")} ${frame.errorText(w.failure.value)}` : frame.errorText(w.failure.value)}</span>
        </div>
      )}
      <footer class="em-wizard-footer">
        <button type="button" class="em-button em-button-ghost" onClick={cancel} disabled={status === "deploying"}>
          {t("wizard.cancel")}
        </button>
        <span class="em-spacer" />
        {current > 1 && (
          <button type="button" class="em-button em-button-secondary" onClick={w.back} disabled={pending}>
            {t("wizard.back")}
          </button>
        )}
        {w.isLast.value ? (
          frame.session.canManage.value && (
            <button type="button" class="em-button em-button-primary" disabled={pending} aria-disabled={pending} onClick={submit}>
              {status === "deploying" ? (
                <>
                  <span class="em-spinner" aria-hidden="true" /> {t("wizard.deploying")}
                </>
              ) : status === "saving" ? (
                t("wizard.saving")
              ) : status === "deploy-failed" ? (
                t("wizard.deployRetry")
              ) : (
                t("wizard.deploy")
              )}
            </button>
          )
        ) : (
          <button type="button" class="em-button em-button-primary" disabled={pending} onClick={submit}>
            {status === "saving" ? t("wizard.saving") : t("wizard.next")}
          </button>
        )}
      </footer>
    </div>
  );
}
