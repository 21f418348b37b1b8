/**
 * The config wizard (lazy chunk). Opens for an integration (creating or resuming the draft
 * instance) or for an existing instance (reconfigure, current values shown, secrets masked).
 * Where an integration allows several instances, the first page names this one. With an upgrade
 * in progress it is the upgrade's wizard: only the pages the upgrade asks about (new fields
 * tagged, refused carried values with their reason), then a review of what changes, where
 * deploying is the explicit last step; Cancel drops the upgrade and leaves the instance as it was.
 */
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { ConfigVarDefinition } from "../../../contract/config-vars.ts";
import type { IntegrationDetail } from "../../../contract/api.ts";
import { isApiError } from "../../../client/error.ts";
import { loadWizardTarget } from "../../../client/wizard.ts";
import { instancesApi } from "../instances-api.ts";
import { useFrame } from "../context.ts";
import { Field, fieldId } from "../fields/field.tsx";
import { Markdown } from "../markdown.tsx";
import type { Frame } from "../frame.ts";
import { createWizard, type Wizard as WizardState } from "../state/wizard.ts";
import { isDataSourceField } from "../../../client/data-source.ts";
import { assertUsableDefinition } from "../../../client/definition.ts";
import { PageContent } from "./wizard-content.tsx";
import { refreshCatalog } from "../state/catalog-refresh.ts";
import { Manage, useCanManage } from "../ui/manage.tsx";
import { Loading } from "../ui/skeleton.tsx";
import { Failed } from "../ui/state.tsx";
import { FieldError } from "../ui/field-error.tsx";

async function openDraft(frame: Frame, props: { integrationId?: string; instanceId?: string }) {
  const { integration, instance, created } = await loadWizardTarget(
    instancesApi(frame.api),
    props.instanceId ? { instanceId: props.instanceId } : { integrationId: props.integrationId! },
    usable,
  );
  // A new draft: its card says so now, before anything is typed. (Asking the platform for the list
  // instead would re-render the list under the wizard while the user types.)
  if (created) {
    const { catalog } = frame;
    catalog.entries.value = catalog.entries.value.map((e) => {
      const a = e.integration.activation;
      if (e.integration.id !== integration.id || a.state !== "available") return e;
      const activation = { ...a, state: "needs-configuration" as const, ...(integration.allowMultipleInstances ? {} : { instanceId: instance.id }) };
      return { ...e, integration: { ...e.integration, activation } };
    });
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
  // Every field is read-only to a viewer: the form waits for the role, so nobody types into a
  // field that then locks, and an admin sees no "Read-only" tags flash by.
  const roleKnown = useCanManage() !== undefined;

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
      <Failed
        title={
          error === "NOT_FOUND"
            ? frame.t("detail.notFound")
            : invalid && frame.t("wizard.invalidDefinition", { name: invalid.name, vendor: invalid.vendor })
        }
        back={() => frame.navigate({ name: "marketplace" })}
        retry={error === "NOT_FOUND" || invalid ? undefined : () => setAttempt(attempt + 1)}
      >
        {invalid && (
          <details class="em-details">
            <summary>{frame.t("wizard.invalidDefinitionDetails", { vendor: invalid.vendor })}</summary>
            <p class="em-mono">{invalid.detail}</p>
          </details>
        )}
      </Failed>
    );
  if (!wizard || !roleKnown) return <Loading lines={6} />;
  return <WizardPage wizard={wizard} reload={() => setAttempt(attempt + 1)} />;
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
  const { t } = useFrame();
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
        badge={w.asks.get(def.key)?.reason === "new" ? t("wizard.new") : undefined}
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

/** What the upgrade does, in the customer's words: what carries over, what was renamed, what is gone, what is new. */
function UpgradeReview({ wizard: w }: { wizard: WizardState }) {
  const frame = useFrame();
  const { t, locale } = frame;
  const plan = w.upgrade!.plan;
  // Renamed and removed keys are the running version's: their labels come from its definition
  // (the key itself until it has loaded, or if it cannot).
  const [old, setOld] = useState<IntegrationDetail>();
  useEffect(() => {
    let live = true;
    instancesApi(frame.api).getIntegration(w.integration.id, plan.fromVersion).then((d) => live && setOld(d), () => undefined);
    return () => void (live = false);
  }, [w.integration.id, plan.fromVersion]);
  const labelIn = (detail: IntegrationDetail | undefined) => (key: string) => {
    const def = detail?.configPages.flatMap((p) => p.fields).find((f) => f.key === key);
    return def ? locale.content(`configVar.${w.integration.id}.${key}.label`, def.label) : key;
  };
  const label = labelIn(w.integration);
  const oldLabel = labelIn(old);
  const rows: Array<[string, string[]]> = [
    [t("wizard.reviewAdded"), plan.added.map(label)],
    [t("wizard.reviewRenamed"), plan.renamed.map((r) => t("wizard.reviewRenamedItem", { from: oldLabel(r.from), to: label(r.to) }))],
    [t("wizard.reviewKept"), plan.kept.map(label)],
    [t("wizard.reviewRemoved"), plan.removed.map(oldLabel)],
  ];
  return (
    <section class="em-panel em-review" aria-labelledby="em-page-title">
      <h2 class="em-panel-title" id="em-page-title">
        {t("wizard.review")}
      </h2>
      <p class="em-muted">{t("wizard.reviewBody", { from: plan.fromVersion, to: plan.toVersion })}</p>
      <dl class="em-review-list">
        {rows
          .filter(([, items]) => items.length > 0)
          .map(([title, items]) => (
            <div key={title} class="em-review-row">
              <dt>{title}</dt>
              <dd>
                <ul class="em-review-items">
                  {items.map((item) => (
                    <li key={item}>{item}</li>
                  ))}
                </ul>
              </dd>
            </div>
          ))}
      </dl>
    </section>
  );
}

/** The instance's name, on the first page of an integration that allows several instances. */
function NameField({ wizard: w, onSubmit }: { wizard: WizardState; onSubmit: (e: Event) => void }) {
  const { t, locale, session } = useFrame();
  const error = w.nameError.value;
  const id = fieldId("$name");
  return (
    <form class="em-field-form" noValidate onSubmit={onSubmit}>
      <div class={`em-field em-field-string${error ? " em-field-invalid" : ""}`}>
        <label class="em-label" for={id}>
          {t("wizard.name")}
          <span class="em-required" aria-hidden="true">
            {" "}
            *
          </span>
        </label>
        <p class="em-help" id={`${id}-desc`}>
          {t("wizard.nameHint", { name: locale.content(`integration.${w.integration.id}.name`, w.integration.name) })}
        </p>
        <input
          id={id}
          class="em-input"
          value={w.name.value}
          maxLength={200}
          readOnly={!session.canManage.value}
          aria-invalid={!!error}
          aria-required
          aria-describedby={[error ? `${id}-error` : "", `${id}-desc`].filter(Boolean).join(" ")}
          onInput={(e) => w.setName(e.currentTarget.value)}
        />
        <FieldError id={id} error={error} />
      </div>
      <button type="submit" hidden tabIndex={-1} />
    </form>
  );
}

function WizardPage({ wizard: w, reload }: { wizard: WizardState; reload: () => void }) {
  const frame = useFrame();
  const { t, locale } = frame;
  const rootRef = useRef<HTMLDivElement>(null);
  const page = w.page.value;
  const status = w.status.value;
  const name = locale.content(`integration.${w.integration.id}.name`, w.integration.name);
  const reconfigure = w.instance.value.status !== "draft";
  const upgrade = w.upgrade;
  const pending = status === "saving" || status === "deploying" || status === "discarding";

  // A language switch (the host's setLocale) re-words the field errors on screen.
  useEffect(() => w.rewordErrors(), [locale.table.value, locale.overrides.value, locale.intlTag.value]);

  // After a blocked Next, focus the first invalid field (the live region reads the summary).
  const focusRequest = w.focusRequest.value;
  useEffect(() => {
    if (focusRequest === 0) return;
    const first = w.nameError.peek() !== undefined ? "$name" : Object.keys(w.errors.peek())[0];
    if (first) (rootRef.current?.querySelector(`#${CSS.escape(fieldId(first))}`) as HTMLElement | null)?.focus();
  }, [focusRequest]);

  const cancel = async () => {
    if (upgrade) {
      // Canceling an upgrade drops it: the instance keeps running its version, as it was.
      if (!(await w.discard())) return;
      frame.toasts.push("success", t("wizard.upgradeCanceled", { name: w.instance.value.name, version: w.instance.value.integrationVersion }));
      void refreshCatalog(frame);
      frame.navigate({ name: "instance", instanceId: w.instance.value.id });
      return;
    }
    w.cancel();
    frame.navigate(reconfigure ? { name: "instance", instanceId: w.instance.value.id } : { name: "integration", integrationId: w.integration.id });
  };

  const deploy = async () => {
    const result = await w.deploy();
    if (!result) return;
    const deployed = result.instance;
    void refreshCatalog(frame);
    // A failed activation flow does not undo the deploy (D8): say so (the core told the host).
    const failed = result.executions.filter((x) => x.status === "failed");
    if (failed.length) frame.toasts.push("error", t("wizard.deployedWithFailure", { name: deployed.name, flow: failed[0].flowName }));
    else if (upgrade) frame.toasts.push("success", t("wizard.upgraded", { name: deployed.name, version: deployed.integrationVersion }));
    else frame.toasts.push("success", t("wizard.deployed", { name: deployed.name }));
    frame.navigate({ name: "instance", instanceId: deployed.id });
  };

  /** Next or deploy: the footer's primary button, or Enter in any field (its form's submit). */
  const submit = () => {
    const now = w.status.peek();
    if (now === "saving" || now === "deploying" || now === "discarding") return;
    if (w.isLast.value) void deploy();
    else void w.next();
  };
  const onSubmit = (e: Event) => {
    e.preventDefault();
    submit();
  };

  // Steps count the pages the rules show (a page that will be skipped is not a step), and an
  // upgrade's review is a step of its own, after the pages it asks about.
  const steps = w.shownPages.value;
  const total = steps.length + (upgrade ? 1 : 0);
  const current = w.reviewing.value ? total : steps.findIndex((p) => p.name === page?.name) + 1;
  const groups = page ? fieldGroups(page.fields, w.isHidden) : [];
  const hasContent = !!page?.content?.length;
  const stepTitles = [
    ...steps.map((p) => locale.content(`configPage.${w.integration.id}.${p.name}.title`, p.title)),
    ...(upgrade ? [t("wizard.review")] : []),
  ];
  const conflict = isApiError(w.failure.value) && w.failure.value.code === "VERSION_CONFLICT";
  const title = upgrade
    ? t("wizard.upgradeTitle", { name: w.instance.value.name, version: upgrade.toVersion })
    : reconfigure
      ? t("wizard.reconfigureTitle", { name: w.integration.allowMultipleInstances ? w.instance.value.name : name })
      : t("wizard.title", { name });
  return (
    <div class="em-wizard" ref={rootRef} aria-busy={pending}>
      <header class="em-wizard-header">
        <h1 class="em-title">{title}</h1>
        {total > 1 && (
          <div class="em-progress">
            <p class="em-muted" id="em-step">
              {t("wizard.step", { current, total })}
            </p>
            <ol class="em-steps" aria-labelledby="em-step">
              {stepTitles.map((stepTitle, i) => (
                <li key={i} class={i < current - 1 ? "em-step-done" : i === current - 1 ? "em-step-current" : ""} aria-current={i === current - 1 ? "step" : undefined}>
                  <span class="em-sr-only">{stepTitle}</span>
                </li>
              ))}
            </ol>
          </div>
        )}
      </header>
      <p class="em-sr-only" aria-live="assertive" role="status">
        {w.errorSummary.value || w.announcement.value}
      </p>
      {upgrade && !w.reviewing.value && (
        <p class="em-banner em-banner-info">{t("wizard.upgradeHint", { from: w.instance.value.integrationVersion, to: upgrade.toVersion })}</p>
      )}
      {page && (
        <section class="em-panel" aria-labelledby="em-page-title">
          <h2 class="em-panel-title" id="em-page-title">
            {locale.content(`configPage.${w.integration.id}.${page.name}.title`, page.title)}
          </h2>
          {page.description && <Markdown source={locale.content(`configPage.${w.integration.id}.${page.name}.description`, page.description)} class="em-muted" />}
          {w.asksName && w.pageIndex.value === 0 && <NameField wizard={w} onSubmit={onSubmit} />}
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
      {w.reviewing.value && <UpgradeReview wizard={w} />}
      {w.failure.value && (
        <div class="em-banner em-banner-danger" role="alert">
          <span>
            {conflict
              ? t("wizard.versionConflict")
              : status === "deploy-failed"
                ? `${t("wizard.deployFailed")} ${frame.errorText(w.failure.value)}`
                : frame.errorText(w.failure.value)}
          </span>
          {conflict && (
            <button type="button" class="em-button em-button-secondary" onClick={reload}>
              {t("wizard.reload")}
            </button>
          )}
        </div>
      )}
      <footer class="em-wizard-footer">
        <button type="button" class="em-button em-button-ghost" onClick={() => void cancel()} disabled={status === "deploying" || status === "discarding" || (!!upgrade && !frame.session.canManage.value)}>
          {upgrade ? t("wizard.cancelUpgrade") : t("wizard.cancel")}
        </button>
        <span class="em-spacer" />
        {current > 1 && (
          <button type="button" class="em-button em-button-secondary" onClick={w.back} disabled={pending}>
            {t("wizard.back")}
          </button>
        )}
        {w.isLast.value ? (
          <Manage>
            <button type="button" class="em-button em-button-primary" disabled={pending} aria-disabled={pending} onClick={submit}>
              {status === "deploying" ? (
                <>
                  <span class="em-spinner" aria-hidden="true" /> {t("wizard.deploying")}
                </>
              ) : status === "saving" ? (
                t("wizard.saving")
              ) : status === "deploy-failed" ? (
                t("wizard.deployRetry")
              ) : upgrade ? (
                t("wizard.deployUpgrade", { version: upgrade.toVersion })
              ) : (
                t("wizard.deploy")
              )}
            </button>
          </Manage>
        ) : (
          <button type="button" class="em-button em-button-primary" disabled={pending} onClick={submit}>
            {status === "saving" ? t("wizard.saving") : t("wizard.next")}
          </button>
        )}
      </footer>
    </div>
  );
}
