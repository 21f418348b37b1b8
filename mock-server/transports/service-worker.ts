/**
 * The third transport: the platform's handlers in a service worker (msw `setupWorker`), for a
 * static deployment with no server. Records and executions are persisted in IndexedDB, record
 * by record, where the browser allows it (persistence/indexeddb-backend.ts), else kept in memory
 * (`persistence` says which, so the UI can show a notice). As on the server, an answer leaves
 * once what it reports is stored (the IndexedDB transaction completed).
 *
 * Browser-only: import it through mock-server/browser.ts, never from Node code. The worker
 * script (msw's mockServiceWorker.js) must be served at `serviceWorkerUrl`; copy it with
 * `tsx mock-server/transports/copy-worker-script.ts <dir>`. A service worker controls the pages in its
 * scope and intercepts every fetch they make, so a worker at /frame/mockServiceWorker.js
 * answers the frame's /api/v1 calls. Chromium does not start service workers in a cross-site
 * iframe (third-party storage is blocked): there, unless `inPageFallback` is false, the same
 * handlers answer the page's own fetch calls in the page instead (in-page.ts), and
 * `transport` says so.
 */
import { setupWorker } from "msw/browser";
import * as z from "zod/mini";
import { createPlatform, type Platform } from "../domain/platform.ts";
import { createHandlers } from "../http/msw-handlers.ts";
import { interceptInPage } from "./in-page.ts";
import { sendNotificationWithFetch } from "./fetch-notification-sender.ts";
import { demoOrganization } from "../fixtures/demo-org.ts";
import { openBrowserBackend, type PersistenceKind } from "../persistence/indexeddb-backend.ts";
import { MemoryBackend } from "../domain/memory-backend.ts";
import { logReason } from "../domain/log-text.ts";
import { scenarioRequest, type ScenarioName, type ScenarioRequest } from "../../contract/scenario.ts";
import type { OrganizationRegistration } from "../domain/organizations.ts";

export interface BrowserPlatformOptions {
  /** URL of msw's worker script (default "/mockServiceWorker.js"). */
  serviceWorkerUrl?: string;
  /** Host origins allowed to embed the demo organization (default ["http://localhost:4000"]). */
  allowedOrigins?: string[];
  /** Extra organizations (public keys only). */
  organizations?: OrganizationRegistration[];
  /** IndexedDB database name (default "emporium-mock-platform"). */
  databaseName?: string;
  /** Force memory persistence (null), or pass an IDBFactory; default `indexedDB`. */
  indexedDB?: IDBFactory | null;
  /** Start with a scenario active. */
  scenario?: ScenarioName | ScenarioRequest;
  /** Serve GET/PUT /api/v1/_scenario (default true: a browser mock is a demo by definition). */
  scenarioApi?: boolean;
  /**
   * When the service worker cannot start (or is not active within `serviceWorkerTimeoutMs`),
   * answer this page's own fetch calls in the page instead (default true). False: `start` rejects.
   */
  inPageFallback?: boolean;
  /** How long to wait for the service worker (default 10 000 ms). */
  serviceWorkerTimeoutMs?: number;
  /**
   * The platform's local development mode for outgoing notifications: http and loopback/private
   * endpoint addresses allowed (a demo's receiver on localhost). Default false, as on the server.
   */
  developmentMode?: boolean;
}

/** How the handlers are reached: msw's service worker, or in the page (the fallback). */
export type BrowserTransport = "service-worker" | "in-page";

export interface BrowserPlatform {
  platform: Platform;
  /** Where the state lives: "memory" means a reload starts over (show a notice). */
  persistence: PersistenceKind;
  transport: BrowserTransport;
  /** Resolves once every change so far is stored. */
  flush(): Promise<void>;
  /** Flushes, stops the worker and the platform. */
  stop(): Promise<void>;
}

/** Rejects when `start` neither resolves nor rejects in time (a registration that never activates). */
function startWithin(start: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`the service worker did not start within ${ms} ms`)), ms)));
  return Promise.race([start, late]).finally(() => clearTimeout(timer));
}

export async function startWorkerPlatform(options: BrowserPlatformOptions = {}): Promise<BrowserPlatform> {
  const opened = await openBrowserBackend({
    ...(options.databaseName ? { databaseName: options.databaseName } : {}),
    ...(options.indexedDB !== undefined ? { factory: options.indexedDB } : {}),
  });
  let persistence: PersistenceKind = opened.kind;
  const organizations = [demoOrganization(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}), ...(options.organizations ?? [])];
  // Notifications leave with fetch; the domain retries them while this page lives, and the next
  // start finds the pending ones in the stored state and keeps their schedule.
  const notifications = { send: sendNotificationWithFetch, development: options.developmentMode ?? false };
  let platform: Platform;
  try {
    platform = createPlatform({ organizations, backend: opened.backend, notifications });
  } catch (error) {
    console.warn(`[emporium platform] the stored state is not valid (${logReason(error)}); starting fresh in memory`);
    await opened.backend.close();
    persistence = "memory";
    platform = createPlatform({ organizations, backend: new MemoryBackend(), notifications });
  }
  if (options.scenario !== undefined) {
    platform.scenario.set(z.parse(scenarioRequest, typeof options.scenario === "string" ? { scenario: options.scenario } : options.scenario));
  }

  const write = () => platform.commit();
  await write();

  const handlers = createHandlers(platform, { origin: location.origin, scenarioApi: options.scenarioApi ?? true });
  const worker = setupWorker(...handlers);
  let transport: BrowserTransport = "service-worker";
  let stopTransport: () => void = () => worker.stop();
  try {
    await startWithin(
      worker.start({ serviceWorker: { url: options.serviceWorkerUrl ?? "/mockServiceWorker.js" }, onUnhandledRequest: "bypass", quiet: true }),
      options.serviceWorkerTimeoutMs ?? 10_000,
    );
  } catch (error) {
    if (options.inPageFallback === false) throw error;
    console.warn("[emporium platform] no service worker here; answering this page's requests in the page", error);
    transport = "in-page";
    stopTransport = interceptInPage(handlers).stop;
  }

  return {
    platform,
    persistence,
    transport,
    flush: write,
    async stop() {
      await platform.close();
      stopTransport();
    },
  };
}
