/**
 * The overview (`dashboard`): how each activated integration is doing (its health states, last
 * run, runs and failures of the last day, open alerts), the newest failures, and usage in the
 * current billing period. Refreshes itself while visible. A customer whose app refuses a saved
 * account gets Reconnect (admins; it opens the settings), a viewer sees the state only.
 */
import { useEffect, useState } from "preact/hooks";
import type { Dashboard, DashboardInstance, ExecutionSummary } from "../../../contract/api-observe.ts";
import { isApiError } from "../../../client/error.ts";
import { useFrame } from "../context.ts";
import { dateTime, relativeTime } from "../i18n/format.ts";
import { tn } from "../i18n/plural.ts";
import { observeApi } from "../observe-api.ts";
import { useVisiblePoll } from "../screens/instance-alerts.tsx";
import { IntegrationIcon } from "../ui/icon.tsx";
import { Loading } from "../ui/skeleton.tsx";
import { Empty, Failed } from "../ui/state.tsx";
import { Panel } from "../ui/panel.tsx";
import { Manage } from "../ui/manage.tsx";
import { ScreenButton } from "../ui/screen-button.tsx";
import { inertText } from "./log-text.ts";
import { openRun } from "./open-run.ts";
import { openFrom } from "./return-to.ts";
import { screenVisibility } from "./screen-options.ts";
import { spentTime } from "./spent-time.ts";
import { flowLabel } from "./use-instances.ts";

const URGENT = new Set(["needs-reconnect", "failing"]);
const HEALTH_BADGE: Record<string, string> = {
  active: "em-badge-succeeded",
  paused: "em-badge-paused",
  failing: "em-badge-failed",
  "needs-reconnect": "em-badge-failed",
  "update-available": "em-badge-info",
};

function Stat({ label, value, sub, tone }: { label: string; value: string; sub?: string; tone?: "danger" | "warning" | "failures" }) {
  return (
    <div class={`em-stat${tone ? ` em-stat-${tone}` : ""}`}>
      <span class="em-stat-label">{label}</span>
      <span class="em-stat-value">{value}</span>
      {sub && <span class="em-stat-sub">{sub}</span>}
    </div>
  );
}

function InstanceRow({ item }: { item: DashboardInstance }) {
  const frame = useFrame();
  const { t, locale } = frame;
  const visibility = screenVisibility(frame);
  const name = locale.content(`integration.${item.integrationId}.name`, item.integrationName);
  const icon = frame.catalog.entries.value.find((e) => e.integration.id === item.integrationId)?.integration.icon ?? "";
  const here = { name: "dashboard" } as const;
  return (
    <li class={`em-health-row${URGENT.has(item.health[0]) ? " em-health-urgent" : ""}`} data-instance-id={item.id}>
      <IntegrationIcon src={icon} name={name} />
      <div class="em-health-main">
        <div class="em-row em-wrap">
          <button type="button" class="em-link-button em-flow-name em-health-name" onClick={() => openFrom(frame, { name: "instance", instanceId: item.id }, here)}>
            {item.name === item.integrationName ? name : item.name}
          </button>
          {item.health.map((h) => (
            <span key={h} class={`em-badge ${HEALTH_BADGE[h]}`}>
              {t(`health.${h}`)}
            </span>
          ))}
        </div>
        <p class="em-muted em-health-meta">
          {item.lastRun ? (
            <span>
              <span class={`em-dot em-dot-${item.lastRun.status}`} aria-hidden="true" />
              <time dateTime={item.lastRun.startedAt} title={dateTime(locale, item.lastRun.startedAt)}>
                {t("dash.lastRun", { when: relativeTime(locale, item.lastRun.startedAt) })}
              </time>
              {" · "}
              {t(`execution.${item.lastRun.status}`)}
            </span>
          ) : (
            <span>{t("dash.noRuns")}</span>
          )}
          <span>{tn(locale, "dash.runs24h", item.runs24h)}</span>
          {item.failures24h > 0 && <span class="em-text-danger">{tn(locale, "dash.card.failed", item.failures24h)}</span>}
          {item.openAlerts > 0 && (
            <span>
              {visibility.tab("alerts") ? (
                <button type="button" class="em-link-button" onClick={() => frame.navigate({ name: "alerts", instanceId: item.id })}>
                  {tn(locale, "dash.openAlerts", item.openAlerts)}
                </button>
              ) : (
                tn(locale, "dash.openAlerts", item.openAlerts)
              )}
            </span>
          )}
        </p>
        {item.health.includes("needs-reconnect") && <p class="em-health-hint">{t("dash.reconnectHint")}</p>}
      </div>
      <div class="em-row em-wrap em-health-actions">
        {item.health.includes("needs-reconnect") && (
          <Manage>
            <button type="button" class="em-button em-button-primary" onClick={() => openFrom(frame, { name: "reconfigure", instanceId: item.id }, here)}>
              {t("dash.reconnect")}
            </button>
          </Manage>
        )}
        {visibility.tab("logs") && <ScreenButton to={{ name: "logs", instanceId: item.id }}>{t("dash.viewLogs")}</ScreenButton>}
      </div>
    </li>
  );
}

function FailureRow({ run }: { run: ExecutionSummary }) {
  const frame = useFrame();
  const { t, locale } = frame;
  const logs = screenVisibility(frame).tab("logs");
  return (
    <li class="em-failure-row">
      <div class="em-row em-wrap">
        <span class="em-flow-name">{flowLabel(frame, run.integrationId, run.flowId, run.flowName)}</span>
        <span class="em-muted">{run.instanceName}</span>
        <span class="em-spacer" />
        <time class="em-muted" dateTime={run.startedAt} title={dateTime(locale, run.startedAt)}>
          {relativeTime(locale, run.startedAt)}
        </time>
      </div>
      {run.error && <p class="em-failure-error em-mono">{inertText(run.error)}</p>}
      {logs && (
        <button type="button" class="em-link-button" onClick={() => openRun(frame, run.instanceId, run.id)}>
          {t("alert.viewRun")}
        </button>
      )}
    </li>
  );
}

export function OverviewTab() {
  const frame = useFrame();
  const { t, locale } = frame;
  const visibility = screenVisibility(frame);
  const [board, setBoard] = useState<Dashboard | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  const [refreshing, setRefreshing] = useState(false);

  const load = async (quiet: boolean) => {
    if (!quiet) setRefreshing(true);
    try {
      setBoard(await observeApi(frame.api).dashboard());
      setError(undefined);
    } catch (e) {
      // A failed background refresh keeps what is shown; the banner says if the network is gone.
      if (!quiet || !board) setError(isApiError(e) ? e.code : "INTERNAL");
    } finally {
      setRefreshing(false);
    }
  };

  useEffect(() => {
    let live = true;
    observeApi(frame.api)
      .dashboard()
      .then(
        (b) => {
          if (!live) return;
          setBoard(b);
          setError(undefined);
          // An instance needs a reconnect: the host hears which connection (its module loads only then).
          if (b.instances.some((i) => i.health.includes("needs-reconnect"))) void import("../connection-events.ts").then((m) => m.reportNeedsReconnect(frame));
        },
        (e) => live && setError(isApiError(e) ? e.code : "INTERNAL"),
      )
      .finally(() => frame.markReady("dashboard"));
    return () => void (live = false);
  }, [attempt]);

  useVisiblePoll(() => void load(true), board !== undefined);

  if (error && !board)
    return (
      <Failed retry={() => setAttempt(attempt + 1)}>
        <p class="em-muted">{frame.errorText(undefined)}</p>
      </Failed>
    );
  if (!board) return <Loading lines={10} />;

  const active = board.instances.filter((i) => i.status === "deployed").length;
  const attention = board.instances.filter((i) => URGENT.has(i.health[0])).length;
  const runs = board.instances.reduce((sum, i) => sum + i.runs24h, 0);
  const failed = board.instances.reduce((sum, i) => sum + i.failures24h, 0);
  const number = (n: number) => locale.numberFormat.value.format(n);

  return (
    <div class="em-overview">
      <div class="em-row em-overview-bar">
        <span class="em-muted em-small" role="status">
          {t("dash.updated", { time: new Intl.DateTimeFormat(locale.intlTag.value, { timeStyle: "medium" }).format(Date.parse(board.at)) })}
        </span>
        <span class="em-spacer" />
        <button type="button" class="em-button em-button-secondary" disabled={refreshing} onClick={() => void load(false)}>
          {t("dash.refresh")}
        </button>
      </div>
      <div class="em-stats">
        <Stat label={t("dash.card.active")} value={number(active)} />
        <Stat label={t("dash.card.attention")} value={number(attention)} tone={attention > 0 ? "danger" : undefined} />
        <Stat label={t("dash.card.alerts")} value={number(board.openAlerts)} tone={board.openAlerts > 0 ? "warning" : undefined} />
        <Stat label={t("dash.card.runs")} value={number(runs)} sub={failed > 0 ? tn(locale, "dash.card.failed", failed) : undefined} tone={failed > 0 ? "failures" : undefined} />
      </div>

      <Panel id="em-dash-instances" title={<>{t("dash.instances")} <span class="em-count">{board.instances.length}</span></>}>
        {board.instances.length === 0 ? (
          <Empty title={t("dash.noInstances")} hint={t("dash.noInstancesHint")}>
            <button type="button" class="em-button em-button-primary" onClick={() => frame.navigate({ name: "marketplace" })}>
              {t("dash.browse")}
            </button>
          </Empty>
        ) : (
          <ul class="em-health-list">
            {board.instances.map((item) => (
              <InstanceRow key={item.id} item={item} />
            ))}
          </ul>
        )}
      </Panel>

      <div class="em-columns">
        <Panel id="em-dash-failures" title={t("dash.recentFailures")}>
          {board.recentFailures.length === 0 ? (
            <p class="em-muted">{t("dash.noFailures")}</p>
          ) : (
            <ul class="em-failure-list">
              {board.recentFailures.map((run) => (
                <FailureRow key={run.id} run={run} />
              ))}
            </ul>
          )}
        </Panel>
        <Panel id="em-dash-usage" title={t("dash.usage")}>
          <p class="em-stat-value">{spentTime(locale, board.usage.current.customer.enabledSeconds)}</p>
          <p class="em-muted">{t("dash.usagePrevious", { time: spentTime(locale, board.usage.previous.customer.enabledSeconds) })}</p>
          <p class="em-muted em-small">{t("usage.hint")}</p>
          {visibility.tab("usage") && (
            <button type="button" class="em-link-button" onClick={() => frame.navigate({ name: "usage" })}>
              {t("dash.openUsage")}
            </button>
          )}
        </Panel>
      </div>
    </div>
  );
}
