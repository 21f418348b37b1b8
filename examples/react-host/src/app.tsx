/** @jsxImportSource react */
/**
 * The React host app: a settings-style page with the marketplace inline (`<Marketplace>` from
 * `emporium/react`), a theme preset picker, a language switch, and a log of every SDK event and
 * token fetch. Theme and language changes reach the live frame without a reload.
 */
import { useCallback, useEffect, useState } from "react";
import { Marketplace } from "emporium/react";
import { themePresets } from "./theme-presets.ts";
import { fetchToken } from "./token.ts";

interface DemoConfig {
  frameUrl: string;
  organization: string;
  customers: { id: string; name: string; user: string }[];
}

interface LogEntry {
  id: number;
  name: string;
  detail: string;
}

const locales = [
  { id: "en", label: "English" },
  { id: "de", label: "Deutsch" },
  { id: "fr", label: "Français" },
];

let nextLogId = 0;

export function App() {
  const [config, setConfig] = useState<DemoConfig | null>(null);
  const [presetId, setPresetId] = useState("default");
  const [locale, setLocale] = useState("en");
  const [log, setLog] = useState<LogEntry[]>([]);
  const [tokenFetches, setTokenFetches] = useState(0);

  useEffect(() => {
    fetch("/api/demo-config")
      .then((r) => r.json() as Promise<DemoConfig>)
      .then(setConfig);
  }, []);

  const append = useCallback((name: string, payload: unknown) => {
    setLog((entries) => [{ id: nextLogId++, name, detail: JSON.stringify(payload) }, ...entries].slice(0, 100));
  }, []);

  const customer = config?.customers[0]?.id ?? "";
  const getToken = useCallback(
    () => fetchToken(customer, () => setTokenFetches((n) => n + 1)),
    [customer],
  );
  // One `on…` prop per SDK event, each adding a line to the log (the props are read when an
  // event comes, so new functions on each render cost nothing).
  const record = (name: string) => (payload: unknown) => append(name, payload);

  const preset = themePresets.find((p) => p.id === presetId) ?? themePresets[0];

  return (
    <div className="page">
      <header className="topbar">
        <strong>Acme Analytics</strong>
        <span className="hint">React {"·"} Emporium SDK through <code>emporium/react</code></span>
      </header>
      <main className="layout">
        <section aria-label="Integrations">
          <h1>Integrations</h1>
          {config ? (
            <Marketplace
              className="marketplace"
              frameUrl={config.frameUrl}
              organization={config.organization}
              getToken={getToken}
              theme={preset.theme}
              mode={preset.mode}
              locale={locale}
              autoHeight
              onReady={record("ready")} onClose={record("close")} onWarning={record("warning")} onError={record("error")}
              onInstanceConfigurationOpened={record("instance-configuration-opened")} onInstanceConfigurationPageLoaded={record("instance-configuration-page-loaded")}
              onInstanceConfigurationClosed={record("instance-configuration-closed")} onInstanceConfigurationCanceled={record("instance-configuration-canceled")}
              onInstanceDeployed={record("instance-deployed")} onInstanceDeleted={record("instance-deleted")} onExecutionFailed={record("execution-failed")}
              onInstancePaused={record("instance-paused")} onInstanceResumed={record("instance-resumed")}
              onInstanceUpdateAvailable={record("instance-update-available")} onInstanceUpgraded={record("instance-upgraded")}
            />
          ) : (
            <p>Loading…</p>
          )}
        </section>
        <aside className="side">
          <fieldset className="presets">
            <legend>Theme</legend>
            {themePresets.map((p) => (
              <label key={p.id}>
                <input type="radio" name="preset" value={p.id} checked={p.id === presetId} onChange={() => setPresetId(p.id)} /> {p.label}
              </label>
            ))}
          </fieldset>
          <label className="locale">
            Language{" "}
            <select value={locale} onChange={(e) => setLocale(e.target.value)}>
              {locales.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.label}
                </option>
              ))}
            </select>
          </label>
          <p className="hint" data-testid="token-fetches">
            Tokens fetched: <output>{tokenFetches}</output>
          </p>
          <h2>Events</h2>
          <ol className="events" data-testid="events">
            {log.map((entry) => (
              <li key={entry.id} data-event={entry.name}>
                <strong>{entry.name}</strong> <code>{entry.detail}</code>
              </li>
            ))}
          </ol>
        </aside>
      </main>
    </div>
  );
}
