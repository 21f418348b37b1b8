/**
 * The Alerts tab: alerts of every integration (or one), unresolved first by default, a page at
 * a time, acknowledged and resolved in place (admins); and the monitors of one integration,
 * which admins add, edit, switch off and delete. A viewer reads everything and sees why the
 * buttons are missing (the platform answers 403 to their changes anyway, A9).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Instance } from "../../../contract/api.ts";
import type { Alert, AlertMonitor, AlertStatus } from "../../../contract/api-observe.ts";
import { useFrame } from "../context.ts";
import { tn } from "../i18n/plural.ts";
import { observeApi } from "../observe-api.ts";
import { AlertItem } from "../screens/alert-item.tsx";
import { chipInView } from "../ui/chip-row.ts";
import { SkeletonBlock } from "../ui/skeleton.tsx";
import { Empty, Failed } from "../ui/state.tsx";
import { MonitorForm } from "./monitor-form.tsx";
import { openRun } from "./open-run.ts";
import { screenVisibility } from "./screen-options.ts";
import { Confirm } from "../ui/confirm.tsx";
import { Panel } from "../ui/panel.tsx";
import { Manage } from "../ui/manage.tsx";
import { FilterSelect } from "./filter-select.tsx";
import { flowLabel, instanceOptions, useInstances } from "./use-instances.ts";

type StatusFilter = AlertStatus | "unresolved" | "all";
const STATUS_FILTERS: readonly StatusFilter[] = ["unresolved", "open", "acknowledged", "resolved", "all"];

function AlertsPanel({ instances, instanceId, setInstanceId }: { instances: Instance[] | undefined; instanceId: string; setInstanceId(id: string): void }) {
  const frame = useFrame();
  const { t } = frame;
  const api = observeApi(frame.api);
  const [status, setStatus] = useState<StatusFilter>("unresolved");
  const [alerts, setAlerts] = useState<Alert[] | undefined>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState(false);
  const [more, setMore] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const logs = screenVisibility(frame).tab("logs");
  const query = { ...(status === "all" ? {} : { status }), ...(instanceId ? { instance: instanceId } : {}) };

  useEffect(() => {
    let live = true;
    setError(false);
    api.listAlerts(query).then(
      (page) => {
        if (!live) return;
        setAlerts(page.alerts);
        setCursor(page.nextCursor);
      },
      () => live && setError(true),
    );
    frame.markReady("alerts");
    return () => void (live = false);
  }, [status, instanceId, attempt]);

  const loadMore = async () => {
    if (!cursor) return;
    setMore(true);
    try {
      const page = await api.listAlerts({ ...query, cursor });
      setAlerts((list) => [...(list ?? []), ...page.alerts]);
      setCursor(page.nextCursor);
    } catch (e) {
      frame.toastError(e);
    } finally {
      setMore(false);
    }
  };

  const byId = new Map((instances ?? []).map((i) => [i.id, i]));
  return (
    <Panel
      id="em-alerts-heading"
      title={t("dash.tab.alerts")}
      tools={<FilterSelect label={t("logs.instance")} value={instanceId} onChange={setInstanceId} all={t("logs.allInstances")} options={instanceOptions(instances)} />}
    >
      <div class="em-chips" role="group" aria-label={t("alerts.show")} onFocusIn={chipInView}>
        {STATUS_FILTERS.map((s) => (
          <button key={s} type="button" class="em-chip" aria-pressed={status === s} onClick={() => setStatus(s)}>
            {t(`alerts.filter.${s}`)}
          </button>
        ))}
      </div>
      {error ? (
        <Failed retry={() => setAttempt(attempt + 1)} />
      ) : alerts === undefined ? (
        <SkeletonBlock lines={6} />
      ) : alerts.length === 0 ? (
        <Empty title={t("alerts.empty")} hint={t("alerts.emptyHint")} />
      ) : (
        <>
          <ul class="em-alert-list">
            {alerts.map((a) => {
              const instance = byId.get(a.instanceId);
              const flow = instance?.flows.find((f) => f.id === a.flowId);
              return (
                <AlertItem
                  key={a.id}
                  alert={a}
                  instanceName={instance?.name ?? a.instanceId}
                  flowName={flow && instance ? flowLabel(frame, instance.integrationId, flow.id, flow.name) : ""}
                  onChange={(updated) => setAlerts((list) => list?.map((x) => (x.id === updated.id ? updated : x)))}
                  {...(logs ? { onViewRun: (x: Alert) => openRun(frame, x.instanceId, (x.lastExecutionId ?? x.executionId)!) } : {})}
                />
              );
            })}
          </ul>
          {cursor && (
            <div class="em-more">
              <button type="button" class="em-button em-button-secondary" disabled={more} onClick={() => void loadMore()}>
                {more ? t("app.loading") : t("alerts.loadMore")}
              </button>
            </div>
          )}
        </>
      )}
    </Panel>
  );
}

/** How a monitor reads in a list: its name, or what it watches; then its counting rule. */
function describe(frame: ReturnType<typeof useFrame>, instance: Instance, m: AlertMonitor): { title: string; rule: string } {
  const { t, locale } = frame;
  const flow = instance.flows.find((f) => f.id === m.flowId);
  const flowName = flow ? flowLabel(frame, instance.integrationId, flow.id, flow.name) : undefined;
  const vars = { flow: flowName ?? "", seconds: m.thresholdSeconds ?? 0, minutes: m.periodMinutes ?? 0 };
  const what = t(flowName ? `monitor.describe.${m.kind}Flow` : `monitor.describe.${m.kind}`, vars);
  const rules: string[] = [];
  if (m.kind !== "no-success") rules.push(m.occurrences <= 1 ? t("monitor.rule.first") : tn(locale, "monitor.rule.count", m.occurrences).replace("{window}", String(m.windowMinutes)));
  rules.push(t("monitor.rule.quiet", { minutes: m.quietMinutes }));
  return { title: m.name || what, rule: (m.name ? `${what} · ` : "") + rules.join(" · ") };
}

function MonitorsPanel({ instances, instanceId, setInstanceId }: { instances: Instance[] | undefined; instanceId: string; setInstanceId(id: string): void }) {
  const frame = useFrame();
  const { t } = frame;
  const api = observeApi(frame.api);
  const canManage = frame.session.canManage.value;
  const instance = instances?.find((i) => i.id === instanceId) ?? instances?.[0];
  const [monitors, setMonitors] = useState<AlertMonitor[] | undefined>();
  const [error, setError] = useState(false);
  const [editing, setEditing] = useState<AlertMonitor | "new" | undefined>();
  const [deleting, setDeleting] = useState<AlertMonitor | undefined>();
  const [busy, setBusy] = useState(false);
  const addButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!instance) return;
    let live = true;
    setMonitors(undefined);
    setEditing(undefined);
    setError(false);
    api.listMonitors(instance.id).then(
      (list) => live && setMonitors(list.monitors),
      () => live && setError(true),
    );
    return () => void (live = false);
  }, [instance?.id]);

  if (instances !== undefined && instances.length === 0)
    return (
      <Panel id="em-monitors-heading" title={t("monitors.title")}>
        <p class="em-muted">{t("monitors.noInstances")}</p>
      </Panel>
    );

  const remove = async (m: AlertMonitor) => {
    if (!instance) return;
    setBusy(true);
    try {
      setMonitors((await api.deleteMonitor(instance.id, m.id)).monitors);
      frame.toasts.push("success", t("monitors.deleted"));
      setDeleting(undefined);
      queueMicrotask(() => addButton.current?.focus());
    } catch (e) {
      frame.toastError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Panel
      id="em-monitors-heading"
      title={t("monitors.title")}
      tools={<FilterSelect label={t("monitors.for")} value={instance?.id ?? ""} disabled={!instances} onChange={setInstanceId} options={instanceOptions(instances)} />}
    >
      <p class="em-muted em-small">{t("monitors.hint")}</p>
      {canManage === false && <p class="em-notice">{t("monitors.viewer")}</p>}
      {error ? (
        <Failed />
      ) : !instance || monitors === undefined ? (
        <SkeletonBlock lines={3} />
      ) : (
        <>
          {monitors.length === 0 ? (
            <p class="em-muted">{t("monitors.empty")}</p>
          ) : (
            <ul class="em-monitor-list">
              {monitors.map((m) => {
                const { title, rule } = describe(frame, instance, m);
                return (
                  <li key={m.id} class={`em-monitor${m.enabled ? "" : " em-monitor-off"}`} data-monitor-id={m.id}>
                    <div class="em-monitor-text">
                      <span class="em-flow-name">{title}</span>
                      {!m.enabled && <span class="em-badge">{t("monitor.off")}</span>}
                      <span class="em-muted em-small">{rule}</span>
                    </div>
                    <Manage>
                      <div class="em-row">
                        <button type="button" class="em-button em-button-secondary" aria-label={`${t("monitors.edit")}: ${title}`} onClick={() => setEditing(m)}>
                          {t("monitors.edit")}
                        </button>
                        <button type="button" class="em-button em-button-danger-ghost" aria-label={`${t("monitors.delete")}: ${title}`} onClick={() => setDeleting(m)}>
                          {t("monitors.delete")}
                        </button>
                      </div>
                    </Manage>
                    {/* Under the monitor it is about: in view in a tall autoHeight frame (ui/confirm.tsx). */}
                    {deleting === m && canManage && (
                      <Confirm
                        id="em-monitor-delete"
                        title={t("monitors.deleteTitle")}
                        body={t("monitors.deleteBody", { name: title })}
                        cancelLabel={t("wizard.cancel")}
                        onCancel={() => setDeleting(undefined)}
                        confirm={{ label: t("monitors.delete"), busy, onClick: () => void remove(m) }}
                      />
                    )}
                  </li>
                );
              })}
            </ul>
          )}
          {editing && canManage ? (
            <MonitorForm
              key={editing === "new" ? "new" : editing.id}
              instance={instance}
              {...(editing === "new" ? {} : { monitor: editing })}
              onDone={(saved) => {
                if (saved) setMonitors((list) => (list?.some((m) => m.id === saved.id) ? list.map((m) => (m.id === saved.id ? saved : m)) : [...(list ?? []), saved]));
                setEditing(undefined);
                queueMicrotask(() => addButton.current?.focus());
              }}
            />
          ) : (
            <Manage>
              <button type="button" ref={addButton} class="em-button em-button-secondary em-add" onClick={() => setEditing("new")}>
                + {t("monitors.add")}
              </button>
            </Manage>
          )}
        </>
      )}
    </Panel>
  );
}

export function AlertsTab({ instanceId }: { instanceId?: string }) {
  const frame = useFrame();
  const instances = useInstances(frame);
  const [filterInstance, setFilterInstance] = useState(instanceId ?? "");
  const [monitorInstance, setMonitorInstance] = useState(instanceId ?? "");
  useEffect(() => {
    if (instances && !monitorInstance && instances[0]) setMonitorInstance(instances[0].id);
  }, [instances]);
  return (
    <div class="em-alerts-tab">
      <AlertsPanel instances={instances} instanceId={filterInstance} setInstanceId={setFilterInstance} />
      <MonitorsPanel instances={instances} instanceId={monitorInstance} setInstanceId={setMonitorInstance} />
    </div>
  );
}
