/**
 * Marketplace filters: the customer's search and chips, plus the host's restrictions
 * (`filters` in FrameInit / `setFilters`). Filtering is local: the catalog is already here,
 * and a keystroke must paint within a frame even for thousands of integrations.
 */
import { computed, signal, type ReadonlySignal } from "@preact/signals";
import type { ActivationState } from "../../../contract/api.ts";
import type { MarketplaceFilters } from "../../../contract/protocol.ts";
import type { CatalogEntry } from "./catalog.ts";

export type StateFilter = "all" | "activated" | "available";

export function createFilterState(entries: ReadonlySignal<CatalogEntry[]>) {
  const q = signal("");
  const category = signal<string | undefined>(undefined);
  const label = signal<string | undefined>(undefined);
  const state = signal<StateFilter>("all");
  /** Host restriction: only these ids, and/or only this activation state. */
  const hostIds = signal<Set<string> | undefined>(undefined);
  const hostState = signal<ActivationState | undefined>(undefined);

  const visible = computed(() => {
    const needle = q.value.trim().toLowerCase();
    const cat = category.value;
    const lab = label.value;
    const st = state.value;
    const ids = hostIds.value;
    const hs = hostState.value;
    return entries.value.filter(({ integration: i, haystack }) => {
      if (ids && !ids.has(i.id)) return false;
      if (hs && i.activation.state !== hs) return false;
      if (cat && i.category !== cat) return false;
      if (lab && !i.labels.includes(lab)) return false;
      if (st === "activated" && i.activation.state === "available") return false;
      if (st === "available" && i.activation.state !== "available") return false;
      return needle === "" || haystack.includes(needle);
    });
  });

  function applyHost(f: MarketplaceFilters | undefined) {
    q.value = f?.q ?? "";
    category.value = f?.category;
    label.value = f?.label;
    hostIds.value = f?.integrations ? new Set(f.integrations) : undefined;
    hostState.value = f?.state;
  }

  function clear() {
    q.value = "";
    category.value = undefined;
    label.value = undefined;
    state.value = "all";
  }

  return { q, category, label, state, hostIds, hostState, visible, applyHost, clear };
}
export type FilterState = ReturnType<typeof createFilterState>;
