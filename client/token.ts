/**
 * The API client's one token keeper, for the embedded frame and for `emporium/headless`:
 * - `getToken` is asked lazily, by the first request, unless `set` already gave a token;
 * - one call to `getToken` in flight at a time, shared by every caller, so five parallel 401s
 *   ask the host once; a caller whose token was refused after another caller already replaced
 *   it gets the newer token without asking again (A7);
 * - a token close to `exp` is replaced before it is sent (checked per request, so no timer is
 *   needed); with `refreshAhead` a timer also replaces it shortly before `exp`, so an idle frame
 *   comes back with a live session (the headless client has none: no timer keeps a page or a
 *   Node process alive, and it has no dispose);
 * - a `getToken` that throws, rejects, does not settle within 30 s, or gives no compact JWT
 *   fails as `TOKEN_UNAVAILABLE`, never echoing what it gave, and the next request asks again.
 * The payload is decoded only to learn `exp` (and `iat`) for timing; the platform verifies it.
 */
import { ClientErrorCode } from "../contract/errors.ts";
import { within } from "../contract/within.ts";
import { EmporiumApiError } from "./error.ts";

/** Replace a token this long before `exp`... */
const REFRESH_LEAD_MS = 60_000;
/**
 * ...but use it this long at least (counted from `iat`, when the token says), so a token that
 * lives a minute or less is not replaced on every request, and a timer cannot spin.
 */
const MIN_USE_MS = 5_000;
const COMPACT_JWT = /^[\w-]+\.[\w-]+\.[\w-]*$/;
/** A getToken that has not settled by then fails, so no request (and no later one) waits forever. */
const GET_TOKEN_TIMEOUT_MS = 30_000;

/** `exp` and `iat` of a compact JWT, in ms; undefined when they cannot be read. */
export function tokenTiming(jwt: string): { exp: number; iat?: number } | undefined {
  try {
    const part = jwt.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(atob(part.padEnd(Math.ceil(part.length / 4) * 4, "="))) as { exp?: unknown; iat?: unknown };
    if (typeof claims.exp != "number" || !Number.isFinite(claims.exp)) return undefined;
    return { exp: claims.exp * 1000, ...(typeof claims.iat == "number" ? { iat: claims.iat * 1000 } : {}) };
  } catch {
    return undefined;
  }
}

export interface TokenKeeperOptions {
  /** The host's callback: a fresh signed JWT. */
  getToken: () => Promise<string>;
  /** Also replace the token on a timer shortly before `exp`, with no request needing it. */
  refreshAhead?: boolean;
  /** The host could not give a usable token. */
  onFailure?: (error: EmporiumApiError) => void;
  /** The host gave a token. */
  onSuccess?: () => void;
  now?: () => number;
}

export interface TokenKeeper {
  /** A token to send now: the held one, or a fresh one when none is held or it is about to expire. */
  current(): Promise<string>;
  /** Asks the host again, unless another caller already replaced `stale`. */
  refresh(stale?: string): Promise<string>;
  /** Holds a token the caller already has (the frame's first, pulled at boot). */
  set(jwt: string): void;
  /** Stops the timer; a pending `getToken` still settles. */
  dispose(): void;
}

export function createTokenKeeper({ getToken, refreshAhead, onFailure, onSuccess, now = Date.now }: TokenKeeperOptions): TokenKeeper {
  let token: string | undefined;
  let renewAt = Infinity;
  let inFlight: Promise<string> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  function set(jwt: string) {
    token = jwt;
    const timing = tokenTiming(jwt);
    renewAt = timing ? Math.max(timing.exp - REFRESH_LEAD_MS, (timing.iat ?? -Infinity) + MIN_USE_MS) : Infinity;
    clearTimeout(timer);
    const delay = Math.max(MIN_USE_MS, renewAt - now());
    // setTimeout overflows past ~24.8 days; a token living that long needs no timer.
    if (refreshAhead && !disposed && delay < 2 ** 31 - 1) timer = setTimeout(() => void refresh(jwt).catch(() => {}), delay);
  }

  function refresh(stale?: string): Promise<string> {
    if (inFlight) return inFlight;
    if (stale !== undefined && token !== undefined && token !== stale) return Promise.resolve(token);
    inFlight = within(Promise.resolve().then(getToken), GET_TOKEN_TIMEOUT_MS, () => undefined)
      .then((jwt) => {
        if (typeof jwt != "string" || jwt.length > 16_384 || !COMPACT_JWT.test(jwt)) throw 0;
        set(jwt);
        onSuccess?.();
        return jwt;
      })
      .catch(() => {
        // Never echo what getToken returned or threw: it may hold a secret.
        const error = new EmporiumApiError(ClientErrorCode.TokenUnavailable, "", 401);
        onFailure?.(error);
        throw error;
      })
      .finally(() => (inFlight = undefined));
    return inFlight;
  }

  return {
    current: () => inFlight ?? (token !== undefined && now() < renewAt ? Promise.resolve(token) : refresh()),
    refresh,
    set,
    dispose() {
      disposed = true;
      clearTimeout(timer);
    },
  };
}
