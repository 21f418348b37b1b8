/**
 * Review of the framed hand-over (issue 18) under SIGKILL: a child process writes batches of
 * records and executions whose values hold the frame's hard cases, and dies the moment its last
 * batch has been handed to the writer thread (not answered), or while a large batch is being
 * applied. After reopening: every answered batch is there whole, and the batch in flight is
 * there whole or not at all — never a part of it, never a field shifted into its neighbour.
 */
import Database from "libsql";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteBackend } from "./sqlite-backend.ts";
import { createSecretBox } from "./secret-box.ts";
import { StateStores } from "./state-stores.ts";

const stores = new StateStores();
afterEach(() => stores.dispose());
const KEY = Buffer.alloc(32, 9);

/**
 * Runs `writes` (module code with `b`, an open SqliteBackend on `path`, and `batch(n)`, which
 * hands over batch n: 30 odd-valued records and 5 executions) in a child that ends itself with
 * SIGKILL; answers its stdout lines.
 */
function killedWhile(path: string, writes: string): { lines: string[]; signal: string | null } {
  const script = path.replace(/\.db$/, ".child.mjs");
  writeFileSync(
    script,
    `import { SqliteBackend } from ${JSON.stringify(pathToFileURL(fileURLToPath(new URL("./sqlite-backend.ts", import.meta.url))).href)};
    import { createSecretBox } from ${JSON.stringify(pathToFileURL(fileURLToPath(new URL("./secret-box.ts", import.meta.url))).href)};
    const b = new SqliteBackend(${JSON.stringify(path)}, { secrets: createSecretBox(Buffer.alloc(32, 9)) });
    [...b.loadRecords()];
    ${batchSource}
    ${writes}
    console.log("not killed");`,
  );
  const child = spawnSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8", timeout: 120_000 });
  return { lines: child.stdout.split("\n").filter(Boolean), signal: child.signal };
}

/** The batch both sides agree on (the child runs this text; the test reads it with the same function). */
const batchSource = `
function batch(n, size = 30) {
  const odd = ["", "|", "9", "é", "😀", "\\ud800", "x\\ud83d", '"', "\\\\", "\\n", "\\u0000"];
  const records = [];
  for (let i = 0; i < size; i++) {
    const id = "cus_" + n + "_" + i + odd[i % odd.length].replace(/[\\u0000\\ud800-\\udfff]/g, "");
    records.push({ kind: "customers", id, record: { id, organizationId: "org_1", externalId: id, name: odd.join("") + n + ":" + i, createdAt: n } });
  }
  for (let i = 0; i < 5; i++) {
    b.executions.add({ id: "exe_" + String(n * 10 + i).padStart(6, "0"), instanceId: "ins_" + (i % 2), flowId: "f" + odd[i], flowName: odd.join(""), trigger: "webhook", status: "succeeded", startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n, i)).toISOString(), logs: odd.map((message) => ({ at: "x", level: "info", message })), stepResults: {}, organizationId: "org_1", customerId: "cus_1" });
  }
  return b.write(records);
}`;
const batch = new Function("b", `${batchSource}; return batch;`) as (b: unknown) => (n: number, size?: number) => Promise<void>;

/** What batch n wrote: its records' ids and names, its executions' ids and flow names. */
function expected(n: number, size = 30) {
  const records: Array<{ kind: string; id: string; record: { name: string } }> = [];
  const executions: Array<{ id: string; flowName: string }> = [];
  const fake = { write: async (r: typeof records) => void records.push(...r), executions: { add: (e: { id: string; flowName: string }) => executions.push(e) } };
  void batch(fake)(n, size);
  return { records, executions };
}

/** Which of batch n's records and executions the reopened file holds, checked value by value. */
function present(b: SqliteBackend, stored: Map<string, unknown>, n: number, size = 30): { records: number; executions: number } {
  const want = expected(n, size);
  let records = 0;
  for (const { id, record } of want.records) {
    if (!stored.has(id)) continue;
    records++;
    expect((stored.get(id) as { name: string }).name, id).toBe(record.name);
  }
  let executions = 0;
  for (const { id, flowName } of want.executions) {
    const read = b.executions.get(id);
    if (!read) continue;
    executions++;
    expect(read.flowName, id).toBe(flowName);
  }
  return { records, executions };
}

/** SQLite's own check of the reopened file, on a read-only connection of its own. */
const integrity = (path: string) => {
  const db = new Database(path, { readonly: true });
  const [verdict] = db.prepare("PRAGMA integrity_check").raw().get() as [string];
  db.close();
  return verdict;
};

describe("review7: SIGKILL with a framed batch in flight", () => {
  it("P1 killed the moment batch 12 is handed over: batches 1-11 whole, batch 12 whole or absent, every value in its field", async () => {
    const path = stores.freshPath();
    const { lines, signal } = killedWhile(path, `for (let n = 1; n <= 11; n++) { await batch(n); console.log("answered " + n); } batch(12); process.kill(process.pid, "SIGKILL");`);
    expect(signal).toBe("SIGKILL");
    expect(lines).toEqual(Array.from({ length: 11 }, (_, i) => `answered ${i + 1}`));
    expect(integrity(path)).toBe("ok");
    const b = new SqliteBackend(path, { secrets: createSecretBox(KEY) });
    try {
      const stored = new Map([...b.loadRecords()].map((r) => [r.id, r.record]));
      for (let n = 1; n <= 11; n++) expect(present(b, stored, n), `batch ${n}`).toEqual({ records: 30, executions: 5 });
      const last = present(b, stored, 12);
      expect(last).toEqual(last.records === 0 ? { records: 0, executions: 0 } : { records: 30, executions: 5 });
      expect(stored.size).toBe(11 * 30 + last.records);
    } finally {
      await b.close();
    }
  }, 120_000); // a hang guard (a child process and its tsx start on a busy machine), not a speed check

  it("P1 killed while a batch of 20,000 records is being applied: the answered batches whole, the large one all or nothing", async () => {
    const path = stores.freshPath();
    const { lines, signal } = killedWhile(path, `for (let n = 1; n <= 3; n++) { await batch(n); console.log("answered " + n); } batch(4, 20000); await new Promise((wake) => setTimeout(wake, 5)); process.kill(process.pid, "SIGKILL");`);
    expect(signal).toBe("SIGKILL");
    expect(lines).toEqual(["answered 1", "answered 2", "answered 3"]);
    expect(integrity(path)).toBe("ok");
    const b = new SqliteBackend(path, { secrets: createSecretBox(KEY) });
    try {
      const stored = new Map([...b.loadRecords()].map((r) => [r.id, r.record]));
      for (let n = 1; n <= 3; n++) expect(present(b, stored, n)).toEqual({ records: 30, executions: 5 });
      const big = present(b, stored, 4, 20000);
      expect(big).toEqual(big.records === 0 ? { records: 0, executions: 0 } : { records: 20000, executions: 5 });
    } finally {
      await b.close();
    }
  }, 120_000); // a hang guard (a child process and its tsx start on a busy machine), not a speed check
});
