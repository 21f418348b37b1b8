/**
 * A record of a kind this version does not know (written by a newer version, then this one started
 * on its file): the platform skips it, but a key rotation must still re-seal its secrets. Before,
 * `loadRecords` yielded it as it was: its secrets stayed sealed under the old key on disk (the key
 * being rotated away, perhaps because it leaked), and a key file then dropped that key, so the
 * version that wrote the record could never open them again.
 *
 * The review's case: key rotation over records of kinds this version does not know (sqlite-backend.ts,
 * `resealedAnywhere`): kinds and fields named like Object.prototype's own (`__proto__`,
 * `constructor`, `toString`) are data, not lookups. A record of such a kind is re-sealed and kept
 * with every field it had (a `__proto__` field of the JSON stays an own field, its secret
 * re-sealed), no old-key text is left on disk, and after the old key is gone each secret opens with
 * the new key alone; a record of a known kind beside them loads as before.
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "libsql";
import { afterEach, expect, it } from "vitest";
import { SqliteBackend } from "./sqlite-backend.ts";
import { StateStores } from "./state-stores.ts";
import { createSecretBox, keyIdOf } from "./secret-box.ts";

const stores = new StateStores();
afterEach(() => stores.dispose());

/** The state file, its WAL and its shared memory, as text. */
const onDisk = (path: string) =>
  readdirSync(dirname(path))
    .filter((f) => f.startsWith("state-"))
    .map((f) => readFileSync(`${dirname(path)}/${f}`).toString("latin1"))
    .join("\n");

it("P7 a key rotation re-seals the secrets of a record of a kind this version does not know, leaves no old-key text on disk, and they open with the new key alone", async () => {
  const oldKey = Buffer.alloc(32, 3);
  const newKey = Buffer.alloc(32, 4);
  const oldBox = createSecretBox(oldKey);
  const path = stores.freshPath();
  const first = new SqliteBackend(path, { secrets: oldBox });
  [...first.loadRecords()];
  await first.close();
  // Written by another version, as it writes its records: secrets sealed anywhere in the record.
  const looksSealed = "enc:v1:ffffffff:not-a-key-this-platform-has";
  const written = { id: "fk_1", token: oldBox.seal("canary-fk-token"), nested: { list: ["plain", oldBox.seal("canary-fk-nested")] }, looksSealed };
  const other = new Database(path);
  other.prepare("INSERT INTO records (kind, id, data) VALUES ('futureKind', 'fk_1', ?)").run(JSON.stringify(written));
  other.close();

  const rotated = new SqliteBackend(path, { secrets: createSecretBox(newKey, [oldKey]) });
  const loaded = [...rotated.loadRecords()];
  expect(loaded.map((r) => r.kind)).toEqual(["futureKind"]);
  expect(rotated.resealed).toBe(1);
  await rotated.close();
  const disk = onDisk(path);
  expect(disk).not.toContain(`enc:v1:${keyIdOf(oldKey)}:`);
  expect(disk).not.toContain("canary-fk");

  // The old key is gone (a key file drops it after such a start): the secrets open with the new one.
  const newBox = createSecretBox(newKey);
  const again = new SqliteBackend(path, { secrets: newBox });
  const [record] = [...again.loadRecords()] as Array<{ record: typeof written }>;
  expect(again.resealed).toBe(0);
  expect(newBox.open(record.record.token)).toBe("canary-fk-token");
  expect(newBox.open(record.record.nested.list[1])).toBe("canary-fk-nested");
  expect(record.record.nested.list[0]).toBe("plain");
  expect(record.record.looksSealed).toBe(looksSealed);
  await again.close();
});

const KINDS = ["__proto__", "constructor", "toString", "hasOwnProperty"];

it("P7 a key rotation re-seals records of unknown kinds named __proto__, constructor, toString or hasOwnProperty, keeps their __proto__ and constructor fields as data, and leaves no old-key text on disk", async () => {
  const oldKey = Buffer.alloc(32, 5);
  const newKey = Buffer.alloc(32, 6);
  const oldBox = createSecretBox(oldKey);
  const path = stores.freshPath();
  const first = new SqliteBackend(path, { secrets: oldBox });
  [...first.loadRecords()];
  await first.close();

  // Written by another version: JSON text as it stores it, with prototype-named fields.
  const textOf = (kind: string) =>
    `{"id":"x_${kind}","__proto__":{"token":${JSON.stringify(oldBox.seal(`canary-proto-${kind}`))}},"constructor":[${JSON.stringify(oldBox.seal(`canary-ctor-${kind}`))},"plain"],"note":"kept"}`;
  const other = new Database(path);
  const insert = other.prepare("INSERT INTO records (kind, id, data) VALUES (?, ?, ?)");
  for (const kind of KINDS) insert.run(kind, `x_${kind}`, textOf(kind));
  insert.run("customers", "cus_known", JSON.stringify({ id: "cus_known", organizationId: "org_1", externalId: "e", name: "Known", createdAt: 1 }));
  other.close();

  const rotated = new SqliteBackend(path, { secrets: createSecretBox(newKey, [oldKey]) });
  const loaded = [...rotated.loadRecords()];
  expect(loaded.map((r) => `${r.kind}/${r.id}`).sort()).toEqual(["__proto__/x___proto__", "constructor/x_constructor", "customers/cus_known", "hasOwnProperty/x_hasOwnProperty", "toString/x_toString"]);
  expect(rotated.resealed).toBe(KINDS.length);
  await rotated.close();

  const disk = onDisk(path);
  expect(disk).not.toContain(`enc:v1:${keyIdOf(oldKey)}:`);
  expect(disk).not.toContain("canary-");

  // The old key is gone: each secret opens with the new one, every field as it was.
  const newBox = createSecretBox(newKey);
  const reader = new Database(path);
  const rows = reader.prepare("SELECT kind, data FROM records WHERE kind <> 'customers' ORDER BY kind").all() as Array<{ kind: string; data: string }>;
  reader.close();
  expect(rows.map((row) => row.kind)).toEqual([...KINDS].sort());
  for (const { kind, data } of rows) {
    const record = JSON.parse(data) as Record<string, unknown>;
    expect(Object.keys(record)).toEqual(["id", "__proto__", "constructor", "note"]);
    expect(newBox.open((record.__proto__ as { token: string }).token)).toBe(`canary-proto-${kind}`);
    const [sealed, plain] = record.constructor as unknown as string[];
    expect(newBox.open(sealed)).toBe(`canary-ctor-${kind}`);
    expect(plain).toBe("plain");
    expect(record.note).toBe("kept");
  }
  const again = new SqliteBackend(path, { secrets: newBox });
  const known = [...again.loadRecords()].find((r) => r.kind === "customers");
  expect(again.resealed).toBe(0);
  expect(known?.record).toEqual({ id: "cus_known", organizationId: "org_1", externalId: "e", name: "Known", createdAt: 1 });
  await again.close();
});
