/**
 * The instance page's alerts (issue 4): what the platform's alert monitors raised, newest
 * first, each with its execution id; and the gentle poll that picks up new ones while the page
 * is visible. Failed executions among new alerts are announced to the host by failure-events.ts.
 */
import { tn } from "../i18n/plural.ts";
import { useEffect, useRef } from "preact/hooks";
import type { Instance } from "../../../contract/api.ts";
import type { Alert } from "../../../contract/api-observe.ts";
import { useFrame } from "../context.ts";
import { Panel } from "../ui/panel.tsx";
import { SkeletonBlock } from "../ui/skeleton.tsx";
import { AlertItem } from "./alert-item.tsx";

/** How often an open, visible instance page asks for new alerts. */
export const ALERT_POLL_MS = 10_000;

/**
 * Runs `check` every ALERT_POLL_MS while the document is visible and `active` is true; stops
 * when the document is hidden (checking once when it is shown again) and on unmount.
 */
export function useVisiblePoll(check: () => void, active: boolean): void {
  const latest = useRef(check);
  latest.current = check;
  useEffect(() => {
    if (!active) return;
    let timer: ReturnType<typeof setInterval> | undefined;
    const start = () => void (timer ??= setInterval(() => latest.current(), ALERT_POLL_MS));
    const stop = () => {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    };
    const onVisibility = () => {
      if (document.visibilityState === "hidden") return stop();
      latest.current();
      start();
    };
    if (document.visibilityState !== "hidden") start();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      stop();
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [active]);
}

export function AlertList({
  alerts,
  fresh,
  instance,
  onChange,
}: {
  alerts: readonly Alert[] | undefined;
  fresh: readonly string[];
  instance: Instance;
  onChange(alert: Alert): void;
}) {
  const { t, locale } = useFrame();
  const flowName = (flowId: string | undefined) => {
    const flow = instance.flows.find((f) => f.id === flowId);
    return flow ? locale.content(`flow.${instance.integrationId}.${flow.id}.name`, flow.name) : (flowId ?? "");
  };
  return (
    <Panel id="em-alerts-title" title={t("instance.alerts")}>
      {/* Screen readers hear alerts that arrive while the page is open (Refresh or the poll). */}
      <p class="em-sr-only" role="status">
        {fresh.length > 0 ? tn(locale, "instance.newAlerts", fresh.length) : ""}
      </p>
      {alerts === undefined ? (
        <SkeletonBlock />
      ) : alerts.length === 0 ? (
        <p class="em-muted">{t("instance.noAlerts")}</p>
      ) : (
        <ul class="em-alert-list">
          {alerts.map((a) => (
            <AlertItem key={a.id} alert={a} flowName={flowName(a.flowId)} fresh={fresh.includes(a.id)} onChange={onChange} />
          ))}
        </ul>
      )}
    </Panel>
  );
}
