/**
 * The session state behind the frame's one role rule: the role is unknown (`canManage`
 * undefined) until the platform answers, one request at a time, and a failed one is asked again
 * by the next caller (a screen with management controls, ui/manage.tsx) instead of leaving every
 * control a placeholder for good.
 */
import { describe, expect, it, vi } from "vitest";
import type { Session } from "../../../contract/api.ts";
import { createSessionState } from "./session.ts";

const as = (role: "admin" | "viewer"): Session => ({
  organization: { id: "o1", name: "Org" },
  customer: { id: "c1", externalId: "c1", name: "Customer" },
  user: { id: "u1", externalId: "u1", name: "User", role },
  expiresAt: new Date(Date.now() + 3600_000).toISOString(),
});

/** A platform whose answers the test gives, one per request. */
function platform() {
  const pending: { resolve(s: Session): void; reject(e: Error): void }[] = [];
  const fetchSession = vi.fn(() => new Promise<Session>((resolve, reject) => pending.push({ resolve, reject })));
  return { fetchSession, answer: (i: number) => pending[i] };
}

describe("session state", () => {
  it("A8 the role is unknown until the platform answers, then admin may manage and viewer may not", async () => {
    for (const role of ["admin", "viewer"] as const) {
      const p = platform();
      const state = createSessionState(p.fetchSession);
      expect(state.canManage.value).toBeUndefined();
      const loaded = state.load();
      expect(state.canManage.value).toBeUndefined();
      p.answer(0).resolve(as(role));
      await loaded;
      expect(state.canManage.value).toBe(role === "admin");
    }
  });

  it("asks once at a time, never again once answered, and again after a failure", async () => {
    const p = platform();
    const state = createSessionState(p.fetchSession);
    const first = state.load();
    void state.load();
    expect(p.fetchSession).toHaveBeenCalledTimes(1);
    p.answer(0).reject(new Error("NETWORK_ERROR"));
    await first;
    expect(state.canManage.value).toBeUndefined();

    const second = state.load();
    expect(p.fetchSession).toHaveBeenCalledTimes(2);
    p.answer(1).resolve(as("admin"));
    await second;
    expect(state.canManage.value).toBe(true);
    await state.load();
    expect(p.fetchSession).toHaveBeenCalledTimes(2);
  });
});
