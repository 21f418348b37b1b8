/**
 * The API client's one request loop, for the embedded frame and `emporium/headless`: one
 * validated request to the platform. Every answer is checked against the contract's schema;
 * every failure is an `EmporiumApiError`.
 *
 * - Auth: `Authorization: Bearer <token>` from the token keeper. A 401 asks for one shared
 *   refresh, then the request is retried once; a refreshed token refused too is the caller's
 *   error (A7).
 * - Retries (D5): only requests the platform can safely see twice: GET, PUT of a whole config
 *   page (it replaces the page, so a repeat changes nothing), and a POST carrying an
 *   `Idempotency-Key`. `Retry-After` is honoured on 429 and 503.
 * - Deadlines: 30 s for the headers (ky), then 30 s for the body.
 * - Offline (D6): a network failure, or a browser that says it is offline, is `NETWORK_ERROR`
 *   and tells `onOffline`; the caller keeps its input.
 *
 * Paths come from the contract (api-paths.ts) and start with `/`, so a request, and the token
 * with it, never leaves `origin`.
 */
import ky, { isHTTPError, isTimeoutError } from "ky";
import type * as z from "zod/mini";
import { apiError } from "../contract/api-marketplace.ts";
import { ApiErrorCode, ClientErrorCode } from "../contract/errors.ts";
import { within } from "../contract/within.ts";
import { EmporiumApiError, type EmporiumApiErrorCode } from "./error.ts";
import type { TokenKeeper } from "./token.ts";

export interface CallLoopOptions {
  /** The platform origin: the frame's own, or the headless client's `platformUrl`. */
  origin: string;
  /** Without one, only `auth: false` requests can be made. */
  tokens?: TokenKeeper;
  fetch?: typeof fetch;
  /** The network went away, or came back (the frame's offline banner). */
  onOffline?: () => void;
  onOnline?: () => void;
  /** A refreshed token was refused too: the user must sign in again. */
  onReauthRequired?: () => void;
  /** Backoff between automatic retries, in ms (tests shorten it). */
  retryDelay?: (attempt: number) => number;
}

export interface CallOptions {
  method?: "get" | "post" | "put" | "patch" | "delete";
  json?: unknown;
  idempotencyKey?: string;
  /** Send the token (default); the public embed config goes without. */
  auth?: boolean;
}

/** One validated request: the answer as the schema parsed it. */
export type Call = <S extends z.ZodMiniType>(schema: S, path: string, options?: CallOptions) => Promise<z.output<S>>;

/** How long one attempt may wait for the platform: for its headers (ky), then for its body. */
const TIMEOUT_MS = 30_000;

export function createCall(options: CallLoopOptions): Call {
  const { origin, tokens } = options;
  const http = ky.create({
    fetch: options.fetch,
    timeout: TIMEOUT_MS,
    retry: {
      limit: 2,
      methods: ["get", "put"],
      statusCodes: [408, 429, 500, 502, 503, 504],
      afterStatusCodes: [429, 503],
      maxRetryAfter: 30_000,
      backoffLimit: 5_000,
      ...(options.retryDelay ? { delay: options.retryDelay } : {}),
    },
  });
  const fail = (code: EmporiumApiErrorCode, status?: number) => new EmporiumApiError(code, "", status);

  return async (schema, path, o = {}) => {
    const method = o.method ?? "get";
    let refreshed = false;
    let token: string | undefined;
    for (;;) {
      try {
        if (path[0] != "/") throw fail(ClientErrorCode.InvalidOption);
        if (typeof navigator != "undefined" && navigator.onLine === false) throw 0; // offline: nothing to try
        if (o.auth ?? true) token ??= await (tokens ? tokens.current() : Promise.reject(fail(ClientErrorCode.TokenUnavailable, 401)));
        const headers: Record<string, string> = {};
        if (token) headers.Authorization = `Bearer ${token}`;
        if (o.idempotencyKey) headers["Idempotency-Key"] = o.idempotencyKey;
        const response = await http(origin + path, {
          method,
          headers,
          ...(o.json !== undefined ? { json: o.json } : {}),
          // A POST is retried only when the platform can recognise the repeat (D2, D5).
          ...(method == "post" && o.idempotencyKey ? { retry: { methods: ["post"] } } : {}),
        });
        options.onOnline?.();
        // ky's timeout ends when the headers are in; a body that stops arriving times out too.
        const body = response.status == 204 ? undefined : await within(response.json().catch(() => undefined), TIMEOUT_MS, () => fail(ClientErrorCode.Timeout));
        const parsed = schema.safeParse(body);
        if (!parsed.success) throw fail(ClientErrorCode.InvalidResponse, response.status);
        return parsed.data;
      } catch (e) {
        if (e instanceof EmporiumApiError) throw e;
        if (isHTTPError(e)) {
          const status = e.response.status;
          options.onOnline?.();
          if (status == 401 && token) {
            if (!refreshed) {
              refreshed = true;
              token = await tokens!.refresh(token); // TOKEN_UNAVAILABLE when the host cannot give one
              continue;
            }
            options.onReauthRequired?.();
          }
          const answer = apiError().safeParse(e.data);
          if (answer.success) {
            const { code, message, fields, page } = answer.data.error;
            throw new EmporiumApiError(code, message, status, fields, page);
          }
          // An error answer not in the contract's shape (a proxy's HTML page): its status says enough.
          throw fail(status >= 500 ? ApiErrorCode.ServerError : ClientErrorCode.InvalidResponse, status);
        }
        if (isTimeoutError(e)) throw fail(ClientErrorCode.Timeout);
        // fetch failed (TypeError in browsers and Node; another runtime's own error class), or the browser is offline.
        options.onOffline?.();
        throw fail(ClientErrorCode.Network);
      }
    }
  };
}
