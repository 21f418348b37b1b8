// The organization's console: plain JavaScript, no build step, no inline script or style (it
// runs under `script-src 'self'; style-src 'self'`). Every call goes to this page's own backend
// at /api/org/…, which forwards it to the platform's organization API with the API key added
// server-side (examples/demo-backend/org-api-proxy.ts). Text is only ever set with
// textContent, never parsed as HTML.

import { h, showBanner, clearBanner, confirmDialog, customerSelect, pageHash, scrolling } from "./dom.js";
import { LOCALES, currentLocale, initLocale, setLocale, t, tn } from "./i18n.js";
import { renderNotifications } from "./notifications.js";
import { renderAlerts, renderRuns } from "./activity.js";
import { renderUsage } from "./usage.js";
import { renderReplays } from "./replays.js";
import { OrgApiError, api, describeError, integrations, customers } from "./org-api.js";
import { renderVersions, versionCell, versionFilters } from "./versions.js";

const view = document.getElementById("view");
const banner = document.getElementById("banner");
const editDialog = document.getElementById("edit-dialog");
const editForm = document.getElementById("edit-form");

/** A success message that survives the navigation an action ends with. */
let flash;
function flashThenGo(message, hash) {
  flash = message;
  go(hash);
}

// ------------------------------------------------------------------ routing

/** Where the views' row scrolls sideways (a phone), the current view's tab is brought into it. */
function showTab(link) {
  const row = link.parentElement.getBoundingClientRect();
  const tab = link.getBoundingClientRect();
  if (tab.left < row.left || tab.right > row.right) link.parentElement.scrollLeft += tab.left - row.left - (row.width - tab.width) / 2;
}

function route() {
  const [path, query = ""] = location.hash.replace(/^#/, "").split("?");
  const params = new URLSearchParams(query);
  const parts = path.split("/").filter(Boolean);
  const name = parts[0] ?? "instances";
  for (const link of document.querySelectorAll("[data-view]")) {
    if (link.dataset.view === name) {
      link.setAttribute("aria-current", "page");
      showTab(link);
    } else link.removeAttribute("aria-current");
  }
  clearBanner();
  if (flash) {
    showBanner(flash, "success");
    flash = undefined;
  }
  if (name === "customers" && parts[1]) return renderInstances(params, { customer: decodeURIComponent(parts[1]) });
  if (name === "customers") return renderCustomers();
  if (name === "deploy") return renderDeploy(params);
  if (name === "versions") return renderVersions(view, params);
  // Views in their own files take `navigate(hash, successMessage?)`.
  const navigate = (hash, message) => (message ? flashThenGo(message, hash) : go(hash));
  if (name === "runs") return renderRuns(view, params, navigate);
  if (name === "alerts") return renderAlerts(view, params, navigate);
  if (name === "usage") return renderUsage(view, params, navigate);
  if (name === "replays") return renderReplays(view, params);
  if (name === "notifications") return renderNotifications(view, parts, params, navigate);
  return renderInstances(params);
}
window.addEventListener("hashchange", () => {
  void route();
  // A new view (a link, a filter, a page) takes the focus, as a page load would give it: a
  // screen reader starts at the view, and Tab goes on from there, not from a removed button.
  view.focus({ preventScroll: true });
});

function go(hash) {
  if (location.hash === hash) void route();
  else location.hash = hash;
}

// ------------------------------------------------------------------ Instances view

const FILTERS = ["q", "description", "integration", "version", "update", "label", "customer", "status"];

/** Cursors of the pages before the current one, so "Previous" works without the server. */
let cursorTrail = [];

async function renderInstances(params, fixed = {}) {
  const title = fixed.customer ? t("customer.title") : t("instances.title");
  view.replaceChildren(h("h1", { text: title }), h("p", { class: "empty", text: t("common.loading") }));
  let allIntegrations = [];
  let allCustomers = [];
  try {
    [allIntegrations, allCustomers] = await Promise.all([integrations(), customers()]);
  } catch (error) {
    return showBanner(describeError(error));
  }
  const customerById = new Map(allCustomers.map((c) => [c.id, c]));

  const query = new URLSearchParams();
  for (const key of FILTERS) {
    const value = key === "customer" && fixed.customer ? fixed.customer : params.get(key);
    if (value) query.set(key, value);
  }
  query.set("limit", "20");
  if (params.get("cursor")) query.set("cursor", params.get("cursor"));

  const base = fixed.customer ? `#/customers/${encodeURIComponent(fixed.customer)}` : "#/instances";
  const form = h(
    "form",
    { class: "filters", role: "search", "aria-label": t("instances.filter") },
    h("label", {}, t("instances.search"), h("input", { name: "q", type: "search", maxlength: 200, value: params.get("q") ?? "" })),
    h("label", {}, t("instances.descriptionContains"), h("input", { name: "description", maxlength: 200, value: params.get("description") ?? "" })),
    h(
      "label",
      {},
      t("common.integration"),
      h("select", { name: "integration" }, h("option", { value: "", text: t("common.any") }), allIntegrations.map((i) => h("option", { value: i.id, text: i.name, selected: params.get("integration") === i.id }))),
    ),
    h("label", {}, t("common.label"), h("input", { name: "label", maxlength: 50, value: params.get("label") ?? "" })),
    fixed.customer
      ? null
      : h(
          "label",
          {},
          t("common.customer"),
          customerSelect(allCustomers, params.get("customer"), t("common.any")),
        ),
    h(
      "label",
      {},
      t("common.status"),
      h("select", { name: "status" }, h("option", { value: "", text: t("common.any") }), ["deployed", "paused", "draft"].map((s) => h("option", { value: s, text: t(`instance.status.${s}`), selected: params.get("status") === s }))),
    ),
    versionFilters(params),
    h("button", { type: "submit", text: t("instances.searchButton") }),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [key, value] of new FormData(form)) if (String(value).trim()) next.set(key, String(value).trim());
    cursorTrail = [];
    go(`${base}?${next}`);
  });

  const heading = fixed.customer
    ? h("h1", { text: t("customer.heading", { name: customerById.get(fixed.customer)?.name ?? fixed.customer }) })
    : h("h1", { text: t("instances.title") });
  const deployLink = fixed.customer ? h("p", {}, h("a", { href: `#/deploy?customer=${encodeURIComponent(fixed.customer)}`, text: t("customer.deployLink") })) : null;
  const results = h("div", { "aria-live": "polite" }, h("p", { class: "empty", text: t("common.loading") }));
  view.replaceChildren(heading, deployLink ?? "", form, results);

  let page;
  try {
    page = await api(`/instances?${query}`);
  } catch (error) {
    results.replaceChildren();
    return showBanner(describeError(error));
  }
  if (page.instances.length === 0) {
    results.replaceChildren(h("p", { class: "empty", text: t("instances.none") }));
    return;
  }

  const rows = page.instances.map((instance) => instanceRow(instance, fixed));
  const pager = h("div", { class: "pager" }, h("span", { text: tn("instances.count", page.total) }));
  if (params.get("cursor")) {
    pager.append(
      h("button", {
        type: "button",
        class: "secondary",
        text: t("common.previousPage"),
        onclick: () => go(pageHash(base, params, cursorTrail.pop())),
      }),
    );
  }
  if (page.nextCursor) {
    pager.append(
      h("button", {
        type: "button",
        class: "secondary",
        text: t("common.nextPage"),
        onclick: () => {
          if (params.get("cursor")) cursorTrail.push(params.get("cursor"));
          go(pageHash(base, params, page.nextCursor));
        },
      }),
    );
  }
  results.replaceChildren(
    scrolling(
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, ["common.name", "common.integration", "common.version", "common.customer", "common.status", "common.labels", "common.description", "common.actions"].map((key) => h("th", { scope: "col", text: t(key) })))),
        h("tbody", {}, rows),
      ),
    ),
    pager,
  );
}

function instanceRow(instance, fixed) {
  const act = async (button, label, work) => {
    button.disabled = true;
    try {
      await work();
      flash = t(label, { instance: instance.name, customer: instance.customer.name });
      void route();
    } catch (error) {
      showBanner(describeError(error));
      button.disabled = false;
    }
  };
  const actions = h("div", { class: "actions" });
  if (instance.status === "deployed") {
    const pause = h("button", { type: "button", class: "secondary", text: t("instance.pause"), "aria-label": t("instance.pauseLabel", { instance: instance.name, customer: instance.customer.name }) });
    pause.addEventListener("click", () => act(pause, "instance.pausedDone", () => api(`/instances/${encodeURIComponent(instance.id)}/pause`, { method: "POST" })));
    actions.append(pause);
  }
  if (instance.status === "paused") {
    const resume = h("button", { type: "button", class: "secondary", text: t("instance.resume"), "aria-label": t("instance.resumeLabel", { instance: instance.name, customer: instance.customer.name }) });
    resume.addEventListener("click", () => act(resume, "instance.resumedDone", () => api(`/instances/${encodeURIComponent(instance.id)}/resume`, { method: "POST" })));
    actions.append(resume);
  }
  const edit = h("button", { type: "button", class: "secondary", "data-action": "edit", text: t("instance.edit"), "aria-label": t("instance.editLabel", { instance: instance.name }) });
  edit.addEventListener("click", () => openEdit(instance));
  const remove = h("button", { type: "button", class: "danger", text: t("common.delete"), "aria-label": t("instance.deleteLabel", { instance: instance.name, customer: instance.customer.name }) });
  remove.addEventListener("click", async () => {
    const sure = await confirmDialog({
      title: t("instance.deleteTitle", { instance: instance.name }),
      message: t("instance.deleteMessage", { customer: instance.customer.name }),
      confirmLabel: t("instance.deleteConfirm"),
      danger: true,
    });
    if (sure) void act(remove, "instance.deletedDone", () => api(`/instances/${encodeURIComponent(instance.id)}`, { method: "DELETE" }));
  });
  actions.append(edit, remove);
  return h(
    "tr",
    { "data-instance": instance.id },
    h("td", { text: instance.name }),
    h("td", { text: instance.integrationName }),
    versionCell(instance),
    h("td", {}, fixed.customer ? instance.customer.name : h("a", { href: `#/customers/${encodeURIComponent(instance.customer.id)}`, text: instance.customer.name })),
    h("td", { class: `status-${instance.status}`, text: t(`instance.status.${instance.status}`) }),
    h("td", {}, instance.labels.map((label) => h("span", { class: "label", text: label }))),
    h("td", { text: instance.description }),
    h("td", {}, actions),
  );
}

// ------------------------------------------------------------------ edit labels and description

let editing;
function openEdit(instance) {
  editing = instance;
  editForm.elements.labels.value = instance.labels.join(", ");
  editForm.elements.description.value = instance.description;
  document.getElementById("edit-error").hidden = true;
  editDialog.showModal();
}
editForm.addEventListener("submit", async (event) => {
  if (event.submitter?.value !== "save" || !editing) return;
  event.preventDefault();
  const labels = editForm.elements.labels.value.split(",").map((l) => l.trim()).filter(Boolean);
  const description = editForm.elements.description.value;
  try {
    await api(`/instances/${encodeURIComponent(editing.id)}`, { method: "PATCH", body: { labels, description } });
    editDialog.close();
    flash = t("edit.saved", { instance: editing.name });
    void route();
  } catch (error) {
    const message = document.getElementById("edit-error");
    message.textContent = describeError(error);
    message.hidden = false;
  }
});

// ------------------------------------------------------------------ Customers view

async function renderCustomers() {
  view.replaceChildren(h("h1", { text: t("customers.title") }), h("p", { class: "empty", text: t("common.loading") }));
  let list;
  try {
    list = await customers();
  } catch (error) {
    return showBanner(describeError(error));
  }
  if (list.length === 0) {
    view.replaceChildren(h("h1", { text: t("customers.title") }), h("p", { class: "empty", text: t("customers.none") }));
    return;
  }
  view.replaceChildren(
    h("h1", { text: t("customers.title") }),
    scrolling(h(
      "table",
      {},
      h("caption", { class: "visually-hidden", text: t("customers.title") }),
      h("thead", {}, h("tr", {}, [t("common.name"), t("customers.yourId"), t("customers.instances"), t("common.actions")].map((text) => h("th", { scope: "col", text })))),
      h(
        "tbody",
        {},
        list.map((c) =>
          h(
            "tr",
            { "data-customer": c.id },
            h("td", {}, h("a", { href: `#/customers/${encodeURIComponent(c.id)}`, text: c.name })),
            h("td", { text: c.externalId }),
            h("td", { text: String(c.instanceCount) }),
            h("td", {}, h("a", { href: `#/deploy?customer=${encodeURIComponent(c.id)}`, text: t("customers.deploy"), "aria-label": t("customers.deployLabel", { customer: c.name }) })),
          ),
        ),
      ),
    )),
  );
}

// ------------------------------------------------------------------ Deploy for a customer

/** One input (or group) for a config variable of the catalog's wizard definition. */
function fieldControl(field, id) {
  const describedBy = `${id}-error`;
  const common = { id, name: field.key, "aria-describedby": describedBy, required: field.required && field.type !== "boolean" };
  switch (field.type) {
    case "number":
      return h("input", { ...common, type: "number", min: field.min, max: field.max, step: field.step ?? "any", value: field.default });
    case "boolean":
      return h("input", { ...common, type: "checkbox", checked: field.default === true });
    case "picklist":
      // Options from the customer's own account (a data source) are not the organization's to
      // list: the value is typed, and the platform checks it like the wizard's choice.
      if (!field.options) return h("input", { ...common, placeholder: t("deploy.dataSource"), multiple: undefined, value: [field.default ?? ""].flat().join(", ") });
      return h(
        "select",
        { ...common, multiple: field.multiple },
        field.multiple ? null : h("option", { value: "", text: t("common.choose") }),
        field.options.map((o) => h("option", { value: o.value, text: o.label, selected: [field.default].flat().includes(o.value) })),
      );
    case "code":
      return h("textarea", { ...common, rows: 6, spellcheck: "false" }, field.default ?? "");
    case "date":
      return h("input", { ...common, type: "date", value: field.default });
    case "timestamp":
      return h("input", { ...common, placeholder: "2026-11-29T09:30:00Z", value: field.default });
    case "value-list":
      return h("textarea", { ...common, rows: 3, "data-kind": "lines" }, (field.default ?? []).join("\n"));
    case "key-value-list":
      return h("textarea", { ...common, rows: 3, "data-kind": "pairs" }, (field.default ?? []).map((p) => `${p.key}=${p.value}`).join("\n"));
    case "schedule":
      return h("textarea", { ...common, rows: 3, "data-kind": "json" }, field.default ? JSON.stringify(field.default) : "");
    case "connection":
      if (field.connection.kind === "api-key") return h("input", { ...common, type: "password", autocomplete: "off", "data-kind": "api-key" });
      if (field.connection.kind === "basic") {
        return h(
          "span",
          { class: "filters" },
          h("input", { ...common, id, name: `${field.key}.username`, "aria-label": t("deploy.userName", { field: field.label }), placeholder: t("deploy.userNameHint"), autocomplete: "off", "data-kind": "basic-user" }),
          h("input", { ...common, id: `${id}-password`, name: `${field.key}.password`, type: "password", "aria-label": t("deploy.password", { field: field.label }), placeholder: t("deploy.passwordHint"), autocomplete: "off", "data-kind": "basic-password" }),
        );
      }
      return h("p", { class: "hint", id, text: t("deploy.oauth", { app: field.connection.app }) });
    default:
      return h("input", { ...common, placeholder: field.placeholder, maxlength: field.maxLength, value: field.default });
  }
}

/** The config values the form holds, shaped like the wizard sends them; empty = left out (default applies). */
function readValues(form, pages) {
  const values = {};
  for (const page of pages) {
    for (const field of page.fields) {
      const el = form.elements.namedItem(field.key);
      if (field.type === "connection") {
        if (field.connection.kind === "api-key" && el?.value) values[field.key] = { kind: "api-key", apiKey: el.value };
        if (field.connection.kind === "basic") {
          const user = form.elements.namedItem(`${field.key}.username`)?.value ?? "";
          const password = form.elements.namedItem(`${field.key}.password`)?.value ?? "";
          if (user || password) values[field.key] = { kind: "basic", username: user, password };
        }
        continue;
      }
      if (!el) continue;
      if (field.type === "boolean") values[field.key] = el.checked;
      else if (field.type === "picklist" && field.multiple) values[field.key] = [...el.selectedOptions].map((o) => o.value);
      else if (el.value.trim() === "") continue;
      else if (field.type === "number") values[field.key] = Number(el.value);
      else if (el.dataset.kind === "lines") values[field.key] = el.value.split("\n").map((l) => l.trim()).filter(Boolean);
      else if (el.dataset.kind === "pairs") {
        values[field.key] = el.value.split("\n").filter((l) => l.trim()).map((line) => {
          const at = line.indexOf("=");
          return at < 0 ? { key: line.trim(), value: "" } : { key: line.slice(0, at).trim(), value: line.slice(at + 1).trim() };
        });
      } else if (el.dataset.kind === "json") {
        try {
          values[field.key] = JSON.parse(el.value);
        } catch {
          values[field.key] = el.value; // the platform answers with the field's own message
        }
      } else values[field.key] = el.value;
    }
  }
  return values;
}

async function renderDeploy(params) {
  view.replaceChildren(h("h1", { text: t("deploy.title") }), h("p", { class: "empty", text: t("common.loading") }));
  let allCustomers;
  let allIntegrations;
  try {
    [allCustomers, allIntegrations] = await Promise.all([customers(), integrations()]);
  } catch (error) {
    return showBanner(describeError(error));
  }
  const chooser = h(
    "form",
    { class: "filters", "aria-label": t("deploy.what") },
    h("label", {}, t("common.customer"), customerSelect(allCustomers, params.get("customer"), t("common.choose"), { required: true })),
    h("label", {}, t("common.integration"), h("select", { name: "integration", required: true }, h("option", { value: "", text: t("common.choose") }), allIntegrations.map((i) => h("option", { value: i.id, text: i.name, selected: params.get("integration") === i.id })))),
    h("button", { type: "submit", text: t("deploy.configure") }),
  );
  chooser.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(chooser);
    go(`#/deploy?customer=${encodeURIComponent(String(data.get("customer")))}&integration=${encodeURIComponent(String(data.get("integration")))}`);
  });
  const slot = h("div");
  view.replaceChildren(h("h1", { text: t("deploy.title") }), chooser, slot);
  const customerId = params.get("customer");
  const integrationId = params.get("integration");
  if (!customerId || !integrationId) return;

  let integration;
  try {
    integration = await api(`/integrations/${encodeURIComponent(integrationId)}`);
  } catch (error) {
    return showBanner(describeError(error));
  }
  const customer = allCustomers.find((c) => c.id === customerId);
  // One key per filled-in form: a retry after a lost answer deploys once (the platform forgets a
  // key whose request was refused, so correcting a field and resubmitting reuses it safely).
  const idempotencyKey = crypto.randomUUID();
  const errors = new Map();
  const pages = integration.configPages;
  const form = h(
    "form",
    { class: "deploy", novalidate: true, "aria-label": t("deploy.configureLabel", { integration: integration.name }) },
    h("h2", { text: t("deploy.heading", { integration: integration.name, customer: customer?.name ?? customerId }) }),
    h(
      "fieldset",
      {},
      h("legend", { text: t("deploy.instance") }),
      h("label", {}, t("common.name"), h("input", { name: "__name", maxlength: 200, value: integration.name })),
      h("label", {}, t("common.description"), h("textarea", { name: "__description", rows: 2, maxlength: 2000 })),
      h("label", {}, h("span", {}, `${t("common.labels")} `, h("span", { class: "hint", text: t("common.commaSeparated") })), h("input", { name: "__labels" })),
    ),
    pages.map((page) =>
      h(
        "fieldset",
        { "data-page": page.name },
        h("legend", { text: page.title }),
        page.description ? h("p", { class: "hint", text: page.description }) : null,
        page.fields.map((field) => {
          const id = `f-${field.key}`;
          const error = h("p", { class: "field-error", id: `${id}-error`, hidden: true });
          errors.set(field.key, error);
          const control = fieldControl(field, id);
          const label = field.type === "boolean"
            ? h("label", { class: "checkbox", for: id }, control, field.label)
            : h("label", { for: id }, h("span", {}, field.label, field.required ? " *" : ""), control);
          return h("div", {}, label, field.description ? h("p", { class: "hint", text: field.description }) : null, error);
        }),
      ),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", text: t("deploy.deploy") })),
  );
  slot.replaceChildren(form);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    clearBanner();
    for (const [key, el] of errors) {
      el.hidden = true;
      el.textContent = "";
      form.querySelectorAll(`[name="${CSS.escape(key)}"], [name^="${CSS.escape(key)}."]`).forEach((c) => c.removeAttribute("aria-invalid"));
    }
    const labels = form.elements.__labels.value.split(",").map((l) => l.trim()).filter(Boolean);
    const body = {
      integrationId: integration.id,
      values: readValues(form, pages),
      ...(form.elements.__name.value.trim() ? { name: form.elements.__name.value.trim() } : {}),
      ...(form.elements.__description.value ? { description: form.elements.__description.value } : {}),
      ...(labels.length ? { labels } : {}),
    };
    try {
      const result = await api(`/customers/${encodeURIComponent(customerId)}/instances`, { method: "POST", body, headers: { "Idempotency-Key": idempotencyKey } });
      const failed = result.executions.filter((e) => e.status === "failed");
      flashThenGo(
        t("deploy.done", { instance: result.instance.name, customer: result.instance.customer.name }) + (failed.length ? ` ${tn("deploy.flowsFailed", failed.length)}` : ""),
        `#/customers/${encodeURIComponent(customerId)}`,
      );
    } catch (error) {
      button.disabled = false;
      if (error instanceof OrgApiError && error.fields) {
        let first;
        for (const [key, message] of Object.entries(error.fields)) {
          const el = errors.get(key);
          if (!el) {
            showBanner(`${key}: ${message}`);
            continue;
          }
          el.textContent = message;
          el.hidden = false;
          const controls = form.querySelectorAll(`[name="${CSS.escape(key)}"], [name^="${CSS.escape(key)}."]`);
          controls.forEach((c) => c.setAttribute("aria-invalid", "true"));
          first ??= controls[0];
        }
        if (banner.hidden) showBanner(`${error.message} ${t("deploy.checkFields")}`);
        first?.focus();
      } else {
        showBanner(describeError(error));
      }
    }
  });
}

// ------------------------------------------------------------------ language

/** Writes the page's fixed texts (data-i18n, data-i18n-label) and the selector in the current language. */
function translatePage() {
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  const select = document.getElementById("locale");
  select.replaceChildren(...Object.entries(LOCALES).map(([value, name]) => h("option", { value, lang: value, text: name, selected: value === currentLocale() })));
}

document.getElementById("locale").addEventListener("change", async (event) => {
  await setLocale(event.target.value);
  translatePage();
  // The open view is drawn again in the new language; what it shows comes from its URL.
  void route();
});

await initLocale();
translatePage();
void route();
