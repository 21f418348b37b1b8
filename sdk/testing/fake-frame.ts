/**
 * Test double for the marketplace frame, for happy-dom unit tests of the SDK. happy-dom cannot
 * load a cross-origin frame, so each iframe gets a fake `contentWindow`; the fake frame speaks
 * real penpal over it: what the SDK posts to the fake window is delivered to the fake frame,
 * and what the fake frame posts arrives as a `message` event on the host window with
 * `source` = the fake window and `origin` = the frame origin. After the handshake both sides
 * use a real `MessageChannel` port, as in a browser.
 *
 * Real cross-origin behaviour (two origins, a real sandbox, navigation) is covered by the
 * browser tests in tests/.
 */
import type { RemoteProxy } from "penpal";
import { connectFakePeer, type FakeRemoteWindow } from "../../contract/testing/fake-peer.ts";
import { vi } from "vitest";
import type { FrameMethods, FrameResult, HostMethods } from "../../contract/protocol.ts";

export const frameOrigin = "https://platform.example";

export type FakeWindow = FakeRemoteWindow;

/** Gives every iframe created from now on its own fake `contentWindow`. Returns the windows in creation order. */
export const fakeContentWindows = (): FakeWindow[] => {
  const windows = new WeakMap<HTMLIFrameElement, FakeWindow>();
  const created: FakeWindow[] = [];
  Object.defineProperty(HTMLIFrameElement.prototype, "contentWindow", {
    configurable: true,
    get(this: HTMLIFrameElement) {
      if (!this.isConnected) return null;
      if (!windows.has(this)) {
        const fake = { postMessage: vi.fn() };
        windows.set(this, fake);
        created.push(fake);
      }
      return windows.get(this);
    },
  });
  return created;
};

const ok: FrameResult = { ok: true, warnings: [] };

export interface FakeFrame {
  /** The host's methods, as the frame sees them. */
  host: RemoteProxy<HostMethods>;
  /** Calls the host made to the frame's methods. */
  calls: { method: string; args: unknown[] }[];
  /** What the frame answers to setTheme & co. */
  answer: FrameResult;
  destroy(): void;
}

/**
 * Connects a fake frame to the SDK iframe `iframe` on `channel` (read from its URL). Sends from
 * `origin` (default: the frame origin), so a test can play an attacker page in the iframe.
 */
export const connectFakeFrame = async (iframe: HTMLIFrameElement, origin = frameOrigin): Promise<FakeFrame> => {
  const fakeWindow = iframe.contentWindow as unknown as FakeWindow;
  const channel = new URL(iframe.src).searchParams.get("channel")!;
  const calls: FakeFrame["calls"] = [];
  const fake = { calls, answer: ok } as FakeFrame;
  const method =
    (name: string) =>
    (...args: unknown[]) => {
      calls.push({ method: name, args });
      return fake.answer;
    };
  const methods: FrameMethods = {
    setTheme: method("setTheme"),
    setLocale: async (...args: unknown[]) => method("setLocale")(...args),
    setConfigVars: method("setConfigVars"),
    setFilters: method("setFilters"),
    navigate: method("navigate"),
  };
  const connection = connectFakePeer<HostMethods>(fakeWindow, origin, channel, methods, 1000);
  fake.destroy = connection.destroy;
  fake.host = await connection.promise;
  // A real frame's first call: it ends the handshake and stops the SDK's handshake timer, which
  // would otherwise close this channel `timeout` (10 s) later, mid-test on a loaded machine.
  await fake.host.init();
  return fake;
};

/** Lets queued microtasks and port messages run. */
export const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
