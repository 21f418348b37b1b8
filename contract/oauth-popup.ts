/**
 * The one rule for the OAuth popup's size a host asks for (`oauthPopup` in the embed, `popupSize`
 * in the headless client): `{ width?, height? }` and nothing else (a typo such as `widht` is an
 * error, not a key silently ignored), each side a number of CSS pixels from POPUP_SIDE_MIN to
 * POPUP_SIDE_MAX. The headless client rejects anything else (`INVALID_OPTION`); the SDK does too,
 * with the same test written out in its 4 kB entry (sdk/options.ts), where calling these would
 * cost bytes; the frame, which gets the `oauthPopup` the SDK already checked, takes each side
 * that passes and the default for one that does not (oauth-opener.ts). Plain functions, not zod:
 * zod's number checks would be new code in the frame's first route and the headless entry
 * (measured: +15 B and +25 B) for a rule this small.
 */

/** The popup's size; a side left out is the default's (520 × 680). */
export interface OAuthPopupSize {
  width?: number;
  height?: number;
}

/** Narrower or lower than this, nobody can read an authorize page. */
export const POPUP_SIDE_MIN = 200;
/** Wider or higher than this, no screen shows it. */
export const POPUP_SIDE_MAX = 4000;

/** One side of the popup, in CSS pixels. */
export const isPopupSide = (n: unknown): n is number => typeof n == "number" && n >= POPUP_SIDE_MIN && n <= POPUP_SIDE_MAX;

/** The whole size: a plain object with only `width` and `height`, each left out or by the rule above. */
export const isPopupSize = (size: unknown): size is OAuthPopupSize =>
  (size as object | null)?.constructor == Object && Object.entries(size as object).every(([k, n]) => /^(width|height)$/.test(k) && (n === undefined || isPopupSide(n)));

/** What the rule expects, in an `INVALID_OPTION` message (`+`: so the minifier writes 4000 in, not a variable). */
export const POPUP_SIZE_EXPECTED = `{ width, height } from ${POPUP_SIDE_MIN} to ${+POPUP_SIDE_MAX}`;
