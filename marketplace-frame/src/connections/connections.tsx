/**
 * The Connections screen (lazy chunk, `showMarketplace({ screen: "connections" })`): the
 * customer's connections grouped by app, each with its kind, account, health and the instances
 * that use it; a banner on top while any needs a reconnect. Admins test, reconnect (the same OAuth
 * flow as the wizard, or the key form: same connection, so every instance keeps its config),
 * rename and delete (an accessible confirm; one still in use is refused with the platform's
 * message naming the instances, and nothing is deleted). A connection the host provides is shown
 * as such and cannot be changed. Viewers see everything and change nothing (the platform refuses
 * them too).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Connection, ConnectionApp } from "../../../contract/api-types.ts";
import { CONNECTION_NAME_MAX } from "../../../contract/api-connections.ts";
import { connectionsApi } from "../../../client/connections-api.ts";
import { isApiError } from "../../../client/error.ts";
import { fieldErrors } from "../../../client/wizard.ts";
import { useFrame } from "../context.ts";
import { reconnectEvents } from "../connection-events.ts";
import { tn } from "../i18n/plural.ts";
import { IntegrationIcon } from "../ui/icon.tsx";
import { Panel } from "../ui/panel.tsx";
import { Manage } from "../ui/manage.tsx";
import { Loading } from "../ui/skeleton.tsx";
import { Empty, Failed } from "../ui/state.tsx";
import { AddConnection } from "./add-connection.tsx";
import { ConnectionItem, type ItemControl, type Mode, type TestResult } from "./connection-item.tsx";
import type { Credentials } from "./credentials-form.tsx";
import { connectWithOAuth, type OAuthView } from "./oauth-connect.ts";

/** Connections by app, apps in the locale's order, each app's connections oldest first (as listed). */
const byApp = (list: Connection[], locale: string) => {
  const groups = new Map<string, Connection[]>();
  for (const c of list) groups.set(c.app, [...(groups.get(c.app) ?? []), c]);
  return [...groups].sort(([a], [b]) => a.localeCompare(b, locale));
};

export function Connections() {
  const frame = useFrame();
  const { t, locale } = frame;
  const api = { origin: frame.api.origin, ...connectionsApi(frame.api.call) };
  const [list, setList] = useState<Connection[] | undefined>();
  /** The apps a connection can be added for (icons of the groups too); the list stands without them. */
  const [apps, setApps] = useState<ConnectionApp[] | undefined>();
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  /** The row with a form or the delete dialog open, and what is open. */
  const [open, setOpen] = useState<{ id: string; mode: Mode } | undefined>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | undefined>();
  const [tests, setTests] = useState<Record<string, TestResult>>({});
  const [flows, setFlows] = useState<Record<string, OAuthView>>({});
  const canManage = frame.session.canManage.value;
  // Focus goes back to "Add connection" when its panel closes.
  const addButton = useRef<HTMLButtonElement>(null);
  const wasAdding = useRef(false);
  useEffect(() => {
    if (wasAdding.current && !adding) addButton.current?.focus();
    wasAdding.current = adding;
  }, [adding]);

  useEffect(() => {
    let live = true;
    setError(undefined);
    api.listConnections().then(
      (connections) => {
        if (!live) return;
        setList(connections);
        reconnectEvents(frame).seen(connections);
        frame.markReady("connections");
      },
      (e) => {
        if (!live) return;
        setError(isApiError(e) ? e.code : "INTERNAL");
        frame.markReady("connections");
      },
    );
    api.listConnectionApps().then((a) => live && setApps(a), () => live && setApps([]));
    return () => void (live = false);
  }, [attempt]);

  if (error) return <Failed retry={() => setAttempt(attempt + 1)} />;

  /** A connection as it now stands; the host hears when it newly needs a reconnect. */
  const replace = (next: Connection) => {
    if (next.status === "active") reconnectEvents(frame).healed(next.id);
    else reconnectEvents(frame).seen([next]);
    setList((shown) => shown?.map((c) => (c.id === next.id ? next : c)));
  };
  const show = (id: string, mode: Mode | undefined) => {
    setErrors({});
    setOpen(mode ? { id, mode } : undefined);
  };
  /** Runs a change of one connection: the platform's field errors stay next to the form, anything else is a toast. */
  const change = async (c: Connection, run: () => Promise<void>) => {
    setBusy(c.id);
    setErrors({});
    try {
      await run();
    } catch (e) {
      const fields = fieldErrors(e);
      if (fields) setErrors(fields);
      else if (isApiError(e) && e.code === "CONNECTION_IN_USE") setErrors({ "": frame.errorText(e) });
      else frame.toastError(e);
    } finally {
      setBusy(undefined);
    }
  };

  const control = (c: Connection): ItemControl => ({
    mode: open?.id === c.id ? open.mode : undefined,
    busy: busy === c.id,
    errors: open?.id === c.id ? errors : {},
    test: tests[c.id],
    oauth: flows[c.id],
    open: (mode) => show(c.id, mode),
    runTest() {
      setTests((all) => ({ ...all, [c.id]: { state: "testing" } }));
      api.testConnection(c.id).then(
        (check) => {
          replace(check.connection);
          setTests((all) => ({ ...all, [c.id]: { state: "done", ok: check.ok, message: check.message } }));
        },
        (e) => setTests((all) => ({ ...all, [c.id]: { state: "done", ok: false, message: frame.errorText(e) } })),
      );
    },
    reconnect() {
      if (c.kind !== "oauth2") return show(c.id, "reconnect");
      show(c.id, undefined);
      const view = (v: OAuthView | undefined) => setFlows(({ [c.id]: _, ...rest }) => (v ? { ...rest, [c.id]: v } : rest));
      connectWithOAuth(api, c.app, c.id, view, frame).then(
        (connected) => {
          if (!connected) return;
          replace(connected);
          setTests(({ [c.id]: _, ...rest }) => rest);
          frame.toasts.push("success", t("conn.reconnected", { name: connected.name }));
        },
        (e) => frame.toastError(e),
      );
    },
    saveCredentials: (value: Credentials) =>
      void change(c, async () => {
        const next = await api.updateConnection(c.id, { credentials: value.credentials });
        replace(next);
        setTests(({ [c.id]: _, ...rest }) => rest);
        setOpen(undefined);
        frame.toasts.push("success", t("conn.reconnected", { name: next.name }));
      }),
    rename(name: string) {
      // Checked here first, in the user's words; the platform checks again.
      if (!name) return setErrors({ name: t("field.required") });
      if (name.length > CONNECTION_NAME_MAX) return setErrors({ name: tn(locale, "field.tooLong", CONNECTION_NAME_MAX) });
      void change(c, async () => {
        const next = name === c.name ? c : await api.updateConnection(c.id, { name });
        replace(next);
        setOpen(undefined);
        if (next !== c) frame.toasts.push("success", t("conn.renamed", { name: next.name }));
      });
    },
    remove: () =>
      void change(c, async () => {
        await api.deleteConnection(c.id);
        setOpen(undefined);
        setList((shown) => shown?.filter((x) => x.id !== c.id));
        frame.toasts.push("success", t("conn.deleted", { name: c.name }));
      }),
  });

  const broken = list?.filter((c) => c.status === "needs-reconnect") ?? [];
  const icon = (app: string) => apps?.find((a) => a.app === app)?.icon ?? "";
  const added = (c: Connection) => {
    setList((shown) => [...(shown ?? []), c]);
    setAdding(false);
    frame.toasts.push("success", t("conn.added", { name: c.name }));
  };

  return (
    <article class="em-connections">
      <header class="em-activity-header">
        <div class="em-row em-wrap">
          <h1 class="em-title">{t("conn.title")}</h1>
          <span class="em-spacer" />
          {list && apps && !adding && (
            <Manage>
              <button ref={addButton} type="button" class="em-button em-button-primary" onClick={() => setAdding(true)}>
                {t("conn.add")}
              </button>
            </Manage>
          )}
        </div>
        <p class="em-muted">{t("conn.intro")}</p>
      </header>
      {adding && canManage && apps && <AddConnection apps={apps} api={api} onAdded={added} onClose={() => setAdding(false)} />}
      {broken.length > 0 && (
        <div class="em-banner em-banner-warning" role="status">
          <span>
            {tn(locale, "conn.banner", broken.length)}
            {canManage === false && ` ${t("conn.bannerViewer")}`}
          </span>
        </div>
      )}
      {list && canManage === false && <p class="em-notice em-muted">{t("conn.viewer")}</p>}
      {list === undefined ? (
        <Loading lines={8} />
      ) : list.length === 0 ? (
        <Empty title={t("conn.empty")} hint={canManage === false ? t("conn.emptyViewer") : t("conn.emptyHint")} />
      ) : (
        byApp(list, locale.intlTag.value).map(([app, connections]) => (
          <Panel
            key={app}
            id={`em-conn-app-${app.replace(/[^A-Za-z0-9]+/g, "-")}`}
            title={
              <span class="em-row">
                <IntegrationIcon src={icon(app)} name={app} />
                <span>{app}</span>
                <span class="em-muted em-small">{tn(locale, "conn.count", connections.length)}</span>
              </span>
            }
          >
            <ul class="em-conn-list">
              {connections.map((c) => (
                <ConnectionItem key={c.id} connection={c} ctl={control(c)} />
              ))}
            </ul>
          </Panel>
        ))
      )}
    </article>
  );
}
