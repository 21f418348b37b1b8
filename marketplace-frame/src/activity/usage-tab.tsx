/**
 * Usage: per integration, the time it was enabled (what is billed) and paused (shown, not
 * billed) in the current or the previous billing period (calendar months, UTC), with each one's
 * share of the enabled time and the totals. Removed integrations keep their line for the period.
 */
import { useEffect, useState } from "preact/hooks";
import type { UsageReport } from "../../../contract/api-observe.ts";
import { useFrame } from "../context.ts";
import { observeApi } from "../observe-api.ts";
import { chipInView } from "../ui/chip-row.ts";
import { SkeletonBlock } from "../ui/skeleton.tsx";
import { Empty, Failed } from "../ui/state.tsx";
import { Panel } from "../ui/panel.tsx";
import { spentTime } from "./spent-time.ts";

type Period = "current" | "previous";

export function UsageTab() {
  const frame = useFrame();
  const { t, locale } = frame;
  const [period, setPeriod] = useState<Period>("current");
  const [reports, setReports] = useState<Partial<Record<Period, UsageReport>>>({});
  const [error, setError] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const report = reports[period];

  useEffect(() => {
    let live = true;
    setError(false);
    observeApi(frame.api)
      .usage({ period })
      .then(
        (r) => live && setReports((all) => ({ ...all, [period]: r })),
        () => live && setError(true),
      )
      .finally(() => frame.markReady("usage"));
    return () => void (live = false);
  }, [period, attempt]);

  // The period's dates, in the user's calendar (the end is exclusive: show the last day in it).
  const day = (iso: string, end = false) =>
    new Intl.DateTimeFormat(locale.intlTag.value, { dateStyle: "medium", timeZone: "UTC" }).format(Date.parse(iso) - (end ? 1 : 0));
  const total = report?.customer.enabledSeconds ?? 0;
  const percent = new Intl.NumberFormat(locale.intlTag.value, { style: "percent", maximumFractionDigits: 0 });

  return (
    <Panel
      id="em-usage-heading"
      title={t("dash.tab.usage")}
      tools={
        <div class="em-chips" role="group" aria-label={t("dash.tab.usage")} onFocusIn={chipInView}>
          {(["current", "previous"] as const).map((p) => (
            <button key={p} type="button" class="em-chip" aria-pressed={period === p} onClick={() => setPeriod(p)}>
              {t(`usage.${p}`)}
            </button>
          ))}
        </div>
      }
    >
      {report && (
        <p class="em-muted">
          {t("usage.periodRange", { from: day(report.from), to: day(report.to, report.period === "previous") })}
        </p>
      )}
      <p class="em-muted em-small">{t("usage.hint")}</p>
      {error ? (
        <Failed retry={() => setAttempt(attempt + 1)} />
      ) : !report ? (
        <SkeletonBlock lines={5} />
      ) : report.instances.length === 0 ? (
        <Empty title={t("usage.empty")} />
      ) : (
        <div class="em-table-wrap">
          <table class="em-table">
            <thead>
              <tr>
                <th scope="col">{t("usage.instance")}</th>
                <th scope="col" class="em-num">
                  {t("usage.enabled")}
                </th>
                <th scope="col" class="em-num">
                  {t("usage.paused")}
                </th>
                <th scope="col">
                  <span class="em-sr-only">{t("usage.share")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {report.instances.map((i) => {
                const share = total > 0 ? i.enabledSeconds / total : 0;
                return (
                  <tr key={i.instanceId}>
                    <th scope="row">
                      <span class="em-flow-name">{i.instanceName ?? locale.content(`integration.${i.integrationId}.name`, i.integrationName)}</span>
                      {i.instanceName !== null && i.instanceName !== i.integrationName && <span class="em-muted"> · {locale.content(`integration.${i.integrationId}.name`, i.integrationName)}</span>}
                      {!i.exists && <span class="em-badge em-usage-removed">{t("usage.removed")}</span>}
                    </th>
                    <td class="em-num">{spentTime(locale, i.enabledSeconds)}</td>
                    <td class="em-num em-muted">{spentTime(locale, i.pausedSeconds)}</td>
                    <td class="em-share">
                      <span class="em-share-bar" aria-hidden="true">
                        <span style={{ width: `${Math.round(share * 100)}%` }} />
                      </span>
                      <span class="em-muted">{percent.format(share)}</span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t("usage.total")}</th>
                <td class="em-num">{spentTime(locale, report.customer.enabledSeconds)}</td>
                <td class="em-num em-muted">{spentTime(locale, report.customer.pausedSeconds)}</td>
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </Panel>
  );
}
