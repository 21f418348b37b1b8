/**
 * The organization's view of its customers' integrations at work: runs and alerts across every
 * customer (or one, `customer`), with the customer logs' own filters and pages (logs.ts,
 * alerts.ts, scoped to the organization instead of a customer), and one customer's usage over a
 * billing period (usage.ts). Every row says whose it is; a customer filter or a customer's usage
 * holds that customer's data only (A10), and another organization's customer is a 404.
 */
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { billingPeriod, usageReport } from "./usage.ts";
import { removedInstance } from "./removed-instances.ts";
import type { PlatformContext } from "./context.ts";
import type { Logs } from "./logs.ts";
import type { Alerts } from "./alerts.ts";
import type { DataScope } from "./instance-records.ts";
import type { CustomerRecord, OrganizationRecord } from "./store.ts";
import type { OrgCustomerRef } from "../../contract/org-api.ts";
import type { OrgAlertPage, OrgAlertQuery, OrgExecutionPage, OrgExecutionQuery, OrgUsageReport } from "../../contract/org-activity.ts";

export class OrgActivity {
  readonly #ctx: PlatformContext;
  readonly #logs: Logs;
  readonly #alerts: Alerts;

  constructor(ctx: PlatformContext, parts: { logs: Logs; alerts: Alerts }) {
    this.#ctx = ctx;
    this.#logs = parts.logs;
    this.#alerts = parts.alerts;
  }

  executions(org: OrganizationRecord, { customer, ...query }: OrgExecutionQuery): OrgExecutionPage {
    const page = this.#logs.scopedPage(this.#scope(org, customer), query);
    return { executions: page.executions.map((e) => ({ ...e, customer: this.#refOfInstance(e.instanceId, org) })), nextCursor: page.nextCursor };
  }

  alerts(org: OrganizationRecord, { customer, ...query }: OrgAlertQuery): OrgAlertPage {
    const page = this.#alerts.scopedPage(this.#scope(org, customer), query);
    const { instances, customers } = this.#ctx.snapshot;
    return {
      alerts: page.alerts.map((a) => ({
        ...this.#alerts.present(a),
        customer: refOf(customers[a.customerId]),
        instanceName: (Object.hasOwn(instances, a.instanceId) ? instances[a.instanceId] : removedInstance(this.#ctx.snapshot, a.instanceId))?.name ?? "",
      })),
      nextCursor: page.nextCursor,
    };
  }

  /** One customer's usage over the current or previous billing period, or [from, to) (`to` capped at now). */
  usage(org: OrganizationRecord, customerId: string, period: "current" | "previous" | { from: number; to: number }): OrgUsageReport {
    const customer = this.#customer(org, customerId);
    const now = this.#ctx.clock.now();
    if (typeof period === "object" && !(period.from < period.to)) throw new PlatformError(ApiErrorCode.BadRequest, "The usage period must have from < to.");
    const range = typeof period === "string" ? { ...billingPeriod(now, period), kind: period } : { from: period.from, to: Math.min(period.to, now), kind: "custom" as const };
    return { ...usageReport(this.#ctx.snapshot, this.#ctx.catalog, customer.id, range, now), customerRef: refOf(customer) };
  }

  #scope(org: OrganizationRecord, customerId: string | undefined): DataScope {
    // An empty filter means no filter (a cleared select); an unknown customer is a 404.
    if (customerId === undefined || customerId === "") return { organizationId: org.id };
    return { organizationId: org.id, customerId: this.#customer(org, customerId).id };
  }

  #customer(org: OrganizationRecord, customerId: string): CustomerRecord {
    const { customers } = this.#ctx.snapshot;
    const customer = Object.hasOwn(customers, customerId) ? customers[customerId] : undefined;
    if (!customer || customer.organizationId !== org.id) throw new PlatformError(ApiErrorCode.NotFound, `No customer "${customerId}".`);
    return customer;
  }

  #refOfInstance(instanceId: string, org: OrganizationRecord): OrgCustomerRef {
    const { instances, customers } = this.#ctx.snapshot;
    // A deactivated instance's runs stay readable for the retention period (removed-instances.ts).
    const instance = Object.hasOwn(instances, instanceId) ? instances[instanceId] : removedInstance(this.#ctx.snapshot, instanceId);
    const customer = instance && instance.organizationId === org.id ? customers[instance.customerId] : undefined;
    return customer ? refOf(customer) : { id: "", externalId: "", name: "" };
  }
}

const refOf = (customer: CustomerRecord): OrgCustomerRef => ({ id: customer.id, externalId: customer.externalId, name: customer.name });
