/**
 * Found in review (fixed): third-party-apps.ts keeps every request path it split (`splitPaths`)
 * in a module-level Map capped at 1,000 ENTRIES, not bytes. A flow's http step renders its path
 * from a template, and an organization may publish a version whose path takes a payload value
 * (`/issues/{{payload.id}}`): each webhook's caller then picks a new, long path (bodies up to
 * 1 MiB), and the platform keeps up to 1,000 of them. Before the event-loop pass nothing was kept.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { createPlatform, type Platform } from "./platform.ts";
import { createManualClock } from "./clock.ts";
import { callMockApp, type AppRequest } from "./third-party-apps.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const clock = createManualClock(Date.UTC(2026, 5, 1));
let platform: Platform | undefined;
afterEach(() => platform?.dispose());

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe("review: the mocked app's split-path cache", () => {
  it("P3 requests whose paths are long and new each time (a payload value in the path) do not make the platform keep them", async () => {
    platform = createPlatform({ clock });
    const call = (path: string) => {
      const request: AppRequest = { app: "Jira", organizationId: "org_1", customerId: "cus_1", connection: { kind: "basic", username: "ops", password: "pw" }, method: "GET", path };
      return callMockApp(platform!.snapshot(), request, clock, new Map());
    };
    // The collection exists (one record made), so a GET of an id it lacks is a 404 and stores nothing.
    await call("/issues/warm");
    const made = await callMockApp(platform.snapshot(), { app: "Jira", organizationId: "org_1", customerId: "cus_1", connection: { kind: "basic", username: "ops", password: "pw" }, method: "POST", path: "/issues", body: { n: 1 } }, clock, new Map());
    expect(made.status).toBe(201);
    const before = heapUsed();
    for (let i = 0; i < 120; i++) {
      // An id of ~512 KiB that does not exist: a 404, nothing stored.
      expect((await call(`/issues/${i}_${"z".repeat(512 * 1024)}`)).status).toBe(404);
    }
    // The app keeps nothing of a 404; 8 MiB of slack. The cache keeps 120 × ~1 MiB (path and id).
    expect(heapUsed() - before).toBeLessThan(8 * 1024 * 1024);
  });
});
