// The console's versions panel (issue 15): every published version of an integration with its
// release notes and how many instances run it, and the bulk upgrade — a dry run that lists what
// would happen to each instance (and which ones need their customer), then the run itself.
//
// The run reuses the dry run's filters and one Idempotency-Key made when the preview is shown: a
// double click, or a retry after a lost answer, upgrades nothing twice (the platform answers the
// stored result). Instances whose upgrade needs the customer are never touched here: their
// customers see "Update available" in the marketplace and are asked only for what is missing.

import { h, showBanner, clearBanner } from "./dom.js";
import { api, describeError, integrations, customers } from "./org-api.js";

const OUTCOME_TEXT = {
  "would-upgrade": "Will be upgraded",
  upgraded: "Upgraded",
  "needs-input": "Needs customer input",
  skipped: "Skipped",
  failed: "Failed",
};

/** A table cell for an instance's version: what it runs, and the update it can take. */
export function versionCell(instance) {
  const cell = h("td", { class: "version-cell" }, h("span", { text: `v${instance.integrationVersion}` }));
  if (instance.upgrade) {
    cell.append(h("span", { class: "pill pill-progress", text: `customer upgrading to v${instance.upgrade.toVersion}` }));
  } else if (instance.availableUpdate) {
    const { version, needsInput } = instance.availableUpdate;
    cell.append(h("span", { class: `pill ${needsInput ? "pill-input" : "pill-update"}`, text: needsInput ? `v${version}: needs customer input` : `v${version} available` }));
  }
  return cell;
}

/** The instance filters this panel adds to the Instances view: the version run and the update state. */
export function versionFilters(params) {
  return [
    h("label", {}, "Version", h("input", { name: "version", type: "number", min: 1, step: 1, inputmode: "numeric", class: "narrow", value: params.get("version") ?? "" })),
    h(
      "label",
      {},
      "Update",
      h(
        "select",
        { name: "update" },
        [
          ["", "Any"],
          ["available", "Update available"],
          ["needs-input", "Needs customer input"],
          ["none", "Up to date"],
        ].map(([value, text]) => h("option", { value, text, selected: (params.get("update") ?? "") === value })),
      ),
    ),
  ];
}

/** Release notes are Markdown: shown as text, a line per paragraph or bullet, markers dropped. */
function releaseNotes(markdown) {
  if (!markdown) return h("span", { class: "hint", text: "No release notes." });
  const list = h("ul", { class: "notes" });
  for (const raw of markdown.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    list.append(h("li", { class: line.startsWith("- ") ? "" : "lead", text: line.replace(/^- /, "").replace(/\*\*|\*/g, "") }));
  }
  return list;
}

const dateTime = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

/** Field labels of every version of the integration, newest first, for naming what an upgrade changes. */
async function fieldLabels(integrationId, versions) {
  const labels = new Map();
  const details = await Promise.all(versions.map((v) => api(`/integrations/${encodeURIComponent(integrationId)}?version=${v.version}`)));
  for (const detail of details.reverse()) {
    for (const page of detail.configPages) for (const field of page.fields) if (!labels.has(field.key)) labels.set(field.key, field.label);
  }
  return (key) => labels.get(key) ?? key;
}

/** What an upgrade does to one instance's values, in words, with the fields the customer must fill in. */
function planText(plan, label) {
  if (!plan) return [];
  const parts = [];
  if (plan.kept.length) parts.push(`keeps ${plan.kept.length} setting${plan.kept.length === 1 ? "" : "s"}`);
  for (const { from, to } of plan.renamed) parts.push(`${label(from)} → ${label(to)}`);
  if (plan.removed.length) parts.push(`drops ${plan.removed.map(label).join(", ")}`);
  const added = plan.added.filter((key) => !plan.asks.some((a) => a.key === key && a.problem));
  if (added.length) parts.push(`adds ${added.map(label).join(", ")} (default)`);
  const asks = plan.asks.filter((a) => a.problem);
  return [
    h("span", { text: parts.join("; ") || "nothing to change" }),
    asks.length
      ? h(
          "ul",
          { class: "asks" },
          asks.map((a) => h("li", {}, h("strong", { text: `${label(a.key)}: ` }), a.problem)),
        )
      : null,
  ];
}

function itemsTable(result, label) {
  return h(
    "table",
    { class: "upgrade-items" },
    h("thead", {}, h("tr", {}, ["Instance", "Customer", "Version", "Outcome", "What changes"].map((t) => h("th", { scope: "col", text: t })))),
    h(
      "tbody",
      {},
      result.items.map((item) =>
        h(
          "tr",
          { "data-instance": item.instance.id, "data-outcome": item.outcome },
          h("td", { text: item.instance.name }),
          h("td", {}, h("a", { href: `#/customers/${encodeURIComponent(item.instance.customer.id)}`, text: item.instance.customer.name })),
          h("td", { class: "version-cell", text: `v${item.instance.fromVersion} → v${result.toVersion}` }),
          h("td", {}, h("span", { class: `pill outcome-${item.outcome}`, text: OUTCOME_TEXT[item.outcome] ?? item.outcome })),
          h(
            "td",
            {},
            planText(item.plan, label),
            item.reason && item.outcome !== "needs-input" ? h("p", { class: "hint", text: item.reason }) : null,
            item.executions?.length
              ? h("p", { class: "hint", text: `Deploy flows: ${item.executions.map((e) => `${e.flowId} ${e.status}`).join(", ")}` })
              : null,
          ),
        ),
      ),
    ),
  );
}

function summary(result) {
  const c = result.counts;
  const done = result.dryRun ? [`${c.wouldUpgrade} will be upgraded`] : [`${c.upgraded} upgraded`];
  if (c.needsInput) done.push(`${c.needsInput} need${c.needsInput === 1 ? "s" : ""} customer input`);
  if (c.skipped) done.push(`${c.skipped} skipped`);
  if (c.failed) done.push(`${c.failed} failed`);
  return done.join(" · ");
}

export async function renderVersions(view, params) {
  view.replaceChildren(h("h1", { text: "Versions and upgrades" }), h("p", { class: "empty", text: "Loading…" }));
  const loaded = await Promise.all([integrations(), customers()]).catch((error) => void showBanner(describeError(error)));
  if (!loaded) return;
  const [all, allCustomers] = loaded;
  const chosen = all.find((i) => i.id === params.get("integration")) ?? all.find((i) => i.version > 1) ?? all[0];
  const chooser = h(
    "form",
    { class: "filters", "aria-label": "Choose an integration" },
    h(
      "label",
      {},
      "Integration",
      h(
        "select",
        { name: "integration", onchange: (event) => (location.hash = `#/versions?integration=${encodeURIComponent(event.target.value)}`) },
        all.map((i) => h("option", { value: i.id, text: `${i.name} · latest v${i.version}`, selected: i.id === chosen?.id })),
      ),
    ),
  );
  const slot = h("div", {}, h("p", { class: "empty", text: "Loading…" }));
  view.replaceChildren(h("h1", { text: "Versions and upgrades" }), chooser, slot);
  if (!chosen) return slot.replaceChildren(h("p", { class: "empty", text: "The organization has no integrations." }));

  let list;
  let label;
  try {
    list = await api(`/integrations/${encodeURIComponent(chosen.id)}/versions`);
    label = await fieldLabels(chosen.id, list.versions);
  } catch (error) {
    slot.replaceChildren();
    return showBanner(describeError(error));
  }

  const versionsTable = h(
    "table",
    { "aria-label": `Versions of ${chosen.name}` },
    h("thead", {}, h("tr", {}, ["Version", "Published", "Instances running it", "Release notes"].map((t) => h("th", { scope: "col", text: t })))),
    h(
      "tbody",
      {},
      [...list.versions].reverse().map((v) =>
        h(
          "tr",
          { "data-version": v.version },
          h("td", {}, h("strong", { text: `v${v.version}` }), v.version === list.latest ? h("span", { class: "pill pill-latest", text: "latest" }) : null),
          h("td", { text: v.publishedAt ? dateTime(v.publishedAt) : "Shipped with the platform" }),
          h(
            "td",
            {},
            v.instanceCount
              ? h("a", { href: `#/instances?integration=${encodeURIComponent(chosen.id)}&version=${v.version}`, text: `${v.instanceCount} instance${v.instanceCount === 1 ? "" : "s"}` })
              : h("span", { class: "hint", text: "none" }),
          ),
          h("td", {}, releaseNotes(v.releaseNotes)),
        ),
      ),
    ),
  );
  const parts = [h("h2", { text: `${chosen.name}: published versions` }), versionsTable];
  if (list.versions.length < 2) {
    parts.push(
      h("p", {
        class: "empty",
        text: `${chosen.name} has one version. Publish the next one through the organization API (POST /api/v1/org/integrations/${chosen.id}/versions); its instances keep running version 1 until they are upgraded.`,
      }),
    );
  } else {
    parts.push(bulkUpgrade(chosen, list, allCustomers, label));
  }
  slot.replaceChildren(...parts);
}

function bulkUpgrade(integration, list, allCustomers, label) {
  const older = list.versions.filter((v) => v.version < list.latest);
  const form = h(
    "form",
    { class: "filters", "aria-label": "Bulk upgrade" },
    h(
      "label",
      {},
      "From version",
      h("select", { name: "fromVersion" }, h("option", { value: "", text: "Every older version" }), older.map((v) => h("option", { value: v.version, text: `v${v.version}` }))),
    ),
    h(
      "label",
      {},
      "To version",
      h(
        "select",
        { name: "toVersion" },
        list.versions.filter((v) => v.version > 1).reverse().map((v) => h("option", { value: v.version, text: `v${v.version}${v.version === list.latest ? " (latest)" : ""}` })),
      ),
    ),
    h(
      "label",
      {},
      "Customer",
      h("select", { name: "customer" }, h("option", { value: "", text: "Every customer" }), allCustomers.map((c) => h("option", { value: c.id, text: `${c.name} (${c.externalId})` }))),
    ),
    h("button", { type: "submit", text: "Preview upgrade" }),
  );
  const result = h("div", { class: "upgrade-result", "aria-live": "polite" });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearBanner();
    const request = {};
    for (const [key, value] of new FormData(form)) {
      if (!value) continue;
      request[key] = key === "customer" ? String(value) : Number(value);
    }
    const preview = form.querySelector("button[type=submit]");
    preview.disabled = true;
    result.replaceChildren(h("p", { class: "empty", text: "Checking every instance…" }));
    let dry;
    try {
      dry = await api(`/integrations/${encodeURIComponent(integration.id)}/upgrades`, { method: "POST", body: { ...request, dryRun: true } });
    } catch (error) {
      result.replaceChildren();
      showBanner(describeError(error));
      return;
    } finally {
      preview.disabled = false;
    }
    showPreview(integration, request, dry, result, label);
  });

  return h(
    "section",
    { class: "bulk", "aria-labelledby": "bulk-title" },
    h("h2", { id: "bulk-title", text: "Upgrade instances" }),
    h("p", {
      class: "hint",
      text: "Instances whose settings all carry over are upgraded and their new flows deployed. Instances that need their customer (a new required setting, or a value the new version refuses) are listed and left running their version: the customer sees “Update available” in the marketplace. Paused instances, and ones the customer is upgrading or deploying, are skipped.",
    }),
    form,
    result,
  );
}

function showPreview(integration, request, dry, result, label) {
  if (dry.items.length === 0) {
    result.replaceChildren(h("p", { class: "empty", text: `No instance of ${integration.name} matches: every one runs v${dry.toVersion} or later.` }));
    return;
  }
  // One key for this preview's run: a second click or a retry answers the stored result.
  const idempotencyKey = crypto.randomUUID();
  const count = dry.counts.wouldUpgrade;
  const run = h("button", {
    type: "button",
    text: count ? `Upgrade ${count} instance${count === 1 ? "" : "s"} to v${dry.toVersion}` : "Nothing to upgrade",
    disabled: count === 0,
  });
  const status = h("p", { class: "summary", role: "status", text: `Dry run: ${summary(dry)}. Nothing has changed yet.` });
  run.addEventListener("click", async () => {
    run.disabled = true;
    run.textContent = "Upgrading…";
    clearBanner();
    try {
      const done = await api(`/integrations/${encodeURIComponent(integration.id)}/upgrades`, {
        method: "POST",
        body: { ...request, dryRun: false },
        headers: { "Idempotency-Key": idempotencyKey },
      });
      result.replaceChildren(h("p", { class: "summary", role: "status", text: `Done: ${summary(done)}.` }), itemsTable(done, label));
      showBanner(`Upgraded ${done.counts.upgraded} instance${done.counts.upgraded === 1 ? "" : "s"} of ${integration.name} to v${done.toVersion}.`, "success");
    } catch (error) {
      // The same key again is safe: what did run is not run twice.
      run.disabled = false;
      run.textContent = "Try the upgrade again";
      showBanner(describeError(error));
    }
  });
  result.replaceChildren(status, itemsTable(dry, label), h("div", { class: "actions" }, run));
}
