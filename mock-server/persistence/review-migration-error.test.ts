/**
 * Found in review (fixed): sqlite-backend.ts opens the state file, then runs the schema 2 → 3
 * migration (migrateFromSchema2) unguarded. When the migration fails (a full disk, an I/O error —
 * here a trigger that refuses the last step), the constructor throws SQLite's raw error, not a
 * StateDatabaseError naming the file and what to do (every other refusal at open is one), and it
 * leaves the file's connection open (the constructor never closes `db` on that path; not tested
 * here: libsql keeps descriptors after close, so counting them proves nothing).
 */
import Database from "libsql";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteBackend, StateDatabaseError } from "./sqlite-backend.ts";
import { createSecretBox } from "./secret-box.ts";
import { StateStores } from "./state-stores.ts";
import { writeSchema2StateFile } from "./schema2-state-file.ts";

const stores = new StateStores();
afterEach(() => stores.dispose());

describe("review: a schema-2 migration that fails at open", () => {
  it("throws a StateDatabaseError naming the file (what the operator sees at start), not SQLite's bare error", () => {
    const path = stores.freshPath();
    writeSchema2StateFile(path, 50);
    const db = new Database(path);
    db.exec("CREATE TRIGGER refuse AFTER UPDATE ON meta BEGIN SELECT RAISE(ABORT, 'disk gave up'); END;");
    db.close();
    let thrown: unknown;
    try {
      new SqliteBackend(path, { secrets: createSecretBox(Buffer.alloc(32, 1)) });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StateDatabaseError);
    expect((thrown as Error).message).toContain(path);
  });
});
