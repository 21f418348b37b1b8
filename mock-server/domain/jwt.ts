/**
 * Customer JWT verification. The header is decoded and checked first, so each kind of forgery
 * gets its own code before any cryptography runs; then jose verifies the signature with an
 * explicit algorithm allow-list and a key looked up by `kid` among the organization's registered
 * public keys. No key is ever fetched: `jku`, `x5u`, `jwk` and `x5c` headers are refused.
 */
import { decodeProtectedHeader, errors as joseErrors, importJWK, jwtVerify, type CryptoKey, type JWTPayload } from "jose";
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { findOrganization } from "./organizations.ts";
import type { Clock } from "./clock.ts";
import type { OrganizationRecord, PublicJwk, Snapshot } from "./store.ts";
import type { Role } from "../../contract/api.ts";

export const ALLOWED_ALGORITHMS = ["RS256", "ES256"] as const;
/** Tolerated difference between the host backend's clock and ours. */
export const CLOCK_SKEW_SECONDS = 60;
export const TOKEN_AUDIENCE = "emporium";
const MAX_TOKEN_LENGTH = 8192;
const FORBIDDEN_HEADERS = ["jku", "x5u", "jwk", "x5c"];

export interface VerifiedToken {
  organization: OrganizationRecord;
  subject: string;
  customerExternalId: string;
  customerName?: string;
  userExternalId: string;
  userName?: string;
  role: Role;
  /** Epoch ms. */
  expiresAt: number;
}

/**
 * A header value for an error message. Never `String(value)`: a JSON object with a non-callable
 * `toString` key makes that throw a TypeError (found by fuzzing: a 500 instead of a 401).
 */
const shown = (value: unknown): string =>
  typeof value === "string" ? JSON.stringify(value.slice(0, 64)) : value === undefined ? "none" : `a JSON ${Array.isArray(value) ? "array" : value === null ? "null" : typeof value}`;

const fail = (code: ApiErrorCode, message: string): never => {
  throw new PlatformError(code, message);
};

function decodeSegment(segment: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  try {
    const binary = atob(segment.replaceAll("-", "+").replaceAll("_", "/"));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch {
    return undefined;
  }
}

const keyCache = new WeakMap<PublicJwk, Promise<CryptoKey | Uint8Array>>();
function importKey(jwk: PublicJwk) {
  let key = keyCache.get(jwk);
  if (!key) {
    key = importJWK({ ...jwk }, jwk.alg);
    keyCache.set(jwk, key);
  }
  return key;
}

const optionalString = (payload: JWTPayload, claim: string, max = 500): string | undefined => {
  const value = payload[claim];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.length === 0 || value.length > max) {
    fail(ApiErrorCode.TokenClaimInvalid, `The token's "${claim}" claim must be a non-empty string of at most ${max} characters.`);
  }
  return value as string;
};
const requiredString = (payload: JWTPayload, claim: string, max = 500): string => {
  if (payload[claim] === undefined) fail(ApiErrorCode.TokenClaimMissing, `The token has no "${claim}" claim.`);
  return optionalString(payload, claim, max)!;
};

/**
 * Verifies a customer JWT against the organizations in `snapshot`; throws a 401 PlatformError.
 * A token whose lifetime (exp − iat) is longer than its organization's maximum (or
 * `maxLifetimeSeconds` when the organization sets none) is refused: a leaked long-lived token
 * would stay usable for that long.
 */
export async function verifyCustomerToken(snapshot: Snapshot, token: string, clock: Clock, maxLifetimeSeconds = 3600): Promise<VerifiedToken> {
  if (token.length > MAX_TOKEN_LENGTH) fail(ApiErrorCode.TokenMalformed, "The token is too long.");
  const segments = token.split(".");
  if (segments.length !== 3) fail(ApiErrorCode.TokenMalformed, "The token is not a compact JWS (three dot-separated parts).");
  const header = decodeSegment(segments[0]);
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    fail(ApiErrorCode.TokenMalformed, "The token header is not base64url-encoded JSON.");
  }
  const h = header as Record<string, unknown>;
  for (const name of FORBIDDEN_HEADERS) {
    if (name in h) fail(ApiErrorCode.TokenHeaderForbidden, `The token header "${name}" is not accepted: keys are never fetched or taken from the token.`);
  }
  if (typeof h.alg !== "string" || !(ALLOWED_ALGORITHMS as readonly string[]).includes(h.alg)) {
    fail(ApiErrorCode.TokenAlgorithmNotAllowed, `The token algorithm ${shown(h.alg)} is not allowed; use RS256 or ES256.`);
  }
  if (typeof h.typ !== "string" || h.typ.toUpperCase() !== "JWT") {
    fail(ApiErrorCode.TokenTypeInvalid, `The token header typ must be "JWT"; got ${shown(h.typ)}.`);
  }
  if (h.crit !== undefined) fail(ApiErrorCode.TokenHeaderForbidden, 'The token header "crit" is not supported.');
  if (typeof h.kid !== "string" || h.kid === "") fail(ApiErrorCode.TokenKeyUnknown, "The token header has no kid.");

  const unverified = decodeSegment(segments[1]);
  if (typeof unverified !== "object" || unverified === null || Array.isArray(unverified)) {
    fail(ApiErrorCode.TokenMalformed, "The token payload is not base64url-encoded JSON.");
  }
  const orgId = (unverified as Record<string, unknown>).organization;
  if (orgId === undefined) fail(ApiErrorCode.TokenClaimMissing, 'The token has no "organization" claim.');
  if (typeof orgId !== "string") fail(ApiErrorCode.TokenClaimInvalid, 'The token\'s "organization" claim must be a string.');
  // The organization is read before verification only to pick the key set; the signature then
  // proves the claim, and a kid registered by another organization is never tried.
  const organization = findOrganization(snapshot, orgId as string);
  if (!organization) fail(ApiErrorCode.TokenClaimInvalid, `Unknown organization ${shown(orgId)}.`);
  const jwk = organization!.keys.find((k) => k.kid === h.kid);
  if (!jwk) fail(ApiErrorCode.TokenKeyUnknown, `No key ${shown(h.kid)} is registered for organization "${organization!.id}".`);
  if (jwk!.alg !== h.alg) {
    fail(ApiErrorCode.TokenAlgorithmNotAllowed, `Key "${jwk!.kid}" is registered for ${jwk!.alg}, not ${shown(h.alg)}.`);
  }

  const nowMs = clock.now();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, () => importKey(jwk!), {
      algorithms: [...ALLOWED_ALGORITHMS],
      clockTolerance: CLOCK_SKEW_SECONDS,
      currentDate: new Date(nowMs),
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) return fail(ApiErrorCode.TokenExpired, "The token has expired.");
    if (error instanceof joseErrors.JWTClaimValidationFailed) {
      if (error.claim === "nbf") return fail(ApiErrorCode.TokenNotYetValid, "The token is not valid yet (nbf is in the future).");
      return fail(ApiErrorCode.TokenClaimInvalid, `The token's "${error.claim}" claim is invalid: ${error.reason}.`);
    }
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
      return fail(ApiErrorCode.TokenSignatureInvalid, "The token signature does not verify with the organization's key.");
    }
    if (error instanceof joseErrors.JOSEAlgNotAllowed) return fail(ApiErrorCode.TokenAlgorithmNotAllowed, "The token algorithm is not allowed.");
    if (error instanceof joseErrors.JOSEError) return fail(ApiErrorCode.TokenMalformed, `The token is malformed (${error.code}).`);
    throw error;
  }

  const now = nowMs / 1000;
  for (const claim of ["exp", "iat"] as const) {
    if (payload[claim] === undefined) fail(ApiErrorCode.TokenClaimMissing, `The token has no "${claim}" claim.`);
    if (typeof payload[claim] !== "number" || !Number.isFinite(payload[claim])) {
      fail(ApiErrorCode.TokenClaimInvalid, `The token's "${claim}" claim must be a number of seconds.`);
    }
  }
  if (payload.exp! <= now - CLOCK_SKEW_SECONDS) fail(ApiErrorCode.TokenExpired, "The token has expired.");
  if (payload.iat! > now + CLOCK_SKEW_SECONDS) fail(ApiErrorCode.TokenNotYetValid, "The token was issued in the future (iat).");
  const maxLifetime = organization!.maxTokenLifetimeSeconds ?? maxLifetimeSeconds;
  if (payload.exp! - payload.iat! > maxLifetime) {
    fail(ApiErrorCode.TokenLifetimeTooLong, `The token lives ${Math.round(payload.exp! - payload.iat!)} s (exp − iat); organization "${organization!.id}" accepts at most ${maxLifetime} s. Sign shorter-lived tokens.`);
  }
  const subject = requiredString(payload, "sub", 200);
  requiredString(payload, "organization", 64);
  const customerExternalId = requiredString(payload, "customer", 200);
  if (payload.aud !== undefined) {
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.includes(TOKEN_AUDIENCE)) fail(ApiErrorCode.TokenClaimInvalid, `The token's "aud" must be "${TOKEN_AUDIENCE}".`);
  }
  if (payload.iss !== undefined && payload.iss !== organization!.id) {
    fail(ApiErrorCode.TokenClaimInvalid, `The token's "iss" must be the organization id "${organization!.id}".`);
  }
  const roleClaim = payload.role;
  if (roleClaim !== undefined && roleClaim !== "admin" && roleClaim !== "viewer") {
    fail(ApiErrorCode.TokenClaimInvalid, 'The token\'s "role" must be "admin" or "viewer".');
  }
  const verified: VerifiedToken = {
    organization: organization!,
    subject,
    customerExternalId,
    userExternalId: optionalString(payload, "external_id", 200) ?? subject,
    role: (roleClaim as Role | undefined) ?? "admin",
    expiresAt: payload.exp! * 1000,
  };
  const customerName = optionalString(payload, "customer_name", 200);
  if (customerName !== undefined) verified.customerName = customerName;
  const userName = optionalString(payload, "name", 200);
  if (userName !== undefined) verified.userName = userName;
  return verified;
}
