// The console's versions panel (issue 15): every published version of an integration with its
// release notes and how many instances run it, and the bulk upgrade — a dry run that lists what
// would happen to each instance (and which ones need their customer), then the run itself.
//
// The run reuses the dry run's filters and one Idempotency-Key made when the preview is shown: a
// double click, or a retry after a lost answer, upgrades nothing twice (the platform answers the
// stored result). Instances whose upgrade needs the customer are never touched here: their
// customers see "Update available" in the marketplace and are asked only for what is missing.

import { h, showBanner, clearBanner, customerSelect, scrolling } from "./dom.js";
import { api, describeError, integrations, customers } from "./org-api.js";
import { t, tn, dateTime } from "./i18n.js";

const OUTCOMES = ["would-upgrade", "upgraded", "needs-input", "skipped", "failed"];

/** A table cell for an instance's version: what it runs, and the update it can take. */
export function versionCell(instance) {
  const cell = h("td", { class: "version-cell" }, h("span", { text: `v${instance.integrationVersion}` }));
  if (instance.upgrade) {
    cell.append(h("span", { class: "pill pill-progress", text: t("versions.customerUpgrading", { version: instance.upgrade.toVersion }) }));
  } else if (instance.availableUpdate) {
    const { version, needsInput } = instance.availableUpdate;
    cell.append(h("span", { class: `pill ${needsInput ? "pill-input" : "pill-update"}`, text: t(needsInput ? "versions.needsInput" : "versions.available", { version }) }));
  }
  return cell;
}

/** The instance filters this panel adds to the Instances view: the version run and the update state. */
export function versionFilters(params) {
  return [
    h("label", {}, t("common.version"), h("input", { name: "version", type: "number", min: 1, step: 1, inputmode: "numeric", class: "narrow", value: params.get("version") ?? "" })),
    h(
      "label",
      {},
      t("versions.update"),
      h(
        "select",
        { name: "update" },
        [
          ["", t("common.any")],
          ["available", t("versions.updateAvailable")],
          ["needs-input", t("versions.updateNeedsInput")],
          ["none", t("versions.upToDate")],
        ].map(([value, text]) => h("option", { value, text, selected: (params.get("update") ?? "") === value })),
      ),
    ),
  ];
}

/** Release notes are Markdown: shown as text, a line per paragraph or bullet, markers dropped. */
function releaseNotes(markdown) {
  if (!markdown) return h("span", { class: "hint", text: t("versions.noNotes") });
  const list = h("ul", { class: "notes" });
  for (const raw of markdown.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    list.append(h("li", { class: line.startsWith("- ") ? "" : "lead", text: line.replace(/^- /, "").replace(/\*\*|\*/g, "") }));
  }
  return list;
}


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
  if (plan.kept.length) parts.push(tn("versions.keeps", plan.kept.length));
  for (const { from, to } of plan.renamed) parts.push(`${label(from)} → ${label(to)}`);
  if (plan.removed.length) parts.push(t("versions.drops", { fields: plan.removed.map(label).join(", ") }));
  const added = plan.added.filter((key) => !plan.asks.some((a) => a.key === key && a.problem));
  if (added.length) parts.push(t("versions.adds", { fields: added.map(label).join(", ") }));
  const asks = plan.asks.filter((a) => a.problem);
  return [
    h("span", { text: parts.join("; ") || t("versions.nothing") }),
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
    { class: "upgrade-items wordy" },
    h("caption", { class: "visually-hidden", text: t("versions.outcomes") }),
    h("thead", {}, h("tr", {}, [t("common.instance"), t("common.customer"), t("common.version"), t("replay.outcome"), t("versions.changes")].map((text) => h("th", { scope: "col", text })))),
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
          h("td", {}, h("span", { class: `pill outcome-${item.outcome}`, text: OUTCOMES.includes(item.outcome) ? t(`versions.outcome.${item.outcome}`) : item.outcome })),
          h(
            "td",
            {},
            planText(item.plan, label),
            item.reason && item.outcome !== "needs-input" ? h("p", { class: "hint", text: item.reason }) : null,
            item.executions?.length
              ? h("p", { class: "hint", text: t("versions.deployFlows", { flows: item.executions.map((e) => `${e.flowId} ${t(`run.status.${e.status}`).toLowerCase()}`).join(", ") }) })
              : null,
          ),
        ),
      ),
    ),
  );
}

function summary(result) {
  const c = result.counts;
  const done = result.dryRun ? [tn("versions.willUpgrade", c.wouldUpgrade)] : [tn("versions.upgradedCount", c.upgraded)];
  if (c.needsInput) done.push(tn("versions.needInput", c.needsInput));
  if (c.skipped) done.push(tn("versions.skipped", c.skipped));
  if (c.failed) done.push(tn("versions.failed", c.failed));
  return done.join(" · ");
}

export async function renderVersions(view, params) {
  view.replaceChildren(h("h1", { text: t("versions.title") }), h("p", { class: "empty", text: t("common.loading") }));
  const loaded = await Promise.all([integrations(), customers()]).catch((error) => void showBanner(describeError(error)));
  if (!loaded) return;
  const [all, allCustomers] = loaded;
  const chosen = all.find((i) => i.id === params.get("integration")) ?? all.find((i) => i.version > 1) ?? all[0];
  const chooser = h(
    "form",
    { class: "filters", "aria-label": t("versions.choose") },
    h(
      "label",
      {},
      t("common.integration"),
      h(
        "select",
        { name: "integration", onchange: (event) => (location.hash = `#/versions?integration=${encodeURIComponent(event.target.value)}`) },
        all.map((i) => h("option", { value: i.id, text: t("versions.option", { integration: i.name, version: i.version }), selected: i.id === chosen?.id })),
      ),
    ),
  );
  const slot = h("div", {}, h("p", { class: "empty", text: t("common.loading") }));
  view.replaceChildren(h("h1", { text: t("versions.title") }), chooser, slot);
  if (!chosen) return slot.replaceChildren(h("p", { class: "empty", text: t("versions.noIntegrations") }));

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
    { class: "wordy", "aria-label": t("versions.of", { integration: chosen.name }) },
    h("thead", {}, h("tr", {}, [t("common.version"), t("versions.published"), t("versions.running"), t("versions.notes")].map((text) => h("th", { scope: "col", text })))),
    h(
      "tbody",
      {},
      [...list.versions].reverse().map((v) =>
        h(
          "tr",
          { "data-version": v.version },
          h("td", {}, h("strong", { text: `v${v.version}` }), v.version === list.latest ? h("span", { class: "pill pill-latest", text: t("versions.latest") }) : null),
          h("td", { text: v.publishedAt ? dateTime(v.publishedAt) : t("versions.shipped") }),
          h(
            "td",
            {},
            v.instanceCount
              ? h("a", { href: `#/instances?integration=${encodeURIComponent(chosen.id)}&version=${v.version}`, text: tn("instances.count", v.instanceCount) })
              : h("span", { class: "hint", text: t("versions.none") }),
          ),
          h("td", {}, releaseNotes(v.releaseNotes)),
        ),
      ),
    ),
  );
  const parts = [h("h2", { text: t("versions.publishedTitle", { integration: chosen.name }) }), scrolling(versionsTable)];
  if (list.versions.length < 2) {
    parts.push(
      h("p", {
        class: "empty",
        text: t("versions.oneVersion", { integration: chosen.name, path: `POST /api/v1/org/integrations/${chosen.id}/versions` }),
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
    { class: "filters", "aria-label": t("versions.bulk") },
    h(
      "label",
      {},
      t("versions.from"),
      h("select", { name: "fromVersion" }, h("option", { value: "", text: t("versions.everyOlder") }), older.map((v) => h("option", { value: v.version, text: `v${v.version}` }))),
    ),
    h(
      "label",
      {},
      t("versions.to"),
      h(
        "select",
        { name: "toVersion" },
        list.versions.filter((v) => v.version > 1).reverse().map((v) => h("option", { value: v.version, text: v.version === list.latest ? t("versions.latestOption", { version: v.version }) : `v${v.version}` })),
      ),
    ),
    h(
      "label",
      {},
      t("common.customer"),
      customerSelect(allCustomers, undefined, t("versions.everyCustomer")),
    ),
    h("button", { type: "submit", text: t("versions.preview") }),
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
    result.replaceChildren(h("p", { class: "empty", text: t("versions.checking") }));
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
    h("h2", { id: "bulk-title", text: t("versions.bulkTitle") }),
    h("p", { class: "hint", text: t("versions.bulkHint") }),
    form,
    result,
  );
}

function showPreview(integration, request, dry, result, label) {
  if (dry.items.length === 0) {
    result.replaceChildren(h("p", { class: "empty", text: t("versions.noneMatch", { integration: integration.name, version: dry.toVersion }) }));
    return;
  }
  // One key for this preview's run: a second click or a retry answers the stored result.
  const idempotencyKey = crypto.randomUUID();
  const count = dry.counts.wouldUpgrade;
  const run = h("button", {
    type: "button",
    text: count ? tn("versions.upgradeButton", count, { version: dry.toVersion }) : t("versions.nothingToUpgrade"),
    disabled: count === 0,
  });
  const status = h("p", { class: "summary", role: "status", text: t("versions.dryRun", { summary: summary(dry) }) });
  run.addEventListener("click", async () => {
    run.disabled = true;
    run.textContent = t("versions.upgrading");
    clearBanner();
    try {
      const done = await api(`/integrations/${encodeURIComponent(integration.id)}/upgrades`, {
        method: "POST",
        body: { ...request, dryRun: false },
        headers: { "Idempotency-Key": idempotencyKey },
      });
      result.replaceChildren(h("p", { class: "summary", role: "status", text: t("versions.done", { summary: summary(done) }) }), scrolling(itemsTable(done, label)));
      showBanner(tn("versions.upgradedBanner", done.counts.upgraded, { integration: integration.name, version: done.toVersion }), "success");
    } catch (error) {
      // The same key again is safe: what did run is not run twice.
      run.disabled = false;
      run.textContent = t("versions.tryAgain");
      showBanner(describeError(error));
    }
  });
  result.replaceChildren(status, scrolling(itemsTable(dry, label)), h("div", { class: "actions" }, run));
}
