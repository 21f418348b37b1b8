/**
 * The third transport: the platform's handlers in a service worker (msw `setupWorker`), for a
 * static deployment with no server. The snapshot is persisted in IndexedDB where the browser
 * allows it, else kept in memory (`persistence` says which, so the UI can show a notice).
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
import { demoOrganization } from "../fixtures/demo-org.ts";
import { openSnapshotPersistence, type PersistenceKind, type SnapshotPersistence } from "../persistence/snapshot-persistence.ts";
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
  /** Snapshot writes are coalesced over this many ms (default 50). */
  saveDebounceMs?: number;
  /**
   * When the service worker cannot start (or is not active within `serviceWorkerTimeoutMs`),
   * answer this page's own fetch calls in the page instead (default true). False: `start` rejects.
   */
  inPageFallback?: boolean;
  /** How long to wait for the service worker (default 10 000 ms). */
  serviceWorkerTimeoutMs?: number;
}

/** How the handlers are reached: msw's service worker, or in the page (the fallback). */
export type BrowserTransport = "service-worker" | "in-page";

export interface BrowserPlatform {
  platform: Platform;
  /** Where the state lives: "memory" means a reload starts over (show a notice). */
  persistence: PersistenceKind;
  transport: BrowserTransport;
  /** Writes the snapshot now. */
  flush(): Promise<void>;
  /** Flushes, stops the worker and the platform. */
  stop(): Promise<void>;
}

async function restore(persistence: SnapshotPersistence): Promise<unknown> {
  try {
    const text = await persistence.load();
    return text === undefined ? undefined : JSON.parse(text);
  } catch (error) {
    console.warn("[emporium platform] the stored state is unreadable; starting fresh", error);
    return undefined;
  }
}

/** Rejects when `start` neither resolves nor rejects in time (a registration that never activates). */
function startWithin(start: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`the service worker did not start within ${ms} ms`)), ms)));
  return Promise.race([start, late]).finally(() => clearTimeout(timer));
}

export async function startWorkerPlatform(options: BrowserPlatformOptions = {}): Promise<BrowserPlatform> {
  const persistence = await openSnapshotPersistence({
    ...(options.databaseName ? { databaseName: options.databaseName } : {}),
    ...(options.indexedDB !== undefined ? { factory: options.indexedDB } : {}),
  });
  const organizations = [demoOrganization(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}), ...(options.organizations ?? [])];
  const stored = await restore(persistence);
  let platform: Platform;
  try {
    platform = createPlatform({ organizations, ...(stored !== undefined ? { snapshot: stored } : {}) });
  } catch (error) {
    console.warn("[emporium platform] the stored state is not a valid snapshot; starting fresh", error);
    platform = createPlatform({ organizations });
  }
  if (options.scenario !== undefined) {
    platform.scenario.set(z.parse(scenarioRequest, typeof options.scenario === "string" ? { scenario: options.scenario } : options.scenario));
  }

  // Coalesced writes: a burst of changes becomes one put; `flush` forces one now.
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> = Promise.resolve();
  const write = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const text = JSON.stringify(platform.snapshot());
    writing = writing.then(() => persistence.save(text)).catch((error) => console.error("[emporium platform] state write failed", error));
    return writing;
  };
  const unsubscribe = platform.onChange(() => {
    timer ??= setTimeout(() => void write(), options.saveDebounceMs ?? 50);
  });
  const onHide = () => void write();
  globalThis.addEventListener?.("pagehide", onHide);
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
    persistence: persistence.kind,
    transport,
    flush: write,
    async stop() {
      globalThis.removeEventListener?.("pagehide", onHide);
      unsubscribe();
      await platform.idle();
      await write();
      stopTransport();
      platform.dispose();
      persistence.close();
    },
  };
}
