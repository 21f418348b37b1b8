/**
 * A batch for the writer thread in its wire form, built once on the main thread as the batch is
 * collected: every string field of every step and record concatenated into ONE string, and a
 * layout of numbers (operation codes, field lengths, rowids) saying where each field ends.
 * sqlite-writer.js reads it back by slicing (its header has the format).
 *
 * Why not the nested arrays it was (`["put", [id, …, json]]`): postMessage's structured clone
 * visits every array and copies every string on the main thread, and the writer allocates them all
 * again; one string is one copy, and the writer's slices of it share its characters. Measured with
 * the bench's own 25-webhook batches (a worker answering each batch, per batch): main thread
 * 34–47 → 34–37 µs, writer thread 37–50 → 21–24 µs.
 */
import { checkColumns, EXECUTION_COLUMNS } from "../domain/changes.ts";
import type { StoredExecution } from "../domain/store.ts";
import { LoggableError } from "../domain/log-text.ts";

/** Operation codes of the layout (sqlite-writer.js has the same table). */
export const FRAME_OP = {
  /** An execution row: 9 field lengths (the 8 columns, then the rest of the execution as JSON). */
  put: 1,
  /** An execution removed: 1 field length (its id). */
  delete: 2,
  /** Retention: every run of the instance up to a position: 3 field lengths (instance, start, id). */
  through: 3,
  /** Every run of an instance: 1 field length. */
  instance: 4,
  /** A record written: its rowid, then 3 field lengths (kind, id, sealed JSON). */
  record: 5,
  /** A record deleted: its rowid. */
  unrecord: 6,
} as const;

/** The columns of an execution row, in order; the rest of the execution is the JSON of the row's last column. */
const COLUMN_KEYS = new Set<string>(EXECUTION_COLUMNS);

/**
 * The execution's JSON without its column fields, in one pass: a loop that copies the other keys
 * in their order (the rest destructuring `{ id, …, ...rest } = e` it replaces cost ~0.3 µs per
 * execution against ~0.13 µs for the loop). Same text as before: same keys, same order.
 */
export function executionData(e: StoredExecution): string {
  const rest: Record<string, unknown> = {};
  const source = e as unknown as Record<string, unknown>;
  for (const key in source) if (!COLUMN_KEYS.has(key)) rest[key] = source[key];
  return JSON.stringify(rest);
}

/**
 * SQLite's limit on a string and on a row (SQLITE_MAX_LENGTH, 10^9 bytes of UTF-8 in libsql's
 * build): a row past it fails the writer's whole batch ("string or blob too big"), and again each
 * time the batch goes again. Such a row is refused while the frame is built instead (`fitsSqlite`).
 */
const SQLITE_MAX_BYTES = 1_000_000_000;
/** A row whose fields hold fewer UTF-16 units than this surely fits (a unit is at most 3 bytes of UTF-8, and the row's header takes a few). */
const SURELY_FITS = Math.floor(SQLITE_MAX_BYTES / 3) - 4096;

/** Throws (leaving the frame as it was) when a row of these fields could pass SQLite's limit; only a row of over ~333 M characters is measured. */
function fitsSqlite(fields: readonly string[]): void {
  let units = 0;
  for (const field of fields) units += typeof field === "string" ? field.length : 0;
  if (units <= SURELY_FITS) return;
  let bytes = 0;
  for (const field of fields) bytes += typeof field === "string" ? Buffer.byteLength(field) : 0;
  if (bytes > SQLITE_MAX_BYTES - 4096) throw new LoggableError(`a row of ${bytes} bytes passes SQLite's limit of ${SQLITE_MAX_BYTES}`);
}

export interface FrameMessage {
  /** The fields' text, cut at field boundaries into strings of at most CHUNK characters (one, usually). */
  texts: string[];
  layout: Float64Array;
}

/**
 * Characters per string of a frame's text: V8 refuses a string longer than 2^29 - 24, and a batch
 * can carry more than that (large step results): its text is cut, at a field's start, into
 * strings of at most this size. The writer moves to the next string when a field of one or more
 * characters does not fit in what is left of the current one.
 */
const CHUNK = 2 ** 28;

export class WriterFrame {
  /** Full strings of the text before `#text`, the one being appended to. */
  readonly #texts: string[] = [];
  #text = "";
  #layout: number[] = [];

  #append(value: string): void {
    if (this.#text.length > 0 && this.#text.length + value.length > CHUNK) {
      this.#texts.push(this.#text);
      this.#text = "";
    }
    this.#text += value;
  }

  get empty(): boolean {
    return this.#layout.length === 0;
  }

  #field(value: string): void {
    // Not a string: NULL for the writer, which every column refuses, so the batch would fail
    // there as a whole, and again each time it went again. `put` and `record` refuse a change
    // with such a field before it is added; what is left here is a caller's bug.
    if (typeof value !== "string") {
      this.#layout.push(-1);
      return;
    }
    this.#append(value);
    this.#layout.push(value.length);
  }

  /**
   * Adds the execution's row; when a column has no string, its JSON throws (past V8's string
   * limit, say) or the row is too big for SQLite, this throws and the frame is left as it was.
   */
  put(e: StoredExecution): void {
    checkColumns(e);
    const data = executionData(e);
    if (data.length > SURELY_FITS) fitsSqlite([e.id, e.organizationId, e.customerId, e.instanceId, e.flowId, e.status, e.trigger, e.startedAt, data]);
    this.#layout.push(FRAME_OP.put);
    this.#field(e.id);
    this.#field(e.organizationId);
    this.#field(e.customerId);
    this.#field(e.instanceId);
    this.#field(e.flowId);
    this.#field(e.status);
    this.#field(e.trigger);
    this.#field(e.startedAt);
    this.#field(data);
  }

  delete(id: string): void {
    this.#layout.push(FRAME_OP.delete);
    this.#field(id);
  }

  through(instanceId: string, startedAt: string, id: string): void {
    this.#layout.push(FRAME_OP.through);
    this.#field(instanceId);
    this.#field(startedAt);
    this.#field(id);
  }

  instance(instanceId: string): void {
    this.#layout.push(FRAME_OP.instance);
    this.#field(instanceId);
  }

  /** Adds a record's row; one too big for SQLite throws, leaving the frame as it was. */
  record(rowid: number, kind: string, id: string, data: string): void {
    if (typeof data === "string" && data.length > SURELY_FITS) fitsSqlite([kind, id, data]);
    this.#layout.push(FRAME_OP.record, rowid);
    this.#field(kind);
    this.#field(id);
    this.#field(data);
  }

  unrecord(rowid: number): void {
    this.#layout.push(FRAME_OP.unrecord, rowid);
  }

  /** Appends another frame's operations after this one's. */
  append(other: WriterFrame): void {
    // Each of other's strings starts at a field's start, so it may start one of this frame's.
    for (const text of [...other.#texts, other.#text]) this.#append(text);
    for (const n of other.#layout) this.#layout.push(n);
  }

  /** The message's form: the strings (each flattened once, by postMessage's copy) and the layout. */
  message(): FrameMessage {
    return { texts: [...this.#texts, this.#text], layout: Float64Array.from(this.#layout) };
  }
}
