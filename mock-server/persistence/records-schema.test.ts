/**
 * Records are stored by rowid with no (kind, id) index (schema 3, sqlite-backend.ts): the main
 * thread keeps each record's rowid. A state file of schema 2 (that key as the primary key) opens:
 * its records move to the new table, in order, and work as before.
 */
import Database from "libsql";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteBackend } from "./sqlite-backend.ts";
import { createSecretBox } from "./secret-box.ts";
import { EXECUTIONS_SCHEMA } from "./sqlite-executions.ts";
import type { RecordWrite } from "../domain/changes.ts";

let dir: string;
let backend: SqliteBackend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const box = createSecretBox(Buffer.alloc(32, 1));
const open = (path: string) => (backend = new SqliteBackend(path, { secrets: box }));
const customer = (id: string, name = id): RecordWrite => ({ kind: "customers", id, record: { id, organizationId: "org_1", externalId: id, name, createdAt: 0 } });
const loaded = (b: SqliteBackend) => [...b.loadRecords()].map(({ kind, id, record }) => `${kind} ${id} ${(record as { name?: string }).name ?? ""}`);

function table(path: string): { schema: string; indexes: string[]; rows: Array<[number, string, string]> } {
  const db = new Database(path, { readonly: true });
  try {
    return {
      schema: (db.prepare("SELECT value FROM meta WHERE key = 'schema'").raw().get() as [string])[0],
      indexes: (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records'").raw().all() as [string][]).map((r) => r[0]),
      rows: db.prepare("SELECT rowid, kind, id FROM records ORDER BY rowid").raw().all() as Array<[number, string, string]>,
    };
  } finally {
    db.close();
  }
}

describe("records by rowid", () => {
  it("puts append, a put of a stored record replaces its row, a delete removes it; a reopened store knows every rowid", async () => {
    dir = mkdtempSync(join(tmpdir(), "emporium-records-"));
    const path = join(dir, "state.db");
    const b = open(path);
    await b.write([customer("cus_1"), customer("cus_2"), customer("cus_3")]);
    await b.write([customer("cus_2", "renamed"), { kind: "customers", id: "cus_1", record: undefined }]);
    // Made and deleted before a write stored it: nothing to delete.
    await b.write([{ kind: "customers", id: "cus_never", record: undefined }]);
    expect(table(path)).toEqual({ schema: "3", indexes: [], rows: [[2, "customers", "cus_2"], [3, "customers", "cus_3"]] });
    await b.close();
    const again = open(path);
    expect(loaded(again)).toEqual(["customers cus_2 renamed", "customers cus_3 cus_3"]);
    await again.write([customer("cus_4"), customer("cus_3", "changed"), { kind: "customers", id: "cus_2", record: undefined }]);
    expect(table(path).rows).toEqual([[3, "customers", "cus_3"], [4, "customers", "cus_4"]]);
    expect(loaded(again)).toEqual(["customers cus_3 changed", "customers cus_4 cus_4"]);
  });

  it("a delete in a batch the writer rolls back goes again with the same rowid", async () => {
    dir = mkdtempSync(join(tmpdir(), "emporium-records-"));
    const path = join(dir, "state.db");
    const b = open(path);
    await b.write([customer("cus_1"), customer("cus_2")]);
    // A record the writer cannot store (no id) makes it roll back the whole batch.
    const bad = { kind: "customers", id: null, record: { id: null } } as unknown as RecordWrite;
    await expect(b.write([{ kind: "customers", id: "cus_1", record: undefined }, bad])).rejects.toThrow(/could not write the state database/);
    expect(table(path).rows).toHaveLength(2);
    // The store announces the same change again.
    await b.write([{ kind: "customers", id: "cus_1", record: undefined }]);
    expect(table(path).rows).toEqual([[2, "customers", "cus_2"]]);
  });

  it("a state file of schema 2 (records keyed by kind and id) opens: its records move, in order, and are written and deleted as before", async () => {
    dir = mkdtempSync(join(tmpdir(), "emporium-records-"));
    const path = join(dir, "state.db");
    const old = new Database(path);
    old.pragma("journal_mode = WAL");
    old.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE records (kind TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (kind, id));
      INSERT INTO meta (key, value) VALUES ('schema', '2');
      ${EXECUTIONS_SCHEMA}
    `);
    const insert = old.prepare("INSERT INTO records (kind, id, data) VALUES (?, ?, ?)");
    for (const { kind, id, record } of [customer("cus_b"), customer("cus_a"), customer("cus_c")]) insert.run(kind, id, JSON.stringify(record));
    old.close();

    const b = open(path);
    expect(table(path)).toEqual({ schema: "3", indexes: [], rows: [[1, "customers", "cus_b"], [2, "customers", "cus_a"], [3, "customers", "cus_c"]] });
    expect(loaded(b)).toEqual(["customers cus_b cus_b", "customers cus_a cus_a", "customers cus_c cus_c"]);
    await b.write([customer("cus_a", "renamed"), customer("cus_d"), { kind: "customers", id: "cus_b", record: undefined }]);
    await b.close();
    open(path);
    expect(loaded(backend!)).toEqual(["customers cus_a renamed", "customers cus_c cus_c", "customers cus_d cus_d"]);
  });
});
