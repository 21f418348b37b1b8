/**
 * Routes that take no credential: the embed configuration a frame reads before anything else,
 * webhooks (the unguessable token in the URL is the credential) and the OAuth redirect URI.
 */
import * as z from "zod/mini";
import { OAUTH_RESULT_MESSAGE_TYPE, oauthResultMessage, paths, type OAuthResultMessage } from "../../../contract/api.ts";
import { ApiErrorCode as C } from "../../../contract/errors.ts";
import { answerResponse } from "../answer.ts";
import { answerWebhook } from "../webhook-answer.ts";
import { readBodyText } from "../request-body.ts";
import { callbackPage, pageResponse } from "../oauth-pages.ts";
import { OAuthErrorCode } from "../../../contract/errors.ts";
import { apiRoute, rawRoute, type Route } from "../route.ts";

export const publicRoutes: Route[] = [
  apiRoute({
    method: "get", path: paths.embedConfig, params: ["org"], operationId: "getEmbedConfig", tag: "public", auth: "none", cors: false,
    summary: "The organization's name and the host origins allowed to embed its marketplace",
    responses: [{ status: 200, description: "Embed configuration", schema: "EmbedConfig" }],
    errors: [C.NotFound],
    handle({ platform, params, reply }) {
      const response = reply(platform.access.embedConfig(params.org));
      // Public by design: any page may read which origins may embed (the frame checks its parent).
      response.headers.set("Access-Control-Allow-Origin", "*");
      return response;
    },
  }),

  apiRoute({
    method: "get", path: paths.integrationAsset, params: ["integrationId", "asset"], operationId: "getIntegrationAsset", tag: "public", auth: "none", cors: false,
    summary: "An image a config page shows; public (an <img> sends no token), cacheable, and inert (an SVG runs nothing)",
    responses: [{ status: 200, description: "The image", image: true }],
    errors: [C.NotFound],
    handle({ platform, params }) {
      const { bytes, type } = platform.marketplace.asset(params.integrationId, params.asset);
      return new Response(bytes as Uint8Array<ArrayBuffer>, {
        headers: {
          "Content-Type": type,
          "Cache-Control": "public, max-age=3600",
          "X-Content-Type-Options": "nosniff",
          // Opened on its own, an SVG is a document: it may style itself, and nothing else.
          "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
          // The frame shows it from the platform's own origin; a host page may show it too.
          "Cross-Origin-Resource-Policy": "cross-origin",
        },
      });
    },
  }),

  rawRoute({
    method: "post", path: paths.webhook, params: ["token"], operationId: "invokeWebhook", tag: "public", auth: "none",
    summary: "Run a webhook-triggered flow; the unguessable token is the credential",
    headers: [{ name: "Prefer", description: "`respond-async`: answer 202 with the execution id instead of waiting for the result." }],
    body: { any: true, description: "Any JSON payload (at most 1 MiB), or an empty body." },
    responses: [
      { status: 200, description: "The finished execution and the flow's output", schema: "WebhookResponse" },
      { status: 202, description: "Accepted (Prefer: respond-async); poll the execution", schema: "WebhookResponse", headers: { "Preference-Applied": "respond-async" } },
    ],
    errors: [C.NotFound, C.InstancePaused, C.Conflict, C.RateLimited, C.InvalidJson, C.PayloadTooLarge],
    // The same answer the HTTP server's fast path gives (webhook-answer.ts): scenario, token, body, run.
    async serve({ platform, request, params, sleep, onViolation }) {
      const call = { token: params.token, prefer: request.headers.get("prefer"), readBody: () => readBodyText(request) };
      return answerResponse(await answerWebhook(platform, call, { sleep, ...(onViolation ? { onViolation } : {}) }));
    },
  }),

  apiRoute({
    method: "get", path: paths.oauthCallback, operationId: "oauthCallback", tag: "public", auth: "none", cors: false,
    summary: "OAuth redirect URI: a page that posts the result (oauthResultMessage) to its opener, pinned to the platform origin",
    responses: [{ status: 200, description: "Authorization succeeded", html: true }, { status: 400, description: "Denied, expired or mismatched state", html: true }],
    errors: [],
    handle({ platform, request }) {
      const search = new URL(request.url).searchParams;
      const outcome = platform.connections.oauthCallback({ state: search.get("state"), code: search.get("code"), error: search.get("error") });
      const message: OAuthResultMessage = outcome.ok
        ? { type: OAUTH_RESULT_MESSAGE_TYPE, ok: true, state: outcome.state, connectionId: outcome.connectionId, grantId: outcome.grantId, account: outcome.account }
        : {
            type: OAUTH_RESULT_MESSAGE_TYPE,
            ok: false,
            // A replayed callback names no state: it must not end the flow it replays (S5).
            ...(outcome.state && outcome.code !== OAuthErrorCode.AlreadyUsed ? { state: outcome.state } : {}),
            error: { code: outcome.code, message: outcome.message },
          };
      z.parse(oauthResultMessage, message);
      return pageResponse(callbackPage(message), outcome.ok ? 200 : 400);
    },
  }),
];
