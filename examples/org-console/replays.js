// Bulk replay (POST /org/replays, issue 15): pick the runs by customer, instance, flow, status and
// time range; a dry run lists what would run and what would be skipped and why; "Replay" then
// runs exactly that request with an Idempotency-Key made for it, so a double click or a retried
// request replays nothing twice. Every replay runs with its run's original payload.

import { h, pill, skeletonRows, emptyState, timeCell } from "./dom.js";
import { api, customers, describeError } from "./org-api.js";

const OUTCOME = { "would-replay": ["info", "Would replay"], replayed: ["ok", "Replayed"], failed: ["danger", "Replayed, failed again"], skipped: ["warn", "Skipped"] };
const COLUMNS = ["Run", "Customer", "Instance", "Flow", "Started", "Outcome"];

/** A datetime-local value (the viewer's time) as an ISO instant, or undefined when empty. */
const instant = (value) => (value ? new Date(value).toISOString() : undefined);

/** The request the form describes (without dryRun). */
function requestOf(form) {
  const data = new FormData(form);
  const body = {};
  for (const key of ["customer", "instance", "flow", "status"]) {
    const value = String(data.get(key) ?? "").trim();
    if (value) body[key] = value;
  }
  for (const key of ["from", "to"]) {
    const value = instant(String(data.get(key) ?? ""));
    if (value) body[key] = value;
  }
  const limit = Number(data.get("limit"));
  if (limit) body.limit = limit;
  return body;
}

function resultTable(result, title) {
  const rows = result.items.map((item) =>
    h(
      "tr",
      { "data-execution": item.execution.id },
      h("td", { class: "mono", text: item.execution.id }),
      h("td", { text: item.instance.customer.name }),
      h("td", { text: `${item.instance.name} (${item.instance.status})` }),
      h("td", { text: item.execution.flowId }),
      h("td", {}, timeCell(item.execution.startedAt)),
      h("td", {}, pill(...OUTCOME[item.outcome]), item.reason ? h("div", { class: "hint", text: item.reason }) : null, item.replay ? h("div", { class: "hint mono", text: `→ ${item.replay.id}` }) : null),
    ),
  );
  return h("table", {}, h("caption", { class: "visually-hidden", text: title }), h("thead", {}, h("tr", {}, COLUMNS.map((t) => h("th", { scope: "col", text: t })))), h("tbody", {}, rows));
}

const counts = ({ counts: c }, dry) =>
  dry ? `${c.wouldReplay} would be replayed, ${c.skipped} skipped.` : `${c.replayed} replayed, ${c.failed} failed again, ${c.skipped} skipped.`;

export async function renderReplays(view, params) {
  const form = h("form", { class: "filters", "aria-label": "Runs to replay" });
  const output = h("section", { "aria-live": "polite", "aria-label": "Replay result" });
  view.replaceChildren(
    h("h1", { text: "Replay runs" }),
    h("p", { class: "hint", text: "Runs again, with their original payloads, the runs that match: the newest ones up to the limit, oldest first. Preview first; paused or deactivated instances, runs whose payload was not kept in full and runs already replayed are skipped, with the reason." }),
    form,
    output,
  );
  let list = [];
  try {
    list = await customers();
  } catch {
    // The customer filter stays empty; the rest still works.
  }
  form.replaceChildren(
    h("label", {}, "Customer", h("select", { name: "customer" }, h("option", { value: "", text: "All customers" }), list.map((c) => h("option", { value: c.id, text: `${c.name} (${c.externalId})`, selected: c.id === params.get("customer") })))),
    h("label", {}, "Instance id", h("input", { name: "instance", value: params.get("instance") ?? "", autocomplete: "off", placeholder: "ins_…" })),
    h("label", {}, "Flow id", h("input", { name: "flow", value: params.get("flow") ?? "", autocomplete: "off", placeholder: "e.g. create-issue" })),
    h("label", {}, "Status", h("select", { name: "status" }, [["failed", "Failed"], ["succeeded", "Succeeded"], ["", "Any ended"]].map(([value, text]) => h("option", { value, text })))),
    h("label", {}, "Started from", h("input", { name: "from", type: "datetime-local" })),
    h("label", {}, "Started before", h("input", { name: "to", type: "datetime-local" })),
    h("label", {}, "At most", h("input", { name: "limit", type: "number", min: "1", max: "500", value: "100" })),
    h("button", { type: "submit", text: "Preview (dry run)" }),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const request = requestOf(form);
    output.replaceChildren(h("table", { "aria-busy": "true" }, h("tbody", {}, skeletonRows(COLUMNS.length))));
    let preview;
    try {
      preview = await api("/replays", { method: "POST", body: { ...request, dryRun: true } });
    } catch (error) {
      output.replaceChildren(h("p", { class: "field-error", role: "alert", text: `The preview failed: ${describeError(error)}` }));
      return;
    }
    if (preview.items.length === 0) {
      output.replaceChildren(emptyState("No runs match", "Widen the time range or clear a filter."));
      return;
    }
    // One key per previewed request: a double click or a retry after a lost answer replays once.
    const key = crypto.randomUUID();
    const run = h("button", { type: "button", text: `Replay ${preview.counts.wouldReplay} run${preview.counts.wouldReplay === 1 ? "" : "s"}`, disabled: preview.counts.wouldReplay === 0 });
    run.addEventListener("click", async () => {
      run.disabled = true;
      run.textContent = "Replaying…";
      try {
        const done = await api("/replays", { method: "POST", body: request, headers: { "Idempotency-Key": key } });
        output.replaceChildren(h("h2", { text: "Replayed" }), h("p", { role: "status", text: counts(done, false) }), resultTable(done, "Replayed runs"));
      } catch (error) {
        run.disabled = false;
        run.textContent = "Try again";
        output.prepend(h("p", { class: "field-error", role: "alert", text: `The replay failed: ${describeError(error)}` }));
      }
    });
    output.replaceChildren(
      h("h2", { text: "Preview" }),
      h("p", { role: "status", text: counts(preview, true) + (preview.truncated ? " More runs matched than the limit: the newest were taken." : "") }),
      resultTable(preview, "Runs that would be replayed"),
      h("div", { class: "actions" }, run),
    );
  });
}
