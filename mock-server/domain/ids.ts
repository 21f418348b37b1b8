/**
 * Identifiers. Record ids are random and prefixed by kind (readable in logs); webhook tokens
 * and OAuth codes are 256-bit secrets: knowing one instance's URL says nothing about another's.
 */
const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

/** `prefix_` + 20 base-36 characters (~103 bits). */
export function newId(prefix: string): string {
  let out = "";
  for (const byte of randomBytes(20)) out += ALPHABET[byte % 36];
  return `${prefix}_${out}`;
}

/** An unguessable, URL-safe secret (32 random bytes, base64url). */
export function newSecretToken(): string {
  let binary = "";
  for (const byte of randomBytes(32)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}
