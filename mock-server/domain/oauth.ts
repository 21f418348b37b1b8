/**
 * OAuth 2.0 authorization-code connections, with the mock provider the platform ships for
 * offline use. The frame asks the platform to start (it gets an authorize URL with an opaque
 * `state` bound to the customer, instance and field), opens it in a popup, the user allows or
 * denies, the provider redirects to the platform's callback with a one-time code, and the
 * platform exchanges it for tokens it keeps. The frame only ever sees a grant id.
 */
import { OAuthErrorCode } from "../../contract/errors.ts";
import { paths } from "../../contract/api.ts";
import { newId, newSecretToken } from "./ids.ts";
import { touch, type OAuthAuthorization, type OAuthGrant, type Snapshot } from "./store.ts";

/** How long the user has to answer the authorize page. */
export const AUTHORIZATION_TTL_MS = 10 * 60 * 1000;
/** How long a code may wait before it is exchanged. */
export const CODE_TTL_MS = 60 * 1000;
export const MOCK_OAUTH_PREFIX = "/mock-oauth";
export const MOCK_CLIENT_ID = "emporium-platform";

export type OAuthOutcome =
  | { ok: true; state: string; grantId: string; account: string }
  | { ok: false; state?: string; code: OAuthErrorCode; message: string };

export function startAuthorization(
  snapshot: Snapshot,
  input: Omit<OAuthAuthorization, "state" | "redirectUri" | "createdAt" | "code" | "codeIssuedAt">,
  platformOrigin: string,
  now: number,
): { authorizeUrl: string; state: string } {
  pruneAuthorizations(snapshot, now);
  const state = newSecretToken();
  const redirectUri = platformOrigin + paths.oauthCallback();
  snapshot.oauthAuthorizations[state] = { ...input, state, redirectUri, createdAt: now };
  touch(snapshot, "oauthAuthorizations", state);
  const query = new URLSearchParams({
    response_type: "code",
    client_id: MOCK_CLIENT_ID,
    redirect_uri: redirectUri,
    scope: input.scopes.join(" "),
    state,
  });
  return { authorizeUrl: `${platformOrigin}${MOCK_OAUTH_PREFIX}/authorize?${query}`, state };
}

export function pendingAuthorization(snapshot: Snapshot, state: string, now: number): OAuthAuthorization | undefined {
  const auth = Object.hasOwn(snapshot.oauthAuthorizations, state) ? snapshot.oauthAuthorizations[state] : undefined;
  if (!auth || now - auth.createdAt > AUTHORIZATION_TTL_MS) return undefined;
  return auth;
}

/** The provider's answer to Allow/Deny: where to redirect the browser. */
export function decide(snapshot: Snapshot, state: string, allow: boolean, now: number): string | undefined {
  const auth = pendingAuthorization(snapshot, state, now);
  if (!auth) return undefined;
  const target = new URL(auth.redirectUri);
  target.searchParams.set("state", state);
  if (allow) {
    auth.code = newSecretToken();
    auth.codeIssuedAt = now;
    touch(snapshot, "oauthAuthorizations", state);
    target.searchParams.set("code", auth.code);
  } else {
    target.searchParams.set("error", "access_denied");
  }
  return target.toString();
}

/** The provider's token endpoint: a one-time code becomes tokens (kept by the platform only). */
export function exchangeCode(
  snapshot: Snapshot,
  code: string,
  redirectUri: string,
  now: number,
): { ok: true; grant: OAuthGrant; state: string } | { ok: false; error: "invalid_grant"; message: string } {
  const auth = Object.values(snapshot.oauthAuthorizations).find((a) => a.code !== undefined && a.code === code);
  if (!auth || auth.redirectUri !== redirectUri) return { ok: false, error: "invalid_grant", message: "Unknown or already used code." };
  delete snapshot.oauthAuthorizations[auth.state];
  touch(snapshot, "oauthAuthorizations", auth.state);
  if (now - (auth.codeIssuedAt ?? 0) > CODE_TTL_MS) return { ok: false, error: "invalid_grant", message: "The code expired." };
  const grant: OAuthGrant = {
    id: newId("grt"),
    organizationId: auth.organizationId,
    customerId: auth.customerId,
    app: auth.app,
    account: `${snapshot.customers[auth.customerId]?.name ?? "Customer"} on ${auth.app}`,
    scopes: auth.scopes,
    accessToken: `at_${newSecretToken()}`,
    refreshToken: `rt_${newSecretToken()}`,
    status: "active",
    createdAt: now,
  };
  snapshot.oauthGrants[grant.id] = grant;
  touch(snapshot, "oauthGrants", grant.id);
  return { ok: true, grant, state: auth.state };
}

/** The platform's redirect URI: checks the state, exchanges the code, reports to the frame. */
export function completeAuthorization(
  snapshot: Snapshot,
  query: { state: string | null; code: string | null; error: string | null },
  now: number,
): OAuthOutcome {
  const { state } = query;
  if (!state || !Object.hasOwn(snapshot.oauthAuthorizations, state)) {
    return { ok: false, code: OAuthErrorCode.StateMismatch, message: "The authorization answer does not match a request from this marketplace. Try connecting again." };
  }
  const auth = snapshot.oauthAuthorizations[state];
  if (now - auth.createdAt > AUTHORIZATION_TTL_MS) {
    delete snapshot.oauthAuthorizations[state];
    touch(snapshot, "oauthAuthorizations", state);
    return { ok: false, state, code: OAuthErrorCode.Expired, message: "The authorization took too long. Try connecting again." };
  }
  if (query.error) {
    delete snapshot.oauthAuthorizations[state];
    touch(snapshot, "oauthAuthorizations", state);
    return { ok: false, state, code: OAuthErrorCode.Denied, message: `Access to ${auth.app} was denied.` };
  }
  if (!query.code || auth.code !== query.code) {
    delete snapshot.oauthAuthorizations[state];
    touch(snapshot, "oauthAuthorizations", state);
    return { ok: false, state, code: OAuthErrorCode.InvalidCode, message: "The authorization code is not valid. Try connecting again." };
  }
  const exchanged = exchangeCode(snapshot, query.code, auth.redirectUri, now);
  if (!exchanged.ok) return { ok: false, state, code: OAuthErrorCode.InvalidCode, message: exchanged.message };
  return { ok: true, state, grantId: exchanged.grant.id, account: exchanged.grant.account };
}

function pruneAuthorizations(snapshot: Snapshot, now: number) {
  for (const [state, auth] of Object.entries(snapshot.oauthAuthorizations)) {
    if (now - auth.createdAt > AUTHORIZATION_TTL_MS) {
      delete snapshot.oauthAuthorizations[state];
      touch(snapshot, "oauthAuthorizations", state);
    }
  }
}
