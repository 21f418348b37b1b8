/**
 * What the headless client's tests share: the REAL platform handlers over msw/node (one per test
 * file), a test organization that signs customer tokens, and a recorder of every lifecycle event
 * a client fires.
 */
import { afterAll, beforeAll } from "vitest";
import { lifecycleEventNames } from "../../contract/protocol-constants.ts";
import { createTestOrganization, setupMockPlatform, type MockPlatform, type TestOrganization } from "../../mock-server/index.ts";
import type { Client, HeadlessEventName } from "../headless/index.ts";

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
