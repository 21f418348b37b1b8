/**
 * Where executions live. There can be millions (every webhook call is one), so they are not a
 * table in memory like the other records: the domain reaches them through this interface, by id
 * or by page, newest first. The SQLite backend keeps them only on disk and queries by index
 * (persistence/sqlite-executions.ts); the memory backend and the browser's IndexedDB backend keep
 * them in memory (`MemoryExecutions`, below), which is what a test or a demo tab holds.
 *
 * Order is by start time, then id (both strings that sort as they compare); a page continues
 * strictly after the position of the last execution of the previous page, so a page cursor is
 * exact even when executions start in the same millisecond.
 */
import type { Execution, ExecutionStatus } from "../../contract/api.ts";
import type { StoredExecution } from "./store.ts";

/** What to list; `organizationId` is always given (no query crosses organizations). */
export interface ExecutionFilter {
  organizationId: string;
  customerId?: string;
  instanceId?: string;
  flowId?: string;
  status?: ExecutionStatus;
  trigger?: Execution["trigger"];
  /** Started at or after this instant (epoch ms). */
  from?: number;
  /** Started before this instant (epoch ms). */
  to?: number;
  /** Case-insensitive text in the error or a log line's message. */
  text?: string;
}

/** Where a page ends: the start time and id of its last (oldest) execution. */
export interface ExecutionPosition {
  startedAt: string;
  id: string;
}

export interface ExecutionStore {
  /** Records a new execution; durable at the next commit. */
  add(execution: StoredExecution): void;
  /** Replaces a recorded execution (it finished); durable at the next commit. */
  update(execution: StoredExecution): void;
  get(id: string): StoredExecution | undefined;
  /** Up to `limit` executions matching `filter`, newest first, strictly older than `after`. */
  page(filter: ExecutionFilter, options: { after?: ExecutionPosition; limit: number }): StoredExecution[];
  /** How many executions the instance has. */
  countOf(instanceId: string): number;
  /** Removes every execution of an instance. */
  removeInstance(instanceId: string): void;
  /**
   * Removes the instance's executions that started before `startedBefore` (epoch ms) and those
   * beyond its newest `keep`. Returns the start time (epoch ms) of the newest one removed, or
   * undefined when none was.
   */
  trim(instanceId: string, keep: number, startedBefore: number): number | undefined;
  /** Instances that have an execution started before `instant` (epoch ms). */
  instancesStartedBefore(instant: number): string[];
  /** Executions still marked running (after a restart: the ones the previous process left). */
  running(): StoredExecution[];
  /** How many executions there are in all. */
  size(): number;
}

/** Newest first: a before b when a started later, or at the same time with a larger id. */
export function newerFirst(a: ExecutionPosition, b: ExecutionPosition): number {
  if (a.startedAt !== b.startedAt) return a.startedAt > b.startedAt ? -1 : 1;
  return a.id > b.id ? -1 : a.id < b.id ? 1 : 0;
}

/** Whether `execution` passes `filter` (every field given must match). */
export function matchesFilter(execution: StoredExecution, filter: ExecutionFilter): boolean {
  if (execution.organizationId !== filter.organizationId) return false;
  if (filter.customerId !== undefined && execution.customerId !== filter.customerId) return false;
  if (filter.instanceId !== undefined && execution.instanceId !== filter.instanceId) return false;
  if (filter.flowId !== undefined && execution.flowId !== filter.flowId) return false;
  if (filter.status !== undefined && execution.status !== filter.status) return false;
  if (filter.trigger !== undefined && execution.trigger !== filter.trigger) return false;
  if (filter.from !== undefined && Date.parse(execution.startedAt) < filter.from) return false;
  if (filter.to !== undefined && Date.parse(execution.startedAt) >= filter.to) return false;
  if (filter.text !== undefined && filter.text !== "") {
    const needle = filter.text.toLowerCase();
    const inError = execution.error?.toLowerCase().includes(needle) ?? false;
    if (!inError && !execution.logs.some((line) => line.message.toLowerCase().includes(needle))) return false;
  }
  return true;
}

/**
 * Executions in memory, with an index per instance kept in order (oldest first). `onWrite` hears
 * every change (the IndexedDB backend persists what it hears).
 */
export class MemoryExecutions implements ExecutionStore {
  readonly #byId = new Map<string, StoredExecution>();
  readonly #byInstance = new Map<string, StoredExecution[]>();
  readonly #onWrite: (id: string, execution: StoredExecution | undefined) => void;

  constructor(initial: Iterable<StoredExecution> = [], onWrite: (id: string, execution: StoredExecution | undefined) => void = () => undefined) {
    this.#onWrite = onWrite;
    for (const execution of initial) this.#insert(execution);
  }

  #insert(execution: StoredExecution): void {
    this.#byId.set(execution.id, execution);
    let list = this.#byInstance.get(execution.instanceId);
    if (!list) this.#byInstance.set(execution.instanceId, (list = []));
    // Nearly always the newest: append; otherwise find its place from the end.
    let at = list.length;
    while (at > 0 && newerFirst(list[at - 1], execution) < 0) at--;
    list.splice(at, 0, execution);
  }

  add(execution: StoredExecution): void {
    this.#insert(execution);
    this.#onWrite(execution.id, execution);
  }

  update(execution: StoredExecution): void {
    const previous = this.#byId.get(execution.id);
    if (!previous) return;
    const list = this.#byInstance.get(previous.instanceId)!;
    list[list.lastIndexOf(previous)] = execution;
    this.#byId.set(execution.id, execution);
    this.#onWrite(execution.id, execution);
  }

  get(id: string): StoredExecution | undefined {
    return this.#byId.get(id);
  }

  /**
   * Puts back an execution's stored value (undefined: it was never stored) after its change could
   * not be stored (domain/changes.ts, UnstorableChangeError). Not a change: nothing is written.
   */
  undo(id: string, stored: StoredExecution | undefined): void {
    const current = this.#byId.get(id);
    if (current) {
      const list = this.#byInstance.get(current.instanceId)!;
      list.splice(list.lastIndexOf(current), 1);
      if (list.length === 0) this.#byInstance.delete(current.instanceId);
      this.#byId.delete(id);
    }
    if (stored) this.#insert(stored);
  }

  page(filter: ExecutionFilter, options: { after?: ExecutionPosition; limit: number }): StoredExecution[] {
    const out: StoredExecution[] = [];
    const candidates =
      filter.instanceId !== undefined ? [...(this.#byInstance.get(filter.instanceId) ?? [])].reverse() : [...this.#byId.values()].sort(newerFirst);
    for (const execution of candidates) {
      if (options.after && newerFirst(execution, options.after) <= 0) continue;
      if (!matchesFilter(execution, filter)) continue;
      out.push(execution);
      if (out.length >= options.limit) break;
    }
    return out;
  }

  countOf(instanceId: string): number {
    return this.#byInstance.get(instanceId)?.length ?? 0;
  }

  removeInstance(instanceId: string): void {
    for (const execution of this.#byInstance.get(instanceId) ?? []) {
      this.#byId.delete(execution.id);
      this.#onWrite(execution.id, undefined);
    }
    this.#byInstance.delete(instanceId);
  }

  trim(instanceId: string, keep: number, startedBefore: number): number | undefined {
    const list = this.#byInstance.get(instanceId);
    if (!list) return undefined;
    const cutoff = new Date(startedBefore).toISOString();
    let remove = Math.max(0, list.length - keep);
    while (remove < list.length && list[remove].startedAt < cutoff) remove++;
    if (remove === 0) return undefined;
    const removed = list.splice(0, remove);
    for (const execution of removed) {
      this.#byId.delete(execution.id);
      this.#onWrite(execution.id, undefined);
    }
    if (list.length === 0) this.#byInstance.delete(instanceId);
    return Date.parse(removed[removed.length - 1].startedAt);
  }

  instancesStartedBefore(instant: number): string[] {
    const cutoff = new Date(instant).toISOString();
    return [...this.#byInstance].filter(([, list]) => list.length > 0 && list[0].startedAt < cutoff).map(([id]) => id);
  }

  running(): StoredExecution[] {
    return [...this.#byId.values()].filter((e) => e.status === "running");
  }

  size(): number {
    return this.#byId.size;
  }

  values(): IterableIterator<StoredExecution> {
    return this.#byId.values();
  }
}
