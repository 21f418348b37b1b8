/**
 * Where the service-worker transport keeps the platform's snapshot: IndexedDB where the
 * browser allows it, otherwise memory (a cross-site iframe with third-party storage blocked,
 * private modes, or no IndexedDB at all). `kind` tells the UI which one it got, so it can show
 * a notice that nothing will survive a reload. Uses only the small, old part of the IndexedDB
 * API (open, one object store, get/put by key).
 */

export type PersistenceKind = "indexeddb" | "memory";

export interface SnapshotPersistence {
  readonly kind: PersistenceKind;
  /** The stored snapshot text, or undefined when there is none. */
  load(): Promise<string | undefined>;
  /** Replaces the stored snapshot. */
  save(text: string): Promise<void>;
  close(): void;
}

const STORE = "state";
const KEY = "snapshot";

export function memoryPersistence(initial?: string): SnapshotPersistence {
  let text = initial;
  return {
    kind: "memory",
    load: async () => text,
    save: async (next) => {
      text = next;
    },
    close: () => undefined,
  };
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("IndexedDB request failed"));
  });
}

function openDatabase(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let open: IDBOpenDBRequest;
    try {
      open = factory.open(name, 1);
    } catch (error) {
      // Blocked storage throws synchronously in some browsers (SecurityError).
      reject(error);
      return;
    }
    open.onupgradeneeded = () => {
      if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE);
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error ?? new Error("IndexedDB open failed"));
    open.onblocked = () => reject(new Error("IndexedDB open blocked by another tab"));
  });
}

/**
 * IndexedDB when it opens (and a write-read round trip works), else memory. `factory` defaults
 * to `globalThis.indexedDB`; pass `null` to force memory.
 */
export async function openSnapshotPersistence(
  options: { databaseName?: string; factory?: IDBFactory | null } = {},
): Promise<SnapshotPersistence> {
  const factory = options.factory === undefined ? (globalThis as { indexedDB?: IDBFactory }).indexedDB : options.factory;
  if (!factory) return memoryPersistence();
  let db: IDBDatabase;
  try {
    db = await openDatabase(factory, options.databaseName ?? "emporium-mock-platform");
  } catch {
    return memoryPersistence();
  }
  const persistence: SnapshotPersistence = {
    kind: "indexeddb",
    async load() {
      const value = await request(db.transaction(STORE, "readonly").objectStore(STORE).get(KEY));
      return typeof value === "string" ? value : undefined;
    },
    save(text) {
      return new Promise((resolve, reject) => {
        const tx = db.transaction(STORE, "readwrite");
        tx.objectStore(STORE).put(text, KEY);
        // Resolve on commit, not on the put: only then is the snapshot durable.
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error ?? new Error("IndexedDB write failed"));
        tx.onabort = () => reject(tx.error ?? new Error("IndexedDB write aborted"));
      });
    },
    close: () => db.close(),
  };
  try {
    await persistence.load();
  } catch {
    db.close();
    return memoryPersistence();
  }
  return persistence;
}
