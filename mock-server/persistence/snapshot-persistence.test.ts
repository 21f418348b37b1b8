/**
 * The service-worker transport's persistence, against a small in-memory IndexedDB fake that
 * behaves like the real one where the adapter relies on it (requests settle asynchronously, a
 * write is durable at `oncomplete`, blocked storage throws on open).
 */
import { describe, expect, it } from "vitest";
import { memoryPersistence, openSnapshotPersistence } from "./snapshot-persistence.ts";

type Handler = (() => void) | null;
interface FakeRequest { result: unknown; error: Error | null; onsuccess: Handler; onerror: Handler; onupgradeneeded?: Handler; onblocked?: Handler }

/** Databases live in `disk`, keyed by name, so a second factory on the same disk sees them. */
function fakeIndexedDB(disk = new Map<string, Map<string, Map<string, unknown>>>(), options: { failWrites?: boolean } = {}) {
  const later = (fn: () => void) => setTimeout(fn, 0);
  const settle = (req: FakeRequest, value: () => unknown) =>
    later(() => {
      try {
        req.result = value();
        req.onsuccess?.();
      } catch (error) {
        req.error = error as Error;
        req.onerror?.();
      }
    });
  const factory = {
    open(name: string) {
      const req: FakeRequest = { result: undefined, error: null, onsuccess: null, onerror: null, onupgradeneeded: null, onblocked: null };
      later(() => {
        const isNew = !disk.has(name);
        if (isNew) disk.set(name, new Map());
        const stores = disk.get(name)!;
        const db = {
          objectStoreNames: { contains: (s: string) => stores.has(s) },
          createObjectStore: (s: string) => stores.set(s, new Map()),
          close: () => undefined,
          transaction(storeName: string) {
            const tx = { oncomplete: null as Handler, onerror: null as Handler, onabort: null as Handler, error: null as Error | null };
            const store = stores.get(storeName)!;
            const pending = new Map(store);
            let wrote = false;
            return Object.assign(tx, {
              objectStore: () => ({
                get(key: string) {
                  const r: FakeRequest = { result: undefined, error: null, onsuccess: null, onerror: null };
                  settle(r, () => store.get(key));
                  return r;
                },
                put(value: unknown, key: string) {
                  wrote = true;
                  pending.set(key, structuredClone(value));
                  later(() => {
                    if (options.failWrites) {
                      tx.error = new Error("QuotaExceededError");
                      tx.onerror?.();
                      return;
                    }
                    if (wrote) for (const [k, v] of pending) store.set(k, v);
                    tx.oncomplete?.();
                  });
                  return { result: key, error: null, onsuccess: null, onerror: null };
                },
              }),
            });
          },
        };
        req.result = db;
        if (isNew) req.onupgradeneeded?.();
        req.onsuccess?.();
      });
      return req;
    },
  };
  return factory as unknown as IDBFactory;
}

describe("snapshot persistence", () => {
  it("D9 keeps the snapshot in IndexedDB: a new page (a second open) reads what the first wrote", async () => {
    const disk = new Map();
    const first = await openSnapshotPersistence({ factory: fakeIndexedDB(disk), databaseName: "t1" });
    expect(first.kind).toBe("indexeddb");
    expect(await first.load()).toBeUndefined();
    await first.save('{"version":1}');
    await first.save('{"version":1,"n":2}');
    first.close();
    const second = await openSnapshotPersistence({ factory: fakeIndexedDB(disk), databaseName: "t1" });
    expect(await second.load()).toBe('{"version":1,"n":2}');
  });

  it("falls back to memory when IndexedDB is missing or blocked, and says so", async () => {
    expect((await openSnapshotPersistence({ factory: null })).kind).toBe("memory");
    const blocked = {
      open() {
        throw new DOMException("third-party storage is blocked", "SecurityError");
      },
    } as unknown as IDBFactory;
    const fallback = await openSnapshotPersistence({ factory: blocked });
    expect(fallback.kind).toBe("memory");
    await fallback.save("x");
    expect(await fallback.load()).toBe("x");
  });

  it("reports a failed write instead of pretending it is stored", async () => {
    const persistence = await openSnapshotPersistence({ factory: fakeIndexedDB(new Map(), { failWrites: true }), databaseName: "t2" });
    await expect(persistence.save("x")).rejects.toThrow(/Quota/);
  });

  it("memory persistence starts empty or from a given text", async () => {
    expect(await memoryPersistence().load()).toBeUndefined();
    expect(await memoryPersistence("y").load()).toBe("y");
  });
});
