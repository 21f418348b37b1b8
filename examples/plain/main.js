// The demo host page. It is plain JavaScript on purpose: copy it into any page.
import { createMarketplace } from "/sdk/emporium.js";
import { createThemeEditor } from "/theme-editor.js";
import { catalogPhrases } from "/catalog-phrases.js";

const [config, themeTokens] = await Promise.all([
  fetch("/api/demo-config").then((r) => r.json()),
  fetch("/api/theme-tokens").then((r) => r.json()),
]);
const customerSelect = document.getElementById("customer");
const roleSelect = document.getElementById("role");
const eventsList = document.getElementById("events");

for (const c of config.customers) {
  customerSelect.append(new Option(`${c.user} · ${c.name}`, c.id));
}
const params = new URLSearchParams(location.search);
if (params.get("customer")) customerSelect.value = params.get("customer");
if (params.get("role")) roleSelect.value = params.get("role");

/** Asks our own backend for a fresh customer JWT. The SDK calls this when the frame needs one. */
async function getToken() {
  const res = await fetch("/api/emporium-token", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ customer: customerSelect.value, role: roleSelect.value }),
  });
  if (!res.ok) throw new Error(`token endpoint answered ${res.status}`);
  return (await res.json()).token;
}

function logEvent(name, payload) {
  const li = document.createElement("li");
  li.dataset.event = name;
  const title = document.createElement("strong");
  title.textContent = name;
  const body = document.createElement("code");
  body.textContent = JSON.stringify(payload);
  li.append(title, " ", body);
  eventsList.prepend(li);
  // Exposed for the end-to-end tests, which read what the host page received.
  (window.__emporiumEvents ??= []).push({ name, payload });
}

const eventNames = [
  "ready", "close", "instance-configuration-opened", "instance-configuration-page-loaded",
  "instance-configuration-closed", "instance-configuration-canceled", "instance-deployed",
  "instance-deleted", "instance-paused", "instance-resumed", "instance-upgraded", "instance-update-available",
  "execution-failed", "warning", "error",
];

let marketplace;

// The theme editor restyles and translates the live embed; a new embed (another customer or
// role) starts from the editor's current choices.
const editor = createThemeEditor({
  tokens: themeTokens,
  root: document.getElementById("theme-tokens"),
  modeInputs: document.querySelectorAll('input[name="mode"]'),
  localeSelect: document.getElementById("locale"),
  resetButton: document.getElementById("theme-reset"),
  onChange({ theme, mode, locale }, what) {
    // The catalog's own text (integration, field and flow names) comes with the locale: catalog-phrases.js.
    const done = what === "locale" ? marketplace.setLocale(locale, catalogPhrases(locale)) : marketplace.setTheme({ ...theme }, mode);
    done.catch((error) => logEvent("error", { code: error.code, message: error.message }));
  },
});

function mount() {
  marketplace?.dispose();
  const { theme, mode, locale } = editor.state;
  marketplace = createMarketplace({
    frameUrl: config.frameUrl,
    organization: config.organization,
    getToken,
    autoHeight: true,
    theme: { ...theme },
    mode,
    locale,
    phrases: catalogPhrases(locale),
  });
  for (const name of eventNames) marketplace.on(name, (payload) => logEvent(name, payload));
  marketplace.on("warning", ({ code, subject }) => code === "INVALID_THEME_TOKEN" && subject && editor.markRejected(subject));
  const inline = marketplace.showMarketplace({ selector: "#marketplace" });
  inline.ready.catch((error) => logEvent("error", { code: error.code, message: error.message }));
}

// Demo only: the mock platform's scenario switch (a real platform has no such endpoint).
const scenarioSelect = document.getElementById("scenario");
fetch(`${config.platformOrigin}/api/v1/_scenario`)
  .then((r) => (r.ok ? r.json() : null))
  .then((state) => state && (scenarioSelect.value = state.scenario))
  .catch(() => (scenarioSelect.disabled = true));
scenarioSelect.addEventListener("change", async () => {
  const res = await fetch(`${config.platformOrigin}/api/v1/_scenario`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ scenario: scenarioSelect.value }),
  });
  logEvent("scenario", res.ok ? await res.json() : { status: res.status });
});

customerSelect.addEventListener("change", mount);
roleSelect.addEventListener("change", mount);
document.getElementById("open-popover").addEventListener("click", () => {
  marketplace.showMarketplace({ popover: true });
});
mount();
