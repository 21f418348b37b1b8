// The usage report of one customer over a billing period (GET /org/customers/{id}/usage), with a
// CSV export a spreadsheet opens safely (csvCell: no cell is ever read as a formula).

import { h, emptyState, skeletonRows } from "./dom.js";
import { api, customers, describeError } from "./org-api.js";

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

const hours = (seconds) => (seconds / 3600).toFixed(2);

export async function renderUsage(view, params, go) {
  const period = params.get("period") === "previous" ? "previous" : "current";
  const form = h("form", { class: "filters", "aria-label": "Usage report" });
  const out = h("div", {}, h("table", { "aria-busy": "true" }, h("tbody", {}, skeletonRows(5, 3))));
  view.replaceChildren(h("h1", { text: "Usage" }), h("p", { class: "hint", text: "Billed time is the time an instance is enabled (deployed and not paused). Paused time is shown, never billed." }), form, out);
  let list;
  try {
    list = await customers();
  } catch (error) {
    out.replaceChildren(emptyState("The customers could not be loaded.", describeError(error)));
    return;
  }
  if (list.length === 0) {
    out.replaceChildren(emptyState("No customers yet.", "A customer appears once one of its users has opened the marketplace."));
    return;
  }
  const customerId = list.some((c) => c.id === params.get("customer")) ? params.get("customer") : list[0].id;
  form.replaceChildren(
    h("label", {}, "Customer", h("select", { name: "customer" }, list.map((c) => h("option", { value: c.id, text: `${c.name} (${c.externalId})`, selected: c.id === customerId })))),
    h("label", {}, "Billing period", h("select", { name: "period" }, h("option", { value: "current", text: "This month so far", selected: period === "current" }), h("option", { value: "previous", text: "Last month", selected: period === "previous" }))),
    h("button", { type: "submit", text: "Show" }),
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
    out.replaceChildren(emptyState("The usage report could not be loaded.", describeError(error)));
    return;
  }
  const range = `${new Date(report.from).toLocaleDateString()} – ${new Date(report.to).toLocaleDateString()}`;
  const exportCsv = h("button", {
    type: "button",
    class: "secondary",
    text: "Export CSV",
    onclick: () => {
      const header = ["customer", "customer_external_id", "period_from", "period_to", "instance_id", "instance", "integration", "still_exists", "enabled_hours", "paused_hours"];
      const rows = report.instances.map((i) => [report.customerRef.name, report.customerRef.externalId, report.from, report.to, i.instanceId, i.instanceName ?? "", i.integrationName, i.exists ? "yes" : "no", hours(i.enabledSeconds), hours(i.pausedSeconds)]);
      const text = [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
      const link = h("a", { href: URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" })), download: `usage-${report.customerRef.externalId}-${report.from.slice(0, 10)}.csv` });
      document.body.append(link);
      link.click();
      link.remove();
    },
  });
  out.replaceChildren(
    h("div", { class: "view-head" }, h("h2", { text: `${report.customerRef.name} · ${range}` }), exportCsv),
    h("dl", { class: "facts totals" }, h("dt", { text: "Billed (enabled)" }), h("dd", { text: `${hours(report.customer.enabledSeconds)} h` }), h("dt", { text: "Paused (not billed)" }), h("dd", { text: `${hours(report.customer.pausedSeconds)} h` })),
    report.instances.length === 0
      ? emptyState("No usage in this period.", "Nothing of this customer's was enabled or paused then.")
      : h(
          "table",
          {},
          h("caption", { class: "visually-hidden", text: "Usage per instance" }),
          h("thead", {}, h("tr", {}, ["Instance", "Integration", "Billed hours", "Paused hours"].map((t) => h("th", { scope: "col", text: t })))),
          h(
            "tbody",
            {},
            report.instances.map((i) =>
              h("tr", {}, h("td", {}, i.instanceName ?? i.instanceId, i.exists ? null : h("span", { class: "hint", text: " (deleted)" })), h("td", { text: i.integrationName }), h("td", { class: "num", text: hours(i.enabledSeconds) }), h("td", { class: "num", text: hours(i.pausedSeconds) })),
            ),
          ),
        ),
  );
}
