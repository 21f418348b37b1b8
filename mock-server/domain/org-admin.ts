/**
 * The organization acting on any of its customers' instances (the organization API): its
 * customers, its view of the catalog, searching every instance, labelling them, and deploying,
 * pausing, resuming or deleting one for a customer. It acts as an admin that is no user of the
 * customer's, through the same instance rules the customer's own calls go through (instances.ts).
 */
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { iso } from "./clock.ts";
import { integrationDetailOf } from "./catalog.ts";
import { InstanceSearch } from "./org-search.ts";
import { runIdempotent } from "./idempotency.ts";
import { presentInstance } from "./instance-records.ts";
import { newInstanceRecord, type Instances } from "./instances.ts";
import type { PlatformContext } from "./context.ts";
import type { ExecutionPage, Executions } from "./executions.ts";
import type { Caller } from "./sessions.ts";
import type { CustomerRecord, InstanceRecord, OrganizationRecord, UserRecord } from "./store.ts";
import type { DeleteInstanceResponse } from "../../contract/api.ts";
import type {
  OrgCustomer,
  OrgDeployRequest,
  OrgDeployResponse,
  OrgInstance,
  OrgInstancePage,
  OrgInstanceQuery,
  OrgInstanceUpdate,
  OrgIntegration,
  OrgIntegrationList,
} from "../../contract/org-api.ts";

/** The organization acting for one of its customers: an admin that is no user of theirs. */
function actingFor(org: OrganizationRecord, customer: CustomerRecord): Caller {
  const user: UserRecord = {
    id: `org:${org.id}`,
    organizationId: org.id,
    customerId: customer.id,
    subject: `organization:${org.id}`,
    externalId: `organization:${org.id}`,
    name: org.name,
    role: "admin",
    createdAt: customer.createdAt,
    lastSeenAt: customer.createdAt,
  };
  return { organization: org, customer, user, role: "admin", expiresAt: Number.MAX_SAFE_INTEGER };
}

export class OrgAdmin {
  readonly #ctx: PlatformContext;
  readonly #instances: Instances;
  readonly #executions: Executions;
  readonly #search: InstanceSearch;

  constructor(ctx: PlatformContext, instances: Instances, executions: Executions) {
    this.#ctx = ctx;
    this.#search = InstanceSearch.of(ctx.snapshot);
    this.#instances = instances;
    this.#executions = executions;
  }

  #customer(org: OrganizationRecord, customerId: string): CustomerRecord {
    const { customers } = this.#ctx.snapshot;
    const customer = Object.hasOwn(customers, customerId) ? customers[customerId] : undefined;
    if (!customer || customer.organizationId !== org.id) throw new PlatformError(ApiErrorCode.NotFound, `No customer "${customerId}".`);
    return customer;
  }

  /** Any instance of the organization (404 for another organization's), with a caller acting for its customer. */
  #instance(org: OrganizationRecord, id: string): { instance: InstanceRecord; caller: Caller } {
    const { instances } = this.#ctx.snapshot;
    const instance = Object.hasOwn(instances, id) ? instances[id] : undefined;
    if (!instance || instance.organizationId !== org.id) throw new PlatformError(ApiErrorCode.NotFound, `No instance "${id}".`);
    return { instance, caller: actingFor(org, this.#customer(org, instance.customerId)) };
  }

  #present(instance: InstanceRecord, origin: string): OrgInstance {
    const { snapshot, catalog } = this.#ctx;
    const customer = snapshot.customers[instance.customerId];
    return {
      ...presentInstance(snapshot, catalog, instance, origin),
      customer: { id: customer.id, externalId: customer.externalId, name: customer.name },
    };
  }

  customers(org: OrganizationRecord): OrgCustomer[] {
    const { snapshot } = this.#ctx;
    const counts = new Map<string, number>();
    for (const instance of Object.values(snapshot.instances)) {
      if (instance.organizationId === org.id) counts.set(instance.customerId, (counts.get(instance.customerId) ?? 0) + 1);
    }
    return Object.values(snapshot.customers)
      .filter((c) => c.organizationId === org.id)
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
      .map((c) => ({ id: c.id, externalId: c.externalId, name: c.name, createdAt: iso(c.createdAt), instanceCount: counts.get(c.id) ?? 0 }));
  }

  integrations(): OrgIntegrationList {
    return {
      integrations: this.#ctx.catalog.integrations.map((i) => {
        const { activation: _a, description: _d, configPages: _p, flows: _f, ...summary } = integrationDetailOf(i, []);
        return summary;
      }),
    };
  }

  integration(id: string): OrgIntegration {
    const { activation: _a, ...detail } = integrationDetailOf(this.#ctx.integration(id), []);
    return detail;
  }

  search(org: OrganizationRecord, query: OrgInstanceQuery, origin: string): OrgInstancePage {
    const result = this.#search.search(org.id, query);
    return { instances: result.page.map((i) => this.#present(i, origin)), total: result.total, nextCursor: result.nextCursor };
  }

  get(org: OrganizationRecord, id: string, origin: string): OrgInstance {
    return this.#present(this.#instance(org, id).instance, origin);
  }

  /** Sets an instance's labels and/or description (organization-only metadata). */
  update(org: OrganizationRecord, id: string, update: OrgInstanceUpdate, origin: string): OrgInstance {
    const { instance } = this.#instance(org, id);
    if (update.description === undefined && update.labels === undefined) {
      throw new PlatformError(ApiErrorCode.BadRequest, 'Send "labels", "description" or both.');
    }
    if (update.description !== undefined) instance.description = update.description;
    if (update.labels !== undefined) instance.labels = [...new Set(update.labels)];
    instance.updatedAt = this.#ctx.clock.now();
    this.#ctx.changed("instances", instance.id);
    return this.#present(instance, origin);
  }

  /**
   * Deploys a new instance for a customer with every config value at once. The values are
   * validated page by page exactly as the customer's wizard saves them; any problem answers
   * VALIDATION_FAILED with every failing field (and the first failing page) and creates nothing.
   */
  async deploy(
    org: OrganizationRecord,
    customerId: string,
    request: OrgDeployRequest,
    options: { origin: string; idempotencyKey?: string; fingerprint: string },
  ): Promise<{ status: number; body: OrgDeployResponse; replayed: boolean }> {
    const { snapshot, catalog } = this.#ctx;
    const customer = this.#customer(org, customerId);
    const caller = actingFor(org, customer);
    return runIdempotent(this.#ctx, `org:${org.id}`, options, 201, async () => {
      const integration = this.#ctx.integration(request.integrationId);
      const now = this.#ctx.clock.now();
      const instance = newInstanceRecord(org.id, customer.id, integration, now, {
        name: request.name ?? integration.name,
        description: request.description ?? "",
        labels: [...new Set(request.labels ?? [])],
      });
      snapshot.instances[instance.id] = instance;
      this.#ctx.changed("instances", instance.id);
      const discard = () => {
        delete snapshot.instances[instance.id];
        delete snapshot.drafts[instance.id];
        this.#ctx.changed("instances", instance.id);
        this.#ctx.changed("drafts", instance.id);
      };
      const fields: Record<string, string> = {};
      let firstPage: string | undefined;
      const known = new Set(catalog.fields(integration).map((f) => f.field.key));
      for (const key of Object.keys(request.values)) {
        if (!known.has(key)) fields[key] = `"${integration.name}" has no config variable "${key}".`;
      }
      for (const page of integration.configPages) {
        const values = Object.fromEntries(page.fields.filter((f) => Object.hasOwn(request.values, f.key)).map((f) => [f.key, request.values[f.key]]));
        try {
          await this.#instances.savePage(caller, instance, page.name, values);
        } catch (error) {
          if (!(error instanceof PlatformError) || error.code !== ApiErrorCode.ValidationFailed) {
            discard();
            throw error;
          }
          Object.assign(fields, error.fields ?? {});
          firstPage ??= page.name;
        }
      }
      if (Object.keys(fields).length > 0) {
        discard();
        throw new PlatformError(ApiErrorCode.ValidationFailed, `Some values for "${integration.name}" need attention.`, {
          fields,
          ...(firstPage ? { page: firstPage } : {}),
        });
      }
      try {
        const deployed = await this.#instances.deployRecord(caller, instance, options.origin);
        return { instance: this.#present(instance, options.origin), executions: deployed.executions };
      } catch (error) {
        if (instance.deployedAt === undefined) discard();
        throw error;
      }
    });
  }

  pause(org: OrganizationRecord, id: string, origin: string): OrgInstance {
    this.#instances.pause(this.#instance(org, id).caller, id, origin);
    return this.get(org, id, origin);
  }

  resume(org: OrganizationRecord, id: string, origin: string): OrgInstance {
    this.#instances.resume(this.#instance(org, id).caller, id, origin);
    return this.get(org, id, origin);
  }

  delete(org: OrganizationRecord, id: string): Promise<DeleteInstanceResponse> {
    return this.#instances.delete(this.#instance(org, id).caller, id);
  }

  executions(org: OrganizationRecord, id: string, page: { cursor?: string; limit?: number } = {}): ExecutionPage {
    return this.#executions.listOf(this.#instance(org, id).instance, page);
  }
}
