/**
 * Reading request bodies with the platform's limits: at most 1 MiB (413 PAYLOAD_TOO_LARGE),
 * JSON only (400 INVALID_JSON). The HTTP server enforces the same limit while streaming, so an
 * oversized body is refused before it is buffered; this check covers every transport.
 */
import { ApiErrorCode, PlatformError } from "./domain/errors.ts";

export const MAX_BODY_BYTES = 1024 * 1024;

export function tooLarge(): PlatformError {
  return new PlatformError(ApiErrorCode.PayloadTooLarge, `The request body is larger than ${MAX_BODY_BYTES} bytes (1 MiB).`);
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
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new PlatformError(ApiErrorCode.InvalidJson, "The request body is not valid UTF-8.");
  }
}

/** Parses a JSON body; an empty body gives `undefined`. */
export async function readJsonBody(request: Request): Promise<{ text: string; value: unknown }> {
  const text = await readBodyText(request);
  if (text.trim() === "") return { text, value: undefined };
  try {
    return { text, value: JSON.parse(text) };
  } catch (error) {
    throw new PlatformError(ApiErrorCode.InvalidJson, `The request body is not valid JSON: ${(error as Error).message}`);
  }
}
