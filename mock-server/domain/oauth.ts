/**
 * OAuth 2.0 authorization-code connections, with the mock provider the platform ships for
 * offline use. The frame asks the platform to start (it gets an authorize URL with an opaque
 * `state` bound to the customer, instance and field), opens it in a popup, the user allows or
 * denies, the provider redirects to the platform's callback with a one-time code, and the
 * platform exchanges it for tokens it keeps, in one of the customer's connections (a new one, or
 * the one being reconnected). The frame only ever sees the connection and grant ids.
 *
 * An authorization ends once: its result is kept (until it expires) for the starter's status
 * poll — how a flow opened outside the frame (the host's `openExternalUrl`, a webview) completes —
 * and a second callback with the same `state` is refused, changing nothing (S5).
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
  | { ok: true; state: string; connectionId: string; grantId: string; account: string }
  | { ok: false; state?: string; code: OAuthErrorCode; message: string };

export function startAuthorization(
  snapshot: Snapshot,
  input: Omit<OAuthAuthorization, "state" | "redirectUri" | "createdAt" | "code" | "codeIssuedAt" | "result">,
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

/** An authorization still waiting for the user's answer (not ended, not expired). */
export function pendingAuthorization(snapshot: Snapshot, state: string, now: number): OAuthAuthorization | undefined {
  const auth = knownAuthorization(snapshot, state, now);
  return auth && !auth.result ? auth : undefined;
}

/** An authorization, pending or ended, until it expires. */
export function knownAuthorization(snapshot: Snapshot, state: string, now: number): OAuthAuthorization | undefined {
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
  // A code is good once: the authorization stays (for its result), its code does not.
  const issuedAt = auth.codeIssuedAt ?? 0;
  delete auth.code;
  delete auth.codeIssuedAt;
  touch(snapshot, "oauthAuthorizations", auth.state);
  if (now - issuedAt > CODE_TTL_MS) return { ok: false, error: "invalid_grant", message: "The code expired." };
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

/**
 * The platform's redirect URI: checks the state, exchanges the code, keeps the tokens in a
 * connection (`connect` makes or reconnects it and returns its id), and records how the
 * authorization ended. A callback for an authorization that already ended is refused.
 */
export function completeAuthorization(
  snapshot: Snapshot,
  query: { state: string | null; code: string | null; error: string | null },
  now: number,
  connect: (auth: OAuthAuthorization, grant: OAuthGrant) => string,
): OAuthOutcome {
  const { state } = query;
  if (!state || !Object.hasOwn(snapshot.oauthAuthorizations, state)) {
    return { ok: false, code: OAuthErrorCode.StateMismatch, message: "The authorization answer does not match a request from this marketplace. Try connecting again." };
  }
  const auth = snapshot.oauthAuthorizations[state];
  if (auth.result) {
    return { ok: false, state, code: OAuthErrorCode.AlreadyUsed, message: "This authorization was already used. Nothing changed; start connecting again if you need to." };
  }
  const end = (outcome: OAuthOutcome): OAuthOutcome => {
    auth.result = outcome.ok
      ? { ok: true, connectionId: outcome.connectionId, grantId: outcome.grantId, account: outcome.account }
      : { ok: false, code: outcome.code, message: outcome.message };
    delete auth.code;
    delete auth.codeIssuedAt;
    touch(snapshot, "oauthAuthorizations", state);
    return outcome;
  };
  if (now - auth.createdAt > AUTHORIZATION_TTL_MS) {
    return end({ ok: false, state, code: OAuthErrorCode.Expired, message: "The authorization took too long. Try connecting again." });
  }
  if (query.error) return end({ ok: false, state, code: OAuthErrorCode.Denied, message: `Access to ${auth.app} was denied.` });
  if (!query.code || auth.code !== query.code) {
    return end({ ok: false, state, code: OAuthErrorCode.InvalidCode, message: "The authorization code is not valid. Try connecting again." });
  }
  const exchanged = exchangeCode(snapshot, query.code, auth.redirectUri, now);
  if (!exchanged.ok) return end({ ok: false, state, code: OAuthErrorCode.InvalidCode, message: exchanged.message });
  const connectionId = connect(auth, exchanged.grant);
  return end({ ok: true, state, connectionId, grantId: exchanged.grant.id, account: exchanged.grant.account });
}

function pruneAuthorizations(snapshot: Snapshot, now: number) {
  for (const [state, auth] of Object.entries(snapshot.oauthAuthorizations)) {
    if (now - auth.createdAt > AUTHORIZATION_TTL_MS) {
      delete snapshot.oauthAuthorizations[state];
      touch(snapshot, "oauthAuthorizations", state);
    }
  }
}
