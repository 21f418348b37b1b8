/**
 * One alert, as the instance page and the activity screen's Alerts tab show it: what kind, its
 * state (open, acknowledged, resolved), the flow and (on the activity screen) the integration,
 * the message, how many occurrences it stands for and when the last was, who acknowledged or
 * resolved it, and, for admins, Acknowledge and Resolve (a viewer sees no buttons, A9).
 */
import { useState } from "preact/hooks";
import type { Alert } from "../../../contract/api-observe.ts";
import { useFrame } from "../context.ts";
import { dateTime, relativeTime } from "../i18n/format.ts";
import { tn } from "../i18n/plural.ts";
import { observeApi } from "../observe-api.ts";
import { Manage } from "../ui/manage.tsx";

const KIND_BADGE: Record<Alert["kind"], string> = { "execution-failed": "em-badge-failed", "execution-slow": "em-badge-running", "no-success": "em-badge-running" };

export function AlertItem(props: {
  alert: Alert;
  flowName: string;
  /** The integration's name, where alerts of several are listed together. */
  instanceName?: string;
  fresh?: boolean;
  onChange(alert: Alert): void;
  /** Opens the run that raised it (the activity screen's logs). */
  onViewRun?: (alert: Alert) => void;
}) {
  const frame = useFrame();
  const { t, locale } = frame;
  const { alert: a } = props;
  const [busy, setBusy] = useState(false);
  const run = a.lastExecutionId ?? a.executionId;

  const act = async (action: "acknowledge" | "resolve") => {
    setBusy(true);
    try {
      const api = observeApi(frame.api);
      const updated = action === "acknowledge" ? await api.acknowledgeAlert(a.id) : await api.resolveAlert(a.id);
      props.onChange(updated);
      frame.toasts.push("success", t(action === "acknowledge" ? "alert.acknowledgedToast" : "alert.resolvedToast"));
    } catch (e) {
      frame.toastError(e);
    } finally {
      setBusy(false);
    }
  };

  const when = (iso: string) => (
    <time dateTime={iso} title={dateTime(locale, iso)}>
      {relativeTime(locale, iso)}
    </time>
  );

  return (
    <li class={`em-alert-item em-alert-${a.status}`} data-alert-id={a.id} data-fresh={props.fresh || undefined}>
      <div class="em-row em-wrap">
        <span class={`em-badge ${KIND_BADGE[a.kind]}`}>{t(`alert.${a.kind}`)}</span>
        <span class={`em-badge em-status-${a.status}`}>{t(`alert.status.${a.status}`)}</span>
        {props.instanceName && <span class="em-flow-name">{props.instanceName}</span>}
        {props.flowName && <span class={props.instanceName ? "em-muted" : "em-flow-name"}>{props.flowName}</span>}
        <span class="em-spacer" />
        <span class="em-muted">{when(a.at)}</span>
      </div>
      <p class="em-alert-message">{a.message}</p>
      <p class="em-muted em-alert-meta">
        <span class="em-alert-count">{tn(locale, "alert.occurrences", a.occurrences)}</span>
        {a.occurrences > 1 && <> · {t("alert.lastOccurred", { when: relativeTime(locale, a.lastOccurredAt) })}</>}
        {run && (
          <>
            {" · "}
            {props.onViewRun && !a.executionExpired ? (
              <button type="button" class="em-link-button" onClick={() => props.onViewRun!(a)}>
                {t("alert.viewRun")}
              </button>
            ) : (
              <span class="em-mono">{t(a.executionExpired ? "instance.alertExecutionExpired" : "instance.alertExecution", { id: run })}</span>
            )}
          </>
        )}
      </p>
      {a.status === "acknowledged" && a.acknowledgedAt && (
        <p class="em-muted">{t("alert.acknowledgedBy", { name: a.acknowledgedBy ?? "", when: relativeTime(locale, a.acknowledgedAt) })}</p>
      )}
      {a.status === "resolved" && a.resolvedAt && <p class="em-muted">{t("alert.resolvedBy", { name: a.resolvedBy ?? "", when: relativeTime(locale, a.resolvedAt) })}</p>}
      {a.status !== "resolved" && (
        <Manage>
          <div class="em-row em-wrap em-alert-actions">
            {a.status === "open" && (
              <button type="button" class="em-button em-button-secondary" disabled={busy} onClick={() => void act("acknowledge")}>
                {t("alert.acknowledge")}
              </button>
            )}
            <button type="button" class="em-button em-button-secondary" disabled={busy} onClick={() => void act("resolve")}>
              {t("alert.resolve")}
            </button>
          </div>
        </Manage>
      )}
    </li>
  );
}
