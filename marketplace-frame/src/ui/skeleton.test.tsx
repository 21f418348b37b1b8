// @vitest-environment happy-dom
import { screen } from "@testing-library/preact";
import { expect, it } from "vitest";
import { fakePlatform, integration } from "../../test/fake-platform.ts";
import { renderFrame, setupFrameServer } from "../../test/harness.tsx";

const server = setupFrameServer();

it("a screen that is still loading is a status region that says so to screen readers", async () => {
  server.use(...fakePlatform([integration({ id: "crm", name: "Acme CRM" })]).handlers);
  await renderFrame({ init: { screen: { name: "integration", integrationId: "crm" } } });
  const busy = await screen.findAllByRole("status");
  expect(busy.some((b) => b.textContent?.includes("Loading…"))).toBe(true);
  await screen.findByRole("heading", { name: "Acme CRM" });
});
