/**
 * One integration: what it does (safe markdown), its flows, the customer's instances of it by
 * name, status and version, and the action: Activate; for an integration that allows several
 * instances, "Add another"; for one that allows one, "Manage" (it says so).
 */
import { useEffect, useState } from "preact/hooks";
import type { Instance, IntegrationDetail as Detail } from "../../../contract/api.ts";
import { isApiError } from "../../../client/error.ts";
import { instancesApi } from "../instances-api.ts";
import { useFrame } from "../context.ts";
import { Markdown } from "../markdown.tsx";
import { StateBadge } from "../ui/badge.tsx";
import { IntegrationIcon } from "../ui/icon.tsx";
import { Manage } from "../ui/manage.tsx";
import { Loading, SkeletonBlock } from "../ui/skeleton.tsx";
import { Failed } from "../ui/state.tsx";
import { Panel } from "../ui/panel.tsx";
import { updateEvents } from "../update-events.ts";
import { openFrom } from "../activity/return-to.ts";

export function IntegrationDetail({ integrationId }: { integrationId: string }) {
  const frame = useFrame();
  const { t, locale, navigate, session } = frame;
  const [detail, setDetail] = useState<Detail | undefined>();
  /** The customer's instances of this integration, newest first; undefined while loading. */
  const [instances, setInstances] = useState<Instance[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setError(undefined);
    const api = instancesApi(frame.api);
    Promise.all([api.getIntegration(integrationId), api.listInstances(integrationId)]).then(
      ([d, list]) => {
        if (!live) return;
        setDetail(d);
        setInstances(list.instances);
        updateEvents(frame).seen(list.instances);
        frame.markReady("integration");
      },
      (e) => live && setError(isApiError(e) ? e.code : "INTERNAL"),
    );
    return () => void (live = false);
  }, [integrationId, attempt]);

  const back = (
    <button type="button" class="em-link-button em-back" onClick={() => navigate({ name: "marketplace" })}>
      ← {t("app.back")}
    </button>
  );
  if (error)
    return (
      <div class="em-detail">
        {back}
        {error === "NOT_FOUND" ? <Failed title={t("detail.notFound")} /> : <Failed retry={() => setAttempt(attempt + 1)} />}
      </div>
    );
  if (!detail)
    return (
      <div class="em-detail">
        {back}
        <Loading lines={6} />
      </div>
    );

  // The catalog may know a fresher activation (after a deploy in this session).
  const activation = frame.catalog.entries.value.find((e) => e.integration.id === detail.id)?.integration.activation ?? detail.activation;
  const name = locale.content(`integration.${detail.id}.name`, detail.name);
  const several = detail.allowMultipleInstances;
  // What the header's button does: set up a new instance (or continue the unfinished one the
  // platform resumes instead of starting a second), or manage the one instance there is.
  const draft = several ? instances?.some((i) => i.status === "draft") : activation.state === "needs-configuration";
  const setUp = several || activation.state === "available" || activation.state === "needs-configuration";
  const label = draft ? "detail.continue" : several && instances?.length ? "detail.addAnother" : "detail.activate";
  const instanceId = activation.instanceId;
  const action = setUp ? (
    <Manage>
      <button type="button" class="em-button em-button-primary" onClick={() => navigate({ name: "configure", integrationId: detail.id })}>
        {t(label)}
      </button>
    </Manage>
  ) : (
    instanceId && (
      <button type="button" class="em-button em-button-primary" onClick={() => navigate({ name: "instance", instanceId })}>
        {t("detail.manage")}
      </button>
    )
  );

  return (
    <article class="em-detail">
      {back}
      <header class="em-detail-header">
        <IntegrationIcon src={detail.icon} name={name} size="lg" />
        <div class="em-detail-heading">
          <h1 class="em-title">{name}</h1>
          <p class="em-muted">{locale.content(`integration.${detail.id}.summary`, detail.summary)}</p>
          <p class="em-detail-meta">
            <StateBadge state={activation.state} />
            <span class="em-muted">{t("market.by", { vendor: detail.vendor })}</span>
            <span class="em-tag">{locale.content(`category.${detail.category}`, detail.category)}</span>
            {detail.labels.map((l) => (
              <span key={l} class="em-tag">
                {locale.content(`label.${l}`, l)}
              </span>
            ))}
          </p>
        </div>
        <div class="em-detail-action">{action}</div>
      </header>
      {session.canManage.value === false && <p class="em-muted">{t("detail.viewerHint")}</p>}
      {instances === undefined ? (
        <SkeletonBlock />
      ) : (
        (instances.length > 0 || !several) && (
          <Panel id="em-instances" title={several ? t("detail.instances") : t("detail.yourInstance")}>
            {!several && <p class="em-muted">{t("detail.oneInstance")}</p>}
            {instances.length > 0 && (
              <ul class="em-instance-list">
                {instances.map((i) => (
                  <li key={i.id} class="em-instance-row">
                    <button
                      type="button"
                      class="em-instance-link"
                      onClick={() =>
                        i.status === "draft"
                          ? navigate({ name: "reconfigure", instanceId: i.id })
                          : // Back from one of several instances returns to this list, not the marketplace.
                            openFrom(frame, { name: "instance", instanceId: i.id }, { name: "integration", integrationId: detail.id })
                      }
                    >
                      <span class="em-flow-name">{i.name}</span>
                      <span class="em-muted">{t("instance.version", { version: i.integrationVersion })}</span>
                    </button>
                    <span class="em-row">
                      {i.availableUpdate && <span class="em-badge em-badge-update">{t("state.update")}</span>}
                      <span class={`em-badge em-badge-${i.status}`}>{t(`instance.status.${i.status}`)}</span>
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </Panel>
        )
      )}
      <Panel id="em-about" title={t("detail.about")}>
        <Markdown source={locale.content(`integration.${detail.id}.description`, detail.description)} />
      </Panel>
      {detail.flows.length > 0 && (
        <Panel id="em-flows" title={t("detail.flows")}>
          <ul class="em-flow-list">
            {detail.flows.map((f) => (
              <li key={f.id} class="em-flow">
                <div class="em-row em-wrap">
                  <span class="em-flow-name">{locale.content(`flow.${detail.id}.${f.id}.name`, f.name)}</span>
                  <span class={`em-tag em-trigger-${f.trigger.kind}`}>{t(`trigger.${f.trigger.kind}`)}</span>
                </div>
                {f.description && <Markdown source={locale.content(`flow.${detail.id}.${f.id}.description`, f.description)} class="em-muted" />}
              </li>
            ))}
          </ul>
        </Panel>
      )}
    </article>
  );
}
