/**
 * How the platform keeps its word that a 2xx is on disk: every write to a record is announced
 * (`changed(kind, id)`), and before an answer leaves, the route awaits `commit()`, which resolves
 * once every change announced so far is durable (fsync'd, or an IndexedDB transaction complete).
 *
 * Group commit: at most one write to the backend is in flight; changes announced meanwhile wait
 * and go together in the next one, so under load many requests share one fsync instead of
 * answering before theirs. A change nobody awaits (a scheduled run, an async webhook's end) is
 * committed on the next macrotask anyway.
 *
 * Record-level: a write carries only the records announced since the last one (their current
 * value, read when the write starts, so ten changes to one record cost one write) and the
 * execution changes, so its cost does not grow with the size of the state.
 */
import { RECORD_KIND_NAMES, trackChanges, type RecordKindName, type Snapshot, type StoredExecution } from "./store.ts";
import type { ExecutionFilter, ExecutionPosition, ExecutionStore } from "./execution-store.ts";
import { LoggableError, logId, logReason } from "./log-text.ts";

/** One record to write: its current value, or undefined when it was deleted. */
export interface RecordWrite {
  kind: RecordKindName;
  id: string;
  record: unknown;
}

/** A record as a backend holds it (its secrets already opened). */
export interface StoredRecord {
  kind: string;
  id: string;
  record: unknown;
}

/**
 * One change a backend could not store: which (`change`, as `executionChange` and `recordChange`
 * name it: matched with a request's own changes, never logged), how log lines name it (`shown`)
 * and why (`why`, without any value). Made by `executionRefusal` and `recordRefusal` alone.
 */
export interface RefusedChange {
  change: string;
  shown: string;
  why: string;
  /** A refused execution as it was refused (never logged): its end, say, which the platform then stores cut (executions.ts). */
  execution?: StoredExecution;
}

/** How a refused execution is named: `execution <id>`. */
export const executionChange = (id: string): string => `execution ${id}`;
/** How a refused record is named: `<kind>/<id>`. */
export const recordChange = (kind: string, id: string): string => `${kind}/${id}`;

/** An execution a backend refused, with the error its stored form threw. */
export function executionRefusal(execution: StoredExecution, error: unknown): RefusedChange {
  const { id } = execution;
  return { change: executionChange(id), shown: executionChange(logId(id)), why: logReason(error), execution };
}

/**
 * A record a backend refused, with the error its stored form threw. Its id is shown only when it
 * has an id's shape: an OAuth flow's record id is its `state`, a secret (log-text.ts).
 */
export function recordRefusal(kind: string, id: string, error: unknown): RefusedChange {
  return { change: recordChange(kind, id), shown: recordChange(kind, logId(id)), why: logReason(error) };
}

/**
 * Changes a backend could not put in its stored form (serialising them threw: a value past V8's
 * string limit, a BigInt, a `toJSON` that throws): each is refused alone, and everything else of
 * the write is durable. The refused changes are not tried again (they would fail the same way):
 * an execution reads as it is stored (its change undone), a record stays as it is in memory (it
 * is written again with its next change). A request whose own change is among them must not get
 * a 2xx; every other request of the write may (its changes are durable): see `failsRequest`.
 */
export class UnstorableChangeError extends LoggableError {
  override readonly name = "UnstorableChangeError";
  /** What was refused, each with why, as log lines may say it: `execution <id>: …` or `<kind>/<id>: …`. */
  readonly refused: readonly string[];
  readonly #refusals: readonly RefusedChange[];
  // Private, read through getters: an error printed whole (an unhandled rejection, `console.error(error)`)
  // shows its own properties, and these hold an OAuth state (a record id) and runs' data.
  readonly #changes: ReadonlySet<string>;
  readonly #executions: readonly StoredExecution[];
  constructor(refusals: readonly RefusedChange[]) {
    const named = refusals.map(({ shown, why }) => `${shown}: ${why}`);
    super(`could not store ${named.length === 1 ? "this change" : `${named.length} changes`}, the rest is durable: ${named.join("; ")}`);
    this.#refusals = refusals;
    this.refused = named;
    this.#changes = new Set(refusals.map(({ change }) => change));
    this.#executions = refusals.flatMap(({ execution }) => (execution ? [execution] : []));
  }

  /** The refused changes alone, as `executionChange` and `recordChange` name them (never logged). */
  get changes(): ReadonlySet<string> {
    return this.#changes;
  }

  /** The refused executions, as they were refused (never logged). */
  get executions(): readonly StoredExecution[] {
    return this.#executions;
  }

  /** Why `change` (named as `executionChange` and `recordChange` name it) was refused, as the log line says it; undefined when it was not. */
  why(change: string): string | undefined {
    return this.#refusals.find((refusal) => refusal.change === change)?.why;
  }

  /** This error's refusals and `other`'s, as one (the refusals of two writes a request may have its changes in). */
  and(other: UnstorableChangeError): UnstorableChangeError {
    return new UnstorableChangeError([...this.#refusals, ...other.#refusals]);
  }
}

/**
 * A change's stored text: its JSON. JSON.stringify gives no text for a function, a symbol or
 * undefined; such a change has no stored form, and this throws so that it is refused
 * alone (the state file wrote it as NULL, which its NOT NULL refused with the whole batch, again
 * with every later write).
 */
export function jsonText(value: unknown): string {
  const text = JSON.stringify(value);
  if (typeof text !== "string") throw new LoggableError(`no JSON for a ${typeof value}`);
  return text;
}

/** The fields of an execution its store indexes (the state file's columns): each a string in every stored execution. */
export const EXECUTION_COLUMNS = ["id", "organizationId", "customerId", "instanceId", "flowId", "status", "trigger", "startedAt"] as const;

/** Throws (the execution is refused alone) when one of its EXECUTION_COLUMNS is not a string. */
export function checkColumns(execution: StoredExecution): void {
  for (const key of EXECUTION_COLUMNS) if (typeof execution[key] !== "string") throw new LoggableError(`no string for its ${key}`);
}

/**
 * Whether a failed `commit()` fails the request that awaited it, given the changes the request
 * made (`own`, named as `executionChange`/`recordChange` name them). Any other failure than
 * UnstorableChangeError fails every request (nothing of the write counts); a refusal fails only
 * the requests whose own change it refused. The others' changes are durable: a 2xx is true for
 * them, and a 503 would make a sender such as Stripe send again a webhook whose run is on disk.
 * A request that cannot name its changes (every route but the webhook's) does not ask: any
 * failure of its commit fails it (http/answer.ts `unsaved`). A synchronous run's caller (the
 * webhook, a test run or replay: runs.ts) asks of its run alone, whose end refused may be stored
 * cut (Executions.durableCut).
 */
export function failsRequest(error: unknown, own: readonly string[]): boolean {
  if (!(error instanceof UnstorableChangeError)) return true;
  for (const change of own) if (error.changes.has(change)) return true;
  return false;
}

/**
 * What a persistence backend provides: the records it holds (read once, at start), the
 * executions (queried where they live), and durable writes.
 */
export interface StoreBackend {
  /** Every stored record, secrets in clear. Kinds this version does not know are skipped. */
  loadRecords(): Iterable<StoredRecord>;
  readonly executions: ExecutionStore;
  /**
   * Writes these records (undefined: delete) and every execution change made since the last
   * write, as one unit; resolves once all of it is durable. On failure nothing of it counts and
   * the same changes come again in the next write, except an UnstorableChangeError: then the
   * changes it names were refused alone (not tried again) and everything else is durable.
   */
  write(records: RecordWrite[]): Promise<void>;
  close(): Promise<void>;
}

const stores = new WeakMap<Snapshot, Store>();

/** Says that a write nobody awaits failed; a refusal was logged by the write that made it (`#write`). */
function logUnsaved(error: unknown): void {
  if (!(error instanceof UnstorableChangeError)) console.error(`[emporium platform] could not save the state: ${logReason(error)}`);
}

/** The first and the longest pause before a failed write is tried again with nothing else starting it. */
const RETRY_FIRST_MS = 100;
const RETRY_MOST_MS = 10_000;

export class Store {
  readonly tables: Snapshot;
  /** The executions, through which every change also marks the store dirty. */
  readonly executions: ExecutionStore;
  readonly #backend: StoreBackend;
  readonly #dirty = new Map<RecordKindName, Set<string>>();
  #executionsDirty = false;
  #inFlight: Promise<void> | undefined;
  #next: { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } | undefined;
  #scheduled = false;
  #closed = false;
  #closing = false;
  #durableWrites = 0;
  #refusedChanges = 0;
  /** The pause before the next retry of a failed write that nothing else starts (see #retryLater). */
  #retryMs = RETRY_FIRST_MS;
  #retryPending = false;
  readonly #beforeWrite: Array<() => void> = [];
  readonly #onRefused: Array<(refused: UnstorableChangeError) => void> = [];
  readonly #watchers = new Map<RecordKindName, Array<(ids: readonly string[]) => void>>();

  /** The store that persists `tables` (each platform's tables have one), for indexes over them. */
  static of(tables: Snapshot): Store {
    const store = stores.get(tables);
    if (!store) throw new TypeError("these tables are not kept by a store (createPlatform ties each platform's tables to one)");
    return store;
  }

  constructor(backend: StoreBackend, tables: Snapshot) {
    this.#backend = backend;
    this.tables = tables;
    stores.set(tables, this);
    trackChanges(tables, (kind, ids) => this.changed(kind, ...ids));
    const inner = backend.executions;
    const dirty = () => {
      this.#executionsDirty = true;
      this.#schedule();
    };
    this.executions = {
      add: (execution: StoredExecution) => (inner.add(execution), dirty()),
      update: (execution: StoredExecution) => (inner.update(execution), dirty()),
      get: (id: string) => inner.get(id),
      page: (filter: ExecutionFilter, options: { after?: ExecutionPosition; limit: number }) => inner.page(filter, options),
      countOf: (instanceId: string) => inner.countOf(instanceId),
      removeInstance: (instanceId: string) => (inner.removeInstance(instanceId), dirty()),
      trim: (instanceId: string, keep: number, startedBefore: number) => {
        const removed = inner.trim(instanceId, keep, startedBefore);
        if (removed !== undefined) dirty();
        return removed;
      },
      instancesStartedBefore: (instant: number) => inner.instancesStartedBefore(instant),
      running: () => inner.running(),
      size: () => inner.size(),
    };
  }

  /** Announces that these records of `kind` were written or deleted. */
  changed(kind: RecordKindName, ...ids: string[]): void {
    let set = this.#dirty.get(kind);
    if (!set) this.#dirty.set(kind, (set = new Set()));
    for (const id of ids) set.add(id);
    for (const watcher of this.#watchers.get(kind) ?? []) watcher(ids);
    this.#schedule();
  }

  /**
   * Calls `watcher` with the ids of every announced change to records of `kind` (written or
   * deleted), as it is announced: how an index in memory (org-search.ts) stays true to its table.
   */
  watch(kind: RecordKindName, watcher: (ids: readonly string[]) => void): void {
    this.#watchers.set(kind, [...(this.#watchers.get(kind) ?? []), watcher]);
  }

  /** Runs `hook` at the start of every write, before the changes are collected (retention trims). */
  beforeWrite(hook: () => void): void {
    this.#beforeWrite.push(hook);
  }

  /**
   * Calls `hook` with each write's refusals (UnstorableChangeError) as the write ends, before
   * anyone waiting on it hears: a change it makes goes in the next write (a run's end stored cut).
   */
  onRefused(hook: (refused: UnstorableChangeError) => void): void {
    this.#onRefused.push(hook);
  }

  /** Resolves once every change announced so far is durable; rejects when the write failed. */
  commit(): Promise<void> {
    if (!this.#pending()) return this.#inFlight ?? Promise.resolve();
    if (this.#inFlight) {
      if (!this.#next) {
        let resolve!: () => void;
        let reject!: (error: unknown) => void;
        const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
        this.#next = { promise, resolve, reject };
      }
      return this.#next.promise;
    }
    return this.#write();
  }

  /**
   * How many writes the backend made durable so far (the bench divides its requests by it),
   * those that refused a change included: everything else of them is durable.
   */
  get durableWrites(): number {
    return this.#durableWrites;
  }

  /** How many changes the backend refused so far (UnstorableChangeError), each counted once. */
  get refusedChanges(): number {
    return this.#refusedChanges;
  }

  /**
   * Commits what is pending and closes the backend. A change refused on the way
   * (UnstorableChangeError: the rest is durable) does not keep it open: the error comes after.
   * A write that requests joined while one was in flight (started once that one ended) is waited
   * for too, its refusals with the rest: the backend is closed once no write is left.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closing = true;
    let refused: UnstorableChangeError | undefined;
    while (this.#inFlight || this.#pending()) {
      await this.commit().catch((error: unknown) => {
        if (!(error instanceof UnstorableChangeError)) throw error;
        refused = refused ? refused.and(error) : error;
      });
    }
    this.#closed = true;
    await this.#backend.close();
    if (refused) throw refused;
  }

  #pending(): boolean {
    return this.#executionsDirty || this.#dirty.size > 0;
  }

  #schedule(): void {
    if (this.#scheduled || this.#closed) return;
    this.#scheduled = true;
    setTimeout(() => {
      this.#scheduled = false;
      this.commit().catch(logUnsaved);
    }, 0);
  }

  /**
   * After a failed write (a full disk, an I/O error), writes what is pending again after a pause
   * that doubles with each failure, from RETRY_FIRST_MS to RETRY_MOST_MS, and is back to the first
   * once a retry finds everything written. A request or a new change still starts a write at once
   * (their callers want to know); what nobody awaits (an async webhook's end) is written by the
   * retry once the disk is back. Before, the failed write's changes were announced again, which
   * started the next write on the next macrotask: a failing disk was tried about a thousand
   * times a second, with a log line each time.
   */
  #retryLater(): void {
    // A stop writes what is pending itself, and once it failed (close rejected) its caller has
    // given the store up: a retry would try and log every 10 s, and its timer keep the process up.
    if (this.#retryPending || this.#closing) return;
    this.#retryPending = true;
    const pause = this.#retryMs;
    this.#retryMs = Math.min(RETRY_MOST_MS, pause * 2);
    setTimeout(() => {
      this.#retryPending = false;
      if (this.#closing) return;
      this.commit().then(() => void (this.#retryMs = RETRY_FIRST_MS), logUnsaved);
    }, pause);
  }

  #write(): Promise<void> {
    for (const hook of this.#beforeWrite) hook();
    const writes: RecordWrite[] = [];
    for (const kind of RECORD_KIND_NAMES) {
      const ids = this.#dirty.get(kind);
      if (!ids) continue;
      const table = this.tables[kind] as Record<string, unknown>;
      for (const id of ids) writes.push({ kind, id, record: Object.hasOwn(table, id) ? table[id] : undefined });
    }
    const dirty = new Map(this.#dirty);
    this.#dirty.clear();
    this.#executionsDirty = false;
    const write = this.#backend.write(writes).catch((error: unknown) => {
      // Changes refused alone: the rest is durable, and the refused ones would fail again.
      if (error instanceof UnstorableChangeError) throw error;
      // Nothing of this write counts: its records are written again with the next one, which a
      // new change or a request starts at once, or else a retry after a pause (#retryLater).
      for (const [kind, ids] of dirty) {
        let set = this.#dirty.get(kind);
        if (!set) this.#dirty.set(kind, (set = new Set()));
        for (const id of ids) set.add(id);
      }
      this.#executionsDirty = true;
      this.#retryLater();
      throw error;
    });
    this.#inFlight = write;
    write.then(
      () => {
        this.#durableWrites++;
        this.#afterWrite(undefined);
      },
      (error: unknown) => {
        if (!(error instanceof UnstorableChangeError)) return this.#afterWrite(undefined);
        // Everything else of the write is durable: it counts as a write (the bench's requests per write).
        this.#durableWrites++;
        this.#refusedChanges += error.changes.size;
        // Said once here, whoever waits (a request may not be concerned: see failsRequest), except
        // while closing: the close rejects with it, and its caller says it.
        if (!this.#closing) console.error(`[emporium platform] ${error.message}`);
        for (const hook of this.#onRefused) hook(error);
        this.#afterWrite(error);
      },
    );
    return write;
  }

  /**
   * Starts the write the requests that came while one was in flight wait for. They cannot tell
   * whether their changes went in the write that just ended (announced before it started) or in
   * the next: a change that write refused (`refused`) fails them too, with the next write's own
   * refusals (see `failsRequest`: each then keeps only its own).
   */
  #afterWrite(refused: UnstorableChangeError | undefined): void {
    this.#inFlight = undefined;
    const next = this.#next;
    this.#next = undefined;
    if (!next) return;
    if (!refused) return void this.commit().then(next.resolve, next.reject);
    this.commit().then(
      () => next.reject(refused),
      (error: unknown) => next.reject(error instanceof UnstorableChangeError ? refused.and(error) : error),
    );
  }
}
