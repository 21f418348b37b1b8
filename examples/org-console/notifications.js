// Notifications: the organization's endpoints on its own backend, the event types each receives,
// their health (failing since, disabled by the platform after sustained failure), the signing
// secret and its rotation, the delivery log with every attempt, redelivery, and what the demo
// backend received (docs/notifications.md). All through the org proxy (/api/org/…).

import { h, showBanner, confirmDialog, pill, skeletonRows, emptyState, timeCell, pageButtons, scrolling } from "./dom.js";
import { OrgApiError, api, describeError } from "./org-api.js";
import { t, tn, number, dateTime } from "./i18n.js";

/** Each delivery status's tone; its words are the phrase `delivery.status.<status>`. */
const DELIVERY_STATUS = { pending: "warn", succeeded: "ok", failed: "danger" };

function endpointStatus(endpoint) {
  if (endpoint.disabled?.reason === "failing") return pill("danger", t("endpoint.disabledFailing"));
  if (endpoint.disabled) return pill("muted", t("endpoint.off"));
  if (endpoint.failingSince) return pill("warn", tn("endpoint.failing", endpoint.consecutiveFailures));
  if (!endpoint.lastAttempt) return pill("info", t("endpoint.noDeliveries"));
  return pill("ok", t("endpoint.healthy"));
}

/** An event type's description in the viewer's language (the platform's words for a type this console does not know yet). */
function describeType(type) {
  const key = `event.${type.type}`;
  const text = t(key); // the key itself where no table has the phrase
  return text === key ? type.description : text;
}

let eventTypes;
const loadEventTypes = () => (eventTypes ??= api("/notification-event-types").then((d) => d.eventTypes, (e) => ((eventTypes = undefined), Promise.reject(e))));

/** `#/notifications` and `#/notifications/<endpoint id>`. */
export async function renderNotifications(view, parts, params, go) {
  if (parts[1]) return renderEndpoint(view, decodeURIComponent(parts[1]), params, go);
  const list = h("div", { class: "cards", "aria-busy": "true" }, h("div", { class: "card skeleton-card", "aria-hidden": "true" }, h("span", { class: "bone" })));
  const add = h("button", { type: "button", "data-action": "add-endpoint", onclick: () => openEndpointForm(go), text: t("endpoint.add") });
  const received = h("section", { "aria-labelledby": "received-title", class: "received" });
  view.replaceChildren(
    h("div", { class: "view-head" }, h("h1", { text: t("notifications.title") }), add),
    h("p", { class: "hint", text: t("notifications.hint") }),
    list,
    received,
  );
  void renderReceived(received);
  let endpoints;
  try {
    endpoints = (await api("/notification-endpoints")).endpoints;
  } catch (error) {
    list.removeAttribute("aria-busy");
    list.replaceChildren(emptyState(t("notifications.failed"), describeError(error)));
    return;
  }
  list.removeAttribute("aria-busy");
  const failing = endpoints.filter((e) => e.disabled?.reason === "failing");
  if (failing.length > 0) showBanner(tn("notifications.disabledBanner", failing.length, { urls: failing.map((e) => e.url).join(", ") }));
  if (endpoints.length === 0) {
    list.replaceChildren(emptyState(t("notifications.none"), t("notifications.noneHint")));
    return;
  }
  list.replaceChildren(...endpoints.map((endpoint) => endpointCard(endpoint, go)));
}

function endpointCard(endpoint, go) {
  const toggle = h("button", {
    type: "button",
    class: "secondary",
    text: endpoint.enabled ? t("endpoint.disable") : t("endpoint.enable"),
    "aria-label": t(endpoint.enabled ? "endpoint.disableLabel" : "endpoint.enableLabel", { url: endpoint.url }),
    onclick: async () => {
      if (endpoint.enabled && !(await confirmDialog({ title: t("endpoint.disableTitle"), message: t("endpoint.disableMessage", { url: endpoint.url }), confirmLabel: t("endpoint.disable"), danger: true }))) return;
      toggle.disabled = true;
      try {
        await api(`/notification-endpoints/${encodeURIComponent(endpoint.id)}`, { method: "PATCH", body: { enabled: !endpoint.enabled } });
        go("#/notifications", t(endpoint.enabled ? "endpoint.disabledDone" : "endpoint.enabledDone", { url: endpoint.url }));
      } catch (error) {
        toggle.disabled = false;
        showBanner(describeError(error));
      }
    },
  });
  const remove = h("button", {
    type: "button",
    class: "secondary danger-text",
    text: t("common.delete"),
    "aria-label": t("endpoint.deleteLabel", { url: endpoint.url }),
    onclick: async () => {
      if (!(await confirmDialog({ title: t("endpoint.deleteTitle"), message: t("endpoint.deleteMessage", { url: endpoint.url }), confirmLabel: t("endpoint.deleteConfirm"), danger: true }))) return;
      try {
        await api(`/notification-endpoints/${encodeURIComponent(endpoint.id)}`, { method: "DELETE" });
        go("#/notifications", t("endpoint.deletedDone", { url: endpoint.url }));
      } catch (error) {
        showBanner(describeError(error));
      }
    },
  });
  return h(
    "article",
    { class: "card", "aria-label": endpoint.url },
    h("div", { class: "card-head" }, h("code", { class: "url", text: endpoint.url }), endpointStatus(endpoint)),
    endpoint.description ? h("p", { class: "hint", text: endpoint.description }) : null,
    h("p", {}, endpoint.eventTypes.map((type) => h("span", { class: "label", text: type }))),
    h(
      "dl",
      { class: "facts" },
      h("dt", { text: t("endpoint.lastAttempt") }),
      h("dd", {}, endpoint.lastAttempt ? [timeCell(endpoint.lastAttempt.at), ` · ${endpoint.lastAttempt.responseStatus ?? t("delivery.noAnswer")}`] : "—"),
      h("dt", { text: t("endpoint.waiting") }),
      h("dd", { text: number(endpoint.pendingDeliveries) }),
      endpoint.rolloverEndsAt ? [h("dt", { text: t("endpoint.previousSecret") }), h("dd", {}, `${t("endpoint.signsUntil")} `, timeCell(endpoint.rolloverEndsAt))] : null,
    ),
    h("div", { class: "actions" }, h("a", { class: "button", href: `#/notifications/${encodeURIComponent(endpoint.id)}`, text: t("delivery.log"), "aria-label": t("delivery.logOf", { url: endpoint.url }) }), toggle, remove),
  );
}

/** The add-endpoint dialog: what was typed stays when the platform refuses it (the reason beside the field). */
async function openEndpointForm(go) {
  let types;
  try {
    types = await loadEventTypes();
  } catch (error) {
    return showBanner(describeError(error));
  }
  const urlError = h("p", { class: "field-error", id: "endpoint-url-error", hidden: true });
  const url = h("input", { name: "url", type: "url", required: true, autocomplete: "off", placeholder: "https://api.example.com/emporium/notifications", "aria-describedby": "endpoint-url-error" });
  const typesError = h("p", { class: "field-error", hidden: true, text: t("endpoint.chooseType") });
  const boxes = types.map((type) => h("label", { class: "checkbox" }, h("input", { type: "checkbox", name: "eventTypes", value: type.type, checked: type.type !== "endpoint.disabled" }), h("span", {}, h("code", { text: type.type }), h("span", { class: "hint", text: ` — ${describeType(type)}` }))));
  const save = h("button", { type: "submit", value: "save", text: t("endpoint.add") });
  const form = h(
    "form",
    { method: "dialog", "aria-labelledby": "endpoint-title" },
    h("h2", { id: "endpoint-title", text: t("endpoint.addTitle") }),
    h("label", {}, t("endpoint.url"), url, urlError),
    h("label", {}, `${t("common.description")} `, h("span", { class: "hint", text: t("common.optional") }), h("input", { name: "description", maxlength: 500, autocomplete: "off" })),
    h("fieldset", { class: "types" }, h("legend", { text: t("endpoint.eventTypes") }), boxes, typesError),
    h("div", { class: "actions" }, save, h("button", { type: "submit", value: "cancel", formnovalidate: true, class: "secondary", text: t("common.cancel") })),
  );
  const dialog = h("dialog", { "aria-labelledby": "endpoint-title", class: "wide" }, form);
  document.body.append(dialog);
  dialog.addEventListener("close", () => dialog.remove());
  form.addEventListener("submit", async (event) => {
    if (event.submitter?.value !== "save") return;
    event.preventDefault();
    const data = new FormData(form);
    const eventTypes = data.getAll("eventTypes");
    typesError.hidden = eventTypes.length > 0;
    if (eventTypes.length === 0) return;
    save.disabled = true;
    urlError.hidden = true;
    url.removeAttribute("aria-invalid");
    try {
      const created = await api("/notification-endpoints", { method: "POST", body: { url: String(data.get("url")).trim(), description: String(data.get("description") ?? ""), eventTypes } });
      dialog.close();
      go(`#/notifications/${encodeURIComponent(created.endpoint.id)}`, t("endpoint.added"));
    } catch (error) {
      save.disabled = false;
      if (error instanceof OrgApiError && error.fields?.url) {
        urlError.textContent = error.fields.url;
        urlError.hidden = false;
        url.setAttribute("aria-invalid", "true");
        url.focus();
      } else {
        urlError.textContent = describeError(error);
        urlError.hidden = false;
      }
    }
  });
  dialog.showModal();
  url.focus();
}

/** What the demo backend received (its inbox, examples/demo-backend/notification-inbox.ts). */
async function renderReceived(section) {
  section.replaceChildren(h("h2", { id: "received-title", text: t("received.title") }), h("p", { class: "hint", text: t("common.loading") }));
  let data;
  try {
    const res = await fetch("/api/notifications/received");
    if (!res.ok) throw new Error(t("received.answered", { status: res.status }));
    data = await res.json();
  } catch (error) {
    section.replaceChildren(h("h2", { id: "received-title", text: t("received.title") }), emptyState(t("received.failed"), describeError(error)));
    return;
  }
  const rows = data.received.slice(0, 20).map((r) =>
    h(
      "tr",
      {},
      h("td", {}, timeCell(r.receivedAt)),
      h("td", {}, h("code", { text: r.type || "—" })),
      h("td", {}, r.verified ? pill("ok", r.duplicate ? t("received.duplicate") : t("received.verified")) : pill("danger", t("received.refused"))),
      h("td", {}, h("code", { class: "hint", text: r.messageId })),
    ),
  );
  section.replaceChildren(
    h("h2", { id: "received-title", text: t("received.title") }),
    h("p", { class: "hint" }, `${t("received.inbox")} `, h("code", { text: data.url })),
    rows.length === 0
      ? emptyState(t("received.none"), t("received.noneHint"))
      : scrolling(h("table", {}, h("caption", { class: "visually-hidden", text: t("received.caption") }), h("thead", {}, h("tr", {}, [t("received.at"), t("delivery.event"), t("received.signature"), "webhook-id"].map((text) => h("th", { scope: "col", text })))), h("tbody", {}, rows))),
  );
}

// ------------------------------------------------------------------ one endpoint

/** Cursors of the pages before the current one (Previous without the server). */
let trail = [];

async function renderEndpoint(view, id, params, go) {
  const base = `/notification-endpoints/${encodeURIComponent(id)}`;
  const body = h("tbody", {}, skeletonRows(6));
  const table = h("table", { "aria-busy": "true" }, h("caption", { class: "visually-hidden", text: t("delivery.log") }), h("thead", {}, h("tr", {}, [t("delivery.event"), t("common.status"), t("delivery.attempts"), t("delivery.lastAnswer"), t("delivery.queued"), t("common.actions")].map((text) => h("th", { scope: "col", text })))), body);
  const secretBox = h("div", { class: "secret" });
  const head = h("div", { class: "view-head" }, h("h1", { text: t("endpoint.title") }));
  const filters = deliveryFilters(params, id, go);
  const pager = h("div", { class: "pager" });
  view.replaceChildren(h("p", {}, h("a", { href: "#/notifications", text: t("endpoint.all") })), head, secretBox, h("h2", { text: t("delivery.log") }), filters, scrolling(table), pager);

  let endpoint;
  try {
    endpoint = await api(base);
  } catch (error) {
    view.replaceChildren(h("p", {}, h("a", { href: "#/notifications", text: t("endpoint.all") })), emptyState(t("endpoint.failed"), describeError(error)));
    return;
  }
  head.replaceChildren(h("h1", {}, h("code", { class: "url", text: endpoint.url })), endpointStatus(endpoint));
  if (endpoint.disabled?.reason === "failing") showBanner(t("endpoint.disabledBanner", { since: dateTime(endpoint.failingSince ?? endpoint.disabled.at) }));
  renderSecret(secretBox, base, endpoint);

  const query = new URLSearchParams();
  for (const key of ["status", "eventType", "cursor"]) if (params.get(key)) query.set(key, params.get(key));
  query.set("limit", "20");
  if (!params.get("cursor")) trail = [];
  let page;
  try {
    page = await api(`${base}/deliveries?${query}`);
  } catch (error) {
    table.removeAttribute("aria-busy");
    body.replaceChildren(h("tr", {}, h("td", { colspan: 6 }, emptyState(t("delivery.failed"), describeError(error)))));
    return;
  }
  table.removeAttribute("aria-busy");
  if (page.deliveries.length === 0) {
    body.replaceChildren(h("tr", {}, h("td", { colspan: 6 }, emptyState(params.get("status") || params.get("eventType") ? t("delivery.noMatch") : t("delivery.none"), t("delivery.noneHint")))));
  } else {
    body.replaceChildren(...page.deliveries.flatMap((d) => deliveryRows(d, base, endpoint, () => renderEndpoint(view, id, params, go))));
  }
  pager.replaceChildren(...pageButtons(trail, params, page.nextCursor, `#/notifications/${encodeURIComponent(id)}`, go));
}

function deliveryFilters(params, id, go) {
  const status = h("select", { name: "status" }, h("option", { value: "", text: t("delivery.anyStatus") }), Object.keys(DELIVERY_STATUS).map((value) => h("option", { value, text: t(`delivery.status.${value}`), selected: params.get("status") === value })));
  const type = h("select", { name: "eventType" }, h("option", { value: "", text: t("delivery.anyEvent") }));
  void loadEventTypes().then((types) => type.append(...types.map((type) => h("option", { value: type.type, text: type.type, selected: params.get("eventType") === type.type }))), () => undefined);
  return h(
    "form",
    {
      class: "filters",
      role: "search",
      "aria-label": t("delivery.filter"),
      onsubmit: (event) => {
        event.preventDefault();
        const next = new URLSearchParams();
        if (status.value) next.set("status", status.value);
        if (type.value) next.set("eventType", type.value);
        go(`#/notifications/${encodeURIComponent(id)}?${next}`);
      },
    },
    h("label", {}, t("common.status"), status),
    h("label", {}, t("delivery.event"), type),
    h("button", { type: "submit", text: t("common.filter") }),
  );
}

function deliveryRows(delivery, base, endpoint, reload) {
  const tone = DELIVERY_STATUS[delivery.status];
  const last = delivery.attempts.at(-1);
  const redeliver = h("button", {
    type: "button",
    class: "secondary",
    text: t("delivery.redeliver"),
    "aria-label": t("delivery.redeliverLabel", { type: delivery.eventType, id: delivery.id }),
    disabled: !endpoint.enabled,
    title: endpoint.enabled ? t("delivery.redeliverHint") : t("delivery.enableFirst"),
    onclick: async () => {
      redeliver.disabled = true;
      redeliver.textContent = t("delivery.sending");
      try {
        const after = await api(`${base}/deliveries/${encodeURIComponent(delivery.id)}/redeliver`, { method: "POST" });
        const attempt = after.attempts.at(-1);
        showBanner(attempt.error ? t("delivery.redeliveredError", { error: attempt.error }) : t("delivery.redeliveredStatus", { status: attempt.responseStatus }), attempt.error ? "error" : "success");
        await reload();
      } catch (error) {
        redeliver.disabled = false;
        redeliver.textContent = t("delivery.redeliver");
        showBanner(describeError(error));
      }
    },
  });
  const attempts = h(
    "details",
    {},
    h("summary", { text: tn("delivery.attemptCount", delivery.attempts.length) }),
    h(
      "ol",
      { class: "attempts" },
      delivery.attempts.map((a) =>
        h("li", {}, timeCell(a.at), ` · ${a.responseStatus ?? t("delivery.noAnswer")} · ${number(a.durationMs)} ms${a.manual ? ` · ${t("delivery.manual")}` : ""}`, a.error ? h("div", { class: "field-error", text: a.error }) : null, a.responseBody ? h("pre", { class: "body", tabindex: 0, "aria-label": t("delivery.answerBody"), text: a.responseBody }) : null),
      ),
    ),
    h("p", { class: "hint" }, "webhook-id ", h("code", { text: delivery.messageId })),
    // Focusable, so a long payload scrolls from the keyboard too.
    h("pre", { class: "body", tabindex: 0, "aria-label": t("delivery.payload"), text: JSON.stringify(JSON.parse(delivery.payload), null, 2) }),
  );
  return [
    h(
      "tr",
      {},
      h("td", {}, h("code", { text: delivery.eventType })),
      h("td", {}, pill(tone, t(`delivery.status.${delivery.status}`)), delivery.status === "pending" && delivery.nextAttemptAt ? h("div", { class: "hint" }, `${t("delivery.next")} `, timeCell(delivery.nextAttemptAt)) : null),
      h("td", {}, attempts),
      h("td", { text: last ? String(last.responseStatus ?? t("delivery.noAnswer")) : "—" }),
      h("td", {}, timeCell(delivery.createdAt)),
      h("td", {}, redeliver),
    ),
  ];
}

/** The live secrets, one a line; the previous one says until when it signs. */
const secretsText = (secrets) => secrets.map((s) => s.secret + (s.expiresAt ? `  ${t("secret.previous", { until: dateTime(s.expiresAt) })}` : "")).join("\n");

function renderSecret(box, base, endpoint) {
  const value = h("code", { class: "secret-value", text: "whsec_••••••••••••••••" });
  let shown = false;
  const reveal = h("button", {
    type: "button",
    class: "secondary",
    text: t("secret.reveal"),
    "aria-expanded": "false",
    onclick: async () => {
      if (shown) {
        value.textContent = "whsec_••••••••••••••••";
        reveal.textContent = t("secret.reveal");
        reveal.setAttribute("aria-expanded", "false");
        shown = false;
        return;
      }
      try {
        const { secrets } = await api(`${base}/secret`);
        value.textContent = secretsText(secrets);
        reveal.textContent = t("secret.hide");
        reveal.setAttribute("aria-expanded", "true");
        shown = true;
      } catch (error) {
        showBanner(describeError(error));
      }
    },
  });
  const rotate = h("button", { type: "button", class: "secondary", "data-action": "rotate", text: t("secret.rotate"), onclick: () => openRotate(base, box, endpoint) });
  box.replaceChildren(h("h2", { text: t("secret.title") }), h("p", { class: "hint", text: t("secret.hint") }), h("div", { class: "secret-row" }, value, reveal, rotate));
}

function openRotate(base, box, endpoint) {
  const hours = h("select", { name: "rolloverHours" }, [["24", t("secret.rollover24")], ["1", t("secret.rollover1")], ["72", t("secret.rollover72")], ["168", t("secret.rollover168")], ["0", t("secret.rollover0")]].map(([value, text]) => h("option", { value, text })));
  const error = h("p", { class: "field-error", hidden: true });
  const go = h("button", { type: "submit", value: "rotate", class: "danger", text: t("secret.rotateConfirm") });
  const form = h(
    "form",
    { method: "dialog" },
    h("h2", { id: "rotate-title", text: t("secret.rotateTitle") }),
    h("p", { text: t("secret.rotateMessage") }),
    h("label", {}, t("secret.rolloverFor"), hours),
    error,
    h("div", { class: "actions" }, go, h("button", { type: "submit", value: "cancel", class: "secondary", text: t("common.cancel") })),
  );
  const dialog = h("dialog", { "aria-labelledby": "rotate-title" }, form);
  document.body.append(dialog);
  dialog.addEventListener("close", () => dialog.remove());
  form.addEventListener("submit", async (event) => {
    if (event.submitter?.value !== "rotate") return;
    event.preventDefault();
    go.disabled = true;
    try {
      const { secrets } = await api(`${base}/secret/rotate`, { method: "POST", body: { rolloverHours: Number(hours.value) } });
      dialog.close();
      renderSecret(box, base, endpoint);
      box.querySelector(".secret-value").textContent = secretsText(secrets);
      showBanner(t("secret.rotated"), "success");
    } catch (e) {
      go.disabled = false;
      error.textContent = describeError(e);
      error.hidden = false;
    }
  });
  dialog.showModal();
  hours.focus();
}
