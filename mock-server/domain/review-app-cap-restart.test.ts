/**
 * Review of the mocked app's records on the SQLite backend (issue 18: records by rowid, each
 * account's writer and key prefixes kept): the collection cap drops the oldest and keeps the
 * newest across restarts, a record deleted and made again goes last, and the state file holds
 * exactly the records the app shows — no row left behind by the cap, none doubled.
 */
import Database from "libsql";
import { afterEach, describe, expect, it } from "vitest";
import { createPlatform, type Platform } from "./platform.ts";
import { createManualClock } from "./clock.ts";
import { appRecordKey, callMockApp, MAX_RECORDS_PER_COLLECTION, type AppRequest } from "./third-party-apps.ts";
import { StateStores } from "../persistence/state-stores.ts";
import type { SqliteBackend } from "../persistence/sqlite-backend.ts";

const clock = createManualClock(Date.UTC(2026, 5, 1));
const CUSTOMER = "cus_cap";
const stores = new StateStores();
let platform: Platform | undefined;
afterEach(async () => {
  platform?.dispose();
  platform = undefined;
  await stores.dispose();
});

function call(method: AppRequest["method"], path: string, body?: unknown) {
  const request: AppRequest = { app: "Jira", organizationId: "org_cap", customerId: CUSTOMER, connection: { kind: "basic", username: "ops", password: "pw" }, method, path, body };
  return callMockApp(platform!.snapshot(), request, clock, new Map());
}
const post = async (n: unknown) => ((await call("POST", "/issues", { n })).body as { id: string }).id;
const shown = () => Object.keys(platform!.apps.records("Jira", CUSTOMER)["/issues"] ?? {});

/** Commits, stops the platform and its store, and starts both again on the same file. */
async function restart(store: SqliteBackend): Promise<SqliteBackend> {
  await platform!.commit();
  platform!.dispose();
  const again = await stores.restart(store);
  platform = createPlatform({ clock, backend: again });
  return again;
}

/** The mocked app's record keys in the state file, each with how many rows it has. */
function storedKeys(path: string): Map<string, number> {
  const db = new Database(path, { readonly: true });
  try {
    const counts = new Map<string, number>();
    for (const [id] of db.prepare("SELECT id FROM records WHERE kind = 'appRecords'").raw().all() as [string][]) counts.set(id, (counts.get(id) ?? 0) + 1);
    return counts;
  } finally {
    db.close();
  }
}
function expectFileHolds(path: string, ids: string[]): void {
  const stored = storedKeys(path);
  expect([...stored.values()].every((n) => n === 1)).toBe(true);
  expect([...stored.keys()].sort()).toEqual(ids.map((id) => appRecordKey("Jira", CUSTOMER, "/issues", id)).sort());
}

describe("review: the mocked app's cap on the SQLite backend", () => {
  it("oldest removed, newest kept, through restarts; a record deleted and made again goes last; the file holds exactly the shown records", async () => {
    let store = stores.open(stores.freshPath());
    platform = createPlatform({ clock, backend: store });
    const made: string[] = [];
    for (let i = 0; i <= MAX_RECORDS_PER_COLLECTION * 1.1; i++) made.push(await post(i));
    // 551 made: trimmed to the newest 500 at once.
    expect(shown()).toEqual(made.slice(-MAX_RECORDS_PER_COLLECTION));
    store = await restart(store);
    expect(shown()).toEqual(made.slice(-MAX_RECORDS_PER_COLLECTION));
    expectFileHolds(store.path, shown());

    // After the restart: the oldest kept one is deleted and made again (PUT) — now the newest —
    // then enough new ones to pass the cap again.
    const remade = shown()[0]!;
    await call("DELETE", `/issues/${remade}`);
    await call("PUT", `/issues/${remade}`, { n: "again" });
    const late: string[] = [];
    for (let i = 0; i < MAX_RECORDS_PER_COLLECTION / 10 + 1; i++) late.push(await post(`late ${i}`));
    const order = [...made.slice(-MAX_RECORDS_PER_COLLECTION).slice(1), remade, ...late];
    expect(shown()).toEqual(order.slice(-MAX_RECORDS_PER_COLLECTION));
    expect(shown()).toContain(remade);

    store = await restart(store);
    expect(shown()).toEqual(order.slice(-MAX_RECORDS_PER_COLLECTION));
    expect((await call("GET", `/issues/${remade}`)).body).toMatchObject({ n: "again" });
    expectFileHolds(store.path, shown());
    // And once more past the cap after this restart: still the newest.
    for (let i = 0; i < MAX_RECORDS_PER_COLLECTION / 10 + 1; i++) order.push(await post(`later ${i}`));
    store = await restart(store);
    expect(shown()).toEqual(order.slice(-MAX_RECORDS_PER_COLLECTION));
    expectFileHolds(store.path, shown());
  });
});
