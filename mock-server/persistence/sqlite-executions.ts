/**
 * Executions in SQLite, never all in memory: at 1,000,000 of them a table in memory would take
 * gigabytes and seconds to load. Columns for what is filtered and ordered on, with indexes for
 * the instance page (instance, start, id), the organization's logs (organization, start, id) and
 * restart recovery (running ones); the rest of the execution is one JSON text. Every index costs
 * each webhook run an insert and, once retention trims it, a delete, so there is none for the
 * age sweep alone: it reads the organization index per organization (an index on the start time
 * alone cost ~10 % of the executions' SQLite time and 13 % of the WAL per batch).
 *
 * This class runs on the main thread and only reads the database; the writer thread
 * (sqlite-writer.js) applies its changes. What the domain changed and the writer has not yet
 * committed is the **overlay**: each execution's newest value (or null: removed) until the batch
 * that carries it is committed, and each instance's retention **cut** (every run up to a position,
 * or all of them). Every read merges the overlay over the committed rows, so the domain sees its
 * own changes at once, whatever the writer has done meanwhile: a committed row that the overlay
 * holds or a cut covers is not read from the table. `takeBatch` hands the next batch's steps over
 * (in the order they were made: a trim's range delete comes after the runs written before it),
 * `committed` forgets what a durable batch carried, `failed` makes it go again.
 */
import type Database from "libsql";
import { matchesFilter, newerFirst, type ExecutionFilter, type ExecutionPosition, type ExecutionStore } from "../domain/execution-store.ts";
import type { StoredExecution } from "../domain/store.ts";
import { executionRefusal, type RefusedChange } from "../domain/changes.ts";
import { WriterFrame } from "./writer-frame.ts";

export const EXECUTIONS_SCHEMA = `
CREATE TABLE IF NOT EXISTS executions (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  flow_id TEXT NOT NULL,
  status TEXT NOT NULL,
  trigger TEXT NOT NULL,
  started_at TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS executions_by_instance ON executions (instance_id, started_at, id);
CREATE INDEX IF NOT EXISTS executions_by_organization ON executions (organization_id, started_at, id);
CREATE INDEX IF NOT EXISTS executions_running ON executions (status) WHERE status = 'running';
DROP INDEX IF EXISTS executions_by_start;
`;

const STARTED_BEFORE = `
WITH RECURSIVE orgs(id) AS (
  SELECT (SELECT MIN(organization_id) FROM executions)
  UNION ALL
  SELECT (SELECT MIN(organization_id) FROM executions WHERE organization_id > orgs.id) FROM orgs WHERE orgs.id IS NOT NULL
)
SELECT DISTINCT e.instance_id FROM orgs JOIN executions e INDEXED BY executions_by_organization ON e.organization_id = orgs.id AND e.started_at < ?`;

export type ExecutionRow = [id: string, organizationId: string, customerId: string, instanceId: string, flowId: string, status: string, trigger: string, startedAt: string, data: string];

/** A retention cut as the writer gets it: every run of the instance up to a position, or all of them. */
type CutStep = [instanceId: string, through: ExecutionPosition | undefined];

/**
 * What a batch carried: its steps for the writer in their wire form (writer-frame.ts), its cuts
 * again (a failed batch's cuts go again first), the overlay entries and cuts it makes durable, and
 * the changes refused while it was built (each named with why, see UnstorableChangeError).
 */
export interface ExecutionBatch {
  frame: WriterFrame;
  cutSteps: CutStep[];
  entries: Array<[id: string, seq: number]>;
  cuts: Array<[instanceId: string, seq: number]>;
  refused: RefusedChange[];
}

const emptyBatch = (): ExecutionBatch => ({ frame: new WriterFrame(), cutSteps: [], entries: [], cuts: [], refused: [] });

function frameCut(frame: WriterFrame, [instanceId, through]: CutStep): void {
  if (through) frame.through(instanceId, through.startedAt, through.id);
  else frame.instance(instanceId);
}

const COLUMNS = "id, organization_id, customer_id, instance_id, flow_id, status, trigger, started_at, data";

function fromRow(row: ExecutionRow): StoredExecution {
  const [id, organizationId, customerId, instanceId, flowId, status, trigger, startedAt, data] = row;
  return { id, instanceId, flowId, status, trigger, startedAt, ...JSON.parse(data), organizationId, customerId } as StoredExecution;
}

/** An execution's newest value not yet committed (null: removed), and the change's number. */
interface Entry {
  execution: StoredExecution | null;
  seq: number;
}

/**
 * What retention (or the instance's removal) took from an instance and the writer has not yet
 * committed: every run up to `through`, and, with `allSeq`, every run committed before.
 */
interface Cut {
  through?: ExecutionPosition;
  throughSeq?: number;
  allSeq?: number;
}

const atOrBefore = (a: ExecutionPosition, b: ExecutionPosition) => newerFirst(a, b) >= 0;

/**
 * An instance's oldest committed runs, read ahead from the table: retention removes a few of them
 * on every batch of a busy instance, and reading them again each time (on a connection whose page
 * cache the writer's every commit empties) cost the main thread more than the trim itself.
 * `positions[next…]` are the committed runs after the instance's cut, oldest first, up to `end`
 * (all of them when `complete`). A commit that lands at or before `end` drops the head (read again).
 */
interface Head {
  positions: ExecutionPosition[];
  next: number;
  end: ExecutionPosition;
  complete: boolean;
}

/** How many positions a head reads at once. */
const HEAD_CHUNK = 256;

export class SqliteExecutions implements ExecutionStore {
  readonly #db: Database.Database;
  readonly #overlay = new Map<string, Entry>();
  readonly #cuts = new Map<string, Cut>();
  /** Overlay entries changed since the last step was taken, written as steps when one is. */
  readonly #dirty = new Set<string>();
  /** The next batch: its steps and what it makes durable. */
  #batch: ExecutionBatch = emptyBatch();
  #seq = 0;
  /** Executions per instance, counted on first need and kept up to date. */
  readonly #counts = new Map<string, number>();
  readonly #heads = new Map<string, Head>();
  readonly #byId: Database.Statement<[string]>;
  readonly #countOf: Database.Statement<[string]>;
  readonly #countThrough: Database.Statement<[string, string, string]>;
  readonly #ascending: Database.Statement<[string, string, string, number]>;
  readonly #size: Database.Statement<[]>;

  constructor(db: Database.Database) {
    this.#db = db;
    db.exec(EXECUTIONS_SCHEMA);
    this.#byId = db.prepare(`SELECT ${COLUMNS} FROM executions WHERE id = ?`).raw();
    this.#countOf = db.prepare("SELECT COUNT(*) FROM executions WHERE instance_id = ?").raw();
    this.#countThrough = db.prepare("SELECT COUNT(*) FROM executions WHERE instance_id = ? AND (started_at, id) <= (?, ?)").raw();
    // Row values, not `a > ? OR (a = ? AND b > ?)`: SQLite turns only the row-value form into a
    // range of the index (the OR form walked every run of the instance).
    this.#ascending = db.prepare("SELECT started_at, id FROM executions WHERE instance_id = ? AND (started_at, id) > (?, ?) ORDER BY started_at, id LIMIT ?").raw();
    this.#size = db.prepare("SELECT COUNT(*) FROM executions").raw();
  }

  /** Whether changes wait for the next batch. */
  get hasPending(): boolean {
    return this.#dirty.size > 0 || !this.#batch.frame.empty;
  }

  /** The next batch's steps (the overlay stays until `committed`). */
  takeBatch(): ExecutionBatch {
    this.#stepDirty();
    const batch = this.#batch;
    this.#batch = emptyBatch();
    return batch;
  }

  /** The batch is durable: what it carried is read from the table from now on (unless changed since). */
  committed(batch: ExecutionBatch): void {
    for (const [id, seq] of batch.entries) {
      const entry = this.#overlay.get(id);
      const execution = entry?.execution;
      const head = execution && this.#heads.get(execution.instanceId);
      // A run committed inside what the head has read is not in it: read again. Past it: there is more.
      if (head && atOrBefore(execution, head.end)) this.#heads.delete(execution.instanceId);
      else if (head) head.complete = false;
      if (entry?.seq === seq) this.#overlay.delete(id);
    }
    for (const [instanceId, seq] of batch.cuts) {
      const cut = this.#cuts.get(instanceId);
      if (!cut) continue;
      if (cut.allSeq === seq) delete cut.allSeq;
      if (cut.throughSeq === seq) {
        delete cut.through;
        delete cut.throughSeq;
      }
      if (cut.allSeq === undefined && cut.through === undefined) this.#cuts.delete(instanceId);
    }
  }

  /**
   * The batch failed (rolled back): its retention cuts go again first (the decisions stand), and
   * its executions are written again with their newest values, like any change since.
   */
  failed(batch: ExecutionBatch): void {
    const frame = new WriterFrame();
    for (const step of batch.cutSteps) frameCut(frame, step);
    frame.append(this.#batch.frame);
    this.#batch = { frame, cutSteps: [...batch.cutSteps, ...this.#batch.cutSteps], entries: this.#batch.entries, cuts: [...batch.cuts, ...this.#batch.cuts], refused: this.#batch.refused };
    for (const [id] of batch.entries) if (this.#overlay.has(id)) this.#dirty.add(id);
  }

  /**
   * Writes the dirty entries as steps of the next batch. Each leaves `#dirty` as it is stepped, and
   * one whose row cannot be built (its JSON throws: past V8's string limit, say) is refused alone
   * (`#undo`): the batch goes on without it, and nothing half-built stays behind. Before a cut
   * (`atCut`) such an entry stays dirty instead: it is decided when the batch is taken, with its
   * value then (the cut may take it away, or it may be changed again), as memory and IndexedDB do.
   */
  #stepDirty(atCut = false): void {
    let later: string[] | undefined;
    for (const id of this.#dirty) {
      this.#dirty.delete(id);
      const { execution, seq } = this.#overlay.get(id)!;
      if (!execution) this.#batch.frame.delete(id);
      else {
        try {
          this.#batch.frame.put(execution);
        } catch (error) {
          if (atCut) (later ??= []).push(id);
          else {
            this.#batch.refused.push(executionRefusal(execution, error));
            this.#undo(execution);
          }
          continue;
        }
      }
      this.#batch.entries.push([id, seq]);
    }
    if (later) for (const id of later) this.#dirty.add(id);
  }

  /**
   * A change that could not be stored is undone: the execution reads as the table holds it (its
   * last stored value, or nothing), as it will after a restart; its instance is counted again.
   */
  #undo(execution: StoredExecution): void {
    this.#overlay.delete(execution.id);
    this.#counts.delete(execution.instanceId);
    // An earlier value of it already stepped into this batch (by a retention cut) would be
    // written: put back what the table holds after it, so this write stores none of the run's
    // changes since the last one, as in memory and IndexedDB.
    if (this.#batch.entries.some(([id]) => id === execution.id)) {
      const stored = this.get(execution.id);
      if (stored) this.#batch.frame.put(stored);
      else this.#batch.frame.delete(execution.id);
    }
  }

  #set(id: string, execution: StoredExecution | null): void {
    this.#overlay.set(id, { execution, seq: ++this.#seq });
    this.#dirty.add(id);
  }

  /** Whether a cut not yet committed takes this committed run of the instance. */
  #covered(instanceId: string, position: ExecutionPosition): boolean {
    const cut = this.#cuts.get(instanceId);
    return cut !== undefined && (cut.allSeq !== undefined || (cut.through !== undefined && atOrBefore(position, cut.through)));
  }

  /** A committed row as the domain sees it: hidden when the overlay holds its id or a cut covers it. */
  #visible(instanceId: string, position: ExecutionPosition): boolean {
    return !this.#overlay.has(position.id) && !this.#covered(instanceId, position);
  }

  /**
   * Runs `read` on one snapshot of the table: a read of several statements must not see the
   * writer's commit land between two of them (what a commit adds is in the overlay until it is
   * acknowledged, so a count taken before it and a look-up after would count it twice, or none).
   */
  #consistent<T>(read: () => T): T {
    if (this.#db.inTransaction) return read();
    this.#db.exec("BEGIN");
    try {
      return read();
    } finally {
      this.#db.exec("COMMIT");
    }
  }

  #cut(instanceId: string, through: ExecutionPosition | undefined): void {
    this.#stepDirty(true);
    const seq = ++this.#seq;
    let cut = this.#cuts.get(instanceId);
    if (!cut) this.#cuts.set(instanceId, (cut = {}));
    if (!through) cut.allSeq = seq;
    else if (!cut.through || newerFirst(through, cut.through) < 0) {
      cut.through = through;
      cut.throughSeq = seq;
    }
    const head = this.#heads.get(instanceId);
    if (head && through) {
      while (head.next < head.positions.length && atOrBefore(head.positions[head.next], through)) head.next++;
      // A cut past what the head has read: it reads on after the cut.
      if (newerFirst(through, head.end) < 0) head.end = through;
    } else this.#heads.delete(instanceId);
    const step: CutStep = [instanceId, through];
    frameCut(this.#batch.frame, step);
    this.#batch.cutSteps.push(step);
    this.#batch.cuts.push([instanceId, seq]);
    // Runs in the overlay that the cut covers are gone too (the writer's range delete removes them
    // after writing them, in order).
    for (const [id, { execution: e }] of this.#overlay) {
      if (!e || e.instanceId !== instanceId || (through && !atOrBefore(e, through))) continue;
      // Not dirty: the cut's step removes them; the entry only hides them until it is durable.
      const removed = ++this.#seq;
      this.#overlay.set(id, { execution: null, seq: removed });
      this.#batch.entries.push([id, removed]);
    }
  }

  add(execution: StoredExecution): void {
    this.#set(execution.id, execution);
    const count = this.#counts.get(execution.instanceId);
    if (count !== undefined) this.#counts.set(execution.instanceId, count + 1);
  }

  update(execution: StoredExecution): void {
    if (this.get(execution.id)) this.#set(execution.id, execution);
  }

  get(id: string): StoredExecution | undefined {
    const entry = this.#overlay.get(id);
    if (entry) return entry.execution ?? undefined;
    const row = this.#byId.get(id) as ExecutionRow | undefined;
    if (!row || !this.#visible(row[3], { startedAt: row[7], id })) return undefined;
    return fromRow(row);
  }

  /** Overlay executions passing `test`, newest first. */
  #overlaid(test: (execution: StoredExecution) => boolean): StoredExecution[] {
    const out: StoredExecution[] = [];
    for (const { execution } of this.#overlay.values()) if (execution && test(execution)) out.push(execution);
    return out.sort(newerFirst);
  }

  page(filter: ExecutionFilter, options: { after?: ExecutionPosition; limit: number }): StoredExecution[] {
    const where: string[] = ["organization_id = ?"];
    const args: unknown[] = [filter.organizationId];
    const column = (name: string, value: string | undefined) => {
      if (value === undefined) return;
      where.push(`${name} = ?`);
      args.push(value);
    };
    column("instance_id", filter.instanceId);
    column("customer_id", filter.customerId);
    column("flow_id", filter.flowId);
    column("status", filter.status);
    column("trigger", filter.trigger);
    if (filter.from !== undefined) {
      where.push("started_at >= ?");
      args.push(new Date(filter.from).toISOString());
    }
    if (filter.to !== undefined) {
      where.push("started_at < ?");
      args.push(new Date(filter.to).toISOString());
    }
    if (filter.text) {
      // A cheap pre-filter on the JSON text (ASCII case-insensitive); matchesFilter decides.
      where.push("data LIKE ? ESCAPE '\\'");
      args.push(`%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    const overlaid = this.#overlaid((e) => matchesFilter(e, filter) && (!options.after || newerFirst(e, options.after) > 0));
    let next = 0;
    const out: StoredExecution[] = [];
    /** Adds the overlay's executions newer than `position` (all of them when undefined); true when the page is full. */
    const overlayUntil = (position: ExecutionPosition | undefined) => {
      while (next < overlaid.length && (!position || newerFirst(overlaid[next], position) < 0)) {
        out.push(overlaid[next++]);
        if (out.length >= options.limit) return true;
      }
      return false;
    };
    let after = options.after;
    const chunk = Math.min(1000, Math.max(options.limit * 2, 50));
    for (;;) {
      const clauses = [...where];
      const params = [...args];
      if (after) {
        clauses.push("(started_at, id) < (?, ?)");
        params.push(after.startedAt, after.id);
      }
      const rows = this.#db
        .prepare(`SELECT ${COLUMNS} FROM executions WHERE ${clauses.join(" AND ")} ORDER BY started_at DESC, id DESC LIMIT ?`)
        .raw()
        .all(...params, chunk) as ExecutionRow[];
      for (const row of rows) {
        const position = { startedAt: row[7], id: row[0] };
        if (!this.#visible(row[3], position)) continue;
        if (overlayUntil(position)) return out;
        const execution = fromRow(row);
        if (!filter.text || matchesFilter(execution, filter)) out.push(execution);
        if (out.length >= options.limit) return out;
      }
      if (rows.length < chunk) {
        overlayUntil(undefined);
        return out;
      }
      const last = rows[rows.length - 1];
      after = { startedAt: last[7], id: last[0] };
    }
  }

  /** Committed rows of the instance that the overlay or a cut hides. */
  #hidden(instanceId: string): number {
    const cut = this.#cuts.get(instanceId);
    let hidden = 0;
    if (cut?.allSeq !== undefined) hidden = (this.#countOf.get(instanceId) as [number])[0];
    else if (cut?.through) hidden = (this.#countThrough.get(instanceId, cut.through.startedAt, cut.through.id) as [number])[0];
    for (const id of this.#overlay.keys()) {
      const row = this.#byId.get(id) as ExecutionRow | undefined;
      // A committed row the overlay holds, unless the cut already counted it.
      if (row && row[3] === instanceId && !this.#covered(instanceId, { startedAt: row[7], id })) hidden++;
    }
    return hidden;
  }

  countOf(instanceId: string): number {
    let count = this.#counts.get(instanceId);
    if (count === undefined) {
      const committed = this.#consistent(() => (this.#countOf.get(instanceId) as [number])[0] - this.#hidden(instanceId));
      count = committed + this.#overlaid((e) => e.instanceId === instanceId).length;
      this.#counts.set(instanceId, count);
    }
    return count;
  }

  removeInstance(instanceId: string): void {
    this.#cut(instanceId, undefined);
    this.#counts.set(instanceId, 0);
  }

  /** The instance's runs oldest first, as the domain sees them: its head's committed runs and the overlay's, merged. */
  *#ascendingOf(instanceId: string): Generator<ExecutionPosition> {
    const overlaid = this.#overlaid((e) => e.instanceId === instanceId).reverse();
    let next = 0;
    const cut = this.#cuts.get(instanceId);
    if (cut?.allSeq === undefined) {
      let head = this.#heads.get(instanceId);
      if (!head) this.#heads.set(instanceId, (head = { positions: [], next: 0, end: cut?.through ?? { startedAt: "", id: "" }, complete: false }));
      for (let i = head.next; ; i++) {
        if (i === head.positions.length) {
          if (head.complete) break;
          head.positions.splice(0, head.next);
          i -= head.next;
          head.next = 0;
          const rows = this.#ascending.all(instanceId, head.end.startedAt, head.end.id, HEAD_CHUNK) as [string, string][];
          for (const [startedAt, id] of rows) head.positions.push({ startedAt, id });
          if (rows.length > 0) head.end = head.positions[head.positions.length - 1];
          head.complete = rows.length < HEAD_CHUNK;
          if (i === head.positions.length) break;
        }
        const position = head.positions[i];
        while (next < overlaid.length && newerFirst(overlaid[next], position) > 0) yield overlaid[next++];
        if (!this.#overlay.has(position.id)) yield position;
      }
    }
    while (next < overlaid.length) yield overlaid[next++];
  }

  trim(instanceId: string, keep: number, startedBefore: number): number | undefined {
    let count = this.countOf(instanceId);
    if (count === 0) return undefined;
    const cutoff = new Date(startedBefore).toISOString();
    // What retention removes is always the oldest runs: those before the cutoff, then as many as
    // pass `keep`. One range of the instance's index, ending at `last`.
    let last: ExecutionPosition | undefined;
    for (const position of this.#ascendingOf(instanceId)) {
      if (position.startedAt >= cutoff && count <= keep) break;
      last = position;
      count--;
    }
    if (!last) return undefined;
    // The count before the cut, which forgets it when a pending run it counted is refused (#undo).
    this.#counts.set(instanceId, count);
    this.#cut(instanceId, { startedAt: last.startedAt, id: last.id });
    return Date.parse(last.startedAt);
  }

  instancesStartedBefore(instant: number): string[] {
    // Each organization (found by skipping through the organization index) and, in it, the range
    // of runs older than the cutoff: only the runs the sweep removes are read. The trim of each
    // decides; runs the overlay holds are added.
    const cutoff = new Date(instant).toISOString();
    const found = new Set((this.#db.prepare(STARTED_BEFORE).raw().all(cutoff) as [string][]).map((r) => r[0]));
    for (const e of this.#overlaid((e) => e.startedAt < cutoff)) found.add(e.instanceId);
    return [...found];
  }

  running(): StoredExecution[] {
    const rows = this.#db.prepare(`SELECT ${COLUMNS} FROM executions WHERE status = 'running'`).raw().all() as ExecutionRow[];
    const out = rows.filter((row) => this.#visible(row[3], { startedAt: row[7], id: row[0] })).map(fromRow);
    return [...out, ...this.#overlaid((e) => e.status === "running")];
  }

  size(): number {
    const committed = this.#consistent(() => {
      let size = (this.#size.get() as [number])[0];
      for (const instanceId of this.#cuts.keys()) size -= this.#hidden(instanceId);
      for (const id of this.#overlay.keys()) {
        const row = this.#byId.get(id) as ExecutionRow | undefined;
        if (row && !this.#cuts.has(row[3])) size--;
      }
      return size;
    });
    return committed + this.#overlaid(() => true).length;
  }
}
