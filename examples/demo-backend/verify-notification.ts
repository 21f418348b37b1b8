/**
 * Verifying an Emporium notification (Standard Webhooks, `v1`): copy this file into your backend.
 * WebCrypto only, so it runs on Node 20+, Deno, Bun and edge workers. The signed content is
 * `${webhook-id}.${webhook-timestamp}.${raw body}`; the key is the base64 after `whsec_`; the
 * header lists `v1,<base64 HMAC-SHA256>` once per live secret (two during a rotation). A
 * timestamp more than `toleranceSeconds` from now is refused as a replay. docs/notifications.md
 * carries the same code as its recipe.
 */
const bytes = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

/** True when the delivery was signed with one of `secrets` within `toleranceSeconds` of now. */
export async function verifyNotification(secrets: string[], headers: Headers, rawBody: string, toleranceSeconds = 300): Promise<boolean> {
  const id = headers.get("webhook-id");
  const timestamp = headers.get("webhook-timestamp");
  const signatures = headers.get("webhook-signature");
  if (!id || !timestamp || !signatures || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const content = new TextEncoder().encode(`${id}.${timestamp}.${rawBody}`);
  const given = signatures.split(" ").filter((s) => s.startsWith("v1,")).map((s) => s.slice(3));
  for (const secret of secrets) {
    const key = await crypto.subtle.importKey("raw", bytes(secret.replace(/^whsec_/, "")), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    for (const signature of given) {
      // crypto.subtle.verify compares in constant time.
      if (/^[A-Za-z0-9+/]+={0,2}$/.test(signature) && (await crypto.subtle.verify("HMAC", key, bytes(signature), content))) return true;
    }
  }
  return false;
}
