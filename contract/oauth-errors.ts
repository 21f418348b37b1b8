/**
 * The OAuth flow's error codes, in a module of their own: only the code that runs an OAuth flow
 * (the frame's connection screens, the headless client's lazy connection functions, the platform)
 * imports them, so they stay out of the headless entry. errors.ts re-exports them.
 */
/**
 * Codes of an OAuth connection flow that did not connect: the platform's (the callback page's
 * `oauthResultMessage`, `OAuthStatus`) and the client's own (a popup the browser blocked, or one
 * the user closed before finishing).
 */
export const OAuthErrorCode = {
  Denied: "OAUTH_DENIED",
  StateMismatch: "OAUTH_STATE_MISMATCH",
  /** The user took longer than the authorization allows (10 minutes). */
  Expired: "OAUTH_EXPIRED",
  InvalidCode: "OAUTH_INVALID_CODE",
  /** The callback came again for an authorization that already ended: refused, nothing changes (S5). */
  AlreadyUsed: "OAUTH_ALREADY_USED",
  /** The browser blocked the popup: open the authorization from a click (the frame offers a button). */
  PopupBlocked: "OAUTH_POPUP_BLOCKED",
  /** The user closed the popup before the app answered. */
  PopupClosed: "OAUTH_POPUP_CLOSED",
} as const;
export type OAuthErrorCode = (typeof OAuthErrorCode)[keyof typeof OAuthErrorCode];
