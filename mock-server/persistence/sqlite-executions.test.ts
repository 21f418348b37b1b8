/**
 * Executions in SQLite through the real backend: the main thread's reads (with what the writer
 * thread has not committed yet laid over them) and the writer thread's batches.
 */
import Database from "libsql";
import { copyFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteBackend } from "./sqlite-backend.ts";
import { createSecretBox } from "./secret-box.ts";
import type { RecordWrite } from "../domain/changes.ts";
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

let backend: SqliteBackend | undefined;
let dir: string | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function store(count: number): Promise<SqliteBackend> {
  dir = mkdtempSync(join(tmpdir(), "emporium-executions-"));
  backend = new SqliteBackend(join(dir, "state.db"), { secrets: createSecretBox(Buffer.alloc(32, 1)) });
  for (let i = 0; i < count; i++) backend.executions.add(run(i));
  backend.executions.add(run(0, "ins_other"));
  await backend.write([]);
  return backend;
}

const ids = (b: SqliteBackend) => b.executions.page({ organizationId: "org_1", instanceId: "ins_a" }, { limit: 10_000 }).map((e) => e.id);

/** What is committed in the file, read on a connection of its own. */
function committedIds(b: SqliteBackend): string[] {
  const db = new Database(b.path, { readonly: true });
  try {
    return (db.prepare("SELECT id FROM executions WHERE instance_id = 'ins_a' ORDER BY started_at DESC, id DESC").raw().all() as [string][]).map((r) => r[0]);
  } finally {
    db.close();
  }
}

describe("SqliteExecutions retention", () => {
  it("a count trim removes exactly the oldest beyond `keep` (ties in start time broken by id) and reports the newest removed", async () => {
    const { executions } = await store(101);
    const removed = executions.trim("ins_a", 40, 0);
    expect(ids(backend!)).toHaveLength(40);
    expect(ids(backend!).at(-1)).toBe("exe_00061");
    expect(executions.get("exe_00060")).toBeUndefined();
    // exe_00060 started at second 30, as did exe_00061, which is kept.
    expect(removed).toBe(T0 + 30_000);
    expect(executions.countOf("ins_a")).toBe(40);
    expect(executions.countOf("ins_other")).toBe(1);
    // New runs past the cap: each trim removes just the excess.
    for (let i = 101; i < 105; i++) executions.add(run(i));
    expect(executions.trim("ins_a", 40, 0)).toBe(T0 + 32_000);
    expect(ids(backend!)).toHaveLength(40);
    expect(ids(backend!).at(-1)).toBe("exe_00065");
    expect(executions.trim("ins_a", 40, 0)).toBeUndefined();
    await backend!.write([]);
    expect(committedIds(backend!)).toEqual(ids(backend!));
    expect(executions.size()).toBe(41);
  });

  it("an age trim and a count trim in one call leave at most `keep`, none older than the cutoff", async () => {
    const { executions } = await store(100);
    const removed = executions.trim("ins_a", 30, T0 + 10_000);
    expect(ids(backend!)).toHaveLength(30);
    expect(ids(backend!).at(-1)).toBe("exe_00070");
    expect(removed).toBe(T0 + 34_000);
    expect(executions.countOf("ins_a")).toBe(30);
    expect(executions.trim("ins_a", 30, T0 + 40_000)).toBe(T0 + 39_000);
    expect(ids(backend!)).toHaveLength(20);
    expect(executions.countOf("ins_a")).toBe(20);
    await backend!.write([]);
    expect(committedIds(backend!)).toEqual(ids(backend!));
  });

  it("a page continues strictly after its cursor, through ties, across committed and not yet committed runs", async () => {
    const { executions } = await store(6);
    for (let i = 6; i < 10; i++) executions.add(run(i));
    const first = executions.page({ organizationId: "org_1", instanceId: "ins_a" }, { limit: 3 });
    const last = first.at(-1)!;
    const next = executions.page({ organizationId: "org_1", instanceId: "ins_a" }, { limit: 3, after: { startedAt: last.startedAt, id: last.id } });
    expect([...first, ...next].map((e) => e.id)).toEqual(["exe_00009", "exe_00008", "exe_00007", "exe_00006", "exe_00005", "exe_00004"]);
  });
});

describe("SqliteExecutions: batches on the writer thread", () => {
  it("a trim is seen at once and written with the runs before it in the batch's one transaction", async () => {
    const { executions } = await store(50);
    for (let i = 50; i < 55; i++) executions.add(run(i));
    executions.trim("ins_a", 40, 0);
    // The domain sees the trim and the new runs; the file has neither until the batch is written.
    expect(ids(backend!)).toHaveLength(40);
    expect(ids(backend!)[0]).toBe("exe_00054");
    expect(committedIds(backend!)).toHaveLength(49);
    await backend!.write([]);
    expect(committedIds(backend!)).toEqual(ids(backend!));
    expect(executions.hasPending).toBe(false);
  });

  it("a batch that the writer rolls back goes again with the next write: its runs and its trim", async () => {
    const { executions } = await store(50);
    for (let i = 50; i < 55; i++) executions.add(run(i));
    executions.trim("ins_a", 40, 0);
    // A record the writer cannot store (no id) makes it roll back the whole batch.
    const bad = { kind: "customers", id: null, record: { id: null } } as unknown as RecordWrite;
    await expect(backend!.write([bad])).rejects.toThrow(/could not write the state database/);
    expect(committedIds(backend!)).toHaveLength(49);
    expect(executions.hasPending).toBe(true);
    expect(ids(backend!)).toHaveLength(40);
    await backend!.write([]);
    expect(committedIds(backend!)).toEqual(ids(backend!));
    expect(committedIds(backend!)[0]).toBe("exe_00054");
  });

  it("a finished run replaces its running record; a restart reads what was committed", async () => {
    const b = await store(3);
    b.executions.add({ ...run(10), status: "running" });
    expect(b.executions.running().map((e) => e.id)).toEqual(["exe_00010"]);
    await b.write([]);
    expect(b.executions.running().map((e) => e.id)).toEqual(["exe_00010"]);
    b.executions.update({ ...run(10), status: "failed" });
    expect(b.executions.running()).toEqual([]);
    await b.write([]);
    const path = b.path;
    await b.close();
    backend = new SqliteBackend(path, { secrets: createSecretBox(Buffer.alloc(32, 1)) });
    expect(backend.executions.get("exe_00010")?.status).toBe("failed");
    // exe_00000 is ins_other's (the same id, added last): ins_a has exe_00001, exe_00002 and exe_00010.
    expect(backend.executions.countOf("ins_a")).toBe(3);
  });

  it("the batch's one-string frame keeps every field whole: text beyond ASCII (accents, emoji, a lone surrogate), empty strings, quotes and separators", async () => {
    const b = await store(1);
    const odd = ["é", "😀", "\ud800", "", '"', "\u0000", "|", "\n"];
    const execution: StoredExecution = { ...run(20), flowId: "flüss 😀", flowName: odd.join(""), logs: odd.map((message) => ({ at: run(20).startedAt, level: "info" as const, message })) };
    const customer = { id: "cus_😀", name: "Zoë \ud83d", note: "" };
    b.executions.add(execution);
    await b.write([{ kind: "customers", id: "cus_😀", record: customer } as RecordWrite, { kind: "customers", id: "cus_é", record: { id: "cus_é", name: "" } } as RecordWrite]);
    const path = b.path;
    await b.close();
    backend = new SqliteBackend(path, { secrets: createSecretBox(Buffer.alloc(32, 1)) });
    const read = backend.executions.get(execution.id)!;
    expect(read.flowId).toBe("flüss 😀");
    // A lone surrogate too: JSON.stringify writes it as an escape, so the text is kept exactly.
    expect(read.logs.map((line) => line.message)).toEqual(odd);
    expect(read.flowName).toBe(odd.join(""));
    const customers = [...backend.loadRecords()].filter((r) => r.kind === "customers");
    expect(customers.map((r) => [r.id, r.record])).toEqual([
      ["cus_😀", customer],
      ["cus_é", { id: "cus_é", name: "" }],
    ]);
  });
});

describe("SqliteExecutions: checkpoints", () => {
  it("the WAL restarts in place after each periodic checkpoint: its file stays bounded, and a copy taken between batches (a kill) and a reopen both hold every committed run", async () => {
    dir = mkdtempSync(join(tmpdir(), "emporium-executions-"));
    const path = join(dir, "state.db");
    const checkpointBytes = 64 * 1024;
    backend = new SqliteBackend(path, { secrets: createSecretBox(Buffer.alloc(32, 1)), checkpointBytes });
    let largestWal = 0;
    for (let i = 0; i < 400; i++) {
      backend.executions.add({ ...run(i), logs: [{ at: new Date(T0).toISOString(), level: "info", message: "x".repeat(1500) }] });
      if (i % 4 === 3) {
        backend.executions.trim("ins_a", 120, 0);
        await backend.write([{ kind: "customers", id: `cus_${i}`, record: { id: `cus_${i}` } }]);
        largestWal = Math.max(largestWal, statSync(`${path}-wal`).size);
      }
    }
    // Restarted many times (the batches wrote ~20× the threshold): never more than the threshold
    // and the batch that passed it.
    expect(largestWal).toBeGreaterThan(checkpointBytes / 2);
    expect(largestWal).toBeLessThan(3 * checkpointBytes);
    // What a kill between batches leaves: the files as they are, opened by a new process.
    for (const suffix of ["", "-wal", "-shm"]) copyFileSync(`${path}${suffix}`, join(dir, `copy.db${suffix}`));
    const copy = new SqliteBackend(join(dir, "copy.db"), { secrets: createSecretBox(Buffer.alloc(32, 1)) });
    try {
      expect(copy.executions.countOf("ins_a")).toBe(120);
      expect(copy.executions.page({ organizationId: "org_1", instanceId: "ins_a" }, { limit: 200 }).map((e) => e.id)).toEqual(ids(backend));
      expect([...copy.loadRecords()].filter((r) => r.kind === "customers")).toHaveLength(100);
    } finally {
      await copy.close();
    }
    await backend.close();
    // Closed: the WAL is copied into the database and emptied.
    expect(statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0).toBe(0);
    backend = new SqliteBackend(path, { secrets: createSecretBox(Buffer.alloc(32, 1)) });
    expect(ids(backend)).toHaveLength(120);
    expect(ids(backend)[0]).toBe("exe_00399");
  });
});

describe("SqliteExecutions: the age sweep", () => {
  it("finds the instances with a run older than the cutoff in every organization, through the organization index (no index on the start time alone)", async () => {
    const { executions } = await store(10);
    executions.add({ ...run(0, "ins_b"), id: "exe_b", organizationId: "org_2" });
    await backend!.write([]);
    // Not committed yet: found all the same.
    executions.add({ ...run(40, "ins_c"), id: "exe_c", organizationId: "org_3" });
    // run(0) started at T0, run(40) 20 s later; ins_a's oldest is exe_00001 at T0.
    expect(executions.instancesStartedBefore(T0 + 1000).sort()).toEqual(["ins_a", "ins_b", "ins_other"]);
    expect(executions.instancesStartedBefore(T0 + 60_000).sort()).toEqual(["ins_a", "ins_b", "ins_c", "ins_other"]);
    expect(executions.instancesStartedBefore(T0)).toEqual([]);
    const db = new Database(backend!.path, { readonly: true });
    const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'executions'").raw().all() as [string][]).map((r) => r[0]);
    db.close();
    expect(indexes).not.toContain("executions_by_start");
  });
});

describe("SqliteExecutions against the memory store", () => {
  it("the same random runs, updates, trims, removals and writes leave both with the same runs, counts and pages", async () => {
    const { MemoryExecutions } = await import("../domain/execution-store.ts");
    const b = await store(0);
    const memory = new MemoryExecutions([run(0, "ins_other")]);
    // A fixed pseudo-random sequence (xorshift), so a failure replays.
    let seed = 0x2545f491;
    const random = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const instances = ["ins_a", "ins_b", "ins_c"];
    let next = 1;
    const writes: Promise<void>[] = [];
    for (let step = 0; step < 3000; step++) {
      const instanceId = instances[random(3)];
      const action = random(100);
      if (action < 60) {
        const execution = { ...run(next++, instanceId), status: random(4) === 0 ? ("running" as const) : ("succeeded" as const) };
        b.executions.add(execution);
        memory.add(execution);
      } else if (action < 70) {
        const [running] = memory.running();
        if (running) {
          b.executions.update({ ...running, status: "failed" });
          memory.update({ ...running, status: "failed" });
        }
      } else if (action < 90) {
        const keep = 20 + random(400);
        const cutoff = T0 + random(next) * 500;
        expect(b.executions.trim(instanceId, keep, cutoff)).toBe(memory.trim(instanceId, keep, cutoff));
      } else if (action < 91) {
        b.executions.removeInstance(instanceId);
        memory.removeInstance(instanceId);
      } else {
        // Writes in flight while the domain goes on, as under load; some awaited.
        writes.push(b.write([]));
        if (random(3) === 0) await Promise.all(writes.splice(0));
      }
      if (step % 97 === 0) {
        for (const id of instances) {
          expect(b.executions.countOf(id)).toBe(memory.countOf(id));
          const filter = { organizationId: "org_1", instanceId: id };
          expect(b.executions.page(filter, { limit: 50 }).map((e) => e.id)).toEqual(memory.page(filter, { limit: 50 }).map((e) => e.id));
        }
        expect(b.executions.size()).toBe(memory.size());
        expect(b.executions.running().map((e) => e.id).sort()).toEqual(memory.running().map((e) => e.id).sort());
      }
    }
    await Promise.all(writes);
    await b.write([]);
    const all = { organizationId: "org_1" };
    expect(b.executions.page(all, { limit: 100_000 }).map((e) => e.id)).toEqual(memory.page(all, { limit: 100_000 }).map((e) => e.id));
    // And what is on disk is what both show.
    const db = new Database(b.path, { readonly: true });
    const onDisk = (db.prepare("SELECT id FROM executions ORDER BY started_at DESC, id DESC").raw().all() as [string][]).map((r) => r[0]);
    db.close();
    expect(onDisk).toEqual(memory.page(all, { limit: 100_000 }).map((e) => e.id));
  });
});
