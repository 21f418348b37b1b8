// Runs and alerts across every customer (GET /org/executions, /org/alerts): the customer logs'
// filters plus the customer, a page at a time with Previous / Next over opaque cursors.

import { h, pill, skeletonRows, emptyState, timeCell } from "./dom.js";
import { api, customers, describeError } from "./org-api.js";

const RUN_STATUS = { succeeded: ["ok", "Succeeded"], failed: ["danger", "Failed"], running: ["info", "Running"] };
const ALERT_STATUS = { open: ["danger", "Open"], acknowledged: ["warn", "Acknowledged"], resolved: ["ok", "Resolved"] };

/** Cursors of the pages before the current one, per view. */
const trails = { runs: [], alerts: [] };

function customerSelect(list, selected) {
  return h("select", { name: "customer" }, h("option", { value: "", text: "All customers" }), list.map((c) => h("option", { value: c.id, text: `${c.name} (${c.externalId})`, selected: c.id === selected })));
}

function pager(name, params, nextCursor, go) {
  const trail = trails[name];
  const hashWith = (cursor) => {
    const next = new URLSearchParams(params);
    if (cursor) next.set("cursor", cursor);
    else next.delete("cursor");
    return `#/${name}?${next}`;
  };
  return h(
    "div",
    { class: "pager" },
    h("button", { type: "button", class: "secondary", disabled: trail.length === 0, text: "Previous", onclick: () => go(hashWith(trail.pop())) }),
    h("button", {
      type: "button",
      class: "secondary",
      disabled: !nextCursor,
      text: "Next",
      onclick: () => {
        trail.push(params.get("cursor") ?? "");
        go(hashWith(nextCursor));
      },
    }),
  );
}

/** The shared frame of both views: title, filter form, a table with a skeleton, then the page. */
async function renderList(view, { name, title, columns, fields, load, row, empty }, params, go) {
  if (!params.get("cursor")) trails[name] = [];
  const body = h("tbody", {}, skeletonRows(columns.length));
  const table = h("table", { "aria-busy": "true" }, h("caption", { class: "visually-hidden", text: title }), h("thead", {}, h("tr", {}, columns.map((t) => h("th", { scope: "col", text: t })))), body);
  const form = h("form", { class: "filters", role: "search", "aria-label": `Filter ${title.toLowerCase()}` });
  const footer = h("div");
  view.replaceChildren(h("h1", { text: title }), form, table, footer);
  let list = [];
  try {
    list = await customers();
  } catch {
    // The customer filter stays empty; the list itself still loads.
  }
  form.replaceChildren(h("label", {}, "Customer", customerSelect(list, params.get("customer"))), ...fields(params), h("button", { type: "submit", text: "Filter" }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      const text = String(value).trim();
      if (text === "") continue;
      // A time range is picked in the viewer's own time zone and sent as an instant.
      next.set(key, key === "from" || key === "to" ? new Date(text).toISOString() : text);
    }
    go(`#/${name}?${next}`);
  });
  const query = new URLSearchParams(params);
  query.set("limit", "25");
  let page;
  try {
    page = await load(query);
  } catch (error) {
    table.removeAttribute("aria-busy");
    body.replaceChildren(h("tr", {}, h("td", { colspan: columns.length }, emptyState(`The ${title.toLowerCase()} could not be loaded.`, describeError(error)))));
    return;
  }
  table.removeAttribute("aria-busy");
  body.replaceChildren(...(page.items.length === 0 ? [h("tr", {}, h("td", { colspan: columns.length }, emptyState(...empty(params))))] : page.items.map(row)));
  footer.replaceChildren(pager(name, params, page.nextCursor, go));
}

/** A datetime-local input showing an ISO instant of the query in the viewer's time zone. */
function timeInput(name, label, params) {
  const iso = params.get(name);
  const local = iso && !Number.isNaN(Date.parse(iso)) ? new Date(Date.parse(iso) - new Date(iso).getTimezoneOffset() * 60_000).toISOString().slice(0, 16) : "";
  return h("label", {}, label, h("input", { type: "datetime-local", name, value: local }));
}

const select = (name, label, options, params) =>
  h("label", {}, label, h("select", { name }, h("option", { value: "", text: "Any" }), Object.entries(options).map(([value, text]) => h("option", { value, text, selected: params.get(name) === value }))));

export function renderRuns(view, params, go) {
  return renderList(
    view,
    {
      name: "runs",
      title: "Runs",
      columns: ["Started", "Customer", "Instance", "Flow", "Trigger", "Status", "Duration"],
      fields: (p) => [
        select("status", "Status", { failed: "Failed", succeeded: "Succeeded", running: "Running" }, p),
        select("trigger", "Trigger", { webhook: "Webhook", schedule: "Schedule", deploy: "Deploy", removal: "Removal", manual: "Manual" }, p),
        h("label", {}, "Text in logs", h("input", { name: "q", value: p.get("q") ?? "", maxlength: 200, autocomplete: "off" })),
        timeInput("from", "Started from", p),
        timeInput("to", "Started before", p),
      ],
      load: async (query) => {
        const page = await api(`/executions?${query}`);
        return { items: page.executions, nextCursor: page.nextCursor };
      },
      row: (run) => {
        const [tone, label] = RUN_STATUS[run.status] ?? ["muted", run.status];
        return h(
          "tr",
          {},
          h("td", {}, timeCell(run.startedAt)),
          h("td", { text: run.customer.name }),
          h("td", { text: run.instanceName || run.instanceId }),
          h("td", { text: run.flowName }),
          h("td", { text: run.trigger }),
          h("td", {}, pill(tone, label), run.error ? h("div", { class: "field-error", text: run.error }) : null),
          h("td", { text: run.durationMs === undefined ? "—" : `${(run.durationMs / 1000).toFixed(1)} s` }),
        );
      },
      empty: (p) => (p.toString() ? ["No run matches these filters.", "Clear a filter to see more."] : ["No runs yet.", "Runs appear as your customers' integrations work."]),
    },
    params,
    go,
  );
}

export function renderAlerts(view, params, go) {
  return renderList(
    view,
    {
      name: "alerts",
      title: "Alerts",
      columns: ["Raised", "Customer", "Instance", "What", "Occurrences", "Status"],
      fields: (p) => [select("status", "Status", { unresolved: "Not resolved", open: "Open", acknowledged: "Acknowledged", resolved: "Resolved" }, p)],
      load: async (query) => {
        const page = await api(`/alerts?${query}`);
        return { items: page.alerts, nextCursor: page.nextCursor };
      },
      row: (alert) => {
        const [tone, label] = ALERT_STATUS[alert.status];
        return h(
          "tr",
          {},
          h("td", {}, timeCell(alert.at)),
          h("td", { text: alert.customer.name }),
          h("td", { text: alert.instanceName || alert.instanceId }),
          h("td", { text: alert.message }),
          h("td", { text: String(alert.occurrences) }),
          h("td", {}, pill(tone, label)),
        );
      },
      empty: (p) => (p.toString() ? ["No alert matches these filters.", "Clear a filter to see more."] : ["No alerts.", "Alert monitors raise them when runs fail, are slow or stop succeeding."]),
    },
    params,
    go,
  );
}
