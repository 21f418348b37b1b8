/**
 * Integration versions as one organization sees them: the platform's built-in catalog (which may
 * ship several versions of an integration) plus the versions the organization published through
 * the org API. An instance runs the version it was deployed with; the marketplace offers the
 * latest; an upgrade walks every version in between (their migrations, contract/upgrade.ts).
 *
 * A published version is checked like a built-in one (catalog.ts: a definition the platform
 * cannot run is refused, with the field named) and must follow the latest version exactly
 * (number + 1, renames from keys that version has). Versions are immutable once published.
 */
import { versionOf, type IntegrationDefinition } from "../../contract/catalog.ts";
import { ApiErrorCode, CatalogError, PlatformError } from "./errors.ts";
import { checkIntegration, checkSuccessor, type Catalog } from "./catalog.ts";
import { touch, type PublishedVersion, type Snapshot } from "./store.ts";

const keyOf = (organizationId: string, integrationId: string, version: number) => `${organizationId}/${integrationId}/${version}`;

export class IntegrationVersions {
  readonly #snapshot: Snapshot;
  readonly #catalog: Catalog;
  /** organization → integration → published versions, oldest first (built from the state once). */
  readonly #published = new Map<string, Map<string, IntegrationDefinition[]>>();

  constructor(snapshot: Snapshot, catalog: Catalog) {
    this.#snapshot = snapshot;
    this.#catalog = catalog;
    const stored = Object.values(snapshot.integrationVersions).sort((a, b) => a.version - b.version);
    for (const record of stored) {
      // State from disk is checked like a new publication: a definition the platform cannot run stops the start.
      const definition = checkIntegration(record.definition, 0);
      this.#add(record.organizationId, definition);
    }
  }

  #add(organizationId: string, definition: IntegrationDefinition): void {
    let byIntegration = this.#published.get(organizationId);
    if (!byIntegration) this.#published.set(organizationId, (byIntegration = new Map()));
    byIntegration.set(definition.id, [...(byIntegration.get(definition.id) ?? []), definition]);
  }

  /** Every version of an integration the organization offers, oldest first; empty for an unknown id. */
  all(organizationId: string, integrationId: string): readonly IntegrationDefinition[] {
    const builtIn = this.#catalog.versions(integrationId);
    const published = this.#published.get(organizationId)?.get(integrationId) ?? [];
    return published.length ? [...builtIn, ...published] : builtIn;
  }

  latest(organizationId: string, integrationId: string): IntegrationDefinition | undefined {
    return this.all(organizationId, integrationId).at(-1);
  }

  get(organizationId: string, integrationId: string, version: number): IntegrationDefinition | undefined {
    return this.all(organizationId, integrationId).find((d) => versionOf(d) === version);
  }

  /** The latest version of each integration, in catalog order. */
  list(organizationId: string): IntegrationDefinition[] {
    return this.#catalog.integrations.map((i) => this.latest(organizationId, i.id) ?? i);
  }

  /** The versions after `from` up to `to`, in order: what an upgrade from `from` to `to` walks. */
  between(organizationId: string, integrationId: string, from: number, to: number): IntegrationDefinition[] {
    return this.all(organizationId, integrationId).filter((d) => versionOf(d) > from && versionOf(d) <= to);
  }

  /** When each published version was published (built-in versions have no date). */
  publishedAt(organizationId: string, integrationId: string, version: number): number | undefined {
    const key = keyOf(organizationId, integrationId, version);
    return Object.hasOwn(this.#snapshot.integrationVersions, key) ? this.#snapshot.integrationVersions[key].publishedAt : undefined;
  }

  /**
   * Publishes the next version of an existing integration for one organization. 404 for an
   * unknown integration, 409 CONFLICT when the version is not the next one, 422 VALIDATION_FAILED
   * (naming the field) for a definition the platform cannot run.
   */
  publish(organizationId: string, integrationId: string, raw: unknown, now: number): PublishedVersion {
    const latest = this.latest(organizationId, integrationId);
    if (!latest) throw new PlatformError(ApiErrorCode.NotFound, `No integration "${integrationId}".`);
    let definition: IntegrationDefinition;
    try {
      definition = checkIntegration(raw, 0);
    } catch (error) {
      if (error instanceof CatalogError) throw new PlatformError(ApiErrorCode.ValidationFailed, error.message, { fields: { [error.field]: error.message } });
      throw error;
    }
    if (definition.id !== integrationId) {
      throw new PlatformError(ApiErrorCode.ValidationFailed, `The definition's id is "${definition.id}"; this is "${integrationId}".`, {
        fields: { id: `Must be "${integrationId}".` },
      });
    }
    const expected = versionOf(latest) + 1;
    if (versionOf(definition) !== expected) {
      throw new PlatformError(
        ApiErrorCode.Conflict,
        `"${integrationId}" is at version ${versionOf(latest)}: publish version ${expected}${versionOf(definition) <= versionOf(latest) ? `; version ${versionOf(definition)} is published already and cannot change` : ""}.`,
      );
    }
    try {
      checkSuccessor(latest, definition);
    } catch (error) {
      if (error instanceof CatalogError) throw new PlatformError(ApiErrorCode.ValidationFailed, error.message, { fields: { [error.field]: error.message } });
      throw error;
    }
    const record: PublishedVersion = { organizationId, integrationId, version: expected, definition, publishedAt: now };
    const key = keyOf(organizationId, integrationId, expected);
    this.#snapshot.integrationVersions[key] = record;
    touch(this.#snapshot, "integrationVersions", key);
    this.#add(organizationId, definition);
    return record;
  }
}
