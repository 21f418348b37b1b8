/**
 * The instance index keeps true to the instances table: after random creates, deletes,
 * label/status edits and replaced records, every org search query and every page walked by cursor
 * equals a full scan of the table sorted newest first — whether it is answered from one posting
 * list (one field filter), the shortest of several, or a walk for text — and each customer's and
 * each integration's instances equal a full scan filtered by them.
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
    .filter((i) => !query.integration || i.integrationId === query.integration)
    .filter((i) => query.version === undefined || (i.integrationVersion ?? 1) === query.version)
    .filter((i) => !query.status || i.status === query.status)
    .filter((i) => !query.label || query.label.every((l) => i.labels.includes(l)))
    .filter((i) => !query.q || i.name.toLowerCase().includes(query.q.toLowerCase()))
    .filter((i) => !query.description || i.description.toLowerCase().includes(query.description.toLowerCase()))
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

function walk(search: InstanceSearch, organizationId: string, query: OrgInstanceQuery, limit = 7): { ids: string[]; totals: number[] } {
  const ids: string[] = [];
  const totals: number[] = [];
  let cursor: string | undefined;
  do {
    const page = search.search(organizationId, { ...query, limit, ...(cursor ? { cursor } : {}) });
    ids.push(...page.page.map((i) => i.id));
    totals.push(page.total);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { ids, totals };
}

describe("org instance search index", () => {
  // 60 instances walk their lists; 1,500 make text filters scan the organization's text column.
  it.each([
    [60, 7],
    [1500, 97],
  ])("stays equal to a full scan through creates, deletes, edits and replaced records, page by page (%i instances)", (size, limit) => {
    const { tables, search, changed } = harness();
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const queries: OrgInstanceQuery[] = [
      {}, { status: "paused" }, { label: ["vip"] }, { customer: "c1" }, { customer: "c2", status: "paused" }, { q: "desk" }, { label: ["vip"], status: "deployed" },
      { integration: "stripe" }, { version: 2 }, { label: ["vip", "prod"] }, { integration: "jira", label: ["prod"], status: "deployed" }, { integration: "stripe", q: "desk" }, { integration: "none" },
      { description: "acme" }, { q: "k" }, { q: "desk", description: "acme" }, { q: "c\u0000s" }, { q: "desksync" },
    ];
    const labels = () => [[], ["vip"], ["prod"], ["vip", "prod"]][Math.floor(rnd() * 4)]!;
    let n = 0;
    const create = () => {
      const id = `ins_${String(n++).padStart(4, "0")}`;
      tables.instances[id] = {
        id, organizationId: rnd() < 0.8 ? "org" : "other", customerId: `c${Math.floor(rnd() * 4)}`, integrationId: rnd() < 0.5 ? "jira" : "stripe",
        name: rnd() < 0.5 ? "Support desk" : "Sync", description: rnd() < 0.3 ? "Acme's desk" : "", labels: labels(), status: rnd() < 0.7 ? "deployed" : "paused",
        ...(rnd() < 0.5 ? { integrationVersion: 2 } : {}),
        config: {}, webhookTokens: {}, nextRuns: {},
        // Ties in creation time on purpose: the id orders them.
        createdAt: 1000 + Math.floor(rnd() * 40), updatedAt: 0,
      };
      changed(id);
    };
    for (let i = 0; i < size; i++) create();
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
        tables.instances[id]!.labels = labels();
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
            const got = walk(search, organizationId, query, limit);
            expect(got.ids, JSON.stringify(query)).toEqual(want);
            expect(new Set(got.totals)).toEqual(new Set([want.length]));
          }
          for (const customer of ["c0", "c1", "c2", "c3"]) {
            const want = reference(Object.values(tables.instances), organizationId, { customer }).map((i) => i.id).reverse();
            expect(search.ofCustomer(organizationId, customer).map((i) => i.id), customer).toEqual(want);
            expect(search.countOfCustomer(organizationId, customer)).toBe(want.length);
          }
          for (const integration of ["jira", "stripe"]) {
            const want = reference(Object.values(tables.instances), organizationId, { integration }).map((i) => i.id).reverse();
            expect(search.ofIntegration(organizationId, integration).map((i) => i.id), integration).toEqual(want);
          }
        }
      }
    }
  });

  it("a search on one field reads only the records of its page, and several fields walk only the shortest list", () => {
    const { tables, search, changed } = harness();
    let reads = 0;
    const watched = new Set<string>();
    for (let n = 0; n < 2000; n++) {
      const id = `ins_${String(n).padStart(4, "0")}`;
      const record: InstanceRecord = {
        id, organizationId: "org", customerId: `c${n % 50}`, integrationId: n % 100 === 0 ? "stripe" : "jira",
        name: "Sync", description: "", labels: n % 2 ? ["vip"] : [], status: "deployed", config: {}, webhookTokens: {}, nextRuns: {}, createdAt: n, updatedAt: 0,
      };
      tables.instances[id] = new Proxy(record, { get: (target, key, receiver) => (watched.has(id) && reads++, Reflect.get(target, key, receiver)) });
      changed(id);
    }
    search.search("org", {});
    for (const id of Object.keys(tables.instances)) watched.add(id);
    const jira = search.search("org", { integration: "jira", limit: 25 });
    expect(jira.total).toBe(1980);
    expect(jira.page).toHaveLength(25);
    // The cursor reads the last record's creation time and id; a walk would read ~2,000 records.
    expect(reads).toBeLessThanOrEqual(2);
    reads = 0;
    const both = search.search("org", { integration: "stripe", label: ["vip"], status: "deployed" });
    expect(both.total).toBe(0);
    // The 20 Stripe instances are the shortest list: a few fields of each are read, nothing else.
    expect(reads).toBeGreaterThan(0);
    expect(reads).toBeLessThanOrEqual(20 * 4);
  });
});
