// @vitest-environment happy-dom
import { cleanup, screen } from "@testing-library/preact";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { fakePlatform, integration } from "../../test/fake-platform.ts";
import { renderFrame } from "../../test/harness.tsx";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
});
afterAll(() => server.close());

it("a screen that is still loading is a status region that says so to screen readers", async () => {
  server.use(...fakePlatform([integration({ id: "crm", name: "Acme CRM" })]).handlers);
  await renderFrame({ init: { screen: { name: "integration", integrationId: "crm" } } });
  const busy = await screen.findAllByRole("status");
  expect(busy.some((b) => b.textContent?.includes("Loading…"))).toBe(true);
  await screen.findByRole("heading", { name: "Acme CRM" });
});
