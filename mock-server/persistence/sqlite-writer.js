/**
 * The state database's writer, on a thread of its own (node:worker_threads), so that SQLite's
 * inserts, deletes, commits, WAL writes, fsyncs and checkpoints use the machine's second core
 * instead of the event loop that answers requests (sqlite-backend.ts is the main thread's side;
 * docs/performance.md has the figures).
 *
 * Plain JavaScript on purpose: a worker thread on Node 20 gets no TypeScript loader (tsx's hooks
 * and vitest's transform apply to the thread that registered them), so this file must run as is.
 * It imports nothing of ours; the main thread creates the schema before starting it.
 *
 * Protocol (one batch at a time, in order): `{ id, texts, layout, checkpoint, close, sync }`. The
 * batch is a frame (writer-frame.ts builds it on the main thread): `texts` is every string field
 * of the batch concatenated (cut, at fields' starts, into strings of at most 2^28 characters: one
 * string, usually), `layout` (a Float64Array) the operations in order, each a code and then its
 * numbers — a field is given by its length and is the next that many characters of the text:
 *   1 put       9 fields: an executions row (id, organization, customer, instance, flow, status,
 *               trigger, start, and the rest of the execution as JSON)
 *   2 delete    1 field: an execution's id
 *   3 through   3 fields: retention, every run of the instance up to that position (instance,
 *               start, id)
 *   4 instance  1 field: every run of the instance
 *   5 record    a rowid, then 3 fields: a record written (kind, id, sealed JSON)
 *   6 unrecord  a rowid: a record deleted
 * A field of length -1 is NULL (the main thread had no string for it): every column refuses it,
 * so the batch fails here and rolls back.
 * The executions' changes come in the order the domain made them, then the records: the main
 * thread keeps each record's rowid, so the records table needs no index. One string instead of
 * nested arrays: postMessage copies it once, and the slices read here share its characters. The
 * batch is one transaction; once it is committed and the WAL
 * fdatasync'd, the answer goes back: the batch's `id` alone (a number), or `{ id, error }` after
 * a rollback. With
 * `checkpoint` the WAL is then copied into the database (synced); with `close`, too, and the
 * database is closed. With `sync`, the answer is also signalled
 * on the shared `signal` array, for a caller that waits with Atomics.wait.
 *
 * Durability is the guarantee of SQLite's `synchronous = FULL` in WAL mode: the WAL is synced
 * after each commit, before the answer; checkpoints run with full syncs, so the database file is
 * on disk before the WAL restarts.
 */
import Database from "libsql";
import { closeSync, fdatasyncSync, openSync, readSync } from "node:fs";
import { workerData } from "node:worker_threads";

/** @type {{ path: string, checkpointBytes: number, port: import("node:worker_threads").MessagePort, signal: Int32Array }} */
const { path, checkpointBytes, port, signal } = workerData;

const db = new Database(path);
// Main-thread reads may hold the WAL for a moment while a checkpoint wants it.
db.pragma("busy_timeout = 10000");
db.pragma("synchronous = OFF");
db.pragma("wal_autocheckpoint = 0");
// Replaced and deleted rows are overwritten with zeros, not left in free pages: after a key
// rotation no ciphertext under the old key lingers in the file.
db.pragma("secure_delete = ON");
// The WAL restarts in place (see `checkpoint`); a batch far larger than usual (re-sealing every
// record at start) may grow it, and the restart after it brings it back to this size.
db.pragma(`journal_size_limit = ${2 * checkpointBytes}`);

const COLUMNS = "id, organization_id, customer_id, instance_id, flow_id, status, trigger, started_at, data";
// Prepared once: `exec` parses its SQL on every call.
const begin = db.prepare("BEGIN");
const commit = db.prepare("COMMIT");
const remove = db.prepare("DELETE FROM executions WHERE id = ?");
// Row values: SQLite turns only this form into a range of the index (the OR form walked every run).
const through = db.prepare("DELETE FROM executions WHERE instance_id = ? AND (started_at, id) <= (?, ?)");
const instance = db.prepare("DELETE FROM executions WHERE instance_id = ?");

/**
 * Rows are written up to GROUP at a time with one multi-row statement: each statement call costs
 * the binding a fixed ~3 µs on top of SQLite's work (measured: 15 → 11.5 µs per execution row at
 * 22 rows per statement). One prepared statement per group size, made on first use.
 */
const GROUP = 32;
/** @type {(sql: (count: number) => string) => (count: number) => import("libsql").Statement} */
function statements(sql) {
  /** @type {Map<number, import("libsql").Statement>} */
  const prepared = new Map();
  return (count) => {
    let statement = prepared.get(count);
    if (!statement) prepared.set(count, (statement = db.prepare(sql(count))));
    return statement;
  };
}
const values = (count, width) => Array.from({ length: count }, () => `(${Array(width).fill("?").join(", ")})`).join(", ");
const putExecutions = statements((count) => `INSERT OR REPLACE INTO executions (${COLUMNS}) VALUES ${values(count, 9)}`);
const putRecords = statements((count) => `INSERT OR REPLACE INTO records (rowid, kind, id, data) VALUES ${values(count, 4)}`);
const deleteRecords = statements((count) => `DELETE FROM records WHERE rowid IN (${Array(count).fill("?").join(", ")})`);

/**
 * Collects rows of `width` parameters and runs `statement(n)` over them GROUP rows at a time,
 * filling one flat parameter array in place (building it with slice and flat per group was ~7 %
 * of this thread's CPU in a profile).
 */
class Groups {
  /** @param {(count: number) => import("libsql").Statement} statement @param {number} width */
  constructor(statement, width) {
    this.statement = statement;
    this.width = width;
    /** @type {unknown[]} */
    this.params = [];
  }

  /** Adds the next parameter of the row being read. */
  push(/** @type {unknown} */ value) {
    this.params.push(value);
  }

  /** The row being read is complete. */
  row() {
    if (this.params.length === GROUP * this.width) this.flush();
  }

  flush() {
    if (this.params.length === 0) return;
    this.statement(this.params.length / this.width).run(this.params);
    this.params = [];
  }
}

/** @type {number | undefined} */
let wal;
/** @type {number | undefined} */
let shm;
// libsql's `pragma(…, { simple: true })` returns the row, not the value: read it as a statement.
const [pageSize] = /** @type {[number]} */ (db.prepare("PRAGMA page_size").raw().get());
const header = new Uint32Array(1);

/**
 * Bytes of WAL the commits since the last checkpoint wrote: the WAL file itself keeps its size
 * when the WAL restarts, so it is counted from the frames. `mxFrame`, the last valid frame, is the
 * 32-bit word (native byte order) at offset 16 of the wal-index header in the -shm file
 * (https://www.sqlite.org/walformat.html).
 */
function walBytes() {
  shm ??= openSync(`${path}-shm`, "r");
  readSync(shm, header, 0, 4, 16);
  return header[0] * (pageSize + 24);
}

/**
 * Copies the WAL into the database with full syncs, so the database file is on disk before the
 * WAL restarts. RESTART, not TRUNCATE: the next commits overwrite the WAL file from its start, so
 * the file keeps its blocks and size (truncating it and growing it again cost this thread ~10 %
 * of its CPU — the truncate, ext4's block allocation on every append, and an fdatasync that must
 * write the inode as well). TRUNCATE where no old frame may stay in the file (after re-sealing
 * with a new key, and on close).
 * @param {"RESTART" | "TRUNCATE"} mode
 */
function checkpoint(mode) {
  db.pragma("synchronous = FULL");
  try {
    db.pragma(`wal_checkpoint(${mode})`);
  } finally {
    db.pragma("synchronous = OFF");
  }
}

/** Operation codes of a frame's layout (writer-frame.ts has the same table, FRAME_OP). */
const { PUT, DELETE, THROUGH, INSTANCE, RECORD, UNRECORD } = { PUT: 1, DELETE: 2, THROUGH: 3, INSTANCE: 4, RECORD: 5, UNRECORD: 6 };

/**
 * Applies a frame in one transaction, then fdatasyncs the WAL.
 * @param {string[]} texts @param {Float64Array} layout
 */
function write(texts, layout) {
  begin.run();
  try {
    // Retention's range deletes first, then every step in order (each cut again where it was).
    // The same rows remain: a cut removes the runs in its range, and a run put before it in the
    // batch is removed by its second pass. But the pages the deletes free are reused by this
    // batch's new rows, so each is written to the WAL once, not zeroed (secure_delete) in this
    // batch and rewritten in the next: 31 → 18 of the executions table's pages per 25-webhook batch.
    // The text comes in strings cut at fields' starts (writer-frame.ts, CHUNK): a field of one or
    // more characters that does not fit in what is left of the current string starts the next.
    let chunk = 0;
    let text = texts[0];
    let at = 0;
    /** Moves past the next field, `length` characters long (-1: NULL); answers where it starts. */
    const skip = (/** @type {number} */ length) => {
      if (length > 0 && at + length > text.length) {
        text = texts[++chunk];
        at = 0;
      }
      const start = at;
      at += Math.max(0, length);
      return start;
    };
    /** The next field of the text, `length` characters long (-1: NULL). */
    const field = (/** @type {number} */ length) => {
      const start = skip(length);
      return length < 0 ? null : text.slice(start, at);
    };
    for (let i = 0; i < layout.length; ) {
      const op = layout[i++];
      if (op === THROUGH) {
        const instanceId = field(layout[i++]);
        const startedAt = field(layout[i++]);
        through.run(instanceId, startedAt, field(layout[i++]));
      } else if (op === INSTANCE) instance.run(field(layout[i++]));
      else if (op === PUT) for (let end = i + 9; i < end; ) skip(layout[i++]);
      else if (op === DELETE) skip(layout[i++]);
      else if (op === RECORD) {
        i++;
        for (let end = i + 3; i < end; ) skip(layout[i++]);
      } else if (op === UNRECORD) i++;
      else throw new TypeError(`unknown operation ${op}`);
    }
    // Consecutive puts go together; every other step ends the group, so the order holds.
    // A batch names each record once, so record deletes and puts need no order between them.
    const rows = new Groups(putExecutions, 9);
    const deletes = new Groups(deleteRecords, 1);
    const puts = new Groups(putRecords, 4);
    chunk = 0;
    text = texts[0];
    at = 0;
    for (let i = 0; i < layout.length; ) {
      const op = layout[i++];
      if (op === PUT) {
        for (let end = i + 9; i < end; ) rows.push(field(layout[i++]));
        rows.row();
        continue;
      }
      if (op === RECORD) {
        puts.push(layout[i++]);
        for (let end = i + 3; i < end; ) puts.push(field(layout[i++]));
        puts.row();
        continue;
      }
      if (op === UNRECORD) {
        deletes.push(layout[i++]);
        deletes.row();
        continue;
      }
      rows.flush();
      if (op === DELETE) remove.run(field(layout[i++]));
      else if (op === THROUGH) {
        const instanceId = field(layout[i++]);
        const startedAt = field(layout[i++]);
        through.run(instanceId, startedAt, field(layout[i++]));
      } else if (op === INSTANCE) instance.run(field(layout[i++]));
    }
    rows.flush();
    deletes.flush();
    puts.flush();
    commit.run();
  } catch (error) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw error;
  }
  wal ??= openSync(`${path}-wal`, "r");
  fdatasyncSync(wal);
}

port.on("message", (/** @type {{ id: number, texts: string[], layout: Float64Array, sync: boolean, close: boolean, checkpoint: boolean }} */ message) => {
  let answer;
  try {
    write(message.texts, message.layout);
    if (message.checkpoint || message.close) checkpoint("TRUNCATE");
    if (message.close) {
      if (wal !== undefined) closeSync(wal);
      if (shm !== undefined) closeSync(shm);
      db.close();
    }
    answer = message.id;
  } catch (error) {
    answer = { id: message.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(answer);
  if (message.sync) {
    Atomics.store(signal, 0, message.id);
    Atomics.notify(signal, 0);
  }
  if (message.close) return port.close();
  // After the answer: the batch is durable once its WAL is synced, and copying the WAL into the
  // database (tens of ms every ~32 MiB) need not hold its answers back.
  // Reading the WAL's size is inside the try too: an error there (the -shm file unreadable) must
  // not end this thread, or every later write would fail.
  if (typeof answer !== "number") return;
  try {
    if (walBytes() > checkpointBytes) checkpoint("RESTART");
  } catch (error) {
    console.error("[emporium platform] checkpoint failed (the next batch tries again):", error instanceof Error ? error.message : String(error));
  }
});
