// The console's one way to make DOM: text is only ever set with textContent, never parsed as
// HTML (the page runs under `script-src 'self'; style-src 'self'` and Trusted Types).

import { t, dateTime, relativeTime } from "./i18n.js";

/** Creates an element: attributes (on* are listeners, `text` is textContent) and children. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "text") el.textContent = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

const banner = () => document.getElementById("banner");

/** The page's one message line (an error, or a success once an action is done). */
export function showBanner(message, kind = "error") {
  const el = banner();
  el.textContent = message;
  el.classList.toggle("success", kind === "success");
  el.hidden = false;
}

export function clearBanner() {
  const el = banner();
  el.hidden = true;
  el.textContent = "";
}

/**
 * An accessible confirmation (instead of window.confirm): a modal <dialog> with a title, the
 * consequence in words, and two buttons; focus starts on Cancel (the safe choice), Escape
 * cancels, focus returns to what opened it. Resolves true when confirmed.
 */
export function confirmDialog({ title, message, confirmLabel, danger = false }) {
  const opener = document.activeElement;
  const titleId = `dlg-${Math.random().toString(36).slice(2)}`;
  const cancel = h("button", { type: "submit", value: "cancel", class: "secondary", text: t("common.cancel") });
  const dialog = h(
    "dialog",
    { "aria-labelledby": titleId, class: "confirm" },
    h("form", { method: "dialog" }, h("h2", { id: titleId, text: title }), h("p", { text: message }), h("div", { class: "actions" }, h("button", { type: "submit", value: "confirm", class: danger ? "danger" : undefined, text: confirmLabel }), cancel)),
  );
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "confirm");
      dialog.remove();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    });
    dialog.showModal();
    cancel.focus();
  });
}

/** A status as a pill: a colour by `tone` (ok, warn, danger, muted, info) and always words. */
export function pill(tone, text) {
  return h("span", { class: `pill pill-${tone}`, text });
}

/**
 * A table in a box of its own that scrolls sideways when the table is wider than the screen (a
 * phone): the page itself never does, and the top bar and filters stay put. While it scrolls, the
 * box is a named region in the Tab order, so a keyboard can scroll it too; while it fits, it is
 * not (no stop that does nothing on a wide screen).
 */
export function scrolling(table) {
  const box = h("div", { class: "table-scroll" }, table);
  const name = () => table.querySelector("caption")?.textContent || table.getAttribute("aria-label");
  const update = () => {
    const scrolls = box.scrollWidth > box.clientWidth;
    box.toggleAttribute("tabindex", scrolls);
    if (scrolls) box.tabIndex = 0;
    for (const [attribute, value] of [["role", "region"], ["aria-label", name()]]) {
      if (scrolls && value) box.setAttribute(attribute, value);
      else box.removeAttribute(attribute);
    }
  };
  const observer = new ResizeObserver(update);
  observer.observe(box);
  observer.observe(table);
  return box;
}

/** The table body while a page loads: skeleton rows, announced as loading. */
export function skeletonRows(columns, rows = 4) {
  return Array.from({ length: rows }, () => h("tr", { class: "skeleton", "aria-hidden": "true" }, Array.from({ length: columns }, () => h("td", {}, h("span", { class: "bone" })))));
}

/**
 * A `customer` select: the empty choice `first` ("All customers" unless told; none when null), then
 * each customer by name and external id, `selected` chosen.
 */
export function customerSelect(list, selected, first = t("common.allCustomers"), attrs = {}) {
  return h("select", { name: "customer", ...attrs }, first === null ? null : h("option", { value: "", text: first }), list.map((c) => h("option", { value: c.id, text: `${c.name} (${c.externalId})`, selected: c.id === selected })));
}

/** A calm empty state: what is missing and what to do about it. */
export function emptyState(title, hint) {
  return h("div", { class: "empty-state" }, h("p", { class: "empty-title", text: title }), hint ? h("p", { class: "hint", text: hint }) : null);
}

/** "3 min ago"-style relative time in the viewer's language, with the exact time as the tooltip. */
export function timeCell(iso) {
  if (!iso) return h("span", { class: "hint", text: "—" });
  return h("time", { datetime: iso, title: dateTime(iso), text: relativeTime(iso) });
}

/** The hash of the page at `cursor` (none: the first page) of the list at `base`, keeping the other parameters of `params`. */
export function pageHash(base, params, cursor) {
  const next = new URLSearchParams(params);
  if (cursor) next.set("cursor", cursor);
  else next.delete("cursor");
  return `${base}?${next}`;
}

/**
 * Previous and Next over a list's opaque cursors (the runs, the alerts, an endpoint's
 * deliveries). `trail`: the cursors of the pages before this one, kept by the caller per list
 * and emptied when the list starts again from its first page; Next pushes the current one.
 */
export function pageButtons(trail, params, nextCursor, base, go) {
  return [
    h("button", { type: "button", class: "secondary", disabled: trail.length === 0, text: t("common.previous"), onclick: () => go(pageHash(base, params, trail.pop())) }),
    h("button", {
      type: "button",
      class: "secondary",
      disabled: !nextCursor,
      text: t("common.next"),
      onclick: () => {
        trail.push(params.get("cursor") ?? "");
        go(pageHash(base, params, nextCursor));
      },
    }),
  ];
}
