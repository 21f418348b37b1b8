// The usage report of one customer over a billing period (GET /org/customers/{id}/usage), with a
// CSV export a spreadsheet opens safely (csvCell: no cell is ever read as a formula).

import { h, emptyState, skeletonRows, customerSelect, scrolling } from "./dom.js";
import { api, customers, describeError } from "./org-api.js";
import { t, date, hours } from "./i18n.js";

/**
 * One CSV cell (RFC 4180), safe to open in a spreadsheet: a value that starts with =, +, -, @,
 * a tab or a carriage return would be read as a formula (CSV injection: an instance named
 * `=HYPERLINK(…)`), so it is prefixed with a single quote; quotes are doubled and the cell quoted
 * whenever it holds a comma, a quote or a line break.
 */
export function csvCell(value) {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Hours for the CSV: machine-readable (a dot, two decimals) whatever the viewer's language. */
const csvHours = (seconds) => (seconds / 3600).toFixed(2);

/** The CSV's columns, in order; each header is the phrase `usage.csv.<column>`. */
const CSV_COLUMNS = ["customer", "customer_external_id", "period_from", "period_to", "instance_id", "instance", "integration", "still_exists", "enabled_hours", "paused_hours"];

export async function renderUsage(view, params, go) {
  const period = params.get("period") === "previous" ? "previous" : "current";
  const form = h("form", { class: "filters", "aria-label": t("usage.report") });
  const out = h("div", {}, scrolling(h("table", { "aria-busy": "true" }, h("tbody", {}, skeletonRows(5, 3)))));
  view.replaceChildren(h("h1", { text: t("usage.title") }), h("p", { class: "hint", text: t("usage.hint") }), form, out);
  let list;
  try {
    list = await customers();
  } catch (error) {
    out.replaceChildren(emptyState(t("common.customersFailed"), describeError(error)));
    return;
  }
  if (list.length === 0) {
    out.replaceChildren(emptyState(t("usage.noCustomers"), t("usage.noCustomersHint")));
    return;
  }
  const customerId = list.some((c) => c.id === params.get("customer")) ? params.get("customer") : list[0].id;
  form.replaceChildren(
    h("label", {}, t("common.customer"), customerSelect(list, customerId, null)),
    h("label", {}, t("usage.period"), h("select", { name: "period" }, h("option", { value: "current", text: t("usage.current"), selected: period === "current" }), h("option", { value: "previous", text: t("usage.previous"), selected: period === "previous" }))),
    h("button", { type: "submit", text: t("usage.show") }),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    go(`#/usage?customer=${encodeURIComponent(String(data.get("customer")))}&period=${data.get("period")}`);
  });
  let report;
  try {
    report = await api(`/customers/${encodeURIComponent(customerId)}/usage?period=${period}`);
  } catch (error) {
    out.replaceChildren(emptyState(t("usage.failed"), describeError(error)));
    return;
  }
  const range = `${date(report.from)} – ${date(report.to)}`;
  const exportCsv = h("button", {
    type: "button",
    class: "secondary",
    text: t("usage.export"),
    onclick: () => {
      // Headers in the viewer's language; values machine-readable (ISO instants, ids, yes/no, hours with a dot).
      const header = CSV_COLUMNS.map((column) => t(`usage.csv.${column}`));
      const rows = report.instances.map((i) => [report.customerRef.name, report.customerRef.externalId, report.from, report.to, i.instanceId, i.instanceName ?? "", i.integrationName, i.exists ? "yes" : "no", csvHours(i.enabledSeconds), csvHours(i.pausedSeconds)]);
      const text = [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
      const link = h("a", { href: URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" })), download: `usage-${report.customerRef.externalId}-${report.from.slice(0, 10)}.csv` });
      document.body.append(link);
      link.click();
      link.remove();
    },
  });
  out.replaceChildren(
    h("div", { class: "view-head" }, h("h2", { text: `${report.customerRef.name} · ${range}` }), exportCsv),
    h("dl", { class: "facts totals" }, h("dt", { text: t("usage.billed") }), h("dd", { text: t("usage.hours", { hours: hours(report.customer.enabledSeconds) }) }), h("dt", { text: t("usage.paused") }), h("dd", { text: t("usage.hours", { hours: hours(report.customer.pausedSeconds) }) })),
    report.instances.length === 0
      ? emptyState(t("usage.none"), t("usage.noneHint"))
      : scrolling(h(
          "table",
          {},
          h("caption", { class: "visually-hidden", text: t("usage.perInstance") }),
          h("thead", {}, h("tr", {}, [t("common.instance"), t("common.integration"), t("usage.billedHours"), t("usage.pausedHours")].map((text, i) => h("th", { scope: "col", class: i > 1 ? "num" : undefined, text })))),
          h(
            "tbody",
            {},
            report.instances.map((i) =>
              h("tr", {}, h("td", {}, i.instanceName ?? i.instanceId, i.exists ? null : h("span", { class: "hint", text: ` ${t("usage.deleted")}` })), h("td", { text: i.integrationName }), h("td", { class: "num", text: hours(i.enabledSeconds) }), h("td", { class: "num", text: hours(i.pausedSeconds) })),
            ),
          ),
        )),
  );
}
