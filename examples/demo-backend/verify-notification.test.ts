/**
 * The verifier a host copies (verify-notification.ts), against signatures the platform makes
 * (mock-server's signer): N1 — a genuine delivery verifies; a changed body, another secret, a
 * forged or missing header, or a timestamp outside the tolerance fails; during a rotation either
 * secret verifies a two-signature header.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { verifyNotification } from "./verify-notification.ts";
import { newWebhookSecret, signatureHeader } from "../../mock-server/index.ts";

const body = JSON.stringify({ type: "instance.paused", timestamp: "2026-11-02T09:00:00.000Z", data: { organizationId: "demo" } });
const now = Date.UTC(2026, 10, 2, 9, 0);

async function delivery(secrets: string[], at = now, id = "msg_2k3jx") {
  const timestamp = Math.floor(at / 1000);
  return new Headers({ "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": await signatureHeader(secrets, id, timestamp, body) });
}

afterEach(() => vi.useRealTimers());

describe("verifyNotification (the host's copy)", () => {
  it("N1 a genuine delivery verifies; a changed body, another secret or a forged signature does not", async () => {
    vi.useFakeTimers({ now, toFake: ["Date"] });
    const secret = newWebhookSecret();
    const headers = await delivery([secret]);
    expect(await verifyNotification([secret], headers, body)).toBe(true);
    expect(await verifyNotification([secret], headers, body.replace("paused", "resumed"))).toBe(false);
    expect(await verifyNotification([secret], headers, `${body} `)).toBe(false);
    expect(await verifyNotification([newWebhookSecret()], headers, body)).toBe(false);
    const forged = new Headers(headers);
    forged.set("webhook-id", "msg_other");
    expect(await verifyNotification([secret], forged, body)).toBe(false);
    for (const bad of ["", "v1,", "v2,abc", "v1,@@@", `v1,${"A".repeat(44)}`]) {
      const h = new Headers(headers);
      h.set("webhook-signature", bad);
      expect(await verifyNotification([secret], h, body), bad).toBe(false);
    }
    const missing = new Headers(headers);
    missing.delete("webhook-timestamp");
    expect(await verifyNotification([secret], missing, body)).toBe(false);
  });

  it("N1 a timestamp outside the tolerance fails (a replay), inside it passes", async () => {
    vi.useFakeTimers({ now, toFake: ["Date"] });
    const secret = newWebhookSecret();
    expect(await verifyNotification([secret], await delivery([secret], now - 301_000), body)).toBe(false);
    expect(await verifyNotification([secret], await delivery([secret], now + 301_000), body)).toBe(false);
    expect(await verifyNotification([secret], await delivery([secret], now - 299_000), body)).toBe(true);
    expect(await verifyNotification([secret], await delivery([secret], now - 3600_000), body, 7200)).toBe(true);
  });

  it("N1 during a rotation both secrets verify the two-signature header", async () => {
    vi.useFakeTimers({ now, toFake: ["Date"] });
    const [next, previous] = [newWebhookSecret(), newWebhookSecret()];
    const headers = await delivery([next, previous]);
    expect(headers.get("webhook-signature")!.split(" ")).toHaveLength(2);
    expect(await verifyNotification([previous], headers, body)).toBe(true);
    expect(await verifyNotification([next], headers, body)).toBe(true);
    expect(await verifyNotification([newWebhookSecret(), previous], headers, body)).toBe(true);
    expect(await verifyNotification([newWebhookSecret()], headers, body)).toBe(false);
  });
});
