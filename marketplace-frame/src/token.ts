/**
 * Holds the host-issued JWT. One refresh in flight at a time, shared by every caller (A7),
 * and a proactive refresh shortly before `exp`. The payload is decoded without verifying,
 * only to learn `exp` for timing; the platform does the real verification.
 */
import { EmporiumApiError } from "../../client/error.ts";
import { ClientErrorCode } from "../../contract/errors.ts";

/** Refresh this long before `exp`, so a request never races the expiry. */
const REFRESH_LEAD_MS = 60_000;
const MIN_DELAY_MS = 5_000;

export function tokenExpiry(jwt: string): number | undefined {
  const part = jwt.split(".")[1];
  if (!part) return undefined;
  try {
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "="));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === "number" && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export interface TokenKeeperOptions {
  fetchToken: () => Promise<string>;
  /** Called when the host could not produce a usable token. */
  onFailure?: (error: EmporiumApiError) => void;
  onSuccess?: () => void;
  now?: () => number;
}

export function createTokenKeeper({ fetchToken, onFailure, onSuccess, now = Date.now }: TokenKeeperOptions) {
  let token: string | undefined;
  let inFlight: Promise<string> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  function schedule(jwt: string) {
    clearTimeout(timer);
    const exp = tokenExpiry(jwt);
    if (exp === undefined || disposed) return;
    const delay = Math.max(MIN_DELAY_MS, exp - now() - REFRESH_LEAD_MS);
    // setTimeout overflows past ~24.8 days; a token living that long needs no timer.
    if (delay < 2 ** 31 - 1) timer = setTimeout(() => void refresh(jwt).catch(() => {}), delay);
  }

  function set(jwt: string) {
    token = jwt;
    schedule(jwt);
  }

  /**
   * Asks the host for a new token. `stale` is the token the caller saw fail: if another
   * caller already replaced it, that newer token is used without asking again.
   */
  function refresh(stale?: string): Promise<string> {
    if (inFlight) return inFlight;
    if (stale !== undefined && token !== undefined && token !== stale) return Promise.resolve(token);
    inFlight = (async () => {
      try {
        const jwt = await fetchToken();
        if (typeof jwt !== "string" || jwt.length === 0 || jwt.length > 16_384) throw new Error("no token");
        set(jwt);
        onSuccess?.();
        return jwt;
      } catch {
        const error = new EmporiumApiError(ClientErrorCode.TokenUnavailable, "", 401);
        onFailure?.(error);
        throw error;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  }

  return {
    /** The current token, waiting for a refresh in flight, or asking the host for the first one. */
    current(): Promise<string> {
      if (inFlight) return inFlight;
      return token !== undefined ? Promise.resolve(token) : refresh();
    },
    peek: () => token,
    set,
    refresh,
    dispose() {
      disposed = true;
      clearTimeout(timer);
    },
  };
}
export type TokenKeeper = ReturnType<typeof createTokenKeeper>;
