import Database from "libsql";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteExecutions } from "./sqlite-executions.ts";
import type { StoredExecution } from "../domain/store.ts";

const T0 = Date.UTC(2026, 11, 6);

/** Runs of one instance, two per second (so start times tie and the id decides the order). */
function run(i: number, instanceId = "ins_a"): StoredExecution {
  return {
    id: `exe_${String(i).padStart(5, "0")}`,
    instanceId,
    flowId: "flow",
    flowName: "Flow",
    trigger: "webhook",
    status: "succeeded",
    startedAt: new Date(T0 + Math.floor(i / 2) * 1000).toISOString(),
    logs: [],
    stepResults: {},
    organizationId: "org_1",
    customerId: "cus_1",
  };
}

let db: Database.Database;
afterEach(() => db?.close());

function store(count: number): SqliteExecutions {
  db = new Database(":memory:");
  const executions = new SqliteExecutions(db);
  for (let i = 0; i < count; i++) executions.add(run(i));
  executions.add(run(0, "ins_other"));
  executions.commit(() => undefined);
  return executions;
}

const ids = (executions: SqliteExecutions) => executions.page({ organizationId: "org_1", instanceId: "ins_a" }, { limit: 10_000 }).map((e) => e.id);

describe("SqliteExecutions retention", () => {
  it("a count trim removes exactly the oldest beyond `keep` (ties in start time broken by id) and reports the newest removed", () => {
    const executions = store(101);
    const removed = executions.trim("ins_a", 40, 0);
    expect(ids(executions)).toHaveLength(40);
    expect(ids(executions).at(-1)).toBe("exe_00061");
    expect(executions.get("exe_00060")).toBeUndefined();
    // exe_00060 started at second 30, as did exe_00061, which is kept.
    expect(removed).toBe(T0 + 30_000);
    expect(executions.countOf("ins_a")).toBe(40);
    expect(executions.countOf("ins_other")).toBe(1);
    // New runs past the cap: each trim removes just the excess.
    for (let i = 101; i < 105; i++) executions.add(run(i));
    expect(executions.trim("ins_a", 40, 0)).toBe(T0 + 32_000);
    expect(ids(executions)).toHaveLength(40);
    expect(ids(executions).at(-1)).toBe("exe_00065");
    expect(executions.trim("ins_a", 40, 0)).toBeUndefined();
  });

  it("an age trim and a count trim in one call leave at most `keep`, none older than the cutoff", () => {
    const executions = store(100);
    const removed = executions.trim("ins_a", 30, T0 + 10_000);
    expect(ids(executions)).toHaveLength(30);
    expect(ids(executions).at(-1)).toBe("exe_00070");
    expect(removed).toBe(T0 + 34_000);
    expect(executions.countOf("ins_a")).toBe(30);
    expect(executions.trim("ins_a", 30, T0 + 40_000)).toBe(T0 + 39_000);
    expect(ids(executions)).toHaveLength(20);
    expect(executions.countOf("ins_a")).toBe(20);
  });

  it("a page continues strictly after its cursor, through ties", () => {
    const executions = store(10);
    const first = executions.page({ organizationId: "org_1", instanceId: "ins_a" }, { limit: 3 });
    const last = first.at(-1)!;
    const next = executions.page({ organizationId: "org_1", instanceId: "ins_a" }, { limit: 3, after: { startedAt: last.startedAt, id: last.id } });
    expect([...first, ...next].map((e) => e.id)).toEqual(["exe_00009", "exe_00008", "exe_00007", "exe_00006", "exe_00005", "exe_00004"]);
  });
});

describe("SqliteExecutions: one transaction per batch", () => {
  it("a trim writes the pending runs and its deletes into the batch's open transaction, which commit ends", () => {
    const executions = store(50);
    for (let i = 50; i < 55; i++) executions.add(run(i));
    expect(db.inTransaction).toBe(false);
    executions.trim("ins_a", 40, 0);
    // Nothing committed on its own before the batch's records: the trim opened the transaction.
    expect(db.inTransaction).toBe(true);
    executions.commit(() => undefined);
    expect(db.inTransaction).toBe(false);
    expect(ids(executions)).toHaveLength(40);
    expect(ids(executions)[0]).toBe("exe_00054");
  });

  it("a batch that fails rolls back the trim, and its runs are pending again for the next write", () => {
    const executions = store(50);
    for (let i = 50; i < 55; i++) executions.add(run(i));
    executions.trim("ins_a", 40, 0);
    expect(() =>
      executions.commit(() => {
        throw new Error("disk full");
      }),
    ).toThrow("disk full");
    expect(db.inTransaction).toBe(false);
    expect(executions.hasPending).toBe(true);
    // The trim's deletes are undone: every run is there again once the next write lands (49
    // seeded, as exe_00000 is ins_other's, and 5 new).
    executions.commit(() => undefined);
    expect(ids(executions)).toHaveLength(54);
    expect(executions.countOf("ins_a")).toBe(54);
    expect(executions.trim("ins_a", 40, 0)).toBe(T0 + 7_000);
    executions.commit(() => undefined);
    expect(ids(executions)).toHaveLength(40);
  });
});

describe("SqliteExecutions: the age sweep", () => {
  it("finds the instances with a run older than the cutoff in every organization, through the organization index (no index on the start time alone)", () => {
    const executions = store(10);
    executions.add({ ...run(0, "ins_b"), id: "exe_b", organizationId: "org_2" });
    executions.add({ ...run(40, "ins_c"), id: "exe_c", organizationId: "org_3" });
    executions.commit(() => undefined);
    // run(0) started at T0, run(40) 20 s later; ins_a's oldest is exe_00001 at T0.
    expect(executions.instancesStartedBefore(T0 + 1000).sort()).toEqual(["ins_a", "ins_b", "ins_other"]);
    expect(executions.instancesStartedBefore(T0 + 60_000).sort()).toEqual(["ins_a", "ins_b", "ins_c", "ins_other"]);
    expect(executions.instancesStartedBefore(T0)).toEqual([]);
    const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'executions'").raw().all() as [string][]).map((r) => r[0]);
    expect(indexes).not.toContain("executions_by_start");
  });
});
