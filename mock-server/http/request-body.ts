/**
 * Reading request bodies with the platform's limits: at most 1 MiB (413 PAYLOAD_TOO_LARGE),
 * JSON only (400 INVALID_JSON). The HTTP server enforces the same limit while streaming, so an
 * oversized body is refused before it is buffered; this check covers every transport.
 */
import { ApiErrorCode, PlatformError } from "../domain/errors.ts";
import { jsonSyntaxReason } from "../../contract/validate-config.ts";

export const MAX_BODY_BYTES = 1024 * 1024;

export function tooLarge(): PlatformError {
  return new PlatformError(ApiErrorCode.PayloadTooLarge, `The request body is larger than ${MAX_BODY_BYTES} bytes (1 MiB).`);
}

/**
 * The client went away before its body arrived whole (the connection closed or was reset mid-body).
 * A client error: the answer reaches nobody, and the server's log already has one line for it (the
 * parser's `clientError`), so it is answered as a 400 and not logged again, never with a stack (P5).
 */
export function bodyCutShort(): PlatformError {
  return new PlatformError(ApiErrorCode.BadRequest, "The request body did not arrive whole: the connection closed first.");
}

/** The raw body text; throws 413 when it is over the limit. */
export async function readBodyText(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      void reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decodeUtf8(bytes);
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A body's bytes as text; 400 INVALID_JSON when they are not UTF-8 (every transport uses this). */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new PlatformError(ApiErrorCode.InvalidJson, "The request body is not valid UTF-8.");
  }
}

/**
 * How deep arrays and objects may nest in a body. JSON.parse accepts any depth, but everything
 * after it (JSON.stringify of the stored state, redaction, schema checks) recurses: a 1 MiB body
 * of `[[[[…` would overflow the stack there, failing every later snapshot write.
 */
export const MAX_JSON_DEPTH = 64;

function nestingTooDeep(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > MAX_JSON_DEPTH) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

/** Parses JSON text from a request (`what` names it in the message): 400 INVALID_JSON when it is not JSON or nests too deep. */
export function parseJsonText(text: string, what = "request body"): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PlatformError(ApiErrorCode.InvalidJson, `The ${what} is not valid JSON: ${jsonSyntaxReason(error)}`);
  }
  if (typeof value === "object" && value !== null && nestingTooDeep(text)) {
    throw new PlatformError(ApiErrorCode.InvalidJson, `The ${what} nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep.`);
  }
  return value;
}

/** Parses a JSON body; an empty body gives `undefined`. */
export async function readJsonBody(request: Request): Promise<{ text: string; value: unknown }> {
  const text = await readBodyText(request);
  if (text.trim() === "") return { text, value: undefined };
  return { text, value: parseJsonText(text) };
}
