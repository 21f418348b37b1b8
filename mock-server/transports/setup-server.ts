/**
 * Node test helpers: the platform's handlers behind msw's `setupServer`, so `fetch` in a test
 * reaches the platform at any origin (use e.g. http://platform.test as the base URL).
 */
import { setupServer } from "msw/node";
import { createHandlers, type HandlerOptions } from "../http/msw-handlers.ts";
import { createPlatform, type Platform, type PlatformOptions } from "../domain/platform.ts";
import { MemoryBackend } from "../domain/memory-backend.ts";
import { demoOrganization } from "../fixtures/demo-org.ts";

export interface MockPlatform {
  platform: Platform;
  server: ReturnType<typeof setupServer>;
  /** Starts intercepting (`onUnhandledRequest: "error"`: a request no handler answers fails the test). */
  listen(): void;
  /**
   * Stops intercepting, waits for background work, and checks that every record in memory was
   * written: a write the platform forgot to announce (it would be lost on a real restart) fails
   * here, naming the record.
   */
  close(): Promise<void>;
}

/**
 * A platform (demo organization registered unless `organizations` is given) behind setupServer,
 * on a memory backend. Test mode: the scenario endpoint (`PUT /api/v1/_scenario`) is on unless
 * `handlers.scenarioApi` is false.
 */
export function setupMockPlatform(options: PlatformOptions & { handlers?: HandlerOptions } = {}): MockPlatform {
  const backend = options.backend ?? new MemoryBackend();
  const platform = createPlatform({ organizations: [demoOrganization()], ...options, backend });
  const server = setupServer(...createHandlers(platform, { scenarioApi: true, ...options.handlers }));
  return {
    platform,
    server,
    listen: () => server.listen({ onUnhandledRequest: "error" }),
    async close() {
      server.close();
      await platform.idle();
      await platform.commit();
      const unannounced = backend instanceof MemoryBackend ? backend.verify(platform.snapshot()) : [];
      await platform.close();
      if (unannounced.length > 0) throw new Error(`the platform changed records without announcing them (a restart would lose them): ${unannounced.join("; ")}`);
    },
  };
}
