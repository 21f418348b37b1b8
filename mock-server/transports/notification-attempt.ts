/**
 * What every transport's notification sender does the same way, whatever carries the POST
 * (node:http in notification-sender.ts, fetch in fetch-notification-sender.ts): how much of the
 * answer is read, how a timeout and a `Retry-After` read, and the N2 check of an address written
 * in the URL itself. The schedule, the signature and the log are the domain's (notifications.ts).
 */
import { isNonPublicAddress } from "../domain/network-address.ts";
import type { OutgoingResult } from "../domain/notifications.ts";

/** The start of an answer kept for the delivery log (the log shows 500 characters of it). */
export const BODY_READ_LIMIT = 2048;

export const timedOut = (timeoutMs: number): OutgoingResult => ({ error: `No answer within ${timeoutMs / 1000} s (timed out).` });

export const STOPPED: OutgoingResult = { error: "Stopped." };

/** `Retry-After: <seconds>` as the domain reads it (an HTTP date or anything else is ignored). */
export function retryAfterOf(value: string | null | undefined): { retryAfterSeconds: number } | Record<string, never> {
  return typeof value === "string" && /^\d{1,6}$/.test(value) ? { retryAfterSeconds: Number(value) } : {};
}

/**
 * N2 for an IP address written in the URL (`http://10.0.0.5/`, `http://[::1]/`): refused unless
 * private networks are allowed (the local development mode). A name is checked where it is
 * resolved (node:http's lookup hook); a browser resolves names itself and does not say to what.
 */
export function literalAddressRefusal(url: URL, allowPrivateNetwork: boolean): OutgoingResult | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (allowPrivateNetwork || !isNonPublicAddress(host)) return undefined;
  return { error: `${host} is a private, loopback or reserved address; refused.` };
}
