/** The marketplace list: search, category chips, label and state filters, cards. */
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { IntegrationSummary } from "../../../contract/api.ts";
import { useFrame } from "../context.ts";
import type { StateFilter } from "../state/filters.ts";
import { StateBadge } from "../ui/badge.tsx";
import { chipInView } from "../ui/chip-row.ts";
import { IntegrationIcon } from "../ui/icon.tsx";
import { SkeletonCards, SkeletonChips } from "../ui/skeleton.tsx";

/** Cards rendered per page: keeps a keystroke cheap even with thousands of matches. */
const PAGE = 60;

type Plural = typeof import("../i18n/plural.ts");

function Card({ integration: i, plural }: { integration: IntegrationSummary; plural: Plural | undefined }) {
  const { navigate, locale, t } = useFrame();
  const name = locale.content(`integration.${i.id}.name`, i.name);
  const { activeCount, updateAvailable, state } = i.activation;
  return (
    <li>
      <button type="button" class="em-card" onClick={() => navigate({ name: "integration", integrationId: i.id })}>
        <IntegrationIcon src={i.icon} name={name} />
        <span class="em-card-body">
          <span class="em-card-title">{name}</span>
          <span class="em-card-summary">{locale.content(`integration.${i.id}.summary`, i.summary)}</span>
          <span class="em-card-meta">
            <span class="em-muted">{t("market.by", { vendor: i.vendor })}</span>
            <span class="em-row">
              {updateAvailable && <span class="em-badge em-badge-update">{t("state.update")}</span>}
              {/* Several instances: how many run ("2 active"), once the plural rules are in (idle). */}
              {i.allowMultipleInstances && activeCount && plural ? (
                <span class="em-badge em-badge-activated">{plural.tn(locale, "market.activeCount", activeCount)}</span>
              ) : (
                <StateBadge state={state} />
              )}
            </span>
          </span>
        </span>
      </button>
    </li>
  );
}

function Section({ title, items, limit, plural }: { title?: string; items: IntegrationSummary[]; limit: number; plural: Plural | undefined }) {
  if (items.length === 0) return null;
  const id = title ? `em-section-${title.replace(/\W+/g, "-").toLowerCase()}` : undefined;
  return (
    <section class="em-section" aria-labelledby={id}>
      {title && (
        <h2 class="em-section-title" id={id}>
          {title} <span class="em-count">{items.length}</span>
        </h2>
      )}
      <ul class="em-grid">
        {items.slice(0, limit).map((i) => (
          <Card key={i.id} integration={i} plural={plural} />
        ))}
      </ul>
    </section>
  );
}

export function Marketplace() {
  const frame = useFrame();
  const { catalog, filters, t, locale } = frame;
  const [limit, setLimit] = useState(PAGE);
  const retry = useRef<HTMLButtonElement>(null);
  const status = catalog.status.value;
  const loading = status === "loading" || status === "idle";
  const visible = filters.visible.value;

  useLayoutEffect(() => {
    if (status === "ready") frame.markReady("marketplace");
  }, [status]);
  // The count for screen readers is filled in when the frame is idle after the list is shown: a
  // live region announces it then, and its plural rules (Intl, whose first use in a fresh frame
  // process costs ~15 ms of ICU data) and their code (i18n/plural.ts, kept out of the first
  // route) must not delay the list or `ready`.
  const [plural, setPlural] = useState<Plural | undefined>(undefined);
  useEffect(() => {
    if (status !== "ready") return setPlural(undefined);
    const idle = (globalThis as { requestIdleCallback?: (cb: () => void) => void }).requestIdleCallback ?? ((cb: () => void) => setTimeout(cb, 50));
    let live = true;
    // If its chunk cannot load (offline), the list simply goes without the spoken count.
    idle(() => void import("../i18n/plural.ts").then((m) => live && setPlural(m), () => undefined));
    return () => void (live = false);
  }, [status]);
  // Bench hook: time from a search keystroke to the list being rendered.
  useLayoutEffect(() => {
    if (typeof performance !== "undefined" && performance.getEntriesByName("em:search-input", "mark").length) {
      performance.measure("em:search", "em:search-input");
      performance.clearMarks("em:search-input");
    }
  }, [visible]);

  const stateChips: StateFilter[] = ["all", "activated", "available"];
  const activated = visible.filter((e) => e.integration.activation.state !== "available").map((e) => e.integration);
  const available = visible.filter((e) => e.integration.activation.state === "available").map((e) => e.integration);
  const hasFilter = filters.q.value !== "" || !!filters.category.value || !!filters.label.value || filters.state.value !== "all";

  const title = <h1 class="em-sr-only">{t("app.title")}</h1>;
  // A list that did not load says why, with Retry, and nothing that pretends to work: no search or
  // filter with nothing to run on (a search typed meanwhile stays in `filters`, back in its box and
  // applied when the retry lands). Focus that went with a removed control (the user was typing)
  // moves to Retry; a frame the user is not in keeps its hands off focus.
  useLayoutEffect(() => {
    if (document.hasFocus() && document.activeElement === document.body) retry.current?.focus();
  }, [status]);
  if (status === "error")
    return (
      <div class="em-marketplace">
        {title}
        <div class="em-state" role="alert">
          <p class="em-state-title">{t("app.error.title")}</p>
          <p class="em-muted">{frame.codeText("market.error", catalog.error.value) ?? t("app.error.generic")}</p>
          <button ref={retry} type="button" class="em-button" onClick={() => void frame.loadCatalog()}>
            {t("app.retry")}
          </button>
        </div>
      </div>
    );

  return (
    <div class="em-marketplace">
      {title}
      <div class="em-toolbar">
        <label class="em-search">
          <span class="em-sr-only">{t("market.search")}</span>
          <input
            type="search"
            class="em-input"
            placeholder={t("market.searchPlaceholder")}
            value={filters.q.value}
            onInput={(e) => {
              performance.mark?.("em:search-input");
              filters.q.value = e.currentTarget.value;
              setLimit(PAGE);
            }}
          />
        </label>
        {(loading || catalog.labels.value.length > 0) && (
          <label class="em-inline-field">
            <span class="em-sr-only">{t("market.label")}</span>
            {/* Disabled while the catalog loads: drawn with the shell, so nothing moves when the labels arrive. */}
            <select
              class="em-input em-select"
              disabled={loading}
              value={filters.label.value ?? ""}
              onChange={(e) => (filters.label.value = e.currentTarget.value || undefined)}
            >
              <option value="">{t("market.allLabels")}</option>
              {catalog.labels.value.map((l) => (
                <option key={l} value={l}>
                  {locale.content(`label.${l}`, l)}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <div class="em-chip-rows">
        {loading ? (
          <SkeletonChips held={frame.skeletonHeld.value} />
        ) : catalog.categories.value.length > 0 && (
          <div class="em-chips" role="group" aria-label={t("market.category")} onFocusIn={chipInView}>
            {[undefined, ...catalog.categories.value].map((c) => (
              <button
                key={c ?? ""}
                type="button"
                class="em-chip"
                aria-pressed={filters.category.value === c}
                onClick={() => (filters.category.value = c)}
              >
                {c === undefined ? t("market.allCategories") : locale.content(`category.${c}`, c)}
              </button>
            ))}
          </div>
        )}
        <div class="em-chips em-segmented" role="group" aria-label={t("market.show")} onFocusIn={chipInView}>
          {stateChips.map((s) => (
            <button key={s} type="button" class="em-chip" aria-pressed={filters.state.value === s} onClick={() => (filters.state.value = s)}>
              {t(`market.filter.${s}`)}
            </button>
          ))}
        </div>
      </div>
      <p class="em-sr-only" role="status">
        {status === "ready" && plural ? plural.tn(locale, "market.count", visible.length) : ""}
      </p>
      {loading ? (
        !frame.skeletonHeld.value && <SkeletonCards />
      ) : visible.length === 0 ? (
        <div class="em-state">
          <p class="em-state-title">{t("market.empty")}</p>
          <p class="em-muted">{t("market.emptyHint")}</p>
          {hasFilter && (
            <button type="button" class="em-button em-button-secondary" onClick={filters.clear}>
              {t("market.clearFilters")}
            </button>
          )}
        </div>
      ) : (
        <>
          <Section title={t("market.section.activated")} items={activated} limit={limit} plural={plural} />
          <Section title={t("market.section.available")} items={available} limit={limit} plural={plural} />
          {(activated.length > limit || available.length > limit) && (
            <button type="button" class="em-button em-button-secondary em-more" onClick={() => setLimit(limit + PAGE)}>
              {t("market.showMore")}
            </button>
          )}
        </>
      )}
    </div>
  );
}
