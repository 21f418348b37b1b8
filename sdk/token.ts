/**
 * The host's `getToken` callback as the frame calls it over the channel.
 *
 * - Calls made while one is pending share it, so five parallel 401s cause one host call (A7).
 * - Whatever the callback does wrong (throws, rejects, resolves to something that is not a
 *   compact JWT) becomes a plain `{ code: "TOKEN_UNAVAILABLE", message }`: penpal would send an
 *   `Error` with its stack, and the message never echoes the value (it might be a secret).
 */
import type { ChannelErrorCode } from "../contract/errors.ts";

/** Wraps the host's `getToken` callback as the frame-facing `getToken` method. */
export const tokenSource = (getToken: () => Promise<string>): (() => Promise<string>) => {
  let pending: Promise<string> | undefined;
  return () =>
    (pending ||= Promise.resolve()
      .then(getToken)
      .then((token) => (typeof token == "string" && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token) ? token : Promise.reject()))
      .catch(() => {
        throw { code: "TOKEN_UNAVAILABLE" satisfies ChannelErrorCode, message: "getToken() gave no JWT" };
      })
      .finally(() => (pending = undefined)));
};
