/**
 * Test helpers: an organization with a freshly generated ES256 key pair, registered on a
 * platform, and a `signToken` that mints customer JWTs for it. Claims and header can be
 * overridden (or removed with `undefined`) to forge the tokens the security tests need.
 */
import { createHash, randomBytes } from "node:crypto";
import { SignJWT, exportJWK, generateKeyPair, type JWTPayload, type JWTHeaderParameters, type CryptoKey } from "jose";
import type { Platform } from "./platform.ts";
import type { OrganizationRegistration } from "./domain/organizations.ts";

export interface TestOrganization {
  id: string;
  name: string;
  kid: string;
  allowedOrigins: string[];
  /** What `platform.registerOrganization` takes (public key only). */
  registration: OrganizationRegistration;
  privateKey: CryptoKey;
  /** An organization API key (`org_…`) registered for it (by its SHA-256) for the organization API. */
  apiKey: string;
  /**
   * Signs a customer JWT. Defaults: sub "user-1", customer "customer-a", customer_name
   * "Customer A", role "admin", aud "emporium", iat now, exp now + 10 min (now from `nowMs`).
   * A claim or header set to `undefined` is left out.
   */
  signToken(claims?: Record<string, unknown>, header?: Partial<JWTHeaderParameters> & Record<string, unknown>, nowMs?: number): Promise<string>;
}

let counter = 0;

export async function createTestOrganization(
  options: { id?: string; name?: string; allowedOrigins?: string[]; platform?: Platform; clock?: { now(): number } } = {},
): Promise<TestOrganization> {
  counter += 1;
  const id = options.id ?? `test-org-${counter}`;
  const kid = `${id}-key-1`;
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" };
  const apiKey = `org_${id}_${randomBytes(24).toString("base64url")}`;
  const registration: OrganizationRegistration = {
    id,
    name: options.name ?? `Test Org ${counter}`,
    keys: [jwk],
    allowedOrigins: options.allowedOrigins ?? ["http://localhost:4000"],
    apiKeys: [{ id: `${id}-api-key`, sha256: createHash("sha256").update(apiKey).digest("hex") }],
  };
  options.platform?.registerOrganization(registration);
  const clock = options.clock ?? options.platform?.clock ?? { now: () => Date.now() };
  return {
    id,
    name: registration.name,
    kid,
    allowedOrigins: [...registration.allowedOrigins],
    registration,
    privateKey,
    apiKey,
    async signToken(claims = {}, header = {}, nowMs = clock.now()) {
      const now = Math.floor(nowMs / 1000);
      const payload: Record<string, unknown> = {
        sub: "user-1",
        organization: id,
        customer: "customer-a",
        customer_name: "Customer A",
        name: "Test User",
        role: "admin",
        aud: "emporium",
        iat: now,
        exp: now + 600,
        ...claims,
      };
      for (const key of Object.keys(payload)) if (payload[key] === undefined) delete payload[key];
      const protectedHeader: Record<string, unknown> = { alg: "ES256", kid, typ: "JWT", ...header };
      for (const key of Object.keys(protectedHeader)) if (protectedHeader[key] === undefined) delete protectedHeader[key];
      return new SignJWT(payload as JWTPayload).setProtectedHeader(protectedHeader as JWTHeaderParameters).sign(privateKey);
    },
  };
}
