/**
 * The other end of a penpal channel in a happy-dom unit test (an SDK test plays the frame, a
 * frame test plays the host). It speaks real penpal: what the code under test posts to `remote`
 * (a window whose `postMessage` is a `vi.fn`) is delivered to this peer, and what this peer
 * sends arrives on `window` as a `message` event whose `source` is `remote` and whose `origin`
 * is `origin`, so a test can also play an attacker page. After the handshake both sides use a
 * real `MessageChannel` port, as in a browser.
 */
import { connect, type Connection, type Message, type MessageHandler, type Messenger, type Methods } from "penpal";
import type { vi } from "vitest";

export interface FakeRemoteWindow {
  postMessage: ReturnType<typeof vi.fn>;
}

export function connectFakePeer<T extends Methods>(remote: FakeRemoteWindow, origin: string, channel: string, methods: Methods, timeout?: number): Connection<T> {
  const handlers = new Set<MessageHandler>();
  let valid: (data: unknown) => boolean = () => false;
  let port: MessagePort | undefined;
  const deliver = (data: Message) => valid(data) && handlers.forEach((handler) => handler(data));

  // Code under test → this peer: whatever it posts to the remote window.
  remote.postMessage.mockImplementation((data: Message, _targetOrigin: string, transfer: Transferable[] = []) => {
    if (data.type == "ACK2") {
      port = transfer[0] as MessagePort;
      port.onmessage = (event) => deliver(event.data);
    }
    queueMicrotask(() => deliver(structuredClone(data)));
  });

  const messenger: Messenger = {
    initialize: ({ validateReceivedMessage }) => (valid = validateReceivedMessage),
    // This peer → code under test: handshake messages as window messages, the rest on the port.
    sendMessage(message, transfer = []) {
      if (!/^[SA]/.test(message.type)) return port!.postMessage(message, transfer);
      const ports: MessagePort[] = [];
      if (message.type == "ACK2") {
        const pair = new MessageChannel();
        port = pair.port1;
        port.onmessage = (event) => deliver(event.data);
        ports.push(pair.port2);
      }
      const event = new MessageEvent("message", { source: remote as never, origin, data: structuredClone(message), ports });
      queueMicrotask(() => window.dispatchEvent(event));
    },
    addMessageHandler: (handler) => handlers.add(handler),
    removeMessageHandler: (handler) => handlers.delete(handler),
    destroy: () => {
      handlers.clear();
      port?.close();
    },
  };
  return connect<T>({ messenger, methods, channel, ...(timeout === undefined ? {} : { timeout }) });
}
