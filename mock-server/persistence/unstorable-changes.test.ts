/**
 * A change whose stored form cannot be built (its JSON throws: an execution past V8's string
 * limit, a value whose `toJSON` throws) is refused alone, the same way on the state file (SQLite),
 * in memory and in IndexedDB (here over a small stand-in for the browser's IndexedDB that commits
 * a transaction's writes at its `complete` event, as the browser does): the write's requests get an UnstorableChangeError, every other change of the
 * write and every later write is durable, a refused execution reads as it is stored, and a
 * restart finds everything acknowledged. Before, on SQLite, `takeBatch` threw while stepping the
 * dirty executions, outside SqliteBackend.write's try: the half-built batch stayed, and every
 * later write failed the same way (503 to every request until a restart); in memory the dirty
 * executions were never cleared, with the same effect.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { executionChange, failsRequest, recordChange, UnstorableChangeError, type Store } from "../domain/changes.ts";
import type { Snapshot, StoredExecution } from "../domain/store.ts";
import { StateStores } from "./state-stores.ts";
import { StateDatabaseError } from "./sqlite-backend.ts";
import { storeOver, threeBackends } from "./three-backends.ts";

const stores = new StateStores();
afterEach(() => stores.dispose());

type Customer = Snapshot["customers"][string];

const run = (i: number, status: string, payload: unknown = { i }): StoredExecution =>
  ({ id: `exe_${String(i).padStart(5, "0")}`, instanceId: "ins_a", flowId: "f", flowName: "F", trigger: "webhook", status, startedAt: new Date(Date.UTC(2026, 11, 7, 0, 0, i)).toISOString(), logs: [], stepResults: {}, organizationId: "org_1", customerId: "cus_1", payload }) as StoredExecution;

/** A value JSON.stringify cannot write: it throws what V8 throws past its string limit, from the serialiser's own call. */
const unwritable = {
  toJSON: () => {
    throw new RangeError("Invalid string length");
  },
};

const backends = threeBackends(stores);

function setCustomer(store: Store, id: string, name: unknown): void {
  store.tables.customers[id] = { id, organizationId: "org_1", externalId: id, name, createdAt: 0 } as Customer;
  store.changed("customers", id);
}
const customerNames = (store: Store) => Object.values(store.tables.customers).map((c) => `${c.id}=${c.name}`).sort();
const runs = (store: Store) => store.executions.page({ organizationId: "org_1" }, { limit: 10 }).map((e) => `${e.id} ${e.status}`);
function refusedOf(error: unknown): string[] {
  expect(error).toBeInstanceOf(UnstorableChangeError);
  return (error as UnstorableChangeError).refused.map((r) => r.split(":")[0]).sort();
}

describe.each(backends)("changes that cannot be stored are refused alone ($name)", ({ open, restart }) => {
  it("an unwritable execution update, new execution and record are refused with a typed error; the rest of the write and later writes are durable, across a restart", async () => {
    let backend = open();
    let store = storeOver(backend);
    store.executions.add(run(1, "running"));
    setCustomer(store, "cus_kept", "kept");
    await store.commit();
    expect(store.executions.countOf("ins_a")).toBe(1);

    store.executions.add(run(2, "succeeded"));
    store.executions.update(run(1, "succeeded", unwritable));
    store.executions.add(run(3, "succeeded", unwritable));
    setCustomer(store, "cus_new", "new");
    setCustomer(store, "cus_bad", unwritable);
    const error = await store.commit().then(() => undefined, (e: unknown) => e);
    expect(refusedOf(error)).toEqual(["customers/cus_bad", "execution exe_00001", "execution exe_00003"]);

    // The refused executions read as they are stored; the others of the write are there.
    expect(runs(store)).toEqual(["exe_00002 succeeded", "exe_00001 running"]);
    expect(store.executions.get("exe_00003")).toBeUndefined();
    expect(store.executions.countOf("ins_a")).toBe(2);

    // Later writes are not poisoned.
    store.executions.add(run(4, "succeeded"));
    setCustomer(store, "cus_later", "later");
    await store.commit();

    backend = await restart(backend);
    store = storeOver(backend);
    expect(customerNames(store)).toEqual(["cus_kept=kept", "cus_later=later", "cus_new=new"]);
    expect(runs(store)).toEqual(["exe_00004 succeeded", "exe_00002 succeeded", "exe_00001 running"]);
    expect(store.executions.countOf("ins_a")).toBe(3);
  });

  it("a refusal fails only the requests whose own change it refused: every other request of the write has its change durable, across a restart", async () => {
    let backend = open();
    const store = storeOver(backend);
    // Three requests' changes in one write: a run, a refused run, a record.
    store.executions.add(run(1, "succeeded"));
    store.executions.add(run(2, "succeeded", unwritable));
    setCustomer(store, "cus_saved", "saved");
    const error = await store.commit().then(() => undefined, (e: unknown) => e);
    expect(refusedOf(error)).toEqual(["execution exe_00002"]);
    expect(failsRequest(error, [executionChange("exe_00002")])).toBe(true);
    expect(failsRequest(error, [executionChange("exe_00001")])).toBe(false);
    expect(failsRequest(error, [recordChange("customers", "cus_saved")])).toBe(false);
    expect(failsRequest(error, [])).toBe(false);
    // Any other failure fails the request whatever its changes.
    expect(failsRequest(new Error("disk full"), [executionChange("exe_00001")])).toBe(true);

    backend = await restart(backend);
    const again = storeOver(backend);
    expect(runs(again)).toEqual(["exe_00001 succeeded"]);
    expect(customerNames(again)).toEqual(["cus_saved=saved"]);
  });

  it("a request that waits on the next write while one is in flight is failed by a refusal of its own change in the write in flight, not by others'", async () => {
    let backend = open();
    const store = storeOver(backend);
    // Run 1's end, refused, goes in the write another request starts; run 2 ends meanwhile.
    store.executions.add(run(1, "succeeded", unwritable));
    const first = store.commit().then(() => undefined, (e: unknown) => e);
    store.executions.add(run(2, "succeeded"));
    // The request of run 1 asks now: its change may be in either write, and it cannot tell which.
    const next = store.commit().then(() => undefined, (e: unknown) => e);
    expect(refusedOf(await first)).toEqual(["execution exe_00001"]);
    const error = await next;
    expect(refusedOf(error)).toEqual(["execution exe_00001"]);
    expect(failsRequest(error, [executionChange("exe_00001")])).toBe(true);
    expect(failsRequest(error, [executionChange("exe_00002")])).toBe(false);
    expect(store.durableWrites).toBe(2);

    backend = await restart(backend);
    expect(runs(storeOver(backend))).toEqual(["exe_00002 succeeded"]);
  });

  it("a change with no text to store (a run with no string for a column, a record whose JSON is nothing) is refused alone, not tried again with every write; the rest is durable, across a restart", async () => {
    let backend = open();
    let store = storeOver(backend);
    store.executions.add(run(1, "succeeded"));
    // A run without its customer (a caller's bug), and a record JSON.stringify gives no text for.
    store.executions.add({ ...run(2, "succeeded"), customerId: undefined } as unknown as StoredExecution);
    setCustomer(store, "cus_ok", "ok");
    (store.tables.customers as Record<string, unknown>).cus_fn = () => "no JSON";
    store.changed("customers", "cus_fn");
    const error = await store.commit().then(() => undefined, (e: unknown) => e);
    // Before, on the state file, both went to the writer as NULL: its NOT NULL failed the whole
    // batch, which went again, and failed, with every later write.
    expect(refusedOf(error)).toEqual(["customers/cus_fn", "execution exe_00002"]);
    expect(store.executions.get("exe_00002")).toBeUndefined();
    store.executions.add(run(3, "succeeded"));
    await store.commit();

    backend = await restart(backend);
    store = storeOver(backend);
    expect(runs(store)).toEqual(["exe_00003 succeeded", "exe_00001 succeeded"]);
    expect(customerNames(store)).toEqual(["cus_ok=ok"]);
  });

  it("an execution whose JSON alone passes V8's string limit is refused; the other executions of its write and the next write are durable", async () => {
    let backend = open();
    const store = storeOver(backend);
    const big = "x".repeat(2 ** 28); // twice in one execution: its JSON passes 2^29 - 24 characters
    store.executions.add(run(1, "succeeded"));
    store.executions.add(run(2, "succeeded", { a: big, b: big }));
    store.executions.add(run(3, "succeeded"));
    const error = await store.commit().then(() => undefined, (e: unknown) => e);
    expect(refusedOf(error)).toEqual(["execution exe_00002"]);
    store.executions.add(run(4, "succeeded"));
    await store.commit();
    backend = await restart(backend);
    expect(runs(storeOver(backend))).toEqual(["exe_00004 succeeded", "exe_00003 succeeded", "exe_00001 succeeded"]);
  }, 120_000);

  it("a change refused while the store closes: the rest is written, the backend is closed, and the close then rejects with the typed error", async () => {
    let backend = open();
    const store = storeOver(backend);
    store.executions.add(run(1, "succeeded"));
    store.executions.add(run(2, "succeeded", unwritable));
    setCustomer(store, "cus_last", "last");
    const closing = vi.spyOn(backend, "close");
    const error = await store.close().then(() => undefined, (e: unknown) => e);
    expect(refusedOf(error)).toEqual(["execution exe_00002"]);
    expect(closing).toHaveBeenCalledOnce();
    backend = await restart(backend);
    const again = storeOver(backend);
    expect(customerNames(again)).toEqual(["cus_last=last"]);
    expect(runs(again)).toEqual(["exe_00001 succeeded"]);
  });

  it("rev9: a write a request joins while the store closes (another in flight) is waited for: the close rejects with its refusal, never resolves as if all were stored; the rest is on disk, across a restart", async () => {
    let backend = open();
    const store = storeOver(backend);
    setCustomer(store, "cus_first", "first");
    const first = store.commit();
    const closed = store.close().then(() => undefined, (e: unknown) => e);
    // While that write is in flight, a request's changes (one cannot be stored) and its commit:
    // they go in the next write, which starts after the one the close waited for. Before, the
    // close resolved (a stop said nothing and exited 0) and the refusal was logged by no one.
    setCustomer(store, "cus_joined", "joined");
    store.executions.add(run(2, "succeeded", unwritable));
    const joined = store.commit().then(() => undefined, (e: unknown) => e);
    await first;
    expect(refusedOf(await joined)).toEqual(["execution exe_00002"]);
    expect(refusedOf(await closed)).toEqual(["execution exe_00002"]);

    backend = await restart(backend);
    expect(customerNames(storeOver(backend))).toEqual(["cus_first=first", "cus_joined=joined"]);
    expect(runs(storeOver(backend))).toEqual([]);
  });

  it("a refused run that retention counted: the cut stands, and what is read matches what is stored, across a restart", async () => {
    let backend = open();
    const store = storeOver(backend);
    for (let i = 1; i <= 3; i++) store.executions.add(run(i, "succeeded"));
    await store.commit();
    store.executions.add(run(10, "succeeded"));
    store.executions.add(run(11, "succeeded", unwritable));
    // Keeps the newest two (10 and 11); 11 is then refused: one run is left.
    store.executions.trim("ins_a", 2, 0);
    await expect(store.commit()).rejects.toThrow(UnstorableChangeError);
    expect(runs(store)).toEqual(["exe_00010 succeeded"]);
    expect(store.executions.countOf("ins_a")).toBe(1);
    backend = await restart(backend);
    expect(runs(storeOver(backend))).toEqual(["exe_00010 succeeded"]);
  });
});

it("SQLite: an execution whose row passes SQLite's limit (10^9 bytes of UTF-8, in fewer characters than V8's limit) is refused while its batch is built; the next write is durable", async () => {
  let backend = stores.open(stores.freshPath());
  const store = storeOver(backend);
  // 340 M three-byte characters: 1.02 GB of UTF-8. The writer would fail its batch, and again each time it went again.
  store.executions.add(run(1, "succeeded", { text: "€".repeat(340_000_000) }));
  store.executions.add(run(2, "succeeded"));
  const error = await store.commit().then(() => undefined, (e: unknown) => e);
  expect(refusedOf(error)).toEqual(["execution exe_00001"]);
  store.executions.add(run(3, "succeeded"));
  await store.commit();
  backend = await stores.restart(backend);
  expect(runs(storeOver(backend))).toEqual(["exe_00003 succeeded", "exe_00002 succeeded"]);
}, 120_000);

it("SQLite: a change refused while the backend itself closes: the rest is written, the database is closed, and the close then rejects with the typed error", async () => {
  const backend = stores.open(stores.freshPath());
  backend.executions.add(run(1, "succeeded"));
  backend.executions.add(run(2, "succeeded", unwritable));
  const error = await backend.close().then(() => undefined, (e: unknown) => e);
  expect(refusedOf(error)).toEqual(["execution exe_00002"]);
  await expect(backend.write([])).rejects.toThrow(StateDatabaseError);
  expect(runs(storeOver(stores.open(backend.path)))).toEqual(["exe_00001 succeeded"]);
});
