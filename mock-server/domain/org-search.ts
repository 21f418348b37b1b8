/**
 * The organization's search over instances of all its customers: filters, a stable order
 * (newest first, then id) and opaque cursors. A cursor names the last instance of the page it
 * ends and a fingerprint of the filters it was issued for, so it cannot be replayed against
 * other filters and a tampered one is refused instead of silently paging wrong.
 */
import { ORG_PAGE_SIZE_DEFAULT, type OrgInstanceQuery } from "../../contract/org-api.ts";
import { ApiErrorCode, PlatformError } from "./errors.ts";
import type { InstanceRecord, Snapshot } from "./store.ts";
import { Store } from "./changes.ts";
import { keyOf } from "./table-index.ts";

interface CursorBody {
  v: 1;
  /** createdAt and id of the last instance of the previous page. */
  c: number;
  i: string;
  /** Fingerprint of the filters. */
  f: string;
}

/** FNV-1a (32 bit): a short, stable fingerprint; not a security boundary, only a consistency check. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

function filterFingerprint(query: OrgInstanceQuery): string {
  return fingerprint(
    JSON.stringify([
      query.q?.toLowerCase() ?? null,
      query.description?.toLowerCase() ?? null,
      query.integration ?? null,
      [...(query.label ?? [])].sort(),
      query.customer ?? null,
      query.status ?? null,
      query.version ?? null,
      query.update ?? null,
    ]),
  );
}

function base64url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64url(text: string): string {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

export function encodeCursor(last: InstanceRecord, query: OrgInstanceQuery): string {
  const body: CursorBody = { v: 1, c: last.createdAt, i: last.id, f: filterFingerprint(query) };
  return base64url(JSON.stringify(body));
}

export function decodeCursor(cursor: string, query: OrgInstanceQuery): { createdAt: number; id: string } {
  const invalid = (why: string) => new PlatformError(ApiErrorCode.InvalidCursor, `The page cursor ${why}; start again without a cursor.`);
  if (!/^[A-Za-z0-9_-]{1,500}$/.test(cursor)) throw invalid("is malformed");
  let body: unknown;
  try {
    body = JSON.parse(fromBase64url(cursor));
  } catch {
    throw invalid("is malformed");
  }
  const b = body as Partial<CursorBody> | null;
  if (typeof b !== "object" || b === null || b.v !== 1 || typeof b.c !== "number" || !Number.isFinite(b.c) || typeof b.i !== "string" || typeof b.f !== "string") {
    throw invalid("is malformed");
  }
  if (b.f !== filterFingerprint(query)) throw invalid("belongs to other filters");
  return { createdAt: b.c, id: b.i };
}

/** Newest first; ties by id, so the order is total and a cursor position is exact. */
function compare(a: { createdAt: number; id: string }, b: { createdAt: number; id: string }): number {
  if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

const indexes = new WeakMap<Snapshot, InstanceSearch>();

/** The update an instance can take (upgrades.ts), for the `update` filter. */
export type UpdateOf = (instance: InstanceRecord) => { needsInput: boolean } | undefined;

/**
 * The lists an entry belongs to: its organization's, and within it its customer's, its
 * integration's, its status's, each of its labels' and its version's (the posting lists a
 * filter on that field walks instead of the organization's whole list).
 */
const orgList = (organizationId: string) => keyOf(organizationId);
const fieldList = (organizationId: string, field: "customer" | "integration" | "status" | "label" | "version", value: string | number) => keyOf(organizationId, field, value);
const listKeys = (record: InstanceRecord): string[] => {
  const org = record.organizationId;
  const keys = [
    orgList(org),
    fieldList(org, "customer", record.customerId),
    fieldList(org, "integration", record.integrationId),
    fieldList(org, "status", record.status),
    fieldList(org, "version", record.integrationVersion ?? 1),
  ];
  for (const label of new Set(record.labels)) keys.push(fieldList(org, "label", label));
  return keys;
};

/**
 * One instance as the index lists it: the record, and its name and description lower-cased once
 * (refreshed with every announced change), so a text search does not lower-case 50,000 strings.
 */
interface Entry {
  readonly id: string;
  readonly createdAt: number;
  readonly record: InstanceRecord;
  readonly name: string;
  readonly description: string;
  /** The lists it was put in (a record changed in place is still found in them). */
  readonly keys: readonly string[];
}

const entryOf = (record: InstanceRecord): Entry => ({
  id: record.id,
  createdAt: record.createdAt,
  record,
  name: record.name.toLowerCase(),
  description: record.description.toLowerCase(),
  keys: listKeys(record),
});

function hasLabels(labels: readonly string[], wanted: readonly string[]): boolean {
  for (const label of wanted) if (!labels.includes(label)) return false;
  return true;
}

/**
 * The filters in one fixed shape: the query objects of different searches have different shapes,
 * and reading them inside the loop made every property read a slow (megamorphic) one.
 */
interface Filter {
  customer: string | undefined;
  integration: string | undefined;
  status: string | undefined;
  label: readonly string[] | undefined;
  /** Lower-cased. */
  q: string | undefined;
  /** Lower-cased. */
  description: string | undefined;
  version: number | undefined;
  update: OrgInstanceQuery["update"];
}

const filterOf = (query: OrgInstanceQuery): Filter => ({
  customer: query.customer || undefined,
  integration: query.integration || undefined,
  status: query.status || undefined,
  label: query.label?.length ? query.label : undefined,
  q: query.q?.toLowerCase() || undefined,
  description: query.description?.toLowerCase() || undefined,
  version: query.version,
  update: query.update,
});

function matches(entry: Entry, filter: Filter, updateOf: UpdateOf): boolean {
  const instance = entry.record;
  if (filter.customer !== undefined && instance.customerId !== filter.customer) return false;
  if (filter.integration !== undefined && instance.integrationId !== filter.integration) return false;
  if (filter.status !== undefined && instance.status !== filter.status) return false;
  if (filter.label !== undefined && !hasLabels(instance.labels, filter.label)) return false;
  if (filter.q !== undefined && !entry.name.includes(filter.q)) return false;
  if (filter.description !== undefined && !entry.description.includes(filter.description)) return false;
  if (filter.version !== undefined && (instance.integrationVersion ?? 1) !== filter.version) return false;
  if (filter.update !== undefined) {
    const update = updateOf(instance);
    if (filter.update === "none" ? update !== undefined : !update || (filter.update === "needs-input" && !update.needsInput)) return false;
  }
  return true;
}

/** Joins the texts of a text column: no name or description holds it. */
const SEPARATOR = "\u0000";
/** A text filter scans the text column instead of walking a list longer than this. */
const TEXT_SCAN_FROM = 1000;

interface TextColumn {
  text: string;
  /** Where each entry's text starts in `text`; one more at the end (the text's length + 1). */
  starts: Int32Array;
}

/** The entry whose text holds offset `at` (the last start at or before it). */
function entryAt(starts: Int32Array, at: number): number {
  let low = 0;
  let high = starts.length - 2;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if (starts[mid]! <= at) low = mid;
    else high = mid - 1;
  }
  return low;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function oldestFirst(list: readonly Entry[]): InstanceRecord[] {
  const out: InstanceRecord[] = [];
  for (let i = list.length - 1; i >= 0; i--) out.push(list[i]!.record);
  return out;
}

/** Sorted position of `key` in `list` (newest first): the index of the first entry after it. */
function positionAfter(list: readonly Entry[], key: { createdAt: number; id: string }): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compare(list[mid]!, key) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The organization's instance search over an index kept in memory: each organization's instances,
 * and within it each customer's, integration's, status's, label's and version's, in listing order
 * (newest first, then id), built on the first search and kept true by every announced change to
 * an instance (Store.watch). A search walks the shortest list of the fields it filters on, and a
 * search with at most one such field and no text filter walks nothing: the list's length is its
 * total and the page a slice. At 50,000 instances, Object.values over the table alone took
 * 30–120 ms on the bench machine, and a walk of the organization's list 0.5–3 ms per filter.
 * The order is by creation, which never changes; a changed record's entry is made again from it.
 */
export class InstanceSearch {
  /** The index of a platform's tables, made on first use (one per platform). */
  static of(tables: Snapshot): InstanceSearch {
    let index = indexes.get(tables);
    if (!index) indexes.set(tables, (index = new InstanceSearch(tables, Store.of(tables))));
    return index;
  }

  readonly #tables: Snapshot;
  /** List key (listKeys) → entries newest first; undefined until the first search. */
  #lists: Map<string, Entry[]> | undefined;
  /** Each indexed instance's entry as listed (its keys and creation time find its places). */
  readonly #listed = new Map<string, Entry>();
  /** Per organization, its text columns (made on demand, dropped when a text or the list changes). */
  readonly #texts = new Map<string, { name?: TextColumn; description?: TextColumn }>();

  constructor(tables: Snapshot, store: Pick<Store, "watch">) {
    this.#tables = tables;
    store.watch("instances", (ids) => {
      if (this.#lists) for (const id of ids) this.#update(id);
    });
  }

  #build(): Map<string, Entry[]> {
    const lists = new Map<string, Entry[]>();
    for (const instance of Object.values(this.#tables.instances)) {
      const entry = entryOf(instance);
      this.#listed.set(instance.id, entry);
      for (const key of entry.keys) {
        let list = lists.get(key);
        if (!list) lists.set(key, (list = []));
        list.push(entry);
      }
    }
    for (const list of lists.values()) list.sort(compare);
    return lists;
  }

  #update(id: string): void {
    const lists = this.#lists!;
    const listed = this.#listed.get(id);
    const current = Object.hasOwn(this.#tables.instances, id) ? this.#tables.instances[id] : undefined;
    if (listed && current && current.createdAt === listed.createdAt) {
      const entry = entryOf(current);
      if (sameKeys(entry.keys, listed.keys)) {
        // Changed in place in every list it is in (a run's retention mark, a rename): each list
        // keeps its length and order, so no 50,000-entry array moves for it.
        for (const key of entry.keys) {
          const list = lists.get(key)!;
          list[positionAfter(list, listed) - 1] = entry;
        }
        this.#listed.set(id, entry);
        if (entry.name !== listed.name || entry.description !== listed.description) this.#texts.delete(current.organizationId);
        return;
      }
    }
    if (listed) this.#texts.delete(listed.record.organizationId);
    if (current) this.#texts.delete(current.organizationId);
    if (listed) {
      for (const key of listed.keys) {
        const list = lists.get(key)!;
        list.splice(positionAfter(list, listed) - 1, 1);
      }
      this.#listed.delete(id);
    }
    if (!current) return;
    const entry = entryOf(current);
    this.#listed.set(id, entry);
    for (const key of entry.keys) {
      let list = lists.get(key);
      if (!list) lists.set(key, (list = []));
      list.splice(positionAfter(list, entry), 0, entry);
    }
  }

  /**
   * The lower-cased names or descriptions of an organization's instances, joined in listing order:
   * a text filter is one `indexOf` pass over them (V8 searches a flat string far faster than it
   * calls `includes` on 50,000 small ones: ~8 ms → ~1 ms at load 14), made on the first text
   * search after the list or a text in it changed.
   */
  #column(organizationId: string, field: "name" | "description"): TextColumn {
    let columns = this.#texts.get(organizationId);
    if (!columns) this.#texts.set(organizationId, (columns = {}));
    let column = columns[field];
    if (!column) {
      const list = this.#list(orgList(organizationId));
      const starts = new Int32Array(list.length + 1);
      let at = 0;
      for (let i = 0; i < list.length; i++) {
        starts[i] = at;
        at += list[i]![field].length + 1;
      }
      starts[list.length] = at;
      column = columns[field] = { text: list.map((entry) => entry[field]).join(SEPARATOR), starts };
    }
    return column;
  }

  #list(key: string): readonly Entry[] {
    this.#lists ??= this.#build();
    return this.#lists.get(key) ?? [];
  }

  /** A customer's instances, oldest first (the order they were created in). */
  ofCustomer(organizationId: string, customerId: string): InstanceRecord[] {
    return oldestFirst(this.#list(fieldList(organizationId, "customer", customerId)));
  }

  /** How many instances a customer has. */
  countOfCustomer(organizationId: string, customerId: string): number {
    return this.#list(fieldList(organizationId, "customer", customerId)).length;
  }

  /** The organization's instances of one integration, oldest first. */
  ofIntegration(organizationId: string, integrationId: string): InstanceRecord[] {
    return oldestFirst(this.#list(fieldList(organizationId, "integration", integrationId)));
  }

  search(organizationId: string, query: OrgInstanceQuery, updateOf: UpdateOf = () => undefined): { page: InstanceRecord[]; total: number; nextCursor: string | null } {
    const after = query.cursor !== undefined ? decodeCursor(query.cursor, query) : undefined;
    const filter = filterOf(query);
    // The shortest list of a field the query filters on; the other filters are checked on it.
    const fields: Array<readonly Entry[]> = [];
    if (filter.customer !== undefined) fields.push(this.#list(fieldList(organizationId, "customer", filter.customer)));
    if (filter.integration !== undefined) fields.push(this.#list(fieldList(organizationId, "integration", filter.integration)));
    if (filter.status !== undefined) fields.push(this.#list(fieldList(organizationId, "status", filter.status)));
    for (const label of filter.label ?? []) fields.push(this.#list(fieldList(organizationId, "label", label)));
    if (filter.version !== undefined) fields.push(this.#list(fieldList(organizationId, "version", filter.version)));
    let list = fields.length === 0 ? this.#list(orgList(organizationId)) : fields[0]!;
    for (const candidate of fields) if (candidate.length < list.length) list = candidate;
    const limit = query.limit ?? ORG_PAGE_SIZE_DEFAULT;
    const start = after ? positionAfter(list, after) : 0;
    const unlisted = filter.q !== undefined || filter.description !== undefined || filter.update !== undefined;
    if (fields.length <= 1 && !unlisted) {
      // The list is the answer: its length is the total, the page a slice (no walk at all).
      const page = list.slice(start, start + limit).map((entry) => entry.record);
      return { page, total: list.length, nextCursor: start + limit < list.length ? encodeCursor(page[page.length - 1]!, query) : null };
    }
    const page: InstanceRecord[] = [];
    let total = 0;
    let more = false;
    const visit = (i: number, entries: readonly Entry[], from: number) => {
      if (!matches(entries[i]!, filter, updateOf)) return;
      total += 1;
      if (i < from) return;
      if (page.length < limit) page.push(entries[i]!.record);
      else more = true;
    };
    const needle = filter.q ?? filter.description;
    if (needle !== undefined && list.length > TEXT_SCAN_FROM) {
      // Only the instances whose text holds the needle are visited, found in listing order.
      const all = this.#list(orgList(organizationId));
      const { text, starts } = this.#column(organizationId, filter.q !== undefined ? "name" : "description");
      const from = after ? positionAfter(all, after) : 0;
      for (let at = text.indexOf(needle); at >= 0; ) {
        const i = entryAt(starts, at);
        // A hit across two texts (a needle holding the separator) is no hit.
        if (at + needle.length < starts[i + 1]!) visit(i, all, from);
        at = text.indexOf(needle, at + needle.length <= starts[i + 1]! - 1 ? starts[i + 1]! : at + 1);
      }
    } else {
      for (let i = 0; i < list.length; i++) visit(i, list, start);
    }
    return { page, total, nextCursor: more ? encodeCursor(page[page.length - 1]!, query) : null };
  }
}
