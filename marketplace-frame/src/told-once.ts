/**
 * What a frame has already told its host, per kind of news (an update available, a connection
 * that needs a reconnect), so coming back to a screen does not tell it twice. Keyed by the
 * frame's `emit`, which lives as long as the frame.
 */
import type { Frame } from "./frame.ts";

const told = new WeakMap<Frame["emit"], Map<string, Set<string>>>();

/** The ids already told of `kind` by this frame (a live set: add to it when telling). */
export function toldOnce(frame: Pick<Frame, "emit">, kind: string): Set<string> {
  let kinds = told.get(frame.emit);
  if (!kinds) told.set(frame.emit, (kinds = new Map()));
  let ids = kinds.get(kind);
  if (!ids) kinds.set(kind, (ids = new Set()));
  return ids;
}
