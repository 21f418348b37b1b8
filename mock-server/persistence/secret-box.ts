/**
 * Secrets at rest on a server: every secret string of a record (connection API keys and
 * passwords, OAuth tokens, webhook tokens; which ones is declared per kind in domain/store.ts)
 * is sealed with AES-256-GCM (node:crypto) before it reaches disk, and opened when the record is
 * loaded. A sealed string reads `enc:v1:<key id>:<base64url(iv ‖ ciphertext ‖ tag)>`; the key id
 * is the first 8 hex digits of the key's SHA-256, so a record names the key that opens it.
 *
 * Keys come from the environment (`EMPORIUM_SECRET_KEY`: 32 random bytes in base64; earlier keys
 * still to be read in `EMPORIUM_SECRET_KEYS_PREVIOUS`, comma-separated), or else from a key file
 * beside the state (`<state>.key`, created with mode 0600 on first start). Rotation (see
 * docs/operations.md): a new primary key seals everything written from then on; at start the
 * backend re-seals every record still sealed with a previous key, after which that key can go.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { chmodSync, existsSync, openSync, readFileSync, renameSync, writeFileSync, closeSync, fsyncSync } from "node:fs";

const PREFIX = "enc:v1:";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretKeyError extends Error {
  override readonly name = "SecretKeyError";
}

export interface SecretBox {
  /** The id of the key new secrets are sealed with. */
  readonly primaryKeyId: string;
  seal(secret: string): string;
  /** Opens a sealed string; a string that is not sealed (written before encryption existed) comes back as it is. */
  open(value: string): string;
  /** The key id a stored value is sealed with, or undefined when it is not sealed. */
  keyIdOf(value: string): string | undefined;
}

export function keyIdOf(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

function decodeKey(text: string, where: string): Buffer {
  // Node's base64 decoder reads the URL-safe alphabet too.
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(text.trim()) ? Buffer.from(text.trim(), "base64") : Buffer.alloc(0);
  if (key.length !== KEY_BYTES) {
    throw new SecretKeyError(`${where} must be ${KEY_BYTES} random bytes in base64 (e.g. \`openssl rand -base64 32\`).`);
  }
  return key;
}

/** A box over a primary key (sealing and opening) and previous keys (opening only). */
export function createSecretBox(primary: Buffer, previous: readonly Buffer[] = []): SecretBox {
  const keys = new Map<string, Buffer>();
  for (const key of [primary, ...previous]) keys.set(keyIdOf(key), key);
  const primaryKeyId = keyIdOf(primary);
  return {
    primaryKeyId,
    seal(secret) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", primary, iv);
      const body = Buffer.concat([iv, cipher.update(secret, "utf8"), cipher.final(), cipher.getAuthTag()]);
      return `${PREFIX}${primaryKeyId}:${body.toString("base64url")}`;
    },
    open(value) {
      if (!value.startsWith(PREFIX)) return value;
      const keyId = value.slice(PREFIX.length, PREFIX.length + 8);
      const key = keys.get(keyId);
      if (!key) throw new SecretKeyError(`A stored secret is sealed with key ${keyId}, which is not among the configured keys; add it to EMPORIUM_SECRET_KEYS_PREVIOUS (or the key file's "previous").`);
      const body = Buffer.from(value.slice(PREFIX.length + 9), "base64url");
      const decipher = createDecipheriv("aes-256-gcm", key, body.subarray(0, IV_BYTES));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString("utf8");
      } catch {
        throw new SecretKeyError(`A stored secret sealed with key ${keyId} does not open (tampered, or another key with the same id).`);
      }
    },
    keyIdOf(value) {
      return value.startsWith(PREFIX) ? value.slice(PREFIX.length, PREFIX.length + 8) : undefined;
    },
  };
}

export interface KeyFile {
  /** The key new secrets are sealed with (base64). */
  primary: string;
  /** Keys still needed to open older records (base64). */
  previous: string[];
}

function writeKeyFile(path: string, keys: KeyFile): void {
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, "w", 0o600);
  try {
    writeFileSync(fd, JSON.stringify(keys, null, 2) + "\n");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

function readKeyFile(path: string): KeyFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new SecretKeyError(`${path} is not a readable key file (${(error as Error).message}).`);
  }
  const file = parsed as Partial<KeyFile>;
  if (typeof file.primary !== "string" || !Array.isArray(file.previous) || !file.previous.every((k) => typeof k === "string")) {
    throw new SecretKeyError(`${path} must hold {"primary": "<base64 key>", "previous": ["<base64 key>", …]}.`);
  }
  return { primary: file.primary, previous: file.previous };
}

export interface SecretKeys {
  box: SecretBox;
  /** Where the keys came from, for the start-up line (never the keys). */
  source: "environment" | "key file (created)" | "key file";
  /** After every record is re-sealed with the primary key: forget the previous ones (key file only). */
  dropPrevious(): void;
}

/**
 * The keys to seal secrets with: from `env` when EMPORIUM_SECRET_KEY is set, else from the key
 * file at `keyFile` (created with a fresh random key, mode 0600, when it does not exist).
 */
export function loadSecretKeys(keyFile: string, env: Record<string, string | undefined> = process.env): SecretKeys {
  if (env.EMPORIUM_SECRET_KEY) {
    const primary = decodeKey(env.EMPORIUM_SECRET_KEY, "EMPORIUM_SECRET_KEY");
    const previous = (env.EMPORIUM_SECRET_KEYS_PREVIOUS ?? "")
      .split(",")
      .filter((k) => k.trim() !== "")
      .map((k) => decodeKey(k, "EMPORIUM_SECRET_KEYS_PREVIOUS"));
    return { box: createSecretBox(primary, previous), source: "environment", dropPrevious: () => undefined };
  }
  let source: SecretKeys["source"] = "key file";
  if (!existsSync(keyFile)) {
    writeKeyFile(keyFile, { primary: randomBytes(KEY_BYTES).toString("base64"), previous: [] });
    source = "key file (created)";
  }
  const file = readKeyFile(keyFile);
  const primary = decodeKey(file.primary, `${keyFile} "primary"`);
  const previous = file.previous.map((k) => decodeKey(k, `${keyFile} "previous"`));
  return {
    box: createSecretBox(primary, previous),
    source,
    dropPrevious() {
      if (file.previous.length > 0) writeKeyFile(keyFile, { primary: file.primary, previous: [] });
    },
  };
}

/** Rotation: a new random primary key in the key file; the old primary becomes a previous key. Returns the new key id. */
export function rotateKeyFile(keyFile: string): string {
  const file = existsSync(keyFile) ? readKeyFile(keyFile) : undefined;
  const fresh = randomBytes(KEY_BYTES);
  writeKeyFile(keyFile, { primary: fresh.toString("base64"), previous: file ? [file.primary, ...file.previous] : [] });
  return keyIdOf(fresh);
}
