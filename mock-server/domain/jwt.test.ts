import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { createPlatform, type Platform } from "./platform.ts";
import { createManualClock } from "./clock.ts";
import { createTestOrganization, type TestOrganization } from "../fixtures/test-organization.ts";
import { PlatformError } from "./errors.ts";

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A token signed with `key` under the header's alg and kid, for user `sub`, issued now and valid 60 s. */
async function signWith(key: Parameters<SignJWT["sign"]>[0], header: { alg: string; kid: string }, sub: string, claims: Record<string, unknown>): Promise<string> {
  const now = Math.floor(clock.now() / 1000);
  return new SignJWT(claims).setProtectedHeader({ ...header, typ: "JWT" }).setSubject(sub).setIssuedAt(now).setExpirationTime(now + 60).sign(key);
}

let platform: Platform;
let org: TestOrganization;
let fetchSpy: ReturnType<typeof vi.fn>;
const clock = createManualClock();

async function codeOf(token: string): Promise<string> {
  try {
    await platform.access.authenticate(token);
    return "ACCEPTED";
  } catch (error) {
    expect(error).toBeInstanceOf(PlatformError);
    expect((error as PlatformError).status).toBe(401);
    return (error as PlatformError).code;
  }
}

beforeEach(async () => {
  platform = createPlatform({ clock });
  org = await createTestOrganization({ platform });
  fetchSpy = vi.fn(() => Promise.reject(new Error("no outbound fetch allowed")));
  vi.stubGlobal("fetch", fetchSpy);
});

afterEach(() => {
  vi.unstubAllGlobals();
  platform.dispose();
});

describe("customer JWT verification", () => {
  it("accepts a well-formed ES256 token and creates the customer named by customer_name", async () => {
    const caller = await platform.access.authenticate(await org.signToken({ customer: "globex", customer_name: "Globex Inc" }));
    expect(caller.customer).toMatchObject({ externalId: "globex", name: "Globex Inc" });
    expect(caller.role).toBe("admin");
    const again = await platform.access.authenticate(await org.signToken({ customer: "globex" }));
    expect(again.customer.id).toBe(caller.customer.id);
    expect(again.user.id).toBe(caller.user.id);
  });

  it("accepts an RS256 key registered for the organization", async () => {
    const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
    platform.access.registerOrganization({
      id: "rsa-org",
      name: "RSA Org",
      keys: [{ ...(await exportJWK(publicKey)), kid: "rsa-1" }],
      allowedOrigins: [],
    });
    const token = await signWith(privateKey, { alg: "RS256", kid: "rsa-1" }, "u1", { organization: "rsa-org", customer: "c1" });
    expect(await codeOf(token)).toBe("ACCEPTED");
  });

  it("A1 alg none is rejected with TOKEN_ALG_NOT_ALLOWED", async () => {
    const now = Math.floor(clock.now() / 1000);
    const token = `${b64({ alg: "none", typ: "JWT", kid: org.kid })}.${b64({ sub: "u", organization: org.id, customer: "c", iat: now, exp: now + 60 })}.`;
    expect(await codeOf(token)).toBe("TOKEN_ALG_NOT_ALLOWED");
  });

  it("A2 HS256 signed with the organization's public key as the secret is rejected", async () => {
    const publicJwk = org.registration.keys[0];
    const token = await signWith(new TextEncoder().encode(JSON.stringify(publicJwk)), { alg: "HS256", kid: org.kid }, "u", { organization: org.id, customer: "c" });
    expect(await codeOf(token)).toBe("TOKEN_ALG_NOT_ALLOWED");
  });

  it("A2 an allowed algorithm other than the one its kid is registered for is rejected (no algorithm confusion)", async () => {
    // The organization's key is ES256; an attacker signs RS256 with a key of their own and names that kid.
    const { privateKey } = await generateKeyPair("RS256");
    const token = await signWith(privateKey, { alg: "RS256", kid: org.kid }, "u", { organization: org.id, customer: "c", aud: "emporium" });
    expect(await codeOf(token)).toBe("TOKEN_ALG_NOT_ALLOWED");
  });

  it("A3 a token without exp or without iat is rejected with TOKEN_CLAIM_MISSING", async () => {
    expect(await codeOf(await org.signToken({ exp: undefined }))).toBe("TOKEN_CLAIM_MISSING");
    expect(await codeOf(await org.signToken({ iat: undefined }))).toBe("TOKEN_CLAIM_MISSING");
    expect(await codeOf(await org.signToken({ sub: undefined }))).toBe("TOKEN_CLAIM_MISSING");
    expect(await codeOf(await org.signToken({ customer: undefined }))).toBe("TOKEN_CLAIM_MISSING");
  });

  it("A4 expiry beyond the 60 s skew and nbf in the future are rejected; within the skew is accepted", async () => {
    const now = Math.floor(clock.now() / 1000);
    expect(await codeOf(await org.signToken({ iat: now - 700, exp: now - 61 }))).toBe("TOKEN_EXPIRED");
    expect(await codeOf(await org.signToken({ iat: now - 700, exp: now - 30 }))).toBe("ACCEPTED");
    expect(await codeOf(await org.signToken({ nbf: now + 300 }))).toBe("TOKEN_NOT_YET_VALID");
    expect(await codeOf(await org.signToken({ iat: now + 600, exp: now + 1200 }))).toBe("TOKEN_NOT_YET_VALID");
  });

  it("A5 wrong aud, iss or organization and an unknown kid are rejected", async () => {
    expect(await codeOf(await org.signToken({ aud: "someone-else" }))).toBe("TOKEN_CLAIM_INVALID");
    expect(await codeOf(await org.signToken({ iss: "another-org" }))).toBe("TOKEN_CLAIM_INVALID");
    expect(await codeOf(await org.signToken({ organization: "no-such-org" }))).toBe("TOKEN_CLAIM_INVALID");
    expect(await codeOf(await org.signToken({}, { kid: "rotated-away" }))).toBe("TOKEN_KID_UNKNOWN");
    expect(await codeOf(await org.signToken({ role: "owner" }))).toBe("TOKEN_CLAIM_INVALID");
  });

  it("A5 a kid registered by another organization is never tried", async () => {
    const other = await createTestOrganization({ platform });
    // Signed with the other org's key and kid, but claiming this organization.
    expect(await codeOf(await other.signToken({ organization: org.id }))).toBe("TOKEN_KID_UNKNOWN");
  });

  it("A5 jku, x5u, jwk, x5c and crit headers are refused with TOKEN_HEADER_FORBIDDEN and nothing is fetched", async () => {
    for (const header of [
      { jku: "https://attacker.example/jwks.json" },
      { x5u: "https://attacker.example/cert.pem" },
      { jwk: { kty: "EC", crv: "P-256", x: "AA", y: "AA" } },
      { x5c: ["MIIB"] },
    ]) {
      expect(await codeOf(await org.signToken({}, header))).toBe("TOKEN_HEADER_FORBIDDEN");
    }
    // jose refuses to sign an unknown crit extension, so this one is assembled by hand.
    const [, payload, signature] = (await org.signToken()).split(".");
    expect(await codeOf(`${b64({ alg: "ES256", typ: "JWT", kid: org.kid, crit: ["exp"] })}.${payload}.${signature}`)).toBe("TOKEN_HEADER_FORBIDDEN");
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("rejects a bad typ, a forged signature and malformed input with their own codes", async () => {
    expect(await codeOf(await org.signToken({}, { typ: "at+jwt" }))).toBe("TOKEN_TYP_INVALID");
    expect(await codeOf(await org.signToken({}, { typ: undefined }))).toBe("TOKEN_TYP_INVALID");
    const impostor = await createTestOrganization({ id: "impostor" });
    expect(await codeOf(await impostor.signToken({ organization: org.id }, { kid: org.kid }))).toBe("TOKEN_SIGNATURE_INVALID");
    const valid = await org.signToken();
    const [h, , s] = valid.split(".");
    expect(await codeOf(`${h}.${b64({ sub: "x", organization: org.id, customer: "evil", iat: 1, exp: 9e9 })}.${s}`)).toBe("TOKEN_SIGNATURE_INVALID");
    expect(await codeOf("not-a-jwt")).toBe("TOKEN_MALFORMED");
    expect(await codeOf("a.b.c")).toBe("TOKEN_MALFORMED");
    expect(await codeOf("x".repeat(9000))).toBe("TOKEN_MALFORMED");
  });

  it("refuses to register a private key or a weak key", async () => {
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const registration = { id: "leaky", name: "Leaky", keys: [{ ...(await exportJWK(privateKey)), kid: "k" }], allowedOrigins: [] };
    expect(() => platform.access.registerOrganization(registration)).toThrow(/private key/);
    expect(() => platform.access.registerOrganization({ ...registration, keys: [{ kty: "RSA", n: "abc", e: "AQAB", kid: "k" }] })).toThrow(/2048/);
  });

  it("takes the role from each token: viewer today, admin tomorrow", async () => {
    expect((await platform.access.authenticate(await org.signToken({ role: "viewer" }))).role).toBe("viewer");
    expect((await platform.access.authenticate(await org.signToken())).role).toBe("admin");
  });
});
