/**
 * Signing outgoing notifications the Standard Webhooks way: the signed content is
 * `${webhook-id}.${webhook-timestamp}.${body}`, the key is the base64-decoded part of the secret
 * after `whsec_`, the signature is base64 of its HMAC-SHA256, sent as `v1,<signature>`. During a
 * secret rollover the header carries one `v1,` signature per live secret, separated by spaces,
 * so a receiver that knows either secret verifies it. WebCrypto, so the same code runs in Node
 * and in the platform's service worker. A receiver's verifier (what a host copies):
 * examples/demo-backend/verify-notification.ts.
 */
import { WEBHOOK_SECRET_PREFIX } from "../../contract/org-notifications.ts";

const encoder = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** A new secret: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + toBase64(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}

const keys = new Map<string, Promise<CryptoKey>>();

function keyOf(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    const raw = Uint8Array.from(atob(secret.slice(WEBHOOK_SECRET_PREFIX.length)), (c) => c.charCodeAt(0));
    key = globalThis.crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    // A handful of endpoints, each with one or two secrets: the cache stays small.
    if (keys.size > 200) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/** The `webhook-signature` header value for a message: `v1,<base64>` per secret, space-separated. */
export async function signatureHeader(secrets: readonly string[], messageId: string, timestampSeconds: number, body: string): Promise<string> {
  const content = encoder.encode(`${messageId}.${timestampSeconds}.${body}`);
  const signatures = await Promise.all(
    secrets.map(async (secret) => `v1,${toBase64(new Uint8Array(await globalThis.crypto.subtle.sign("HMAC", await keyOf(secret), content)))}`),
  );
  return signatures.join(" ");
}
