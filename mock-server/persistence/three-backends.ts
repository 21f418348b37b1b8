/**
 * The three persistence backends (the state file in SQLite, memory, and IndexedDB over a small
 * in-memory stand-in for the browser's IndexedDB that commits a transaction's writes at its
 * `complete` event, as the browser does), each with how it restarts, for tests that hold them to
 * the same answers. The IndexedDB stand-in has no secret key: it keeps secrets as they are (a
 * platform's deployed instance has some), which a test of secrets at rest must not use.
 */
import Database from "libsql";
import { Store, type StoreBackend } from "../domain/changes.ts";
import { MemoryBackend } from "../domain/memory-backend.ts";
import { createEmptySnapshot, type StoredExecution } from "../domain/store.ts";
import { IndexedDbBackend } from "./indexeddb-backend.ts";
import type { SqliteBackend } from "./sqlite-backend.ts";
import type { StateStores } from "./state-stores.ts";

/** An IndexedDB database of named stores (key → text) in memory: requests answer, and a transaction's writes land, on a later macrotask. */
function memoryIndexedDb(stores: Record<string, Map<string, string>>): IDBDatabase {
  const answer = (result: unknown) => {
    const request = { result, onsuccess: null as null | (() => void) };
    setTimeout(() => request.onsuccess?.(), 0);
    return request;
  };
  const transaction = () => {
    const writes: Array<() => void> = [];
    const tx = {
      oncomplete: null as null | (() => void),
      objectStore: (name: string) => ({
        put: (value: string, key: string) => (writes.push(() => stores[name].set(key, value)), answer(undefined)),
        delete: (key: string) => (writes.push(() => stores[name].delete(key)), answer(undefined)),
        get: (key: string) => answer(stores[name].get(key)),
      }),
    };
    setTimeout(() => {
      for (const write of writes) write();
      tx.oncomplete?.();
    }, 0);
    return tx;
  };
  return { transaction, close: () => undefined } as unknown as IDBDatabase;
}

/** An IndexedDB backend over these stores, with what they hold loaded (a start of the browser platform). */
function indexedDbOver(stores: Record<string, Map<string, string>>): IndexedDbBackend {
  const records = [...stores.records].map(([key, text]) => ({ kind: key.slice(0, key.indexOf("/")), id: key.slice(key.indexOf("/") + 1), record: JSON.parse(text) as unknown }));
  const executions = [...stores.executions.values()].map((text) => JSON.parse(text) as StoredExecution).sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1));
  const keepsSecretsAsTheyAre = { seal: async (secret: string) => secret };
  return new IndexedDbBackend(memoryIndexedDb(stores), keepsSecretsAsTheyAre as never, records, executions);
}

export interface BackendUnderTest {
  name: string;
  open: () => StoreBackend;
  /** The platform started again on what this backend stored. */
  restart: (backend: StoreBackend) => Promise<StoreBackend>;
  /**
   * An execution as the backend has written it (durable: what a kill now would leave), read
   * without the platform and without closing anything: what is pending is not in it.
   */
  written: (backend: StoreBackend, executionId: string) => StoredExecution | undefined;
}

/** SQLite (files of `stores`), memory and IndexedDB. */
export function threeBackends(stores: StateStores): BackendUnderTest[] {
  const indexedDbStores = new WeakMap<StoreBackend, Record<string, Map<string, string>>>();
  const indexedDbOn = (held: Record<string, Map<string, string>>) => {
    const backend = indexedDbOver(held);
    indexedDbStores.set(backend, held);
    return backend;
  };
  return [
    {
      name: "SQLite",
      open: () => stores.open(stores.freshPath()),
      restart: (backend) => stores.restart(backend as SqliteBackend),
      written: (backend, executionId) => {
        const db = new Database((backend as SqliteBackend).path, { readonly: true });
        try {
          const row = db.prepare("SELECT status, data FROM executions WHERE id = ?").raw().get(executionId) as [string, string] | undefined;
          return row && ({ ...(JSON.parse(row[1]) as object), status: row[0] } as StoredExecution);
        } finally {
          db.close();
        }
      },
    },
    // A new platform on the same memory backend is its restart.
    { name: "memory", open: () => new MemoryBackend(), restart: async (backend) => backend, written: (backend, executionId) => (backend as MemoryBackend).written(executionId) },
    {
      name: "IndexedDB",
      open: () => indexedDbOn({ records: new Map(), executions: new Map() }),
      restart: async (backend) => indexedDbOn(indexedDbStores.get(backend)!),
      written: (backend, executionId) => {
        const text = indexedDbStores.get(backend)!.executions.get(executionId);
        return text === undefined ? undefined : (JSON.parse(text) as StoredExecution);
      },
    },
  ];
}

/** A platform's store over what this backend holds (its records loaded, as at a start). */
export function storeOver(backend: StoreBackend): Store {
  const tables = createEmptySnapshot();
  for (const { kind, id, record } of backend.loadRecords()) (tables[kind as "customers"] as Record<string, unknown>)[id] = record;
  return new Store(backend, tables);
}
