/**
 * The mock platform's public entry (Node): the domain (createPlatform), its HTTP routes as MSW
 * handlers, the transports (node:http server, setupServer) and the test helpers. The rest of the
 * repository imports the platform from here (the browser transport from ./browser.ts). Nothing
 * here runs until a function is called.
 *
 * Folders, imports running one way (layers.test.ts keeps them so):
 *   domain/       the platform's rules, no I/O: platform.ts composes access, marketplace,
 *                 instances, executions and logs, webhooks, monitors and alerts, dashboard,
 *                 connections, org-admin, usage
 *   http/         one route table (route-table.ts) that the MSW handlers and the OpenAPI
 *                 generator both read; imports domain/ and the contract
 *   transports/   node:http server, service worker, in-page, setupServer; import http/
 *   persistence/  how a transport keeps the state: a file, IndexedDB, memory
 *   fixtures/     the built-in catalog, the demo organization, test organizations
 */
export { createPlatform, Platform, type PlatformOptions } from "./domain/platform.ts";
export type { RehearsalFlags as PlatformRehearsal } from "./domain/scenario.ts";
export type { WebhookResult } from "./domain/webhooks.ts";
export { createHandlers, createPlatformRoutes, type HandlerOptions, type PlatformRoutes } from "./http/msw-handlers.ts";
export { startPlatformServer, stopOnSignals, type PlatformServer, type PlatformServerOptions } from "./transports/http-server.ts";
export { setupMockPlatform, type MockPlatform } from "./transports/setup-server.ts";
export { createTestOrganization, type TestOrganization } from "./fixtures/test-organization.ts";
export { createManualClock, systemClock, type Clock, type ManualClock } from "./domain/clock.ts";
export { PlatformError, CatalogError } from "./domain/errors.ts";
export { demoOrganization, DEMO_ORGANIZATION_ID, DEMO_KEY_ID, DEMO_ORG_API_KEY } from "./fixtures/demo-org.ts";
export { hashOrgApiKey } from "./domain/org-keys.ts";
// What a log line may say of an error and a path, for a host backend's log too (the demo backend's 500s).
export { logFailure, logPath } from "./domain/log-text.ts";
export type { ScenarioSwitch } from "./domain/scenario.ts";
export { catalogFixture } from "./fixtures/catalog.ts";
// The next versions of built-in integrations, and the verified caller, for tests that publish and upgrade.
export { catalogUpdatesFixture } from "./fixtures/catalog-updates.ts";
export type { Caller } from "./domain/sessions.ts";
export { seedActivity, HOSTILE_LINE, type ActivitySeed, type SeededInstance } from "./fixtures/activity-seed.ts";
export { seedVersions, type VersionsSeed } from "./fixtures/versions-seed.ts";
export { frameContentSecurityPolicy } from "./transports/frame-files.ts";
export type { OrganizationRegistration } from "./domain/organizations.ts";
export type { Snapshot } from "./domain/store.ts";
export { rotateKeyFile } from "./persistence/secret-box.ts";
export { runCrashBurst, type CrashBurstResult } from "./fixtures/crash-burst.ts";
export type { PolicyOptions } from "./domain/policy.ts";
// Outgoing notifications: the signer (tests of a receiver's verifier check against it) and the Node sender.
export { newWebhookSecret, signatureHeader } from "./domain/webhook-signature.ts";
export { sendNotification } from "./transports/notification-sender.ts";
export type { NotificationSender, OutgoingRequest, OutgoingResult } from "./domain/notifications.ts";
// For tools that build or inspect a state database offline, through the platform's own store
// (bench/seed-scale.ts seeds 10,000 customers, 50,000 instances, 1,000,000 executions).
export { SqliteBackend } from "./persistence/sqlite-backend.ts";
export { loadSecretKeys } from "./persistence/secret-box.ts";
export { newId, newSecretToken, newTimeId } from "./domain/ids.ts";
export type { RecordWrite } from "./domain/changes.ts";
export { Store } from "./domain/changes.ts";
export type { CustomerRecord, InstanceRecord, StoredExecution } from "./domain/store.ts";
