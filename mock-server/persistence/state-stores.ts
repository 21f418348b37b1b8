/**
 * SQLite stores on a fresh temporary directory, for the persistence review tests: opened,
 * restarted (closed and opened again on the same file) and all closed with the directory removed
 * after each test.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "libsql";
import { SqliteBackend } from "./sqlite-backend.ts";
import { createSecretBox } from "./secret-box.ts";

export class StateStores {
  readonly #open: SqliteBackend[] = [];
  readonly #box = createSecretBox(Buffer.alloc(32, 1));
  #dir: string | undefined;

  /** A new state file's path in this test's directory. */
  freshPath(): string {
    this.#dir ??= mkdtempSync(join(tmpdir(), "emporium-review-"));
    return join(this.#dir, `state-${this.#open.length}.db`);
  }

  open(path: string, checkpointBytes?: number): SqliteBackend {
    const store = new SqliteBackend(path, { secrets: this.#box, checkpointBytes });
    this.#open.push(store);
    return store;
  }

  /** The store closed (all of it committed) and its file opened again, as a restart does. */
  async restart(store: SqliteBackend): Promise<SqliteBackend> {
    this.#open.splice(this.#open.indexOf(store), 1);
    await store.close();
    return this.open(store.path);
  }

  /**
   * Makes the writer fail every batch that writes the record `kind/id` (an SQL trigger, from a
   * connection of the test's own): a failure of the writer itself, as a full disk would fail it,
   * where the whole batch counts for nothing and goes again; not a change refused alone.
   */
  failBatchesWriting(store: SqliteBackend, kind: string, id: string): void {
    const db = new Database(store.path);
    try {
      // A trigger takes no parameters: the test's own kind and id, as literals.
      db.exec(`CREATE TRIGGER "fail ${kind}/${id}" BEFORE INSERT ON records WHEN NEW.kind = '${kind}' AND NEW.id = '${id}' BEGIN SELECT RAISE(ABORT, 'failed by the test'); END`);
    } finally {
      db.close();
    }
  }

  /** Closes every store and removes the directory (afterEach). */
  async dispose(): Promise<void> {
    for (const store of this.#open.splice(0)) await store.close();
    if (this.#dir) rmSync(this.#dir, { recursive: true, force: true });
    this.#dir = undefined;
  }
}
