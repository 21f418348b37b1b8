/**
 * What a customer's OAuth consent does, on the domain: a Slack grant for a new instance's
 * connection (the mocked provider approves), for domain tests that deploy Slack.
 */
import type { Platform } from "../domain/platform.ts";
import type { Caller } from "../domain/sessions.ts";

export async function slackGrant(platform: Platform, who: Caller, origin: string): Promise<string> {
  const { instance } = platform.instances.create(who, "slack", origin);
  const { state } = platform.connections.startOAuth(who, instance.id, "slackConnection", origin);
  const redirect = new URL(platform.connections.oauthDecide(state, true)!);
  const outcome = platform.connections.oauthCallback({ state, code: redirect.searchParams.get("code"), error: null });
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.grantId;
}
