/**
 * Node test helpers: the platform's handlers behind msw's `setupServer`, so `fetch` in a test
 * reaches the platform at any origin (use e.g. http://platform.test as the base URL).
 */
import { setupServer } from "msw/node";
import { createHandlers, type HandlerOptions } from "../http/msw-handlers.ts";
import { createPlatform, type Platform, type PlatformOptions } from "../domain/platform.ts";
import { demoOrganization } from "../fixtures/demo-org.ts";

export interface MockPlatform {
  platform: Platform;
  server: ReturnType<typeof setupServer>;
  /** Starts intercepting (`onUnhandledRequest: "error"`: a request no handler answers fails the test). */
  listen(): void;
  close(): void;
}

/**
 * A platform (demo organization registered unless `organizations` is given) behind setupServer.
 * Test mode: the scenario endpoint (`PUT /api/v1/_scenario`) is on unless `handlers.scenarioApi`
 * is false.
 */
export function setupMockPlatform(options: PlatformOptions & { handlers?: HandlerOptions } = {}): MockPlatform {
  const platform = createPlatform({ organizations: [demoOrganization()], ...options });
  const server = setupServer(...createHandlers(platform, { scenarioApi: true, ...options.handlers }));
  return {
    platform,
    server,
    listen: () => server.listen({ onUnhandledRequest: "error" }),
    close: () => {
      server.close();
      platform.dispose();
    },
  };
}
