/**
 * The time-to-interactive floor, frame side: a hand-written page on the frame's origin that does
 * the same work as the marketplace frame with nothing else — the same check of its parent
 * against the embed config the platform writes into the document, the same pinned penpal
 * handshake, `getToken()` over the channel, the same authenticated catalog `GET`, the same list
 * (toolbar, chips, two sections, cards, with the frame's own stylesheet) drawn with one
 * `innerHTML`, and `ready` sent by the first task after the next drawn frame, as the product
 * sends it. No framework, no schema, no state: what is left between this page and the product
 * is what the product's own code costs.
 */
import { connect } from "penpal";
import { pinnedWindowMessenger } from "../../contract/messenger.ts";
import { EMBED_CONFIG_ELEMENT_ID } from "../../contract/protocol-constants.ts";
import { initials } from "../../marketplace-frame/src/ui/initials.ts";

interface Summary {
  id: string;
  name: string;
  summary: string;
  category: string;
  icon: string;
  vendor: string;
  activation: { state: "available" | "activated" | "paused" | "needs-configuration" };
}

const STATE = { available: "Available", activated: "Activated", paused: "Paused", "needs-configuration": "Needs configuration" };

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const icon = (src: string, name: string) =>
  /^https:|^data:image\//.test(src) || src.startsWith(location.origin) || src.startsWith("/")
    ? `<img src="${escape(src)}" alt="" loading="lazy" decoding="async">`
    : `<span class="em-icon-initials">${escape(initials(name))}</span>`;

const card = (i: Summary) =>
  `<li><button type="button" class="em-card"><span class="em-icon em-icon-md" aria-hidden="true">${icon(i.icon, i.name)}</span>` +
  `<span class="em-card-body"><span class="em-card-title">${escape(i.name)}</span><span class="em-card-summary">${escape(i.summary)}</span>` +
  `<span class="em-card-meta"><span class="em-muted">by ${escape(i.vendor)}</span><span class="em-badge em-badge-${i.activation.state}">${STATE[i.activation.state]}</span></span></span></button></li>`;

const section = (title: string, items: Summary[]) =>
  items.length === 0
    ? ""
    : `<section class="em-section" aria-labelledby="s-${title}"><h2 class="em-section-title" id="s-${title}">${title} <span class="em-count">${items.length}</span></h2><ul class="em-grid">${items.slice(0, 60).map(card).join("")}</ul></section>`;

function list(integrations: Summary[], categories: string[]): string {
  const activated = integrations.filter((i) => i.activation.state !== "available");
  const available = integrations.filter((i) => i.activation.state === "available");
  const chip = (text: string, pressed: boolean) => `<button type="button" class="em-chip" aria-pressed="${pressed}">${escape(text)}</button>`;
  return (
    `<div class="em-app"><main class="em-main" tabindex="-1"><div class="em-marketplace"><h1 class="em-sr-only">Integrations</h1>` +
    `<div class="em-toolbar"><label class="em-search"><span class="em-sr-only">Search integrations</span><input type="search" class="em-input" placeholder="Search by name, vendor or label"></label></div>` +
    `<div class="em-chip-rows"><div class="em-chips" role="group" aria-label="Category">${["All", ...categories].map((c, n) => chip(c, n === 0)).join("")}</div>` +
    `<div class="em-chips em-segmented" role="group" aria-label="Show">${["All", "Activated", "Available"].map((c, n) => chip(c, n === 0)).join("")}</div></div>` +
    section("Activated", activated) +
    section("Available", available) +
    `</div></main></div>`
  );
}

const q = new URLSearchParams(location.search);
const parent = q.get("parent")!;
const config = JSON.parse(document.getElementById(EMBED_CONFIG_ELEMENT_ID)?.textContent ?? "null") as { allowedOrigins?: string[] } | null;
if (!config?.allowedOrigins?.includes(parent) || window.parent === window) throw new Error("floor: not framed by an allowed origin");

const connection = connect<{ getToken(): Promise<string>; emit(event: unknown): Promise<void> }>({
  messenger: pinnedWindowMessenger({ remoteWindow: window.parent, origin: parent }),
  methods: {},
  channel: q.get("channel")!,
});
const host = await connection.promise;
const token = await host.getToken();
const response = await fetch("/api/v1/integrations", { headers: { Authorization: `Bearer ${token}` } });
if (!response.ok) throw new Error(`floor: catalog answered ${response.status}`);
const { integrations, categories } = (await response.json()) as { integrations: Summary[]; categories: string[] };
document.getElementById("app")!.innerHTML = list(integrations, categories);
const send = () => void host.emit({ type: "ready", payload: { screen: "marketplace" } });
const { scheduler } = globalThis as { scheduler?: { postTask(task: () => void, options: { priority: string }): unknown } };
requestAnimationFrame(() => void (scheduler ? scheduler.postTask(send, { priority: "user-blocking" }) : setTimeout(send)));
