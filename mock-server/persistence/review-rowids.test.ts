/**
 * Review of records by rowid (schema 3, sqlite-backend.ts): the main thread's map of each
 * record's rowid must stay true through replaces, deletes and re-adds, concurrent writes, failed
 * batches and restarts — a wrong rowid would overwrite another record, leave a duplicate, or bring
 * a deleted one back. Also: kinds this version does not know, and a schema-2 migration that fails.
 */
import Database from "libsql";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteBackend } from "./sqlite-backend.ts";
import { StateStores } from "./state-stores.ts";
import { createSecretBox } from "./secret-box.ts";
import { writeSchema2StateFile } from "./schema2-state-file.ts";
import type { RecordWrite } from "../domain/changes.ts";

const stores = new StateStores();
afterEach(() => stores.dispose());

const fresh = () => stores.freshPath();
const open = (path: string) => stores.open(path);
const reopen = (b: SqliteBackend) => stores.restart(b);
/** Restarts the store and checks what it reads back. */
async function afterRestart(b: SqliteBackend, expected: string[]): Promise<SqliteBackend> {
  const again = await reopen(b);
  expect(loaded(again)).toEqual(expected);
  return again;
}
const customer = (id: string, name = id): RecordWrite => ({ kind: "customers", id, record: { id, organizationId: "org_1", externalId: id, name, createdAt: 0 } });
const gone = (id: string): RecordWrite => ({ kind: "customers", id, record: undefined });
/** A record the writer cannot store (no id): the writer rolls back the whole batch. */
const poison = { kind: "customers", id: null, record: { id: null } } as unknown as RecordWrite;
const loaded = (b: SqliteBackend) => [...b.loadRecords()].map(({ kind, id, record }) => `${kind} ${id} ${(record as { name?: string }).name ?? ""}`).sort();

/** Every row of the records table, read by a separate connection: [rowid, kind, id]. */
function rows(path: string): Array<[number, string, string]> {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare("SELECT rowid, kind, id FROM records ORDER BY rowid").raw().all() as Array<[number, string, string]>;
  } finally {
    db.close();
  }
}
/** Each (kind, id) appears once. */
function expectNoDuplicates(path: string): void {
  const keys = rows(path).map(([, kind, id]) => `${kind} ${id}`);
  expect(keys).toEqual([...new Set(keys)]);
}

describe("review: records by rowid", () => {
  it("a record replaced, deleted and added again across batches is one row with its last content; after a restart it is still one row and a new delete removes only it", async () => {
    const path = fresh();
    let b = open(path);
    await b.write([customer("cus_a"), customer("cus_b"), customer("cus_c")]);
    await b.write([customer("cus_b", "replaced")]);
    await b.write([gone("cus_b")]);
    await b.write([customer("cus_b", "again")]);
    await b.write([customer("cus_b", "again and replaced")]);
    expectNoDuplicates(path);
    expect(loaded(b)).toEqual(["customers cus_a cus_a", "customers cus_b again and replaced", "customers cus_c cus_c"]);
    b = await afterRestart(b, ["customers cus_a cus_a", "customers cus_b again and replaced", "customers cus_c cus_c"]);
    await b.write([gone("cus_b"), customer("cus_d")]);
    await b.write([customer("cus_b", "third life")]);
    await b.write([gone("cus_b")]);
    expectNoDuplicates(path);
    b = await afterRestart(b, ["customers cus_a cus_a", "customers cus_c cus_c", "customers cus_d cus_d"]);
  });

  it("rowids freed by deletes at the end of the table are taken again after a restart without touching a deleted record's successor or bringing it back", async () => {
    const path = fresh();
    let b = open(path);
    await b.write([customer("cus_1"), customer("cus_2"), customer("cus_3"), customer("cus_4")]);
    await b.write([gone("cus_3"), gone("cus_4")]);
    b = await afterRestart(b, ["customers cus_1 cus_1", "customers cus_2 cus_2"]);
    // The next rowid after the restart is 3 (the largest left is 2): the new records take 3 and 4.
    await b.write([customer("cus_5"), customer("cus_6")]);
    // A delete of the old cus_3 (gone) must not remove cus_5, which now has its rowid.
    await b.write([gone("cus_3"), gone("cus_4")]);
    expect(loaded(b)).toEqual(["customers cus_1 cus_1", "customers cus_2 cus_2", "customers cus_5 cus_5", "customers cus_6 cus_6"]);
    b = await afterRestart(b, ["customers cus_1 cus_1", "customers cus_2 cus_2", "customers cus_5 cus_5", "customers cus_6 cus_6"]);
    expectNoDuplicates(path);
  });

  it("two writes in flight at once: a delete then a re-add keeps the record; an add then a delete removes it, and its next add is a single row", async () => {
    const path = fresh();
    const b = open(path);
    await b.write([customer("cus_a")]);
    await Promise.all([b.write([gone("cus_a")]), b.write([customer("cus_a", "back")])]);
    expect(loaded(b)).toEqual(["customers cus_a back"]);
    await Promise.all([b.write([customer("cus_n")]), b.write([gone("cus_n")])]);
    expect(loaded(b)).toEqual(["customers cus_a back"]);
    await b.write([customer("cus_n", "made again")]);
    expectNoDuplicates(path);
    const again = await reopen(b);
    expect(loaded(again)).toEqual(["customers cus_a back", "customers cus_n made again"]);
  });

  it("a failed batch after the rowid map took a new record's rowid: the store's retry writes it once, at one rowid, and the rolled-back delete in it happens", async () => {
    const path = fresh();
    let b = open(path);
    await b.write([customer("cus_a"), customer("cus_b")]);
    // The batch assigns cus_new a rowid and plans cus_a's delete, then the writer rolls it back.
    await expect(b.write([customer("cus_new"), gone("cus_a"), poison])).rejects.toThrow(/could not write the state database/);
    expect(rows(path).map(([, , id]) => id)).toEqual(["cus_a", "cus_b"]);
    // Meanwhile another record is made: it must not take cus_new's rowid.
    await b.write([customer("cus_other")]);
    // The store announces the failed batch's records again, as they are now.
    await b.write([customer("cus_new", "retried"), gone("cus_a")]);
    expectNoDuplicates(path);
    expect(loaded(b)).toEqual(["customers cus_b cus_b", "customers cus_new retried", "customers cus_other cus_other"]);
    b = await afterRestart(b, ["customers cus_b cus_b", "customers cus_new retried", "customers cus_other cus_other"]);
  });

  it("a failed batch whose new record is deleted before the retry leaves nothing behind, and a failed batch then a restart forgets the rowid it had planned", async () => {
    const path = fresh();
    let b = open(path);
    await b.write([customer("cus_a")]);
    await expect(b.write([customer("cus_tmp"), poison])).rejects.toThrow(/could not write the state database/);
    // Deleted in memory before the retry: the retry names it as deleted.
    await b.write([gone("cus_tmp")]);
    expect(loaded(b)).toEqual(["customers cus_a cus_a"]);
    await expect(b.write([customer("cus_lost"), gone("cus_a"), poison])).rejects.toThrow(/could not write the state database/);
    b = await afterRestart(b, ["customers cus_a cus_a"]);
    await b.write([customer("cus_lost", "after restart"), customer("cus_z")]);
    expectNoDuplicates(path);
    b = await afterRestart(b, ["customers cus_a cus_a", "customers cus_lost after restart", "customers cus_z cus_z"]);
  });

  it("records of a kind this version does not know keep their rows: new records never take their rowid, and they are read again after a restart", async () => {
    const path = fresh();
    let b = open(path);
    await b.write([customer("cus_1")]);
    await b.close();
    // A later version wrote a record of a kind this one does not know, at a high rowid.
    const db = new Database(path);
    db.prepare("INSERT INTO records (rowid, kind, id, data) VALUES (50, 'futureKind', 'fut_1', ?)").run(JSON.stringify({ id: "fut_1", v: 1 }));
    db.close();
    b = open(path);
    const all = [...b.loadRecords()];
    expect(all.map((r) => `${r.kind} ${r.id}`).sort()).toEqual(["customers cus_1", "futureKind fut_1"]);
    await b.write([customer("cus_2"), customer("cus_1", "renamed")]);
    expect(rows(path)).toEqual([
      [1, "customers", "cus_1"],
      [50, "futureKind", "fut_1"],
      [51, "customers", "cus_2"],
    ]);
    b = await reopen(b);
    expect([...b.loadRecords()].find((r) => r.kind === "futureKind")?.record).toEqual({ id: "fut_1", v: 1 });
  });

  it("a store opened without reading its records first (no loadRecords) still knows every rowid on its first write", async () => {
    const path = fresh();
    let b = open(path);
    await b.write([customer("cus_1"), customer("cus_2")]);
    b = await reopen(b);
    await b.write([customer("cus_2", "renamed"), gone("cus_1"), customer("cus_3")]);
    expectNoDuplicates(path);
    expect(rows(path).map(([, , id]) => id)).toEqual(["cus_2", "cus_3"]);
    expect(loaded(b)).toEqual(["customers cus_2 renamed", "customers cus_3 cus_3"]);
  });
});

describe("review: re-sealing after a key rotation writes by rowid", () => {
  it("the records sealed again with the new key keep their rows (no second row per record), and the next open with the new key alone reads them", async () => {
    const path = fresh();
    const oldKey = Buffer.alloc(32, 21);
    const newKey = Buffer.alloc(32, 22);
    const endpoint = (id: string, secret: string): RecordWrite => ({ kind: "notificationEndpoints", id, record: { id, secrets: [{ secret, createdAt: 0 }] } });
    const first = new SqliteBackend(path, { secrets: createSecretBox(oldKey) });
    await first.write([endpoint("end_1", "whsec-one"), customer("cus_1"), endpoint("end_2", "whsec-two")]);
    await first.write([endpoint("end_1", "whsec-one-rotated")]);
    await first.close();
    const before = rows(path);

    const rotated = new SqliteBackend(path, { secrets: createSecretBox(newKey, [oldKey]) });
    try {
      expect([...rotated.loadRecords()]).toHaveLength(3);
      expect(rotated.resealed).toBe(2);
      expect(rows(path)).toEqual(before);
      // A write after the re-sealing replaces in place too.
      await rotated.write([endpoint("end_2", "whsec-two-again")]);
      expect(rows(path)).toEqual(before);
    } finally {
      await rotated.close();
    }
    const only = new SqliteBackend(path, { secrets: createSecretBox(newKey) });
    try {
      const secrets = [...only.loadRecords()].filter((r) => r.kind === "notificationEndpoints").map((r) => (r.record as { secrets: Array<{ secret: string }> }).secrets[0].secret);
      expect(secrets).toEqual(["whsec-one-rotated", "whsec-two-again"]);
      expect(only.resealed).toBe(0);
    } finally {
      await only.close();
    }
  });
});

describe("review: schema 2 → 3 migration", () => {
  it("an error on the migration's last statement rolls all of it back: the file is still schema 2 with every record, and the next open migrates it once", async () => {
    const path = fresh();
    writeSchema2StateFile(path, 300);
    // A trigger fails the migration's last step (marking the schema 3), after the copy, the drop and the rename.
    const db = new Database(path);
    db.exec("CREATE TRIGGER refuse AFTER UPDATE ON meta BEGIN SELECT RAISE(ABORT, 'disk gave up'); END;");
    db.close();
    expect(() => open(path)).toThrow(/disk gave up/);
    const check = new Database(path, { readonly: true });
    try {
      expect((check.prepare("SELECT value FROM meta WHERE key = 'schema'").raw().get() as [string])[0]).toBe("2");
      expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'records%' ORDER BY name").raw().all()).toEqual([["records"]]);
      expect((check.prepare("SELECT count(*) FROM records").raw().get() as [number])[0]).toBe(300);
    } finally {
      check.close();
    }
    const fix = new Database(path);
    fix.exec("DROP TRIGGER refuse");
    fix.close();
    let b = open(path);
    expect(rows(path)).toHaveLength(300);
    expectNoDuplicates(path);
    b = await reopen(b);
    expect(loaded(b)).toHaveLength(300);
    expect(rows(path)).toHaveLength(300);
  });
});
