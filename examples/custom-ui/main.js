// A host page that draws its OWN marketplace and wizard with the headless client: no iframe.
// Plain JavaScript modules on purpose (the page's CSP is script-src 'self'; style-src 'self').
import { createClient, EmporiumApiError } from "/sdk/headless.js";

const config = await (await fetch("/api/demo-config")).json();
const $ = (id) => document.getElementById(id);
const customerSelect = $("customer");
for (const c of config.customers) customerSelect.append(new Option(`${c.user} · ${c.name}`, c.id));
const wanted = new URLSearchParams(location.search).get("customer");
if (wanted) customerSelect.value = wanted;

/** Our backend signs a short-lived JWT for the signed-in user; the client calls this when it needs one. */
async function getToken() {
  const res = await fetch("/api/emporium-token", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ customer: customerSelect.value }),
  });
  if (!res.ok) throw new Error(`token endpoint answered ${res.status}`);
  return (await res.json()).token;
}

/** Small DOM builder: text only, never HTML strings (catalog text is untrusted). */
function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key in el && key !== "list") el[key] = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  el.append(...children.flat().filter((c) => c !== undefined && c !== null && c !== false));
  return el;
}

function logEvent(name, payload) {
  $("events-empty").hidden = true;
  $("events").prepend(h("li", { "data-event": name }, h("strong", {}, name), h("code", {}, JSON.stringify(payload))));
  // Exposed for the end-to-end test, which reads what the page heard.
  (window.__emporiumEvents ??= []).push({ name, payload });
}

const EVENTS = [
  "instance-configuration-opened", "instance-configuration-page-loaded", "instance-configuration-closed",
  "instance-configuration-canceled", "instance-deployed", "instance-deleted", "instance-paused",
  "instance-resumed", "execution-failed",
];

let client;
let wizard;
let searchTimer;

function setStatus(text) {
  $("status").textContent = text;
}

function describeError(error) {
  return error instanceof EmporiumApiError ? `${error.message} (${error.code})` : String(error?.message ?? error);
}

// ---------------------------------------------------------------- marketplace

const STATE_LABEL = { available: "Available", activated: "Activated", paused: "Paused", "needs-configuration": "Needs configuration" };
const ACTION_LABEL = { available: "Activate", activated: "Reconfigure", paused: "Reconfigure", "needs-configuration": "Continue setup" };

async function renderCards() {
  const q = $("search").value.trim();
  try {
    const { integrations } = await client.listIntegrations(q ? { q } : {});
    $("cards").replaceChildren(
      ...integrations.map((i) =>
        h("li", { className: "card", "data-integration": i.id },
          h("header", {}, h("img", { src: i.icon, alt: "" }), h("strong", {}, i.name)),
          h("p", {}, i.summary),
          h("span", { className: `state state-${i.activation.state}` }, STATE_LABEL[i.activation.state]),
          h("button", { type: "button", "aria-label": `${ACTION_LABEL[i.activation.state]} ${i.name}`, onclick: () => openWizard(i.activation.instanceId && i.activation.state !== "needs-configuration" ? { instanceId: i.activation.instanceId } : i.id) }, ACTION_LABEL[i.activation.state]),
        ),
      ),
    );
    setStatus(integrations.length ? "" : "No integration matches your search.");
  } catch (error) {
    setStatus(`Could not load the marketplace: ${describeError(error)}`);
  }
}

// ---------------------------------------------------------------- wizard

const fieldId = (key) => `field-${key}`;

/** One control per field type, from the config page definition alone. */
function renderField(def, value, storedSecret) {
  const id = fieldId(def.key);
  const describedBy = `${id}-help ${id}-error`;
  const help = [def.description, def.type === "string" ? def.patternHint : undefined].filter(Boolean).join(" ");
  const common = { id, name: def.key, required: def.required, "aria-describedby": describedBy };
  let control;
  switch (def.type) {
    case "boolean":
      control = h("label", { className: "check" }, h("input", { ...common, type: "checkbox", checked: value === true }), def.label);
      break;
    case "number":
      control = h("input", { ...common, type: "number", value: value ?? "", min: def.min, max: def.max, step: def.step ?? "any" });
      break;
    case "picklist":
      control = h("select", { ...common, multiple: def.multiple },
        def.multiple ? [] : h("option", { value: "" }, "Choose…"),
        // A data source's options come from the customer's own account (below); until then the saved value shows.
        (def.options ?? (value ? [{ value, label: value }] : [])).map((o) => h("option", { value: o.value, selected: def.multiple ? (value ?? []).includes(o.value) : value === o.value }, o.label)));
      if (def.dataSource) void loadOptions(def, control, value);
      break;
    case "code":
    case "schedule":
      control = h("textarea", { ...common, spellcheck: false, value: typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value, null, 2) });
      break;
    case "value-list":
      control = h("textarea", { ...common, value: (value ?? []).join("\n"), placeholder: "One value per line" });
      break;
    case "key-value-list":
      control = h("textarea", { ...common, value: (value ?? []).map((p) => `${p.key}=${p.value}`).join("\n"), placeholder: "key=value, one per line" });
      break;
    case "date":
      control = h("input", { ...common, type: "date", value: value ?? "" });
      break;
    case "connection":
      if (def.connection.kind === "oauth2") {
        control = oauthField(def, value);
      } else {
        const secret = h("input", { ...common, type: "password", autocomplete: "off", placeholder: storedSecret ? "••• set (leave empty to keep)" : "" });
        control = def.connection.kind === "basic"
          ? h("div", {}, h("input", { id: `${id}-username`, "aria-label": `${def.label} username`, autocomplete: "off", value: value?.username ?? "" }), secret)
          : secret;
      }
      break;
    default: // string, timestamp
      control = h("input", { ...common, type: "text", value: value ?? "", placeholder: def.placeholder ?? "" });
  }
  return h("div", { className: "field", "data-field": def.key },
    def.type === "boolean" ? undefined : h("label", { htmlFor: id }, def.label + (def.required ? " *" : "")),
    control,
    h("p", { id: `${id}-help`, className: "hint" }, help),
    h("p", { id: `${id}-error`, className: "field-error" }));
}

/** Reads the current page's controls back into values of the right type. */
function readPage() {
  const values = {};
  for (const def of wizard.current.fields) {
    const el = $(fieldId(def.key));
    switch (def.type) {
      case "boolean": values[def.key] = el.checked; break;
      case "number": values[def.key] = el.value === "" ? null : Number(el.value); break;
      case "picklist": values[def.key] = def.multiple ? [...el.selectedOptions].map((o) => o.value) : el.value; break;
      case "schedule": {
        try { values[def.key] = el.value.trim() ? JSON.parse(el.value) : null; } catch { values[def.key] = el.value; }
        break;
      }
      case "value-list": values[def.key] = el.value.split("\n").map((l) => l.trim()).filter(Boolean); break;
      case "key-value-list":
        values[def.key] = el.value.split("\n").filter((l) => l.trim()).map((l) => ({ key: l.split("=")[0].trim(), value: l.slice(l.indexOf("=") + 1).trim() }));
        break;
      case "connection": {
        if (def.connection.kind === "oauth2") {
          // The connection the OAuth flow made (in the wizard's form shape); without one, the saved value stays.
          if (oauthConnections[def.key]) values[def.key] = { kind: "oauth2", status: "active", connectionId: oauthConnections[def.key] };
          break;
        }
        const secret = el.value;
        if (def.connection.kind === "api-key") values[def.key] = secret ? { kind: "api-key", apiKey: secret } : { kind: "api-key" };
        else values[def.key] = { kind: "basic", username: $(`${fieldId(def.key)}-username`).value, ...(secret ? { password: secret } : {}) };
        break;
      }
      default: values[def.key] = el.value;
    }
  }
  return values;
}

/** A data-source picklist: the options the app offers this customer, the saved value kept selected. */
async function loadOptions(def, select, value) {
  const current = wizard;
  try {
    const { options } = await current.options(def.key);
    if (wizard !== current || !select.isConnected) return;
    select.replaceChildren(h("option", { value: "" }, "Choose…"), ...options.map((o) => h("option", { value: o.value, selected: value === o.value }, o.label)));
  } catch (error) {
    $(`${fieldId(def.key)}-error`).textContent = `Could not load the options: ${describeError(error)}`;
  }
}

// ---------------------------------------------------------------- OAuth

/** Connections made by the OAuth flow in this wizard, by field key. */
let oauthConnections = {};

const OAUTH_FAILURE = {
  OAUTH_POPUP_CLOSED: "The sign-in window was closed before finishing. Nothing changed; try again.",
  OAUTH_DENIED: "Access was denied in the app. Nothing changed.",
  OAUTH_EXPIRED: "Signing in took too long. Try again.",
};

/**
 * An OAuth field: "Connect <app>" runs the headless client's OAuth flow. It is called straight
 * from the click (no await before it), so the browser lets the popup open; when it blocks it
 * anyway, onBlocked gives the sign-in page as a link, and the flow completes once the user
 * signs in there.
 */
function oauthField(def, value) {
  const id = fieldId(def.key);
  const app = def.connection.app;
  const status = h("p", { id: `${id}-status`, className: "hint", role: "status" },
    value?.status === "active" ? `Connected to ${app}${value.account ? ` as ${value.account}` : ""}.` : `Not connected to ${app} yet.`);
  const link = h("p", { id: `${id}-link`, hidden: true });
  const button = h("button", {
    type: "button", className: "secondary", "aria-describedby": `${id}-status ${id}-error`,
    onclick: () => {
      button.disabled = true;
      status.textContent = `Waiting for you to sign in to ${app}…`;
      client
        .connectOAuth(app, {
          onBlocked: (url) => {
            status.textContent = `Your browser blocked the sign-in window.`;
            link.replaceChildren(h("a", { href: url, target: "_blank", rel: "noopener" }, `Open the ${app} sign-in page`));
            link.hidden = false;
          },
        })
        .then(
          (connection) => {
            oauthConnections[def.key] = connection.id;
            status.textContent = `Connected to ${app} as ${connection.account ?? connection.name}.`;
            button.textContent = `Connect another ${app} account`;
            $(`${id}-error`).textContent = "";
            void renderConnections();
          },
          (error) => {
            status.textContent = (error instanceof EmporiumApiError && OAUTH_FAILURE[error.code]) || `Could not connect: ${describeError(error)}`;
          },
        )
        .finally(() => {
          button.disabled = false;
          link.hidden = true;
        });
    },
  }, value?.status === "active" ? `Connect another ${app} account` : `Connect ${app}`);
  // The group carries the field's id (its label and a field error's focus land here); the button keeps its own name.
  return h("div", { id, className: "oauth", role: "group", tabIndex: -1 }, button, status, link);
}

function showFieldErrors(fields = {}) {
  for (const def of wizard.current.fields) {
    const message = fields[def.key] ?? "";
    $(`${fieldId(def.key)}-error`).textContent = message;
    $(fieldId(def.key))?.setAttribute("aria-invalid", message ? "true" : "false");
  }
  const first = Object.keys(fields)[0];
  if (first) $(fieldId(first))?.focus();
}

function renderWizard() {
  const form = $("wizard");
  form.hidden = false;
  $("wizard-title").textContent = `${wizard.reconfigure ? "Reconfigure" : "Activate"} ${wizard.integration.name}`;
  $("wizard-step").textContent = `Step ${wizard.index + 1} of ${wizard.pages.length}: ${wizard.current.title}`;
  const stored = new Set(Object.entries(wizard.instance.configValues).filter(([, v]) => v && (v.apiKey || v.password)).map(([k]) => k));
  $("wizard-fields").replaceChildren(...wizard.current.fields.map((def) => renderField(def, wizard.values[def.key], stored.has(def.key))));
  $("wizard-error").textContent = "";
  $("wizard-back").disabled = wizard.index === 0;
  $("wizard-submit").textContent = wizard.isLast ? "Save and deploy" : "Next";
}

function closeWizardPanel() {
  wizard = undefined;
  $("wizard").hidden = true;
  $("wizard-fields").replaceChildren();
}

async function openWizard(target) {
  wizard?.close();
  oauthConnections = {};
  try {
    wizard = await client.wizard(target);
    renderWizard();
    $("wizard").scrollIntoView({ block: "nearest" });
    // The first control, an OAuth field's Connect button included (focus would stay on the card, far above).
    $("wizard-fields").querySelector("input, select, textarea, button")?.focus();
  } catch (error) {
    setStatus(`Could not open the wizard: ${describeError(error)}`);
  }
}

$("wizard").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!wizard) return;
  const values = readPage();
  // Validate before any request, with the same plain-word messages the platform gives.
  const problems = wizard.validate(values);
  if (Object.keys(problems).length) return showFieldErrors(problems);
  const submit = $("wizard-submit");
  submit.disabled = true;
  const page = wizard.index;
  try {
    if (wizard.isLast) {
      const { instance } = await wizard.deploy(values);
      closeWizardPanel();
      setStatus(`${instance.integrationName} is deployed.`);
      await renderAll();
    } else {
      await wizard.next(values);
      renderWizard();
    }
  } catch (error) {
    if (error instanceof EmporiumApiError && error.fields) {
      // Redraw only when the errors belong to another page: a redraw would empty what the user
      // typed here (password inputs are never filled back in).
      if (wizard && wizard.index !== page) renderWizard();
      else $("wizard-error").textContent = "";
      showFieldErrors(error.fields);
    } else $("wizard-error").textContent = describeError(error);
  } finally {
    submit.disabled = false;
  }
});
$("wizard-back").addEventListener("click", () => {
  if (!wizard) return;
  wizard.back();
  renderWizard();
});
$("wizard-cancel").addEventListener("click", () => {
  wizard?.cancel();
  closeWizardPanel();
  void renderCards();
});

// ---------------------------------------------------------------- instances

async function act(run) {
  try {
    await run();
  } catch (error) {
    setStatus(describeError(error));
  }
  await renderAll();
}

/** Everything the page lists, drawn again after a change (a deploy, an action on an instance or a connection). */
function renderAll() {
  return Promise.all([renderCards(), renderInstances(), renderConnections()]);
}

/** An instance's status in words, and the badge colour it shares with the cards. */
const INSTANCE_STATUS = {
  draft: ["Setup not finished", "needs-configuration"],
  deploying: ["Deploying…", "paused"],
  deployed: ["Active", "activated"],
  paused: ["Paused", "paused"],
  deleted: ["Removed", "paused"],
};

async function renderInstances() {
  try {
    const instances = await client.listInstances();
    $("instances").replaceChildren(
      ...instances.map((i) => {
        const webhook = i.flows.find((f) => f.webhookUrl)?.webhookUrl;
        const [status, tone] = INSTANCE_STATUS[i.status] ?? [i.status, "paused"];
        // Each button names its instance: a list of rows of "Pause" and "Delete" says which one to a screen reader.
        const button = (label, onclick) => h("button", { type: "button", className: "secondary", "aria-label": `${label} ${i.name}`, onclick }, label);
        return h("li", { className: "instance", "data-instance": i.id },
          h("strong", {}, i.name),
          i.name === i.integrationName ? undefined : h("span", { className: "hint" }, i.integrationName),
          h("span", { className: `state state-${tone}` }, status),
          h("span", { className: "grow" }, webhook ? h("code", {}, webhook) : ""),
          i.status === "deployed" ? button("Pause", () => act(() => client.pause(i.id))) : undefined,
          i.status === "paused" ? button("Resume", () => act(() => client.resume(i.id))) : undefined,
          button("Delete", () => confirm(`Remove ${i.name}?`) && act(() => client.deleteInstance(i.id))),
        );
      }),
    );
  } catch (error) {
    setStatus(`Could not load your instances: ${describeError(error)}`);
  }
}

// ---------------------------------------------------------------- connections

const STATUS_LABEL = { active: "Active", "needs-reconnect": "Needs reconnect" };

async function renderConnections() {
  try {
    const connections = await client.listConnections();
    if (!connections.length) $("connections-status").textContent = "No connections yet: connecting an app in a wizard adds one.";
    else if ($("connections-status").textContent.startsWith("No connections yet")) $("connections-status").textContent = "";
    $("connections").replaceChildren(
      ...connections.map((c) => {
        const say = (text) => ($("connections-status").textContent = `${c.name}: ${text}`);
        const mine = !c.providedBy;
        const named = (label) => `${label} ${c.name}`;
        return h("li", { className: "instance", "data-connection": c.id },
          h("strong", {}, c.name),
          h("span", { className: `state state-${c.status === "active" ? "activated" : "needs-configuration"}` }, STATUS_LABEL[c.status]),
          h("span", { className: "grow hint" },
            [`${c.app} · ${c.kind}`, c.account, c.providedBy && `Provided by ${c.providedBy}`, c.usedBy.length ? `Used by ${c.usedBy.map((u) => u.instanceName).join(", ")}` : "Not used"]
              .filter(Boolean).join(" · ")),
          h("button", { type: "button", className: "secondary", "aria-label": named("Test"), onclick: () => act(async () => {
            const { ok, message } = await client.testConnection(c.id);
            say(`${ok ? "works" : "does not work"}: ${message}`);
          }) }, "Test"),
          // Straight from the click, like connectOAuth: the OAuth flow opens its popup.
          mine && c.kind === "oauth2" ? h("button", { type: "button", className: "secondary", "aria-label": named("Reconnect"), onclick: () => act(() => client.reconnectConnection(c.id).then(() => say("reconnected."))) }, "Reconnect") : undefined,
          mine ? h("button", { type: "button", className: "secondary", "aria-label": named("Delete"), onclick: () => confirm(`Remove the connection ${c.name}?`) && act(async () => {
            try {
              await client.deleteConnection(c.id);
              say("removed.");
            } catch (error) {
              if (!(error instanceof EmporiumApiError && error.code === "CONNECTION_IN_USE")) throw error;
              say(`still used by ${error.usedBy.map((u) => u.instanceName).join(", ")}: choose another connection there first.`);
            }
          }) }, "Delete") : undefined,
        );
      }),
    );
  } catch (error) {
    $("connections-status").textContent = `Could not load your connections: ${describeError(error)}`;
  }
}

// ---------------------------------------------------------------- start

function start() {
  closeWizardPanel();
  client = createClient({ platformUrl: config.platformOrigin, getToken });
  for (const name of EVENTS) client.on(name, (payload) => logEvent(name, payload));
  void renderAll();
}

$("search").addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(renderCards, 150);
});
customerSelect.addEventListener("change", start);
start();
