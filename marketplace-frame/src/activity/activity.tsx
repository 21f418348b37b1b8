/**
 * The activity screen (lazy chunk): the customer's integrations at work, in four tabs that are
 * screens of their own, so a host opens any of them (`showMarketplace({ screen: "logs" })`) and
 * the frame moves between them like any other screen: the overview (`dashboard`), `logs`,
 * `alerts` (with the monitors) and `usage`. Tabs the host hides (screen options) are not shown;
 * asked for a hidden one, the screen opens on the first one shown.
 */
import { useEffect, useRef } from "preact/hooks";
import type { ActivityScreen } from "../../../contract/channel-types.ts";
import { useFrame } from "../context.ts";
import { AlertsTab } from "./alerts-tab.tsx";
import { LogsTab } from "./logs-tab.tsx";
import { OverviewTab } from "./overview-tab.tsx";
import { screenVisibility } from "./screen-options.ts";
import { UsageTab } from "./usage-tab.tsx";

export function Activity({ tab, instanceId }: { tab: ActivityScreen; instanceId?: string }) {
  const frame = useFrame();
  const { t } = frame;
  const { tabs } = screenVisibility(frame);
  const shown = tabs.includes(tab) ? tab : tabs[0];
  const tabRefs = useRef<Partial<Record<ActivityScreen, HTMLButtonElement | null>>>({});

  useEffect(() => {
    if (shown !== tab) frame.emit("warning", { code: "INVALID_OPTION", message: "this screen is hidden by the screen options", subject: `screen: ${tab}` });
    if (!shown) frame.markReady(tab);
  }, [tab]);

  if (!shown)
    return (
      <div class="em-state" role="status">
        <p class="em-state-title">{t("dash.hidden")}</p>
      </div>
    );

  const go = (next: ActivityScreen, focus = false) => {
    frame.navigate({ name: next });
    if (focus) queueMicrotask(() => tabRefs.current[next]?.focus());
  };
  // Arrow keys move between tabs (and open them), Home and End jump to the ends.
  const onKeyDown = (e: KeyboardEvent) => {
    const at = tabs.indexOf(shown);
    const to = e.key === "ArrowRight" ? at + 1 : e.key === "ArrowLeft" ? at - 1 : e.key === "Home" ? 0 : e.key === "End" ? tabs.length - 1 : undefined;
    if (to === undefined) return;
    e.preventDefault();
    go(tabs[(to + tabs.length) % tabs.length], true);
  };

  return (
    <article class="em-activity">
      <header class="em-activity-header">
        <h1 class="em-title">{t("dash.title")}</h1>
        {tabs.length > 1 && (
          <div class="em-tabs" role="tablist" aria-label={t("dash.tabs")} onKeyDown={onKeyDown}>
            {tabs.map((name) => (
              <button
                key={name}
                ref={(el) => void (tabRefs.current[name] = el)}
                type="button"
                role="tab"
                id={`em-tab-${name}`}
                class="em-tab"
                aria-selected={name === shown}
                aria-controls="em-tabpanel"
                tabIndex={name === shown ? 0 : -1}
                onClick={() => go(name)}
              >
                {t(`dash.tab.${name}`)}
              </button>
            ))}
          </div>
        )}
      </header>
      <section id="em-tabpanel" role={tabs.length > 1 ? "tabpanel" : undefined} aria-labelledby={tabs.length > 1 ? `em-tab-${shown}` : undefined} class="em-tabpanel">
        {shown === "dashboard" && <OverviewTab />}
        {shown === "logs" && <LogsTab instanceId={instanceId} />}
        {shown === "alerts" && <AlertsTab instanceId={instanceId} />}
        {shown === "usage" && <UsageTab />}
      </section>
    </article>
  );
}
