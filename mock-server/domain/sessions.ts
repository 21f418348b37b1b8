/**
 * Sessions: who is calling. A verified token names the organization, the customer (by the host's
 * id) and the user; the first time the platform sees them it creates the customer (named by
 * `customer_name`) and the user. Each request's role comes from its own token.
 */
import { ApiErrorCode, PlatformError } from "./errors.ts";
import { newId } from "./ids.ts";
import { iso, type Clock } from "./clock.ts";
import { touch } from "./store.ts";
import { verifyCustomerToken } from "./jwt.ts";
import { keyOf, TableIndex } from "./table-index.ts";
import { ORG_API_KEY_PREFIX } from "../../contract/org-api.ts";
import type { CustomerRecord, OrganizationRecord, Snapshot, UserRecord } from "./store.ts";
import type { Role, Session } from "../../contract/api.ts";

export interface Caller {
  organization: OrganizationRecord;
  customer: CustomerRecord;
  user: UserRecord;
  role: Role;
  /** Epoch ms at which the presented token expires. */
  expiresAt: number;
}

/** Extracts the token of an `Authorization: Bearer …` header. */
export function bearerToken(authorization: string | null | undefined): string {
  if (!authorization) throw new PlatformError(ApiErrorCode.TokenMissing, "Send the customer JWT as Authorization: Bearer <token>.");
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(authorization);
  if (!match) throw new PlatformError(ApiErrorCode.TokenMalformed, "The Authorization header must be \"Bearer <token>\".");
  if (match[1].startsWith(ORG_API_KEY_PREFIX)) {
    throw new PlatformError(ApiErrorCode.TokenMalformed, "Customer endpoints take a customer JWT; an organization API key is not accepted here.");
  }
  return match[1];
}

/** Customers by organization and the host's id for them; users by customer and token subject. */
const customersByExternalId = (snapshot: Snapshot) => TableIndex.of(snapshot, "customers", "externalId", (c) => keyOf(c.organizationId, c.externalId));
const usersBySubject = (snapshot: Snapshot) => TableIndex.of(snapshot, "users", "subject", (u) => keyOf(u.customerId, u.subject));

/**
 * Verifies the token and returns the caller, creating the customer and the user on first sight.
 * A token may live at most `maxLifetimeSeconds` (exp − iat) unless its organization sets its own.
 */
export async function authenticate(snapshot: Snapshot, token: string, clock: Clock, maxLifetimeSeconds: number): Promise<Caller> {
  const verified = await verifyCustomerToken(snapshot, token, clock, maxLifetimeSeconds);
  const now = clock.now();
  const orgId = verified.organization.id;
  let customer = customersByExternalId(snapshot).first(keyOf(orgId, verified.customerExternalId));
  if (!customer) {
    customer = {
      id: newId("cus"),
      organizationId: orgId,
      externalId: verified.customerExternalId,
      name: verified.customerName ?? verified.customerExternalId,
      createdAt: now,
    };
    snapshot.customers[customer.id] = customer;
    touch(snapshot, "customers", customer.id);
  }
  const customerId = customer.id;
  let user = usersBySubject(snapshot).first(keyOf(customerId, verified.subject));
  if (!user) {
    user = {
      id: newId("usr"),
      organizationId: orgId,
      customerId,
      subject: verified.subject,
      externalId: verified.userExternalId,
      name: verified.userName ?? verified.subject,
      role: verified.role,
      createdAt: now,
      lastSeenAt: now,
    };
    snapshot.users[user.id] = user;
    touch(snapshot, "users", user.id);
  } else if (user.role !== verified.role || (verified.userName !== undefined && user.name !== verified.userName)) {
    user.role = verified.role;
    if (verified.userName !== undefined) user.name = verified.userName;
    user.lastSeenAt = now;
    touch(snapshot, "users", user.id);
  }
  return { organization: verified.organization, customer, user, role: verified.role, expiresAt: verified.expiresAt };
}

/** Refuses a write to a read-only user. */
export function requireAdmin(caller: Caller, action: string): void {
  if (caller.role !== "admin") {
    throw new PlatformError(ApiErrorCode.Forbidden, `Your role (${caller.role}) cannot ${action}; ask an admin.`);
  }
}

export function sessionOf(caller: Caller): Session {
  return {
    organization: { id: caller.organization.id, name: caller.organization.name },
    customer: { id: caller.customer.id, externalId: caller.customer.externalId, name: caller.customer.name },
    user: { id: caller.user.id, externalId: caller.user.externalId, name: caller.user.name, role: caller.role },
    expiresAt: iso(caller.expiresAt),
  };
}
