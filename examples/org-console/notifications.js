// Notifications: the organization's endpoints on its own backend, the event types each receives,
// their health (failing since, disabled by the platform after sustained failure), the signing
// secret and its rotation, the delivery log with every attempt, redelivery, and what the demo
// backend received (docs/notifications.md). All through the org proxy (/api/org/…).

import { h, showBanner, confirmDialog, pill, skeletonRows, emptyState, timeCell } from "./dom.js";
import { OrgApiError, api, describeError } from "./org-api.js";

const DELIVERY_STATUS = { pending: ["warn", "Retrying"], succeeded: ["ok", "Delivered"], failed: ["danger", "Failed"] };

function endpointStatus(endpoint) {
  if (endpoint.disabled?.reason === "failing") return pill("danger", "Disabled after failing");
  if (endpoint.disabled) return pill("muted", "Disabled");
  if (endpoint.failingSince) return pill("warn", `Failing (${endpoint.consecutiveFailures} in a row)`);
  if (!endpoint.lastAttempt) return pill("info", "No deliveries yet");
  return pill("ok", "Healthy");
}

let eventTypes;
const loadEventTypes = () => (eventTypes ??= api("/notification-event-types").then((d) => d.eventTypes, (e) => ((eventTypes = undefined), Promise.reject(e))));

/** `#/notifications` and `#/notifications/<endpoint id>`. */
export async function renderNotifications(view, parts, params, go) {
  if (parts[1]) return renderEndpoint(view, decodeURIComponent(parts[1]), params, go);
  const list = h("div", { class: "cards", "aria-busy": "true" }, h("div", { class: "card skeleton-card", "aria-hidden": "true" }, h("span", { class: "bone" })));
  const add = h("button", { type: "button", onclick: () => openEndpointForm(go), text: "Add endpoint" });
  const received = h("section", { "aria-labelledby": "received-title", class: "received" });
  view.replaceChildren(
    h("div", { class: "view-head" }, h("h1", { text: "Notifications" }), add),
    h("p", { class: "hint", text: "Your backend is told what happens to your customers' integrations: signed POSTs (Standard Webhooks) to the endpoints below, retried with backoff until answered 2xx." }),
    list,
    received,
  );
  void renderReceived(received);
  let endpoints;
  try {
    endpoints = (await api("/notification-endpoints")).endpoints;
  } catch (error) {
    list.removeAttribute("aria-busy");
    list.replaceChildren(emptyState("The endpoints could not be loaded.", describeError(error)));
    return;
  }
  list.removeAttribute("aria-busy");
  const failing = endpoints.filter((e) => e.disabled?.reason === "failing");
  if (failing.length > 0) showBanner(`${failing.length === 1 ? "An endpoint was" : `${failing.length} endpoints were`} disabled after failing for days: ${failing.map((e) => e.url).join(", ")}. Fix the receiver, then enable it again; what waited is sent then.`);
  if (endpoints.length === 0) {
    list.replaceChildren(emptyState("No endpoints yet.", "Add one to be told when instances are deployed, runs fail or alerts are raised."));
    return;
  }
  list.replaceChildren(...endpoints.map((endpoint) => endpointCard(endpoint, go)));
}

function endpointCard(endpoint, go) {
  const toggle = h("button", {
    type: "button",
    class: "secondary",
    text: endpoint.enabled ? "Disable" : "Enable",
    "aria-label": `${endpoint.enabled ? "Disable" : "Enable"} ${endpoint.url}`,
    onclick: async () => {
      if (endpoint.enabled && !(await confirmDialog({ title: "Disable this endpoint?", message: `Nothing is sent to ${endpoint.url} while it is disabled; events that happen meanwhile are not queued for it.`, confirmLabel: "Disable", danger: true }))) return;
      toggle.disabled = true;
      try {
        await api(`/notification-endpoints/${encodeURIComponent(endpoint.id)}`, { method: "PATCH", body: { enabled: !endpoint.enabled } });
        go("#/notifications", `${endpoint.url} is ${endpoint.enabled ? "disabled" : "enabled"}.`);
      } catch (error) {
        toggle.disabled = false;
        showBanner(describeError(error));
      }
    },
  });
  const remove = h("button", {
    type: "button",
    class: "secondary danger-text",
    text: "Delete",
    "aria-label": `Delete ${endpoint.url}`,
    onclick: async () => {
      if (!(await confirmDialog({ title: "Delete this endpoint?", message: `${endpoint.url} and its delivery log are deleted; deliveries still pending are not sent. This cannot be undone.`, confirmLabel: "Delete endpoint", danger: true }))) return;
      try {
        await api(`/notification-endpoints/${encodeURIComponent(endpoint.id)}`, { method: "DELETE" });
        go("#/notifications", `${endpoint.url} was deleted.`);
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
      h("dt", { text: "Last attempt" }),
      h("dd", {}, endpoint.lastAttempt ? [timeCell(endpoint.lastAttempt.at), ` · ${endpoint.lastAttempt.responseStatus ?? "no answer"}`] : "—"),
      h("dt", { text: "Waiting" }),
      h("dd", { text: String(endpoint.pendingDeliveries) }),
      endpoint.rolloverEndsAt ? [h("dt", { text: "Previous secret" }), h("dd", {}, "signs until ", timeCell(endpoint.rolloverEndsAt))] : null,
    ),
    h("div", { class: "actions" }, h("a", { class: "button", href: `#/notifications/${encodeURIComponent(endpoint.id)}`, text: "Delivery log", "aria-label": `Delivery log of ${endpoint.url}` }), toggle, remove),
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
  const typesError = h("p", { class: "field-error", hidden: true, text: "Choose at least one event type." });
  const boxes = types.map((t) => h("label", { class: "checkbox" }, h("input", { type: "checkbox", name: "eventTypes", value: t.type, checked: t.type !== "endpoint.disabled" }), h("span", {}, h("code", { text: t.type }), h("span", { class: "hint", text: ` — ${t.description}` }))));
  const save = h("button", { type: "submit", value: "save", text: "Add endpoint" });
  const form = h(
    "form",
    { method: "dialog", "aria-labelledby": "endpoint-title" },
    h("h2", { id: "endpoint-title", text: "Add a notification endpoint" }),
    h("label", {}, "URL", url, urlError),
    h("label", {}, "Description ", h("span", { class: "hint", text: "(optional)" }), h("input", { name: "description", maxlength: 500, autocomplete: "off" })),
    h("fieldset", { class: "types" }, h("legend", { text: "Event types" }), boxes, typesError),
    h("div", { class: "actions" }, save, h("button", { type: "submit", value: "cancel", formnovalidate: true, class: "secondary", text: "Cancel" })),
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
      go(`#/notifications/${encodeURIComponent(created.endpoint.id)}`, "Endpoint added. Its signing secret is below: put it in your receiver's configuration.");
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
  section.replaceChildren(h("h2", { id: "received-title", text: "Received by your backend" }), h("p", { class: "hint", text: "Loading…" }));
  let data;
  try {
    const res = await fetch("/api/notifications/received");
    if (!res.ok) throw new Error(`Your backend answered ${res.status}.`);
    data = await res.json();
  } catch (error) {
    section.replaceChildren(h("h2", { id: "received-title", text: "Received by your backend" }), emptyState("What your backend received could not be loaded.", describeError(error)));
    return;
  }
  const rows = data.received.slice(0, 20).map((r) =>
    h(
      "tr",
      {},
      h("td", {}, timeCell(r.receivedAt)),
      h("td", {}, h("code", { text: r.type || "—" })),
      h("td", {}, r.verified ? pill("ok", r.duplicate ? "Verified · duplicate" : "Verified") : pill("danger", "Refused: bad signature")),
      h("td", {}, h("code", { class: "hint", text: r.messageId })),
    ),
  );
  section.replaceChildren(
    h("h2", { id: "received-title", text: "Received by your backend" }),
    h("p", { class: "hint" }, "The demo backend's inbox at ", h("code", { text: data.url }), " verifies each delivery's signature before it trusts it."),
    rows.length === 0
      ? emptyState("Nothing received yet.", "Deploy, pause or resume an instance and the event arrives here within seconds.")
      : h("table", {}, h("caption", { class: "visually-hidden", text: "Notifications received by your backend" }), h("thead", {}, h("tr", {}, ["Received", "Event", "Signature", "webhook-id"].map((t) => h("th", { scope: "col", text: t })))), h("tbody", {}, rows)),
  );
}

// ------------------------------------------------------------------ one endpoint

/** Cursors of the pages before the current one (Previous without the server). */
let trail = [];

async function renderEndpoint(view, id, params, go) {
  const base = `/notification-endpoints/${encodeURIComponent(id)}`;
  const body = h("tbody", {}, skeletonRows(6));
  const table = h("table", { "aria-busy": "true" }, h("caption", { class: "visually-hidden", text: "Delivery log" }), h("thead", {}, h("tr", {}, ["Event", "Status", "Attempts", "Last answer", "Queued", ""].map((t) => h("th", { scope: "col", text: t })))), body);
  const secretBox = h("div", { class: "secret" });
  const head = h("div", { class: "view-head" }, h("h1", { text: "Endpoint" }));
  const filters = deliveryFilters(params, id, go);
  const pager = h("div", { class: "pager" });
  view.replaceChildren(h("p", {}, h("a", { href: "#/notifications", text: "← All endpoints" })), head, secretBox, h("h2", { text: "Delivery log" }), filters, table, pager);

  let endpoint;
  try {
    endpoint = await api(base);
  } catch (error) {
    view.replaceChildren(h("p", {}, h("a", { href: "#/notifications", text: "← All endpoints" })), emptyState("This endpoint could not be loaded.", describeError(error)));
    return;
  }
  head.replaceChildren(h("h1", {}, h("code", { class: "url", text: endpoint.url })), endpointStatus(endpoint));
  if (endpoint.disabled?.reason === "failing") showBanner(`The platform disabled this endpoint after it failed for days (since ${new Date(endpoint.failingSince ?? endpoint.disabled.at).toLocaleString()}). Fix the receiver, then enable it on the Notifications page.`);
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
    body.replaceChildren(h("tr", {}, h("td", { colspan: 6 }, emptyState("The delivery log could not be loaded.", describeError(error)))));
    return;
  }
  table.removeAttribute("aria-busy");
  if (page.deliveries.length === 0) {
    body.replaceChildren(h("tr", {}, h("td", { colspan: 6 }, emptyState(params.get("status") || params.get("eventType") ? "No delivery matches these filters." : "No deliveries yet.", "Events this endpoint subscribed to appear here as they happen."))));
  } else {
    body.replaceChildren(...page.deliveries.flatMap((d) => deliveryRows(d, base, endpoint, () => renderEndpoint(view, id, params, go))));
  }
  const hashWith = (cursor) => {
    const next = new URLSearchParams(params);
    if (cursor) next.set("cursor", cursor);
    else next.delete("cursor");
    return `#/notifications/${encodeURIComponent(id)}?${next}`;
  };
  pager.replaceChildren(
    h("button", { type: "button", class: "secondary", disabled: trail.length === 0, text: "Previous", onclick: () => go(hashWith(trail.pop())) }),
    h("button", {
      type: "button",
      class: "secondary",
      disabled: !page.nextCursor,
      text: "Next",
      onclick: () => {
        trail.push(params.get("cursor") ?? "");
        go(hashWith(page.nextCursor));
      },
    }),
  );
}

function deliveryFilters(params, id, go) {
  const status = h("select", { name: "status" }, h("option", { value: "", text: "Any status" }), Object.entries(DELIVERY_STATUS).map(([value, [, label]]) => h("option", { value, text: label, selected: params.get("status") === value })));
  const type = h("select", { name: "eventType" }, h("option", { value: "", text: "Any event" }));
  void loadEventTypes().then((types) => type.append(...types.map((t) => h("option", { value: t.type, text: t.type, selected: params.get("eventType") === t.type }))), () => undefined);
  return h(
    "form",
    {
      class: "filters",
      role: "search",
      "aria-label": "Filter deliveries",
      onsubmit: (event) => {
        event.preventDefault();
        const next = new URLSearchParams();
        if (status.value) next.set("status", status.value);
        if (type.value) next.set("eventType", type.value);
        go(`#/notifications/${encodeURIComponent(id)}?${next}`);
      },
    },
    h("label", {}, "Status", status),
    h("label", {}, "Event", type),
    h("button", { type: "submit", text: "Filter" }),
  );
}

function deliveryRows(delivery, base, endpoint, reload) {
  const [tone, label] = DELIVERY_STATUS[delivery.status];
  const last = delivery.attempts.at(-1);
  const redeliver = h("button", {
    type: "button",
    class: "secondary",
    text: "Redeliver",
    "aria-label": `Redeliver ${delivery.eventType} ${delivery.id}`,
    disabled: !endpoint.enabled,
    title: endpoint.enabled ? "Send it again now, with the same webhook-id" : "Enable the endpoint to send deliveries again",
    onclick: async () => {
      redeliver.disabled = true;
      redeliver.textContent = "Sending…";
      try {
        const after = await api(`${base}/deliveries/${encodeURIComponent(delivery.id)}/redeliver`, { method: "POST" });
        const attempt = after.attempts.at(-1);
        showBanner(attempt.error ? `Redelivered: ${attempt.error}` : `Redelivered: answered ${attempt.responseStatus}.`, attempt.error ? "error" : "success");
        await reload();
      } catch (error) {
        redeliver.disabled = false;
        redeliver.textContent = "Redeliver";
        showBanner(describeError(error));
      }
    },
  });
  const attempts = h(
    "details",
    {},
    h("summary", { text: `${delivery.attempts.length} attempt${delivery.attempts.length === 1 ? "" : "s"}` }),
    h(
      "ol",
      { class: "attempts" },
      delivery.attempts.map((a) =>
        h("li", {}, timeCell(a.at), ` · ${a.responseStatus ?? "no answer"} · ${a.durationMs} ms${a.manual ? " · redelivery" : ""}`, a.error ? h("div", { class: "field-error", text: a.error }) : null, a.responseBody ? h("pre", { class: "body", text: a.responseBody }) : null),
      ),
    ),
    h("p", { class: "hint" }, "webhook-id ", h("code", { text: delivery.messageId })),
    h("pre", { class: "body", text: JSON.stringify(JSON.parse(delivery.payload), null, 2) }),
  );
  return [
    h(
      "tr",
      {},
      h("td", {}, h("code", { text: delivery.eventType })),
      h("td", {}, pill(tone, label), delivery.status === "pending" && delivery.nextAttemptAt ? h("div", { class: "hint" }, "next ", timeCell(delivery.nextAttemptAt)) : null),
      h("td", {}, attempts),
      h("td", { text: last ? String(last.responseStatus ?? "no answer") : "—" }),
      h("td", {}, timeCell(delivery.createdAt)),
      h("td", {}, redeliver),
    ),
  ];
}

function renderSecret(box, base, endpoint) {
  const value = h("code", { class: "secret-value", text: "whsec_••••••••••••••••" });
  let shown = false;
  const reveal = h("button", {
    type: "button",
    class: "secondary",
    text: "Reveal",
    "aria-expanded": "false",
    onclick: async () => {
      if (shown) {
        value.textContent = "whsec_••••••••••••••••";
        reveal.textContent = "Reveal";
        reveal.setAttribute("aria-expanded", "false");
        shown = false;
        return;
      }
      try {
        const { secrets } = await api(`${base}/secret`);
        value.textContent = secrets.map((s) => s.secret + (s.expiresAt ? `  (previous, signs until ${new Date(s.expiresAt).toLocaleString()})` : "")).join("\n");
        reveal.textContent = "Hide";
        reveal.setAttribute("aria-expanded", "true");
        shown = true;
      } catch (error) {
        showBanner(describeError(error));
      }
    },
  });
  const rotate = h("button", { type: "button", class: "secondary", text: "Rotate secret", onclick: () => openRotate(base, box, endpoint) });
  box.replaceChildren(h("h2", { text: "Signing secret" }), h("p", { class: "hint", text: "Verify every delivery with it (docs/notifications.md). During a rotation both the new and the previous secret sign." }), h("div", { class: "secret-row" }, value, reveal, rotate));
}

function openRotate(base, box, endpoint) {
  const hours = h("select", { name: "rolloverHours" }, [["24", "24 hours (default)"], ["1", "1 hour"], ["72", "3 days"], ["168", "7 days"], ["0", "No rollover: the old secret stops now"]].map(([v, t]) => h("option", { value: v, text: t })));
  const error = h("p", { class: "field-error", hidden: true });
  const go = h("button", { type: "submit", value: "rotate", class: "danger", text: "Rotate" });
  const form = h(
    "form",
    { method: "dialog" },
    h("h2", { id: "rotate-title", text: "Rotate the signing secret?" }),
    h("p", { text: "A new secret signs from now on. Keep the previous one in your receiver until the rollover ends: both sign every delivery meanwhile." }),
    h("label", {}, "The previous secret keeps signing for", hours),
    error,
    h("div", { class: "actions" }, go, h("button", { type: "submit", value: "cancel", class: "secondary", text: "Cancel" })),
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
      box.querySelector(".secret-value").textContent = secrets.map((s) => s.secret + (s.expiresAt ? `  (previous, signs until ${new Date(s.expiresAt).toLocaleString()})` : "")).join("\n");
      showBanner("The secret was rotated. The new one is shown below: put it in your receiver's configuration.", "success");
    } catch (e) {
      go.disabled = false;
      error.textContent = describeError(e);
      error.hidden = false;
    }
  });
  dialog.showModal();
  hours.focus();
}
