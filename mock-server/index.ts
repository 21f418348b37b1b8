/**
 * The mock platform's public entry: the domain (createPlatform), its MSW handlers, the HTTP
 * server and the test helpers. Nothing here runs until a function is called.
 */
export { createPlatform, Platform, type PlatformOptions, type PlatformRehearsal, type WebhookResult } from "./platform.ts";
export { createHandlers, createPlatformRoutes, type HandlerOptions, type PlatformRoutes } from "./handlers.ts";
export { startPlatformServer, type PlatformServer, type PlatformServerOptions } from "./http-server.ts";
export { setupMockPlatform, type MockPlatform } from "./node.ts";
export { createTestOrganization, type TestOrganization } from "./testing.ts";
export { createManualClock, systemClock, type Clock, type ManualClock } from "./domain/clock.ts";
export { PlatformError, CatalogError } from "./domain/errors.ts";
export { demoOrganization, DEMO_ORGANIZATION_ID, DEMO_KEY_ID, DEMO_ORG_API_KEY } from "./fixtures/demo-org.ts";
export { hashOrgApiKey } from "./domain/org-keys.ts";
export type { ScenarioSwitch } from "./domain/scenario.ts";
export { catalogFixture } from "./fixtures/catalog.ts";
export { frameContentSecurityPolicy } from "./frame-files.ts";
export type { OrganizationRegistration } from "./domain/organizations.ts";
export type { Snapshot } from "./domain/store.ts";
