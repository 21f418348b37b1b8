/**
 * What the platform's log lines may say about the requests and data that led to them: safe by
 * construction. A log line is read by operators, shipped to log stores and pasted into issues, so
 * it never quotes a value from user data: a request path goes through `logPath` (a webhook's path
 * holds its token, which is enough to run the flow; an OAuth status path holds the flow's
 * `state`), a record id through `logId` (an OAuth flow's record id is its `state`), and an
 * error through `logReason` (Node's and V8's messages quote the offending value, a connection
 * secret say: `Received type string ('sk_live_…')`). What cannot be shown is named by a short
 * hash, so that lines about the same thing can still be told together.
 */

/**
 * An error whose message a log line may quote: written by the platform in its own words and
 * numbers (a limit, a field name), never with a value from user data.
 */
export class LoggableError extends Error {}

/** V8's messages that never quote a value (a run past the string limit says the first one). */
const VALUELESS_MESSAGES = new Set(["Invalid string length", "Invalid array length", "Maximum call stack size exceeded", "Do not know how to serialize a BigInt"]);
const BUILTIN_ERRORS = new Set(["Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "URIError", "EvalError", "AggregateError", "DOMException"]);
/** Node's error codes (`ERR_INVALID_ARG_TYPE`, `ENOSPC`): a word of capitals, never a value. */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;

/**
 * Why something failed, for a log line: the message of a LoggableError or one of V8's that quote
 * nothing; otherwise the error's class and code alone (`TypeError ERR_INVALID_ARG_TYPE`), since
 * its message may quote the value it failed on.
 */
export function logReason(error: unknown): string {
  if (!(error instanceof Error)) return `a thrown ${error === null ? "null" : typeof error}`;
  if (error instanceof LoggableError || VALUELESS_MESSAGES.has(error.message)) return error.message;
  const name = BUILTIN_ERRORS.has(error.constructor.name) ? error.constructor.name : "Error";
  const code = (error as { code?: unknown }).code;
  return `${name}${typeof code === "string" && ERROR_CODE.test(code) ? ` ${code}` : ""} (its message is not logged: it may quote a value)`;
}

/** `logReason` and where it was thrown: the stack's frames, never its message (see `stackFrames`). */
export function logFailure(error: unknown): string {
  return [logReason(error), ...(error instanceof Error ? stackFrames(error) : [])].join("\n");
}

/**
 * The frames of an error's stack: the lines after its message, and only when every one of them is
 * a frame. A message may span lines, one of which can look like a frame (undici's `Headers.set:
 * "<value>" is an invalid header value` quotes a value holding a line break), so the lines are
 * taken after the message, never picked out of the whole stack by their shape; a stack that does
 * not read as the message then frames (the message was changed after it was made) gives none.
 */
function stackFrames(error: Error): string[] {
  const { stack } = error;
  if (typeof stack !== "string") return [];
  const message = String(error.message);
  const at = stack.indexOf(message);
  if (at < 0 || stack.slice(0, at).includes("\n")) return [];
  const [restOfHeader, ...frames] = stack.slice(at + message.length).split("\n");
  return restOfHeader === "" && frames.every((line) => line.startsWith("    at ")) ? frames : [];
}

/** FNV-1a, 32 bits: a short, stable name for a value that cannot be shown (not a way back to it). */
export function logHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return `#${(hash >>> 0).toString(16).padStart(8, "0")}`;
}

/**
 * The shape of the platform's record ids (`prefix_` and up to 24 more characters, ids.ts). Every
 * secret the platform makes (a webhook token, an OAuth state or code) is 43 characters, longer
 * than this allows, and so is never shown, whatever its characters.
 */
const RECORD_ID = /^[A-Za-z][A-Za-z0-9]{0,7}_[A-Za-z0-9_-]{1,24}$/;
/** A path segment shown as it is: a route's word or an id, at most 32 characters. */
const PATH_WORD = /^[A-Za-z0-9_.:-]{1,32}$/;
/** A route's parameter as a route names it (`/webhooks/:token`): a name, not a value. */
const ROUTE_PARAMETER = /^:[a-z][A-Za-z]{0,31}$/;
/** Whether segment `i` of a path is a secret: the token of `webhooks/<token>`, the state of `connections/oauth/<state>`. */
const secretAt = (segments: readonly string[], i: number) => segments[i - 1] === "webhooks" || (segments[i - 1] === "oauth" && segments[i - 2] === "connections");

/** A record's id for a log line: as it is when it has the shape of a platform id, else its hash. */
export function logId(id: string): string {
  return RECORD_ID.test(id) ? id : logHash(id);
}

/**
 * A request path (or URL) for a log line: no query (an OAuth callback's holds its code), the
 * secret segment by its hash (`/api/v1/webhooks/#1a2b3c4d`), and so is any
 * segment that is not a route's word or an id.
 */
export function logPath(path: string): string {
  let rest = path;
  const scheme = path.indexOf("://");
  if (scheme >= 0) {
    const slash = path.indexOf("/", scheme + 3);
    rest = slash < 0 ? "/" : path.slice(slash);
  }
  const query = rest.search(/[?#]/);
  if (query >= 0) rest = rest.slice(0, query);
  const segments = rest.split("/");
  return segments.map((segment, i) => (segment === "" || ROUTE_PARAMETER.test(segment) || (PATH_WORD.test(segment) && !secretAt(segments, i)) ? segment : logHash(segment))).join("/");
}
