/**
 * What the frame shows when it cannot start (boot.ts says why). Loaded only then, so the first
 * route does not carry it. English only: it is shown before the host has sent a locale.
 */
import type { BlockedReason } from "./boot.ts";

export const blockedTitle = "This marketplace can't be shown here";

const detail: Record<BlockedReason, string> = {
  badUrl: "The marketplace link is incomplete or invalid.",
  unknownOrg: "This marketplace does not exist.",
  notFramed: "It only works inside the app that embeds it.",
  originNotAllowed: "This website is not allowed to embed this marketplace.",
  badInit: "The embedding app sent settings the marketplace can't use.",
  noToken: "The embedding app didn't sign you in.",
  unreachable: "Something went wrong. Please try again.",
};

export function Blocked({ reason }: { reason: BlockedReason }) {
  return (
    <div class="em-blocked" role="alert" data-reason={reason}>
      <h1 class="em-title">{blockedTitle}</h1>
      <p class="em-muted">{detail[reason]}</p>
    </div>
  );
}
