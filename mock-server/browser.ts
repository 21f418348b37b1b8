/**
 * The mock platform's browser entry: the platform's handlers in a service worker, for a static
 * deployment with no server (issue 4). Separate from mock-server/index.ts, which is Node-only.
 * Load it behind a dynamic import so msw never reaches a production bundle:
 *
 * ```ts
 * const { startBrowserPlatform } = await import("../mock-server/browser.ts");
 * const mock = await startBrowserPlatform({ serviceWorkerUrl: "/frame/mockServiceWorker.js" });
 * if (mock.persistence === "memory") showNotice("Demo data lives in memory: a reload starts over.");
 * ```
 */
export { startWorkerPlatform as startBrowserPlatform, type BrowserPlatform, type BrowserPlatformOptions, type BrowserTransport } from "./transports/service-worker.ts";
export { openBrowserBackend, type PersistenceKind } from "./persistence/indexeddb-backend.ts";
export { SCENARIO_NAMES, type ScenarioName } from "../contract/scenario.ts";
