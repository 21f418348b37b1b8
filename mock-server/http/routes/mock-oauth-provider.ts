/**
 * The mock OAuth provider that stands in for the third-party apps' authorization servers in
 * offline development: its consent page, the Allow/Deny decision, the token endpoint, and the
 * script and stylesheet of its pages. Not part of the platform API (a real platform talks to the
 * real providers), so these routes are left out of the OpenAPI document; they answer everything
 * themselves, outside the API wrapper (no scenario, no CORS).
 */
import { HttpResponse } from "msw";
import { MOCK_CLIENT_ID, MOCK_OAUTH_PREFIX } from "../../domain/oauth.ts";
import { answerResponse } from "../answer.ts";
import { readBodyText } from "../request-body.ts";
import {
  CALLBACK_SCRIPT,
  OAUTH_CALLBACK_SCRIPT_PATH,
  OAUTH_STYLESHEET_PATH,
  STYLESHEET,
  assetResponse,
  consentPage,
  messagePage,
  pageResponse,
} from "../oauth-pages.ts";
import { rawRoute, type Route } from "../route.ts";

const EXPIRED = () => pageResponse(messagePage("Authorization expired", "This authorization request is unknown or expired. Close this window and try again."), 400);
const provider = { tag: "mock OAuth provider", auth: "none", undocumented: true, errors: [] } as const;

export const mockOAuthProviderRoutes: Route[] = [
  rawRoute({
    ...provider, method: "get", path: () => OAUTH_CALLBACK_SCRIPT_PATH, operationId: "mockOAuthCallbackScript",
    summary: "The script of the platform's OAuth callback page (no inline script under its CSP)",
    responses: [{ status: 200, description: "JavaScript" }],
    serve: () => assetResponse(CALLBACK_SCRIPT, "text/javascript; charset=utf-8"),
  }),

  rawRoute({
    ...provider, method: "get", path: () => OAUTH_STYLESHEET_PATH, operationId: "mockOAuthStylesheet",
    summary: "The stylesheet of the consent and callback pages",
    responses: [{ status: 200, description: "CSS" }],
    serve: () => assetResponse(STYLESHEET, "text/css; charset=utf-8"),
  }),

  rawRoute({
    ...provider, method: "get", path: () => `${MOCK_OAUTH_PREFIX}/authorize`, operationId: "mockOAuthConsentPage",
    summary: "The consent page for a pending authorization (client id, redirect URI and response type must match it)",
    responses: [{ status: 200, description: "Consent page", html: true }, { status: 400, description: "Unknown, expired or mismatched request", html: true }],
    serve({ platform, request }) {
      const search = new URL(request.url).searchParams;
      const auth = platform.connections.oauthAuthorization(search.get("state") ?? "");
      if (!auth) return EXPIRED();
      if (search.get("client_id") !== MOCK_CLIENT_ID || search.get("redirect_uri") !== auth.redirectUri || search.get("response_type") !== "code") {
        return pageResponse(messagePage("Invalid request", "The client id, redirect URI or response type does not match the request."), 400);
      }
      const customerName = platform.snapshot().customers[auth.customerId]?.name ?? "your company";
      return pageResponse(consentPage({ app: auth.app, scopes: auth.scopes, customerName, state: auth.state }));
    },
  }),

  rawRoute({
    ...provider, method: "post", path: () => `${MOCK_OAUTH_PREFIX}/authorize`, operationId: "mockOAuthDecide",
    summary: "Allow or Deny (a form post): redirects the browser to the platform's callback with a code or an error",
    responses: [{ status: 303, description: "To the redirect URI" }, { status: 400, description: "Unknown or expired request", html: true }],
    async serve({ platform, request }) {
      const form = new URLSearchParams(await readBodyText(request));
      const target = platform.connections.oauthDecide(form.get("state") ?? "", form.get("decision") === "allow");
      if (!target) return EXPIRED();
      return answerResponse({ status: 303, headers: { Location: target, "Cache-Control": "no-store" }, body: "" });
    },
  }),

  rawRoute({
    ...provider, method: "post", path: () => `${MOCK_OAUTH_PREFIX}/token`, operationId: "mockOAuthToken",
    summary: "The token endpoint: a one-time authorization code becomes an access and a refresh token",
    responses: [{ status: 200, description: "Tokens" }, { status: 400, description: "unsupported_grant_type or invalid_grant" }],
    async serve({ platform, request }) {
      const form = new URLSearchParams(await readBodyText(request));
      if (form.get("grant_type") !== "authorization_code") return HttpResponse.json({ error: "unsupported_grant_type" }, { status: 400 });
      const result = platform.connections.oauthToken(form.get("code") ?? "", form.get("redirect_uri") ?? "");
      if (!result.ok) return HttpResponse.json({ error: result.error, error_description: result.message }, { status: 400 });
      const { grant } = result;
      const tokens = { access_token: grant.accessToken, refresh_token: grant.refreshToken, token_type: "Bearer", expires_in: 3600, scope: grant.scopes.join(" ") };
      return HttpResponse.json(tokens, { headers: { "Cache-Control": "no-store" } });
    },
  }),
];
