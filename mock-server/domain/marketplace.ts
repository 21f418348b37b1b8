/**
 * The marketplace as a customer sees it: the catalog's integrations with the customer's
 * activation state of each (catalog.ts does the listing and filtering).
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
    return listIntegrations(this.#ctx.catalog, customerInstances(this.#ctx.snapshot, caller), query);
  }

  get(caller: Caller, id: string): IntegrationDetail {
    return integrationDetailOf(this.#ctx.integration(id), customerInstances(this.#ctx.snapshot, caller));
  }

  /** An image a config page shows (public: an `<img>` sends no token), or 404. */
  asset(integrationId: string, name: string): { bytes: Uint8Array; type: string } {
    const assets = this.#ctx.integration(integrationId).assets ?? {};
    const type = name.endsWith(".svg") ? "image/svg+xml" : "image/png";
    const bytes = Object.hasOwn(assets, name) ? assetBytes(assets[name], type) : undefined;
    if (!bytes) throw new PlatformError(ApiErrorCode.NotFound, `No asset "${name}".`);
    return { bytes, type };
  }
}
