// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Message } from "penpal";
import { EmporiumError } from "./emporium-error.ts";
import { pinnedWindowMessenger, pinOrigin } from "./messenger.ts";
import { waitUntil } from "../tests/wait-until.ts";

const origin = "https://app.example.com";
const syn = { namespace: "penpal", channel: "c1", type: "SYN", participantId: "p" } as Message;
const isPenpal = (data: unknown): data is Message => (data as Message)?.namespace == "penpal" && (data as Message).channel == "c1";

const setup = (onForeignOrigin = vi.fn()) => {
  const remote = { postMessage: vi.fn() };
  const messenger = pinnedWindowMessenger({ remoteWindow: remote as unknown as Window, origin, onForeignOrigin });
  const received: Message[] = [];
  messenger.initialize({ validateReceivedMessage: isPenpal });
  messenger.addMessageHandler((message) => received.push(message));
  const post = (data: unknown, from = origin, source: unknown = remote, ports: MessagePort[] = []) =>
    window.dispatchEvent(new MessageEvent("message", { data, origin: from, source: source as never, ports }));
  return { remote, messenger, received, post, onForeignOrigin };
};

afterEach(() => vi.restoreAllMocks());

describe("pinOrigin", () => {
  it.each<unknown>(["*", /app\.example\.com$/, "null", "ftp://app.example.com", "https://app.example.com/", "https://APP.example.com", "https://app.example.com/path", "app.example.com", "", undefined, ["https://app.example.com"]])(
    "C2 refuses %s with INVALID_ORIGIN",
    (candidate) => {
      let error: unknown;
      try {
        pinOrigin(candidate);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(EmporiumError);
      expect(error).toMatchObject({ code: "INVALID_ORIGIN" });
    },
  );

  it.each(["https://app.example.com", "http://localhost:4000", "http://127.0.0.1:4100"])("accepts the exact origin %s", (candidate) => {
    expect(pinOrigin(candidate)).toBe(candidate);
  });
});

describe("pinnedWindowMessenger", () => {
  it("delivers a penpal message from the remote window at the pinned origin", () => {
    const { received, post } = setup();
    post(syn);
    expect(received).toEqual([syn]);
  });

  it.each(["https://app.example.com.evil.io", "http://app.example.com", "https://app.example.com:8443", "https://evil.io", "null"])(
    "C1 C2 ignores a message from the right window at %s, and reports the foreign origin",
    (from) => {
      const { received, post, onForeignOrigin } = setup();
      post(syn, from);
      expect(received).toEqual([]);
      expect(onForeignOrigin).toHaveBeenCalledWith(from);
    },
  );

  it("C1 ignores a message at the right origin from another window", () => {
    const { received, post, onForeignOrigin } = setup();
    post(syn, origin, window);
    post(syn, origin, null);
    expect(received).toEqual([]);
    expect(onForeignOrigin).not.toHaveBeenCalled();
  });

  it("ignores what is not a penpal message of its channel", () => {
    const { received, post } = setup();
    post({ ...syn, channel: "other" });
    post("hello");
    expect(received).toEqual([]);
  });

  it("C6 drops what arrives on the port when it is not a penpal message of its channel", async () => {
    const { received, post } = setup();
    const { port1, port2 } = new MessageChannel();
    post({ namespace: "penpal", channel: "c1", type: "ACK2" }, origin, undefined, [port2]);
    port1.postMessage({ namespace: "penpal", channel: "other", type: "REPLY", callId: "1", value: 1 });
    port1.postMessage("hello");
    port1.postMessage({ namespace: "penpal", channel: "c1", type: "REPLY", callId: "2", value: 2 });
    // Port messages arrive in order: once the last one is in, the others were dropped.
    await waitUntil(() => expect(received.map((message) => message.type)).toEqual(["ACK2", "REPLY"]));
    expect(received[1]).toMatchObject({ callId: "2" });
    port1.close();
  });

  it("C4 posts SYN, ACK1 and ACK2 to the remote window with the exact origin as targetOrigin, never *", () => {
    const { remote, messenger } = setup();
    messenger.sendMessage(syn);
    messenger.sendMessage({ namespace: "penpal", channel: "c1", type: "ACK1", methodPaths: [] });
    messenger.sendMessage({ namespace: "penpal", channel: "c1", type: "ACK2" });
    expect(remote.postMessage).toHaveBeenCalledTimes(3);
    for (const [, targetOrigin] of remote.postMessage.mock.calls) expect(targetOrigin).toBe(origin);
    // ACK2 hands over one end of a MessageChannel.
    expect(typeof remote.postMessage.mock.calls[2][2][0].postMessage).toBe("function");
  });

  it("C4 sends calls over the port after the handshake, never through the window", async () => {
    const { remote, messenger } = setup();
    const call = { namespace: "penpal", channel: "c1", type: "CALL", id: "1", methodPath: ["getToken"], args: [] } as Message;
    expect(() => messenger.sendMessage(call)).toThrow();
    messenger.sendMessage({ namespace: "penpal", channel: "c1", type: "ACK2" });
    const remoteEnd = remote.postMessage.mock.calls[0][2][0] as MessagePort;
    const onRemoteEnd: unknown[] = [];
    remoteEnd.onmessage = (event) => onRemoteEnd.push(event.data);
    messenger.sendMessage(call);
    await waitUntil(() => expect(onRemoteEnd).toEqual([call]));
    expect(remote.postMessage).toHaveBeenCalledTimes(1);
    remoteEnd.close();
  });

  it("takes the port of a received ACK2, and drops it on a new SYN (frame reload)", async () => {
    const { received, post } = setup();
    const { port1, port2 } = new MessageChannel();
    const close = vi.spyOn(port2, "close");
    post({ namespace: "penpal", channel: "c1", type: "ACK2" }, origin, undefined, [port2]);
    port1.postMessage({ namespace: "penpal", channel: "c1", type: "REPLY", callId: "1", value: 1 });
    await waitUntil(() => expect(received.map((message) => message.type)).toEqual(["ACK2", "REPLY"]));
    post(syn);
    expect(close).toHaveBeenCalled();
    port1.close();
  });

  it("C8 destroy() removes its window listener and closes the port", async () => {
    const add = vi.spyOn(window, "addEventListener");
    const remove = vi.spyOn(window, "removeEventListener");
    const { messenger, received, post, remote } = setup();
    messenger.sendMessage({ namespace: "penpal", channel: "c1", type: "ACK2" });
    const remoteEnd = remote.postMessage.mock.calls[0][2][0] as MessagePort;
    messenger.destroy();
    expect(remove.mock.calls).toEqual(add.mock.calls);
    post(syn);
    remoteEnd.postMessage({ namespace: "penpal", channel: "c1", type: "REPLY", callId: "1", value: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toEqual([]);
    expect(() => messenger.sendMessage({ namespace: "penpal", channel: "c1", type: "DESTROY" })).toThrow();
  });
});
