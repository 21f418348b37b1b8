/**
 * Who may call the platform: the organizations (their signing keys, the host origins allowed to
 * embed them, their API keys) and the customers' sessions (a verified JWT names the
 * organization, the customer and the user, created on first sight).
 */
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { findOrganization, isAnyOrganizationOrigin, organizationRecord, type OrganizationRegistration } from "./organizations.ts";
import { authenticateOrganization } from "./org-keys.ts";
import { authenticate, sessionOf, type Caller } from "./sessions.ts";
import type { PlatformContext } from "./context.ts";
import type { OrganizationRecord } from "./store.ts";
import type { EmbedConfig, Session } from "../../contract/api.ts";

export class Access {
  readonly #ctx: PlatformContext;

  constructor(ctx: PlatformContext) {
    this.#ctx = ctx;
  }

  /** Registers an organization (or replaces its keys, allowed origins and token lifetime). */
  putOrganization(registration: OrganizationRegistration): OrganizationRecord {
    const { snapshot } = this.#ctx;
    const record = organizationRecord(registration);
    const existing = findOrganization(snapshot, record.id);
    if (!registration.apiKeys && existing?.apiKeys) record.apiKeys = existing.apiKeys;
    snapshot.organizations[record.id] = record;
    this.#ctx.changed("organizations", record.id);
    return record;
  }

  /** Registers an organization (or replaces its keys and allowed origins). */
  registerOrganization(registration: OrganizationRegistration): void {
    this.putOrganization(registration);
  }

  /** Public: the organization's name and the host origins allowed to embed it. */
  embedConfig(organizationId: string): EmbedConfig {
    const org = findOrganization(this.#ctx.snapshot, organizationId);
    if (!org) throw new PlatformError(ApiErrorCode.NotFound, `No organization "${organizationId}".`);
    return { organization: { id: org.id, name: org.name }, allowedOrigins: [...org.allowedOrigins] };
  }

  allowedOrigins(organizationId: string): string[] {
    return [...(findOrganization(this.#ctx.snapshot, organizationId)?.allowedOrigins ?? [])];
  }

  /** Whether any organization allows `origin` (CORS preflights cannot know the tenant). */
  isAllowedOriginOfAnyOrganization(origin: string): boolean {
    return isAnyOrganizationOrigin(this.#ctx.snapshot, origin);
  }

  /** Verifies a customer JWT; creates the customer and the user on first sight. */
  authenticate(token: string): Promise<Caller> {
    return authenticate(this.#ctx.snapshot, token, this.#ctx.clock, this.#ctx.policy.maxTokenLifetimeSeconds);
  }

  session(caller: Caller): Session {
    return sessionOf(caller);
  }

  /** Verifies an `Authorization: Bearer org_…` header (401 ORG_KEY_INVALID otherwise). */
  authenticateOrganization(authorization: string | null): Promise<OrganizationRecord> {
    return authenticateOrganization(this.#ctx.snapshot, authorization, this.#ctx.clock.now());
  }
}
