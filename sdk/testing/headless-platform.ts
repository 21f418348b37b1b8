/**
 * What the headless client's tests share: the REAL platform handlers over msw/node (one per test
 * file), a test organization that signs customer tokens, and a recorder of every lifecycle event
 * a client fires.
 */
import { afterAll, beforeAll } from "vitest";
import { lifecycleEventNames } from "../../contract/protocol-constants.ts";
import { createTestOrganization, setupMockPlatform, type MockPlatform, type TestOrganization } from "../../mock-server/index.ts";
import { createClient, type Client, type HeadlessEventName } from "../headless/index.ts";

/** The platform origin the handlers answer on. */
export const PLATFORM = "http://platform.test";

/** Starts the platform for this test file; read `mock` and `org` inside tests. */
export function usePlatform(): { readonly mock: MockPlatform; readonly org: TestOrganization } {
  let mock: MockPlatform;
  let org: TestOrganization;
  beforeAll(async () => {
    mock = setupMockPlatform();
    mock.listen();
    org = await createTestOrganization({ platform: mock.platform });
  });
  afterAll(() => mock.close());
  return {
    get mock() {
      return mock;
    },
    get org() {
      return org;
    },
  };
}

/** Every lifecycle event `client` fires from now on, in order. */
export function recordEvents<P = unknown>(client: Client): { name: HeadlessEventName; payload: P }[] {
  const events: { name: HeadlessEventName; payload: P }[] = [];
  for (const name of lifecycleEventNames) client.on(name, (payload) => events.push({ name, payload: payload as P }));
  return events;
}

/** A client of `platform` signed in as `customer` (the platform creates it on first sight) with `role`. */
export function clientAs(platform: { readonly org: TestOrganization }, customer: string, role = "admin"): Client {
  return createClient({ platformUrl: PLATFORM, getToken: () => platform.org.signToken({ customer, customer_name: `Customer ${customer}`, role }) });
}

let freshCustomers = 0;
/** A deployed Stripe instance of a fresh customer (`${prefix}-n`): its client, the customer, the instance. */
export async function deployedStripe(platform: { readonly org: TestOrganization }, prefix: string) {
  const customer = `${prefix}-${++freshCustomers}`;
  const c = clientAs(platform, customer);
  const created = await c.createInstance("stripe");
  await c.saveConfigPage(created.id, "connect", { stripeKey: { kind: "api-key", apiKey: `sk_test_${prefix}_1` } });
  await c.saveConfigPage(created.id, "payments", { currency: "eur", threshold: 10 });
  const { instance } = await c.deploy(created.id);
  return { c, customer, instance };
}
