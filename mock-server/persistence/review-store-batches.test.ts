/**
 * Review of records by rowid through the Store (changes.ts), as the platform uses it: a record
 * replaced, deleted and made again before one commit, the same while a write is in flight, and a
 * batch the writer refuses whose records go again with the next one — the state file ends with
 * one row per record, holding its last value, and nothing deleted comes back after a restart.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Store } from "../domain/changes.ts";
import { createEmptySnapshot, type Snapshot } from "../domain/store.ts";
import { StateStores } from "./state-stores.ts";
import type { SqliteBackend } from "./sqlite-backend.ts";

const stores = new StateStores();
afterEach(() => stores.dispose());

type Customer = Snapshot["customers"][string];
const customer = (id: string, name: string) => ({ id, organizationId: "org_1", externalId: id, name, createdAt: 0 }) as Customer;

/** A store over `backend` with its records loaded, as the platform starts one. */
function storeOver(backend: SqliteBackend): Store {
  const tables = createEmptySnapshot();
  for (const { kind, id, record } of backend.loadRecords()) (tables[kind as "customers"] as Record<string, unknown>)[id] = record;
  return new Store(backend, tables);
}
function set(store: Store, id: string, name: string | undefined): void {
  if (name === undefined) delete store.tables.customers[id];
  else store.tables.customers[id] = customer(id, name);
  store.changed("customers", id);
}
/** A store on a new state file (or `backend`) with these customers committed. */
async function committedWith(customers: Record<string, string>, backend = stores.open(stores.freshPath())): Promise<{ backend: SqliteBackend; store: Store }> {
  const store = storeOver(backend);
  for (const [id, name] of Object.entries(customers)) set(store, id, name);
  await store.commit();
  return { backend, store };
}
const names = (backend: SqliteBackend) =>
  [...backend.loadRecords()].filter((r) => r.kind === "customers").map((r) => `${r.id}=${(r.record as Customer).name}`).sort();

describe("review: records by rowid through the Store", () => {
  it("replaced, deleted and made again before one commit: one row with the last value; deleted then made again across commits and a restart: the same", async () => {
    let { backend, store } = await committedWith({ cus_a: "one", cus_b: "kept" });
    set(store, "cus_a", "two");
    set(store, "cus_a", undefined);
    set(store, "cus_a", "three");
    await store.commit();
    expect(names(backend)).toEqual(["cus_a=three", "cus_b=kept"]);

    set(store, "cus_a", undefined);
    await store.commit();
    backend = await stores.restart(backend);
    store = storeOver(backend);
    expect(names(backend)).toEqual(["cus_b=kept"]);
    set(store, "cus_a", "four");
    await store.commit();
    backend = await stores.restart(backend);
    expect(names(backend)).toEqual(["cus_a=four", "cus_b=kept"]);
  });

  it("changes made while a write is in flight go in the next one: deleted during the write that creates it, then made again, ends as made again", async () => {
    const backend = stores.open(stores.freshPath());
    const store = storeOver(backend);
    set(store, "cus_x", "first");
    const inFlight = store.commit();
    set(store, "cus_x", undefined);
    const next = store.commit();
    set(store, "cus_y", "other");
    await Promise.all([inFlight, next]);
    expect(names(backend)).toEqual(["cus_y=other"]);
    set(store, "cus_x", "again");
    const third = store.commit();
    set(store, "cus_x", "again, replaced");
    await Promise.all([third, store.commit()]);
    const again = await stores.restart(backend);
    expect(names(again)).toEqual(["cus_x=again, replaced", "cus_y=other"]);
  });

  it("a batch the writer fails on counts for nothing; its records go again, as they are then, with the next write", async () => {
    const made = await committedWith({ cus_old: "to delete", cus_kept: "v1" });
    let backend = made.backend;
    const store = made.store;
    // One batch: a new record, a delete, a replace, and a record the writer fails on.
    stores.failBatchesWriting(backend, "customers", "cus_bad");
    set(store, "cus_new", "new");
    set(store, "cus_old", undefined);
    set(store, "cus_kept", "v2");
    set(store, "cus_bad", "bad");
    await expect(store.commit()).rejects.toThrow(/could not write the state database/);
    expect(names(backend)).toEqual(["cus_kept=v1", "cus_old=to delete"]);
    // Fixed before the retry; one of the failed batch's records changed again meanwhile.
    delete store.tables.customers.cus_bad;
    set(store, "cus_new", "new, edited");
    await store.commit();
    expect(names(backend)).toEqual(["cus_kept=v2", "cus_new=new, edited"]);
    backend = await stores.restart(backend);
    expect(names(backend)).toEqual(["cus_kept=v2", "cus_new=new, edited"]);
  });
});
