/**
 * What the instance page's Test and Replay actions share: the client core's run endpoints
 * (client/runs-api.ts, the ones the headless client uses) on the frame's API client, and a
 * failure said in the user's words — a phrase per code the actions can meet (a payload not kept,
 * a paused or deactivated instance, a viewer), else the platform's own message.
 */
import { runsApi as endpoints } from "../../../client/runs-api.ts";
import { isApiError } from "../../../client/error.ts";
import type { Frame } from "../frame.ts";
import type { PhraseKey } from "../i18n/en.ts";

export const runsApi = (frame: Frame) => endpoints(frame.api.call);

export function runErrorText(frame: Frame, error: unknown): string {
  if (isApiError(error)) {
    const key = `runs.error.${error.code}` as PhraseKey;
    const text = frame.t(key);
    // `t` answers a key no table has with the key itself.
    if (text !== key) return text;
  }
  return frame.errorText(error);
}
