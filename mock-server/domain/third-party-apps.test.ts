import { afterEach, describe, expect, it, vi } from "vitest";
import { createPlatform, type Platform } from "./platform.ts";
import { MemoryBackend } from "./memory-backend.ts";
import { createManualClock } from "./clock.ts";
import { appRecordKey, callMockApp, MAX_RECORDS_PER_COLLECTION, type AppRequest } from "./third-party-apps.ts";
import type { RecordWrite } from "./changes.ts";

const clock = createManualClock();
const CUSTOMER = "cus_apps";
let platform: Platform;
afterEach(() => platform?.dispose());

function call(method: AppRequest["method"], path: string, body?: unknown) {
  const request: AppRequest = { app: "Jira", organizationId: "org_apps", customerId: CUSTOMER, connection: { kind: "basic", username: "ops", password: "pw" }, method, path, body };
  return callMockApp(platform.snapshot(), request, clock, new Map());
}

/** A restart on the same backend: what was committed, nothing else. */
async function restart(backend: MemoryBackend) {
  await platform.commit();
  platform.dispose();
  platform = createPlatform({ clock, backend });
}

describe("mocked apps' records", () => {
  it("a write carries the one record a request changed, not its collection; the cap drops the oldest, and a restart keeps them in order", async () => {
    const backend = new MemoryBackend();
    platform = createPlatform({ clock, backend });
    const ids: string[] = [];
    for (let i = 0; i < MAX_RECORDS_PER_COLLECTION; i++) ids.push(((await call("POST", "/issues", { n: i })).body as { id: string }).id);
    await platform.commit();

    const write = vi.spyOn(backend, "write");
    ids.push(((await call("POST", "/issues", { n: "one more" })).body as { id: string }).id);
    await call("PUT", `/issues/${ids[3]}`, { n: "three, edited" });
    await platform.commit();
    const written = write.mock.calls.flatMap(([records]) => records as RecordWrite[]).filter((r) => r.kind === "apps" || r.kind === "appRecords");
    expect(written.map((r) => r.id)).toEqual([appRecordKey("Jira", CUSTOMER, "/issues", ids.at(-1)!), appRecordKey("Jira", CUSTOMER, "/issues", ids[3]!)]);
    write.mockRestore();

    // Past the cap (10 % over, trimmed at once): the oldest go, the edited one keeps its place.
    for (let i = 0; i < MAX_RECORDS_PER_COLLECTION / 10; i++) await call("POST", "/issues", { n: `late ${i}` });
    const kept = Object.keys(platform.apps.records("Jira", CUSTOMER)["/issues"]!);
    expect(kept).toHaveLength(MAX_RECORDS_PER_COLLECTION);
    expect(kept[0]).toBe(ids[51]);
    expect(kept).not.toContain(ids[3]);

    await restart(backend);
    expect(Object.keys(platform.apps.records("Jira", CUSTOMER)["/issues"]!)).toEqual(kept);
    expect((await call("GET", `/issues/${ids[100]}`)).body).toMatchObject({ n: 100 });
    await call("DELETE", `/issues/${ids[100]}`);
    expect((await call("GET", `/issues/${ids[100]}`)).status).toBe(404);
    await restart(backend);
    expect(Object.keys(platform.apps.records("Jira", CUSTOMER)["/issues"]!)).toEqual(kept.filter((id) => id !== ids[100]));
    // Every change was announced: what was written is what the tables hold.
    await call("POST", "/issues", { n: "last" });
    await platform.commit();
    expect(backend.verify(platform.snapshot())).toEqual([]);
  });

  it("the cap counts and orders records as they are made and removed: a record deleted and made again goes last, and a deleted one leaves room", async () => {
    platform = createPlatform({ clock, backend: new MemoryBackend() });
    const ids: string[] = [];
    for (let i = 0; i <= MAX_RECORDS_PER_COLLECTION * 1.1; i++) ids.push(((await call("POST", "/issues", { n: i })).body as { id: string }).id);
    // Trimmed at once, past 10 % over: the oldest 51 went.
    let kept = Object.keys(platform.apps.records("Jira", CUSTOMER)["/issues"]!);
    expect(kept).toEqual(ids.slice(ids.length - MAX_RECORDS_PER_COLLECTION));
    // The oldest kept one is deleted and made again (PUT): it is now the newest. Another is deleted for good.
    const [remade, deleted] = kept;
    await call("DELETE", `/issues/${remade}`);
    await call("PUT", `/issues/${remade}`, { n: "again" });
    await call("DELETE", `/issues/${deleted}`);
    const late: string[] = [];
    for (let i = 0; i < MAX_RECORDS_PER_COLLECTION / 10 + 2; i++) late.push(((await call("POST", "/issues", { n: `late ${i}` })).body as { id: string }).id);
    // 551 records, one past 10 % over: the oldest go, in the order they were made (the re-made one is newer than the rest).
    const order = [...kept.slice(2), remade, ...late];
    expect(Object.keys(platform.apps.records("Jira", CUSTOMER)["/issues"]!)).toEqual(order.slice(order.length - MAX_RECORDS_PER_COLLECTION));
    expect(Object.keys(platform.apps.records("Jira", CUSTOMER)["/issues"]!)).toContain(remade);
  });

  it("the cap drops by age an id that reads as a number (PUT /issues/7), also when its order is made after a restart", async () => {
    const backend = new MemoryBackend();
    platform = createPlatform({ clock, backend });
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) ids.push(((await call("POST", "/issues", { n: i })).body as { id: string }).id);
    await call("PUT", "/issues/7", { n: "a ticket number" });
    // The collection's order is made again from the records, where an integer key comes first.
    await restart(backend);
    for (let i = 60; i < MAX_RECORDS_PER_COLLECTION * 1.1; i++) ids.push(((await call("POST", "/issues", { n: i })).body as { id: string }).id);
    // 551 records, one past 10 % over: the 51 oldest went, all made before "7".
    const kept = Object.keys(platform.apps.records("Jira", CUSTOMER)["/issues"]!);
    expect(kept).toHaveLength(MAX_RECORDS_PER_COLLECTION);
    expect(kept).toContain("7");
    expect(kept.filter((id) => id !== "7")).toEqual(ids.slice(51));
  });

  it("an account stored whole (before records were kept one by one) is split into records on first use, in its order", async () => {
    const backend = new MemoryBackend();
    const legacy = { "/issues": { rec_b: { id: "rec_b", n: 1 }, rec_a: { id: "rec_a", n: 2 } }, "/empty": {} };
    await backend.write([{ kind: "apps", id: `Jira/${CUSTOMER}`, record: legacy }]);
    platform = createPlatform({ clock, backend });
    expect((await call("GET", "/issues")).body).toEqual({ records: [legacy["/issues"].rec_b, legacy["/issues"].rec_a] });
    // An existing empty collection: a missing record in it is a 404 (an unknown collection is empty).
    expect((await call("GET", "/empty/rec_x")).status).toBe(404);
    await restart(backend);
    expect(platform.snapshot().apps[`Jira/${CUSTOMER}`]).toEqual({ "/issues": {}, "/empty": {} });
    expect(Object.keys(platform.snapshot().appRecords)).toHaveLength(2);
    expect((await call("GET", "/issues")).body).toEqual({ records: [legacy["/issues"].rec_b, legacy["/issues"].rec_a] });
  });
});
