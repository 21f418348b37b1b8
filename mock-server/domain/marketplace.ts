/**
 * The marketplace as a customer sees it: the latest version of each integration their
 * organization offers, with the customer's activation state of each (catalog.ts does the
 * listing and filtering), and any version of one (the wizard of an instance on an older version,
 * or of an upgrade, shows that version's pages).
 */
import { assetBytes, integrationDetailOf, listIntegrations } from "./catalog.ts";
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { customerInstances } from "./instance-records.ts";
import type { PlatformContext } from "./context.ts";
import type { Caller } from "./sessions.ts";
import type { IntegrationDetail, IntegrationList, IntegrationListQuery } from "../../contract/api.ts";

export class Marketplace {
  readonly #ctx: PlatformContext;

  constructor(ctx: PlatformContext) {
    this.#ctx = ctx;
  }

  list(caller: Caller, query: IntegrationListQuery = {}): IntegrationList {
    return listIntegrations(this.#ctx.versions.list(caller.organization.id), customerInstances(this.#ctx.snapshot, caller), query);
  }

  /** An integration at `version` (default: the latest); 404 for a version it does not have. */
  get(caller: Caller, id: string, version?: number): IntegrationDetail {
    const org = caller.organization.id;
    const latest = this.#ctx.latest(org, id);
    const asked = version === undefined ? latest : this.#ctx.version(org, id, version);
    return integrationDetailOf(asked, latest, customerInstances(this.#ctx.snapshot, caller));
  }

  /** An image a config page shows (public: an `<img>` sends no token), or 404. */
  asset(integrationId: string, name: string): { bytes: Uint8Array; type: string } {
    // Assets are the built-in catalog's (the URL names no organization or version).
    const assets = this.#ctx.catalog.get(integrationId)?.assets ?? {};
    const type = name.endsWith(".svg") ? "image/svg+xml" : "image/png";
    const bytes = Object.hasOwn(assets, name) ? assetBytes(assets[name], type) : undefined;
    if (!bytes) throw new PlatformError(ApiErrorCode.NotFound, `No asset "${name}".`);
    return { bytes, type };
  }
}
