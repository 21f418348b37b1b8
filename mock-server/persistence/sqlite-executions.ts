/**
 * Executions in SQLite, never all in memory: at 1,000,000 of them a table in memory would take
 * gigabytes and seconds to load. Columns for what is filtered and ordered on, with indexes for
 * the instance page (instance, start, id), the organization's logs (organization, start, id) and
 * restart recovery (running ones); the rest of the execution is one JSON text. Every index costs
 * each webhook run an insert and, once retention trims it, a delete, so there is none for the
 * age sweep alone: it reads the organization index per organization (an index on the start time
 * alone cost ~10 % of the executions' SQLite time and 13 % of the WAL per batch). New and finished executions wait in `#pending` until the backend's next write (one
 * transaction, one fsync for many); reads see them (`get` first looks there, a query writes them
 * into the transaction-less WAL first), so nothing the domain just did is invisible to it.
 */
import type Database from "libsql";
import { matchesFilter, type ExecutionFilter, type ExecutionPosition, type ExecutionStore } from "../domain/execution-store.ts";
import type { StoredExecution } from "../domain/store.ts";

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

type Row = [id: string, organizationId: string, customerId: string, instanceId: string, flowId: string, status: string, trigger: string, startedAt: string, data: string];

const COLUMNS = "id, organization_id, customer_id, instance_id, flow_id, status, trigger, started_at, data";

function toRow(e: StoredExecution): Row {
  const { id, organizationId, customerId, instanceId, flowId, status, trigger, startedAt, ...rest } = e;
  return [id, organizationId, customerId, instanceId, flowId, status, trigger, startedAt, JSON.stringify(rest)];
}

function fromRow(row: Row): StoredExecution {
  const [id, organizationId, customerId, instanceId, flowId, status, trigger, startedAt, data] = row;
  return { id, instanceId, flowId, status, trigger, startedAt, ...JSON.parse(data), organizationId, customerId } as StoredExecution;
}

export class SqliteExecutions implements ExecutionStore {
  readonly #db: Database.Database;
  /** Changes not yet in the database: the execution, or null when it was removed. */
  readonly #pending = new Map<string, StoredExecution | null>();
  /** Changes written into the open transaction, not yet committed: pending again if it rolls back. */
  readonly #uncommitted = new Map<string, StoredExecution | null>();
  /** Executions per instance, counted on first need and kept up to date. */
  readonly #counts = new Map<string, number>();
  readonly #put: Database.Statement<Row>;
  readonly #delete: Database.Statement<[string]>;
  readonly #byId: Database.Statement<[string]>;
  readonly #countOf: Database.Statement<[string]>;
  readonly #oldest: Database.Statement<[string]>;
  readonly #boundary: Database.Statement<[string, number]>;
  readonly #deleteThrough: Database.Statement<[string, string, string]>;
  readonly #newestBefore: Database.Statement<[string, string]>;
  readonly #deleteBefore: Database.Statement<[string, string]>;
  readonly #deleteInstance: Database.Statement<[string]>;
  readonly #size: Database.Statement<[]>;

  constructor(db: Database.Database) {
    this.#db = db;
    db.exec(EXECUTIONS_SCHEMA);
    this.#put = db.prepare(`INSERT OR REPLACE INTO executions (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.#delete = db.prepare("DELETE FROM executions WHERE id = ?");
    this.#byId = db.prepare(`SELECT ${COLUMNS} FROM executions WHERE id = ?`).raw();
    this.#countOf = db.prepare("SELECT COUNT(*) FROM executions WHERE instance_id = ?").raw();
    this.#oldest = db.prepare("SELECT started_at FROM executions WHERE instance_id = ? ORDER BY started_at, id LIMIT 1").raw();
    // The newest execution to remove, counted from the oldest end: a trim removes a few rows and
    // walks only those (counted from the newest end, it walked `keep` index entries every write).
    this.#boundary = db.prepare("SELECT started_at, id FROM executions WHERE instance_id = ? ORDER BY started_at, id LIMIT 1 OFFSET ?").raw();
    // Row values, not `a < ? OR (a = ? AND b <= ?)`: SQLite turns only the row-value form into a
    // range of the index; the OR form walked every execution of the instance (10,000 at the
    // retention cap) on every write.
    this.#deleteThrough = db.prepare("DELETE FROM executions WHERE instance_id = ? AND (started_at, id) <= (?, ?)");
    this.#newestBefore = db.prepare("SELECT MAX(started_at) FROM executions WHERE instance_id = ? AND started_at < ?").raw();
    this.#deleteBefore = db.prepare("DELETE FROM executions WHERE instance_id = ? AND started_at < ?");
    this.#deleteInstance = db.prepare("DELETE FROM executions WHERE instance_id = ?");
    this.#size = db.prepare("SELECT COUNT(*) FROM executions").raw();
  }

  /** Opens the batch's transaction unless one is open: every write until `commit` goes into it. */
  #begin(): void {
    if (!this.#db.inTransaction) this.#db.exec("BEGIN");
  }

  /** Writes the pending changes into the batch's open transaction (before a query, or at commit). */
  flushPending(): void {
    if (this.#pending.size === 0) return;
    this.#begin();
    for (const [id, execution] of this.#pending) {
      if (execution === null) this.#delete.run(id);
      else this.#put.run(...toRow(execution));
      this.#uncommitted.set(id, execution);
    }
    this.#pending.clear();
  }

  /**
   * Ends the batch: runs `write` (the backend's records) and writes the pending changes in the
   * open transaction, then commits it. On failure it rolls back, and every change of the batch is
   * pending again (a change made since stays the newer one), so the next write carries it.
   */
  commit(write: () => void): void {
    this.#begin();
    try {
      write();
      this.flushPending();
      this.#db.exec("COMMIT");
    } catch (error) {
      if (this.#db.inTransaction) this.#db.exec("ROLLBACK");
      for (const [id, execution] of this.#uncommitted) if (!this.#pending.has(id)) this.#pending.set(id, execution);
      // Retention's deletes were rolled back too: count again from the table when asked.
      this.#counts.clear();
      throw error;
    } finally {
      this.#uncommitted.clear();
    }
  }

  /** Whether changes wait for the next write. */
  get hasPending(): boolean {
    return this.#pending.size > 0;
  }

  add(execution: StoredExecution): void {
    this.#pending.set(execution.id, execution);
    const count = this.#counts.get(execution.instanceId);
    if (count !== undefined) this.#counts.set(execution.instanceId, count + 1);
  }

  update(execution: StoredExecution): void {
    if (this.get(execution.id)) this.#pending.set(execution.id, execution);
  }

  get(id: string): StoredExecution | undefined {
    const pending = this.#pending.get(id);
    if (pending !== undefined) return pending ?? undefined;
    const row = this.#byId.get(id) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  page(filter: ExecutionFilter, options: { after?: ExecutionPosition; limit: number }): StoredExecution[] {
    this.flushPending();
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
    const out: StoredExecution[] = [];
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
        .all(...params, chunk) as Row[];
      for (const row of rows) {
        const execution = fromRow(row);
        if (!filter.text || matchesFilter(execution, filter)) out.push(execution);
        if (out.length >= options.limit) return out;
      }
      if (rows.length < chunk) return out;
      const last = rows[rows.length - 1];
      after = { startedAt: last[7], id: last[0] };
    }
  }

  countOf(instanceId: string): number {
    let count = this.#counts.get(instanceId);
    if (count === undefined) {
      this.flushPending();
      count = (this.#countOf.get(instanceId) as [number])[0];
      this.#counts.set(instanceId, count);
    }
    return count;
  }

  removeInstance(instanceId: string): void {
    this.flushPending();
    this.#begin();
    this.#deleteInstance.run(instanceId);
    this.#counts.set(instanceId, 0);
  }

  trim(instanceId: string, keep: number, startedBefore: number): number | undefined {
    const count = this.countOf(instanceId);
    if (count === 0) return undefined;
    this.flushPending();
    const cutoff = new Date(startedBefore).toISOString();
    const oldest = this.#oldest.get(instanceId) as [string] | undefined;
    if (count <= keep && (!oldest || oldest[0] >= cutoff)) return undefined;
    let newestRemoved: string | undefined;
    let left = count;
    this.#begin();
    if (oldest && oldest[0] < cutoff) {
      newestRemoved = (this.#newestBefore.get(instanceId, cutoff) as [string])[0];
      this.#deleteBefore.run(instanceId, cutoff);
      left = (this.#countOf.get(instanceId) as [number])[0];
    }
    const boundary = left > keep ? (this.#boundary.get(instanceId, left - keep - 1) as [string, string] | undefined) : undefined;
    if (boundary) {
      this.#deleteThrough.run(instanceId, boundary[0], boundary[1]);
      if (newestRemoved === undefined || boundary[0] > newestRemoved) newestRemoved = boundary[0];
      left = keep;
    }
    this.#counts.set(instanceId, left);
    return newestRemoved === undefined ? undefined : Date.parse(newestRemoved);
  }

  instancesStartedBefore(instant: number): string[] {
    this.flushPending();
    // Each organization (found by skipping through the organization index) and, in it, the range
    // of runs older than the cutoff: only the runs the sweep removes are read.
    return (this.#db.prepare(STARTED_BEFORE).raw().all(new Date(instant).toISOString()) as [string][]).map((r) => r[0]);
  }

  running(): StoredExecution[] {
    this.flushPending();
    return (this.#db.prepare(`SELECT ${COLUMNS} FROM executions WHERE status = 'running'`).raw().all() as Row[]).map(fromRow);
  }

  size(): number {
    this.flushPending();
    return (this.#size.get() as [number])[0];
  }
}
