/**
 * What a customer's wizard does, on the domain: create an instance, save its config pages in
 * order, deploy. For the domain tests that need a deployed instance (one copy instead of one
 * per test file).
 */
import type { Platform } from "../domain/platform.ts";
import type { Caller } from "../domain/sessions.ts";

export async function deployWith(platform: Platform, who: Caller, integrationId: string, pages: Record<string, Record<string, unknown>>, origin: string) {
  const { instance } = platform.instances.create(who, integrationId, origin);
  for (const [page, values] of Object.entries(pages)) await platform.instances.saveConfigPage(who, instance.id, page, values, origin);
  return platform.instances.deploy(who, instance.id, { origin });
}
