/**
 * The HTML of the mock OAuth provider's consent page and of the platform's OAuth callback page.
 * No inline script or style (they are served with a strict CSP): the consent page is a plain
 * form POST, and the callback page carries its result in a data attribute that a same-origin
 * script posts to `window.opener`, pinned to the platform origin (the frame's own origin).
 */
import { OAUTH_RESULT_MESSAGE_TYPE, type OAuthResultMessage } from "../../contract/api.ts";
import { MOCK_OAUTH_PREFIX } from "../domain/oauth.ts";
import { answerResponse } from "./answer.ts";

export const OAUTH_PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const OAUTH_STYLESHEET_PATH = `${MOCK_OAUTH_PREFIX}/style.css`;
export const OAUTH_CALLBACK_SCRIPT_PATH = `${MOCK_OAUTH_PREFIX}/callback.js`;

/** A page of these as a response, with the strict CSP and no caching. */
export function pageResponse(body: string, status = 200): Response {
  return answerResponse({
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": OAUTH_PAGE_CSP,
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "Cache-Control": "no-store",
    },
    body,
  });
}

/** A static asset of the pages (their script or stylesheet). */
export function assetResponse(body: string, contentType: string): Response {
  return answerResponse({ status: 200, headers: { "Content-Type": contentType, "X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache" }, body });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function page(title: string, body: string, script?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${OAUTH_STYLESHEET_PATH}">
${script ? `<script src="${script}" defer></script>` : ""}
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export function consentPage(input: { app: string; scopes: string[]; customerName: string; state: string }): string {
  const scopes = input.scopes.length
    ? `<ul>${input.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join("")}</ul>`
    : "<p>No extra permissions.</p>";
  return page(
    `Authorize Emporium — ${input.app}`,
    `<h1>Connect ${escapeHtml(input.app)}</h1>
<p class="note">Mock OAuth provider for offline development. No real account is involved.</p>
<p><strong>Emporium</strong> asks to access the ${escapeHtml(input.app)} account of <strong>${escapeHtml(input.customerName)}</strong> with:</p>
${scopes}
<form method="post" action="${MOCK_OAUTH_PREFIX}/authorize">
<input type="hidden" name="state" value="${escapeHtml(input.state)}">
<button type="submit" name="decision" value="allow" class="primary">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}

export function callbackPage(result: OAuthResultMessage): string {
  const title = result.ok ? "Connected" : "Not connected";
  const text = result.ok ? `Connected as ${result.account}. You can close this window.` : result.error.message;
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(text)}</p>
<output id="oauth-result" hidden data-result="${escapeHtml(JSON.stringify(result))}"></output>`,
    OAUTH_CALLBACK_SCRIPT_PATH,
  );
}

export const CALLBACK_SCRIPT = `"use strict";
(function () {
  var el = document.getElementById("oauth-result");
  if (!el) return;
  var result = JSON.parse(el.getAttribute("data-result") || "null");
  if (!result || result.type !== ${JSON.stringify(OAUTH_RESULT_MESSAGE_TYPE)}) return;
  // The opener is the marketplace frame, served from this same origin: never post to "*".
  if (window.opener) window.opener.postMessage(result, window.location.origin);
  window.setTimeout(function () { window.close(); }, 100);
})();
`;

export const STYLESHEET = `:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0; display: grid; place-items: center; min-height: 100vh; background: Canvas; color: CanvasText; }
main { max-width: 28rem; padding: 2rem; border: 1px solid GrayText; border-radius: 12px; }
h1 { font-size: 1.4rem; margin-top: 0; }
.note { font-size: 0.85rem; opacity: 0.75; }
form { display: flex; gap: 0.75rem; margin-top: 1.5rem; }
button { font: inherit; padding: 0.5rem 1.25rem; border-radius: 8px; border: 1px solid GrayText; background: Canvas; color: CanvasText; cursor: pointer; }
button.primary { background: #4f46e5; color: #fff; border-color: #4f46e5; }
button:focus-visible { outline: 3px solid #818cf8; outline-offset: 2px; }
`;
