/**
 * Review of the key rotation over records of kinds this version does not know (sqlite-backend.ts,
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

  const disk = readdirSync(dirname(path))
    .filter((f) => f.startsWith("state-"))
    .map((f) => readFileSync(`${dirname(path)}/${f}`).toString("latin1"))
    .join("\n");
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
