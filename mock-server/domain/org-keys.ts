/**
 * Organization API keys: what the organization's own backend presents on the organization API
 * (`Authorization: Bearer org_…`). The platform stores only each key's SHA-256 (hex), so a
 * leaked snapshot does not leak a usable key; a key may carry an expiry. Customer JWTs are
 * never accepted here, and the customer API never accepts these keys (sessions.ts).
 */
import { ORG_API_KEY_PREFIX } from "../../contract/org-api.ts";
import { ApiErrorCode, PlatformError } from "./errors.ts";
import type { OrganizationRecord, OrgApiKeyRecord, Snapshot } from "./store.ts";

const SHA256_HEX = /^[0-9a-f]{64}$/;
const KEY_SHAPE = /^org_[A-Za-z0-9_-]{16,200}$/;

/** SHA-256 of a key, lowercase hex (WebCrypto: runs in Node and in a service worker). */
export async function hashOrgApiKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Validates the key registrations of an organization (hashes only, never a key in clear). */
export function orgApiKeyRecords(orgId: string, keys: ReadonlyArray<OrgApiKeyRecord>): OrgApiKeyRecord[] {
  const ids = new Set<string>();
  return keys.map((key) => {
    if (typeof key.id !== "string" || key.id === "" || key.id.length > 100) {
      throw new PlatformError(ApiErrorCode.BadRequest, `Organization "${orgId}": every API key needs an id`);
    }
    if (ids.has(key.id)) throw new PlatformError(ApiErrorCode.BadRequest, `Organization "${orgId}": API key id "${key.id}" is registered twice`);
    ids.add(key.id);
    if (!SHA256_HEX.test(key.sha256)) {
      throw new PlatformError(ApiErrorCode.BadRequest, `Organization "${orgId}": API key "${key.id}" must be registered by its SHA-256 (64 lowercase hex digits)`);
    }
    return { id: key.id, sha256: key.sha256, ...(key.expiresAt !== undefined ? { expiresAt: key.expiresAt } : {}) };
  });
}

/**
 * The organization an `Authorization: Bearer org_…` header belongs to. Every failure is a 401
 * ORG_KEY_INVALID saying what was wrong, without saying whether some other key exists.
 */
export async function authenticateOrganization(snapshot: Snapshot, authorization: string | null, now: number): Promise<OrganizationRecord> {
  const invalid = (message: string) => new PlatformError(ApiErrorCode.OrgKeyInvalid, message);
  if (!authorization) throw invalid("Send the organization API key as Authorization: Bearer org_….");
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(authorization);
  if (!match) throw invalid('The Authorization header must be "Bearer <organization API key>".');
  const key = match[1];
  if (!key.startsWith(ORG_API_KEY_PREFIX)) {
    throw invalid("The organization API takes an organization API key (org_…); customer tokens are not accepted here.");
  }
  if (!KEY_SHAPE.test(key)) throw invalid("This is not a valid organization API key.");
  const hash = await hashOrgApiKey(key);
  for (const org of Object.values(snapshot.organizations)) {
    const record = org.apiKeys?.find((k) => k.sha256 === hash);
    if (!record) continue;
    if (record.expiresAt !== undefined && record.expiresAt <= now) throw invalid("This organization API key has expired.");
    return org;
  }
  throw invalid("This organization API key is not valid.");
}
