/**
 * The organization's search over instances of all its customers: filters, a stable order
 * (newest first, then id) and opaque cursors. A cursor names the last instance of the page it
 * ends and a fingerprint of the filters it was issued for, so it cannot be replayed against
 * other filters and a tampered one is refused instead of silently paging wrong.
 */
import { ORG_PAGE_SIZE_DEFAULT, type OrgInstanceQuery } from "../../contract/org-api.ts";
import { ApiErrorCode, PlatformError } from "./errors.ts";
import type { InstanceRecord, Snapshot } from "./store.ts";

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

function matches(instance: InstanceRecord, query: OrgInstanceQuery): boolean {
  if (query.q && !instance.name.toLowerCase().includes(query.q.toLowerCase())) return false;
  if (query.description && !instance.description.toLowerCase().includes(query.description.toLowerCase())) return false;
  if (query.integration && instance.integrationId !== query.integration) return false;
  if (query.customer && instance.customerId !== query.customer) return false;
  if (query.status && instance.status !== query.status) return false;
  if (query.label && !query.label.every((label) => instance.labels.includes(label))) return false;
  return true;
}

export function searchInstances(
  snapshot: Snapshot,
  organizationId: string,
  query: OrgInstanceQuery,
): { page: InstanceRecord[]; total: number; nextCursor: string | null } {
  const after = query.cursor !== undefined ? decodeCursor(query.cursor, query) : undefined;
  const all = Object.values(snapshot.instances)
    .filter((i) => i.organizationId === organizationId && matches(i, query))
    .sort(compare);
  const start = after ? all.findIndex((i) => compare(i, after) > 0) : 0;
  const limit = query.limit ?? ORG_PAGE_SIZE_DEFAULT;
  const page = start < 0 ? [] : all.slice(start, start + limit);
  const hasMore = start >= 0 && start + limit < all.length;
  return { page, total: all.length, nextCursor: hasMore ? encodeCursor(page[page.length - 1], query) : null };
}
