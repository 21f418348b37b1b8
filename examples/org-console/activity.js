// Runs and alerts across every customer (GET /org/executions, /org/alerts): the customer logs'
// filters plus the customer, a page at a time with Previous / Next over opaque cursors.

import { h, pill, skeletonRows, emptyState, timeCell, customerSelect, pageButtons, scrolling } from "./dom.js";
import { api, customers, describeError } from "./org-api.js";
import { t, duration, number } from "./i18n.js";

const RUN_STATUS = { succeeded: "ok", failed: "danger", running: "info" };
const ALERT_STATUS = { open: "danger", acknowledged: "warn", resolved: "ok" };

/** Cursors of the pages before the current one, per view. */
const trails = { runs: [], alerts: [] };

/**
 * The shared frame of both views: title, filter form, a table with a skeleton, then the page of
 * `path` (its items under `key`). Each row starts with when, whose customer and which instance;
 * `cells` gives the rest.
 */
async function renderList(view, { name, title, filterLabel, failed, columns, fields, path, key, at, cells, empty }, params, go) {
  if (!params.get("cursor")) trails[name] = [];
  const body = h("tbody", {}, skeletonRows(columns.length));
  const table = h("table", { "aria-busy": "true" }, h("caption", { class: "visually-hidden", text: title }), h("thead", {}, h("tr", {}, columns.map((text) => h("th", { scope: "col", text })))), body);
  const form = h("form", { class: "filters", role: "search", "aria-label": filterLabel });
  const footer = h("div");
  view.replaceChildren(h("h1", { text: title }), form, scrolling(table), footer);
  let list = [];
  try {
    list = await customers();
  } catch {
    // The customer filter stays empty; the list itself still loads.
  }
  form.replaceChildren(h("label", {}, t("common.customer"), customerSelect(list, params.get("customer"))), ...fields(params), h("button", { type: "submit", text: t("common.filter") }));
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
    page = await api(`${path}?${query}`);
  } catch (error) {
    table.removeAttribute("aria-busy");
    body.replaceChildren(h("tr", {}, h("td", { colspan: columns.length }, emptyState(failed, describeError(error)))));
    return;
  }
  table.removeAttribute("aria-busy");
  const row = (item) => h("tr", {}, h("td", {}, timeCell(at(item))), h("td", { text: item.customer.name }), h("td", { text: item.instanceName || item.instanceId }), ...cells(item));
  const items = page[key];
  body.replaceChildren(...(items.length === 0 ? [h("tr", {}, h("td", { colspan: columns.length }, emptyState(...empty(params))))] : items.map(row)));
  footer.replaceChildren(h("div", { class: "pager" }, pageButtons(trails[name], params, page.nextCursor, `#/${name}`, go)));
}

/** A datetime-local input showing an ISO instant of the query in the viewer's time zone. */
function timeInput(name, label, params) {
  const iso = params.get(name);
  const local = iso && !Number.isNaN(Date.parse(iso)) ? new Date(Date.parse(iso) - new Date(iso).getTimezoneOffset() * 60_000).toISOString().slice(0, 16) : "";
  return h("label", {}, label, h("input", { type: "datetime-local", name, value: local }));
}

/** `{ value: phrase }` for values whose phrase is `${prefix}.${value}`. */
const labels = (prefix, values) => Object.fromEntries(values.map((value) => [value, t(`${prefix}.${value}`)]));

const select = (name, label, options, params) =>
  h("label", {}, label, h("select", { name }, h("option", { value: "", text: t("common.any") }), Object.entries(options).map(([value, text]) => h("option", { value, text, selected: params.get(name) === value }))));

export function renderRuns(view, params, go) {
  return renderList(
    view,
    {
      name: "runs",
      title: t("runs.title"),
      filterLabel: t("runs.filter"),
      failed: t("runs.failed"),
      columns: [t("runs.started"), t("common.customer"), t("common.instance"), t("common.flow"), t("runs.trigger"), t("common.status"), t("runs.duration")],
      fields: (p) => [
        select("status", t("common.status"), labels("run.status", ["failed", "succeeded", "running"]), p),
        select("trigger", t("runs.trigger"), labels("run.trigger", ["webhook", "schedule", "deploy", "removal", "manual"]), p),
        h("label", {}, t("runs.textInLogs"), h("input", { name: "q", value: p.get("q") ?? "", maxlength: 200, autocomplete: "off" })),
        timeInput("from", t("common.startedFrom"), p),
        timeInput("to", t("common.startedBefore"), p),
      ],
      path: "/executions",
      key: "executions",
      at: (run) => run.startedAt,
      cells: (run) => [
        h("td", { text: run.flowName }),
        h("td", { text: t(`run.trigger.${run.trigger}`) }),
        h("td", {}, pill(RUN_STATUS[run.status] ?? "muted", t(`run.status.${run.status}`)), run.error ? h("div", { class: "field-error", text: run.error }) : null),
        h("td", { class: "num", text: run.durationMs === undefined ? "—" : duration(run.durationMs) }),
      ],
      empty: (p) => (p.toString() ? [t("runs.noMatch"), t("common.clearFilter")] : [t("runs.none"), t("runs.noneHint")]),
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
      title: t("alerts.title"),
      filterLabel: t("alerts.filter"),
      failed: t("alerts.failed"),
      columns: [t("alerts.raised"), t("common.customer"), t("common.instance"), t("alerts.what"), t("alerts.occurrences"), t("common.status")],
      fields: (p) => [select("status", t("common.status"), labels("alert.status", ["unresolved", "open", "acknowledged", "resolved"]), p)],
      path: "/alerts",
      key: "alerts",
      at: (alert) => alert.at,
      cells: (alert) => [
        h("td", { text: alert.message }),
        h("td", { class: "num", text: number(alert.occurrences) }),
        h("td", {}, pill(ALERT_STATUS[alert.status], t(`alert.status.${alert.status}`))),
      ],
      empty: (p) => (p.toString() ? [t("alerts.noMatch"), t("common.clearFilter")] : [t("alerts.none"), t("alerts.noneHint")]),
    },
    params,
    go,
  );
}
