/**
 * Holds the host's JWT for the headless client, with the frame's token rules:
 * - `getToken` is called lazily, on the first request, not at `createClient`;
 * - a token close to `exp` is replaced before it is sent (checked per request, so no timer
 *   keeps a page or a Node process alive);
 * - one call to `getToken` in flight at a time, shared by every caller, so five parallel 401s
 *   ask the host once (A7).
 * The payload is decoded only to learn `exp` for timing; the platform does the verification.
 */
import { EmporiumApiError } from "../client/error.ts";
import { ClientErrorCode } from "../contract/errors.ts";
import { within } from "../contract/within.ts";

/** Replace a token this long before `exp` (or at half its lifetime, for short-lived tokens). */
const REFRESH_LEAD_MS = 60_000;
const COMPACT_JWT = /^[\w-]+\.[\w-]+\.[\w-]*$/;
/** A getToken that has not settled by then fails, so no request (and no later one) waits forever. */
const GET_TOKEN_TIMEOUT_MS = 30_000;

/** `exp` and `iat` of a compact JWT, in ms; undefined when they cannot be read. */
export function tokenTiming(jwt: string): { exp: number; iat?: number } | undefined {
  try {
    const part = jwt.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(atob(part.padEnd(Math.ceil(part.length / 4) * 4, "="))) as { exp?: unknown; iat?: unknown };
    if (typeof claims.exp !== "number" || !Number.isFinite(claims.exp)) return undefined;
    return { exp: claims.exp * 1000, ...(typeof claims.iat === "number" ? { iat: claims.iat * 1000 } : {}) };
  } catch {
    return undefined;
  }
}

export interface TokenKeeper {
  /** A token to send now: the held one, or a fresh one when none is held or it is about to expire. */
  current(): Promise<string>;
  /** Asks the host again, unless another caller already replaced `stale`. */
  refresh(stale?: string): Promise<string>;
}

export function createTokenKeeper(getToken: () => Promise<string>, now: () => number = Date.now): TokenKeeper {
  let token: string | undefined;
  let renewAt = Infinity;
  let inFlight: Promise<string> | undefined;

  const refresh = (stale?: string): Promise<string> => {
    if (inFlight) return inFlight;
    if (stale !== undefined && token !== undefined && token !== stale) return Promise.resolve(token);
    inFlight = within(Promise.resolve().then(getToken), GET_TOKEN_TIMEOUT_MS, () => undefined)
      .then(
        (jwt) => {
          if (typeof jwt !== "string" || jwt.length > 16_384 || !COMPACT_JWT.test(jwt)) throw new Error();
          const timing = tokenTiming(jwt);
          const lead = timing?.iat !== undefined ? Math.min(REFRESH_LEAD_MS, (timing.exp - timing.iat) / 2) : REFRESH_LEAD_MS;
          token = jwt;
          renewAt = timing ? timing.exp - lead : Infinity;
          return jwt;
        },
      )
      .catch(() => {
        // Never echo what getToken returned or threw: it may hold a secret.
        throw new EmporiumApiError(ClientErrorCode.TokenUnavailable, "getToken() did not resolve to a JWT", 401);
      })
      .finally(() => (inFlight = undefined));
    return inFlight;
  };

  return {
    current: () => inFlight ?? (token !== undefined && now() < renewAt ? Promise.resolve(token) : refresh()),
    refresh,
  };
}
