/**
 * Identifiers. Record ids are random and prefixed by kind (readable in logs); webhook tokens
 * and OAuth codes are 256-bit secrets: knowing one instance's URL says nothing about another's.
 */
const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

/**
 * Record ids draw from a pool of random bytes refilled 64 KiB at a time: one call into the
 * system's CSPRNG per ~3,000 ids instead of one per id (it showed in the webhook profile; a
 * 4 KiB fill cost 11 µs here, a 64 KiB one 28 µs). Secret
 * tokens below do not use the pool: they are rare and each gets its own fresh bytes.
 */
const POOL_SIZE = 65536;
const ID_LENGTH = 20;
let pool: Uint8Array = new Uint8Array(0);
let poolOffset = 0;

const ALPHABET_CODES = Uint16Array.from(ALPHABET, (c) => c.charCodeAt(0));
/** Character codes of one id, reused: the id is made in one `fromCharCode`, not 20 concatenations (~2× quicker). */
const codes: number[] = [];

/** `length` random base-36 characters from the pool. */
function randomChars(length: number): string {
  if (poolOffset + length > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  codes.length = length;
  for (let i = 0; i < length; i++) codes[i] = ALPHABET_CODES[pool[poolOffset + i] % 36];
  poolOffset += length;
  return String.fromCharCode.apply(null, codes);
}

/** `prefix_` + 20 base-36 characters (~103 bits). */
export function newId(prefix: string): string {
  return `${prefix}_${randomChars(ID_LENGTH)}`;
}

/** An unguessable, URL-safe secret (32 random bytes, base64url). */
export function newSecretToken(): string {
  let binary = "";
  for (const byte of randomBytes(32)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

const TIME_DIGITS = 9;

/**
 * `prefix_` + the instant in 9 base-36 digits + 12 random base-36 characters (~62 bits): ids that
 * sort by creation time (executions are listed and trimmed in that order), and from which the
 * instant can be read back (`timeOfId`) to tell an execution that retention removed from one
 * that never existed.
 */
export function newTimeId(prefix: string, instant: number): string {
  return `${prefix}_${timeDigits(instant)}${randomChars(12)}`;
}

let lastInstant = Number.NaN;
let lastDigits = "";
/** The instant's 9 base-36 digits; runs start many times per millisecond, so the last one is kept. */
function timeDigits(instant: number): string {
  if (instant !== lastInstant) {
    lastDigits = Math.max(0, Math.floor(instant)).toString(36).padStart(TIME_DIGITS, "0");
    lastInstant = instant;
  }
  return lastDigits;
}

/** The instant a `newTimeId` id was made at, or undefined when `id` is not one. */
export function timeOfId(prefix: string, id: string): number | undefined {
  if (!id.startsWith(`${prefix}_`) || id.length !== prefix.length + 1 + TIME_DIGITS + 12) return undefined;
  const digits = id.slice(prefix.length + 1, prefix.length + 1 + TIME_DIGITS);
  if (!/^[0-9a-z]+$/.test(digits)) return undefined;
  return parseInt(digits, 36);
}
