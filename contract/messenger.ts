/**
 * A penpal 7 `Messenger` for exactly one remote window at exactly one origin. Both sides of the
 * channel use it: the SDK (remote = the iframe's window, origin = the frame URL's origin) and
 * the frame (remote = `window.parent`, origin = the allow-listed `parent` URL parameter).
 *
 * Why not penpal's own `WindowMessenger`: it posts the handshake's first message to `*` and
 * accepts RegExp and `*` origins. This one posts every message, SYN included, to the pinned
 * origin only, and drops anything whose `source` is not the remote window or whose `origin` is
 * not the pinned one (C1, C4). Handshake as in penpal: SYN / ACK1 over the window, then ACK2
 * hands over a `MessageChannel` port that carries every later message.
 *
 * A new SYN from the same window and origin (the frame reloaded) re-handshakes on a new port.
 * A penpal message from the same window but another origin (the frame navigated away, or runs
 * sandboxed at origin "null") is never delivered; `onForeignOrigin` is told so the owner can
 * close the channel (C3, E3).
 *
 * Keep it small: it ships inside the SDK's 4 kB budget.
 */
import type { InitializeMessengerOptions, Message, MessageHandler, Messenger } from "penpal";
import { unexpected } from "./emporium-error.ts";

export interface PinnedWindowMessengerOptions {
  /** The one window to talk to: `iframe.contentWindow` on the host, `window.parent` in the frame. */
  remoteWindow: Window;
  /** The one origin to talk to, exactly as `URL#origin` serialises it: `https://host.example:8443`. */
  origin: string;
  /** Called with the origin of a penpal message that came from the remote window but another origin. */
  onForeignOrigin?: (origin: string) => void;
}

/**
 * Returns `origin` when it is an exact, serialised http(s) origin; throws `INVALID_ORIGIN`
 * otherwise (`*`, a RegExp, `null`, a path, a trailing slash, upper case, another scheme) (C2).
 */
export const pinOrigin = (origin: unknown): string => {
  let url: URL | undefined;
  try {
    url = new URL(origin as string);
  } catch {}
  if (!/^https?:$/.test(url?.protocol as string) || url!.origin !== origin) {
    throw unexpected("INVALID_ORIGIN", "an exact http(s) origin", origin);
  }
  return origin;
};

/**
 * A penpal `Messenger` pinned to one window and one origin. A plain object rather than a class
 * (penpal only needs the interface): no `this`, and fewer bytes in the SDK's 4 kB budget.
 *
 * `origin` must be exact (`pinOrigin`): the frame checks the `parent` it was given; the SDK's is
 * `new URL(frameUrl).origin` of an http(s) URL, exact by construction (and the check would cost
 * the 4 kB entry its bytes).
 *
 * @example
 * const messenger = pinnedWindowMessenger({ remoteWindow: iframe.contentWindow!, origin: "https://platform.example" });
 * const connection = connect<FrameMethods>({ messenger, methods, channel });
 */
export const pinnedWindowMessenger = ({ remoteWindow, origin, onForeignOrigin }: PinnedWindowMessengerOptions): Messenger => {
  const handlers = new Set<MessageHandler>();
  let valid: (data: unknown) => boolean = () => false;
  let port: MessagePort | undefined;

  const deliver = (message: Message) => handlers.forEach((handler) => handler(message));
  const closePort = () => {
    port?.close();
    port = undefined;
  };
  const openPort = (opened: MessagePort) => {
    closePort();
    port = opened;
    // Assigning onmessage starts the port.
    port.onmessage = ({ data }) => valid(data) && deliver(data);
  };
  const onWindowMessage = ({ source, origin: from, data, ports }: MessageEvent) => {
    if (source !== remoteWindow || !valid(data)) return;
    if (from !== origin) return onForeignOrigin?.(from);
    if (data.type == "SYN") closePort();
    if (data.type == "ACK2") {
      if (!ports[0]) return;
      openPort(ports[0]);
    }
    deliver(data);
  };

  return {
    initialize({ validateReceivedMessage }: InitializeMessengerOptions) {
      valid = validateReceivedMessage;
      window.addEventListener("message", onWindowMessage);
    },
    // No message carries transferables of its own: penpal's Reply and CallOptions, their only
    // source, are used by neither side (build/trim-penpal.ts removes them). ACK2 carries the port.
    sendMessage(message: Message) {
      let transfer: Transferable[] = [];
      if (message.type == "ACK2") {
        const { port1, port2 } = new MessageChannel();
        openPort(port1);
        transfer = [port2];
      }
      // SYN, ACK1 and ACK2 go through the window, pinned; CALL, REPLY and DESTROY through the
      // port (a TypeError while there is none, which penpal reports as TRANSMISSION_FAILED).
      if (message.type == "SYN") {
        // A host's iframe is still the initial about:blank (readable: same origin as the host)
        // until the frame loads; the browser would drop a pinned SYN to it with a console error.
        // The frame's own SYN arrives once it runs, and penpal answers it with ours.
        try {
          if (remoteWindow.location.href == "about:blank") return;
        } catch {}
      }
      /^[SA]/.test(message.type) ? remoteWindow.postMessage(message, origin, transfer) : port!.postMessage(message, transfer);
    },
    addMessageHandler: (handler: MessageHandler) => handlers.add(handler),
    removeMessageHandler: (handler: MessageHandler) => handlers.delete(handler),
    destroy() {
      window.removeEventListener("message", onWindowMessage);
      closePort();
      handlers.clear();
    },
  };
};
