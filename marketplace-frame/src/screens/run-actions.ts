/**
 * What the instance page's Test and Replay actions share: the client core's run endpoints
 * (client/runs-api.ts, the ones the headless client uses) on the frame's API client, and a
 * failure said in the user's words — a phrase per code the actions can meet (a payload not kept,
 * a paused or deactivated instance, a viewer), else the platform's own message.
 */
import { runsApi as endpoints } from "../../../client/runs-api.ts";
import { isApiError } from "../../../client/error.ts";
import type { Frame } from "../frame.ts";

export const runsApi = (frame: Frame) => endpoints(frame.api.call);

export function runErrorText(frame: Frame, error: unknown): string {
  return (isApiError(error) && frame.codeText("runs.error", error.code)) || frame.errorText(error);
}
