/**
 * The browser transport's persistence (a static demo's service worker or in-page platform):
 * IndexedDB, record by record. Every record is one entry of the `records` store (its secrets
 * sealed with AES-256-GCM through WebCrypto), every execution one entry of `executions`; a write
 * is one readwrite transaction over both and resolves at its `complete` event, when the browser
 * reports it durable, so a 2xx of the browser platform is as kept as the server's.
 *
 * The key is a non-extractable WebCrypto key generated on first use and kept in IndexedDB (a
 * script can use it, never read its bytes), so what IndexedDB holds as records never contains a
 * secret in clear. Executions live in memory too (a demo tab never holds millions) and are loaded
 * with the records. Where IndexedDB is missing or blocked (a cross-site iframe with third-party
 * storage blocked, private modes), the platform runs on memory and `kind` says so, so the UI can
 * tell the user a reload starts over.
 */
import { MemoryBackend } from "../domain/memory-backend.ts";
import { MemoryExecutions } from "../domain/execution-store.ts";
import { recordKinds, type RecordKindName, type StoredExecution } from "../domain/store.ts";
import { checkColumns, executionRefusal, jsonText, recordRefusal, UnstorableChangeError, type RefusedChange, type RecordWrite, type StoreBackend, type StoredRecord } from "../domain/changes.ts";
import { logReason } from "../domain/log-text.ts";

export type PersistenceKind = "indexeddb" | "memory";

const RECORDS = "records";
const EXECUTIONS = "executions";
const KEYS = "keys";
const KEY_ENTRY = "secrets";
const PREFIX = "enc:v1:";

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("IndexedDB request failed"));
  });
}

function completion(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    // Resolve on commit, not on the requests: only then is the write durable.
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error("IndexedDB write failed"));
    tx.onabort = () => reject(tx.error ?? new Error("IndexedDB write aborted"));
  });
}

function openDatabase(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let open: IDBOpenDBRequest;
    try {
      open = factory.open(name, 2);
    } catch (error) {
      // Blocked storage throws synchronously in some browsers (SecurityError).
      reject(error);
      return;
    }
    open.onupgradeneeded = () => {
      const db = open.result;
      // Version 1 kept one whole-state snapshot; record-level storage starts over.
      for (const store of ["state", RECORDS, EXECUTIONS, KEYS]) if (db.objectStoreNames.contains(store)) db.deleteObjectStore(store);
      db.createObjectStore(RECORDS);
      db.createObjectStore(EXECUTIONS);
      db.createObjectStore(KEYS);
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error ?? new Error("IndexedDB open failed"));
    open.onblocked = () => reject(new Error("IndexedDB open blocked by another tab"));
  });
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
const unb64 = (text: string) => Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (c) => c.charCodeAt(0));

/** AES-256-GCM with a WebCrypto key: the browser twin of secret-box.ts, same sealed format. */
class WebSecretBox {
  constructor(
    readonly keyId: string,
    readonly key: CryptoKey,
  ) {}

  async seal(secret: string): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, this.key, new TextEncoder().encode(secret)));
    const body = new Uint8Array(iv.length + sealed.length);
    body.set(iv);
    body.set(sealed, iv.length);
    return `${PREFIX}${this.keyId}:${b64(body)}`;
  }

  async open(value: string): Promise<string> {
    if (!value.startsWith(PREFIX)) return value;
    const body = unb64(value.slice(PREFIX.length + this.keyId.length + 1));
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: body.subarray(0, 12) }, this.key, body.subarray(12));
    return new TextDecoder().decode(plain);
  }
}

/** `record` with its secrets replaced by `transform` (async: WebCrypto), in the kind's own order. */
async function transformSecrets(kind: RecordKindName, record: unknown, transform: (secret: string) => Promise<string>): Promise<unknown> {
  const secrets = recordKinds[kind].secrets as ((record: unknown, seal: (s: string) => string) => unknown) | undefined;
  if (!secrets) return record;
  const found: string[] = [];
  secrets(record, (secret) => (found.push(secret), secret));
  const done = await Promise.all(found.map(transform));
  let i = 0;
  return secrets(record, () => done[i++]);
}

async function secretBox(db: IDBDatabase): Promise<WebSecretBox> {
  const stored = (await request(db.transaction(KEYS, "readonly").objectStore(KEYS).get(KEY_ENTRY))) as { keyId: string; key: CryptoKey } | undefined;
  if (stored) return new WebSecretBox(stored.keyId, stored.key);
  const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
  const keyId = b64(crypto.getRandomValues(new Uint8Array(6)));
  const tx = db.transaction(KEYS, "readwrite");
  tx.objectStore(KEYS).put({ keyId, key }, KEY_ENTRY);
  await completion(tx);
  return new WebSecretBox(keyId, key);
}

export class IndexedDbBackend implements StoreBackend {
  readonly kind = "indexeddb" as const;
  readonly executions: MemoryExecutions;
  readonly #db: IDBDatabase;
  readonly #box: WebSecretBox;
  readonly #records: StoredRecord[];
  readonly #dirtyExecutions = new Set<string>();
  /** The ids of the executions the database holds (as of the last write): a refused one that is not among them is undone at once. */
  readonly #storedExecutions: Set<string>;

  constructor(db: IDBDatabase, box: WebSecretBox, records: StoredRecord[], executions: StoredExecution[]) {
    this.#db = db;
    this.#box = box;
    this.#records = records;
    this.executions = new MemoryExecutions(executions, (id) => this.#dirtyExecutions.add(id));
    this.#storedExecutions = new Set(executions.map((e) => e.id));
  }

  loadRecords(): Iterable<StoredRecord> {
    return this.#records.splice(0);
  }

  /**
   * Every change's stored form is built before the transaction opens; one whose JSON (or sealing)
   * throws is refused alone, as on the state file (UnstorableChangeError): a refused execution is
   * undone to its stored value, read first.
   */
  async write(records: RecordWrite[]): Promise<void> {
    const refused: RefusedChange[] = [];
    // Taken before the first await, as the state file takes its batch: a change made while the
    // records are sealed belongs to the next write (and its refusal to that write's requests).
    const executions: Array<[id: string, text: string | undefined]> = [];
    const unstorable: Array<[id: string, execution: StoredExecution]> = [];
    for (const id of this.#dirtyExecutions) {
      this.#dirtyExecutions.delete(id);
      const execution = this.executions.get(id);
      try {
        if (execution) checkColumns(execution);
        executions.push([id, execution && JSON.stringify(execution)]);
      } catch (error) {
        refused.push(executionRefusal(execution!, error));
        // Never stored: gone at once, as on the state file (a later update of it changes nothing).
        if (this.#storedExecutions.has(id)) unstorable.push([id, execution!]);
        else this.executions.undo(id, undefined);
      }
    }
    const sealed = await Promise.all(
      records.map(async ({ kind, id, record }) => {
        const key = `${kind}/${id}`;
        try {
          return { key, text: record === undefined ? undefined : jsonText(await transformSecrets(kind, record, (s) => this.#box.seal(s))) };
        } catch (error) {
          refused.push(recordRefusal(kind, id, error));
          return undefined;
        }
      }),
    );
    if (unstorable.length > 0) await this.#undo(unstorable);
    try {
      const tx = this.#db.transaction([RECORDS, EXECUTIONS], "readwrite");
      const recordStore = tx.objectStore(RECORDS);
      for (const change of sealed) {
        if (!change) continue;
        if (change.text === undefined) recordStore.delete(change.key);
        else recordStore.put(change.text, change.key);
      }
      const executionStore = tx.objectStore(EXECUTIONS);
      for (const [id, text] of executions) {
        if (text !== undefined) executionStore.put(text, id);
        else executionStore.delete(id);
      }
      await completion(tx);
    } catch (error) {
      for (const [id] of executions) this.#dirtyExecutions.add(id);
      throw error;
    }
    for (const [id, text] of executions) {
      if (text !== undefined) this.#storedExecutions.add(id);
      else this.#storedExecutions.delete(id);
    }
    if (refused.length > 0) throw new UnstorableChangeError(refused);
  }

  /**
   * Stored executions whose change could not be stored go back to their stored value, read first
   * (unless changed again meanwhile: the state file would have applied that change to its stored value too).
   */
  async #undo(unstorable: Array<[id: string, execution: StoredExecution]>): Promise<void> {
    const store = this.#db.transaction(EXECUTIONS, "readonly").objectStore(EXECUTIONS);
    const stored = await Promise.all(unstorable.map(([id]) => request(store.get(id)) as Promise<string | undefined>));
    unstorable.forEach(([id, execution], i) => {
      if (this.executions.get(id) === execution) this.executions.undo(id, stored[i] === undefined ? undefined : (JSON.parse(stored[i]!) as StoredExecution));
    });
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}

/** Reads every entry of a store as [key, value] pairs. */
async function entries(db: IDBDatabase, store: string): Promise<Array<[string, string]>> {
  const tx = db.transaction(store, "readonly");
  const [keys, values] = await Promise.all([request(tx.objectStore(store).getAllKeys()), request(tx.objectStore(store).getAll())]);
  return keys.map((key, i) => [String(key), values[i] as string]);
}

/**
 * IndexedDB when it opens and reads, else memory (`kind` says which). `factory` defaults to
 * `globalThis.indexedDB`; pass `null` to force memory.
 */
export async function openBrowserBackend(
  options: { databaseName?: string; factory?: IDBFactory | null } = {},
): Promise<{ backend: StoreBackend; kind: PersistenceKind }> {
  const factory = options.factory === undefined ? (globalThis as { indexedDB?: IDBFactory }).indexedDB : options.factory;
  const memory = () => ({ backend: new MemoryBackend(), kind: "memory" as const });
  if (!factory || !globalThis.crypto?.subtle) return memory();
  let db: IDBDatabase;
  try {
    db = await openDatabase(factory, options.databaseName ?? "emporium-mock-platform");
  } catch {
    return memory();
  }
  try {
    const box = await secretBox(db);
    const records: StoredRecord[] = [];
    for (const [key, text] of await entries(db, RECORDS)) {
      const at = key.indexOf("/");
      const kind = key.slice(0, at);
      const record = JSON.parse(text) as unknown;
      records.push({ kind, id: key.slice(at + 1), record: Object.hasOwn(recordKinds, kind) ? await transformSecrets(kind as RecordKindName, record, (s) => box.open(s)) : record });
    }
    const executions = (await entries(db, EXECUTIONS)).map(([, text]) => JSON.parse(text) as StoredExecution);
    executions.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id < b.id ? -1 : 1));
    return { backend: new IndexedDbBackend(db, box, records, executions), kind: "indexeddb" };
  } catch (error) {
    console.warn(`[emporium platform] the stored state is unreadable (${logReason(error)}); starting fresh in memory`);
    db.close();
    return memory();
  }
}
