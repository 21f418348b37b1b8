/**
 * An opaque page cursor for lists ordered newest first by an ISO time, then id: it names the
 * last item of the page it ends, and the next page starts strictly after it, so a page is exact
 * even when items share a millisecond and new items arriving meanwhile never shift it. A
 * cursor that is not one the platform made answers 400 INVALID_CURSOR.
 */
import { ApiErrorCode, PlatformError } from "./errors.ts";

export function encodePosition(time: string, id: string): string {
  return btoa(`${time}|${id}`).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function decodePosition(cursor: string): { time: string; id: string } {
  const invalid = () => new PlatformError(ApiErrorCode.InvalidCursor, "The page cursor is malformed; start again without a cursor.");
  if (!/^[A-Za-z0-9_-]{1,300}$/.test(cursor)) throw invalid();
  let text: string;
  try {
    text = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    throw invalid();
  }
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\|([A-Za-z0-9_]{1,100})$/.exec(text);
  if (!match) throw invalid();
  return { time: match[1], id: match[2] };
}
