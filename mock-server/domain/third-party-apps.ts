/**
 * The mocked third-party apps (Slack, Salesforce, Jira, …) that flows call through an
 * instance's connection. Each app is a tiny REST store per customer, so a flow's work is visible
 * and checkable: POST creates a record, GET lists or reads, PUT upserts, DELETE removes.
 * Credentials are checked like a real app would: an API key or password starting with "bad",
 * "invalid" or "revoked" is refused, one the app revoked (the `connections-revoked` scenario) too,
 * and an OAuth grant must be active and the caller's.
 */
import { iso, sleepOn, type Clock } from "./clock.ts";
import { newId } from "./ids.ts";
import { interned } from "./interned.ts";
import type { PlatformContext } from "./context.ts";
import { touch, type AppData, type Snapshot, type StoredConnection } from "./store.ts";
import { directoryCollection } from "../fixtures/app-directories.ts";

export interface AppRequest {
  app: string;
  organizationId: string;
  customerId: string;
  connection: StoredConnection;
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  body?: unknown;
}

export interface AppResponse {
  status: number;
  body: unknown;
}

const REFUSED = /^(bad|invalid|revoked)/i;

/** Which account the connection authenticates as, or why the app refuses it. */
export function authenticateConnection(
  snapshot: Snapshot,
  app: string,
  organizationId: string,
  customerId: string,
  connection: StoredConnection,
): { ok: true; account: string } | { ok: false; message: string } {
  switch (connection.kind) {
    case "api-key":
      if (connection.revoked) return { ok: false, message: `${app} revoked the API key (401 token_revoked); reconnect with a new one.` };
      if (connection.apiKey.length < 4 || REFUSED.test(connection.apiKey)) return { ok: false, message: `${app} refused the API key (401 invalid_auth).` };
      return { ok: true, account: `${app} workspace (key …${connection.apiKey.slice(-4)})` };
    case "basic":
      if (connection.revoked) return { ok: false, message: `${app} no longer accepts this password (401 unauthorized); reconnect with the current one.` };
      if (connection.username === "" || REFUSED.test(connection.password)) {
        return { ok: false, message: `${app} refused the username or password (401 unauthorized).` };
      }
      return { ok: true, account: connection.username };
    case "oauth2": {
      const grant = Object.hasOwn(snapshot.oauthGrants, connection.grantId) ? snapshot.oauthGrants[connection.grantId] : undefined;
      if (!grant || grant.organizationId !== organizationId || grant.customerId !== customerId || grant.app !== app) {
        return { ok: false, message: `No ${app} authorization found; connect the account again.` };
      }
      if (grant.status !== "active") return { ok: false, message: `The ${app} authorization was revoked; connect the account again.` };
      return { ok: true, account: grant.account };
    }
  }
}

export function appDataKey(app: string, customerId: string): string {
  return `${app}/${customerId}`;
}

/** The key of one app record in `appRecords`. */
export const appRecordKey = (app: string, customerId: string, collection: string, id: string): string => JSON.stringify([app, customerId, collection, id]);

/**
 * One collection's records by id, in the order they were made (a Map keeps its keys in the order
 * they were set, and a replaced record keeps its place). A Map, not an object: every webhook of a
 * "create a record" flow adds a record under a fresh id, and a fresh key added to an object is
 * first internalized in V8's string table, then added to a dictionary-mode object (~3 % of the
 * event loop in-process); and the cap finds the oldest records by iterating from the start.
 */
type Records = Map<string, Record<string, unknown>>;
/** One account's collections, by path. */
type Account = Record<string, Records>;

/**
 * What the mocked apps hold, as they read it: per `${app}/${customerId}`, collection → id →
 * record, in the order records were made. Made from the tables on first use (the collections
 * from `apps`, the records from `appRecords`); every change goes through `AppWrites`, which
 * keeps the view and the tables equal and announces the one record it wrote, so a flow adding a
 * record costs one small write (the whole collection, up to 550 records, was written before).
 */
interface AppView {
  data: Map<string, Account>;
  /** Each account's writer, by app then customer (AppWrites holds nothing of one request). */
  writers: Map<string, Map<string, AppWrites>>;
  /** The next `seq`. */
  next: number;
}
const views = new WeakMap<Snapshot, AppView>();

function viewOf(snapshot: Snapshot): AppView {
  let view = views.get(snapshot);
  if (view) return view;
  view = { data: new Map(), writers: new Map(), next: 0 };
  views.set(snapshot, view);
  const items = Object.values(snapshot.appRecords).sort((a, b) => a.seq - b.seq);
  for (const item of items) view.next = Math.max(view.next, item.seq + 1);
  for (const [key, collections] of Object.entries(snapshot.apps)) {
    const data: Account = {};
    view.data.set(key, data);
    for (const collection of Object.keys(collections)) data[collection] = new Map();
  }
  // In `seq` order, so each collection's Map holds its records in the order they were made.
  for (const item of items) {
    const key = appDataKey(item.app, item.customerId);
    let data = view.data.get(key);
    if (!data) view.data.set(key, (data = {}));
    (data[item.collection] ??= new Map()).set(item.id, item.record);
  }
  for (const [key, collections] of Object.entries(snapshot.apps)) {
    const legacy = Object.values(collections).some((records) => Object.keys(records).length > 0);
    if (!legacy) continue;
    const data = view.data.get(key)!;
    // Stored before records were kept one by one: each moves out into appRecords, in its order.
    const at = key.lastIndexOf("/");
    const app = key.slice(0, at);
    const customerId = key.slice(at + 1);
    for (const [collection, records] of Object.entries(collections)) {
      for (const [id, record] of Object.entries(records)) {
        put(snapshot, view, { app, customerId, collection, id }, record, data[collection], Object.hasOwn(snapshot.appRecords, appRecordKey(app, customerId, collection, id)));
      }
      collections[collection] = {};
    }
    touch(snapshot, "apps", key);
  }
  return view;
}

interface Place {
  app: string;
  customerId: string;
  collection: string;
  id: string;
}

/**
 * Each collection's record keys up to the id (`["app","cus_…","/v1/charges",`), by the
 * collection's records object (one per app, customer and collection, never replaced): every
 * webhook of a "create a record" flow makes a key, and JSON.stringify of all four parts showed in
 * the profile. The same text as appRecordKey.
 */
const keyPrefixes = new WeakMap<object, string>();
/** Characters JSON.stringify leaves as they are in a string. */
const PLAIN_ID = /^[\w.-]*$/;
function recordKey(records: object, place: Place): string {
  let prefix = keyPrefixes.get(records);
  if (prefix === undefined) {
    prefix = JSON.stringify([place.app, place.customerId, place.collection]).slice(0, -1) + ",";
    keyPrefixes.set(records, prefix);
  }
  // An id of plain characters (every id newId makes) needs no escaping: quoted by hand, the same
  // text as JSON.stringify's without its call (it showed in the profile, once per record written).
  return prefix + (PLAIN_ID.test(place.id) ? `"${place.id}"` : JSON.stringify(place.id)) + "]";
}

/**
 * Writes one record into its collection's `records` (a new one goes last; a replaced one keeps
 * its place). `known`: whether the record exists; the view and the table agree, so its
 * collection says (a short id looked up, not the long key).
 */
function put(
  snapshot: Snapshot,
  view: AppView,
  place: Place,
  record: Record<string, unknown>,
  records: Records,
  known = records.has(place.id),
): void {
  const key = recordKey(records, place);
  const seq = known ? snapshot.appRecords[key].seq : view.next++;
  snapshot.appRecords[key] = { app: place.app, customerId: place.customerId, collection: place.collection, id: place.id, seq, record };
  touch(snapshot, "appRecords", key);
  records.set(place.id, record);
}

/** The writes of one request to one customer's account of one app. */
class AppWrites {
  readonly data: Account;

  constructor(
    readonly snapshot: Snapshot,
    readonly view: AppView,
    readonly app: string,
    readonly customerId: string,
  ) {
    const key = appDataKey(app, customerId);
    let data = view.data.get(key);
    if (!data) {
      view.data.set(key, (data = {}));
      snapshot.apps[key] = {};
      touch(snapshot, "apps", key);
    }
    this.data = data;
  }

  /** The collection's records, the collection made (empty) when the account has none yet. */
  collection(collection: string): Records {
    if (!Object.hasOwn(this.data, collection)) {
      this.data[collection] = new Map();
      const key = appDataKey(this.app, this.customerId);
      this.snapshot.apps[key]![collection] = {};
      touch(this.snapshot, "apps", key);
    }
    return this.data[collection]!;
  }

  /** `known`: whether the record exists, when the caller knows (a POST's fresh id does not: no look-up of it). */
  put(collection: string, id: string, record: Record<string, unknown>, known?: boolean): void {
    const records = this.collection(collection);
    put(this.snapshot, this.view, { app: this.app, customerId: this.customerId, collection, id }, record, records, known ?? records.has(id));
  }

  /** `key`: the record's appRecordKey, when the caller has it already. */
  remove(collection: string, id: string, key?: string): void {
    const records = Object.hasOwn(this.data, collection) ? this.data[collection] : undefined;
    key ??= records ? recordKey(records, { app: this.app, customerId: this.customerId, collection, id }) : appRecordKey(this.app, this.customerId, collection, id);
    records?.delete(id);
    delete this.snapshot.appRecords[key];
    touch(this.snapshot, "appRecords", key);
  }
}

/**
 * The account's writer, made once: the app and customer ids are the same strings on every call,
 * so two look-ups by them cost less than building `${app}/${customerId}` and hashing it afresh.
 */
function writesOf(snapshot: Snapshot, app: string, customerId: string): AppWrites {
  const view = viewOf(snapshot);
  let byCustomer = view.writers.get(app);
  if (!byCustomer) view.writers.set(app, (byCustomer = new Map()));
  let writes = byCustomer.get(customerId);
  if (!writes) byCustomer.set(customerId, (writes = new AppWrites(snapshot, view, app, customerId)));
  return writes;
}

/** Already clean: one leading slash, no empty segment, no trailing slash, no query. */
const CLEAN_PATH = /^(?:\/[^/?]+)+$/;

interface SplitPath {
  collection: string;
  id: string | undefined;
  /** The collection the id would be in ("/" for a top-level one); undefined without an id. */
  parentPath: string | undefined;
}

/**
 * Paths split once: a flow calls the same few paths on every run (`/v1/charges`), and reusing the
 * same strings also spares V8 looking fresh copies up as property keys each time. A path can carry
 * a payload value (`/issues/{{payload.id}}`), so only short ones are kept and the count is capped:
 * at most MAX_SPLIT_PATHS × MAX_MEMO_PATH characters, whatever callers send.
 */
const splitPaths = new Map<string, SplitPath>();
const MAX_SPLIT_PATHS = 1000;
const MAX_MEMO_PATH = 256;

function split(path: string): SplitPath {
  let found = splitPaths.get(path);
  if (found) return found;
  const clean = CLEAN_PATH.test(path) ? path : "/" + path.split("?")[0].split("/").filter(Boolean).join("/");
  const at = clean.lastIndexOf("/");
  const id = at > 0 ? clean.slice(at + 1) : undefined;
  found = { collection: clean, id, parentPath: id === undefined ? undefined : clean.slice(0, clean.length - id.length - 1) || "/" };
  if (path.length > MAX_MEMO_PATH) return found;
  // Kept internalized: every call looks its collection and parent up (a parent such as "/v1" is
  // usually no collection, and a miss with a fresh copy walked V8's string table each time).
  found.collection = interned(found.collection);
  if (found.id !== undefined) found.id = interned(found.id);
  if (found.parentPath !== undefined) found.parentPath = interned(found.parentPath);
  if (splitPaths.size >= MAX_SPLIT_PATHS) splitPaths.clear();
  splitPaths.set(path, found);
  return found;
}

/**
 * A mocked app keeps at most this many records per collection, dropping the oldest: every
 * webhook of a "create a record" flow adds one, so an uncapped collection would make each list
 * (and the state) grow forever.
 */
export const MAX_RECORDS_PER_COLLECTION = 500;

/** Drops a collection's oldest records once it holds 10 % more than the cap (so it trims in batches). */
function capCollection(writes: AppWrites, collection: string): void {
  const records = writes.collection(collection);
  if (records.size <= MAX_RECORDS_PER_COLLECTION * 1.1) return;
  // The oldest first: the Map's order is the order the records were made (see Records). Deleting
  // the key an iterator is on is allowed: it goes on with the next one.
  for (const id of records.keys()) {
    if (records.size <= MAX_RECORDS_PER_COLLECTION) break;
    writes.remove(collection, id);
  }
}

/**
 * A collection as the app lists and shows it: a plain object made in the records' order (ids
 * that are array indexes come first, as in any JSON object: the order the app always listed).
 */
function asObject(records: Records): Record<string, Record<string, unknown>> {
  return Object.fromEntries(records);
}

/**
 * What the account already held before any flow ran (its channels, projects, pipelines…; see
 * fixtures/app-directories.ts), kept in the app's data the first time a collection is reached,
 * so later changes (a channel archived, a record added) stick.
 */
function seedCollection(writes: AppWrites, collection: string, owner: { externalId: string; name: string }): void {
  if (Object.hasOwn(writes.data, collection)) return;
  const records = directoryCollection(writes.app, collection, owner);
  if (!records) return;
  writes.collection(collection);
  for (const record of records) writes.put(collection, record.id as string, record);
}

/**
 * `{ ...a, ...b }` then more keys, for a record: with Object.assign. On Node 20 a spread followed
 * by more keys made V8 build a new hidden class per call (~1.4 µs for a 5-key record, against
 * ~0.13 µs). Object.assign sets rather than defines, which differs only for an own "__proto__"
 * key (it would become the prototype): such a record is spread as before.
 */
function copyRecord(...sources: Record<string, unknown>[]): Record<string, unknown> {
  for (const source of sources) if (Object.hasOwn(source, "__proto__")) return sources.reduce<Record<string, unknown>>((copy, s) => ({ ...copy, ...s }), {});
  return Object.assign({}, ...sources);
}

/** Latency per app, for rehearsing slow executions (alerts) without real waiting under a manual clock. */
export type AppLatency = Map<string, number>;

export async function callMockApp(snapshot: Snapshot, request: AppRequest, clock: Clock, latency: AppLatency): Promise<AppResponse> {
  const delay = latency.get(request.app) ?? 0;
  if (delay > 0) await sleepOn(clock, delay);
  const auth = authenticateConnection(snapshot, request.app, request.organizationId, request.customerId, request.connection);
  if (!auth.ok) return { status: 401, body: { error: "unauthorized", message: auth.message } };
  const writes = writesOf(snapshot, request.app, request.customerId);
  const { data } = writes;
  const { collection, id, parentPath } = split(request.path);
  if (collection === "/me") return { status: 200, body: { account: auth.account } };
  const owner = Object.hasOwn(snapshot.customers, request.customerId) ? snapshot.customers[request.customerId] : undefined;
  if (owner) for (const path of [collection, parentPath]) if (path !== undefined) seedCollection(writes, path, owner);
  const now = iso(clock.now());
  const fields = typeof request.body === "object" && request.body !== null && !Array.isArray(request.body) ? (request.body as Record<string, unknown>) : {};

  switch (request.method) {
    case "POST": {
      const record = copyRecord(fields);
      const made = newId("rec");
      record.id = made;
      record.createdAt = now;
      // A fresh id (~103 random bits) is no record's yet.
      writes.put(collection, made, record, false);
      capCollection(writes, collection);
      return { status: 201, body: record };
    }
    case "GET": {
      if (Object.hasOwn(data, collection)) return { status: 200, body: { records: Object.values(asObject(data[collection])) } };
      if (parentPath !== undefined && id !== undefined && Object.hasOwn(data, parentPath) && data[parentPath].has(id)) {
        return { status: 200, body: data[parentPath].get(id) };
      }
      // A missing record of an existing collection is a 404; an unknown collection is empty.
      if (parentPath !== undefined && Object.hasOwn(data, parentPath)) {
        return { status: 404, body: { error: "not_found", message: `${request.app} has no ${collection}` } };
      }
      return { status: 200, body: { records: [] } };
    }
    case "PUT": {
      if (parentPath === undefined || id === undefined) return { status: 405, body: { error: "method_not_allowed" } };
      const records = writes.collection(parentPath);
      const existing = records.get(id);
      const record = copyRecord(existing ?? { createdAt: now }, fields);
      record.id = id;
      record.updatedAt = now;
      writes.put(parentPath, id, record, existing !== undefined);
      return { status: existing ? 200 : 201, body: record };
    }
    case "DELETE": {
      if (parentPath === undefined || id === undefined || !Object.hasOwn(data, parentPath) || !data[parentPath].has(id)) {
        return { status: 404, body: { error: "not_found", message: `${request.app} has no ${collection}` } };
      }
      writes.remove(parentPath, id);
      return { status: 200, body: { deleted: id } };
    }
  }
}

/** The mocked apps as tests and rehearsals reach them: their latency, and what they hold. */
export class MockApps {
  readonly #ctx: PlatformContext;

  constructor(ctx: PlatformContext) {
    this.#ctx = ctx;
  }

  /** Simulated latency by app name (slow-execution alerts without real waiting under a manual clock). */
  get latency(): AppLatency {
    return this.#ctx.appLatency;
  }

  /** What a mocked app holds for a customer (to check a flow's visible work). */
  records(app: string, customerId: string): AppData {
    const data = viewOf(this.#ctx.snapshot).data.get(appDataKey(app, customerId));
    const copy: AppData = {};
    if (data) for (const collection of Object.keys(data)) copy[collection] = structuredClone(asObject(data[collection]));
    return copy;
  }

  /** Removes one record as the app itself would (a channel archived in Slack). */
  remove(app: string, customerId: string, collection: string, id: string): void {
    writesOf(this.#ctx.snapshot, app, customerId).remove(collection, id);
  }
}
