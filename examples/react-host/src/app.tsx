/** @jsxImportSource react */
/**
 * The React host app: a settings-style page with the marketplace inline, a theme preset
 * picker, a language switch, and a log of every SDK event and token fetch.
 */
import { useCallback, useEffect, useState } from "react";
import { Marketplace } from "./marketplace.tsx";
import { themePresets } from "./theme-presets.ts";
import { fetchToken } from "./token.ts";
import type { MarketplaceEventHandler } from "./use-marketplace.ts";

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
  const onEvent: MarketplaceEventHandler = useCallback((name, payload) => append(name, payload), [append]);

  const preset = themePresets.find((p) => p.id === presetId) ?? themePresets[0];

  return (
    <div className="page">
      <header className="topbar">
        <strong>Acme Analytics</strong>
        <span className="hint">React {"·"} Emporium SDK through <code>useMarketplace</code></span>
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
              onEvent={onEvent}
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
