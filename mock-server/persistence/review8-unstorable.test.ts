/**
 * Review of the group-commit error isolation (UnstorableChangeError, domain/changes.ts), held to
 * the same answers on the three backends: a record whose stored form cannot be built keeps its
 * last stored value on disk and is written with its next change; a BigInt (a TypeError, not the
 * string limit's RangeError) is refused the same way, beside a deletion that stays durable; a
 * refused execution changed again is stored with that change; and a refusal made while another
 * write is still on its way (a retention cut steps the dirty runs on the state file) leaves that
 * write's value, acknowledged, as the one read and the one found after a restart.
 */
import { afterEach, describe, expect, it } from "vitest";
import { UnstorableChangeError, type Store } from "../domain/changes.ts";
import type { StoredExecution } from "../domain/store.ts";
import { StateStores } from "./state-stores.ts";
import { storeOver, threeBackends } from "./three-backends.ts";

const stores = new StateStores();
afterEach(() => stores.dispose());

/** Run `n` of instance ins_r, started `n` seconds into the day. */
const runOf = (n: number, status: string, result: unknown = "ok"): StoredExecution =>
  ({ id: `exe_r${n}`, instanceId: "ins_r", flowId: "f", flowName: "F", trigger: "webhook", status, startedAt: new Date(Date.UTC(2026, 11, 7, 1, 0, n)).toISOString(), logs: [], stepResults: { s: result }, organizationId: "org_r", customerId: "cus_r" }) as StoredExecution;

const throwsOnJson = {
  toJSON() {
    throw new RangeError("Invalid string length");
  },
};

function putCustomer(store: Store, id: string, name: unknown): void {
  store.tables.customers[id] = { id, organizationId: "org_r", externalId: `ext-${id}`, name, createdAt: 1 } as Store["tables"]["customers"][string];
  store.changed("customers", id);
}
function dropCustomer(store: Store, id: string): void {
  delete store.tables.customers[id];
  store.changed("customers", id);
}
const customers = (store: Store) => Object.values(store.tables.customers).map((c) => `${c.id}:${String(c.name)}`).sort();
const listed = (store: Store) => store.executions.page({ organizationId: "org_r" }, { limit: 20 }).map((e) => `${e.id}/${e.status}`);
const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
const named = (error: unknown) => {
  expect(error).toBeInstanceOf(UnstorableChangeError);
  return (error as UnstorableChangeError).refused.map((why) => why.slice(0, why.indexOf(":"))).sort();
};

describe.each(threeBackends(stores))("review8: unstorable changes ($name)", ({ open, restart }) => {
  it("a refused record keeps its last stored value on disk, and its next storable change is written", async () => {
    let backend = open();
    let store = storeOver(backend);
    putCustomer(store, "cus_a", "first");
    await store.commit();

    putCustomer(store, "cus_a", throwsOnJson);
    putCustomer(store, "cus_b", "beside");
    expect(named(await failureOf(store.commit()))).toEqual(["customers/cus_a"]);
    // A write with nothing refused in it succeeds: the refusal is not carried on.
    putCustomer(store, "cus_c", "later");
    await store.commit();

    backend = await restart(backend);
    store = storeOver(backend);
    expect(customers(store)).toEqual(["cus_a:first", "cus_b:beside", "cus_c:later"]);

    putCustomer(store, "cus_a", "second");
    await store.commit();
    backend = await restart(backend);
    expect(customers(storeOver(backend))).toEqual(["cus_a:second", "cus_b:beside", "cus_c:later"]);
  });

  it("a BigInt in a run (a TypeError) is refused alone; a record deleted and runs added in the same write are durable", async () => {
    let backend = open();
    const store = storeOver(backend);
    putCustomer(store, "cus_gone", "to delete");
    store.executions.add(runOf(1, "succeeded"));
    await store.commit();

    dropCustomer(store, "cus_gone");
    store.executions.add(runOf(2, "succeeded", { amount: 10n }));
    store.executions.add(runOf(3, "succeeded"));
    const error = await failureOf(store.commit());
    expect(named(error)).toEqual(["execution exe_r2"]);
    expect((error as Error).message).toContain("BigInt");
    expect(listed(store)).toEqual(["exe_r3/succeeded", "exe_r1/succeeded"]);
    expect(store.executions.countOf("ins_r")).toBe(2);

    backend = await restart(backend);
    const again = storeOver(backend);
    expect(customers(again)).toEqual([]);
    expect(listed(again)).toEqual(["exe_r3/succeeded", "exe_r1/succeeded"]);
    expect(again.executions.countOf("ins_r")).toBe(2);
  });

  it("a refused run update reads as stored; the run's next storable update is written and found after a restart", async () => {
    let backend = open();
    const store = storeOver(backend);
    store.executions.add(runOf(1, "running"));
    await store.commit();

    store.executions.update(runOf(1, "failed", throwsOnJson));
    expect(named(await failureOf(store.commit()))).toEqual(["execution exe_r1"]);
    expect(store.executions.get("exe_r1")?.status).toBe("running");

    store.executions.update(runOf(1, "succeeded"));
    await store.commit();
    expect(listed(store)).toEqual(["exe_r1/succeeded"]);
    backend = await restart(backend);
    expect(listed(storeOver(backend))).toEqual(["exe_r1/succeeded"]);
  });

  it("a run refused while another write is on its way (a retention cut in between): the acknowledged value is read and kept, the cut stands", async () => {
    let backend = open();
    const store = storeOver(backend);
    for (let n = 1; n <= 3; n++) store.executions.add(runOf(n, "running"));
    await store.commit();

    store.executions.update(runOf(3, "succeeded"));
    const acknowledged = store.commit();
    // While that write is on its way: run 3 gets a value that cannot be stored, a run is added,
    // and retention keeps the newest three (run 1 goes).
    store.executions.update(runOf(3, "failed", throwsOnJson));
    store.executions.add(runOf(4, "succeeded"));
    store.executions.trim("ins_r", 3, 0);
    const refused = failureOf(store.commit());
    await acknowledged;
    expect(named(await refused)).toEqual(["execution exe_r3"]);

    expect(store.executions.get("exe_r3")?.status).toBe("succeeded");
    expect(listed(store)).toEqual(["exe_r4/succeeded", "exe_r3/succeeded", "exe_r2/running"]);
    expect(store.executions.countOf("ins_r")).toBe(3);
    backend = await restart(backend);
    const again = storeOver(backend);
    expect(listed(again)).toEqual(["exe_r4/succeeded", "exe_r3/succeeded", "exe_r2/running"]);
    expect(again.executions.countOf("ins_r")).toBe(3);
  });

  it("a new run refused by a write, then updated while that write is on its way: the update changes nothing, the run is gone, across a restart", async () => {
    let backend = open();
    const store = storeOver(backend);
    store.executions.add(runOf(1, "running", throwsOnJson));
    const refused = failureOf(store.commit());
    store.executions.update(runOf(1, "succeeded"));
    store.executions.add(runOf(2, "succeeded"));
    expect(named(await refused)).toEqual(["execution exe_r1"]);
    await store.commit();
    expect(listed(store)).toEqual(["exe_r2/succeeded"]);
    backend = await restart(backend);
    expect(listed(storeOver(backend))).toEqual(["exe_r2/succeeded"]);
  });

  it("a run changed, then (after another instance's removal) changed again to a value that cannot be stored: the write stores none of its changes, as stored or gone, across a restart", async () => {
    let backend = open();
    const store = storeOver(backend);
    store.executions.add(runOf(1, "running"));
    await store.commit();
    store.executions.update(runOf(1, "succeeded"));
    store.executions.add(runOf(2, "running"));
    // On the state file a removal (a retention cut) steps the dirty runs into the batch first.
    store.executions.removeInstance("ins_other");
    store.executions.update(runOf(1, "failed", throwsOnJson));
    store.executions.update(runOf(2, "failed", throwsOnJson));
    expect(named(await failureOf(store.commit()))).toEqual(["execution exe_r1", "execution exe_r2"]);
    expect(listed(store)).toEqual(["exe_r1/running"]);
    expect(store.executions.countOf("ins_r")).toBe(1);
    backend = await restart(backend);
    expect(listed(storeOver(backend))).toEqual(["exe_r1/running"]);
  });
});

it("review8 (SQLite): a write that both refuses a run and then fails in the writer counts for nothing; its storable runs go again with the next write, the refused one reads as stored", async () => {
  let backend = stores.open(stores.freshPath());
  const store = storeOver(backend);
  store.executions.add(runOf(1, "running"));
  await store.commit();

  store.executions.update(runOf(1, "failed", throwsOnJson));
  store.executions.add(runOf(2, "succeeded"));
  putCustomer(store, "cus_ok", "ok");
  // A record the writer fails on: the whole batch fails there.
  stores.failBatchesWriting(backend, "customers", "cus_fn");
  putCustomer(store, "cus_fn", "failed by the writer");
  const error = await failureOf(store.commit());
  expect(error).toBeInstanceOf(Error);
  expect(error).not.toBeInstanceOf(UnstorableChangeError);
  expect(store.executions.get("exe_r1")?.status).toBe("running");

  delete store.tables.customers.cus_fn;
  await store.commit();
  expect(listed(store)).toEqual(["exe_r2/succeeded", "exe_r1/running"]);
  backend = await stores.restart(backend);
  const again = storeOver(backend);
  expect(customers(again)).toEqual(["cus_ok:ok"]);
  expect(listed(again)).toEqual(["exe_r2/succeeded", "exe_r1/running"]);
  expect(again.executions.countOf("ins_r")).toBe(2);
});
