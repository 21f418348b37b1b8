/**
 * The server's persistence: one SQLite database (libsql, a better-sqlite3-compatible build whose
 * native binary comes from the npm registry, see docs/performance.md for why) holding every record
 * as one row (its secrets sealed, secret-box.ts) and the executions (sqlite-executions.ts).
 *
 * Durability with group commit, off the event loop: SQLite writes each batch into its WAL with
 * `synchronous = OFF` (page-cache writes, no fsync, microseconds), then this backend calls
 * `fdatasync` on the WAL through libuv's thread pool and only then resolves the write, so the
 * answers of every request in the batch leave after one fsync that covers all of them. That is
 * the same guarantee as SQLite's own `synchronous = FULL` in WAL mode (the WAL is synced at each
 * commit), without blocking the event loop for the fsync. Checkpoints (copying the WAL into the
 * database) are run by this backend with `synchronous = FULL`, so the database file is synced
 * before the WAL restarts: a power loss at any moment leaves either the old or the new state.
 */
import Database from "libsql";
import { closeSync, fstatSync, fsyncSync, openSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { recordKinds, type RecordKindName } from "../domain/store.ts";
import { SqliteExecutions } from "./sqlite-executions.ts";
import type { RecordWrite, StoreBackend, StoredRecord } from "../domain/changes.ts";
import type { SecretBox } from "./secret-box.ts";

const SCHEMA_VERSION = "2";
/** The WAL is copied into the database once it passes this size (a pause of a few ms per 32 MiB). */
const CHECKPOINT_BYTES = 32 * 1024 * 1024;

export class StateDatabaseError extends Error {
  override readonly name = "StateDatabaseError";
}

export interface SqliteBackendOptions {
  /** Seals and opens secrets at rest. */
  secrets: SecretBox;
  /** WAL size that triggers a checkpoint (tests use a small one). */
  checkpointBytes?: number;
}

function fsyncDirectory(path: string): void {
  try {
    const fd = openSync(dirname(path), "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems cannot fsync a directory; the database's own writes are still synced.
  }
}

function sealWith(kind: RecordKindName, record: unknown, transform: (secret: string) => string): unknown {
  const secrets = recordKinds[kind].secrets as ((record: unknown, seal: (s: string) => string) => unknown) | undefined;
  return secrets ? secrets(record, transform) : record;
}

export class SqliteBackend implements StoreBackend {
  readonly executions: SqliteExecutions;
  readonly path: string;
  readonly #db: Database.Database;
  readonly #secrets: SecretBox;
  readonly #checkpointBytes: number;
  readonly #putRecord: Database.Statement<[string, string, string]>;
  readonly #deleteRecord: Database.Statement<[string, string]>;
  readonly #writeBatch: (records: RecordWrite[]) => void;
  #wal: FileHandle | undefined;
  #closed = false;

  constructor(path: string, options: SqliteBackendOptions) {
    this.path = path;
    this.#secrets = options.secrets;
    this.#checkpointBytes = options.checkpointBytes ?? CHECKPOINT_BYTES;
    let db: Database.Database;
    try {
      db = new Database(path);
      db.pragma("journal_mode = WAL");
    } catch (error) {
      throw new StateDatabaseError(`${path} is not a platform state database (${(error as Error).message}); refusing to start over it. Move it away to start fresh.`);
    }
    this.#db = db;
    // This backend syncs the WAL itself (see the file header) and checkpoints itself.
    db.pragma("synchronous = OFF");
    db.pragma("wal_autocheckpoint = 0");
    // Replaced and deleted rows are overwritten with zeros, not left in free pages: after a key
    // rotation no ciphertext under the old key lingers in the file.
    db.pragma("secure_delete = ON");
    db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS records (kind TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (kind, id));
    `);
    const version = (db.prepare("SELECT value FROM meta WHERE key = 'schema'").raw().get() as [string] | undefined)?.[0];
    if (version === undefined) db.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?)").run(SCHEMA_VERSION);
    else if (version !== SCHEMA_VERSION) throw new StateDatabaseError(`${path} was written by another version of the platform (schema ${version}, this one reads ${SCHEMA_VERSION}).`);
    this.executions = new SqliteExecutions(db);
    this.#putRecord = db.prepare("INSERT OR REPLACE INTO records (kind, id, data) VALUES (?, ?, ?)");
    this.#deleteRecord = db.prepare("DELETE FROM records WHERE kind = ? AND id = ?");
    // One transaction per batch, ended by the executions' commit: retention's deletes and the
    // pending runs a query wrote since the last batch are in it already (sqlite-executions.ts).
    this.#writeBatch = (records: RecordWrite[]) =>
      this.executions.commit(() => {
        for (const { kind, id, record } of records) {
          if (record === undefined) this.#deleteRecord.run(kind, id);
          else this.#putRecord.run(kind, id, JSON.stringify(sealWith(kind, record, this.#secrets.seal)));
        }
      });
    // The schema and the files are on disk before anything is answered.
    this.#checkpoint();
    fsyncDirectory(path);
  }

  /**
   * Every record, secrets opened. In the same pass, a record holding a secret that is not sealed
   * with the primary key (after a key rotation, or a secret stored before its field was one) is
   * sealed again with it, durably, once the last record is read (`resealed` counts them): the
   * start reads the records once, not twice (at 50,000 instances a second pass cost ~1.5 s).
   */
  *loadRecords(): Iterable<StoredRecord> {
    const stale: RecordWrite[] = [];
    for (const [kind, id, data] of this.#db.prepare("SELECT kind, id, data FROM records").raw().iterate() as IterableIterator<[string, string, string]>) {
      const record = JSON.parse(data) as unknown;
      if (!Object.hasOwn(recordKinds, kind)) {
        yield { kind, id, record };
        continue;
      }
      let old = false;
      const opened = sealWith(kind as RecordKindName, record, (value) => {
        if (this.#secrets.keyIdOf(value) !== this.#secrets.primaryKeyId) old = true;
        return this.#secrets.open(value);
      });
      if (old) stale.push({ kind: kind as RecordKindName, id, record: opened });
      yield { kind, id, record: opened };
    }
    if (stale.length > 0) {
      this.#writeBatch(stale);
      this.#checkpoint();
    }
    this.resealed = stale.length;
  }

  /** How many records the last full `loadRecords` pass sealed again with the primary key. */
  resealed = 0;

  async write(records: RecordWrite[]): Promise<void> {
    if (this.#closed) throw new StateDatabaseError("the state database is closed");
    this.#writeBatch(records);
    this.#wal ??= await open(`${this.path}-wal`, "r");
    await this.#wal.datasync();
    // Not while the next batch's transaction is open (a query opened it during the fsync): the
    // checkpoint waits for a write that finds none open.
    if (!this.#db.inTransaction && fstatSync(this.#wal.fd).size > this.#checkpointBytes) this.#checkpoint();
  }

  /** Copies the WAL into the database file with full syncs, then empties it (see the file header). */
  #checkpoint(): void {
    this.#db.pragma("synchronous = FULL");
    try {
      this.#db.pragma("wal_checkpoint(TRUNCATE)");
    } finally {
      this.#db.pragma("synchronous = OFF");
    }
  }

  /** Bytes on disk: the database and its WAL. */
  sizeOnDisk(): number {
    const page = this.#db.pragma("page_size", { simple: true }) as number;
    const pages = this.#db.pragma("page_count", { simple: true }) as number;
    return page * pages + (this.#wal ? fstatSync(this.#wal.fd).size : 0);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Runs a query wrote into an open transaction after the last write: committed (and synced by
    // the checkpoint, which syncs the WAL before copying it).
    if (this.#db.inTransaction) this.#writeBatch([]);
    this.#checkpoint();
    await this.#wal?.close();
    this.#db.close();
  }
}
