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
 * Protocol (one batch at a time, in order): `{ id, steps, records, sync }` where `steps` are the
 * executions' changes in the order the domain made them — `["put", row]`, `["delete", id]`,
 * `["through", instanceId, startedAt, id]` (retention: every run of the instance up to that
 * position), `["instance", instanceId]` (every run of the instance) — and `records` are
 * `[kind, id, sealedJson | null]`. The batch is one transaction; once it is committed and the WAL
 * fdatasync'd, the answer `{ id }` goes back (or `{ id, error }` after a rollback). With
 * `checkpoint` the WAL is then copied into the database (synced); with `close`, too, and the
 * database is closed. With `sync`, the answer is also signalled
 * on the shared `signal` array, for a caller that waits with Atomics.wait.
 *
 * Durability is the guarantee of SQLite's `synchronous = FULL` in WAL mode: the WAL is synced
 * after each commit, before the answer; checkpoints run with full syncs, so the database file is
 * on disk before the WAL restarts.
 */
import Database from "libsql";
import { closeSync, fdatasyncSync, fstatSync, openSync } from "node:fs";
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

const COLUMNS = "id, organization_id, customer_id, instance_id, flow_id, status, trigger, started_at, data";
const put = db.prepare(`INSERT OR REPLACE INTO executions (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
const remove = db.prepare("DELETE FROM executions WHERE id = ?");
// Row values: SQLite turns only this form into a range of the index (the OR form walked every run).
const through = db.prepare("DELETE FROM executions WHERE instance_id = ? AND (started_at, id) <= (?, ?)");
const instance = db.prepare("DELETE FROM executions WHERE instance_id = ?");
const putRecord = db.prepare("INSERT OR REPLACE INTO records (kind, id, data) VALUES (?, ?, ?)");
const deleteRecord = db.prepare("DELETE FROM records WHERE kind = ? AND id = ?");

/** @type {number | undefined} */
let wal;

function checkpoint() {
  db.pragma("synchronous = FULL");
  try {
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.pragma("synchronous = OFF");
  }
}

/** @param {{ steps: unknown[][], records: [string, string, string | null][] }} batch */
function write(batch) {
  db.exec("BEGIN");
  try {
    for (const step of batch.steps) {
      switch (step[0]) {
        case "put":
          put.run(...step[1]);
          break;
        case "delete":
          remove.run(step[1]);
          break;
        case "through":
          through.run(step[1], step[2], step[3]);
          break;
        case "instance":
          instance.run(step[1]);
          break;
        default:
          throw new TypeError(`unknown step ${String(step[0])}`);
      }
    }
    for (const [kind, id, data] of batch.records) {
      if (data === null) deleteRecord.run(kind, id);
      else putRecord.run(kind, id, data);
    }
    db.exec("COMMIT");
  } catch (error) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw error;
  }
  wal ??= openSync(`${path}-wal`, "r");
  fdatasyncSync(wal);
  if (fstatSync(wal).size > checkpointBytes) checkpoint();
}

port.on("message", (/** @type {{ id: number, sync?: boolean, close?: boolean, checkpoint?: boolean, steps: unknown[][], records: [string, string, string | null][] }} */ message) => {
  let answer;
  try {
    write(message);
    if (message.checkpoint || message.close) checkpoint();
    if (message.close) {
      if (wal !== undefined) closeSync(wal);
      db.close();
    }
    answer = { id: message.id };
  } catch (error) {
    answer = { id: message.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(answer);
  if (message.sync) {
    Atomics.store(signal, 0, message.id);
    Atomics.notify(signal, 0);
  }
  if (message.close) port.close();
});
