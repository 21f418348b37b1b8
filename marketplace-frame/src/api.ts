/**
 * The platform API client. The base URL is always this document's own origin (the frame
 * and the platform share one origin), never anything the host or the URL says. Every
 * response is validated against the contract; every failure becomes an `EmporiumApiError`.
 *
 * - Auth: a `beforeRequest` hook adds `Authorization: Bearer <token>` from the token keeper.
 * - 401: one shared refresh, then each failed request is retried once (A7).
 * - Retries: only idempotent requests (GET, PUT of a whole config page, or a POST carrying an
 *   `Idempotency-Key`), honouring `Retry-After` (D5).
 * - Offline: a network failure flips the offline signal; the caller keeps its input (D6).
 */
import ky, { HTTPError, isNetworkError, isTimeoutError, type KyInstance } from "ky";
import type * as z from "zod/mini";
import { apiError, embedConfig, integrationList, session } from "../../contract/api-marketplace.ts";
import { API_PREFIX, listPaths } from "../../contract/list-paths.ts";
import { within } from "../../contract/within.ts";
import { EmporiumApiError } from "../../client/error.ts";
import { ClientErrorCode } from "../../contract/errors.ts";
import type { TokenKeeper } from "../../client/token.ts";

export interface ApiOptions {
  /** The platform origin: `location.origin` in the real frame. */
  origin: string;
  tokens?: TokenKeeper;
  fetch?: typeof fetch;
  /** Network state callbacks (offline banner). */
  onOffline?: () => void;
  onOnline?: () => void;
  /** A refreshed token was refused too: the user must sign in again. */
  onReauthRequired?: () => void;
  /** Backoff between automatic retries, in ms (tests shorten it). */
  retryDelay?: (attempt: number) => number;
}

export interface CallOptions {
  method?: "get" | "post" | "put" | "delete";
  json?: unknown;
  idempotencyKey?: string;
  auth?: boolean;
}

/** How long one attempt may wait for the platform: for its headers (ky), then for its body. */
const TIMEOUT_MS = 30_000;

export function createApi(options: ApiOptions) {
  const { origin, tokens } = options;
  const http: KyInstance = ky.create({
    baseUrl: origin + API_PREFIX + "/",
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
    hooks: {
      beforeRequest: [
        async ({ request, options: o }) => {
          // Defence in depth: the token only ever goes to the platform origin.
          if (new URL(request.url).origin !== origin) throw new EmporiumApiError(ClientErrorCode.InvalidResponse);
          if (o.context.auth) {
            if (!tokens) throw new EmporiumApiError(ClientErrorCode.TokenUnavailable, "", 401);
            request.headers.set("Authorization", `Bearer ${await tokens.current()}`);
          }
        },
      ],
    },
  });

  async function toApiError(e: HTTPError): Promise<EmporiumApiError> {
    const parsed = apiError.safeParse(e.data);
    if (parsed.success) {
      const { code, message, fields, page } = parsed.data.error;
      return new EmporiumApiError(code, message, e.response.status, fields, page);
    }
    return new EmporiumApiError(e.response.status >= 500 ? "SERVER_ERROR" : ClientErrorCode.InvalidResponse, "", e.response.status);
  }

  async function call<S extends z.ZodMiniType>(schema: S, path: string, o: CallOptions = {}): Promise<z.infer<S>> {
    const method = o.method ?? "get";
    const auth = o.auth ?? true;
    let refreshed = false;
    for (;;) {
      if (typeof navigator !== "undefined" && navigator.onLine === false) {
        options.onOffline?.();
        throw new EmporiumApiError(ClientErrorCode.Network);
      }
      const headers: Record<string, string> = {};
      if (o.idempotencyKey) headers["Idempotency-Key"] = o.idempotencyKey;
      try {
        const response = await http(path, {
          method,
          headers,
          context: { auth },
          ...(o.json !== undefined ? { json: o.json } : {}),
          // A POST is retried only when the platform can recognise the repeat (D2/D5).
          ...(method === "post" && o.idempotencyKey ? { retry: { methods: ["post"] } } : {}),
        });
        options.onOnline?.();
        // ky's timeout ends when the headers are in; a body that stops arriving times out too.
        const body = response.status === 204 ? undefined : await within(response.json(), TIMEOUT_MS, () => new EmporiumApiError(ClientErrorCode.Timeout));
        const result = schema.safeParse(body);
        if (!result.success) throw new EmporiumApiError(ClientErrorCode.InvalidResponse, "", response.status);
        return result.data as z.infer<S>;
      } catch (e) {
        if (e instanceof EmporiumApiError) throw e;
        if (e instanceof HTTPError) {
          options.onOnline?.();
          if (e.response.status === 401 && auth && tokens) {
            if (!refreshed) {
              refreshed = true;
              const used = e.request.headers.get("authorization")?.replace(/^Bearer /, "");
              await tokens.refresh(used); // throws TOKEN_UNAVAILABLE if the host fails
              continue;
            }
            options.onReauthRequired?.();
          }
          throw await toApiError(e);
        }
        if (isTimeoutError(e)) throw new EmporiumApiError(ClientErrorCode.Timeout);
        if (isNetworkError(e) || e instanceof TypeError) {
          options.onOffline?.();
          throw new EmporiumApiError(ClientErrorCode.Network);
        }
        throw new EmporiumApiError(ClientErrorCode.InvalidResponse);
      }
    }
  }

  return {
    origin,
    /** One validated request; the instance screens build their endpoints on it (instances-api.ts). */
    call,
    embedConfig: (org: string) => call(embedConfig, listPaths.embedConfig(org), { auth: false }),
    createSession: () => call(session, listPaths.session(), { method: "post" }),
    listIntegrations: () => call(integrationList, listPaths.integrations()),
  };
}
export type Api = ReturnType<typeof createApi>;
