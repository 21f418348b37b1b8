/**
 * The backend of tests and of `createPlatform()` without one: records kept as JSON text in memory,
 * as a disk would keep them, and executions in memory. A new platform built on the same backend
 * is a restart: it sees exactly what was written, nothing that was only in the old one's memory.
 *
 * A write costs what it changed: the executions added, updated or removed since the last write
 * are tracked (`MemoryExecutions`' write hook), never re-serialised all (at 20,000 executions that
 * was ~55 ms a write, and the webhook bench on this backend ran at 54 req/s).
 *
 * `verify(tables)` compares what was written with the live tables and names every record that
 * differs: a write the domain forgot to announce (`changed(kind, id)`) would be lost on a real
 * restart, so the test helpers check it when a platform closes.
 */
import { RECORD_KIND_NAMES, type Snapshot, type StoredExecution } from "./store.ts";
import { MemoryExecutions, newerFirst } from "./execution-store.ts";
import { checkColumns, executionRefusal, jsonText, recordRefusal, UnstorableChangeError, type RefusedChange, type RecordWrite, type StoreBackend, type StoredRecord } from "./changes.ts";

export class MemoryBackend implements StoreBackend {
  /** `kind/id` → the record's JSON text. */
  readonly #records = new Map<string, string>();
  #executions: MemoryExecutions;
  readonly #executionsWritten = new Map<string, string>();
  /** Executions changed since the last write. */
  readonly #dirtyExecutions = new Set<string>();

  constructor() {
    this.#executions = this.#track([]);
  }

  #track(initial: StoredExecution[]): MemoryExecutions {
    return new MemoryExecutions(initial, (id) => this.#dirtyExecutions.add(id));
  }

  get executions(): MemoryExecutions {
    return this.#executions;
  }

  /** An execution as last written (what a restart would see), or undefined. */
  written(executionId: string): StoredExecution | undefined {
    const text = this.#executionsWritten.get(executionId);
    return text === undefined ? undefined : (JSON.parse(text) as StoredExecution);
  }

  *loadRecords(): Iterable<StoredRecord> {
    // A restart: executions come back as they were last written.
    this.#dirtyExecutions.clear();
    const written = [...this.#executionsWritten.values()].map((text) => JSON.parse(text) as StoredExecution);
    this.#executions = this.#track(written.sort((a, b) => newerFirst(b, a)));
    for (const [key, text] of this.#records) {
      const at = key.indexOf("/");
      yield { kind: key.slice(0, at), id: key.slice(at + 1), record: JSON.parse(text) };
    }
  }

  /** As the state file's: a change whose JSON throws is refused alone (UnstorableChangeError), an execution's undone. */
  async write(records: RecordWrite[]): Promise<void> {
    const refused: RefusedChange[] = [];
    for (const { kind, id, record } of records) {
      if (record === undefined) this.#records.delete(`${kind}/${id}`);
      else {
        try {
          this.#records.set(`${kind}/${id}`, jsonText(record));
        } catch (error) {
          refused.push(recordRefusal(kind, id, error));
        }
      }
    }
    for (const id of this.#dirtyExecutions) {
      this.#dirtyExecutions.delete(id);
      const execution = this.#executions.get(id);
      if (!execution) this.#executionsWritten.delete(id);
      else {
        try {
          checkColumns(execution);
          this.#executionsWritten.set(id, JSON.stringify(execution));
        } catch (error) {
          refused.push(executionRefusal(execution, error));
          const stored = this.#executionsWritten.get(id);
          this.#executions.undo(id, stored === undefined ? undefined : (JSON.parse(stored) as StoredExecution));
        }
      }
    }
    if (refused.length > 0) throw new UnstorableChangeError(refused);
  }

  async close(): Promise<void> {}

  /** The records whose written copy differs from the live tables (empty: everything announced was written). */
  verify(tables: Snapshot): string[] {
    const differ: string[] = [];
    const seen = new Set<string>();
    for (const kind of RECORD_KIND_NAMES) {
      for (const [id, record] of Object.entries(tables[kind])) {
        const key = `${kind}/${id}`;
        seen.add(key);
        const written = this.#records.get(key);
        if (written === undefined || !sameRecord(written, record)) differ.push(`${key} ${written !== undefined ? "changed" : "added"} without being announced`);
      }
    }
    for (const key of this.#records.keys()) if (!seen.has(key)) differ.push(`${key} deleted without being announced`);
    return differ;
  }
}

/**
 * Whether the written text holds `record`, whatever the order of its keys: a record loaded after
 * a restart has its schema's key order (store.ts parses it), one made in memory the order its code
 * set them, and a restart is not a change.
 */
function sameRecord(written: string, record: unknown): boolean {
  const text = JSON.stringify(record);
  return written === text || JSON.stringify(sortedKeys(JSON.parse(written))) === JSON.stringify(sortedKeys(JSON.parse(text)));
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]));
}
