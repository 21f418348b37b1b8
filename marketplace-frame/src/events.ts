/**
 * The frame's side of the host channel, as the rest of the frame sees it. Component tests
 * pass a plain object; production passes penpal's remote proxy.
 */
import type { EventName, EventPayloads, FrameEvent } from "../../contract/protocol.ts";

export interface HostLink {
  getToken: () => Promise<string>;
  emit: (event: FrameEvent) => unknown;
  /** The host's hook for authorization pages (init's `externalUrls`); absent without one. */
  openExternalUrl?: (url: string) => Promise<unknown>;
}

/**
 * Sends an event without ever throwing into the UI. Payload types come from the contract,
 * which allows ids and names only, never config values (S1).
 */
export function createEmitter(host: HostLink) {
  return function emit<K extends EventName>(type: K, payload: EventPayloads[K]): void {
    try {
      void Promise.resolve(host.emit({ type, payload } as FrameEvent)).catch(() => {});
    } catch {
      // The host went away; nothing to tell.
    }
  };
}
export type Emit = ReturnType<typeof createEmitter>;
