/**
 * Where the instance page's Back goes: the activity tab or the integration's instance list it was opened from, or the
 * marketplace. Kept per frame in the lazy chunks (the first route knows nothing of it).
 */
import type { Screen } from "../../../contract/protocol.ts";
import type { Frame } from "../frame.ts";

const from = new WeakMap<Frame, Screen>();

/** Opens `screen`, remembering `back` for its Back button. */
export function openFrom(frame: Frame, screen: Screen, back: Screen): void {
  from.set(frame, back);
  frame.navigate(screen);
}

/** Goes back to where the current screen was opened from (the marketplace by default). */
export function goBack(frame: Frame): void {
  const back = from.get(frame) ?? { name: "marketplace" };
  from.delete(frame);
  frame.navigate(back);
}
