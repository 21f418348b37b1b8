/**
 * The instance page (lazy chunk): its name (renamable) and version, an "Update available" panel
 * with the new version's notes (Update starts the upgrade in the wizard; an upgrade left in
 * progress can be continued or canceled), flows with their trigger, webhook URLs with copy and a
 * curl example, next scheduled run, alerts, executions with logs, and pause/resume/reconfigure/
 * deactivate for admins (hidden for viewers, A8; upgrading too, A9). While it is open and visible it polls for new
 * alerts; alert-events.ts tells the host about new failed runs as `execution-failed` (ids only).
 */
import { dateTime, duration, relativeTime } from "../i18n/format.ts";
import { useEffect, useRef, useState } from "preact/hooks";
import type { Execution, Instance, InstanceFlow } from "../../../contract/api.ts";
import type { Alert } from "../../../contract/api-observe.ts";
import { isApiError } from "../../../client/error.ts";
import { alertEvents } from "../alert-events.ts";
import { refreshCatalog } from "../state/catalog-refresh.ts";
import { instancesApi } from "../instances-api.ts";
import { observeApi } from "../observe-api.ts";
import { useFrame } from "../context.ts";
import { Confirm } from "../ui/confirm.tsx";
import { CopyField } from "../ui/copy-field.tsx";
import { IntegrationIcon } from "../ui/icon.tsx";
import { Manage } from "../ui/manage.tsx";
import { Loading, SkeletonBlock } from "../ui/skeleton.tsx";
import { Empty, Failed } from "../ui/state.tsx";
import { Panel } from "../ui/panel.tsx";
import { ScreenButton } from "../ui/screen-button.tsx";
import { Markdown } from "../markdown.tsx";
import { updateEvents } from "../update-events.ts";
import { fieldErrors } from "../../../client/wizard.ts";
import { AlertList, useVisiblePoll } from "./instance-alerts.tsx";
import { goBack } from "../activity/return-to.ts";
import { screenVisibility } from "../activity/screen-options.ts";
import { openRun } from "../activity/open-run.ts";
import { lazyScreen } from "../ui/lazy-screen.tsx";
import { tn } from "../i18n/plural.ts";
import { runErrorText, runsApi } from "./run-actions.ts";

// The Test panel is a chunk of its own: most visits to an instance page never test a flow.
const FlowTest = lazyScreen(() => import("./flow-test.tsx").then((m) => m.FlowTest));

/** A run's id as the page shows it in a link: its end, which tells runs apart at a glance. */
const shortId = (id: string) => `…${id.slice(-6)}`;

interface FlowTesting {
  /** Test is offered here (the host shows it, the instance runs); only an admin gets the button. */
  can: boolean;
  open: boolean;
  toggle(): void;
  onRan(run: Execution): void;
}

function FlowItem({ flow, instance, testing }: { flow: InstanceFlow; instance: Instance; testing: FlowTesting }) {
  const { t, locale } = useFrame();
  const name = locale.content(`flow.${instance.integrationId}.${flow.id}.name`, flow.name);
  // The flow's own example, so a copied curl succeeds (a single quote ends the shell's quoting).
  const body = JSON.stringify(flow.example ?? {}).replaceAll("'", "'\\''");
  const curl = flow.webhookUrl ? `curl -X POST '${flow.webhookUrl}' \\\n  -H 'Content-Type: application/json' \\\n  -d '${body}'` : "";
  const testable = testing.can && (flow.trigger.kind === "webhook" || flow.trigger.kind === "schedule");
  return (
    <li class="em-flow">
      <div class="em-row">
        <span class="em-flow-name">{name}</span>
        <span class={`em-tag em-trigger-${flow.trigger.kind}`}>{t(`trigger.${flow.trigger.kind}`)}</span>
        <span class="em-spacer" />
        {testable && (
          <Manage>
            <button
              type="button"
              class="em-button em-button-secondary"
              aria-expanded={testing.open}
              aria-label={t("runs.testFlow", { flow: name })}
              onClick={testing.toggle}
            >
              {t("runs.test")}
            </button>
          </Manage>
        )}
      </div>
      {flow.webhookUrl && (
        <>
          <CopyField value={flow.webhookUrl} label={`${t("instance.webhookUrl")}: ${name}`} />
          <details class="em-details">
            <summary>{t("instance.curlExample")}</summary>
            <pre class="em-pre em-mono">{curl}</pre>
          </details>
        </>
      )}
      {flow.trigger.kind === "schedule" && (
        <p class="em-muted">
          {flow.nextRunAt ? (
            <time dateTime={flow.nextRunAt} title={dateTime(locale, flow.nextRunAt)}>
              {t("instance.nextRun", { when: relativeTime(locale, flow.nextRunAt) })}
            </time>
          ) : (
            t("instance.noNextRun")
          )}
        </p>
      )}
      {testable && testing.open && <FlowTest instance={instance} flow={flow} name={name} onRan={testing.onRan} onClose={testing.toggle} />}
    </li>
  );
}

interface RunLinks {
  /** The run to show (open, scrolled to): a link to it was followed. */
  focused: string | undefined;
  /** Shows a run: in this list when it is here, else in the logs. */
  show(id: string): void;
  /** Replay is offered (the host shows it, the instance runs); only an admin gets the button. */
  canReplay: boolean;
  replaying: string | undefined;
  replay(x: Execution): void;
}

function ExecutionItem({ execution: x, links }: { execution: Execution; links: RunLinks }) {
  const { t, locale } = useFrame();
  const [open, setOpen] = useState(false);
  const item = useRef<HTMLLIElement>(null);
  const logsId = `em-logs-${x.id}`;
  useEffect(() => {
    if (links.focused !== x.id) return;
    setOpen(true);
    item.current?.scrollIntoView({ block: "nearest" });
    item.current?.focus();
  }, [links.focused]);
  const replays = x.replays ?? [];
  return (
    <li class={`em-execution em-execution-${x.status}`} ref={item} tabIndex={-1} data-execution={x.id}>
      <div class="em-row em-wrap">
        <span class={`em-badge em-badge-${x.status}`}>{t(`execution.${x.status}`)}</span>
        <span class="em-flow-name">{x.flowName}</span>
        <span class="em-tag">{t(`execution.trigger.${x.trigger}`)}</span>
        {x.test && <span class="em-tag em-tag-test">{t("runs.badgeTest")}</span>}
        {x.replayOf && (
          <button type="button" class="em-link-button em-small" aria-label={t("runs.showRun", { id: x.replayOf })} onClick={() => links.show(x.replayOf!)}>
            {t("runs.replayOf", { id: shortId(x.replayOf) })}
          </button>
        )}
        <span class="em-spacer" />
        <time class="em-muted" dateTime={x.startedAt} title={dateTime(locale, x.startedAt)}>
          {relativeTime(locale, x.startedAt)}
        </time>
        {x.durationMs !== undefined && <span class="em-muted">{t("instance.duration", { duration: duration(locale, x.durationMs) })}</span>}
        {links.canReplay && x.status !== "running" && x.trigger !== "removal" && (
          <Manage>
            <button type="button" class="em-button em-button-secondary" disabled={!!links.replaying} aria-busy={links.replaying === x.id || undefined} onClick={() => links.replay(x)}>
              {links.replaying === x.id ? t("runs.replaying") : t("runs.replay")}
            </button>
          </Manage>
        )}
        <button type="button" class="em-button em-button-ghost" aria-expanded={open} aria-controls={logsId} onClick={() => setOpen(!open)}>
          {open ? t("instance.hideLogs") : t("instance.showLogs")}
        </button>
      </div>
      {x.error && <p class="em-field-error">{x.error}</p>}
      {replays.length > 0 && (
        <p class="em-row em-wrap em-small em-replays">
          <span class="em-muted">{tn(locale, "runs.replays", replays.length)}:</span>
          {replays.map((id) => (
            <button key={id} type="button" class="em-link-button" aria-label={t("runs.showRun", { id })} onClick={() => links.show(id)}>
              {shortId(id)}
            </button>
          ))}
        </p>
      )}
      {open && (
        <ol class="em-logs em-mono" id={logsId}>
          {x.logs.length === 0 && <li class="em-muted">{t("instance.noLogs")}</li>}
          {x.logs.map((l, i) => (
            <li key={i} class={`em-log em-log-${l.level}`}>
              <time dateTime={l.at}>{new Date(l.at).toISOString().slice(11, 23)}</time> <span class="em-log-level">{l.level}</span>{" "}
              {l.step && <span class="em-log-step">[{l.step}]</span>} {l.message}
            </li>
          ))}
        </ol>
      )}
    </li>
  );
}

export function InstancePage({ instanceId }: { instanceId: string }) {
  const frame = useFrame();
  const { t, locale, session } = frame;
  const api = instancesApi(frame.api);
  const observe = observeApi(frame.api);
  const [instance, setInstance] = useState<Instance | undefined>();
  const [executions, setExecutions] = useState<Execution[] | undefined>();
  /** The platform's cursor to the next (older) page of executions; null on the last page. */
  const [olderCursor, setOlderCursor] = useState<string | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [alerts, setAlerts] = useState<Alert[] | undefined>();
  /** Alerts that arrived while the page was open (announced to screen readers). */
  const [freshAlerts, setFreshAlerts] = useState<string[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState<"pause" | "resume" | "delete" | "refresh" | "upgrade" | "rename" | undefined>();
  /** The new version's release notes, for the "Update available" panel. */
  const [notes, setNotes] = useState<string | undefined>();
  /** Renaming: the name being typed and the platform's word on it. */
  const [renaming, setRenaming] = useState<{ name: string; error?: string } | undefined>();
  const [confirming, setConfirming] = useState(false);
  // Focus moves into the rename field as it opens (keyboard users land there; focusing scrolls it
  // into view across the frame's edge). `autoFocus` does nothing here: browsers ignore autofocus
  // in a cross-origin frame (ui/confirm.tsx).
  const renameInput = useRef<HTMLInputElement>(null);
  useEffect(() => renameInput.current?.focus(), [!renaming]);
  const [attempt, setAttempt] = useState(0);
  /** The flow whose Test panel is open. */
  const [testing, setTesting] = useState<string | undefined>();
  /** The run a followed link asks to show, and the run being replayed. */
  const [focusRun, setFocusRun] = useState<string | undefined>();
  const [replaying, setReplaying] = useState<string | undefined>();

  const newestFirst = (list: Execution[]) => [...list].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
  const showPage = (list: { executions: Execution[]; nextCursor: string | null }) => {
    setExecutions(newestFirst(list.executions));
    setOlderCursor(list.nextCursor);
  };
  const loadExecutions = async () => showPage(await api.listExecutions(instanceId));
  /** Appends the next page of older runs; the list already shown stays while it loads. */
  const loadOlder = async () => {
    if (!olderCursor) return;
    setLoadingOlder(true);
    try {
      const page = await api.listExecutions(instanceId, olderCursor);
      setExecutions((shown) => [...(shown ?? []), ...newestFirst(page.executions).filter((x) => !shown?.some((s) => s.id === x.id))]);
      setOlderCursor(page.nextCursor);
    } catch (e) {
      frame.toastError(e);
    } finally {
      setLoadingOlder(false);
    }
  };
  /** What the alert list counted when last seen: a change means new runs to show as well. */
  const alertCounts = useRef<string | undefined>(undefined);
  /** Shows the alert list and reports what is new in it; true when something is (a new alert, or a run counted into one). */
  const takeAlerts = (i: Instance, list: Alert[]): boolean => {
    const fresh = alertEvents(frame).alertsSeen(i, list);
    setAlerts(list);
    if (fresh.length) setFreshAlerts(fresh);
    const counts = list.map((a) => `${a.id}:${a.occurrences}`).join();
    const changed = alertCounts.current !== undefined && counts !== alertCounts.current;
    alertCounts.current = counts;
    return changed;
  };

  useEffect(() => {
    let live = true;
    setError(undefined);
    const own = api.getInstance(instanceId);
    Promise.all([own, api.listExecutions(instanceId), observe.listInstanceAlerts(instanceId)]).then(
      ([i, list, a]) => {
        if (!live) return;
        setInstance(i);
        showPage(list);
        takeAlerts(i, a.alerts);
        updateEvents(frame).seen([i]);
        // A connection the app refuses: the host hears of it (its module loads only then).
        const refused = Object.values(i.configValues).flatMap((v) => (v && typeof v == "object" && "needsReconnect" in v && "connectionId" in v ? [String(v.connectionId)] : []));
        if (refused.length) void import("../connection-events.ts").then((m) => m.reportNeedsReconnect(frame, refused));
        frame.markReady("instance");
        const next = i.upgrade?.toVersion ?? i.availableUpdate?.version;
        // The notes are a nicety: the panel stands without them.
        if (next) api.getIntegration(i.integrationId, next).then((d) => live && setNotes(d.releaseNotes), () => undefined);
      },
      // The instance's own answer says best why the page cannot show (deactivated, not found):
      // the lists' refusals follow from it, whichever of them came back first.
      (e) => own.then(() => e, (why: unknown) => why).then((why) => live && setError(isApiError(why) ? why.code : "INTERNAL")),
    );
    return () => void (live = false);
  }, [instanceId, attempt]);

  // New alerts while the page is open; a new one means a new execution to show as well.
  const polling = useRef(false);
  useVisiblePoll(() => {
    if (!instance || polling.current) return;
    polling.current = true;
    observe
      .listInstanceAlerts(instanceId)
      .then((a) => (takeAlerts(instance, a.alerts) ? loadExecutions() : undefined))
      .catch(() => {}) // the next tick tries again; the offline banner already says why
      .finally(() => (polling.current = false));
  }, !!instance);

  if (error === "INSTANCE_DELETED")
    return (
      <Failed title={t("instance.deletedTitle")} back={() => goBack(frame)}>
        <p class="em-muted">{t("instance.deletedBody")}</p>
        {screenVisibility(frame).tab("logs") && (
          <ScreenButton to={{ name: "logs", instanceId }}>{t("dash.viewLogs")}</ScreenButton>
        )}
      </Failed>
    );
  if (error)
    return error === "NOT_FOUND" ? (
      <Failed title={t("detail.notFound")} back={() => goBack(frame)} />
    ) : (
      <Failed back={() => goBack(frame)} retry={() => setAttempt(attempt + 1)} />
    );
  if (!instance) return <Loading lines={8} />;

  const name = locale.content(`integration.${instance.integrationId}.name`, instance.integrationName);
  const icon = frame.catalog.entries.value.find((e) => e.integration.id === instance.integrationId)?.integration.icon ?? "";
  const canManage = session.canManage.value;
  const visibility = screenVisibility(frame);
  const ids = { integrationId: instance.integrationId, instanceId: instance.id };

  const act = async (kind: "pause" | "resume" | "delete" | "refresh" | "upgrade" | "cancel-upgrade") => {
    setBusy(kind === "cancel-upgrade" ? "upgrade" : kind);
    try {
      if (kind === "upgrade") {
        // Starts the upgrade (or rejoins one in progress), then its wizard asks what it needs.
        await api.startUpgrade(instance.id);
        frame.navigate({ name: "reconfigure", instanceId: instance.id });
        return;
      } else if (kind === "cancel-upgrade") {
        setInstance(await api.cancelUpgrade(instance.id));
        frame.toasts.push("success", t("wizard.upgradeCanceled", { name: instance.name, version: instance.integrationVersion }));
      } else if (kind === "refresh") {
        const [i, a] = await Promise.all([api.getInstance(instanceId), observe.listInstanceAlerts(instanceId), loadExecutions()]);
        setInstance(i);
        takeAlerts(i, a.alerts);
      } else if (kind === "pause") {
        setInstance(await api.pause(instance.id));
        void refreshCatalog(frame);
        frame.emit("instance-paused", ids);
        frame.toasts.push("success", t("instance.paused", { name }));
      } else if (kind === "resume") {
        setInstance(await api.resume(instance.id));
        void refreshCatalog(frame);
        frame.emit("instance-resumed", ids);
        frame.toasts.push("success", t("instance.resumed", { name }));
      } else {
        const removed = await api.deleteInstance(instance.id);
        void refreshCatalog(frame);
        frame.emit("instance-deleted", ids);
        // A failed removal flow does not block the removal; the host hears of it (ids only).
        for (const x of removed.executions)
          if (x.status === "failed") frame.emit("execution-failed", { ...ids, executionId: x.id, flowId: x.flowId });
        frame.toasts.push("success", t("instance.deleted", { name }));
        frame.navigate({ name: "marketplace" });
        return;
      }
    } catch (e) {
      if (isApiError(e) && e.code === "CONFLICT" && kind === "upgrade") frame.toasts.push("error", t("instance.upgradeBusy"));
      else frame.toastError(e);
    } finally {
      setBusy(undefined);
      setConfirming(false);
    }
  };

  const rename = async (e: Event) => {
    e.preventDefault();
    if (!renaming) return;
    setBusy("rename");
    try {
      const renamed = await api.renameInstance(instance.id, renaming.name);
      setInstance(renamed);
      setRenaming(undefined);
      frame.toasts.push("success", t("instance.renamed", { name: renamed.name }));
    } catch (err) {
      // A taken or empty name: the platform's words, next to the field; the typed name stays.
      const message = fieldErrors(err)?.name;
      if (message) setRenaming({ name: renaming.name, error: message });
      else frame.toastError(err);
    } finally {
      setBusy(undefined);
    }
  };
  const update = instance.availableUpdate;
  const upgrading = instance.upgrade;
  const running = instance.status === "deployed";

  /** A finished test run or replay: the list shows it first. */
  const ran = (x: Execution) => setExecutions((shown) => [x, ...(shown ?? []).filter((s) => s.id !== x.id)]);
  const links: RunLinks = {
    focused: focusRun,
    show(id) {
      if (executions?.some((x) => x.id === id)) setFocusRun(id);
      else if (visibility.tab("logs")) openRun(frame, instance.id, id);
    },
    canReplay: running && visibility.section("replay"),
    replaying,
    async replay(x) {
      setReplaying(x.id);
      try {
        const replay = await runsApi(frame).replay(instance.id, x.id);
        // The original now lists it: both ends of the link show at once.
        setExecutions((shown) => [replay, ...(shown ?? []).map((s) => (s.id === x.id ? { ...s, replays: [...(s.replays ?? []), replay.id] } : s))]);
        if (replay.status === "failed") frame.toasts.push("error", t("runs.replayFailed", { error: replay.error ?? "" }));
        else frame.toasts.push("success", t("runs.replaySucceeded"));
      } catch (e) {
        frame.toasts.push("error", runErrorText(frame, e));
      } finally {
        setReplaying(undefined);
      }
    },
  };

  return (
    <article class="em-instance">
      <button type="button" class="em-link-button em-back" onClick={() => goBack(frame)}>
        ← {t("app.back")}
      </button>
      <header class="em-detail-header">
        <IntegrationIcon src={icon} name={name} size="lg" />
        <div class="em-detail-heading">
          {renaming ? (
            <form class="em-rename" onSubmit={rename} noValidate>
              <label class="em-label" for="em-rename-input">
                {t("wizard.name")}
              </label>
              <div class="em-row">
                <input
                  id="em-rename-input"
                  class="em-input"
                  value={renaming.name}
                  maxLength={200}
                  ref={renameInput}
                  aria-invalid={!!renaming.error}
                  aria-describedby={renaming.error ? "em-rename-error" : undefined}
                  onInput={(e) => setRenaming({ name: e.currentTarget.value })}
                  onKeyDown={(e) => e.key === "Escape" && (e.preventDefault(), setRenaming(undefined))}
                />
                <button type="submit" class="em-button em-button-primary" disabled={busy === "rename"}>
                  {t("instance.save")}
                </button>
                <button type="button" class="em-button em-button-ghost" onClick={() => setRenaming(undefined)}>
                  {t("wizard.cancel")}
                </button>
              </div>
              {renaming.error && (
                <p class="em-field-error" id="em-rename-error">
                  {renaming.error}
                </p>
              )}
            </form>
          ) : (
            <h1 class="em-title">{t("instance.title", { name: instance.name })}</h1>
          )}
          <p class="em-detail-meta">
            <span class={`em-badge em-badge-${instance.status}`}>{t(`instance.status.${instance.status}`)}</span>
            {instance.name !== name && <span class="em-muted">{name}</span>}
            <span class="em-tag">{t("instance.version", { version: instance.integrationVersion })}</span>
            {instance.deployedAt && <span class="em-muted">{dateTime(locale, instance.deployedAt)}</span>}
          </p>
        </div>
        <Manage>
          <div class="em-detail-action em-row em-wrap">
            {instance.status === "deployed" && (
              <button type="button" class="em-button em-button-secondary" disabled={!!busy} onClick={() => void act("pause")}>
                {t("instance.pause")}
              </button>
            )}
            {instance.status === "paused" && (
              <button type="button" class="em-button em-button-secondary" disabled={!!busy} onClick={() => void act("resume")}>
                {t("instance.resume")}
              </button>
            )}
            {!renaming && (
              <button type="button" class="em-button em-button-secondary" disabled={!!busy} onClick={() => setRenaming({ name: instance.name })}>
                {t("instance.rename")}
              </button>
            )}
            {/* With an upgrade in progress, the wizard is the upgrade's: its panel below offers it. */}
            {!upgrading && (
              <button type="button" class="em-button em-button-secondary" disabled={!!busy} onClick={() => frame.navigate({ name: "reconfigure", instanceId: instance.id })}>
                {t("instance.reconfigure")}
              </button>
            )}
            <button type="button" class="em-button em-button-danger-ghost" disabled={!!busy} onClick={() => setConfirming(true)}>
              {t("instance.deactivate")}
            </button>
          </div>
        </Manage>
      </header>
      {/* The app no longer accepts a connection this instance uses (revoked, or an OAuth token that cannot be refreshed). */}
      {Object.values(instance.configValues).some((v) => !!v && typeof v == "object" && (v as { needsReconnect?: true }).needsReconnect) && (
        <div class="em-banner em-banner-warning" role="status">
          <span>{t("instance.needsReconnect")}</span>
          {!upgrading && (
            <Manage>
              <button type="button" class="em-button em-button-primary" onClick={() => frame.navigate({ name: "reconfigure", instanceId: instance.id })}>
                {t("instance.reconnect")}
              </button>
            </Manage>
          )}
        </div>
      )}
      {confirming && canManage && (
        <Confirm
          id="em-confirm"
          level={2}
          title={t("instance.confirmTitle", { name })}
          body={t("instance.confirmBody")}
          cancelLabel={t("wizard.cancel")}
          onCancel={() => setConfirming(false)}
          confirm={{ label: t("instance.confirm"), busy: busy === "delete", onClick: () => void act("delete") }}
        />
      )}
      {(upgrading || update) && (
        <section class="em-panel em-update" aria-labelledby="em-update-title">
          <div class="em-row em-wrap">
            <h2 class="em-panel-title" id="em-update-title">
              {upgrading ? t("instance.upgradeTitle", { version: upgrading.toVersion }) : t("instance.updateTitle", { version: update!.version })}
            </h2>
            <span class="em-badge em-badge-update">{t("state.update")}</span>
          </div>
          <p class="em-muted">
            {upgrading
              ? t("instance.upgradeBody", { version: instance.integrationVersion })
              : update!.needsInput
                ? t("instance.updateNeedsInput", { version: instance.integrationVersion })
                : t("instance.updateNoInput", { version: instance.integrationVersion })}
          </p>
          {notes && (
            <details class="em-details" open>
              <summary>{t("instance.whatsNew")}</summary>
              <Markdown source={notes} />
            </details>
          )}
          <Manage viewer={<p class="em-muted">{t("instance.updateViewer")}</p>}>
            <div class="em-row em-wrap">
              <button type="button" class="em-button em-button-primary" disabled={!!busy} onClick={() => void act("upgrade")}>
                {upgrading ? t("instance.upgradeContinue") : t("instance.update", { version: update!.version })}
              </button>
              {upgrading && (
                <button type="button" class="em-button em-button-ghost" disabled={!!busy} onClick={() => void act("cancel-upgrade")}>
                  {t("wizard.cancelUpgrade")}
                </button>
              )}
            </div>
          </Manage>
        </section>
      )}
      <Panel id="em-flows-title" title={t("instance.flows")}>
        <ul class="em-flow-list">
          {instance.flows.map((f) => (
            <FlowItem
              key={f.id}
              flow={f}
              instance={instance}
              testing={{
                can: running && visibility.section("test"),
                open: testing === f.id,
                toggle: () => setTesting(testing === f.id ? undefined : f.id),
                onRan: ran,
              }}
            />
          ))}
        </ul>
      </Panel>
      {(visibility.tab("logs") || visibility.tab("alerts")) && (
        <nav class="em-row em-wrap em-instance-links" aria-label={t("dash.title")}>
          {visibility.tab("logs") && <ScreenButton to={{ name: "logs", instanceId: instance.id }}>{t("dash.viewLogs")}</ScreenButton>}
          {visibility.tab("alerts") && <ScreenButton to={{ name: "alerts", instanceId: instance.id }}>{t("monitors.title")}</ScreenButton>}
        </nav>
      )}
      {visibility.section("alerts") && (
        <AlertList alerts={alerts} fresh={freshAlerts} instance={instance} onChange={(a) => setAlerts(alerts?.map((x) => (x.id === a.id ? a : x)))} />
      )}
      {visibility.section("executions") && (
        <Panel
          id="em-exec-title"
          title={t("instance.executions")}
          tools={
            <button type="button" class="em-button em-button-secondary" disabled={busy === "refresh"} onClick={() => void act("refresh")}>
              {t("instance.refresh")}
            </button>
          }
        >
          {executions === undefined ? (
            <SkeletonBlock />
          ) : executions.length === 0 ? (
            <Empty title={t("instance.noExecutions")} hint={t("instance.noExecutionsHint")} />
          ) : (
            <>
            <ul class="em-executions">
              {executions.map((x) => (
                <ExecutionItem key={x.id} execution={x} links={links} />
              ))}
            </ul>
            {olderCursor && (
              <div class="em-row em-more">
                <button type="button" class="em-button em-button-secondary" disabled={loadingOlder} aria-busy={loadingOlder || undefined} onClick={() => void loadOlder()}>
                  {loadingOlder ? t("instance.olderExecutionsLoading") : t("instance.olderExecutions")}
                </button>
              </div>
            )}
            </>
          )}
        </Panel>
      )}
    </article>
  );
}
