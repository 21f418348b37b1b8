/**
 * Organizations: the tenants. Each registers the public keys its backend signs customer JWTs
 * with (looked up by `kid`) and the host origins allowed to embed its marketplace. The platform
 * refuses anything that looks like a private key: it must never hold one.
 */
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { orgApiKeyRecords } from "./org-keys.ts";
import type { OrganizationRecord, OrgApiKeyRecord, PublicJwk, Snapshot } from "./store.ts";

export interface OrganizationRegistration {
  id: string;
  name: string;
  /** Public JWKs, each with a `kid`; EC P-256 (ES256) or RSA ≥ 2048 bits (RS256). */
  keys: ReadonlyArray<Record<string, unknown>>;
  allowedOrigins: readonly string[];
  /**
   * Organization API keys by their SHA-256 (hex); omitted = keep the keys already registered.
   * Hash a key with `hashOrgApiKey` (or `sha256sum`); the platform never stores a key in clear.
   */
  apiKeys?: ReadonlyArray<OrgApiKeyRecord>;
  /** Longest customer-token lifetime (exp − iat, seconds) accepted; omitted = the platform's default (1 hour). */
  maxTokenLifetimeSeconds?: number;
}

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
const ORG_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** An exact origin: scheme, host and optional port, nothing else (no path, no wildcard). */
export function normaliseOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  if (url.origin !== value.replace(/\/$/, "")) return undefined;
  return url.origin;
}

function publicKeyOf(orgId: string, jwk: Record<string, unknown>): PublicJwk {
  const invalid = (reason: string) =>
    new PlatformError(ApiErrorCode.OrgKeyInvalid, `Organization "${orgId}": key ${String(jwk.kid ?? "(no kid)")} ${reason}`);
  if (typeof jwk.kid !== "string" || jwk.kid === "" || jwk.kid.length > 200) throw invalid("needs a kid");
  if (PRIVATE_MEMBERS.some((m) => m in jwk)) throw invalid("is a private key; register only the public half");
  if (jwk.kty === "EC") {
    if (jwk.crv !== "P-256" || typeof jwk.x !== "string" || typeof jwk.y !== "string") throw invalid("must be an EC P-256 key");
    if (jwk.alg !== undefined && jwk.alg !== "ES256") throw invalid("must be for ES256");
    return { kid: jwk.kid, kty: "EC", alg: "ES256", crv: "P-256", x: jwk.x, y: jwk.y, use: "sig" };
  }
  if (jwk.kty === "RSA") {
    if (typeof jwk.n !== "string" || typeof jwk.e !== "string") throw invalid("must have n and e");
    // base64url length of the modulus: 2048 bits = 256 bytes = 342 characters.
    if (jwk.n.length < 342) throw invalid("must be at least 2048 bits");
    if (jwk.alg !== undefined && jwk.alg !== "RS256") throw invalid("must be for RS256");
    return { kid: jwk.kid, kty: "RSA", alg: "RS256", n: jwk.n, e: jwk.e, use: "sig" };
  }
  throw invalid("must be an EC (ES256) or RSA (RS256) key");
}

/** Validates a registration into the record the store keeps. */
export function organizationRecord(registration: OrganizationRegistration): OrganizationRecord {
  const { id, name } = registration;
  if (!ORG_ID.test(id)) throw new PlatformError(ApiErrorCode.BadRequest, `Organization id "${id}" must match ${ORG_ID}`);
  if (registration.keys.length === 0) throw new PlatformError(ApiErrorCode.OrgKeyInvalid, `Organization "${id}" has no public key`);
  const keys = registration.keys.map((k) => publicKeyOf(id, k));
  const kids = new Set<string>();
  for (const key of keys) {
    if (kids.has(key.kid)) throw new PlatformError(ApiErrorCode.OrgKeyInvalid, `Organization "${id}": kid "${key.kid}" is registered twice`);
    kids.add(key.kid);
  }
  const allowedOrigins = registration.allowedOrigins.map((origin) => {
    const normalised = normaliseOrigin(origin);
    if (!normalised) {
      throw new PlatformError(ApiErrorCode.BadRequest, `Organization "${id}": "${origin}" is not an exact http(s) origin`);
    }
    return normalised;
  });
  const record: OrganizationRecord = { id, name, keys, allowedOrigins: [...new Set(allowedOrigins)] };
  if (registration.apiKeys) record.apiKeys = orgApiKeyRecords(id, registration.apiKeys);
  const lifetime = registration.maxTokenLifetimeSeconds;
  if (lifetime !== undefined) {
    if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > 31_622_400) {
      throw new PlatformError(ApiErrorCode.BadRequest, `Organization "${id}": maxTokenLifetimeSeconds must be a whole number of seconds from 1 to 31622400`);
    }
    record.maxTokenLifetimeSeconds = lifetime;
  }
  return record;
}

export function findOrganization(snapshot: Snapshot, id: string): OrganizationRecord | undefined {
  return Object.hasOwn(snapshot.organizations, id) ? snapshot.organizations[id] : undefined;
}

/** Whether any organization lets `origin` embed it (CORS preflight cannot know the tenant yet). */
export function isAnyOrganizationOrigin(snapshot: Snapshot, origin: string): boolean {
  return Object.values(snapshot.organizations).some((org) => org.allowedOrigins.includes(origin));
}
