/**
 * Identifiers. Record ids are random and prefixed by kind (readable in logs); webhook tokens
 * and OAuth codes are 256-bit secrets: knowing one instance's URL says nothing about another's.
 */
const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

/**
 * Record ids draw from a pool of random bytes refilled 4 KiB at a time: one call into the
 * system's CSPRNG per ~200 ids instead of one per id (it showed in the webhook profile). Secret
 * tokens below do not use the pool: they are rare and each gets its own fresh bytes.
 */
const POOL_SIZE = 4096;
const ID_LENGTH = 20;
let pool: Uint8Array = new Uint8Array(0);
let poolOffset = 0;

/** `prefix_` + 20 base-36 characters (~103 bits). */
export function newId(prefix: string): string {
  if (poolOffset + ID_LENGTH > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  let out = "";
  for (let i = 0; i < ID_LENGTH; i++) out += ALPHABET[pool[poolOffset + i] % 36];
  poolOffset += ID_LENGTH;
  return `${prefix}_${out}`;
}

/** An unguessable, URL-safe secret (32 random bytes, base64url). */
export function newSecretToken(): string {
  let binary = "";
  for (const byte of randomBytes(32)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}
