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
    // Called now, not in a later microtask: the embed asks as it opens, before the iframe is
    // created (several ms of synchronous work), so the host backend's round trip starts first.
    // A callback that throws is a rejection all the same.
    (pending ||= new Promise<string>((answer) => answer(getToken()))
      .then((token) => (typeof token == "string" && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token) ? token : Promise.reject()))
      .catch(() => {
        throw { code: "TOKEN_UNAVAILABLE" satisfies ChannelErrorCode, message: "getToken() gave no JWT" };
      })
      .finally(() => (pending = undefined)));
};
