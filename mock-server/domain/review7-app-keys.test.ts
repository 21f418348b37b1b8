/**
 * Review of 8c43410 (issue 18): the mocked apps' record key quotes a "plain" id by hand instead of
 * JSON.stringify, and split paths are kept internalized. The key must stay the very text of
 * appRecordKey for every id a caller can put in a path — the delete and the restart find a record
 * by that text — including ids that are not plain, that look plain but are not, or that name an
 * Object.prototype member.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createPlatform, type Platform } from "./platform.ts";
import { MemoryBackend } from "./memory-backend.ts";
import { createManualClock } from "./clock.ts";
import { appRecordKey, callMockApp } from "./third-party-apps.ts";

const clock = createManualClock();
const CUSTOMER = "cus_keys";
let platform: Platform | undefined;
afterEach(() => platform?.dispose());

const send = (p: Platform, method: "GET" | "PUT" | "DELETE" | "POST", path: string, body?: unknown) =>
  callMockApp(p.snapshot(), { app: "Jira", organizationId: "org_keys", customerId: CUSTOMER, connection: { kind: "basic", username: "u", password: "p" }, method, path, body }, clock, new Map());

/**
 * Ids a caller may PUT: plain ones, and ones whose JSON text differs from a hand-quoted one.
 * "__proto__" too: until ef8b478 (collections as Maps) a record PUT under it was answered 2xx and
 * then lost (it became the collection object's prototype: GET 404, not listed, not deletable).
 */
const IDS = ["abc-1.2_3", "", "123", "0", "a b", 'quo"te', "back\\slash", "tab\there", "line\n", "é", "😀", "\u2028", "__proto__", "constructor", "toString", "hasOwnProperty"];

describe("review7: mocked app record keys", () => {
  it("every id a caller PUTs is stored under appRecordKey's own text, read back, deleted by it, and a restart agrees", async () => {
    const backend = new MemoryBackend();
    platform = createPlatform({ clock, backend });
    const ids = IDS.filter((id) => id !== ""); // "/issues/" is the collection itself
    for (const [n, id] of ids.entries()) {
      expect((await send(platform, "PUT", `/issues/${id}`, { n })).status, id).toBeLessThan(300);
    }
    const keys = Object.keys(platform.snapshot().appRecords).filter((key) => key.includes("/issues"));
    expect(keys.sort()).toEqual(ids.map((id) => appRecordKey("Jira", CUSTOMER, "/issues", id)).sort());
    for (const [n, id] of ids.entries()) expect((await send(platform, "GET", `/issues/${id}`)).body, id).toMatchObject({ n });
    expect(((await send(platform, "GET", "/issues")).body as { records: { id: string }[] }).records.map((r) => r.id).sort()).toEqual([...ids].sort());

    // Half of them deleted: the delete finds each by the same key.
    const gone = ids.filter((_, i) => i % 2 === 0);
    for (const id of gone) expect((await send(platform, "DELETE", `/issues/${id}`)).status, id).toBeLessThan(300);
    await platform.commit();
    expect(backend.verify(platform.snapshot())).toEqual([]);
    platform.dispose();
    platform = createPlatform({ clock, backend });
    const kept = Object.keys(platform.apps.records("Jira", CUSTOMER)["/issues"] ?? {});
    expect(kept.sort()).toEqual(ids.filter((id) => !gone.includes(id)).sort());
    for (const id of gone) expect((await send(platform, "GET", `/issues/${id}`)).status, id).toBe(404);
  });

  it("a collection named like an Object.prototype member or a number, and one of plain characters, keep their records apart", async () => {
    platform = createPlatform({ clock, backend: new MemoryBackend() });
    for (const collection of ["/__proto__", "/constructor", "/123", "/v1", "/v1/charges"]) {
      const made = (await send(platform, "POST", collection, { in: collection })).body as { id: string };
      expect(made.id).toMatch(/^rec_/);
      expect((await send(platform, "GET", `${collection}/${made.id}`)).body, collection).toMatchObject({ in: collection });
      expect(Object.hasOwn(platform.snapshot().appRecords, appRecordKey("Jira", CUSTOMER, collection, made.id))).toBe(true);
    }
    expect(({} as Record<string, unknown>).in).toBeUndefined(); // nothing reached Object.prototype
  });
});
