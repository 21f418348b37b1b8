/**
 * What a host backend does to let its signed-in user into the marketplace: sign a short-lived
 * JWT for that user with the organization's private key. The platform only holds the public
 * key, registered under the same `kid`.
 */
import { importJWK, SignJWT, type JWK } from "jose";
import { readFileSync } from "node:fs";

/** The two demo customers the host page can switch between, to show isolation. */
export const demoCustomers = {
  "acme-corp": { customer: "acme-corp", customer_name: "Acme Corp", sub: "ada@acme.example", name: "Ada Lovelace" },
  globex: { customer: "globex", customer_name: "Globex Inc", sub: "hank@globex.example", name: "Hank Scorpio" },
} as const;
export type DemoCustomerId = keyof typeof demoCustomers;

const privateJwk = JSON.parse(
  readFileSync(new URL("./demo-org-private-key.json", import.meta.url), "utf8"),
) as JWK & { kid: string; alg: string };

let keyPromise: ReturnType<typeof importJWK> | undefined;

/** Signs a customer JWT for one of the demo customers. `ttlSeconds` defaults to 10 minutes. */
export async function signDemoToken(
  customer: DemoCustomerId,
  { role = "admin", ttlSeconds = 600 }: { role?: "admin" | "viewer"; ttlSeconds?: number } = {},
): Promise<string> {
  keyPromise ??= importJWK(privateJwk, privateJwk.alg);
  const who = demoCustomers[customer];
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    organization: "demo",
    customer: who.customer,
    customer_name: who.customer_name,
    name: who.name,
    role,
  })
    .setProtectedHeader({ alg: privateJwk.alg, kid: privateJwk.kid, typ: "JWT" })
    .setSubject(who.sub)
    .setAudience("emporium")
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(await keyPromise);
}
