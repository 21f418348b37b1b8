/**
 * The third transport: the platform's handlers in a service worker (msw `setupWorker`), for a
 * static deployment with no server. The snapshot is persisted in IndexedDB where the browser
 * allows it, else kept in memory (`persistence` says which, so the UI can show a notice).
 *
 * Browser-only: import it through mock-server/browser.ts, never from Node code. The worker
 * script (msw's mockServiceWorker.js) must be served at `serviceWorkerUrl`; copy it with
 * `tsx mock-server/copy-worker-script.ts <dir>`. A service worker controls the pages in its
 * scope and intercepts every fetch they make, so a worker at /frame/mockServiceWorker.js
 * answers the frame's /api/v1 calls. Chromium does not start service workers in a cross-site
 * iframe (third-party storage is blocked): this transport serves a same-site or top-level page.
 */
import { setupWorker } from "msw/browser";
import * as z from "zod/mini";
import { createPlatform, type Platform } from "./platform.ts";
import { createHandlers } from "./handlers.ts";
import { demoOrganization } from "./fixtures/demo-org.ts";
import { openSnapshotPersistence, type PersistenceKind, type SnapshotPersistence } from "./snapshot-persistence.ts";
import { scenarioRequest, type ScenarioName, type ScenarioRequest } from "../contract/scenario.ts";
import type { OrganizationRegistration } from "./domain/organizations.ts";

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
}

export interface BrowserPlatform {
  platform: Platform;
  /** Where the state lives: "memory" means a reload starts over (show a notice). */
  persistence: PersistenceKind;
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

  const worker = setupWorker(...createHandlers(platform, { origin: location.origin, scenarioApi: options.scenarioApi ?? true }));
  await worker.start({
    serviceWorker: { url: options.serviceWorkerUrl ?? "/mockServiceWorker.js" },
    onUnhandledRequest: "bypass",
    quiet: true,
  });

  return {
    platform,
    persistence: persistence.kind,
    flush: write,
    async stop() {
      globalThis.removeEventListener?.("pagehide", onHide);
      unsubscribe();
      await platform.idle();
      await write();
      worker.stop();
      platform.dispose();
      persistence.close();
    },
  };
}
