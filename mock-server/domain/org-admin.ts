/**
 * The organization acting on any of its customers' instances (the organization API): its
 * customers, its view of the catalog, searching every instance, labelling them, and deploying,
 * pausing, resuming or deleting one for a customer. It acts as an admin that is no user of the
 * customer's, through the same instance rules the customer's own calls go through (instances.ts).
 */
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { iso } from "./clock.ts";
import { instanceVersion, integrationDetailOf } from "./catalog.ts";
import { versionOf } from "../../contract/catalog.ts";
import { planSummary, type Upgrades } from "./upgrades.ts";
import { TableIndex } from "./table-index.ts";
import { InstanceSearch } from "./org-search.ts";
import { runIdempotent, type Idempotency, type StoredAnswer } from "./idempotency.ts";
import { draftOf, presentInstance } from "./instance-records.ts";
import { instanceDeleted, removedInstance } from "./removed-instances.ts";
import { defaultInstanceName, newInstanceRecord, type Instances } from "./instances.ts";
import type { PlatformContext } from "./context.ts";
import type { ExecutionPage, Executions } from "./executions.ts";
import type { Caller } from "./sessions.ts";
import type { CustomerRecord, InstanceRecord, OrganizationRecord, RemovedInstanceRecord, UserRecord } from "./store.ts";
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
  OrgIntegrationVersionList,
  OrgBulkUpgradeItem,
  OrgBulkUpgradeRequest,
  OrgBulkUpgradeResult,
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
  readonly #upgrades: Upgrades;

  constructor(ctx: PlatformContext, instances: Instances, executions: Executions, upgrades: Upgrades) {
    this.#ctx = ctx;
    this.#search = InstanceSearch.of(ctx.snapshot);
    this.#instances = instances;
    this.#executions = executions;
    this.#upgrades = upgrades;
  }

  #customer(org: OrganizationRecord, customerId: string): CustomerRecord {
    const { customers } = this.#ctx.snapshot;
    const customer = Object.hasOwn(customers, customerId) ? customers[customerId] : undefined;
    if (!customer || customer.organizationId !== org.id) throw new PlatformError(ApiErrorCode.NotFound, `No customer "${customerId}".`);
    return customer;
  }

  /**
   * Any instance of the organization (404 for another organization's; 410 INSTANCE_DELETED for a
   * deactivated one), with a caller acting for its customer.
   */
  #instance(org: OrganizationRecord, id: string): { instance: InstanceRecord; caller: Caller } {
    const { instances } = this.#ctx.snapshot;
    const instance = Object.hasOwn(instances, id) ? instances[id] : undefined;
    if (!instance || instance.organizationId !== org.id) {
      const removed = this.#record(org, id);
      throw removed ? instanceDeleted(removed as RemovedInstanceRecord) : new PlatformError(ApiErrorCode.NotFound, `No instance "${id}".`);
    }
    return { instance, caller: actingFor(org, this.#customer(org, instance.customerId)) };
  }

  /** Any instance of the organization, or the kept record of a deactivated one (removed-instances.ts); else undefined. */
  #record(org: OrganizationRecord, id: string): InstanceRecord | undefined {
    const { instances } = this.#ctx.snapshot;
    const record = Object.hasOwn(instances, id) ? instances[id] : removedInstance(this.#ctx.snapshot, id);
    return record && record.organizationId === org.id ? record : undefined;
  }

  /** Like #record, or 404. */
  #recordOr404(org: OrganizationRecord, id: string): InstanceRecord {
    const record = this.#record(org, id);
    if (!record) throw new PlatformError(ApiErrorCode.NotFound, `No instance "${id}".`);
    return record;
  }

  #present(instance: InstanceRecord, origin: string): OrgInstance {
    const { snapshot, versions } = this.#ctx;
    const customer = snapshot.customers[instance.customerId];
    return {
      ...presentInstance(snapshot, versions, instance, origin, (i) => this.#upgrades.available(i)),
      customer: { id: customer.id, externalId: customer.externalId, name: customer.name },
    };
  }

  customers(org: OrganizationRecord): OrgCustomer[] {
    return TableIndex.of(this.#ctx.snapshot, "customers", "organization", (c) => c.organizationId)
      .records(org.id)
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
      .map((c) => ({ id: c.id, externalId: c.externalId, name: c.name, createdAt: iso(c.createdAt), instanceCount: this.#search.countOfCustomer(org.id, c.id) }));
  }

  integrations(org: OrganizationRecord): OrgIntegrationList {
    return {
      integrations: this.#ctx.versions.list(org.id).map((i) => {
        const { activation: _a, description: _d, configPages: _p, flows: _f, releaseNotes: _r, ...summary } = integrationDetailOf(i, i, []);
        return summary;
      }),
    };
  }

  /** An integration at `version` (default: the latest). */
  integration(org: OrganizationRecord, id: string, version?: number): OrgIntegration {
    const latest = this.#ctx.latest(org.id, id);
    const { activation: _a, ...detail } = integrationDetailOf(version === undefined ? latest : this.#ctx.version(org.id, id, version), latest, []);
    return detail;
  }

  /** The integration's versions, oldest first, with how many of the organization's instances run each. */
  versions(org: OrganizationRecord, id: string): OrgIntegrationVersionList {
    const all = this.#ctx.versions.all(org.id, id);
    if (all.length === 0) throw new PlatformError(ApiErrorCode.NotFound, `No integration "${id}".`);
    const counts = new Map<number, number>();
    for (const instance of this.#search.ofIntegration(org.id, id)) counts.set(instanceVersion(instance), (counts.get(instanceVersion(instance)) ?? 0) + 1);
    return {
      integrationId: id,
      latest: versionOf(all.at(-1)!),
      versions: all.map((d) => {
        const publishedAt = this.#ctx.versions.publishedAt(org.id, id, versionOf(d));
        return {
          version: versionOf(d),
          ...(d.releaseNotes !== undefined ? { releaseNotes: d.releaseNotes } : {}),
          ...(publishedAt !== undefined ? { publishedAt: iso(publishedAt) } : {}),
          instanceCount: counts.get(versionOf(d)) ?? 0,
        };
      }),
    };
  }

  /** Publishes the next version of an integration (integration-versions.ts); honours `Idempotency-Key`. */
  publish(org: OrganizationRecord, id: string, definition: unknown, options: Idempotency): Promise<StoredAnswer<OrgIntegration>> {
    return runIdempotent(this.#ctx, `org:${org.id}`, options, 201, async () => {
      const record = this.#ctx.versions.publish(org.id, id, definition, this.#ctx.clock.now());
      return this.integration(org, id, record.version);
    });
  }

  search(org: OrganizationRecord, query: OrgInstanceQuery, origin: string): OrgInstancePage {
    const result = this.#search.search(org.id, query, (i) => this.#upgrades.available(i));
    return { instances: result.page.map((i) => this.#present(i, origin)), total: result.total, nextCursor: result.nextCursor };
  }

  /** Any instance; a deactivated one as kept: status `deleted`, with when and by whom. */
  get(org: OrganizationRecord, id: string, origin: string): OrgInstance {
    return this.#present(this.#recordOr404(org, id), origin);
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
  async deploy(org: OrganizationRecord, customerId: string, request: OrgDeployRequest, options: Idempotency & { origin: string }): Promise<StoredAnswer<OrgDeployResponse>> {
    const { snapshot, catalog } = this.#ctx;
    const customer = this.#customer(org, customerId);
    const caller = actingFor(org, customer);
    return runIdempotent(this.#ctx, `org:${org.id}`, options, 201, async () => {
      const integration = this.#ctx.latest(org.id, request.integrationId);
      const now = this.#ctx.clock.now();
      const theirs = this.#search.ofCustomer(org.id, customer.id);
      const one = integration.allowMultipleInstances ? undefined : theirs.find((i) => i.integrationId === integration.id);
      if (one) {
        throw new PlatformError(ApiErrorCode.Conflict, `"${integration.name}" allows one instance per customer, and ${customer.name} has one (${one.id}).`);
      }
      const name = request.name?.trim() || defaultInstanceName(integration, theirs);
      if (theirs.some((i) => i.integrationId === integration.id && i.name.toLocaleLowerCase("en") === name.toLocaleLowerCase("en"))) {
        const problem = `${customer.name} already has a ${integration.name} instance named "${name}"; choose another name.`;
        throw new PlatformError(ApiErrorCode.ValidationFailed, problem, { fields: { name: problem } });
      }
      const instance = newInstanceRecord(org.id, customer.id, integration, now, {
        name,
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

  /**
   * Upgrades every matching instance of an integration to `toVersion` (default: the latest) whose
   * upgrade needs no customer input, one after another, each exactly as the customer's own
   * upgrade deploy (instances.ts): a failed deploy leaves that instance on its version. Instances
   * that need the customer, and those skipped (never deployed, paused, being deployed, with an
   * upgrade the customer started, already there), are listed with the reason. A dry run changes
   * nothing; a real run needs an Idempotency-Key, so a retry after a lost answer upgrades nothing twice.
   */
  async bulkUpgrade(org: OrganizationRecord, integrationId: string, request: OrgBulkUpgradeRequest, options: Idempotency & { origin: string }): Promise<StoredAnswer<OrgBulkUpgradeResult>> {
    const { snapshot } = this.#ctx;
    const latest = versionOf(this.#ctx.latest(org.id, integrationId));
    const toVersion = request.toVersion ?? latest;
    if (toVersion > latest) throw new PlatformError(ApiErrorCode.NotFound, `Integration "${integrationId}" has no version ${toVersion}; the latest is ${latest}.`);
    const dryRun = request.dryRun === true;
    if (!dryRun && options.idempotencyKey === undefined) {
      throw new PlatformError(ApiErrorCode.BadRequest, "A bulk upgrade needs an Idempotency-Key header, so a retry cannot upgrade anything twice (a dry run needs none).");
    }
    if (request.customer !== undefined) this.#customer(org, request.customer);
    const named = request.instanceIds ? new Set(request.instanceIds) : undefined;
    const candidates = this.#search
      .ofIntegration(org.id, integrationId)
      .filter((i) => request.fromVersion === undefined || instanceVersion(i) === request.fromVersion)
      .filter((i) => request.customer === undefined || i.customerId === request.customer)
      .filter((i) => !named || named.has(i.id))
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    const unknown = [...(named ?? [])].filter((id) => !candidates.some((i) => i.id === id) && !(Object.hasOwn(snapshot.instances, id) && snapshot.instances[id].organizationId === org.id));
    if (unknown.length) throw new PlatformError(ApiErrorCode.NotFound, `No instance ${unknown.map((id) => `"${id}"`).join(", ")}.`);

    const work = async (): Promise<OrgBulkUpgradeResult> => {
      const items: OrgBulkUpgradeItem[] = [];
      for (const instance of candidates) {
        const customer = snapshot.customers[instance.customerId];
        const fromVersion = instanceVersion(instance);
        const ref = {
          id: instance.id,
          name: instance.name,
          status: instance.status,
          customer: { id: customer.id, externalId: customer.externalId, name: customer.name },
          fromVersion,
        };
        const skip = (reason: string) => items.push({ instance: ref, outcome: "skipped", reason });
        if (instance.deployedAt === undefined || instance.status === "draft") {
          skip("Never deployed: the customer's setup moves to the latest version when they continue it.");
          continue;
        }
        if (fromVersion >= toVersion) {
          skip(`Already on version ${fromVersion}.`);
          continue;
        }
        if (instance.status === "deploying") {
          skip("A deploy of this instance is in progress; try again once it has finished.");
          continue;
        }
        if (instance.status === "paused") {
          skip("Paused: resume it first, or let the customer upgrade it.");
          continue;
        }
        const started = draftOf(snapshot, instance).upgrade;
        if (started) {
          skip(`The customer started an upgrade to version ${started.toVersion}; it is theirs to finish or cancel.`);
          continue;
        }
        const plan = this.#upgrades.plan(instance, instance.config, fromVersion, toVersion)!;
        if (plan.needsInput) {
          const asked = plan.asks.filter((a) => a.problem !== undefined).map((a) => `${a.key} (${a.problem})`);
          items.push({ instance: ref, outcome: "needs-input", reason: `The customer must fill in or fix: ${asked.join("; ")}`, plan: planSummary(plan) });
          continue;
        }
        if (dryRun) {
          items.push({ instance: ref, outcome: "would-upgrade", plan: planSummary(plan) });
          continue;
        }
        this.#upgrades.start(instance, toVersion);
        this.#ctx.changed("drafts", instance.id);
        try {
          const deployed = await this.#instances.deployRecord(actingFor(org, customer), instance, options.origin);
          items.push({
            instance: { ...ref, status: instance.status },
            outcome: "upgraded",
            plan: planSummary(plan),
            executions: deployed.executions.map((x) => ({ id: x.id, flowId: x.flowId, status: x.status })),
          });
        } catch (error) {
          this.#upgrades.cancel(instance);
          this.#ctx.changed("drafts", instance.id);
          items.push({ instance: ref, outcome: "failed", reason: error instanceof Error ? error.message : "The upgrade failed.", plan: planSummary(plan) });
        }
      }
      const count = (outcome: OrgBulkUpgradeItem["outcome"]) => items.filter((i) => i.outcome === outcome).length;
      return {
        integrationId,
        toVersion,
        dryRun,
        counts: { upgraded: count("upgraded"), wouldUpgrade: count("would-upgrade"), needsInput: count("needs-input"), skipped: count("skipped"), failed: count("failed") },
        items,
      };
    };
    if (dryRun) return { status: 200, body: await work(), replayed: false };
    return runIdempotent(this.#ctx, `org:${org.id}`, options, 200, work);
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
    return this.#instances.delete(this.#instance(org, id).caller, id, { kind: "organization", id: org.id, name: org.name });
  }

  /** Executions of any instance, a deactivated one's too (its removal runs among them). */
  executions(org: OrganizationRecord, id: string, page: { cursor?: string; limit?: number } = {}): ExecutionPage {
    return this.#executions.listOf(this.#recordOr404(org, id), page);
  }
}
