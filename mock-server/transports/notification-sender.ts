/**
 * How outgoing notifications leave a platform running in Node: one POST with node:http(s), which
 * never follows a redirect (a 3xx is recorded as a failed attempt: register the final URL), with a
 * deadline over the whole exchange, reading at most the first 2 KiB of the answer.
 *
 * N2, outside the local development mode: the name is resolved here and every address it
 * resolves to must be public (network-address.ts), and the connection goes to the address that was
 * checked (the `lookup` hook), so a name that resolves to 10.0.0.5 — or that changes its answer
 * between a check and the connect (DNS rebinding) — never reaches a private network.
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import { isNonPublicAddress } from "../domain/network-address.ts";
import type { NotificationSender, OutgoingRequest, OutgoingResult } from "../domain/notifications.ts";
import { BODY_READ_LIMIT, STOPPED, literalAddressRefusal, retryAfterOf, timedOut } from "./notification-attempt.ts";

/** Resolves like dns.lookup, refusing any non-public address unless `allowPrivate`. */
function checkedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      const refused = allowPrivate ? undefined : addresses.find((a) => isNonPublicAddress(a.address));
      if (refused || addresses.length === 0) {
        const denied = Object.assign(new Error(`${hostname} resolves to a private, loopback or reserved address (${refused?.address ?? "none"}); refused.`), { code: "EADDRNOTPUBLIC" });
        return callback(denied, "", 0);
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

function readStart(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => resolve(Buffer.concat(chunks).toString("utf8"));
    response.on("data", (chunk: Buffer) => {
      if (size >= BODY_READ_LIMIT) return;
      chunks.push(chunk.subarray(0, BODY_READ_LIMIT - size));
      size += chunk.length;
      if (size >= BODY_READ_LIMIT) {
        response.destroy();
        done();
      }
    });
    response.on("end", done);
    response.on("error", done);
    response.on("close", done);
  });
}

function describe(error: Error & { code?: string }): OutgoingResult {
  if (error.code === "EADDRNOTPUBLIC") return { error: error.message };
  if (error.code === "ECONNREFUSED") return { error: "The connection was refused (nothing listens there)." };
  if (error.code === "ENOTFOUND" || error.code === "EAI_AGAIN") return { error: "The host name does not resolve." };
  if (error.code === "ECONNRESET") return { error: "The endpoint closed the connection." };
  if (error.code === "CERT_HAS_EXPIRED" || error.code?.startsWith("ERR_TLS") || error.code?.includes("CERT")) return { error: `The endpoint's TLS certificate was refused (${error.code}).` };
  return { error: error.message || String(error.code) };
}

/** Sends one notification POST; never throws (a failure is an `{ error }` result). */
export const sendNotification: NotificationSender = (outgoing: OutgoingRequest): Promise<OutgoingResult> =>
  new Promise((resolve) => {
    let settled = false;
    let deadline: ReturnType<typeof setTimeout> | undefined;
    const finish = (result: OutgoingResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(result);
    };
    const url = new URL(outgoing.url);
    // Node skips the lookup hook for an IP written in the URL: that one is checked here.
    const refused = literalAddressRefusal(url, outgoing.allowPrivateNetwork);
    if (refused) return finish(refused);
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const request = send(url, {
      method: "POST",
      headers: { ...outgoing.headers, "content-length": String(Buffer.byteLength(outgoing.body)) },
      lookup: checkedLookup(outgoing.allowPrivateNetwork),
      signal: outgoing.signal,
    });
    deadline = setTimeout(() => {
      request.destroy();
      finish(timedOut(outgoing.timeoutMs));
    }, outgoing.timeoutMs);
    request.on("response", (response) => {
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      const retryAfter = response.headers["retry-after"];
      void readStart(response).then((body) =>
        finish({
          status,
          body,
          ...(typeof location === "string" ? { location } : {}),
          ...retryAfterOf(typeof retryAfter === "string" ? retryAfter : undefined),
        }),
      );
    });
    request.on("error", (error) => finish(outgoing.signal.aborted ? STOPPED : describe(error)));
    request.end(outgoing.body);
  });
