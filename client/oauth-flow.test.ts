/**
 * One OAuth flow wherever the authorization page opens (client/oauth-flow.ts): a popup, a link
 * after a blocked popup, the host's openExternalUrl. The platform's status answer decides; a
 * popup closed mid-flow, a cancel, a denial and an expired authorization are typed errors.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runOAuthFlow, type OAuthFlowOptions } from "./oauth-flow.ts";
import { EmporiumApiError } from "./error.ts";
import type { Connection, OAuthStatus } from "../contract/api-types.ts";

const ORIGIN = "https://platform.test";
const STATE = "st_opaque_123";
const connection: Connection = { id: "con_1", app: "Slack", kind: "oauth2", name: "Slack", status: "active", usedBy: [], createdAt: "2026-12-06T00:00:00Z", updatedAt: "2026-12-06T00:00:00Z" };

/** A window stand-in: the flow listens for messages on it. */
let messages: EventTarget;
beforeEach(() => {
  messages = new EventTarget();
  (globalThis as { window?: unknown }).window = messages;
});
afterEach(() => {
  delete (globalThis as { window?: unknown }).window;
});

/** Timers the test runs by hand: `tick()` fires the pending poll. */
function manualTimers() {
  let pending: (() => void) | undefined;
  return {
    setTimeout: ((fn: () => void) => ((pending = fn), 1)) as unknown as typeof setTimeout,
    clearTimeout: (() => (pending = undefined)) as unknown as typeof clearTimeout,
    async tick() {
      for (let i = 0; i < 10; i++) await Promise.resolve();
      const fn = pending;
      pending = undefined;
      fn?.();
      for (let i = 0; i < 10; i++) await Promise.resolve();
    },
  };
}

function fakePopup() {
  return { closed: false, location: { href: "about:blank" }, close() { this.closed = true; } };
}

function flow(statuses: OAuthStatus[], opener: OAuthFlowOptions["opener"], extra: Partial<OAuthFlowOptions> = {}) {
  const timers = manualTimers();
  const asked: string[] = [];
  const promise = runOAuthFlow({
    start: async () => ({ authorizeUrl: `${ORIGIN}/mock-oauth/authorize?response_type=code&state=${STATE}`, state: STATE }),
    status: async (state) => {
      asked.push(state);
      return statuses.length > 1 ? statuses.shift()! : statuses[0]!;
    },
    origin: ORIGIN,
    opener,
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    ...extra,
  });
  return { promise, timers, asked };
}

const failure = (p: Promise<unknown>) => p.then(() => expect.unreachable("resolved"), (e: unknown) => e as EmporiumApiError);

describe("OAuth flow", () => {
  it("a popup: sent to the authorize page, done when the platform says connected (the callback's message only makes it ask sooner)", async () => {
    const popup = fakePopup();
    const { promise, timers, asked } = flow([{ status: "pending" }, { status: "connected", connection }], { kind: "popup", popup: popup as unknown as Window });
    await timers.tick();
    expect(popup.location.href).toBe(`${ORIGIN}/mock-oauth/authorize?response_type=code&state=${STATE}`);
    // A message from elsewhere, or for another state, changes nothing.
    messages.dispatchEvent(Object.assign(new Event("message"), { origin: "https://evil.test", source: popup, data: { state: STATE } }));
    messages.dispatchEvent(Object.assign(new Event("message"), { origin: ORIGIN, source: popup, data: { state: "other" } }));
    expect(asked).toEqual([STATE]);
    messages.dispatchEvent(Object.assign(new Event("message"), { origin: ORIGIN, source: popup, data: { state: STATE } }));
    expect(await promise).toEqual(connection);
    expect(asked).toEqual([STATE, STATE]);
    expect(popup.closed).toBe(true);
  });

  it("S5 a blocked popup: a typed fallback with the authorize URL to click (no code, no token in it); done when the app returns", async () => {
    let offered = "";
    const { promise, timers } = flow([{ status: "pending" }, { status: "connected", connection }], { kind: "popup", popup: null }, { onBlocked: (url) => (offered = url) });
    await timers.tick();
    const url = new URL(offered);
    expect([...url.searchParams.keys()].sort()).toEqual(["response_type", "state"]);
    expect(offered).not.toMatch(/code=|token/i);
    await timers.tick();
    expect(await promise).toEqual(connection);
  });

  it("S5 the host's openExternalUrl gets the authorize URL (state only) and the flow completes when the app returns", async () => {
    const opened: string[] = [];
    const { promise, timers } = flow([{ status: "pending" }, { status: "pending" }, { status: "connected", connection }], { kind: "external", open: (url) => void opened.push(url) });
    for (let i = 0; i < 3; i++) await timers.tick();
    expect(await promise).toEqual(connection);
    expect(opened).toHaveLength(1);
    expect(new URL(opened[0]!).searchParams.get("state")).toBe(STATE);
    expect(opened[0]).not.toMatch(/code=|token/i);
  });

  it("a popup closed mid-flow: one last look, then OAUTH_POPUP_CLOSED", async () => {
    const popup = fakePopup();
    const { promise, timers, asked } = flow([{ status: "pending" }], { kind: "popup", popup: popup as unknown as Window });
    await timers.tick();
    popup.closed = true;
    await timers.tick();
    expect((await failure(promise)).code).toBe("OAUTH_POPUP_CLOSED");
    expect(asked.length).toBeGreaterThanOrEqual(2);
  });

  it("a popup closed right after the app answered still connects (the callback page closes itself)", async () => {
    const popup = fakePopup();
    const { promise, timers } = flow([{ status: "connected", connection }], { kind: "popup", popup: popup as unknown as Window });
    popup.closed = true;
    await timers.tick();
    expect(await promise).toEqual(connection);
  });

  it("denied, expired (the platform forgot it) and canceled are typed errors", async () => {
    const denied = flow([{ status: "failed", error: { code: "OAUTH_DENIED", message: "Access to Slack was denied." } }], { kind: "external", open: () => undefined });
    await denied.timers.tick();
    expect(await failure(denied.promise)).toMatchObject({ code: "OAUTH_DENIED", message: "Access to Slack was denied." });

    const timers = manualTimers();
    const expired = runOAuthFlow({
      start: async () => ({ authorizeUrl: `${ORIGIN}/a?state=${STATE}`, state: STATE }),
      status: async () => {
        throw new EmporiumApiError("NOT_FOUND", "gone", 404);
      },
      origin: ORIGIN,
      opener: { kind: "external", open: () => undefined },
      setTimeout: timers.setTimeout,
      clearTimeout: timers.clearTimeout,
    });
    await timers.tick();
    expect((await failure(expired)).code).toBe("OAUTH_EXPIRED");

    const cancel = new AbortController();
    const canceled = flow([{ status: "pending" }], { kind: "external", open: () => undefined }, { signal: cancel.signal });
    await canceled.timers.tick();
    cancel.abort();
    expect((await failure(canceled.promise)).code).toBe("OAUTH_POPUP_CLOSED");
  });

  it("an authorize URL on another origin must be https; the popup is closed when the start fails", async () => {
    const popup = fakePopup();
    const refused = runOAuthFlow({
      start: async () => ({ authorizeUrl: "http://elsewhere.test/authorize", state: STATE }),
      status: async () => ({ status: "pending" }),
      origin: ORIGIN,
      opener: { kind: "popup", popup: popup as unknown as Window },
    });
    expect((await failure(refused)).code).toBe("INVALID_RESPONSE");
    expect(popup.closed).toBe(true);
  });
});
