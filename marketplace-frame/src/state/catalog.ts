/** The marketplace catalog with each integration's activation state for this customer. */
import { signal } from "@preact/signals";
import type { IntegrationSummary } from "../../../contract/api.ts";

export interface CatalogEntry {
  integration: IntegrationSummary;
  /** Lower-cased name, summary, vendor, category and labels: one string to search. */
  haystack: string;
}

export function createCatalogState() {
  const status = signal<"idle" | "loading" | "ready" | "error">("idle");
  const entries = signal<CatalogEntry[]>([]);
  const categories = signal<string[]>([]);
  const labels = signal<string[]>([]);
  const error = signal<string | undefined>(undefined);

  function set(list: IntegrationSummary[], cats: string[], labs: string[]) {
    entries.value = list.map((integration) => ({
      integration,
      haystack: [integration.name, integration.summary, integration.vendor, integration.category, ...integration.labels]
        .join("\n")
        .toLowerCase(),
    }));
    categories.value = cats;
    labels.value = labs;
  }

  return { status, entries, categories, labels, error, set };
}
export type CatalogState = ReturnType<typeof createCatalogState>;
