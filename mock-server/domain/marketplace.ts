/**
 * The marketplace as a customer sees it: the catalog's integrations with the customer's
 * activation state of each (catalog.ts does the listing and filtering).
 */
import { integrationDetailOf, listIntegrations } from "./catalog.ts";
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
}
