/**
 * The instance index keeps true to the instances table: after random creates, deletes,
 * label/status edits and replaced records, every org search query and every page walked by cursor
 * equals a full scan of the table sorted newest first, and each customer's instances (what the
 * customer API reads) equal a full scan filtered by customer.
 */
import { describe, expect, it } from "vitest";
import { InstanceSearch } from "./org-search.ts";
import { createEmptySnapshot, type InstanceRecord, type RecordKindName } from "./store.ts";
import type { OrgInstanceQuery } from "../../contract/org-api.ts";

function harness() {
  const tables = createEmptySnapshot();
  const watchers: Array<(ids: readonly string[]) => void> = [];
  const search = new InstanceSearch(tables, { watch: (kind: RecordKindName, w: (ids: readonly string[]) => void) => void (kind === "instances" && watchers.push(w)) });
  const changed = (id: string) => watchers.forEach((w) => w([id]));
  return { tables, search, changed };
}

/** What the search must answer: the whole table, filtered and sorted, read from scratch. */
function reference(all: InstanceRecord[], organizationId: string, query: OrgInstanceQuery): InstanceRecord[] {
  return all
    .filter((i) => i.organizationId === organizationId)
    .filter((i) => !query.customer || i.customerId === query.customer)
    .filter((i) => !query.status || i.status === query.status)
    .filter((i) => !query.label || query.label.every((l) => i.labels.includes(l)))
    .filter((i) => !query.q || i.name.toLowerCase().includes(query.q.toLowerCase()))
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

function walk(search: InstanceSearch, organizationId: string, query: OrgInstanceQuery): { ids: string[]; totals: number[] } {
  const ids: string[] = [];
  const totals: number[] = [];
  let cursor: string | undefined;
  do {
    const page = search.search(organizationId, { ...query, limit: 7, ...(cursor ? { cursor } : {}) });
    ids.push(...page.page.map((i) => i.id));
    totals.push(page.total);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { ids, totals };
}

describe("org instance search index", () => {
  it("stays equal to a full scan through creates, deletes, edits and replaced records, page by page", () => {
    const { tables, search, changed } = harness();
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const queries: OrgInstanceQuery[] = [{}, { status: "paused" }, { label: ["vip"] }, { customer: "c1" }, { customer: "c2", status: "paused" }, { q: "desk" }, { label: ["vip"], status: "deployed" }];
    let n = 0;
    const create = () => {
      const id = `ins_${String(n++).padStart(4, "0")}`;
      tables.instances[id] = {
        id, organizationId: rnd() < 0.8 ? "org" : "other", customerId: `c${Math.floor(rnd() * 4)}`, integrationId: "jira",
        name: rnd() < 0.5 ? "Support desk" : "Sync", description: "", labels: rnd() < 0.3 ? ["vip"] : [], status: rnd() < 0.7 ? "deployed" : "paused",
        config: {}, webhookTokens: {}, nextRuns: {},
        // Ties in creation time on purpose: the id orders them.
        createdAt: 1000 + Math.floor(rnd() * 40), updatedAt: 0,
      };
      changed(id);
    };
    for (let i = 0; i < 60; i++) create();
    search.search("org", {}); // the index is built here; everything after goes through changes
    for (let step = 0; step < 400; step++) {
      const ids = Object.keys(tables.instances);
      const id = ids[Math.floor(rnd() * ids.length)]!;
      const roll = rnd();
      if (roll < 0.3) create();
      else if (roll < 0.45) {
        delete tables.instances[id];
        changed(id);
      } else if (roll < 0.7) {
        tables.instances[id]!.labels = rnd() < 0.5 ? ["vip"] : [];
        tables.instances[id]!.status = rnd() < 0.5 ? "paused" : "deployed";
        changed(id);
      } else if (roll < 0.85) {
        tables.instances[id] = { ...tables.instances[id]!, name: rnd() < 0.5 ? "Help desk" : "Other" };
        changed(id);
      }
      if (step % 40 === 0 || step === 399) {
        for (const organizationId of ["org", "other"]) {
          for (const query of queries) {
            const want = reference(Object.values(tables.instances), organizationId, query).map((i) => i.id);
            const got = walk(search, organizationId, query);
            expect(got.ids, JSON.stringify(query)).toEqual(want);
            expect(new Set(got.totals)).toEqual(new Set([want.length]));
          }
          for (const customer of ["c0", "c1", "c2", "c3"]) {
            const want = reference(Object.values(tables.instances), organizationId, { customer }).map((i) => i.id).reverse();
            expect(search.ofCustomer(organizationId, customer).map((i) => i.id), customer).toEqual(want);
          }
        }
      }
    }
  });
});
