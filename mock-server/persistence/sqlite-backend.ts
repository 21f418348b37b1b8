/**
 * The server's persistence: one SQLite database (libsql, a better-sqlite3-compatible build whose
 * native binary comes from the npm registry, see docs/performance.md for why) holding every record
 * as one row (its secrets sealed, secret-box.ts) and the executions (sqlite-executions.ts).
 *
 * Two connections, two threads. The main thread reads (records once at start, executions by
 * page) and prepares each batch: the records sealed and serialised, the executions' changes in
 * order. A writer thread (sqlite-writer.js, node:worker_threads) applies the batch in one
 * transaction with `synchronous = OFF`, calls `fdatasync` on the WAL and only then answers, so
 * the answers of every request in the batch leave after one fsync that covers all of them, and
 * SQLite's inserts, commits, WAL writes, fsyncs and checkpoints run on the machine's second core
 * instead of the event loop that answers requests. That is the guarantee of SQLite's own
 * `synchronous = FULL` in WAL mode (the WAL is synced at each commit). Checkpoints (copying the
 * WAL into the database) run on the writer with `synchronous = FULL`, so the database file is
 * synced before the WAL restarts: a power loss at any moment leaves either the old or the new state.
 */
import Database from "libsql";
import { closeSync, fsyncSync, openSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { recordKinds, type RecordKindName } from "../domain/store.ts";
import { SqliteExecutions } from "./sqlite-executions.ts";
import { WriterFrame } from "./writer-frame.ts";
import { jsonText, recordRefusal, UnstorableChangeError, type RefusedChange, type RecordWrite, type StoreBackend, type StoredRecord } from "../domain/changes.ts";
import type { SecretBox } from "./secret-box.ts";
import { LoggableError } from "../domain/log-text.ts";

/**
 * 3: records are addressed by rowid (the main thread keeps each record's), with no index on
 * (kind, id); 2 had that key as the table's primary key. A schema-2 file is migrated at open.
 */
const SCHEMA_VERSION = "3";
/** The WAL is copied into the database once it passes this size (a pause of the writer of a few ms per 32 MiB). */
const CHECKPOINT_BYTES = 32 * 1024 * 1024;
/** How long a start-up write (re-sealing after a key rotation) may wait for the writer thread. */
const SYNC_WRITE_TIMEOUT_MS = 60_000;

/** The state database cannot be used; its message (a path, SQLite's words) may be logged. */
export class StateDatabaseError extends LoggableError {
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

/**
 * Schema 2 → 3: the records move, in their order, to a table with no (kind, id) key. One
 * transaction; the old table's pages are zeroed as they are freed (they hold the same sealed text).
 */
function migrateFromSchema2(db: Database.Database): void {
  db.pragma("secure_delete = ON");
  db.exec("BEGIN");
  try {
    db.exec(`
      CREATE TABLE records_3 (kind TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL);
      INSERT INTO records_3 (kind, id, data) SELECT kind, id, data FROM records ORDER BY rowid;
      DROP TABLE records;
      ALTER TABLE records_3 RENAME TO records;
      UPDATE meta SET value = '${SCHEMA_VERSION}' WHERE key = 'schema';
    `);
    db.exec("COMMIT");
  } catch (error) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw error;
  }
}

/** The inner map of `kind`, made on first use. */
function byKind<V>(maps: Map<string, Map<string, V>>, kind: string): Map<string, V> {
  let map = maps.get(kind);
  if (!map) maps.set(kind, (map = new Map()));
  return map;
}

/** `record` with its kind's secrets passed through `transform`; a kind this version does not know is written as it is (see `resealedAnywhere`). */
function sealWith(kind: RecordKindName, record: unknown, transform: (secret: string) => string): unknown {
  const secrets = (Object.hasOwn(recordKinds, kind) ? recordKinds[kind].secrets : undefined) as ((record: unknown, seal: (s: string) => string) => unknown) | undefined;
  return secrets ? secrets(record, transform) : record;
}

/**
 * A record of a kind this version does not know (written by another version), with every value
 * sealed under a previous key sealed again with the primary one; the same object when none is.
 * Which of its fields are secrets is not known here, but a sealed value says so itself. A value
 * that only looks sealed (a key id this box does not have, or it does not open) stays as it is:
 * this version cannot read the record anyway.
 */
function resealedAnywhere(value: unknown, box: SecretBox): unknown {
  if (typeof value === "string") {
    const keyId = box.keyIdOf(value);
    if (keyId === undefined || keyId === box.primaryKeyId) return value;
    try {
      return box.seal(box.open(value));
    } catch {
      return value;
    }
  }
  if (typeof value !== "object" || value === null) return value;
  let changed = false;
  const each = (item: unknown) => {
    const resealed = resealedAnywhere(item, box);
    if (resealed !== item) changed = true;
    return resealed;
  };
  const out = Array.isArray(value) ? value.map(each) : Object.fromEntries(Object.entries(value).map(([key, item]) => [key, each(item)]));
  return changed ? out : value;
}

/** What a message to the writer thread (sqlite-writer.js) asks besides writing its frame. */
interface WriterFlags {
  /** Copy the WAL into the database after this batch. */
  checkpoint?: boolean;
  close?: boolean;
}

/** The writer's answer: the batch's id once it is durable, or the id and why it was rolled back. */
type WriterAnswer = number | { id: number; error: string };

export class SqliteBackend implements StoreBackend {
  readonly executions: SqliteExecutions;
  readonly path: string;
  readonly #db: Database.Database;
  readonly #secrets: SecretBox;
  readonly #worker: Worker;
  readonly #port: MessagePort;
  readonly #signal = new Int32Array(new SharedArrayBuffer(4));
  readonly #waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  #sent = 0;
  /**
   * Each stored record's rowid, by kind and id (read with the records, or on the first write).
   * A map per kind, not one keyed by `${kind} ${id}`: the id is the table's own key string, whose
   * hash V8 has cached, where a joined key was a new string to flatten and hash on every write.
   */
  #rowids: Map<string, Map<string, number>> | undefined;
  #nextRowid = 1;
  /** Records deleted by a write not yet durable (by kind and id: the write's number): their rowids stay known until it is. */
  readonly #deleting = new Map<string, Map<string, number>>();
  #writes = 0;
  #failure: Error | undefined;
  #closed = false;

  constructor(path: string, options: SqliteBackendOptions) {
    this.path = path;
    this.#secrets = options.secrets;
    let db: Database.Database;
    try {
      db = new Database(path);
      db.pragma("journal_mode = WAL");
    } catch (error) {
      throw new StateDatabaseError(`${path} is not a platform state database (${(error as Error).message}); refusing to start over it. Move it away to start fresh.`);
    }
    this.#db = db;
    // This connection only reads once the writer runs; a checkpoint may hold the WAL a moment.
    db.pragma("busy_timeout = 10000");
    db.pragma("wal_autocheckpoint = 0");
    // Records carry no index: each is written and deleted by its rowid, which this side keeps
    // (`#rowids`). With (kind, id) as the key, every webhook's mocked-app record (random ids) and
    // its cap's delete landed in a random leaf of that index: ~14 of a 25-webhook batch's 62 WAL
    // pages, nearly every leaf rewritten by every batch. By rowid, new records append and the cap
    // removes the oldest, which sit together.
    db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS records (kind TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL);
    `);
    const version = (db.prepare("SELECT value FROM meta WHERE key = 'schema'").raw().get() as [string] | undefined)?.[0];
    if (version === undefined) db.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?)").run(SCHEMA_VERSION);
    else if (version === "2") {
      try {
        migrateFromSchema2(db);
      } catch (error) {
        // The migration is one transaction: it rolled back, the file is as it was.
        db.close();
        throw new StateDatabaseError(`${path} could not be migrated from schema 2 to ${SCHEMA_VERSION} (${(error as Error).message}); the file is unchanged. Free disk space or fix the cause, then start again.`);
      }
    } else if (version !== SCHEMA_VERSION) throw new StateDatabaseError(`${path} was written by another version of the platform (schema ${version}, this one reads ${SCHEMA_VERSION}).`);
    this.executions = new SqliteExecutions(db);
    // The schema and the files are on disk before anything is answered.
    db.pragma("synchronous = FULL");
    db.pragma("wal_checkpoint(TRUNCATE)");
    fsyncDirectory(path);

    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    this.#worker = new Worker(new URL("./sqlite-writer.js", import.meta.url), {
      workerData: { path, checkpointBytes: options.checkpointBytes ?? CHECKPOINT_BYTES, port: port2, signal: this.#signal },
      transferList: [port2],
    });
    // Only a write in flight keeps the process alive (`#send` refs the port while one is).
    this.#worker.unref();
    port1.on("message", (answer: WriterAnswer) => this.#answered(answer));
    port1.unref();
    const died = (error: Error) => {
      this.#failure = new StateDatabaseError(`the state database's writer thread stopped: ${error.message}`);
      for (const waiter of this.#waiting.values()) waiter.reject(this.#failure);
      this.#waiting.clear();
    };
    this.#worker.on("error", died);
    this.#worker.on("exit", (code) => {
      if (!this.#closed) died(new Error(`exit code ${code}`));
    });
  }

  #answered(answer: WriterAnswer): void {
    const id = typeof answer === "number" ? answer : answer.id;
    const waiter = this.#waiting.get(id);
    if (!waiter) return;
    this.#waiting.delete(id);
    if (this.#waiting.size === 0) this.#port.unref();
    if (typeof answer === "number") waiter.resolve();
    else waiter.reject(new StateDatabaseError(`could not write the state database: ${answer.error}`));
  }

  /** Hands a batch to the writer; resolves once it is committed and fsync'd. */
  #send(frame: WriterFrame, flags: WriterFlags = {}): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = ++this.#sent;
    const done = new Promise<void>((resolve, reject) => this.#waiting.set(id, { resolve, reject }));
    this.#port.ref();
    this.#post(id, frame, flags, false);
    return done;
  }

  /** The message of batch `id` to the writer thread (sqlite-writer.js reads it); `sync`: answered through `#signal` too. */
  #post(id: number, frame: WriterFrame, flags: WriterFlags, sync: boolean): void {
    const { texts, layout } = frame.message();
    this.#port.postMessage({ id, texts, layout, checkpoint: flags.checkpoint === true, close: flags.close === true, sync });
  }

  /**
   * The same, waiting on this thread (Atomics.wait) for the answer: only at start, where the
   * loading pass must know its re-sealed records are on disk before it returns.
   */
  #sendAndWait(frame: WriterFrame, flags: WriterFlags): void {
    if (this.#failure) throw this.#failure;
    const id = ++this.#sent;
    let failed: Error | undefined;
    let answered = false;
    this.#waiting.set(id, { resolve: () => (answered = true), reject: (error) => ((failed = error), (answered = true)) });
    this.#post(id, frame, flags, true);
    const deadline = Date.now() + SYNC_WRITE_TIMEOUT_MS;
    for (;;) {
      const seen = Atomics.load(this.#signal, 0);
      if (seen === id) break;
      if (Date.now() > deadline || Atomics.wait(this.#signal, 0, seen, deadline - Date.now()) === "timed-out") {
        throw new StateDatabaseError("the state database's writer thread did not answer");
      }
    }
    // The answer (and any earlier ones) wait on the port: take them now.
    for (let received = receiveMessageOnPort(this.#port); received && !answered; received = receiveMessageOnPort(this.#port)) {
      this.#answered(received.message as WriterAnswer);
    }
    if (failed) throw failed;
  }

  #rowidMap(): Map<string, Map<string, number>> {
    if (!this.#rowids) {
      this.#rowids = new Map();
      for (const [rowid, kind, id] of this.#db.prepare("SELECT rowid, kind, id FROM records").raw().iterate() as IterableIterator<[number, string, string]>) this.#known(rowid, kind, id);
    }
    return this.#rowids;
  }

  #known(rowid: number, kind: string, id: string): void {
    byKind(this.#rowids!, kind).set(id, rowid);
    if (rowid >= this.#nextRowid) this.#nextRowid = rowid + 1;
  }

  /**
   * Adds these records to the writer's frame: a new record gets the next rowid, a deleted one that
   * was never stored is skipped. A deleted record's rowid is forgotten once the write is durable
   * (`forget`): if it fails, the delete goes again with the same rowid. A record whose sealed JSON
   * throws, or whose row is too big for SQLite, is left out, named in `refused` (see
   * UnstorableChangeError).
   */
  #frameRecords(frame: WriterFrame, records: RecordWrite[], write: number, refused: RefusedChange[]): WriterFrame {
    const all = this.#rowidMap();
    for (const { kind, id, record } of records) {
      const rowids = byKind(all, kind);
      let rowid = rowids.get(id);
      if (record === undefined) {
        if (rowid === undefined) continue;
        byKind(this.#deleting, kind).set(id, write);
        frame.unrecord(rowid);
        continue;
      }
      try {
        frame.record(rowid ?? this.#nextRowid, kind, id, jsonText(sealWith(kind, record, this.#secrets.seal)));
      } catch (error) {
        refused.push(recordRefusal(kind, id, error));
        continue;
      }
      this.#deleting.get(kind)?.delete(id);
      if (rowid === undefined) rowids.set(id, this.#nextRowid++);
    }
    return frame;
  }

  /** The records a durable write deleted (unless written again since) are gone: their rowids too. */
  #forget(write: number): void {
    for (const [kind, deleting] of this.#deleting) {
      for (const [id, at] of deleting) {
        if (at !== write) continue;
        deleting.delete(id);
        this.#rowids?.get(kind)?.delete(id);
      }
    }
  }

  /**
   * Every record, secrets opened. In the same pass, a record holding a secret that is not sealed
   * with the primary key (after a key rotation, or a secret stored before its field was one) is
   * sealed again with it, durably, once the last record is read (`resealed` counts them): the
   * start reads the records once, not twice (at 50,000 instances a second pass cost ~1.5 s).
   */
  *loadRecords(): Iterable<StoredRecord> {
    const stale: RecordWrite[] = [];
    this.#rowids = new Map();
    for (const [rowid, kind, id, data] of this.#db.prepare("SELECT rowid, kind, id, data FROM records").raw().iterate() as IterableIterator<[number, string, string, string]>) {
      this.#known(rowid, kind, id);
      const record = JSON.parse(data) as unknown;
      if (!Object.hasOwn(recordKinds, kind)) {
        // Not read by this version, but re-sealed all the same: a key rotation leaves no secret
        // under the old key (which a key file then forgets, and the other version needs).
        const resealed = resealedAnywhere(record, this.#secrets);
        if (resealed !== record) stale.push({ kind: kind as RecordKindName, id, record: resealed });
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
    // Copied into the database at once, so no ciphertext under the old key stays in the WAL.
    if (stale.length > 0) {
      const refused: RefusedChange[] = [];
      const frame = this.#frameRecords(new WriterFrame(), stale, 0, refused);
      if (refused.length > 0) throw new UnstorableChangeError(refused);
      this.#sendAndWait(frame, { checkpoint: true });
    }
    this.resealed = stale.length;
  }

  /** How many records the last full `loadRecords` pass sealed again with the primary key. */
  resealed = 0;

  async write(records: RecordWrite[]): Promise<void> {
    if (this.#closed) throw new StateDatabaseError("the state database is closed");
    const batch = this.executions.takeBatch();
    const write = ++this.#writes;
    try {
      await this.#send(this.#frameRecords(batch.frame, records, write, batch.refused));
    } catch (error) {
      this.executions.failed(batch);
      throw error;
    }
    this.#forget(write);
    this.executions.committed(batch);
    // What could not be built was left out; everything else is durable now.
    if (batch.refused.length > 0) throw new UnstorableChangeError(batch.refused);
  }

  /** Bytes on disk: the database and its WAL. */
  sizeOnDisk(): number {
    // libsql's `pragma(…, { simple: true })` returns the row, not the value (this was NaN).
    const [page] = this.#db.prepare("PRAGMA page_size").raw().get() as [number];
    const [pages] = this.#db.prepare("PRAGMA page_count").raw().get() as [number];
    let wal = 0;
    try {
      wal = statSync(`${this.path}-wal`).size;
    } catch {
      // No WAL right now.
    }
    return page * pages + wal;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    // Changes made after the last write (a query's trim, say) go first; one refused among them
    // (the rest is durable) does not keep the database open: the error comes after.
    let refused: UnstorableChangeError | undefined;
    if (this.executions.hasPending) {
      await this.write([]).catch((error: unknown) => {
        if (!(error instanceof UnstorableChangeError)) throw error;
        refused = error;
      });
    }
    this.#closed = true;
    try {
      await this.#send(new WriterFrame(), { close: true });
    } finally {
      await this.#worker.terminate();
      this.#port.close();
      this.#db.close();
    }
    if (refused) throw refused;
  }
}
