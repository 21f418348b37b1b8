/**
 * Review of the writer's batch order (issue 18): retention's range deletes now run first in each
 * batch, then every step in order (each cut again in its place). What the domain sees before the
 * commit (the overlay) must be what the table holds after it, and after a restart, for the edges:
 * a run put and trimmed in one batch, an update of a run the same batch trims, removeInstance with
 * puts around it, a batch the writer rolls back and its retry, and batches in flight while the
 * after-answer checkpoint runs.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { SqliteBackend } from "./sqlite-backend.ts";
import { StateStores } from "./state-stores.ts";
import type { RecordWrite } from "../domain/changes.ts";
import type { StoredExecution } from "../domain/store.ts";

const T0 = Date.UTC(2026, 5, 1);
const stores = new StateStores();
afterEach(() => stores.dispose());
const start = (checkpointBytes?: number) => stores.open(stores.freshPath(), checkpointBytes);
const restart = (store: SqliteBackend) => stores.restart(store);

/** Run `n` of an instance, `n` seconds after T0; `status` tells an update apart. */
const runOf = (n: number, instanceId = "ins_a", status = "running"): StoredExecution =>
  ({
    id: `exe_${instanceId}_${String(n).padStart(4, "0")}`,
    instanceId,
    flowId: "f",
    flowName: "F",
    trigger: "webhook",
    status,
    startedAt: new Date(T0 + n * 1000).toISOString(),
    logs: [],
    stepResults: {},
    organizationId: "org_1",
    customerId: "cus_1",
  }) as StoredExecution;

/** A new store holding ins_a's runs 1..count, committed. */
async function committed(count: number): Promise<SqliteBackend> {
  const store = start();
  for (let n = 1; n <= count; n++) store.executions.add(runOf(n));
  await store.write([]);
  return store;
}

/** What the store shows for an instance: ids and statuses, newest first. */
const view = (store: SqliteBackend, instanceId: string) =>
  store.executions.page({ organizationId: "org_1", instanceId }, { limit: 1000 }).map((e) => `${e.id} ${e.status}`);
/** A record the writer cannot store: the writer rolls back the whole batch. */
const poison = { kind: "customers", id: null, record: { id: null } } as unknown as RecordWrite;

/** Checks that the overlay's view, the committed table's and a restarted store's all agree; answers the restarted store. */
async function agreeAfterRestart(store: SqliteBackend, instances: string[]): Promise<SqliteBackend> {
  const before = instances.map((i) => [view(store, i), store.executions.countOf(i)]);
  await store.write([]);
  expect(instances.map((i) => [view(store, i), store.executions.countOf(i)])).toEqual(before);
  const again = await restart(store);
  expect(instances.map((i) => [view(again, i), again.executions.countOf(i)])).toEqual(before);
  return again;
}

describe("review: retention's deletes first in each batch", () => {
  it("a run put and trimmed in the same batch is gone; a run updated after the trim that took it in the same batch stays gone; the rest are there", async () => {
    const store = await committed(5);
    // One batch: two new runs, then retention keeps 3 (takes 1..4), then an update of 2 (taken) and of 6 (kept).
    store.executions.add(runOf(6));
    store.executions.add(runOf(7));
    store.executions.update(runOf(3, "ins_a", "succeeded"));
    expect(store.executions.trim("ins_a", 3, 0)).toBe(T0 + 4000);
    store.executions.update(runOf(2, "ins_a", "succeeded"));
    store.executions.update(runOf(6, "ins_a", "succeeded"));
    expect(view(store, "ins_a")).toEqual(["exe_ins_a_0007 running", "exe_ins_a_0006 succeeded", "exe_ins_a_0005 running"]);
    await agreeAfterRestart(store, ["ins_a"]);
  });

  it("runs added and trimmed within one batch, several trims in it, and a run older than the cut added after it: the table ends as the domain saw it", async () => {
    const store = start();
    for (let n = 10; n <= 20; n++) store.executions.add(runOf(n));
    store.executions.trim("ins_a", 8, 0); // takes 10..12, uncommitted
    for (let n = 21; n <= 24; n++) store.executions.add(runOf(n));
    store.executions.trim("ins_a", 5, 0); // takes 13..19
    // A run older than both cuts, made after them (an import, a clock step back): kept, in order.
    store.executions.add(runOf(5));
    expect(view(store, "ins_a").map((s) => s.split(" ")[0].slice(-2))).toEqual(["24", "23", "22", "21", "20", "05"]);
    await agreeAfterRestart(store, ["ins_a"]);
  });

  it("removeInstance with puts of the instance before it and of another instance around it, in one batch", async () => {
    const store = start();
    for (let n = 1; n <= 4; n++) store.executions.add(runOf(n, "ins_gone"));
    store.executions.add(runOf(1, "ins_kept"));
    await store.write([]);
    store.executions.add(runOf(5, "ins_gone"));
    store.executions.update(runOf(2, "ins_gone", "succeeded"));
    store.executions.add(runOf(2, "ins_kept"));
    store.executions.removeInstance("ins_gone");
    store.executions.add(runOf(3, "ins_kept"));
    expect(view(store, "ins_gone")).toEqual([]);
    const again = await agreeAfterRestart(store, ["ins_gone", "ins_kept"]);
    expect(view(again, "ins_kept")).toHaveLength(3);
  });

  it("a batch with a trim and puts that the writer rolls back: its retry (cuts first, then the runs' newest values) leaves the table as the domain saw it", async () => {
    let store = await committed(6);
    store.executions.add(runOf(7));
    store.executions.add(runOf(8));
    store.executions.trim("ins_a", 4, 0); // takes 1..4
    store.executions.update(runOf(7, "ins_a", "succeeded"));
    const seen = view(store, "ins_a");
    await expect(store.write([poison])).rejects.toThrow(/could not write the state database/);
    expect(view(store, "ins_a")).toEqual(seen);
    // More changes before the retry: another run, and retention again.
    store.executions.add(runOf(9));
    store.executions.trim("ins_a", 4, 0); // takes 5
    store = await agreeAfterRestart(store, ["ins_a"]);
    expect(view(store, "ins_a")).toEqual(["exe_ins_a_0009 running", "exe_ins_a_0008 running", "exe_ins_a_0007 succeeded", "exe_ins_a_0006 running"]);
  });

  it("batches sent while the checkpoint after each answer runs (checkpoint every batch): all of them committed, in order, and a restart reads the same", async () => {
    const store = start(1);
    const writes: Promise<void>[] = [];
    for (let n = 1; n <= 60; n++) {
      store.executions.add(runOf(n));
      if (n % 3 === 0) store.executions.trim("ins_a", 20, 0);
      // Sent without waiting for the previous answer: they queue behind the writer's checkpoints.
      writes.push(store.write([{ kind: "customers", id: `cus_${n}`, record: { id: `cus_${n}`, organizationId: "org_1", externalId: `x${n}`, name: "n".repeat(3000), createdAt: 0 } }]));
    }
    await Promise.all(writes);
    const again = await agreeAfterRestart(store, ["ins_a"]);
    expect(again.executions.countOf("ins_a")).toBe(20);
    expect([...again.loadRecords()].filter((r) => r.kind === "customers")).toHaveLength(60);
  });
});
