// Bulk replay (POST /org/replays, issue 15): pick the runs by customer, instance, flow, status and
// time range; a dry run lists what would run and what would be skipped and why; "Replay" then
// runs exactly that request with an Idempotency-Key made for it, so a double click or a retried
// request replays nothing twice. Every replay runs with its run's original payload.

import { h, pill, skeletonRows, emptyState, timeCell, customerSelect, scrolling } from "./dom.js";
import { api, customers, describeError } from "./org-api.js";
import { t, tn } from "./i18n.js";

/** Each outcome's tone; its words are the phrase `replay.outcome.<outcome>`. */
const OUTCOME = { "would-replay": "info", replayed: "ok", failed: "danger", skipped: "warn" };
const COLUMNS = ["replay.runColumn", "common.customer", "common.instance", "common.flow", "runs.started", "replay.outcome"];

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
      h("td", { text: `${item.instance.name} (${t(`instance.status.${item.instance.status}`)})` }),
      h("td", { text: item.execution.flowId }),
      h("td", {}, timeCell(item.execution.startedAt)),
      h("td", {}, pill(OUTCOME[item.outcome], t(`replay.outcome.${item.outcome}`)), item.reason ? h("div", { class: "hint", text: item.reason }) : null, item.replay ? h("div", { class: "hint mono", text: `→ ${item.replay.id}` }) : null),
    ),
  );
  return scrolling(h("table", {}, h("caption", { class: "visually-hidden", text: title }), h("thead", {}, h("tr", {}, COLUMNS.map((key) => h("th", { scope: "col", text: t(key) })))), h("tbody", {}, rows)));
}

const counts = ({ counts: c }, dry) =>
  dry
    ? t("replay.countsDry", { wouldReplay: tn("replay.wouldReplay", c.wouldReplay), skipped: tn("replay.skipped", c.skipped) })
    : t("replay.counts", { replayed: tn("replay.replayed", c.replayed), failed: tn("replay.failedAgain", c.failed), skipped: tn("replay.skipped", c.skipped) });

export async function renderReplays(view, params) {
  const form = h("form", { class: "filters", "aria-label": t("replay.form") });
  const output = h("section", { "aria-live": "polite", "aria-label": t("replay.result") });
  view.replaceChildren(
    h("h1", { text: t("replay.title") }),
    h("p", { class: "hint", text: t("replay.hint") }),
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
    h("label", {}, t("common.customer"), customerSelect(list, params.get("customer"))),
    h("label", {}, t("replay.instanceId"), h("input", { name: "instance", value: params.get("instance") ?? "", autocomplete: "off", placeholder: "ins_…" })),
    h("label", {}, t("replay.flowId"), h("input", { name: "flow", value: params.get("flow") ?? "", autocomplete: "off", placeholder: t("replay.flowIdExample") })),
    h("label", {}, t("common.status"), h("select", { name: "status" }, [["failed", t("run.status.failed")], ["succeeded", t("run.status.succeeded")], ["", t("replay.anyEnded")]].map(([value, text]) => h("option", { value, text })))),
    h("label", {}, t("common.startedFrom"), h("input", { name: "from", type: "datetime-local" })),
    h("label", {}, t("common.startedBefore"), h("input", { name: "to", type: "datetime-local" })),
    h("label", {}, t("replay.atMost"), h("input", { name: "limit", type: "number", min: "1", max: "500", value: "100" })),
    h("button", { type: "submit", text: t("replay.preview") }),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const request = requestOf(form);
    output.replaceChildren(scrolling(h("table", { "aria-busy": "true" }, h("tbody", {}, skeletonRows(COLUMNS.length)))));
    let preview;
    try {
      preview = await api("/replays", { method: "POST", body: { ...request, dryRun: true } });
    } catch (error) {
      output.replaceChildren(h("p", { class: "field-error", role: "alert", text: t("replay.previewFailed", { error: describeError(error) }) }));
      return;
    }
    if (preview.items.length === 0) {
      output.replaceChildren(emptyState(t("replay.noMatch"), t("replay.noMatchHint")));
      return;
    }
    // One key per previewed request: a double click or a retry after a lost answer replays once.
    const key = crypto.randomUUID();
    const run = h("button", { type: "button", text: tn("replay.run", preview.counts.wouldReplay), disabled: preview.counts.wouldReplay === 0 });
    run.addEventListener("click", async () => {
      run.disabled = true;
      run.textContent = t("replay.replaying");
      try {
        const done = await api("/replays", { method: "POST", body: request, headers: { "Idempotency-Key": key } });
        output.replaceChildren(h("h2", { text: t("replay.replayedTitle") }), h("p", { role: "status", text: counts(done, false) }), resultTable(done, t("replay.replayedRuns")));
      } catch (error) {
        run.disabled = false;
        run.textContent = t("common.tryAgain");
        output.prepend(h("p", { class: "field-error", role: "alert", text: t("replay.failed", { error: describeError(error) }) }));
      }
    });
    output.replaceChildren(
      h("h2", { text: t("replay.previewTitle") }),
      h("p", { role: "status", text: counts(preview, true) + (preview.truncated ? ` ${t("replay.truncated")}` : "") }),
      resultTable(preview, t("replay.wouldRuns")),
      h("div", { class: "actions" }, run),
    );
  });
}
